"""The A4 invoice and credit note, drawn with the canvas and paginated by hand.

Like the packing slip, every row is measured first, so the page count is known before the
first page is drawn: each page says "Page n of m", repeats the title, the number, the QR of
the number and the table's column titles, and a page that starts inside a parcel's lines
repeats that parcel's heading ("continued"). platypus ``Table`` would do the pagination
for us at about eight times the cost over a few hundred rows.

Lines are grouped under the shipment and parcel (SSCC) they came from, in the order given;
a charge from no parcel (shipping) sits under "Other charges". Table figures carry no
currency symbol (the column titles name the currency); the tax breakdown and the totals
are written in full for the document's locale (``app.domain.money_format``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from app.domain.money_format import (
    format_amount,
    format_date,
    format_figure,
    format_quantity,
    format_rate,
)
from printing.barcodes import QR_QUIET_MODULES, draw_qr, qr_modules
from printing.documents import InvoiceDocument, InvoiceLine, Party
from printing.fonts import draw_text, fit_text, text_width, wrap_text

__all__ = ["COPY_TEXT", "OTHER_CHARGES", "invoice_pdf"]

PAGE_WIDTH, PAGE_HEIGHT = float(A4[0]), float(A4[1])
MARGIN = 40.0
RIGHT = PAGE_WIDTH - MARGIN
TOP = PAGE_HEIGHT - MARGIN
BOTTOM = 56.0  # the table stops here; the footer sits below
FOOTER = 30.0

QR_MODULE = 2.0  # pt: 0.7 mm, read by a phone or a desk scanner from paper
QR_MAX = 72.0  # a long number's symbol gets smaller modules instead of a bigger square
# One fixed mask: the encoder's search for the best of eight costs more than the whole page.
QR_MASK = 0
_QR_FORM = "invoice-number-qr"

BODY = 8.5
LEADING = 10.5
ROW_PADDING = 4.0
HEAD_SIZE = 7.5
TABLE_HEAD_HEIGHT = 2 * (HEAD_SIZE + 1.5) + 6
GROUP_HEIGHT = 15.0
GREY = 0.35

COPY_TEXT = "COPY"
OTHER_CHARGES = "Other charges"

# Table columns: the SKU and the description from their left edge; figures right-aligned.
_SKU = (MARGIN, 72.0)
_NAME = (MARGIN + 78, 146.0)
_QTY = RIGHT - 261
_UNIT = RIGHT - 205
_DISCOUNT = RIGHT - 151
_TAX = RIGHT - 115
_NET = RIGHT - 58
_GROSS = RIGHT

# Page 1: bill-to, ship-to and the references side by side.
_COLUMN = 165.0
_META_X = MARGIN + 2 * (_COLUMN + 5)
_META_VALUE_X = _META_X + 68
_META_VALUE_WIDTH = RIGHT - _META_VALUE_X


@dataclass(frozen=True)
class _Heading:
    text: str
    height: float = GROUP_HEIGHT


@dataclass(frozen=True)
class _LineRow:
    line: InvoiceLine
    sku: list[str]
    name: list[str]
    height: float


_Row = _Heading | _LineRow


@dataclass(frozen=True)
class _Layout:
    """What every page needs, measured once: the QR, the header's height, the tail."""

    qr: list[list[bool]]
    qr_module: float
    first_header_bottom: float
    next_header_bottom: float
    first_table_top: float
    tail_height: float


def invoice_pdf(document: InvoiceDocument) -> bytes:
    """The invoice or credit note as a PDF of as many A4 pages as its lines need."""
    layout = _layout(document)
    rows = _rows(document)
    pages, tail_on_new_page = _paginate(rows, layout)
    page_count = len(pages) + int(tail_on_new_page)

    buffer = io.BytesIO()
    canvas: Any = Canvas(buffer, pagesize=A4, pageCompression=1)
    kind = "Credit note" if document.is_credit_note else "Invoice"
    canvas.setTitle(f"{kind} {document.number}" + (" (copy)" if document.copy else ""))
    canvas.setSubject(f"Order {document.order_number}")
    canvas.setAuthor(document.seller.name)
    canvas.setCreator("Packbench")
    for number, page_rows in enumerate(pages, start=1):
        if number == 1:
            _first_header(canvas, document, layout)
            top = layout.first_table_top
        else:
            _next_header(canvas, document, layout)
            top = layout.next_header_bottom - 12
        cursor = _table(canvas, document, top, page_rows)
        if number == len(pages) and not tail_on_new_page:
            _tail(canvas, document, cursor - 14)
        _footer(canvas, document, number, page_count)
        canvas.showPage()
    if tail_on_new_page:
        _next_header(canvas, document, layout)
        _tail(canvas, document, layout.next_header_bottom - 12)
        _footer(canvas, document, page_count, page_count)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# --- measuring -----------------------------------------------------------------------------


def _wrap(text: str, size: float, width: float, max_lines: int) -> list[str]:
    if text_width(text, size) <= width:  # most cells: one measure, no word splitting
        return [text]
    return wrap_text(text, size, width, max_lines=max_lines)


def _rows(document: InvoiceDocument) -> list[_Row]:
    rows: list[_Row] = []
    source: object = ()  # no line has this source, so the first line opens a group
    for line in document.lines:
        if line.source != source:
            source = line.source
            rows.append(_Heading(_group_text(line)))
        sku = _wrap(line.sku, BODY, _SKU[1], 2)
        name = _wrap(line.name, BODY, _NAME[1], 3)
        rows.append(_LineRow(line, sku, name, max(len(sku), len(name)) * LEADING + ROW_PADDING))
    return rows


def _group_text(line: InvoiceLine) -> str:
    if line.shipment_number is None:
        return OTHER_CHARGES
    if line.sscc is None:
        return f"Shipment {line.shipment_number}"
    return f"Shipment {line.shipment_number} · parcel SSCC {line.sscc}"


def _paginate(rows: Sequence[_Row], layout: _Layout) -> tuple[list[list[_Row]], bool]:
    """Rows per page, and whether the tail (breakdown, totals, terms) needs a page of its own."""
    pages: list[list[_Row]] = [[]]
    cursor = layout.first_table_top - TABLE_HEAD_HEIGHT
    group: _Heading | None = None
    for index, row in enumerate(rows):
        needed = row.height
        if isinstance(row, _Heading) and index + 1 < len(rows):
            needed += rows[index + 1].height  # a heading never ends a page alone
        if cursor - needed < BOTTOM and pages[-1]:
            pages.append([])
            cursor = layout.next_header_bottom - 12 - TABLE_HEAD_HEIGHT
            if isinstance(row, _LineRow) and group is not None:
                continued = _Heading(group.text + " (continued)")
                pages[-1].append(continued)
                cursor -= continued.height
        if isinstance(row, _Heading):
            group = row
        pages[-1].append(row)
        cursor -= row.height
    return pages, cursor - 14 - layout.tail_height < BOTTOM


def _layout(document: InvoiceDocument) -> _Layout:
    qr = qr_modules(document.number, mask=QR_MASK)
    module = min(QR_MODULE, QR_MAX / len(qr))
    qr_bottom = TOP - len(qr) * module - QR_QUIET_MODULES * module
    # The seller's lines, then the tax ID, from TOP - 28 down (see ``_first_header``).
    seller_bottom = TOP - 28 - 12 * len(_party_lines(document.seller)) - 8
    copy_bottom = TOP - 74 if document.copy else TOP
    first_header_bottom = min(qr_bottom, seller_bottom, copy_bottom)
    next_header_bottom = min(qr_bottom, copy_bottom)
    return _Layout(
        qr=qr,
        qr_module=module,
        first_header_bottom=first_header_bottom,
        next_header_bottom=next_header_bottom,
        first_table_top=first_header_bottom - _banner_height(document) - _blocks_height(document),
        tail_height=_tail_height(document),
    )


def _party_lines(party: Party) -> list[str]:
    return [*party.lines, party.country]


def _banner_text(document: InvoiceDocument) -> str | None:
    if document.partial_text is not None:
        return document.partial_text
    if document.is_credit_note:
        of = ""
        if document.corrects_issued_on is not None:
            of = f" of {format_date(document.corrects_issued_on, document.locale)}"
        return f"Credit note for invoice {document.corrects}{of}: the amounts below are credited"
    return None


def _banner_height(document: InvoiceDocument) -> float:
    return 30.0 if _banner_text(document) is not None else 0.0


def _meta(document: InvoiceDocument) -> list[tuple[str, list[str]]]:
    """The references on page 1, caption and value lines, in reading order."""
    locale = document.locale
    kind = "Credit note no." if document.is_credit_note else "Invoice no."
    rows: list[tuple[str, list[str]]] = [
        (kind, [document.number]),
        ("Date", [format_date(document.issued_on, locale)]),
    ]
    if document.due_on is not None:
        rows.append(("Due date", [format_date(document.due_on, locale)]))
    if document.is_credit_note:
        rows.append(("Corrects", [str(document.corrects)]))
        if document.corrects_issued_on is not None:
            rows.append(("Invoice date", [format_date(document.corrects_issued_on, locale)]))
    rows.append(("Order", [document.order_number]))
    shipments = document.shipment_numbers
    if shipments:
        caption = "Shipment" if len(shipments) == 1 else "Shipments"
        rows.append((caption, _wrap(", ".join(shipments), 9, _META_VALUE_WIDTH, 4)))
    if document.customer_reference:
        rows.append(("Your reference", [document.customer_reference]))
    return rows


def _address_height(party: Party, tax_id: str | None) -> float:
    """From the block's top to below its last line's descenders (see ``_address``)."""
    return 34 + 11.5 * (len(_party_lines(party)) + int(tax_id is not None) - 1) + 4


def _blocks_height(document: InvoiceDocument) -> float:
    """The addresses and references under the header rule, with the gap before the table."""
    meta = 12 + sum(11.5 * len(lines) for _caption, lines in _meta(document))
    return (
        10
        + max(
            _address_height(document.bill_to, document.buyer_tax_id),
            _address_height(document.ship_to, None),
            meta,
        )
        + 14
    )


def _terms_lines(document: InvoiceDocument) -> list[str]:
    lines: list[str] = []
    for paragraph in [*document.payment_terms.splitlines(), *document.notes]:
        lines.extend(_wrap(paragraph, 9, _TAIL_LEFT_WIDTH, 6) if paragraph.strip() else [""])
    return lines


def _tail_height(document: InvoiceDocument) -> float:
    terms = 14 + 11.5 * len(_terms_lines(document))
    breakdown = 12 + 12 * len(document.tax_breakdown) + 8 + 3 * 14 + 4
    return max(terms, breakdown)


# --- drawing -------------------------------------------------------------------------------


def _grey(canvas: Any) -> None:
    canvas.setFillGray(GREY)


def _black(canvas: Any) -> None:
    canvas.setFillGray(0)


def _title_block(canvas: Any, document: InvoiceDocument, layout: _Layout) -> None:
    """Title, number, COPY and the QR: the top right of every page."""
    size = len(layout.qr) * layout.qr_module
    if not canvas.hasForm(_QR_FORM):  # drawn once, placed on every page by reference
        canvas.beginForm(_QR_FORM, RIGHT - size, TOP - size, RIGHT, TOP)
        draw_qr(canvas, RIGHT - size, TOP - size, layout.qr, layout.qr_module)
        canvas.endForm()
    canvas.doForm(_QR_FORM)
    right = RIGHT - size - QR_QUIET_MODULES * layout.qr_module - 4
    draw_text(canvas, right, TOP - 18, document.title, 20, bold=True, align="right")
    number, number_size = fit_text(document.number, 11, 230, bold=True)
    draw_text(canvas, right, TOP - 36, number, number_size, bold=True, align="right")
    if document.copy:
        width = text_width(COPY_TEXT, 13, bold=True) + 16
        canvas.setLineWidth(1.5)
        canvas.rect(right - width, TOP - 70, width, 22, stroke=1, fill=0)
        draw_text(canvas, right - width / 2, TOP - 64, COPY_TEXT, 13, bold=True, align="centre")


def _first_header(canvas: Any, document: InvoiceDocument, layout: _Layout) -> None:
    _title_block(canvas, document, layout)
    seller = document.seller
    name, size = fit_text(seller.name, 12, 250, bold=True)
    draw_text(canvas, MARGIN, TOP - 14, name, size, bold=True)
    lines = [*_party_lines(seller), f"Tax ID {document.seller_tax_id}"]
    for index, line in enumerate(lines):
        text, size = fit_text(line, 9, 250)
        draw_text(canvas, MARGIN, TOP - 28 - 12 * index, text, size)
    canvas.setLineWidth(1.2)
    canvas.line(MARGIN, layout.first_header_bottom, RIGHT, layout.first_header_bottom)

    top = layout.first_header_bottom
    banner = _banner_text(document)
    if banner is not None:
        canvas.setFillGray(0.88)
        canvas.rect(MARGIN, top - 24, RIGHT - MARGIN, 18, stroke=0, fill=1)
        _black(canvas)
        text, size = fit_text(banner, 10.5, RIGHT - MARGIN - 16, bold=True)
        draw_text(canvas, MARGIN + 8, top - 18.5, text, size, bold=True)
        top -= _banner_height(document)
    _address(canvas, MARGIN, top - 10, "BILL TO", document.bill_to, document.buyer_tax_id)
    _address(canvas, MARGIN + _COLUMN + 5, top - 10, "SHIP TO", document.ship_to, None)
    cursor = top - 10 - 12
    for caption, values in _meta(document):
        _grey(canvas)
        draw_text(canvas, _META_X, cursor, caption, 8)
        _black(canvas)
        for value in values:
            text, size = fit_text(value, 9, _META_VALUE_WIDTH)
            draw_text(canvas, _META_VALUE_X, cursor, text, size)
            cursor -= 11.5


def _address(
    canvas: Any, x: float, top: float, caption: str, party: Party, tax_id: str | None
) -> None:
    _grey(canvas)
    draw_text(canvas, x, top - 8, caption, 7.5, bold=True)
    _black(canvas)
    name, size = fit_text(party.name, 10, _COLUMN - 8, bold=True)
    draw_text(canvas, x, top - 22, name, size, bold=True)
    lines = _party_lines(party) + ([f"Tax ID {tax_id}"] if tax_id is not None else [])
    for index, line in enumerate(lines):
        text, size = fit_text(line, 9, _COLUMN - 8)
        draw_text(canvas, x, top - 34 - 11.5 * index, text, size)


def _next_header(canvas: Any, document: InvoiceDocument, layout: _Layout) -> None:
    _title_block(canvas, document, layout)
    name, size = fit_text(document.seller.name, 10, 250, bold=True)
    draw_text(canvas, MARGIN, TOP - 14, name, size, bold=True)
    order, size = fit_text(f"Order {document.order_number}", 9, 250)
    draw_text(canvas, MARGIN, TOP - 28, order, size)
    canvas.setLineWidth(1.2)
    canvas.line(MARGIN, layout.next_header_bottom, RIGHT, layout.next_header_bottom)


def _column_titles(document: InvoiceDocument) -> tuple[tuple[tuple[str, ...], float], ...]:
    currency = document.currency
    return (
        (("Qty",), _QTY),
        (("Unit price", currency), _UNIT),
        (("Discount", currency), _DISCOUNT),
        (("Tax",), _TAX),
        (("Net", currency), _NET),
        (("Gross", currency), _GROSS),
    )


def _table(canvas: Any, document: InvoiceDocument, top: float, rows: Sequence[_Row]) -> float:
    """Draw the column titles and ``rows`` from ``top`` down; return where the table ends."""
    step = HEAD_SIZE + 1.5
    draw_text(canvas, _SKU[0], top - step, "SKU", HEAD_SIZE, bold=True)
    draw_text(canvas, _NAME[0], top - step, "Description", HEAD_SIZE, bold=True)
    for titles, right in _column_titles(document):
        for index, text in enumerate(titles):
            y = top - step * (index + 1)
            draw_text(canvas, right, y, text, HEAD_SIZE, bold=True, align="right")
    cursor = top - TABLE_HEAD_HEIGHT
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, cursor + 2, RIGHT, cursor + 2)
    rules: list[tuple[float, float, float, float]] = []
    locale, currency = document.locale, document.currency
    for row in rows:
        if isinstance(row, _Heading):
            canvas.setFillGray(0.93)
            canvas.rect(MARGIN, cursor - row.height + 3, RIGHT - MARGIN, row.height - 1, 0, 1)
            _black(canvas)
            text, size = fit_text(row.text, 8, RIGHT - MARGIN - 8, bold=True)
            draw_text(canvas, MARGIN + 4, cursor - 8.5, text, size, bold=True)
            cursor -= row.height
            continue
        baseline = cursor - LEADING + 1
        for index, text in enumerate(row.sku):
            draw_text(canvas, _SKU[0], baseline - index * LEADING, text, BODY)
        for index, text in enumerate(row.name):
            draw_text(canvas, _NAME[0], baseline - index * LEADING, text, BODY)
        line = row.line
        discount = format_figure(line.discount, currency, locale) if line.discount else ""
        for right, text in (
            (_QTY, format_quantity(line.quantity, locale)),
            (_UNIT, format_figure(line.unit_price, currency, locale)),
            (_DISCOUNT, discount),
            (_TAX, format_rate(line.tax_rate, locale)),
            (_NET, format_figure(line.net, currency, locale)),
            (_GROSS, format_figure(line.gross, currency, locale)),
        ):
            if text:
                draw_text(canvas, right, baseline, text, BODY, align="right")
        cursor -= row.height
        rules.append((MARGIN, cursor + 2, RIGHT, cursor + 2))
    canvas.setLineWidth(0.3)
    if rules:
        canvas.lines(rules)
    return cursor


_TAIL_LEFT_WIDTH = 250.0
_RATE_X = RIGHT - 225
_BREAKDOWN = (RIGHT - 140, RIGHT - 70, RIGHT)  # right edges: net, tax, gross


def _tail(canvas: Any, document: InvoiceDocument, top: float) -> None:
    """Payment terms on the left; the tax breakdown and the totals on the right."""
    caption = "Refund" if document.is_credit_note else "Payment terms"
    draw_text(canvas, MARGIN, top - 9, caption, 9, bold=True)
    for index, text in enumerate(_terms_lines(document)):
        draw_text(canvas, MARGIN, top - 23 - 11.5 * index, text, 9)

    locale, currency = document.locale, document.currency
    step = top - 9
    draw_text(canvas, _RATE_X, step, "Tax rate", HEAD_SIZE, bold=True)
    for title, right in zip(("Net", "Tax", "Gross"), _BREAKDOWN, strict=True):
        draw_text(canvas, right, step, f"{title} {currency}", HEAD_SIZE, bold=True, align="right")
    canvas.setLineWidth(0.5)
    canvas.line(_RATE_X, step - 3, RIGHT, step - 3)
    for row in document.tax_breakdown:
        step -= 12
        draw_text(canvas, _RATE_X, step, format_rate(row.rate, locale), 9)
        for value, right in zip((row.net, row.tax, row.gross), _BREAKDOWN, strict=True):
            draw_text(canvas, right, step, format_figure(value, currency, locale), 9, align="right")
    step -= 8
    canvas.setLineWidth(0.8)
    canvas.line(_RATE_X, step + 4, RIGHT, step + 4)
    total = "Total credited" if document.is_credit_note else "Total due"
    for caption, value, size, bold in (
        ("Net total", document.net_total, 9.5, False),
        ("Tax", document.tax_total, 9.5, False),
        (total, document.gross_total, 11.5, True),
    ):
        step -= 14
        draw_text(canvas, _RATE_X, step, caption, size, bold=bold)
        amount = format_amount(value, currency, locale)
        draw_text(canvas, RIGHT, step, amount, size, bold=bold, align="right")


def _footer(canvas: Any, document: InvoiceDocument, number: int, count: int) -> None:
    kind = "Credit note" if document.is_credit_note else "Invoice"
    left = f"{kind} {document.number} · Order {document.order_number}"
    if document.copy:
        left += f" · {COPY_TEXT}"
    text, size = fit_text(left, 8, 380)
    draw_text(canvas, MARGIN, FOOTER, text, size)
    draw_text(canvas, RIGHT, FOOTER, f"Page {number} of {count}", 8, align="right")
