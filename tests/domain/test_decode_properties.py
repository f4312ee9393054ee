"""Properties of decoding that must hold for every input, not just the examples."""

from __future__ import annotations

import calendar
import json

from hypothesis import given
from hypothesis import strategies as st

from app.domain.barcodes import gs1_check_digit
from app.domain.decode import (
    DEFAULT_GRAMMAR,
    Decoded,
    InMemoryCatalogue,
    ScanGrammar,
    ScanKind,
    classify,
    decode,
)
from app.domain.gs1 import parse_gs1

GS = "\x1d"
# Letters, digits and the punctuation lots and serials carry in practice (a subset of
# GS1's character set 82, without "<" so "<GS>" cannot turn up inside a value).
VALUE_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-./"
FIXED_LENGTH = {"00", "01", "17", "3103"}


def with_check_digit(body: str) -> str:
    return body + gs1_check_digit(body)


gtin14 = st.text("0123456789", min_size=13, max_size=13).map(with_check_digit)
sscc18 = st.text("0123456789", min_size=17, max_size=17).map(with_check_digit)
free_text = st.text(VALUE_CHARACTERS, min_size=1, max_size=20)


@st.composite
def gs1_dates(draw: st.DrawFn) -> str:
    year, month = draw(st.integers(0, 99)), draw(st.integers(1, 12))
    last_day = calendar.monthrange(2000 + year, month)[1]
    day = draw(st.integers(0, last_day))  # 00: the last day of the month
    return f"{year:02d}{month:02d}{day:02d}"


ELEMENTS = {
    "00": sscc18,
    "01": gtin14,
    "10": free_text,
    "17": gs1_dates(),
    "21": free_text,
    "3103": st.text("0123456789", min_size=6, max_size=6),
}


@st.composite
def element_strings(draw: st.DrawFn) -> tuple[str, dict[str, str]]:
    """An element string from a few AIs in random order, GS only where GS1 requires it."""
    ais = draw(st.lists(st.sampled_from(sorted(ELEMENTS)), min_size=1, max_size=6, unique=True))
    values = {ai: draw(ELEMENTS[ai]) for ai in ais}
    parts = []
    for position, ai in enumerate(ais):
        last = position == len(ais) - 1
        separator = "" if last or ai in FIXED_LENGTH else GS
        parts.append(ai + values[ai] + separator)
    return "".join(parts), values


@given(element_strings())
def test_any_valid_element_string_round_trips_through_decode(
    generated: tuple[str, dict[str, str]],
) -> None:
    text, values = generated
    decoded = decode("]C1" + text)
    assert decoded.valid, decoded.errors
    assert list(decoded.ais.items()) == list(values.items())
    assert decoded.gtin == values.get("01")
    assert decoded.sscc == values.get("00")
    assert (decoded.lot, decoded.serial) == (values.get("10"), values.get("21"))
    expected_kind = (
        ScanKind.SSCC if "00" in values else ScanKind.PRODUCT if "01" in values else ScanKind.GS1
    )
    assert decoded.kind is expected_kind


@given(element_strings())
def test_any_valid_element_string_round_trips_in_its_human_readable_form(
    generated: tuple[str, dict[str, str]],
) -> None:
    _, values = generated
    hri = "".join(f"({ai}){value}" for ai, value in values.items())
    assert list(decode(hri).ais.items()) == list(values.items())


@given(element_strings(), st.sampled_from(["~", "|", "<GS>"]))
def test_a_wedge_gs_substitute_reads_the_same_as_gs(
    generated: tuple[str, dict[str, str]], substitute: str
) -> None:
    text, values = generated
    grammar = ScanGrammar(gs_substitutes=(substitute,))
    decoded = decode("]C1" + text.replace(GS, substitute), grammar=grammar)
    assert list(decoded.ais.items()) == list(values.items())


@given(gtin14)
def test_every_form_of_a_gtin_decodes_to_the_same_14_digits(gtin: str) -> None:
    forms = {gtin, "]C101" + gtin}
    if gtin.startswith("0"):
        forms |= {gtin[1:], "]E0" + gtin[1:]}
    for form in forms:
        decoded = decode(form)
        assert (decoded.kind, decoded.gtin) == (ScanKind.PRODUCT, gtin)


@given(gtin14, st.integers(0, 12))
def test_a_bare_gtin_with_a_changed_digit_never_decodes_as_that_product(
    gtin: str, position: int
) -> None:
    changed = gtin[:position] + str((int(gtin[position]) + 1) % 10) + gtin[position + 1 :]
    assert decode(changed).gtin != gtin


@given(st.text())
def test_arbitrary_text_never_raises_and_always_says_why_when_invalid(text: str) -> None:
    decoded = decode(text)
    assert isinstance(decoded, Decoded)
    assert decoded.valid or decoded.errors
    assert decoded.reference is None or decoded.valid or decoded.kind is ScanKind.TEXT
    json.dumps(decoded.as_json())
    classify(decoded, InMemoryCatalogue())


PIECES = ("0", "1", "7", "9", "(", ")", "]", "C", "E", "d", "Q", "Y", "-", " ", "\r", "ß")
ALPHABET = st.sampled_from(
    [*PIECES, "%PB:", "ORD-", "B-", "<GS>", GS, "\xf1", "http://", "https://id.gs1.org/01/"]
)


@given(st.lists(ALPHABET, max_size=30).map("".join), st.none() | st.text(max_size=4))
def test_barcode_like_noise_never_raises(text: str, symbology: str | None) -> None:
    decoded = decode(text, symbology)
    assert decoded.valid or decoded.errors
    json.dumps(decoded.as_json())
    grammar = ScanGrammar(gs_dropped=True, scanner_prefix="]", gs_substitutes=("", "~"))
    assert isinstance(decode(text, symbology, grammar), Decoded)


@given(st.text())
def test_the_gs1_wrapper_never_raises(text: str) -> None:
    parsed = parse_gs1(text, separator_chars=(GS, "", "~~"), gs_dropped=True)
    assert parsed.ok or parsed.errors


@given(st.text())
def test_decoding_is_deterministic(text: str) -> None:
    assert decode(text) == decode(text, None, DEFAULT_GRAMMAR)


# --- the in-memory catalogue, kept current by merges ---------------------------------------------

# Few names, so products collide: a SKU that is another's alias, "mug-1" and "MUG-1", one GTIN
# written as 13 and as 14 digits.
CODES = ["MUG-1", "mug-1", "TEA-2", "5012345678900", "05012345678900", "4006381333931", "X"]
product_versions = st.builds(
    lambda product_id, sku, name, codes: {
        "id": product_id,
        "sku": sku,
        "name": name,
        "barcodes": [{"product_id": product_id, "code": c, "units": u} for c, u in codes],
    },
    st.integers(1, 5),
    st.sampled_from(CODES),
    st.sampled_from(["Mug", "Tea", "Cup"]),
    st.lists(st.tuples(st.sampled_from(CODES), st.integers(1, 3)), max_size=3),
)


@given(st.lists(st.lists(product_versions, max_size=4), min_size=1, max_size=5))
def test_a_catalogue_kept_current_by_merges_answers_as_one_built_at_once(
    merges: list[list[dict[str, object]]],
) -> None:
    kept = InMemoryCatalogue()
    latest: dict[object, dict[str, object]] = {}
    for batch in merges:
        changed = {version["id"]: version for version in batch}  # one pull: a product's latest
        kept.merge(
            list(changed.values()),
            [code for version in changed.values() for code in version["barcodes"]],  # type: ignore[attr-defined]
        )
        latest.update(changed)
    built = InMemoryCatalogue.from_rows(
        list(latest.values()),
        [code for version in latest.values() for code in version["barcodes"]],  # type: ignore[attr-defined]
    )
    for code in {*CODES, *(c.lower() for c in CODES), "0000005012345678900"[-13:]}:
        assert kept.product_by_code(code) == built.product_by_code(code), code
