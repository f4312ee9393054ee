"""The returns desk's small labels: a bin label for restocked units, a quarantine label for
the rest, as ZPL (the label printer) or PDF (a bench without one), from plain data.

A 2.25 x 1.25 in label (the common small direct-thermal size): what it is (RESTOCK to a bin,
or QUARANTINE / SCRAP / RETURN TO VENDOR), the SKU and name, the units, the return and
order numbers, the reason, and a Code 128 of the SKU (restocked: scanned as it goes on the
shelf) or of the RA number (kept aside: scanned to find the return it came with).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from printing.barcodes import code128_bars, code128_modules, draw_bars
from printing.fonts import draw_text, fit_text
from printing.zpl import zpl_text

__all__ = ["SMALL_LABEL_SIZE", "ReturnLabel", "return_label_zpl", "return_labels_pdf"]

SMALL_LABEL_SIZE = (162.0, 90.0)  # 2.25 x 1.25 in, in points


@dataclass(frozen=True)
class ReturnLabel:
    """One label for units of one item that came back."""

    ra_number: str
    order_number: str
    sku: str
    name: str
    units: int
    disposition: str  # restock, quarantine, scrap, return_to_vendor
    reason: str  # as the person reads it: "Damaged"
    bin_code: str | None = None
    serial: str | None = None

    @property
    def restocked(self) -> bool:
        return self.disposition == "restock"

    @property
    def title(self) -> str:
        if self.restocked:
            return f"RESTOCK  BIN {self.bin_code}"
        return self.disposition.replace("_", " ").upper()

    @property
    def barcode(self) -> str:
        """What the bars carry: the SKU on the shelf, the RA number on what is kept aside."""
        return self.sku if self.restocked else self.ra_number

    @property
    def lines(self) -> tuple[str, ...]:
        serial = f"  S/N {self.serial}" if self.serial else ""
        return (
            f"{self.units} x {self.sku}{serial}",
            self.name,
            f"{self.ra_number}  order {self.order_number}",
            self.reason,
        )


def return_label_zpl(label: ReturnLabel, dpi: int = 203) -> bytes:
    """The label as ZPL II bytes (UTF-8, ^CI28) at ``dpi`` (203 or 300)."""
    k = dpi / 203
    width, height = round(2.25 * dpi), round(1.25 * dpi)

    def at(x: int, y: int) -> str:
        return f"^FO{round(x * k)},{round(y * k)}"

    parts = [f"^XA^CI28^PW{width}^LL{height}"]
    parts.append(
        f"{at(12, 10)}^A0N,{round(30 * k)},{round(26 * k)}^FH^FD{zpl_text(label.title)}^FS"
    )
    for n, text in enumerate(label.lines):
        size = round(20 * k)
        parts.append(f"{at(12, 46 + 22 * n)}^A0N,{size},{size}^FH^FD{zpl_text(text)}^FS")
    bar = round(44 * k)
    parts.append(
        f"{at(12, 140)}^BY{max(1, round(2 * k))}^BCN,{bar},N,N,N^FH^FD{zpl_text(label.barcode)}^FS"
    )
    parts.append("^XZ")
    return "".join(parts).encode()


def return_labels_pdf(labels: Sequence[ReturnLabel]) -> bytes:
    """The labels as one PDF, a 2.25 x 1.25 in page each, in order."""
    if not labels:
        raise ValueError("A label PDF needs at least one label.")
    buffer = io.BytesIO()
    canvas: Any = Canvas(buffer, pagesize=SMALL_LABEL_SIZE, pageCompression=1)
    canvas.setTitle(f"Return labels of {labels[0].ra_number}")
    canvas.setAuthor("Packbench")
    w, h = SMALL_LABEL_SIZE
    for label in labels:
        text, size = fit_text(label.title, 11, w - 12, bold=True)
        draw_text(canvas, 6, h - 14, text, size, bold=True)
        for n, line in enumerate(label.lines):
            text, size = fit_text(line, 7, w - 12)
            draw_text(canvas, 6, h - 26 - 8.5 * n, text, size)
        bars = code128_bars(label.barcode)
        module = min(1.0, (w - 12) / code128_modules(label.barcode))
        draw_bars(canvas, 6, 4, bars, module, 18)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
