"""Code 128 (and GS1-128) and QR symbols drawn on a reportlab canvas as one filled path each.

reportlab encodes, we draw. Its ``Code128`` picks the code sets (set C for digit runs) and
takes FNC1 as "\\xf1": a leading FNC1 makes the symbol GS1-128, which zbar reports with
the GS1 modifier. But it silently drops any character it cannot encode, so ``code128_bars``
refuses those first. Its QR widget draws a rectangle object per module (about 24 ms a
label); here the module matrix from its encoder becomes one path of row runs instead.
"""

from __future__ import annotations

import functools
import itertools
from typing import Any

from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.code128 import _patterns as _PATTERNS

__all__ = [
    "DOCUMENT_QR_MASK",
    "FNC1",
    "QUIET_MODULES",
    "bars_path",
    "code128_bars",
    "code128_modules",
    "draw_bars",
    "draw_qr",
    "qr_modules",
]

FNC1 = "\xf1"
START_C, STOP = 105, 106
QUIET_MODULES = 10  # Code 128's quiet zone on each side, in modules
QR_QUIET_MODULES = 4
# A mask for documents made often (labels): any of the eight decodes the same, and the
# encoder's search for the best one costs more than drawing the rest of the label.
DOCUMENT_QR_MASK = 0


@functools.lru_cache(maxsize=4096)
def code128_bars(data: str) -> tuple[tuple[int, int], ...]:
    """(start, width) of each bar in modules, for ``data`` in Code 128; no quiet zones.

    ``data`` is printable ASCII, with ``FNC1`` where GS1 wants it. Kept per value (the
    last few thousand): a pick list draws the same product's barcode on many lists.
    """
    if len(data) % 2 == 0 and data.isascii() and data.isdigit():
        return _set_c_bars(data)
    bad = [char for char in data if not (" " <= char <= "~" or char == FNC1)]
    if bad or not data:
        raise ValueError(
            f"Code 128 cannot carry {data!r}: only printable ASCII (and FNC1) is encoded here."
        )
    symbol: Any = Code128(data, quiet=0)
    symbol.validate()
    symbol.encode()
    return _bars(symbol.decompose())


def _set_c_bars(digits: str) -> tuple[tuple[int, int], ...]:
    """An even run of digits is set C from start to stop, as reportlab encodes it: the
    symbols are computed here (a pick list draws thousands of GTINs, and building
    reportlab's widget for each was a third of the list's time); its pattern table draws."""
    values = [START_C, *(int(digits[i : i + 2]) for i in range(0, len(digits), 2))]
    check = (START_C + sum(i * v for i, v in enumerate(values[1:], start=1))) % 103
    return _bars("".join(_PATTERNS[v] for v in (*values, check, STOP)))


def _bars(elements: str) -> tuple[tuple[int, int], ...]:
    bars: list[tuple[int, int]] = []
    position = 0
    # Upper case letters are bars, lower case spaces; the letter is the width in modules.
    for element in elements:
        if element.isupper():
            width = ord(element) - ord("A") + 1
            bars.append((position, width))
        else:
            width = ord(element) - ord("a") + 1
        position += width
    return tuple(bars)


def code128_modules(data: str) -> int:
    """The symbol's width in modules, without quiet zones."""
    start, width = code128_bars(data)[-1]
    return start + width


def draw_bars(
    canvas: Any,
    x: float,
    y: float,
    bars: tuple[tuple[int, int], ...],
    module: float,
    height: float,
) -> float:
    """Fill the bars from (x, y), the symbol's bottom left corner; return its width.

    As the QR below: one path in module units (whole numbers, written as they are) under
    one transform, instead of four formatted coordinates per bar.
    """
    canvas.saveState()
    canvas.transform(module, 0, 0, height, x, y)
    canvas.addLiteral(bars_path(bars))
    canvas.restoreState()
    last_start, last_width = bars[-1]
    return (last_start + last_width) * module


@functools.lru_cache(maxsize=4096)
def bars_path(bars: tuple[tuple[int, int], ...]) -> str:
    """The bars as PDF path operators in module units (x, and 0 to 1 high), filled: what
    ``draw_bars`` writes under its transform, made once per symbol."""
    return "\n".join(f"{start} 0 {width} 1 re" for start, width in bars) + "\nf"


def qr_modules(data: str, level: str = "M", *, mask: int | None = None) -> list[list[bool]]:
    """The QR module matrix for ``data`` (byte mode, UTF-8), without the quiet zone.

    Without ``mask`` the encoder tries all eight mask patterns and keeps the one the
    standard's penalty rules score best, which is most of its time (about 4 ms of 4.5). A
    symbol under any of the eight decodes the same, so a document made often may fix one.
    """
    code: Any = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
    code.addData(qrencoder.QR8bitByte(data))
    if mask is None:
        code.make()
    else:
        if not 0 <= mask <= 7:
            raise ValueError(f"A QR mask pattern is 0 to 7, not {mask}.")
        code.version = code.calculate_version()
        code.dataCache = qr_codewords(code.version, code.errorCorrectLevel, code.dataList)
        code.makeImpl(False, mask)
    return [[bool(dark) for dark in row] for row in code.modules]


def qr_codewords(version: int, level: int, segments: list[Any]) -> list[int]:
    """The symbol's data and error correction codewords, interleaved: what reportlab's
    ``QRCode.createData`` returns, with the Reed-Solomon remainders worked from log tables
    (its polynomial objects took most of a label's time)."""
    blocks: Any = qrencoder.QRRSBlock.getRSBlocks(version, level)
    buffer: Any = qrencoder.QRBitBuffer()
    for segment in segments:
        segment.write(buffer, version)
    capacity = sum(block.dataCount for block in blocks) * 8
    if buffer.getLengthInBits() > capacity:
        raise ValueError(
            f"QR data too long for version {version}: {buffer.getLengthInBits()} bits."
        )
    if buffer.getLengthInBits() + 4 <= capacity:
        buffer.put(0, 4)  # the terminator
    while buffer.getLengthInBits() % 8:
        buffer.putBit(False)
    pads = itertools.cycle((0xEC, 0x11))
    while buffer.getLengthInBits() < capacity:
        buffer.put(next(pads), 8)
    codewords: list[int] = list(buffer.buffer)
    data_blocks, ec_blocks, offset = [], [], 0
    for block in blocks:
        data = codewords[offset : offset + block.dataCount]
        offset += block.dataCount
        data_blocks.append(data)
        ec_blocks.append(_rs_remainder(data, block.totalCount - block.dataCount))
    return [
        word
        for group in (data_blocks, ec_blocks)
        for column in itertools.zip_longest(*group)
        for word in column
        if word is not None
    ]


_EXP: list[int] = qrencoder.EXP_TABLE
_LOG: list[int] = qrencoder.LOG_TABLE


@functools.cache
def _generator_logs(count: int) -> tuple[int, ...]:
    """The logs of the generator polynomial's coefficients after the leading 1 (static)."""
    polynomial: Any = qrencoder.QRUtil.getErrorCorrectPolynomial(count)
    return tuple(_LOG[c] if c else -1 for c in polynomial.num[1:])


def _rs_remainder(data: list[int], count: int) -> list[int]:
    generator = _generator_logs(count)
    remainder = [0] * count
    for byte in data:
        factor = byte ^ remainder[0]
        del remainder[0]
        remainder.append(0)
        if factor:
            shift = _LOG[factor]
            for index, log in enumerate(generator):
                if log >= 0:
                    remainder[index] ^= _EXP[(shift + log) % 255]
    return remainder


def draw_qr(canvas: Any, x: float, y: float, modules: list[list[bool]], module: float) -> float:
    """Fill the dark modules with (x, y) as the symbol's bottom left; return its size.

    One path of horizontal runs in module units, scaled by one transform and written as
    literal PDF operators: a row of a version 3 symbol has about ten runs, and formatting
    each run's coordinates through reportlab's path object cost more than the rest of an
    invoice page.
    """
    count = len(modules)
    runs: list[str] = []
    for row_index, row in enumerate(modules):
        row_y = count - row_index - 1  # PDF y grows upwards; the matrix's first row is the top
        column = 0
        while column < count:
            if row[column]:
                run_start = column
                while column < count and row[column]:
                    column += 1
                runs.append(f"{run_start} {row_y} {column - run_start} 1 re")
            else:
                column += 1
    canvas.saveState()
    canvas.transform(module, 0, 0, module, x, y)
    canvas.addLiteral("\n".join(runs) + "\nf")
    canvas.restoreState()
    return count * module
