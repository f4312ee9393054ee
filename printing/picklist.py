"""The printed pick list: A4, for a clipboard in a dim aisle.

The list's number is a Code 128 barcode (``PL-...``, what the Pick workspace scans to open
it) and large type; then the picker, the date and the totals. Each line of the walk shows
its bin in large bold type, the product (name, SKU, and its barcode, drawn so a scanner
checks the item against the paper too), the quantity large, and where the units go: the
cart slot, the order and its tote. Lines are in walk order, as the service gives them.

Drawn with the canvas, not platypus, as the packing slip: rows are measured first so every
page says "page n of m", and every page repeats the number, its barcode and the table
header. Row text is ASCII in most warehouses and is written as PDF operators directly
(``_PageOps``); a product name in another script still prints (printing/fonts.py).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from printing.barcodes import QUIET_MODULES, bars_path, code128_bars, draw_bars
from printing.fonts import (
    BOLD,
    REGULAR,
    ascii_width,
    draw_text,
    fit_text,
    registered,
    wrap_text,
)

__all__ = ["PickDestination", "PickListDocument", "PickListLine", "pick_list_pdf"]


@dataclass(frozen=True)
class PickDestination:
    """Where some of a line's units go: a cart slot, its order, its tote once known."""

    slot: int
    order_number: str
    units: int
    tote: str | None = None


@dataclass(frozen=True)
class PickListLine:
    bin_code: str
    zone: str
    sku: str
    name: str
    barcode: str | None
    quantity: int
    destinations: tuple[PickDestination, ...]


@dataclass(frozen=True)
class PickListDocument:
    number: str
    barcode: str  # what the number's barcode holds: the number itself (PL-...)
    created_at: datetime
    station: str
    picker: str | None
    kind: str
    grouping: str | None
    zones: tuple[str, ...]
    orders: int
    lines: tuple[PickListLine, ...]

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)


PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 36.0
RIGHT = PAGE_WIDTH - MARGIN
BOTTOM = 54.0
HEADER_BOTTOM = PAGE_HEIGHT - MARGIN - 92
HEAD_SIZE = 9.0
BODY = 10.5
LEADING = 13.0
PAD = 8.0
# Column left edges (the quantity's right edge).
_BIN = MARGIN
_ITEM = MARGIN + 96
_CODE = MARGIN + 236
_QTY_RIGHT = MARGIN + 392
_TO = MARGIN + 402
BIN_SIZE = 17.0
QTY_SIZE = 17.0
CODE_MODULE = 0.9
CODE_HEIGHT = 22.0


@dataclass(frozen=True)
class _Row:
    line: PickListLine
    name: list[str]
    to: list[str]
    height: float


def pick_list_pdf(document: PickListDocument) -> bytes:
    """The list as a PDF of as many A4 pages as its lines need."""
    rows = [_measure(line) for line in document.lines]
    pages: list[list[_Row]] = [[]]
    first_top = HEADER_BOTTOM - 34
    cursor = first_top - _HEAD_HEIGHT
    for row in rows:
        if cursor - row.height < BOTTOM and pages[-1]:
            pages.append([])
            cursor = HEADER_BOTTOM - 10 - _HEAD_HEIGHT
        pages[-1].append(row)
        cursor -= row.height
    buffer = io.BytesIO()
    canvas: Any = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"Pick list {document.number}")
    canvas.setAuthor("Packbench")
    for number, page_rows in enumerate(pages, start=1):
        _header(canvas, document)
        top = HEADER_BOTTOM - 10
        if number == 1:
            _totals(canvas, document)
            top = first_top
        _table(canvas, top, page_rows)
        _footer(canvas, document, number, len(pages))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


_HEAD_HEIGHT = HEAD_SIZE + 10


def _measure(line: PickListLine) -> _Row:
    width = _CODE - _ITEM - 8
    if line.name.isascii() and ascii_width(line.name, REGULAR, BODY) <= width:
        name = [line.name]
    else:
        name = wrap_text(line.name, BODY, width, max_lines=3)
    to = [_destination(d) for d in line.destinations]
    lines = max(len(name) + 1, len(to), 2)
    height = max(lines * LEADING, BIN_SIZE + 6, CODE_HEIGHT + 12 if line.barcode else 0) + PAD
    return _Row(line, name, to, height)


def _destination(d: PickDestination) -> str:
    where = d.tote or f"slot {d.slot}"
    return f"{d.units} in {where} / {d.order_number}"


def _header(canvas: Any, document: PickListDocument) -> None:
    top = PAGE_HEIGHT - MARGIN
    draw_text(canvas, MARGIN, top - 14, "PICK LIST", 11, bold=True)
    number, size = fit_text(document.number, 30, 300, bold=True)
    draw_text(canvas, MARGIN, top - 48, number, size, bold=True)
    what = document.kind + (f", {document.grouping}" if document.grouping else "")
    draw_text(canvas, MARGIN, top - 66, fit_text(what, 10.5, 300)[0], 10.5)
    bars = code128_bars(document.barcode)
    modules = bars[-1][0] + bars[-1][1]
    module = min(1.3, (PAGE_WIDTH / 2 - MARGIN) / (modules + 2 * QUIET_MODULES))
    width = modules * module
    draw_bars(canvas, RIGHT - width, top - 62, bars, module, 58)
    draw_text(canvas, RIGHT - width / 2, top - 76, document.barcode, 9, align="centre")
    canvas.setLineWidth(1.5)
    canvas.line(MARGIN, HEADER_BOTTOM, RIGHT, HEADER_BOTTOM)


def _totals(canvas: Any, document: PickListDocument) -> None:
    y = HEADER_BOTTOM - 20
    picker = document.picker or "_______________"
    made = document.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
    orders = f"{document.orders} order{'s' if document.orders != 1 else ''}"
    zones = ", ".join(document.zones)
    draw_text(canvas, MARGIN, y, f"Picker: {picker}", 12, bold=True)
    info = (
        f"{made} · {document.station} · {orders} · {len(document.lines)} lines · "
        f"{document.units} units · zone {zones}"
    )
    draw_text(canvas, MARGIN + 210, y, fit_text(info, 10.5, RIGHT - MARGIN - 210)[0], 10.5)


class _PageOps:
    """A page's table rows written as PDF operators, added to the page in one piece.

    A long list draws thousands of strings, rules and barcodes; through reportlab's text
    object each string paid for its font's subset look-up, its encoding and every
    coordinate's formatting in Python, most of the list's time. Printable ASCII (row text
    in most warehouses) is written here directly: under the bundled fonts' per-document
    state (printing/fonts.py) ASCII sits at its own codes in subset 0, so the text is its
    own encoding, and widths come from the fonts' ASCII tables. Other text goes through
    ``draw_text`` (its fallback fonts). A barcode's bars are a path made once per value
    (``bars_path``), placed by one transform per row. Everything is inside ``q``/``Q``, so
    the font and line state the canvas believes in is what the page has after it.
    """

    def __init__(self, canvas: Any) -> None:
        self.canvas = canvas
        doc = canvas._doc
        self.fonts = {
            False: (REGULAR, pdfmetrics.getFont(registered(REGULAR)).getSubsetInternalName(0, doc)),
            True: (BOLD, pdfmetrics.getFont(registered(BOLD)).getSubsetInternalName(0, doc)),
        }
        self.text: list[str] = []
        self.graphics: list[str] = []
        self.font: tuple[str, float] | None = None

    def put(
        self, x: float, y: float, text: str, size: float, *, bold: bool = False, right: bool = False
    ) -> None:
        if not (text.isascii() and text.isprintable()):
            draw_text(self.canvas, x, y, text, size, bold=bold, align="right" if right else "left")
            return
        name, internal = self.fonts[bold]
        if right:
            x -= ascii_width(text, name, size)
        if self.font != (internal, size):
            self.font = (internal, size)
            self.text.append(f"{internal} {size:g} Tf")
        if "(" in text or ")" in text or "\\" in text:
            text = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        self.text.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm ({text}) Tj")

    def bars(self, x: float, y: float, data: str) -> None:
        path = bars_path(code128_bars(data))
        self.graphics.append(f"q {CODE_MODULE:g} 0 0 {CODE_HEIGHT:g} {x:.2f} {y:.2f} cm\n{path}\nQ")

    def rule(self, y: float) -> None:
        self.graphics.append(f"{MARGIN:.2f} {y:.2f} m {RIGHT:.2f} {y:.2f} l S")

    def done(self) -> None:
        self.canvas.addLiteral(
            "q 0.4 w\n" + "\n".join(self.graphics) + "\nBT\n" + "\n".join(self.text) + "\nET\nQ"
        )


def _table(canvas: Any, top: float, rows: Sequence[_Row]) -> None:
    y = top - HEAD_SIZE - 2
    for title, x in (("Bin", _BIN), ("Item / SKU", _ITEM), ("Barcode", _CODE), ("To", _TO)):
        draw_text(canvas, x, y, title, HEAD_SIZE, bold=True)
    draw_text(canvas, _QTY_RIGHT, y, "Qty", HEAD_SIZE, bold=True, align="right")
    cursor = top - _HEAD_HEIGHT
    canvas.setLineWidth(1.0)
    canvas.line(MARGIN, cursor + 3, RIGHT, cursor + 3)
    canvas.setLineWidth(0.4)
    ops = _PageOps(canvas)
    for row in rows:
        line = row.line
        shown, size = fit_text(line.bin_code, BIN_SIZE, _ITEM - _BIN - 6, bold=True)
        ops.put(_BIN, cursor - BIN_SIZE, shown, size, bold=True)
        baseline = cursor - LEADING
        for index, name in enumerate(row.name):
            ops.put(_ITEM, baseline - index * LEADING, name, BODY)
        ops.put(_ITEM, baseline - len(row.name) * LEADING, line.sku, BODY, bold=True)
        if line.barcode:
            ops.put(_CODE + 6, cursor - CODE_HEIGHT - 12, line.barcode, 7)
            ops.bars(_CODE + 6, cursor - 4 - CODE_HEIGHT, line.barcode)
        ops.put(_QTY_RIGHT, cursor - QTY_SIZE, str(line.quantity), QTY_SIZE, bold=True, right=True)
        for index, to in enumerate(row.to):
            shown, size = fit_text(to, BODY, RIGHT - _TO)
            ops.put(_TO, baseline - index * LEADING, shown, size)
        cursor -= row.height
        ops.rule(cursor + 3)
    ops.done()


def _footer(canvas: Any, document: PickListDocument, number: int, count: int) -> None:
    draw_text(canvas, MARGIN, 30, f"Pick list {document.number}", 9)
    draw_text(canvas, RIGHT, 30, f"Page {number} of {count}", 9, align="right")
