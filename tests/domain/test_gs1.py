"""GS1 syntax through biip, as the rest of Packbench sees it (app.domain.gs1)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from app.domain.gs1 import GS, Gs1Form, parse_gs1
from tests.data.gs1_vectors import BUNDLED_VECTORS, shared_params, vector_params


def expected_ais(vector: dict[str, Any]) -> dict[str, str]:
    return {e["ai"]: e["value"] for e in vector.get("gs1_element_strings") or []}


def check_against_vector(vector: dict[str, Any]) -> None:
    parsed = parse_gs1(vector["input"])
    ais = expected_ais(vector)
    assert parsed.ok is vector["valid"], (parsed.errors, parsed.warnings)
    assert list(parsed.ais.items()) == list(ais.items())
    if vector["gtin"]:
        assert parsed.gtin == vector["gtin"].zfill(14)
    if vector["sscc"]:
        assert parsed.sscc == vector["sscc"]
    if not vector["valid"]:
        assert parsed.errors


@pytest.mark.parametrize("vector", vector_params([BUNDLED_VECTORS]))
def test_parse_agrees_with_every_reference_vector(vector: dict[str, Any]) -> None:
    check_against_vector(vector)


@pytest.mark.parametrize("vector", shared_params())
def test_parse_agrees_with_the_shared_reference_vectors_too(vector: dict[str, Any]) -> None:
    check_against_vector(vector)


@pytest.mark.parametrize("scanned", ["96385074", "000096385074", "0000096385074", "00000096385074"])
def test_every_form_of_a_gtin_comes_out_as_the_same_14_digits(scanned: str) -> None:
    parsed = parse_gs1(scanned)
    assert (parsed.form, parsed.gtin) == (Gs1Form.GTIN, "00000096385074")


def test_upc_e_is_expanded_to_its_gtin() -> None:
    assert parse_gs1("04252614").form is Gs1Form.UPC_E
    assert parse_gs1("04252614").gtin == parse_gs1("042100005264").gtin == "00042100005264"


def test_upc_e_after_an_ean_upc_symbology_identifier_is_expanded_too() -> None:
    parsed = parse_gs1("]E0425261")
    assert (parsed.symbology, parsed.gtin) == ("]E0", "00042100005264")


def test_a_bare_sscc_is_read_as_an_sscc() -> None:
    parsed = parse_gs1("376130321109103420")
    assert (parsed.form, parsed.sscc, parsed.gtin) == (Gs1Form.SSCC, "376130321109103420", None)


def test_an_element_string_gives_gtin_lot_and_expiry_in_scan_order() -> None:
    parsed = parse_gs1("]C1010950110153000310AB12" + GS + "17251231")
    assert parsed.symbology == "]C1"
    assert parsed.gtin == "09501101530003"
    assert list(parsed.ais.items()) == [("01", "09501101530003"), ("10", "AB12"), ("17", "251231")]
    assert (parsed.lot, parsed.expiry) == ("AB12", dt.date(2025, 12, 31))


def test_day_00_in_a_date_means_the_last_day_of_the_month() -> None:
    assert parse_gs1("0109501101530003" + "17240200").expiry == dt.date(2024, 2, 29)


def test_an_impossible_date_is_an_error() -> None:
    parsed = parse_gs1("0109501101530003" + "17250230")
    assert not parsed.ok
    assert "date" in parsed.errors[0]


def test_serial_and_best_before_are_read() -> None:
    parsed = parse_gs1("(01)09501101530003(15)260131(21)SN-0042")
    assert parsed.form is Gs1Form.HRI
    assert (parsed.serial, parsed.best_before) == ("SN-0042", dt.date(2026, 1, 31))


def test_a_leading_fnc1_written_as_f1_is_dropped_and_later_ones_separate_fields() -> None:
    parsed = parse_gs1("\xf1010950110153000310AB12\xf117251231")
    assert parsed.ais == {"01": "09501101530003", "10": "AB12", "17": "251231"}


def test_separator_substitutes_of_any_length_act_as_gs() -> None:
    for separator in ("~", "<GS>"):
        parsed = parse_gs1(
            f"010950110153000310AB12{separator}17251231", separator_chars=(GS, separator)
        )
        assert parsed.ais == {"01": "09501101530003", "10": "AB12", "17": "251231"}


def test_without_a_separator_a_lot_swallows_what_follows_it() -> None:
    assert parse_gs1("010950110153000310AB1217251231").lot == "AB1217251231"


def test_a_scanner_that_drops_fnc1_gets_fixed_length_fields_back() -> None:
    parsed = parse_gs1("010950110153000310AB1217251231", gs_dropped=True)
    assert parsed.ais == {"01": "09501101530003", "10": "AB12", "17": "251231"}
    assert parsed.expiry == dt.date(2025, 12, 31)


def test_dropped_fnc1_recovery_keeps_one_trailing_variable_field() -> None:
    parsed = parse_gs1("10AB121725123121XYZ", gs_dropped=True)
    assert parsed.ais == {"10": "AB12", "17": "251231", "21": "XYZ"}


def test_dropped_fnc1_recovery_leaves_a_lot_that_holds_no_valid_field_alone() -> None:
    assert parse_gs1("10LOT2104", gs_dropped=True).lot == "LOT2104"
    assert parse_gs1("10AB1217251331", gs_dropped=True).lot == "AB1217251331"  # month 13


def test_a_digital_link_uri_is_read_with_its_qualifiers_and_query() -> None:
    parsed = parse_gs1("https://id.gs1.org/01/09501101530003/10/AB12?17=251231")
    assert parsed.form is Gs1Form.DIGITAL_LINK
    assert parsed.ais == {"01": "09501101530003", "10": "AB12", "17": "251231"}


def test_an_upper_case_digital_link_from_an_alphanumeric_qr_code_is_read() -> None:
    assert parse_gs1("HTTPS://ID.GS1.ORG/01/09501101530003").gtin == "09501101530003"


def test_a_wrong_gtin_check_digit_names_the_expected_one() -> None:
    parsed = parse_gs1("5901234123458")
    assert not parsed.ok
    assert parsed.errors == ("Invalid GTIN check digit for '5901234123458': Expected 7, got 8.",)


def test_a_key_with_a_wrong_check_digit_inside_a_message_is_a_warning_and_unused() -> None:
    parsed = parse_gs1("00376130321109103421")
    assert parsed.ok
    assert parsed.sscc is None
    assert "Expected 0, got 1" in parsed.warnings[0]


def test_bare_digits_that_also_read_as_element_strings_keep_the_gtin_reading() -> None:
    parsed = parse_gs1("2135040039753")  # a GTIN-13, and AI 21 serial "35040039753"
    assert (parsed.form, parsed.gtin) == (Gs1Form.GTIN, "02135040039753")
    assert parsed.ais == {"21": "35040039753"}
    assert parsed.serial is None


@pytest.mark.parametrize("odd", ["", "]", "]Y", "]Yx", "]Z", "(", "(01)", "http://", "\x00"])
def test_odd_input_is_an_error_entry_never_an_exception(odd: str) -> None:
    parsed = parse_gs1(odd)
    assert not parsed.ok
    assert parsed.errors


def test_no_module_but_gs1_imports_biip() -> None:
    app = Path(__file__).parents[2] / "app"
    importers = {
        path.relative_to(app).as_posix()
        for path in app.rglob("*.py")
        if any(
            line.startswith(("import biip", "from biip"))
            for line in path.read_text(encoding="utf-8").splitlines()
        )
    }
    assert importers == {"domain/gs1.py"}
