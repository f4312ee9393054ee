"""The command sheet: every barcode on it scans back as the command it says it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.commands import handled_commands
from app.domain.decode import COMMAND_WORDS, SHORT_REASONS, Command, ScanKind, decode
from printing.commands_sheet import DEFAULT_BOXES, box_commands, command_sheet_pdf, default_commands
from tests.printing.readback import barcodes_of, pages_of, text_of


def test_the_default_sheet_has_every_handled_command_quantities_and_boxes() -> None:
    codes = [code for code, _ in default_commands()]
    standalone = [c for c in handled_commands() if c not in (Command.QTY, Command.BOX)]
    assert codes[: len(standalone)] == [f"%PB:{c.value}" for c in standalone]
    # a short pick with its reason in one scan (the Pick workspace), then the quantities
    reasons = [f"%PB:SHORT:{r}" for r in SHORT_REASONS] if Command.SHORT in standalone else []
    rest = codes[len(standalone) :]
    assert rest == [*reasons, *(f"%PB:QTY:{n}" for n in range(2, 7))]
    assert box_commands([("M", "Medium")]) == [("%PB:BOX:M", "Box M: Medium")]


def test_commands_no_screen_acts_on_yet_are_not_on_the_sheet() -> None:
    codes = {code for code, _ in default_commands()}
    assert f"%PB:{Command.PRINT.value}" not in codes
    assert {"%PB:CLOSE", "%PB:SIGN-OUT", "%PB:REPRINT", "%PB:QTY:2"} <= codes
    assert {"%PB:RESTOCK", "%PB:QUARANTINE", "%PB:SCRAP"} <= codes  # the returns desk's
    assert {"%PB:SHORT", "%PB:SHORT:BIN-EMPTY"} <= codes  # the Pick workspace's


def test_every_code_on_the_default_sheet_scans_back_exactly(tmp_path: Path) -> None:
    expected = [*default_commands(), *box_commands(DEFAULT_BOXES)]
    pdf = command_sheet_pdf()
    # one page of the bench's codes; the pick's short-with-reason codes are wider (a row each)
    assert len(pages_of(pdf, tmp_path)) <= 2
    symbols = barcodes_of(pdf, tmp_path, resolution=300, mono=False)
    assert sorted(s.data for s in symbols) == sorted(code for code, _ in expected)
    assert {s.type for s in symbols} == {"CODE-128"}
    for symbol in symbols:
        scanned = decode(symbol.data)
        assert (scanned.kind, scanned.valid) == (ScanKind.COMMAND, True), symbol.data


def test_the_words_are_printed_beside_the_codes(tmp_path: Path) -> None:
    text = " ".join(text_of(command_sheet_pdf(), tmp_path).split())
    for word in (COMMAND_WORDS[Command.CLOSE], "Quantity 6", "Box L: Large", "%PB:CLOSE"):
        assert word in text


def test_configured_boxes_with_long_codes_get_a_single_column_and_still_scan(
    tmp_path: Path,
) -> None:
    boxes = [(f"CARTON-{n:03d}X", f"Carton {n}") for n in range(30)]
    pdf = command_sheet_pdf([("%PB:CLOSE", "Close parcel")], boxes=boxes)
    pages = pages_of(pdf, tmp_path)
    assert len(pages) == 3
    assert "Page 3 of 3" in pages[-1]
    symbols = barcodes_of(pdf, tmp_path, resolution=300, mono=False)
    assert sorted(s.data for s in symbols) == sorted(
        ["%PB:CLOSE", *(f"%PB:BOX:{code}" for code, _ in boxes)]
    )


@pytest.mark.parametrize("code", ["ORD-100234", "%PB:FLY", "%PB:QTY:0", "%PB:BOX:"])
def test_a_code_the_bench_would_refuse_is_not_printed(code: str) -> None:
    with pytest.raises(ValueError, match="would not scan as a bench command"):
        command_sheet_pdf([(code, "Nonsense")], boxes=())
