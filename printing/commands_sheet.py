"""The command sheet: one barcode per bench button, to stick beside the packing bench.

Scanning "%PB:CLOSE" does what the Close button does, so a packer with both hands on a
parcel never reaches for the mouse. The codes and words come from the scan grammar
(app.domain.decode), so the sheet cannot offer a command the decoder does not know, and
the commands from the list of those a screen acts on (app.domain.commands), so it does
not offer one that does nothing yet. Words are never cut: a long box caption is set
smaller, on up to three lines.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from app.domain.commands import handled_commands
from app.domain.decode import (
    COMMAND_WORDS,
    DEFAULT_GRAMMAR,
    SHORT_REASONS,
    Command,
    ScanGrammar,
    ScanKind,
    decode,
)
from printing.barcodes import QUIET_MODULES, code128_bars, draw_bars
from printing.fonts import draw_text, fit_text, text_width, wrap_text

__all__ = ["DEFAULT_BOXES", "QUANTITIES", "box_commands", "command_sheet_pdf", "default_commands"]

DEFAULT_BOXES: tuple[tuple[str, str], ...] = (("S", "Small"), ("M", "Medium"), ("L", "Large"))
QUANTITIES = range(2, 7)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 28.0
GUTTER = 16.0
WORDS_WIDTH = 92.0  # room beside the barcode for "Undo last scan" in two lines
TOP = PAGE_HEIGHT - MARGIN - 62  # below the title
BOTTOM = MARGIN + 20
ROW_PITCH = 62.0
BAR_HEIGHT = 34.0
WORDS_SIZES = (14.0, 13.0, 12.0, 11.0, 10.0, 9.0, 8.0)  # the largest that fits is used
WORDS_LINES = 3
MIN_MODULE = 0.72  # pt, 0.25 mm: what a handheld scanner reads from a laser print
MAX_MODULE = 1.0


# Commands that need a value: they are printed with one (QTY:2, BOX:M), never bare.
_WITH_VALUE = (Command.QTY, Command.BOX)


def default_commands(grammar: ScanGrammar = DEFAULT_GRAMMAR) -> list[tuple[str, str]]:
    """Every handled command that stands alone, a short pick with each reason, then QTY:2 to
    QTY:6, as (barcode text, words).

    Only commands some screen acts on (``app.domain.commands``); boxes come separately.
    """
    prefix = grammar.command_prefix
    handled = handled_commands()
    commands = [(prefix + c.value, COMMAND_WORDS[c]) for c in handled if c not in _WITH_VALUE]
    if Command.SHORT in handled:  # a short pick with its reason, in one scan
        words = COMMAND_WORDS[Command.SHORT]
        commands += [
            (f"{prefix}{Command.SHORT.value}:{w}", f"{words}: {w.lower().replace('-', ' ')}")
            for w in SHORT_REASONS
        ]
    if Command.QTY in handled:
        words = COMMAND_WORDS[Command.QTY]
        commands += [(f"{prefix}{Command.QTY.value}:{n}", f"{words} {n}") for n in QUANTITIES]
    return commands


def box_commands(
    boxes: Sequence[tuple[str, str]], grammar: ScanGrammar = DEFAULT_GRAMMAR
) -> list[tuple[str, str]]:
    """(barcode text, words) choosing each box: "%PB:BOX:M" and "Box M: Medium"."""
    prefix, words = grammar.command_prefix + Command.BOX.value, COMMAND_WORDS[Command.BOX]
    return [
        (f"{prefix}:{code}", f"{words} {code}: {what}" if what else f"{words} {code}")
        for code, what in boxes
    ]


def command_sheet_pdf(
    commands: Sequence[tuple[str, str]] | None = None,
    *,
    boxes: Sequence[tuple[str, str]] = DEFAULT_BOXES,
    grammar: ScanGrammar = DEFAULT_GRAMMAR,
) -> bytes:
    """An A4 sheet of (barcode text, words) pairs; ``boxes`` (code, what) follow them.

    ``commands`` defaults to ``default_commands()``; pass ``boxes=()`` for none. Every
    code must decode as a valid command under ``grammar``, or this raises ``ValueError``:
    a sheet must not offer a barcode the bench would refuse. Two columns; a code too long
    for half the width at a 0.25 mm module takes a whole row; as many pages as the list
    needs.
    """
    if commands is None:
        commands = default_commands(grammar)
    entries = [*commands, *box_commands(boxes, grammar)]
    if not entries:
        raise ValueError("A command sheet needs at least one command.")
    for code, _words in entries:
        decoded = decode(code, grammar=grammar)
        if decoded.kind is not ScanKind.COMMAND or not decoded.valid:
            reason = "; ".join(decoded.errors) or f"it reads as {decoded.kind}"
            raise ValueError(f"{code!r} would not scan as a bench command: {reason}.")
    symbols = [code128_bars(code) for code, _ in entries]
    widths = [bars[-1][0] + bars[-1][1] + 2 * QUIET_MODULES for bars in symbols]
    half_width = (PAGE_WIDTH - 2 * MARGIN - GUTTER) / 2
    full_width = PAGE_WIDTH - 2 * MARGIN
    # A code fits a column when its bars at the smallest readable module leave room for the
    # words; one that does not takes a whole row, so a few long codes (a short pick with its
    # reason) do not push every other code into one column over several pages.
    narrow = [w for w in widths if (half_width - WORDS_WIDTH) / w >= MIN_MODULE]
    wide = [w for w in widths if (half_width - WORDS_WIDTH) / w < MIN_MODULE]
    narrow_module = min(MAX_MODULE, (half_width - WORDS_WIDTH) / max(narrow)) if narrow else 0.0
    wide_module = min(MAX_MODULE, (full_width - 2 * WORDS_WIDTH) / max(wide)) if wide else 0.0
    rows_per_page = int((TOP - BOTTOM) // ROW_PITCH)
    places: list[tuple[int, int, int, bool]] = []  # page, row, column, whole row
    page = row = column = 0
    for width in widths:
        whole = (half_width - WORDS_WIDTH) / width < MIN_MODULE
        if whole and column:
            row, column = row + 1, 0
        if row >= rows_per_page:
            page, row, column = page + 1, 0, 0
        places.append((page, row, column, whole))
        if whole or column:
            row, column = row + 1, 0
        else:
            column = 1
    page_count = places[-1][0] + 1

    buffer = io.BytesIO()
    canvas: Any = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle("Packbench command sheet")
    canvas.setAuthor("Packbench")
    for page in range(page_count):
        draw_text(canvas, MARGIN, PAGE_HEIGHT - MARGIN - 18, "Bench commands", 20, bold=True)
        draw_text(
            canvas,
            MARGIN,
            PAGE_HEIGHT - MARGIN - 38,
            "Scan a code to do what its button does.",
            10,
        )
        if page_count > 1:
            draw_text(
                canvas,
                PAGE_WIDTH - MARGIN,
                PAGE_HEIGHT - MARGIN - 18,
                f"Page {page + 1} of {page_count}",
                9,
                align="right",
            )
        for index, (on_page, row, column, whole) in enumerate(places):
            if on_page != page:
                continue
            left = MARGIN + column * (half_width + GUTTER)
            top = TOP - row * ROW_PITCH
            code, words = entries[index]
            if whole:
                module = wide_module
                width, bar_area = full_width, max(wide) * wide_module
            else:
                module = narrow_module
                width, bar_area = half_width, max(narrow) * narrow_module
            _entry(canvas, left, top, width, bar_area, module, code, words, symbols[index])
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _entry(
    canvas: Any,
    left: float,
    top: float,
    width: float,
    bar_area: float,
    module: float,
    code: str,
    words: str,
    bars: tuple[tuple[int, int], ...],
) -> None:
    """The barcode at the left of its cell, its text under it, the words big beside it."""
    quiet = QUIET_MODULES * module
    draw_bars(canvas, left + quiet, top - BAR_HEIGHT, bars, module, BAR_HEIGHT)
    small, size = fit_text(code, 7.5, bar_area - 2 * quiet)
    draw_text(canvas, left + quiet, top - BAR_HEIGHT - 10, small, size)
    words_left = left + bar_area + 4
    lines, size = fit_words(words, width - bar_area - 4)
    first = top - BAR_HEIGHT / 2 + (len(lines) - 1) * (size + 1) / 2 - size * 0.35
    for index, line in enumerate(lines):
        draw_text(canvas, words_left, first - index * (size + 1), line, size, bold=True)


def fit_words(words: str, width: float) -> tuple[list[str], float]:
    """``words`` in lines no wider than ``width``, at the largest size that needs no cut.

    A size fits when every word fits a line whole and the lines are at most three; below
    the smallest size the words are wrapped anyway, breaking a word rather than losing it.
    """
    for size in WORDS_SIZES:
        if all(text_width(word, size, bold=True) <= width for word in words.split()):
            lines = wrap_text(words, size, width, bold=True, max_lines=WORDS_LINES + 1)
            if len(lines) <= WORDS_LINES:
                return lines, size
    size = WORDS_SIZES[-1]
    return wrap_text(words, size, width, bold=True, max_lines=len(words) + 1), size
