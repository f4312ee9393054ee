"""Text drawn as a 1-bit picture, for the label printer when its fonts lack the characters.

A Zebra printer's built-in font 0 prints Latin only; a TrueType font loaded onto it covers
what that font covers. An address in Korean or Chinese must still print, so its lines are
drawn here with the bundled fonts (Noto Sans, then Droid Sans Fallback for CJK: the same
runs as the PDF label, ``printing.fonts.font_runs``) and sent as a ZPL graphic field.

The geometry follows the PDF label: the em is the text box's height and the baseline sits
at 0.8 of it, so a line drawn here stands where the printer would have put its own text.
A line wider than its box is set smaller (down to 60 %), then squeezed sideways: never cut.
Pixels are antialiased in grey and cut at half, which keeps strokes even on a thermal head.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from printing.fonts import font_file, font_runs

__all__ = ["Bitmap", "text_bitmap"]

BASELINE = 0.8  # of the box height, from its top (as printing/pdf.py places text)
MIN_RATIO = 0.6  # smallest type, as a share of the box height, before squeezing
_INK = 128  # grey level from which a pixel prints black


@dataclass(frozen=True)
class Bitmap:
    """A 1-bit picture: ``rows`` of ``width`` pixels packed 8 to a byte, first pixel in the
    high bit (as ZPL ^GF wants them); ``top`` is where its first row sits below the top of
    the text box, ``left`` how far its first column is right of the box's left edge."""

    width: int
    rows: tuple[bytes, ...]
    left: int = 0
    top: int = 0

    @property
    def height(self) -> int:
        return len(self.rows)

    @property
    def row_bytes(self) -> int:
        return (self.width + 7) // 8

    def pixel(self, x: int, y: int) -> bool:
        return bool(self.rows[y][x // 8] & (0x80 >> (x % 8)))


@functools.cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_file(name)), size, layout_engine=ImageFont.Layout.BASIC)


def _runs_width(runs: list[tuple[str, str]], size: int) -> float:
    return sum(_font(name, size).getlength(run) for name, run in runs)


def text_bitmap(text: str, height: int, max_width: int, *, bold: bool = False) -> Bitmap:
    """``text`` drawn in a box ``height`` dots high and at most ``max_width`` dots wide.

    The result is cropped to its ink (an empty text gives an empty bitmap of width 0).
    """
    runs = list(font_runs(text, bold=bold))
    size = height
    width = _runs_width(runs, size)
    if width > max_width:
        size = max(int(size * max_width / width), max(1, int(height * MIN_RATIO)))
        width = _runs_width(runs, size)
    baseline = round(height * BASELINE)
    canvas_height = height * 2  # room for tall accents above and descenders below
    origin = (height // 2) + baseline  # the baseline, inside the canvas
    image = Image.new("L", (max(1, int(width) + 4), canvas_height), 0)
    draw = ImageDraw.Draw(image)
    x = 0.0
    for name, run in runs:
        font = _font(name, size)
        draw.text((x, origin), run, font=font, fill=255, anchor="ls")
        x += font.getlength(run)
    if width > max_width:  # even the smallest type is too wide: squeeze it sideways
        image = image.resize((max_width, canvas_height), Image.Resampling.LANCZOS)
    ink = image.point(lambda v: 255 if v >= _INK else 0).convert("1")
    box = ink.getbbox()
    if box is None:
        return Bitmap(0, ())
    left, upper, _, _ = box
    ink = ink.crop(box)
    # Pillow packs mode "1" images 8 pixels a byte, high bit first, rows padded to a byte;
    # Pillow's 1 (white in its sense) is our ink.
    data = ink.tobytes()
    per_row = (ink.width + 7) // 8
    rows = tuple(data[i : i + per_row] for i in range(0, len(data), per_row))
    return Bitmap(ink.width, rows, left, upper - height // 2)
