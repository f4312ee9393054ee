"""Money is Decimal in the order's currency, never float; this is the one place that formats it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# ISO 4217 minor units of the currencies we meet; anything else has two.
_MINOR_UNITS = {"JPY": 0, "KRW": 0, "HUF": 2, "BHD": 3, "KWD": 3}
_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "JPY": "¥", "PLN": "zł", "SEK": "kr", "KRW": "₩"}


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-_MINOR_UNITS.get(currency.upper(), 2))


def round_money(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def format_money(amount: Decimal, currency: str) -> str:
    rounded = round_money(amount, currency)
    text = f"{rounded:,.{max(0, -quantum(currency).as_tuple().exponent)}f}"  # type: ignore[operator]
    symbol = _SYMBOLS.get(currency.upper())
    return f"{symbol}{text}" if symbol and len(symbol) == 1 else f"{text} {currency.upper()}"


def line_total(quantity: int, unit_price: Decimal, tax_rate: Decimal, currency: str) -> Decimal:
    """Gross amount of a line: quantity × unit price × (1 + tax rate), rounded once."""
    return round_money(quantity * unit_price * (1 + tax_rate), currency)
