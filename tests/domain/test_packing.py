"""The packing rules on plain values: boxes, weights, SSCCs, which scan counts."""

from __future__ import annotations

import pytest
from biip.checksums import gs1_standard_check_digit

from app.domain.packing import (
    LineState,
    OverScan,
    SerialRefused,
    WeightNeeded,
    WrongItem,
    check_item,
    check_serial,
    expected_weight,
    next_action,
    parse_boxes,
    parse_typed_weight,
    sscc,
)


def tea(packed: int = 0, allocated: int = 3) -> LineState:
    return LineState(2, 7, "TEA-EARL-100", "Earl Grey", "B-11-4", 3, 0, allocated, packed)


def test_boxes_come_from_one_readable_setting() -> None:
    boxes = parse_boxes("S: 250x180x100 mm, 150 g; m : 350 × 250 × 150, 260g")
    assert [(b.code, b.length_mm, b.tare_g) for b in boxes] == [("S", 250, 150), ("M", 350, 260)]
    assert boxes[1].label == "Box M 350×250×150 mm"
    with pytest.raises(ValueError, match="is not a box: write CODE: LxWxH mm, TARE g"):
        parse_boxes("M 350x250")
    with pytest.raises(ValueError, match="box S is listed twice"):
        parse_boxes("S: 1x1x1, 1 g; S: 2x2x2, 2 g")


@pytest.mark.parametrize(
    ("typed", "grams"), [("1.25", 1250), ("1,25 kg", 1250), ("1250 g", 1250), (".5", 500)]
)
def test_a_typed_weight_reads_as_a_person_types_it(typed: str, grams: int) -> None:
    assert parse_typed_weight(typed) == grams


@pytest.mark.parametrize("typed", ["", "heavy", "0", "80 kg"])
def test_a_typed_weight_that_cannot_be_a_parcel_is_refused(typed: str) -> None:
    with pytest.raises(WeightNeeded):
        parse_typed_weight(typed)


def test_the_expected_weight_is_items_plus_box_within_the_tolerance() -> None:
    weight = expected_weight([380, 380], 150, 10, 50)
    assert (weight.expected_g, weight.low_g, weight.high_g) == (910, 819, 1001)
    assert weight.accepts(1000) and not weight.accepts(1002)
    assert expected_weight([100], 0, 10, 50).low_g == 50  # never tighter than 50 g
    assert expected_weight([100, None], 150, 10, 50).accepts(99_000)  # unknown: no check


def test_an_sscc_is_prefix_serial_and_the_gs1_check_digit() -> None:
    code = sscc(3, "0614141", 123456789)
    assert code[:-1] == "30614141123456789"
    assert int(code[-1]) == gs1_standard_check_digit(code[:-1])
    with pytest.raises(ValueError, match="does not fit the 9 digits"):
        sscc(0, "0614141", 10**9)


def test_a_scan_counts_on_its_line_or_says_why_not() -> None:
    assert check_item([tea()], 7, 1, "TEA-EARL-100").line_no == 2
    with pytest.raises(WrongItem, match="MUG is not on this order"):
        check_item([tea()], 8, 1, "MUG")
    with pytest.raises(OverScan, match="3 of 3 already packed"):
        check_item([tea(packed=3)], 7, 1, "TEA-EARL-100")
    with pytest.raises(OverScan, match="only 1 of 3 are in stock for this order"):
        check_item([tea(packed=1, allocated=1)], 7, 1, "TEA-EARL-100")


def test_a_serial_is_needed_once() -> None:
    line = tea()
    assert check_serial(line, " SN-1 ", packed_elsewhere=False) == "SN-1"
    line.serials.append("SN-1")
    with pytest.raises(SerialRefused, match="Serial SN-1 of TEA-EARL-100 is already packed"):
        check_serial(line, "SN-1", packed_elsewhere=False)
    with pytest.raises(SerialRefused, match="already packed"):
        check_serial(tea(), "SN-9", packed_elsewhere=True)  # in another order's parcel
    with pytest.raises(SerialRefused, match="needs its serial number"):
        check_serial(tea(), "  ", packed_elsewhere=False)


def test_the_next_action_is_one_sentence() -> None:
    assert next_action([tea(packed=1)], 1, None) == "scan 2 more TEA-EARL-100"
    assert next_action([tea(packed=3)], 3, None).startswith("everything is packed")
    assert next_action([tea()], 0, "SPOON") == "scan the serial number of SPOON"
