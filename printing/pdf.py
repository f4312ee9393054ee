"""The PDF documents: the 4x6 in shipping label and the A4 packing slip.

The label has the ZPL label's layout (printing/label_layout.py, in 8 dots/mm units)
converted to points, so bars and QR modules fall on whole dots of a 203 dpi head: the
GS1-128 module is 4 dots (0.5 mm), the QR module 6 dots (0.75 mm). It is what a
bench without a label printer prints, and what the archive keeps.

The slip is drawn with the canvas, not platypus: its rows are measured first, so the page
count is known before the first page is drawn, and every page says "page n of m" and
repeats the header with the order barcode, which the bench scans to open the order
(ORD-<number>).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from printing import label_layout as layout
from printing.barcodes import (
    DOCUMENT_QR_MASK,
    FNC1,
    QUIET_MODULES,
    code128_bars,
    draw_bars,
    draw_qr,
    qr_modules,
)
from printing.documents import PackingSlip, Party, ShippingLabel, SlipLine
from printing.fonts import draw_text, fit_text, wrap_text

__all__ = [
    "LABEL_SIZE",
    "PARTIAL_TEXT",
    "packing_slip_pdf",
    "shipping_label_pdf",
    "shipping_labels_pdf",
]

# --- the shipping label ---------------------------------------------------------------------

LABEL_SIZE = (288.0, 432.0)  # 4 x 6 in, in points
_PT = 72 / 203.2  # points per dot at 8 dots/mm
_BASELINE = 0.8  # of the font size, from the top of a ZPL field to the PDF baseline


def _y(dots: float) -> float:
    """A distance from the label's top in dots as a PDF y coordinate."""
    return LABEL_SIZE[1] - dots * _PT


def _line(canvas: Any, box: layout.TextBox, text: str, *, bold: bool = False) -> None:
    """A line of text where the ZPL label puts the same field."""
    size = box.height * _PT
    text, size = fit_text(text, size, box.width * _PT, bold=bold)
    draw_text(canvas, box.x * _PT, _y(box.top) - _BASELINE * size, text, size, bold=bold)


def _party(
    canvas: Any, party: Party, name: layout.TextBox, slots: tuple[layout.TextBox, ...]
) -> None:
    _line(canvas, name, party.name, bold=True)
    lines = [*party.lines, party.country]
    if len(lines) > len(slots):  # more lines than room: the last line takes the rest
        keep = len(slots) - 1
        lines = [*lines[:keep], ", ".join(lines[keep:])]
    for box, text in zip(slots, lines, strict=False):
        _line(canvas, box, text)


def shipping_label_pdf(label: ShippingLabel) -> bytes:
    """One 4x6 in page: addresses, references, the SSCC in GS1-128 and as a QR code."""
    return shipping_labels_pdf([label])


def shipping_labels_pdf(labels: Sequence[ShippingLabel]) -> bytes:
    """The labels of a shipment (or any labels) as one PDF, a 4x6 in page each, in order."""
    if not labels:
        raise ValueError("A label PDF needs at least one label.")
    buffer = io.BytesIO()
    canvas: Any = Canvas(buffer, pagesize=LABEL_SIZE, pageCompression=1)
    if len(labels) == 1:
        canvas.setTitle(f"Shipping label {labels[0].sscc}")
    else:
        canvas.setTitle(f"Shipping labels of {labels[0].shipment_number}")
    canvas.setAuthor("Packbench")
    for label in labels:
        _label_page(canvas, label)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _label_page(canvas: Any, label: ShippingLabel) -> None:
    _line(canvas, layout.FROM_CAPTION, "FROM")
    _party(canvas, label.ship_from, layout.FROM_NAME, layout.FROM_LINES)
    if label.carrier:
        _line(canvas, layout.CARRIER, label.carrier, bold=True)
    if label.service:
        _line(canvas, layout.SERVICE, label.service)
    if label.box:
        _line(canvas, layout.BOX, f"Box {label.box}")
    _line(canvas, layout.TO_CAPTION, "SHIP TO")
    _party(canvas, label.ship_to, layout.TO_NAME, layout.TO_LINES)
    _line(canvas, layout.ORDER, f"Order {label.order_number}", bold=True)
    _line(canvas, layout.SHIPMENT, f"Shipment {label.shipment_number}")
    _line(canvas, layout.PARCEL, f"Parcel {label.parcel_no} of {label.parcel_count}", bold=True)
    _line(canvas, layout.WEIGHT, f"Weight {label.weight_text}")
    if label.reference:
        _line(canvas, layout.REFERENCE, f"Ref {label.reference}")
    _line(canvas, layout.SSCC_CAPTION, "SSCC")
    for top in layout.RULES:
        thickness = layout.RULE_THICKNESS * _PT
        canvas.rect(
            layout.MARGIN * _PT,
            _y(top) - thickness,
            layout.TEXT_WIDTH * _PT,
            thickness,
            stroke=0,
            fill=1,
        )

    modules = qr_modules(label.digital_link, mask=DOCUMENT_QR_MASK)
    module = layout.QR_MODULE * _PT
    draw_qr(canvas, layout.QR_X * _PT, _y(layout.QR_TOP) - len(modules) * module, modules, module)

    bars = code128_bars(FNC1 + label.element_string)
    module = layout.SSCC_MODULE * _PT
    width = (bars[-1][0] + bars[-1][1]) * module
    bottom = _y(layout.SSCC_TOP + layout.SSCC_BAR_HEIGHT)
    draw_bars(
        canvas, (LABEL_SIZE[0] - width) / 2, bottom, bars, module, layout.SSCC_BAR_HEIGHT * _PT
    )
    size = layout.HRI_HEIGHT * _PT
    centre = LABEL_SIZE[0] / 2
    hri_baseline = _y(layout.HRI_TOP) - _BASELINE * size
    draw_text(canvas, centre, hri_baseline, label.sscc_hri, size, align="centre")


# --- the packing slip -----------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = float(A4[0]), float(A4[1])
MARGIN = 40.0
RIGHT = PAGE_WIDTH - MARGIN
BOTTOM = 56.0  # the table stops here; the footer sits below
HEADER_BOTTOM = PAGE_HEIGHT - MARGIN - 92

BODY = 9.5
LEADING = 12.0
ROW_PADDING = 6.0
HEAD_SIZE = 8.5
TABLE_HEAD_HEIGHT = 2 * (HEAD_SIZE + 2) + 8

# Columns: left and right edges; numbers are right-aligned, under titles of one or two lines.
_SKU = (MARGIN, MARGIN + 100)
_NAME = (MARGIN + 106, RIGHT - 4 * 47 - 8)
_NUMBERS: tuple[tuple[tuple[str, ...], float], ...] = (
    (("Ordered",), RIGHT - 3 * 47),
    (("In this", "shipment"), RIGHT - 2 * 47),
    (("Shipped", "before"), RIGHT - 47),
    (("Still to", "come"), RIGHT),
)
PARTIAL_TEXT = "Partial shipment — the rest follows"


@dataclass(frozen=True)
class _Row:
    line: SlipLine
    sku: list[str]
    name: list[str]
    height: float


def packing_slip_pdf(slip: PackingSlip) -> bytes:
    """The slip as a PDF of as many A4 pages as its lines need."""
    rows = [_measure(line) for line in slip.lines]
    first_top = _first_page_table_top(slip)
    tail = _tail(slip)
    tail_height = len(tail) * 13.0 + 10
    pages: list[list[_Row]] = [[]]
    cursor = first_top - TABLE_HEAD_HEIGHT
    for row in rows:
        if cursor - row.height < BOTTOM and pages[-1]:
            pages.append([])
            cursor = HEADER_BOTTOM - 16 - TABLE_HEAD_HEIGHT
        pages[-1].append(row)
        cursor -= row.height
    tail_on_new_page = cursor - tail_height < BOTTOM
    page_count = len(pages) + int(tail_on_new_page)

    buffer = io.BytesIO()
    canvas: Any = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"Packing slip {slip.order_number} {slip.shipment_number}")
    canvas.setAuthor("Packbench")
    for number, page_rows in enumerate(pages, start=1):
        _header(canvas, slip)
        top = HEADER_BOTTOM - 16
        if number == 1:
            _addresses_and_banner(canvas, slip)
            top = first_top
        cursor = _table(canvas, top, page_rows)
        if number == len(pages) and not tail_on_new_page:
            _draw_tail(canvas, cursor - 10, tail)
        _footer(canvas, slip, number, page_count)
        canvas.showPage()
    if tail_on_new_page:
        _header(canvas, slip)
        _draw_tail(canvas, HEADER_BOTTOM - 16, tail)
        _footer(canvas, slip, page_count, page_count)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _measure(line: SlipLine) -> _Row:
    sku = wrap_text(line.sku, BODY, _SKU[1] - _SKU[0], max_lines=3)
    name = wrap_text(line.name, BODY, _NAME[1] - _NAME[0], max_lines=6)
    return _Row(line, sku, name, max(len(sku), len(name)) * LEADING + ROW_PADDING)


def _header(canvas: Any, slip: PackingSlip) -> None:
    top = PAGE_HEIGHT - MARGIN
    draw_text(canvas, MARGIN, top - 18, "Packing slip", 20, bold=True)
    order, size = fit_text(f"Order {slip.order_number}", 14, 300, bold=True)
    draw_text(canvas, MARGIN, top - 42, order, size, bold=True)
    parcels = "1 parcel" if slip.parcel_count == 1 else f"{slip.parcel_count} parcels"
    shipment, size = fit_text(f"Shipment {slip.shipment_number} · {parcels}", 10.5, 300)
    draw_text(canvas, MARGIN, top - 60, shipment, size)
    if slip.placed_at is not None:
        draw_text(canvas, MARGIN, top - 76, f"Ordered {slip.placed_at.isoformat()}", 10.5)

    bars = code128_bars(slip.order_barcode)
    modules = bars[-1][0] + bars[-1][1]
    # 1 pt modules unless a long order number needs narrower ones to fit the half page.
    module = min(1.0, (PAGE_WIDTH / 2 - MARGIN) / (modules + 2 * QUIET_MODULES))
    width = modules * module
    draw_bars(canvas, RIGHT - width, top - 58, bars, module, 54)
    draw_text(canvas, RIGHT - width / 2, top - 72, slip.order_barcode, 9, align="centre")
    canvas.setLineWidth(1.2)
    canvas.line(MARGIN, HEADER_BOTTOM, RIGHT, HEADER_BOTTOM)


def _party_lines(party: Party) -> list[str]:
    return [*party.lines, party.country]


def _first_page_table_top(slip: PackingSlip) -> float:
    lines = max(len(_party_lines(slip.ship_to)), len(_party_lines(slip.ship_from)))
    top = HEADER_BOTTOM - 18 - 14 - 15 - lines * 13 - 14
    return top - 30 if slip.partial else top


def _addresses_and_banner(canvas: Any, slip: PackingSlip) -> None:
    column = (RIGHT - MARGIN) / 2
    for x, caption, party in (
        (MARGIN, "Ship to", slip.ship_to),
        (MARGIN + column, "From", slip.ship_from),
    ):
        top = HEADER_BOTTOM - 18
        draw_text(canvas, x, top, caption.upper(), 8)
        name, size = fit_text(party.name, 11.5, column - 12, bold=True)
        draw_text(canvas, x, top - 15, name, size, bold=True)
        for index, line in enumerate(_party_lines(party)):
            text, size = fit_text(line, 10, column - 12)
            draw_text(canvas, x, top - 30 - 13 * index, text, size)
    if slip.partial:
        top = _first_page_table_top(slip) + 30
        canvas.setFillGray(0.88)
        canvas.rect(MARGIN, top - 22, RIGHT - MARGIN, 20, stroke=0, fill=1)
        canvas.setFillGray(0)
        draw_text(canvas, MARGIN + 8, top - 16, PARTIAL_TEXT, 11, bold=True)


def _table(canvas: Any, top: float, rows: Sequence[_Row]) -> float:
    """Draw the column titles and ``rows`` from ``top`` down; return where the table ends."""
    for title, (left, _right) in (("SKU", _SKU), ("Item", _NAME)):
        draw_text(canvas, left, top - HEAD_SIZE - 2, title, HEAD_SIZE, bold=True)
    for titles, right in _NUMBERS:
        for index, text in enumerate(titles):
            y = top - (HEAD_SIZE + 2) * (index + 1)
            draw_text(canvas, right, y, text, HEAD_SIZE, bold=True, align="right")
    cursor = top - TABLE_HEAD_HEIGHT
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, cursor + 3, RIGHT, cursor + 3)
    canvas.setLineWidth(0.3)
    for row in rows:
        baseline = cursor - LEADING + 2
        for index, text in enumerate(row.sku):
            draw_text(canvas, _SKU[0], baseline - index * LEADING, text, BODY)
        for index, text in enumerate(row.name):
            draw_text(canvas, _NAME[0], baseline - index * LEADING, text, BODY)
        line = row.line
        values = (line.ordered, line.in_this_shipment, line.shipped_before, line.to_come)
        for (_title, right), value in zip(_NUMBERS, values, strict=True):
            bold = right == _NUMBERS[1][1]
            draw_text(canvas, right, baseline, str(value), BODY, bold=bold, align="right")
        cursor -= row.height
        canvas.line(MARGIN, cursor + 3, RIGHT, cursor + 3)
    return cursor


def _tail(slip: PackingSlip) -> list[str]:
    items = sum(line.in_this_shipment for line in slip.lines)
    return [f"Items in this shipment: {items}"]


def _draw_tail(canvas: Any, top: float, lines: Sequence[str]) -> None:
    for index, text in enumerate(lines):
        draw_text(canvas, MARGIN, top - 12 - 13 * index, text, 10, bold=index == 0)


def _footer(canvas: Any, slip: PackingSlip, number: int, count: int) -> None:
    left = f"Order {slip.order_number} · Shipment {slip.shipment_number}"
    draw_text(canvas, MARGIN, 30, left, 8)
    draw_text(canvas, RIGHT, 30, f"Page {number} of {count}", 8, align="right")
