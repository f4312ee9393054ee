"""The pick list's rows, written as PDF operators, read back as a picker and a scanner would.

The rows' ASCII text goes straight into the page (printing/picklist.py ``_PageOps``); these
are the strings that path must not spoil: PDF's own delimiters, a backslash, and text beside
it in other scripts (drawn through ``draw_text``). The list through the command line is
tests/picking/test_picklist_command.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from reportlab.pdfbase import pdfmetrics

from printing.fonts import BOLD, REGULAR, ascii_width, registered
from printing.picklist import PickDestination, PickListDocument, PickListLine, pick_list_pdf
from tests.printing.readback import barcodes_of, text_of

NAMES = ("Mug (large) 1\\2", "Grüne Tasse", "東京 mug", "Plate) (bowl")


def _document() -> PickListDocument:
    lines = tuple(
        PickListLine(
            f"A-{i:02d}-1",
            "A",
            f"SKU-{i}",
            name,
            f"0501234567890{i}",
            2,
            (PickDestination(1, f"10000{i}", 1, "TOTE-001"), PickDestination(2, "200(a)", 1)),
        )
        for i, name in enumerate(NAMES)
    )
    return PickListDocument(
        "PL-T-000001",
        "PL-T-000001",
        datetime(2026, 12, 3, 12, tzinfo=UTC),
        "T-01",
        "Priya",
        "wave",
        "carrier DPD",
        ("A",),
        5,
        lines,
    )


def test_delimiters_backslashes_and_other_scripts_print_as_written(tmp_path: Path) -> None:
    pdf = pick_list_pdf(_document())

    text = text_of(pdf, tmp_path)
    for name in NAMES:
        assert name in text
    assert "1 in slot 2 / 200(a)" in text
    codes = {symbol.data for symbol in barcodes_of(pdf, tmp_path)}
    assert {f"0501234567890{i}" for i in range(len(NAMES))} | {"PL-T-000001"} <= codes


def test_ascii_widths_are_reportlabs_own() -> None:
    for name in (REGULAR, BOLD):
        for text in ("A-01-1", "Mug (large) 1\\2", "~!@#$%^&*_+{}|:<>?", ""):
            expected = pdfmetrics.stringWidth(text, registered(name), 10.5)
            assert ascii_width(text, name, 10.5) == expected
