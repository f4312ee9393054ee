"""Labels for shelves and goods: a bin label for every bin, a barcode label for products.

Bin labels (Code 128 of the bin code, the code large, its zone) go on an A4 sheet of 3 x 8
labels in walk order, or as ZPL, one 2.25 x 1.25 in label each, for the label printer.
Product labels carry the product's GTIN as EAN-13 (Code 128 for a GTIN-14 that is no
EAN-13), the SKU and the name; the sheet has as many of each as asked.

The bars are python-barcode's (its encoders: ``barcode.Code128`` and ``barcode.EAN13``),
drawn as rectangles on the reportlab canvas, so what is printed is exactly the module
pattern python-barcode computed. Plain data in, bytes out; no database.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import barcode
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from printing.fonts import draw_text, fit_text
from printing.zpl import zpl_text

__all__ = [
    "BinLabel",
    "ProductLabel",
    "bin_labels_pdf",
    "bin_labels_zpl",
    "modules_of",
    "product_labels_pdf",
]

COLUMNS, ROWS = 3, 8
MARGIN_X, MARGIN_Y = 20.0, 30.0
CELL_W = (A4[0] - 2 * MARGIN_X) / COLUMNS
CELL_H = (A4[1] - 2 * MARGIN_Y) / ROWS
QUIET = 10  # modules of quiet zone each side, more than Code 128 and EAN-13 ask for


@dataclass(frozen=True)
class BinLabel:
    code: str
    zone: str
    warehouse: str | None = None


@dataclass(frozen=True)
class ProductLabel:
    sku: str
    name: str
    gtin: str  # 13 or 14 digits
    copies: int = 1


def modules_of(data: str, symbology: str) -> str:
    """The symbol's modules as "1" (bar) and "0" (space), python-barcode's encoding."""
    if symbology == "ean13":
        code = barcode.EAN13(data[:12], no_checksum=False)
        if code.get_fullcode() != data:
            raise ValueError(f"{data} is not a valid EAN-13 (check digit).")
        return "".join(code.build())
    return "".join(barcode.Code128(data).build())


def _draw(canvas: Any, x: float, y: float, modules: str, module: float, height: float) -> float:
    """Fill the bars of ``modules`` from (x, y), bottom left; returns the width drawn."""
    path, start = [], None
    for i, m in enumerate(modules + "0"):
        if m == "1" and start is None:
            start = i
        elif m != "1" and start is not None:
            path.append(f"{start} 0 {i - start} 1 re")
            start = None
    canvas.saveState()
    canvas.transform(module, 0, 0, height, x, y)
    canvas.addLiteral("\n".join(path) + "\nf")
    canvas.restoreState()
    return len(modules) * module


def _cells(count: int) -> list[tuple[int, float, float]]:
    """(page index, x, y of the cell's bottom left) for ``count`` labels, row by row."""
    out = []
    for i in range(count):
        page, k = divmod(i, COLUMNS * ROWS)
        row, col = divmod(k, COLUMNS)
        x = MARGIN_X + col * CELL_W
        y = A4[1] - MARGIN_Y - (row + 1) * CELL_H
        out.append((page, x, y))
    return out


def _sheet(title: str, count: int, draw_one: Any) -> bytes:
    buffer = io.BytesIO()
    canvas: Any = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor("Packbench")
    page = 0
    for index, (on_page, x, y) in enumerate(_cells(count)):
        if on_page != page:
            canvas.showPage()
            page = on_page
        canvas.setLineWidth(0.2)
        canvas.setStrokeGray(0.75)
        canvas.rect(x + 2, y + 2, CELL_W - 4, CELL_H - 4)
        canvas.setStrokeGray(0)
        draw_one(canvas, index, x, y)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def bin_labels_pdf(labels: Sequence[BinLabel]) -> bytes:
    """An A4 sheet (or several) of bin labels, in the order given (walk order)."""
    if not labels:
        raise ValueError("A sheet of bin labels needs at least one bin.")

    def one(canvas: Any, index: int, x: float, y: float) -> None:
        label = labels[index]
        code, size = fit_text(label.code, 22, CELL_W - 24, bold=True)
        draw_text(canvas, x + 12, y + CELL_H - 30, code, size, bold=True)
        where = f"zone {label.zone}" + (f" · {label.warehouse}" if label.warehouse else "")
        draw_text(canvas, x + CELL_W - 12, y + CELL_H - 28, where, 8, align="right")
        modules = modules_of(label.code, "code128")
        module = min(1.1, (CELL_W - 24) / (len(modules) + 2 * QUIET))
        width = len(modules) * module
        _draw(canvas, x + (CELL_W - width) / 2, y + 12, modules, module, CELL_H - 52)

    return _sheet("Bin labels", len(labels), one)


def bin_labels_zpl(labels: Sequence[BinLabel], dpi: int = 203) -> bytes:
    """One 2.25 x 1.25 in ZPL label per bin: the code large and as Code 128."""
    k = dpi / 203
    width, height = round(2.25 * dpi), round(1.25 * dpi)
    out = []
    for label in labels:
        out.append(
            f"^XA^CI28^PW{width}^LL{height}"
            f"^FO{round(14 * k)},{round(10 * k)}^A0N,{round(50 * k)},{round(44 * k)}"
            f"^FH^FD{zpl_text(label.code)}^FS"
            f"^FO{round(14 * k)},{round(64 * k)}^A0N,{round(20 * k)},{round(20 * k)}"
            f"^FH^FDzone {zpl_text(label.zone)}^FS"
            f"^FO{round(14 * k)},{round(96 * k)}^BY{max(2, round(2 * k))}"
            f"^BCN,{round(140 * k)},N,N,N^FH^FD{zpl_text(label.code)}^FS^XZ"
        )
    return "".join(out).encode()


def product_labels_pdf(labels: Sequence[ProductLabel]) -> bytes:
    """An A4 sheet of product labels, each product ``copies`` times, in the order given."""
    flat = [label for label in labels for _ in range(label.copies)]
    if not flat:
        raise ValueError("A sheet of product labels needs at least one label.")

    def one(canvas: Any, index: int, x: float, y: float) -> None:
        label = flat[index]
        name, size = fit_text(label.name, 9, CELL_W - 24)
        draw_text(canvas, x + 12, y + CELL_H - 20, name, size)
        sku, size = fit_text(label.sku, 10, CELL_W - 24, bold=True)
        draw_text(canvas, x + 12, y + CELL_H - 33, sku, size, bold=True)
        ean = len(label.gtin) == 13 or (len(label.gtin) == 14 and label.gtin[0] == "0")
        data = label.gtin[-13:] if ean else label.gtin
        modules = modules_of(data, "ean13" if ean else "code128")
        module = min(1.2, (CELL_W - 24) / (len(modules) + 2 * QUIET))
        width = len(modules) * module
        left = x + (CELL_W - width) / 2
        _draw(canvas, left, y + 20, modules, module, CELL_H - 62)
        draw_text(canvas, x + CELL_W / 2, y + 9, data, 8, align="centre")

    return _sheet("Product labels", len(flat), one)
