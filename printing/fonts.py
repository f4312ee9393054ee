"""The bundled fonts for PDF documents, and text drawn in the font that has its glyphs.

Noto Sans covers Latin, Greek and Cyrillic; Droid Sans Fallback covers Chinese, Japanese
and Korean but has no Latin at all (resources/fonts/README.md). A Japanese address mixes
both ("東京都渋谷区神南1-2-3"), so a string is drawn as runs, each in the first font that has
its characters. Fonts are registered with reportlab on first use: Noto takes a few
milliseconds, Droid (3.4 MB) about 60 ms, so Droid is only read when a document needs it.
"""

from __future__ import annotations

import functools
import threading
import weakref
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, TTFont, TTFontFace, TTFontFile

import resources

__all__ = [
    "BOLD",
    "CJK",
    "FONT_DIR",
    "REGULAR",
    "ascii_width",
    "characters_of",
    "draw_text",
    "fit_text",
    "font_file",
    "font_runs",
    "text_width",
    "wrap_text",
]

FONT_DIR = Path(resources.__file__).resolve().parent / "fonts"

# Private names, so nothing registered elsewhere under "Noto Sans" is picked up instead.
REGULAR = "PackbenchNotoSans"
BOLD = "PackbenchNotoSans-Bold"
CJK = "PackbenchDroidSansFallback"

_FILES = {
    REGULAR: "NotoSans-Regular.ttf",
    BOLD: "NotoSans-Bold.ttf",
    CJK: "DroidSansFallback.ttf",
}

ELLIPSIS = "…"
_ROUNDING = 0.01  # pt: a width scaled to fit may come out a hair wider in floating point


def font_file(name: str) -> Path:
    """The file of a bundled font, by its name here (``REGULAR``, ``BOLD``, ``CJK``)."""
    return FONT_DIR / _FILES[name]


@functools.cache
def characters_of(file: str) -> frozenset[int]:
    """The code points a TrueType file has glyphs for: a bundled file's name, or a path.

    Raises ``ValueError`` naming the file when it cannot be read as a TrueType font.
    """
    path = FONT_DIR / file if (FONT_DIR / file).is_file() else Path(file).expanduser()
    try:
        face: Any = TTFontFile(str(path))
    except Exception as error:  # reportlab raises its own TTFError, OSError, struct.error
        raise ValueError(f"{path} cannot be read as a TrueType font: {error}") from error
    return frozenset(point for point, glyph in face.charToGlyph.items() if glyph)


SUBSETS_KEPT = 32  # per font: the font subsets most recently embedded, made once each


class _SubsetKeepingFace(TTFontFace):  # type: ignore[misc]  # reportlab has no types
    """A bundled face that makes each embedded font subset once and keeps it, compressed.

    reportlab embeds in every document the subset of a TrueType font its text uses: it cuts
    the glyphs out of the font file into a new one (``makeSubset``) and deflates that, every
    time. For the same characters in the same order the subset is the same bytes, so they
    are made once and kept (the last ``SUBSETS_KEPT``): a label's fonts cost a dictionary
    look-up. What is kept is font data only, keyed by the glyphs it holds; the characters
    come from the text of a document, whose other data nothing keeps.
    """

    _kept: OrderedDict[tuple[int, ...], tuple[int, bytes]]
    _lock: threading.Lock

    @classmethod
    def adopt(cls, face: TTFontFace) -> None:
        """Make the face a TTFont just read one of these (reading the file again is slow)."""
        face.__class__ = cls
        face._kept = OrderedDict()
        face._lock = threading.Lock()

    def _subset(self, subset: list[int]) -> tuple[int, bytes]:
        """(length of the subset font file, the file deflated as a PDF stream holds it)."""
        key = tuple(subset)
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept
        made = self.makeSubset(subset)
        kept = (len(made), zlib.compress(made))
        with self._lock:
            self._kept[key] = kept
            while len(self._kept) > SUBSETS_KEPT:
                self._kept.popitem(last=False)
        return kept

    def addSubsetObjects(self, doc: Any, fontname: str, subset: list[int]) -> Any:
        """reportlab's ``TTFontFace.addSubsetObjects`` with the subset file made once."""
        length, deflated = self._subset(subset)
        stream = pdfdoc.PDFStream()
        stream.dictionary["Length1"] = length
        if doc.compression:
            stream.content = deflated
            stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
        else:
            stream.content = zlib.decompress(deflated)
        stream_ref = doc.Reference(stream, f"fontFile:{self.filename}({fontname})")
        descriptor = pdfdoc.PDFDictionary(
            {
                "Type": "/FontDescriptor",
                "Ascent": self.ascent,
                "CapHeight": self.capHeight,
                "Descent": self.descent,
                "Flags": (self.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
                "FontBBox": pdfdoc.PDFArray(self.bbox),
                "FontName": pdfdoc.PDFName(fontname),
                "ItalicAngle": self.italicAngle,
                "StemV": self.stemV,
                "FontFile2": stream_ref,
                "MissingWidth": self.defaultWidth,
            }
        )
        return doc.Reference(descriptor, "fontDescriptor:" + fontname)


# The characters of European addresses besides ASCII: Latin-1, the Central European and
# Turkish letters, typographic punctuation. Each document's first subset of a Noto face holds
# all of them in this order (and ASCII at its own codes), whether its text uses them or not,
# so that subset is the same for every document in Western and Central European text, and is
# made once; other characters go to further subsets, made per document (or kept, if repeated).
SEEDED = (
    "".join(chr(c) for c in range(0xA1, 0x100))
    + "ĄąĆćĘęŁłŃńŚśŹźŻżČčĎďĚěŇňŘřŠšŤťŮůŽžŐőŰűŒœĞğİıŞş"
    + "–—‘’‚“”„•…€™"
)


class _SeededStates(weakref.WeakKeyDictionary[Any, Any]):
    """A TTFont's per-document states, each new one starting with ``SEEDED`` in subset 0."""

    def __init__(self, font: Any) -> None:
        super().__init__()
        self._font = weakref.ref(font)

    def __getitem__(self, doc: Any) -> Any:
        try:
            return super().__getitem__(doc)
        except KeyError:
            state = self[doc] = _seeded_state(self._font())
            return state


def _seeded_state(font: Any) -> Any:
    """reportlab's ASCII-readable state for one document, with subset 0 filled and closed."""
    state = TTFont.State(True, font)
    have = font.face.charToGlyph
    extra = [ord(c) for c in SEEDED if ord(c) in have]
    slots = list(range(1, 32)) + list(range(128, 256))
    subset = state.subsets[0]
    for code, slot in zip(extra, slots, strict=False):
        if slot < len(subset):
            subset[slot] = code
        else:
            subset.append(code)
        state.assignments[code] = slot
    state.nextCode = 256  # what is not seeded opens subset 1
    return state


@functools.cache
def registered(name: str) -> str:
    """Register one bundled font with reportlab (once) and return its name."""
    font: Any = TTFont(name, str(FONT_DIR / _FILES[name]))
    _SubsetKeepingFace.adopt(font.face)
    if name in (REGULAR, BOLD):
        font.state = _SeededStates(font)
    pdfmetrics.registerFont(font)
    return name


@functools.cache
def _code_points(name: str) -> frozenset[int]:
    font: Any = pdfmetrics.getFont(registered(name))
    return frozenset(font.face.charToGlyph)


def font_runs(text: str, *, bold: bool = False) -> Iterator[tuple[str, str]]:
    """Split ``text`` into (font name, run) pairs, each run in a font that has its glyphs.

    Characters neither font has stay in Noto Sans and print as its empty box.
    """
    main = registered(BOLD if bold else REGULAR)
    if text.isascii():
        yield main, text
        return
    noto = _code_points(main)
    start, current = 0, main
    for index, char in enumerate(text):
        font = main if (ord(char) in noto or char.isspace()) else _fallback_for(char, main)
        if font != current:
            if index > start:
                yield current, text[start:index]
            start, current = index, font
    if len(text) > start:
        yield current, text[start:]


def _fallback_for(char: str, main: str) -> str:
    cjk = _code_points(registered(CJK))
    return CJK if ord(char) in cjk else main


@functools.cache
def _ascii_widths(name: str) -> tuple[float, ...]:
    """The advance widths (in 1/1000 em) of the 128 ASCII codes in a registered font."""
    face: Any = pdfmetrics.getFont(registered(name)).face
    return tuple(face.charWidths.get(code, face.defaultWidth) for code in range(128))


def ascii_width(text: str, name: str, size: float) -> float:
    """``pdfmetrics.stringWidth`` of ASCII ``text`` in a bundled font, to the same float,
    from a table (reportlab's own, in Python, looks every character up in a dictionary)."""
    return 0.001 * size * sum(map(_ascii_widths(name).__getitem__, text.encode("ascii")))


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width in points of ``text`` drawn by ``draw_text`` at ``size``."""
    if text.isascii():
        return ascii_width(text, BOLD if bold else REGULAR, size)
    width: float = sum(
        pdfmetrics.stringWidth(run, font, size) for font, run in font_runs(text, bold=bold)
    )
    return width


def fit_text(
    text: str, size: float, max_width: float, *, bold: bool = False, min_ratio: float = 0.6
) -> tuple[str, float]:
    """The text and size that fit ``max_width``: smaller type first, then cut with "…".

    A long street name is better a little smaller than cut; only when even
    ``min_ratio * size`` is too wide does the end give way.
    """
    width = text_width(text, size, bold=bold)
    if width <= max_width:
        return text, size
    smaller = max(size * max_width / width, size * min_ratio)
    if text_width(text, smaller, bold=bold) <= max_width + _ROUNDING:
        return text, smaller
    cut = text
    while cut and text_width(cut + ELLIPSIS, smaller, bold=bold) > max_width:
        cut = cut[:-1]
    return cut.rstrip() + ELLIPSIS, smaller


def wrap_text(
    text: str, size: float, max_width: float, *, bold: bool = False, max_lines: int = 4
) -> list[str]:
    """``text`` broken into lines no wider than ``max_width``: at spaces, else anywhere.

    Chinese and Japanese have no spaces, and a long SKU has none either, so a word wider
    than the line is broken between characters. Past ``max_lines`` the last line ends "…".
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold=bold) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for char in word:
            if current and text_width(current + char, size, bold=bold) > max_width:
                lines.append(current)
                current = ""
            current += char
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last, _ = fit_text(
            " ".join(lines[max_lines - 1 :]), size, max_width, bold=bold, min_ratio=1.0
        )
        lines = [*lines[: max_lines - 1], last]
    return lines or [""]


def draw_text(
    canvas: Any,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    bold: bool = False,
    align: str = "left",
) -> None:
    """Draw ``text`` with its baseline at ``y``; ``align`` is "left", "right" or "centre"."""
    runs = list(font_runs(text, bold=bold))
    if align != "left":
        width = sum(pdfmetrics.stringWidth(run, font, size) for font, run in runs)
        x -= width if align == "right" else width / 2
    if len(runs) == 1:
        font, run = runs[0]
        canvas.setFont(font, size)
        canvas.drawString(x, y, run)
        return
    for font, run in runs:
        canvas.setFont(font, size)
        canvas.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, font, size)
