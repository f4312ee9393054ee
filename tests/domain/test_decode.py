"""What a scan says (decode) and what it means at this bench (classify)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

import pytest

from app.domain.decode import (
    DEFAULT_GRAMMAR,
    Command,
    Decoded,
    InMemoryCatalogue,
    InvalidScanGrammar,
    ProductHit,
    ScanGrammar,
    ScanKind,
    classify,
    decode,
    show_text,
)
from app.domain.errors import DomainError
from tests.data.gs1_vectors import BUNDLED_VECTORS, shared_params, vector_params

GS = "\x1d"
CLI_KEYS = {"raw", "symbology", "kind", "gtin", "ais", "valid", "errors"}


def check_against_vector(vector: dict[str, Any]) -> None:
    """What the decode contract check asks: same validity, same keys and values."""
    decoded = decode(vector["input"])
    ais = {e["ai"]: e["value"] for e in vector.get("gs1_element_strings") or []}
    assert decoded.valid is vector["valid"], decoded.errors
    assert decoded.as_json()["valid"] is vector["valid"]
    assert list(decoded.ais.items()) == list(ais.items())
    gtin = vector["gtin"].zfill(14) if vector["gtin"] else ais.get("01")
    assert decoded.gtin == gtin
    assert decoded.sscc == (vector["sscc"] or ais.get("00"))
    if not vector["valid"]:
        assert decoded.errors


@pytest.mark.parametrize("vector", vector_params([BUNDLED_VECTORS]))
def test_decode_agrees_with_every_reference_vector(vector: dict[str, Any]) -> None:
    check_against_vector(vector)


@pytest.mark.parametrize("vector", shared_params())
def test_decode_agrees_with_the_shared_reference_vectors_too(vector: dict[str, Any]) -> None:
    check_against_vector(vector)


# --- decode: our own conventions ----------------------------------------------------------


@pytest.mark.parametrize("command", list(Command))
def test_every_command_word_has_a_barcode(command: Command) -> None:
    text = {Command.QTY: "%PB:QTY:2", Command.BOX: "%PB:BOX:M"}.get(command, f"%PB:{command}")
    decoded = decode(text)
    assert (decoded.kind, decoded.command, decoded.valid) == (ScanKind.COMMAND, command, True)


def test_a_quantity_command_carries_its_number() -> None:
    decoded = decode("%PB:QTY:6")
    assert (decoded.command, decoded.quantity) == (Command.QTY, 6)


def test_a_short_pick_carries_its_reason_and_refuses_one_it_does_not_know() -> None:
    decoded = decode("%pb:short:damaged")  # caps lock off on a wedge scanner
    assert (decoded.command, decoded.reference, decoded.valid) == (Command.SHORT, "DAMAGED", True)
    assert decode("%PB:SHORT").reference is None
    wrong = decode("%PB:SHORT:LOST")
    assert wrong.kind is ScanKind.COMMAND and not wrong.valid
    assert "%PB:SHORT:BIN-EMPTY" in " ".join(wrong.errors)


@pytest.mark.parametrize(
    "text", ["%PB:QTY:0", "%PB:QTY:", "%PB:QTY:1000", "%PB:QTY:six", "%PB:QTY:" + "9" * 5000]
)
def test_a_quantity_out_of_range_is_an_invalid_command(text: str) -> None:
    decoded = decode(text)
    assert (decoded.kind, decoded.valid) == (ScanKind.COMMAND, False)
    assert "from 1 to 999" in decoded.errors[-1]


def test_an_unknown_command_word_is_named_in_the_error() -> None:
    decoded = decode("%PB:DANCE")
    assert (decoded.kind, decoded.valid) == (ScanKind.COMMAND, False)
    assert "'DANCE' is not a command" in decoded.errors


def test_a_command_that_takes_no_value_refuses_one() -> None:
    assert not decode("%PB:CLOSE:2").valid


def test_commands_survive_a_caps_lock_that_flipped_the_case() -> None:
    assert decode("%pb:new-parcel").command is Command.NEW_PARCEL


@pytest.mark.parametrize("text", ["ORD-100234", "#100234", "ord-100234"])
def test_an_order_number_is_read_by_its_prefix(text: str) -> None:
    decoded = decode(text)
    assert (decoded.kind, decoded.reference, decoded.valid) == (ScanKind.ORDER, "100234", True)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("PL-000123", ScanKind.PICK_LIST),
        ("TOTE-017", ScanKind.TOTE),
        ("RA-000042", ScanKind.RETURN_AUTHORISATION),
        ("A-03-2", ScanKind.BIN),
        ("BULK-01", ScanKind.BIN),
        ("B-PACK-01", ScanKind.BADGE),
    ],
)
def test_our_printed_codes_are_read_by_their_prefix(text: str, kind: ScanKind) -> None:
    decoded = decode(text)
    assert (decoded.kind, decoded.reference, decoded.valid) == (kind, text, True)


def test_a_bin_in_zone_b_is_a_bin_not_a_badge() -> None:
    assert decode("B-11-4").kind is ScanKind.BIN
    assert decode("B-PACK-01").kind is ScanKind.BADGE


def test_a_bin_scanned_with_caps_lock_on_is_upper_cased() -> None:
    assert decode("a-03-2").reference == "A-03-2"


def test_a_badge_is_kept_exactly_as_read() -> None:
    assert decode("B-Anna-7").reference == "B-Anna-7"


@pytest.mark.parametrize("text", ["ORD-", "ORD-10 02", "TOTE-#1", "PL-" + "9" * 33])
def test_a_prefix_with_no_proper_identifier_is_refused_as_that_kind(text: str) -> None:
    decoded = decode(text)
    assert not decoded.valid
    assert decoded.kind is not ScanKind.UNKNOWN
    assert decoded.reference is None


@pytest.mark.parametrize("text", ["TEA-EARL-100", "15044B", "SUP-000123", "POST"])
def test_code_like_text_is_left_for_the_catalogue(text: str) -> None:
    decoded = decode(text)
    # Not valid on its own (no standard defines it, as biip's vectors agree); classify asks
    # the catalogue whether a product has it as SKU or alias.
    assert (decoded.kind, decoded.reference, decoded.valid) == (ScanKind.TEXT, text, False)
    assert "SKU or alias" in decoded.errors[0]


# --- decode: GS1 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scanned", ["96385074", "000096385074", "0000096385074", "00000096385074", "]E496385074"]
)
def test_a_product_matches_whichever_gtin_form_was_scanned(scanned: str) -> None:
    decoded = decode(scanned)
    assert (decoded.kind, decoded.gtin) == (ScanKind.PRODUCT, "00000096385074")


def test_upc_e_is_a_product_with_its_expanded_gtin() -> None:
    assert decode("04252614").gtin == "00042100005264"


def test_a_gtin_with_a_wrong_check_digit_names_the_expected_one() -> None:
    decoded = decode("5901234123458")
    assert (decoded.kind, decoded.valid) == (ScanKind.PRODUCT, False)
    assert decoded.errors == ("wrong GTIN check digit: expected 7, got 8",)


def test_an_sscc_with_a_wrong_check_digit_names_the_expected_one() -> None:
    decoded = decode("376130321109103421")
    assert (decoded.kind, decoded.valid) == (ScanKind.SSCC, False)
    assert decoded.errors == ("wrong SSCC check digit: expected 0, got 1",)


def test_a_mistyped_ean_that_reads_as_an_element_string_is_valid_but_warned_about() -> None:
    decoded = decode("4006381333932")  # AI 400, as the GS1 reference data has it
    assert (decoded.kind, decoded.valid) == (ScanKind.GS1, True)
    assert decoded.warnings[0].startswith("wrong GTIN check digit: expected 1")


def test_a_parcel_label_is_an_sscc() -> None:
    for text in ("376130321109103420", "00376130321109103420", "]C100376130321109103420"):
        decoded = decode(text)
        assert (decoded.kind, decoded.sscc, decoded.reference) == (
            ScanKind.SSCC,
            "376130321109103420",
            "376130321109103420",
        )


def test_a_gs1_128_with_lot_and_expiry_is_a_product() -> None:
    decoded = decode("]C1010950110153000310AB12" + GS + "17251200")
    assert decoded.kind is ScanKind.PRODUCT
    assert (decoded.symbology, decoded.gtin) == ("]C1", "09501101530003")
    assert (decoded.lot, decoded.expiry) == ("AB12", dt.date(2025, 12, 31))


def test_a_lot_label_without_a_product_is_gs1_data() -> None:
    decoded = decode("10ABC" + GS + "17251231")
    assert (decoded.kind, decoded.lot, decoded.gtin) == (ScanKind.GS1, "ABC", None)


@pytest.mark.parametrize("aim", ["]C1", "]d2", "]Q3", "]e0", "]J1"])
def test_an_aim_identifier_is_split_off_and_reported(aim: str) -> None:
    decoded = decode(aim + "0109501101530003")
    assert (decoded.symbology, decoded.gtin, decoded.kind) == (
        aim,
        "09501101530003",
        ScanKind.PRODUCT,
    )


def test_an_aim_identifier_reported_by_the_link_is_used_and_not_split_twice() -> None:
    assert decode("0109501101530003", symbology="]C1").symbology == "]C1"
    assert decode("]C10109501101530003", symbology="]C1").gtin == "09501101530003"


def test_a_gs1_aim_identifier_turns_digits_into_element_strings() -> None:
    # 13 digits that are a GTIN-13 bare, but in a GS1-128 symbol a serial under AI 21.
    assert decode("2135040039753").kind is ScanKind.PRODUCT
    decoded = decode("]C12135040039753")
    assert (decoded.kind, decoded.serial, decoded.gtin) == (ScanKind.GS1, "35040039753", None)


def test_a_code_128_without_fnc1_keeps_our_own_conventions() -> None:
    decoded = decode("]C0ORD-100234")
    assert (decoded.symbology, decoded.kind, decoded.reference) == ("]C0", ScanKind.ORDER, "100234")


def test_six_bare_digits_read_as_a_upc_e_with_or_without_the_identifier() -> None:
    assert decode("]E0425261").kind is ScanKind.PRODUCT
    assert decode("425261").kind is ScanKind.PRODUCT


def test_a_digital_link_is_a_product_with_its_lot() -> None:
    decoded = decode("https://id.gs1.org/01/09501101530003/10/AB12?17=251231")
    assert (decoded.kind, decoded.gtin, decoded.lot) == (
        ScanKind.PRODUCT,
        "09501101530003",
        "AB12",
    )


def test_the_human_readable_form_is_read() -> None:
    decoded = decode("(01)09501101530003(17)251231(10)AB12")
    assert decoded.ais == {"01": "09501101530003", "17": "251231", "10": "AB12"}


@pytest.mark.parametrize("substitute", ["~", "|", "^]"])
def test_a_wedge_that_sends_a_substitute_for_gs_is_understood(substitute: str) -> None:
    grammar = ScanGrammar(gs_substitutes=(substitute,))
    decoded = decode(f"010950110153000310AB12{substitute}17251231", grammar=grammar)
    assert decoded.ais == {"01": "09501101530003", "10": "AB12", "17": "251231"}


def test_ctrl_right_bracket_arriving_as_gs_needs_no_setting() -> None:
    decoded = decode("010950110153000310AB12" + GS + "17251231")
    assert decoded.expiry == dt.date(2025, 12, 31)


def test_gs_written_as_it_is_shown_can_be_pasted_back() -> None:
    shown = decode("010950110153000310AB12" + GS + "17251231").as_json()["raw"]
    assert shown == "010950110153000310AB12<GS>17251231"
    assert decode(shown).lot == "AB12"


def test_a_wedge_that_drops_gs_gets_the_expiry_back_when_set_up_for_it() -> None:
    text = "010950110153000310AB1217251231"
    assert decode(text).lot == "AB1217251231"
    decoded = decode(text, grammar=ScanGrammar(gs_dropped=True))
    assert (decoded.lot, decoded.expiry) == ("AB12", dt.date(2025, 12, 31))


def test_the_scanner_prefix_and_suffix_are_stripped() -> None:
    grammar = ScanGrammar(scanner_prefix="@@")
    decoded = decode("@@]C10109501101530003\r\n", grammar=grammar)
    assert (decoded.symbology, decoded.gtin) == ("]C1", "09501101530003")
    assert decode("@@ORD-100234\t", grammar=grammar).reference == "100234"


def test_a_leading_fnc1_as_gs_or_f1_marks_element_strings() -> None:
    assert decode(GS + "0109501101530003").gtin == "09501101530003"
    assert decode("\xf10109501101530003").gtin == "09501101530003"


# --- decode: what is not recognised ----------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\r\n"])
def test_nothing_read_is_said_plainly(text: str) -> None:
    decoded = decode(text)
    assert (decoded.kind, decoded.valid) == (ScanKind.UNKNOWN, False)
    assert decoded.errors == ("not recognised: nothing was read",)


def test_unreadable_text_names_what_was_read() -> None:
    decoded = decode("\x07\x07")
    assert (decoded.kind, decoded.valid) == (ScanKind.UNKNOWN, False)
    assert decoded.errors == ("not recognised: '<BEL><BEL>'",)


def test_letters_from_a_wrong_keyboard_layout_get_a_hint() -> None:
    decoded = decode("TEAßEARLß100")
    assert not decoded.valid
    assert "keyboard layout" in decoded.errors[-1]


def test_text_that_starts_like_gs1_and_fails_is_not_taken_for_a_sku() -> None:
    decoded = decode("1022222222222222222222aaa")
    assert (decoded.kind, decoded.valid) == (ScanKind.UNKNOWN, False)
    assert decoded.errors[0] == "not recognised: '1022222222222222222222aaa'"


# --- the decode JSON contract -----------------------------------------------------------------


def test_as_json_has_the_cli_contract_keys() -> None:
    assert decode("5012345678900").as_json().keys() >= CLI_KEYS
    assert decode("5012345678900").as_json().keys() == decode("XYZ\x00").as_json().keys()


def test_as_json_is_plain_json_with_iso_dates() -> None:
    shown = json.loads(json.dumps(decode("]C10109501101530003" + "17251231").as_json()))
    assert shown["expiry"] == "2025-12-31"
    assert shown["ais"] == {"01": "09501101530003", "17": "251231"}
    assert (shown["kind"], shown["valid"], shown["errors"]) == ("product", True, [])


def test_show_text_names_control_characters() -> None:
    assert show_text("a\x1db\r\n\x7f\u00a0") == "a<GS>b<CR><LF><DEL><U+00A0>"
    assert show_text("Müller 5×") == "Müller 5×"


# --- the grammar ------------------------------------------------------------------------------


def test_a_grammar_with_a_broken_bin_pattern_is_refused_with_a_reason() -> None:
    with pytest.raises(InvalidScanGrammar, match="bin_pattern"):
        ScanGrammar(bin_pattern="([A-Z")


def test_a_grammar_cannot_make_gtin_lengths_order_numbers() -> None:
    with pytest.raises(InvalidScanGrammar, match=r"\[8\]"):
        ScanGrammar(bare_order_lengths=(6, 8))


def test_a_grammar_cannot_give_two_kinds_one_prefix() -> None:
    with pytest.raises(InvalidScanGrammar, match="share a prefix"):
        ScanGrammar(tote_prefix="PL-")


def test_a_grammar_prefix_cannot_start_with_a_digit() -> None:
    with pytest.raises(DomainError, match="clash with product barcodes"):
        ScanGrammar(return_prefix="9-")


def test_a_grammar_is_plain_data_that_can_be_varied() -> None:
    grammar = replace(DEFAULT_GRAMMAR, bin_pattern=r"^R\d{2}S\d{2}$")
    assert decode("R01S02", grammar=grammar).kind is ScanKind.BIN
    assert decode("A-03-2", grammar=grammar).kind is ScanKind.TEXT
    assert grammar == replace(DEFAULT_GRAMMAR, bin_pattern=r"^R\d{2}S\d{2}$")


# --- classify ---------------------------------------------------------------------------------


@pytest.fixture
def catalogue() -> InMemoryCatalogue:
    return InMemoryCatalogue.from_rows(
        products=[
            {"id": 1, "sku": "TEA-EARL-100", "name": "Earl Grey 100 g", "lot_tracked": True},
            {"id": 2, "sku": "10002", "name": "Inflatable globe"},
            {"id": 3, "sku": "SPOON-SET-4", "name": "Spoon set", "serial_tracked": True},
        ],
        barcodes=[
            {"product_id": 1, "code": "05012345678900", "units": 1},
            {"product_id": 1, "code": "15012345678907", "units": 6},
            {"product_id": 2, "code": "SUP-000123", "units": 1},
        ],
        orders=["100234", "M-2001"],
        bins=["A-03-2", "BULK-01"],
    )


def test_a_product_barcode_names_the_product(catalogue: InMemoryCatalogue) -> None:
    meaning = classify(decode("5012345678900"), catalogue)
    assert (meaning.kind, meaning.units, meaning.message) == (
        ScanKind.PRODUCT,
        1,
        "Earl Grey 100 g",
    )
    assert meaning.product == ProductHit(1, "TEA-EARL-100", "Earl Grey 100 g", 1, False, True)


def test_a_case_barcode_counts_its_units(catalogue: InMemoryCatalogue) -> None:
    meaning = classify(decode("15012345678907"), catalogue)
    assert (meaning.units, meaning.message) == (6, "Earl Grey 100 g ×6 (case)")


def test_a_pending_quantity_multiplies_the_units(catalogue: InMemoryCatalogue) -> None:
    qty = classify(decode("%PB:QTY:3"), catalogue)
    assert (qty.kind, qty.units, qty.message) == (
        ScanKind.COMMAND,
        3,
        "Quantity 3 for the next item",
    )
    assert classify(decode("5012345678900"), catalogue, quantity=3).units == 3
    case = classify(decode("15012345678907"), catalogue, quantity=3)
    assert (case.units, case.message) == (18, "Earl Grey 100 g ×18 (3 cases of 6)")


def test_gs1_data_adds_lot_and_expiry_to_the_message(catalogue: InMemoryCatalogue) -> None:
    meaning = classify(decode("]C10105012345678900" + "10L42" + GS + "17261100"), catalogue)
    assert meaning.message == "Earl Grey 100 g · lot L42 · use by 2026-11-30"


def test_a_gtin_no_product_has_is_unknown_with_the_barcode_named(
    catalogue: InMemoryCatalogue,
) -> None:
    meaning = classify(decode("4006381333931"), catalogue)
    assert (meaning.kind, meaning.message) == (
        ScanKind.UNKNOWN,
        "Unknown barcode 4006381333931: no product has it",
    )
    assert meaning.decoded.valid  # the syntax was fine; the meaning is what is unknown


@pytest.mark.parametrize("text", ["TEA-EARL-100", "tea-earl-100", "SUP-000123", "10002"])
def test_a_sku_or_alias_finds_its_product(catalogue: InMemoryCatalogue, text: str) -> None:
    assert classify(decode(text), catalogue).kind is ScanKind.PRODUCT


def test_a_bare_order_number_is_found_though_it_reads_as_a_upc_e(
    catalogue: InMemoryCatalogue,
) -> None:
    assert classify(decode("100234"), catalogue).message == "Order 100234"
    assert classify(decode("10002"), catalogue).message == "Inflatable globe"


def test_an_order_number_with_letters_is_found_as_text(catalogue: InMemoryCatalogue) -> None:
    assert classify(decode("M-2001"), catalogue).kind is ScanKind.ORDER


def test_a_prefixed_order_that_does_not_exist_is_said_so(catalogue: InMemoryCatalogue) -> None:
    meaning = classify(decode("ORD-999999"), catalogue)
    assert (meaning.kind, meaning.message) == (
        ScanKind.UNKNOWN,
        "Unknown order 999999: no order has that number here",
    )


def test_bins_are_checked(catalogue: InMemoryCatalogue) -> None:
    assert classify(decode("A-03-2"), catalogue).message == "Bin A-03-2"
    assert classify(decode("C-99-9"), catalogue).message == (
        "Unknown bin C-99-9: no bin has that code here"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("PL-000123", "Pick list PL-000123"),
        ("TOTE-017", "Tote TOTE-017"),
        ("RA-000042", "Return authorisation RA-000042"),
        ("%PB:CLOSE", "Close parcel"),
        ("376130321109103420", "Parcel SSCC 376130321109103420"),
        ("10ABC" + GS + "17251231", "GS1 data without a product: (10)ABC(17)251231"),
    ],
)
def test_every_other_kind_gets_a_short_sentence(
    catalogue: InMemoryCatalogue, text: str, message: str
) -> None:
    meaning = classify(decode(text), catalogue)
    assert meaning.message == message
    assert meaning.kind is decode(text).kind


def test_a_badge_is_never_repeated_in_the_message(catalogue: InMemoryCatalogue) -> None:
    meaning = classify(decode("B-PACK-01"), catalogue)
    assert (meaning.kind, meaning.message) == (ScanKind.BADGE, "Badge")


def test_unknown_text_is_not_recognised_in_words(catalogue: InMemoryCatalogue) -> None:
    meaning = classify(decode("XYZ123"), catalogue)
    assert (meaning.kind, meaning.message) == (
        ScanKind.UNKNOWN,
        "Not recognised: 'XYZ123' is not a product, order, bin or command here",
    )


def test_a_wrong_check_digit_is_refused_with_the_expected_digit(
    catalogue: InMemoryCatalogue,
) -> None:
    meaning = classify(decode("5012345678901"), catalogue)
    assert meaning.kind is ScanKind.UNKNOWN
    assert meaning.message == (
        "Not recognised: '5012345678901': wrong GTIN check digit: expected 0, got 1"
    )


def test_a_mistyped_ean_that_reads_as_gs1_is_refused(catalogue: InMemoryCatalogue) -> None:
    meaning = classify(decode("4006381333932"), catalogue)
    assert meaning.kind is ScanKind.UNKNOWN
    assert "expected 1" in meaning.message


def test_an_alias_that_is_not_a_valid_gtin_still_finds_its_product() -> None:
    catalogue = InMemoryCatalogue()
    # A misprinted code the product really carries:
    catalogue.put_product(7, "MUG-BLUE-350", "Blue mug 350 ml", barcodes=[("5012345678901", 1)])
    assert classify(decode("5012345678901"), catalogue).message == "Blue mug 350 ml"


def test_a_quantity_below_one_is_a_programming_error(catalogue: InMemoryCatalogue) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        classify(decode("5012345678900"), catalogue, quantity=0)


# --- the in-memory catalogue ------------------------------------------------------------------


@pytest.mark.parametrize("code", ["5012345678900", "05012345678900", "0005012345678900"[2:]])
def test_the_catalogue_finds_a_gtin_in_any_form(catalogue: InMemoryCatalogue, code: str) -> None:
    hit = catalogue.product_by_code(code)
    assert hit is not None and hit.sku == "TEA-EARL-100"


def test_a_barcode_for_a_product_not_in_the_rows_is_refused() -> None:
    with pytest.raises(DomainError, match="product 99 is not in the rows"):
        InMemoryCatalogue.from_rows([], [{"product_id": 99, "code": "5012345678900"}])


def test_a_merged_product_answers_to_its_new_barcodes_only(catalogue: InMemoryCatalogue) -> None:
    catalogue.merge(
        products=[
            {"id": 1, "sku": "TEA-EARL-100", "name": "Earl Grey loose 100 g"},
            {"id": 4, "sku": "CUP-RED-200", "name": "Red cup"},
        ],
        barcodes=[
            {"product_id": 1, "code": "15012345678907", "units": 12},
            {"product_id": 4, "code": "05012345678900", "units": 1},  # moved from the tea
        ],
        orders=["100301"],
        bins=["c-01-1"],
    )
    assert classify(decode("5012345678900"), catalogue).message == "Red cup"
    case = classify(decode("15012345678907"), catalogue)
    assert (case.message, case.units) == ("Earl Grey loose 100 g ×12 (case)", 12)
    assert classify(decode("tea-earl-100"), catalogue).message == "Earl Grey loose 100 g"
    assert classify(decode("ORD-100301"), catalogue).message == "Order 100301"
    assert classify(decode("ORD-100234"), catalogue).message == "Order 100234"
    assert classify(decode("C-01-1"), catalogue).message == "Bin C-01-1"


def test_decoded_values_are_plain_frozen_data() -> None:
    decoded = decode("5012345678900")
    assert isinstance(decoded, Decoded)
    with pytest.raises(AttributeError):
        decoded.valid = False  # type: ignore[misc]
