import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.barcodes import (
    BarcodeKind,
    classify_barcode,
    gs1_check_digit,
    is_valid_gtin,
    make_gtin13,
    normalize_gtin,
)
from app.domain.errors import InvalidBarcode


@pytest.mark.parametrize(
    "gtin", ["96385074", "036000291452", "4006381333931", "5012345678900", "10012345678902"]
)
def test_published_gtins_are_valid(gtin: str) -> None:
    assert is_valid_gtin(gtin)


def test_every_form_of_a_gtin_is_stored_as_the_same_14_digits() -> None:
    assert normalize_gtin("036000291452") == normalize_gtin("0036000291452") == "00036000291452"


def test_a_wrong_check_digit_names_the_expected_one() -> None:
    with pytest.raises(InvalidBarcode, match="expected 0"):
        normalize_gtin("5012345678901")


def test_anything_that_is_not_a_gtin_is_an_alias() -> None:
    assert classify_barcode("MUG-BLUE-350") == (BarcodeKind.ALIAS, "MUG-BLUE-350")
    assert classify_barcode(" 5012345678900 ") == (BarcodeKind.GTIN, "05012345678900")


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_made_gtin13s_are_valid_and_one_changed_digit_is_caught(body: str) -> None:
    gtin = make_gtin13(body)
    assert is_valid_gtin(gtin)
    for position in range(13):
        digit = str((int(gtin[position]) + 1) % 10)
        assert not is_valid_gtin(gtin[:position] + digit + gtin[position + 1 :])


def test_check_digit_of_a_known_gtin() -> None:
    assert gs1_check_digit("501234567890") == "0"
