"""The documents refuse data that would print a wrong or unscannable label."""

from __future__ import annotations

import pytest

from printing.documents import Party, ShippingLabel, SlipLine
from tests.printing.samples import SSCC, label


def test_a_label_carries_the_sscc_as_element_string_hri_and_digital_link() -> None:
    made = label()
    assert made.element_string == "00" + SSCC
    assert made.sscc_hri == "(00) " + SSCC
    assert made.digital_link == f"https://id.gs1.org/00/{SSCC}"


def test_a_wrong_sscc_check_digit_is_refused_naming_the_expected_digit() -> None:
    with pytest.raises(ValueError, match=r"wrong check digit: 1, expected 0"):
        label(sscc=SSCC[:-1] + "1")


@pytest.mark.parametrize("bad", ["37613032110910342", "3761303211091034200", "37613032110910342X"])
def test_an_sscc_that_is_not_18_digits_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="must be exactly 18 digits"):
        label(sscc=bad)


@pytest.mark.parametrize(("number", "count"), [(0, 2), (3, 2), (1, 0)])
def test_a_parcel_number_outside_the_parcel_count_is_refused(number: int, count: int) -> None:
    with pytest.raises(ValueError, match="parcel"):
        label(parcel_no=number, parcel_count=count)


def test_weight_prints_in_kilograms_to_the_gram_or_as_a_dash() -> None:
    assert label(weight_g=1250).weight_text == "1.250 kg"
    assert label(weight_g=7).weight_text == "0.007 kg"
    assert label(weight_g=None).weight_text == "—"


@pytest.mark.parametrize("country", ["de", "DEU", "", "D1"])
def test_a_country_must_be_an_iso_alpha_2_code(country: str) -> None:
    with pytest.raises(ValueError, match="ISO 3166 alpha-2"):
        Party("Jürgen Müller", ("10115 Berlin",), country)


def test_a_slip_line_cannot_have_negative_quantities() -> None:
    with pytest.raises(ValueError, match="TEA-1: to_come cannot be negative"):
        SlipLine("TEA-1", "Tea", ordered=1, in_this_shipment=1, shipped_before=1, to_come=-1)


def test_documents_are_frozen() -> None:
    made = label()
    with pytest.raises(AttributeError):
        made.sscc = SSCC  # type: ignore[misc]
    assert isinstance(made, ShippingLabel)
