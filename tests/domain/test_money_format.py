"""Amounts, rates and dates as each document locale writes them (CLDR, checked by hand)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.domain.money_format import (
    LOCALES,
    format_amount,
    format_date,
    format_figure,
    format_quantity,
    format_rate,
)

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("locale", "currency", "amount", "expected"),
    [
        ("de_DE", "EUR", "1234.56", f"1.234,56{NBSP}€"),
        ("de_DE", "EUR", "-1234.56", f"-1.234,56{NBSP}€"),
        ("de_AT", "EUR", "1234.56", f"€{NBSP}1.234,56"),
        ("en_GB", "GBP", "1234.56", "£1,234.56"),
        ("en_GB", "GBP", "-1234.56", "-£1,234.56"),
        ("en_GB", "USD", "1234.56", "US$1,234.56"),
        ("en_US", "USD", "1234.56", "$1,234.56"),
        ("en_GB", "PLN", "1234.56", f"PLN{NBSP}1,234.56"),  # letters are spaced from digits
        ("ja_JP", "JPY", "1235", "￥1,235"),
        ("en_GB", "JPY", "1235", "JP¥1,235"),
        ("pl_PL", "PLN", "1234.56", f"1{NBSP}234,56{NBSP}zł"),
        ("pl_PL", "EUR", "1234567.8", f"1{NBSP}234{NBSP}567,80{NBSP}€"),
        ("pl_PL", "GBP", "12.00", f"12,00{NBSP}GBP"),
        ("el_GR", "EUR", "1234.56", f"1.234,56{NBSP}€"),
        ("fr_FR", "EUR", "1234.56", f"1{NNBSP}234,56{NBSP}€"),
        ("nl_NL", "EUR", "-1234.56", f"€{NBSP}-1.234,56"),
        ("de_DE", "BHD", "1.5", f"1,500{NBSP}BHD"),  # three minor units
        ("de_DE", "EUR", "-0.00", f"0,00{NBSP}€"),  # no minus on nothing
        ("de_DE", "EUR", "0.0125", f"0,0125{NBSP}€"),  # a unit price keeps its places
        ("de_DE", "EUR", "12.3400", f"12,34{NBSP}€"),  # but not trailing zeros
        ("de_DE", "EUR", "1E+3", f"1.000,00{NBSP}€"),
    ],
)
def test_amounts_are_written_as_the_locale_writes_money(
    locale: str, currency: str, amount: str, expected: str
) -> None:
    assert format_amount(Decimal(amount), currency, locale) == expected


def test_nothing_is_rounded_so_an_unrounded_amount_shows() -> None:
    assert format_amount(Decimal("1234.5"), "JPY", "ja_JP") == "￥1,234.5"
    assert format_figure(Decimal("0.125"), "EUR", "de_DE") == "0,125"


def test_figures_have_the_separators_without_the_currency() -> None:
    assert format_figure(Decimal("1234.5"), "EUR", "de_DE") == "1.234,50"
    assert format_figure(Decimal("-1234.5"), "GBP", "en_GB") == "-1,234.50"
    assert format_figure(Decimal("1235"), "JPY", "ja_JP") == "1,235"


@pytest.mark.parametrize(
    ("locale", "rate", "expected"),
    [
        ("de_DE", "0.19", f"19{NBSP}%"),
        ("de_DE", "0.055", f"5,5{NBSP}%"),
        ("en_GB", "0.20", "20%"),
        ("en_GB", "0.10", "10%"),
        ("pl_PL", "0.23", "23%"),
        ("ja_JP", "0", "0%"),
    ],
)
def test_tax_rates_are_written_as_percentages(locale: str, rate: str, expected: str) -> None:
    assert format_rate(Decimal(rate), locale) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("de_DE", "02.05.2026"),
        ("en_GB", "02/05/2026"),
        ("en_US", "5/2/2026"),
        ("pl_PL", "2.05.2026"),
        ("el_GR", "2/5/2026"),
        ("ja_JP", "2026/05/02"),
        ("nl_NL", "02-05-2026"),
    ],
)
def test_dates_are_short_with_the_full_year(locale: str, expected: str) -> None:
    assert format_date(dt.date(2026, 5, 2), locale) == expected


def test_quantities_are_grouped() -> None:
    assert format_quantity(1000, "de_DE") == "1.000"
    assert format_quantity(1000, "en_GB") == "1,000"
    assert format_quantity(12, "pl_PL") == "12"


def test_a_locale_may_be_written_with_a_hyphen() -> None:
    assert format_amount(Decimal(1), "EUR", "de-DE") == f"1,00{NBSP}€"


def test_an_unknown_locale_is_refused_with_the_ones_there_are() -> None:
    with pytest.raises(ValueError, match=r"'xx_YY'.*de_DE.*pl_PL") as error:
        format_amount(Decimal(1), "EUR", "xx_YY")
    assert all(name in str(error.value) for name in LOCALES)
