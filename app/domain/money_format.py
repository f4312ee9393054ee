"""Amounts, rates, quantities and dates written the way a locale writes them: the one place
that formats money, for documents and screens alike.

A small table, not the operating system's locale database: a station's PC may have no
``pl_PL`` locale installed, and ``locale.setlocale`` is process-wide. The separators, the
symbol's place and each locale's currency symbols are the Unicode CLDR's (checked against
CLDR 45), for the locales listed in ``LOCALES``; another locale is refused by name.

Two choices differ from CLDR on purpose:

- Four-digit amounts are always grouped (``1 234,56 zł``, ``1.234,56 €`` in Spanish). CLDR
  leaves them ungrouped in running text for Polish and Spanish, but both languages' style
  guides group them in columns of figures, and an invoice is one.
- Nothing is rounded here. The domain computes money (``app.domain.money``); an amount is
  printed with the currency's minor units, or more places when it has them (a unit price of
  0.0125), so an amount the domain forgot to round shows rather than being hidden.

A currency without a symbol in the locale prints its ISO code where the symbol goes, spaced
from the figures as CLDR spaces letters from digits (``PLN 1,234.56`` in ``en_GB``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from app.domain.money import quantum, round_money

__all__ = [
    "LOCALES",
    "LocaleStyle",
    "format_amount",
    "format_date",
    "format_figure",
    "format_money",
    "format_quantity",
    "format_rate",
    "style_of",
]

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space: French groups digits with it


@dataclass(frozen=True)
class LocaleStyle:
    """How one locale writes numbers, money and dates."""

    name: str
    decimal: str
    group: str
    symbol_first: bool  # "£1,234.56" rather than "1.234,56 €"
    symbol_space: str  # between the symbol and the figures: "" or a no-break space
    minus_after_symbol: bool  # Dutch: "€ -1.234,56"
    percent_space: str  # between the figure and "%"
    date_pattern: str  # CLDR-style fields: d, dd, M, MM, y
    symbols: dict[str, str] = field(hash=False)  # ISO code -> symbol; others print the code

    def symbol(self, currency: str) -> str:
        code = currency.upper()
        return self.symbols.get(code, code)


def _style(
    name: str,
    decimal: str,
    group: str,
    *,
    symbol_first: bool,
    symbol_space: str,
    date: str,
    symbols: dict[str, str],
    percent_space: str = "",
    minus_after_symbol: bool = False,
) -> LocaleStyle:
    return LocaleStyle(
        name,
        decimal,
        group,
        symbol_first,
        symbol_space,
        minus_after_symbol,
        percent_space,
        date,
        symbols,
    )


_EURO_ZONE_GERMAN = {"EUR": "€", "GBP": "£", "USD": "$", "JPY": "¥"}
_ENGLISH = {"EUR": "€", "GBP": "£", "USD": "US$", "JPY": "JP¥"}

_STYLES: dict[str, LocaleStyle] = {
    style.name: style
    for style in (
        _style(
            "en_GB", ".", ",", symbol_first=True, symbol_space="", date="dd/MM/y", symbols=_ENGLISH
        ),
        _style(
            "en_IE", ".", ",", symbol_first=True, symbol_space="", date="dd/MM/y", symbols=_ENGLISH
        ),
        _style(
            "en_US",
            ".",
            ",",
            symbol_first=True,
            symbol_space="",
            date="M/d/y",
            symbols={"EUR": "€", "GBP": "£", "USD": "$", "JPY": "¥"},
        ),
        _style(
            "de_DE",
            ",",
            ".",
            symbol_first=False,
            symbol_space=NBSP,
            percent_space=NBSP,
            date="dd.MM.y",
            symbols=_EURO_ZONE_GERMAN,
        ),
        _style(
            "de_AT",
            ",",
            ".",
            symbol_first=True,
            symbol_space=NBSP,
            percent_space=NBSP,
            date="dd.MM.y",
            symbols=_EURO_ZONE_GERMAN,
        ),
        _style(
            "pl_PL",
            ",",
            NBSP,
            symbol_first=False,
            symbol_space=NBSP,
            date="d.MM.y",
            symbols={"EUR": "€", "PLN": "zł"},
        ),
        _style(
            "el_GR",
            ",",
            ".",
            symbol_first=False,
            symbol_space=NBSP,
            date="d/M/y",
            symbols={"EUR": "€", "GBP": "£", "USD": "$", "JPY": "JP¥"},
        ),
        _style(
            "ja_JP",
            ".",
            ",",
            symbol_first=True,
            symbol_space="",
            date="y/MM/dd",
            # Japanese writes its own yen full-width.
            symbols={"EUR": "€", "GBP": "£", "USD": "$", "JPY": "￥"},
        ),
        _style(
            "fr_FR",
            ",",
            NNBSP,
            symbol_first=False,
            symbol_space=NBSP,
            percent_space=NBSP,
            date="dd/MM/y",
            symbols={"EUR": "€", "GBP": "£GB", "USD": "$US"},
        ),
        _style(
            "it_IT",
            ",",
            ".",
            symbol_first=False,
            symbol_space=NBSP,
            date="dd/MM/y",
            symbols={"EUR": "€", "GBP": "£"},
        ),
        _style(
            "es_ES",
            ",",
            ".",
            symbol_first=False,
            symbol_space=NBSP,
            percent_space=NBSP,
            date="d/M/y",
            symbols={"EUR": "€", "USD": "US$"},
        ),
        _style(
            "nl_NL",
            ",",
            ".",
            symbol_first=True,
            symbol_space=NBSP,
            minus_after_symbol=True,
            date="dd-MM-y",
            symbols={"EUR": "€", "GBP": "£", "USD": "US$", "JPY": "JP¥"},
        ),
    )
}

LOCALES: tuple[str, ...] = tuple(sorted(_STYLES))


def style_of(locale: str) -> LocaleStyle:
    """The style of ``locale`` ("de_DE"; "de-DE" is read the same).

    Raises ``ValueError`` naming the locales there are.
    """
    style = _STYLES.get(locale.replace("-", "_"))
    if style is None:
        raise ValueError(
            f"Locale {locale!r} is not one documents are formatted for; "
            f"use one of {', '.join(LOCALES)}."
        )
    return style


def _places(amount: Decimal, currency: str) -> int:
    minor = -int(quantum(currency).as_tuple().exponent)
    exponent = amount.normalize().as_tuple().exponent  # 12.3400 has two places, not four
    own = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return max(minor, own)


def _digits(value: Decimal, places: int, style: LocaleStyle) -> str:
    """``abs(value)`` with ``places`` decimals and the locale's separators."""
    text = f"{abs(value):,.{places}f}"
    return text.translate({ord(","): style.group, ord("."): style.decimal})


def _is_negative(value: Decimal) -> bool:
    return value < 0  # -0.00 is not: it prints without a sign


def format_figure(amount: Decimal, currency: str, locale: str) -> str:
    """The amount's figures without the currency, as a column under "Net EUR" shows them."""
    style = style_of(locale)
    text = _digits(amount, _places(amount, currency), style)
    return "-" + text if _is_negative(amount) else text


def format_amount(amount: Decimal, currency: str, locale: str) -> str:
    """The amount with its currency, e.g. ``1.234,56 €`` (de_DE), ``£1,234.56`` (en_GB)."""
    style = style_of(locale)
    figures = _digits(amount, _places(amount, currency), style)
    symbol = style.symbol(currency)
    minus = "-" if _is_negative(amount) else ""
    if not style.symbol_first:
        return f"{minus}{figures}{style.symbol_space or NBSP}{symbol}"
    space = style.symbol_space or (NBSP if symbol[-1].isalpha() else "")
    if style.minus_after_symbol:
        return f"{symbol}{space}{minus}{figures}"
    return f"{minus}{symbol}{space}{figures}"


def format_money(amount: Decimal, currency: str, locale: str = "en_GB") -> str:
    """An amount the domain has not rounded yet, rounded to the currency's minor unit and
    written as ``format_amount`` writes it (a screen's column of totals)."""
    return format_amount(round_money(amount, currency), currency, locale)


def format_quantity(quantity: int, locale: str) -> str:
    """A count of units with the locale's grouping: ``1.000`` (de_DE), ``1,000`` (en_GB)."""
    style = style_of(locale)
    text = f"{abs(quantity):,d}".replace(",", style.group)
    return "-" + text if quantity < 0 else text


def format_rate(rate: Decimal, locale: str) -> str:
    """A tax rate given as a fraction: ``Decimal("0.19")`` is ``19 %`` (de_DE), ``19%`` (en_GB)."""
    style = style_of(locale)
    percent = (rate * 100).normalize()
    places = max(0, -int(percent.as_tuple().exponent))
    return f"{_digits(percent, places, style)}{style.percent_space}%"


def format_date(date: dt.date, locale: str) -> str:
    """A date in the locale's short numeric form with the full year: ``12.05.2026`` (de_DE)."""
    fields = {
        "dd": f"{date.day:02d}",
        "d": str(date.day),
        "MM": f"{date.month:02d}",
        "M": str(date.month),
        "y": str(date.year),
    }
    out: list[str] = []
    pattern = style_of(locale).date_pattern
    index = 0
    while index < len(pattern):
        token = pattern[index : index + 2]
        if token in fields:
            out.append(fields[token])
            index += 2
        elif pattern[index] in fields:
            out.append(fields[pattern[index]])
            index += 1
        else:
            out.append(pattern[index])
            index += 1
    return "".join(out)
