"""Scans are bounded: longer than any barcode is refused at once; below that, linear work."""

from __future__ import annotations

from collections.abc import Callable

import biip
import pytest
from biip.gs1_element_strings import GS1ElementString

from app.domain.decode import TOO_LONG, InMemoryCatalogue, ScanKind, classify, decode
from app.domain.gs1 import GS, parse_gs1
from app.domain.scans import LONGEST_SYMBOL


@pytest.mark.parametrize("length", [LONGEST_SYMBOL + 1, 200_000, 2_000_000])
def test_a_scan_longer_than_any_barcode_is_refused_unread(length: int) -> None:
    decoded = decode("1" * length)
    assert (decoded.kind, decoded.valid, decoded.errors) == (ScanKind.UNKNOWN, False, (TOO_LONG,))
    assert decoded.too_long and decoded.data == ""
    meaning = classify(decoded, InMemoryCatalogue())
    assert meaning.message == TOO_LONG
    assert len(meaning.message) < 200  # says what is wrong; does not repeat the flood


def test_the_bound_counts_the_code_not_the_scanners_framing() -> None:
    decoded = decode("]Q3" + "1" * LONGEST_SYMBOL + "\r")
    assert not decoded.too_long
    assert decoded.symbology == "]Q3"


@pytest.fixture
def handed_to_biip(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many characters biip's field parser is handed, call by call (a spy, not a fake)."""
    lengths: list[int] = []
    extract = GS1ElementString.extract.__func__  # type: ignore[attr-defined]

    def counting(cls: type[GS1ElementString], value: str, **kwargs: object) -> GS1ElementString:
        lengths.append(len(value))
        return extract(cls, value, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(GS1ElementString, "extract", classmethod(counting))
    return lengths


def _whole(unit: str, n: int) -> str:
    return unit * (n // len(unit))


def _dates(n: int) -> str:
    return _whole("11111111", n)  # AI 11, production date 11-11-11: the most fields per char


def _fields(n: int) -> str:
    return _whole("0105012345678900" + "10L42" + GS, n)  # GTIN, then a lot ended by GS


@pytest.mark.parametrize("make", [_dates, _fields], ids=["dates", "fields"])
def test_decode_below_the_bound_hands_biip_work_in_step_with_the_length(
    make: Callable[[int], str], handed_to_biip: list[int]
) -> None:
    per_character = []
    for n in (LONGEST_SYMBOL // 2, LONGEST_SYMBOL):
        text = make(n)
        handed_to_biip.clear()
        decoded = decode(text)
        assert decoded.valid, decoded.errors
        per_character.append(sum(handed_to_biip) / len(text))
    # Linear work: the same per character at twice the length. (Reading each field from
    # the whole rest of the text, as biip.parse does, doubles it.)
    assert per_character[1] < 1.3 * per_character[0], per_character


@pytest.mark.parametrize(
    "text",
    [
        "]C1" + "0105012345678900" + "10" + "L" * 20 + GS + "17261130" + "21" + "S" * 20,
        "]C1" + "0105012345678900" + "17261130" + "10" + "L" * 20 + GS + "21" + "S" * 20,
        "]d2" + ("0105012345678900" + "10LOT-" + "7" * 14 + GS) * 8,
        "]Q3" + "00106141412345678908" + "400" + "P" * 30 + GS + "420" + "D" * 20,
        "1" * 300,
        "]C1" + "0105012345678901" + "10L42" + GS + "17261130" * 20,  # wrong GTIN check digit
        "]C1" + "9" * 100,  # AI 99: 90 characters at most, then more AI 99
        "]C1" + "1" * 99 + "X",  # fails part-way
        "]Q1" + "0105012345678900" * 10,  # not a GS1 identifier: biip tries everything
    ],
)
def test_long_element_strings_read_as_biip_reads_them(text: str) -> None:
    assert len(text) > 64  # past the length biip.parse is used for as it is
    ours = parse_gs1(text)
    expected = biip.parse(text)
    if expected.gs1_message is None:
        assert not ours.ok
        return
    ais: dict[str, str] = {}
    for element in expected.gs1_message.element_strings:
        ais.setdefault(element.ai.ai, element.value)
    assert dict(ours.ais) == ais
    assert ours.gtin == (expected.gtin.as_gtin_14() if expected.gtin else None)
    assert ours.sscc == (expected.sscc.value if expected.sscc else None)
