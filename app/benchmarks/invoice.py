"""Invoice benchmark: a 20-line and a 400-line invoice PDF, each next to a bare reportlab one.

Ours is ``printing.invoice_pdf.invoice_pdf``: amounts formatted for the locale, rows
measured and wrapped, pages counted first, the header, column titles and QR on every page,
parcel headings, tax breakdown and totals. The floor is what a bare reportlab script does
with the same text: the same strings (formatted beforehand, outside the timing) drawn
with ``drawString``/``drawRightString`` in the same embedded fonts, one rule under each
row, over the same number of A4 pages. It measures nothing, wraps nothing and draws no QR.

Each size prints one JSON object: ``ms`` and ``floor_ms`` are medians per document, taken
alternately in the same run; ``ratio`` is ours over the floor. Both are the process's CPU
time: rendering is single-threaded and never waits, so on a shared machine the CPU time is
the work done, where the wall clock adds other processes' turns.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from app.domain.money import round_money
from app.domain.money_format import format_amount, format_figure, format_quantity, format_rate
from printing.documents import DocumentKind, InvoiceDocument, InvoiceLine, Party, TaxBreakdownRow
from printing.invoice_pdf import invoice_pdf

SIZES = ((20, 100), (400, 10))  # lines, default repetitions
LOCALE = "de_DE"
CURRENCY = "EUR"

Emit = Callable[[dict[str, object]], None]


def run(n: int | None, emit: Emit) -> None:
    for lines, default_n in SIZES:
        _measure(_document(lines), n or default_n, emit)


def _measure(document: InvoiceDocument, n: int, emit: Emit) -> None:
    pdf = invoice_pdf(document)  # warm: fonts registered, modules imported
    pages = _page_count(pdf)
    text = _Text.of(document)
    _floor(text, pages)
    ours: list[float] = []
    floor: list[float] = []
    for _ in range(n):
        start = time.process_time()
        _floor(text, pages)
        floor.append(time.process_time() - start)
        start = time.process_time()
        invoice_pdf(document)
        ours.append(time.process_time() - start)
    ours_ms = statistics.median(ours) * 1000
    floor_ms = statistics.median(floor) * 1000
    emit(
        {
            "bench": f"invoice-{len(document.lines)}",
            "lines": len(document.lines),
            "pages": pages,
            "n": n,
            "ms": round(ours_ms, 3),
            "floor_ms": round(floor_ms, 3),
            "ratio": round(ours_ms / floor_ms, 2),
            "bytes": len(pdf),
            "what": "invoice_pdf vs a bare reportlab canvas drawing the same text and table "
            "on as many A4 pages (same fonts; no measuring, wrapping or QR)",
        }
    )


def _page_count(pdf: bytes) -> int:
    """The page tree's /Count: reportlab writes one page tree, uncompressed."""
    match = re.search(rb"/Count (\d+)", pdf)
    if match is None:
        raise RuntimeError("the invoice PDF has no page tree")
    return int(match.group(1))


# --- the documents -------------------------------------------------------------------------

_SELLER = Party("Packbench Demo Trading GmbH", ("Hafenstraße 12", "20457 Hamburg"), "DE")
_BUYER = Party("Jürgen Müller", ("Müller & Söhne GmbH", "Hauptstraße 5", "10115 Berlin"), "DE")
_SHIP_TO = Party("Zofia Wiśniewska", ("ul. Świętokrzyska 14/7", "00-050 Warszawa"), "PL")
_NAMES = (
    "Earl Grey loose leaf tea, 100 g tin",
    "Shortbread fingers",
    "Darjeeling first flush, single estate, 250 g in a resealable pouch with a window",
    "Teapot, stoneware, 1 l",
)


def _sscc(serial: int) -> str:
    from app.domain.barcodes import gs1_check_digit

    body = f"34012345{serial:09d}"
    return body + gs1_check_digit(body)


def _document(count: int) -> InvoiceDocument:
    lines = []
    for number in range(1, count + 1):
        quantity = number % 7 + 1
        price = Decimal(f"{number % 60 + 1}.{number * 7 % 100:02d}")
        discount = round_money(quantity * price / 10, CURRENCY) if number % 5 == 0 else Decimal(0)
        rate = Decimal("0.07") if number % 4 == 1 else Decimal("0.19")
        net = round_money(quantity * price - discount, CURRENCY)
        parcel = 1 + 3 * number // (count + 1)
        lines.append(
            InvoiceLine(
                sku=f"SKU-{number:05d}",
                name=_NAMES[number % len(_NAMES)],
                quantity=quantity,
                unit_price=price,
                discount=discount,
                tax_rate=rate,
                net=net,
                gross=net + round_money(net * rate, CURRENCY),
                shipment_number=f"S-100234-{1 + parcel // 3}",
                sscc=_sscc(parcel),
            )
        )
    by_rate: dict[Decimal, tuple[Decimal, Decimal]] = {}
    for line in lines:
        net, gross = by_rate.get(line.tax_rate, (Decimal(0), Decimal(0)))
        by_rate[line.tax_rate] = (net + line.net, gross + line.gross)
    breakdown = tuple(
        TaxBreakdownRow(rate, net, gross - net, gross)
        for rate, (net, gross) in sorted(by_rate.items())
    )
    return InvoiceDocument(
        kind=DocumentKind.INVOICE,
        number="INV-ST01-2026-000123",
        issued_on=dt.date(2026, 5, 12),
        currency=CURRENCY,
        locale=LOCALE,
        seller=_SELLER,
        seller_tax_id="DE123456789",
        bill_to=_BUYER,
        ship_to=_SHIP_TO,
        order_number="100234",
        lines=tuple(lines),
        tax_breakdown=breakdown,
        net_total=sum((row.net for row in breakdown), Decimal(0)),
        tax_total=sum((row.tax for row in breakdown), Decimal(0)),
        gross_total=sum((row.gross for row in breakdown), Decimal(0)),
        payment_terms="Payable within 14 days without deduction.",
        due_on=dt.date(2026, 5, 26),
        customer_reference="PO-4711",
    )


# --- the floor -----------------------------------------------------------------------------


class _Text:
    """Every string the invoice prints, formatted beforehand so the floor only draws."""

    def __init__(self, header: list[str], rows: list[list[str]], tail: list[str]) -> None:
        self.header, self.rows, self.tail = header, rows, tail

    @classmethod
    def of(cls, document: InvoiceDocument) -> _Text:
        locale, currency = document.locale, document.currency

        def figure(value: Decimal) -> str:
            return format_figure(value, currency, locale)

        header = [
            document.seller.name,
            *document.seller.lines,
            document.seller_tax_id,
            document.bill_to.name,
            *document.bill_to.lines,
            document.ship_to.name,
            *document.ship_to.lines,
            document.order_number,
            *document.shipment_numbers,
        ]
        rows = [
            [
                line.sku,
                line.name,
                format_quantity(line.quantity, locale),
                figure(line.unit_price),
                figure(line.discount) if line.discount else "",
                format_rate(line.tax_rate, locale),
                figure(line.net),
                figure(line.gross),
            ]
            for line in document.lines
        ]
        tail = [document.payment_terms]
        for row in document.tax_breakdown:
            tail += [
                format_rate(row.rate, locale),
                figure(row.net),
                figure(row.tax),
                figure(row.gross),
            ]
        for total in (document.net_total, document.tax_total, document.gross_total):
            tail.append(format_amount(total, currency, locale))
        return cls(header, rows, tail)


_TITLES = ("Qty", "Unit price", "Discount", "Tax", "Net", "Gross")


def _floor(text: _Text, pages: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from printing.fonts import BOLD, REGULAR, registered

    regular, bold = registered(REGULAR), registered(BOLD)
    width = float(A4[0])
    out = io.BytesIO()
    canvas: Any = Canvas(out, pagesize=A4, pageCompression=1)
    per_page = math.ceil(len(text.rows) / pages)
    rights = (300.0, 355.0, 410.0, 445.0, 500.0, 555.0)
    for page in range(pages):
        canvas.setFont(bold, 20)
        canvas.drawRightString(480, 780, "INVOICE")
        canvas.setFont(regular, 9)
        y = 780.0
        for value in text.header if page == 0 else text.header[:1]:
            canvas.drawString(40, y, value)
            y -= 12
        canvas.setFont(bold, 7.5)
        for title, x in zip(_TITLES, rights, strict=True):
            canvas.drawRightString(x, y - 10, title)
        y -= 24
        canvas.setFont(regular, 8.5)
        for row in text.rows[page * per_page : (page + 1) * per_page]:
            canvas.drawString(40, y, row[0])
            canvas.drawString(118, y, row[1])
            for value, x in zip(row[2:], rights, strict=True):
                canvas.drawRightString(x, y, value)
            canvas.line(40, y - 3, 555, y - 3)
            y -= 11.5
        if page == pages - 1:
            for value in text.tail:
                canvas.drawRightString(555, y, value)
                y -= 12
        canvas.drawRightString(width - 40, 30, f"Page {page + 1} of {pages}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()
