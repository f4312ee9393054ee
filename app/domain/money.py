"""Money is Decimal in the order's currency, never float: rounding and the totals of lines.

Amounts are rounded once per line, to the currency's minor unit; an order's total is the sum
of its rounded lines (what an invoice prints and adds up). Writing money for people is
``app.domain.money_format``'s job.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

# ISO 4217 minor units of the currencies we meet; anything else has two.
_MINOR_UNITS = {"JPY": 0, "KRW": 0, "HUF": 2, "BHD": 3, "KWD": 3}


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-_MINOR_UNITS.get(currency.upper(), 2))


def round_money(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def line_total(quantity: int, unit_price: Decimal, tax_rate: Decimal, currency: str) -> Decimal:
    """Gross amount of a line: quantity × unit price × (1 + tax rate), rounded once."""
    return round_money(quantity * unit_price * (1 + tax_rate), currency)


def goods_total(lines: Iterable[tuple[int, Decimal, Decimal]], currency: str) -> Decimal:
    """Gross amount of the goods: the sum of each (quantity, unit price, tax rate) line's
    rounded total."""
    return sum((line_total(q, price, tax, currency) for q, price, tax in lines), Decimal(0))


def order_total(
    lines: Iterable[tuple[int, Decimal, Decimal]], shipping: Decimal, currency: str
) -> Decimal:
    """What the customer pays: the goods (``goods_total``) and the shipping charge."""
    return goods_total(lines, currency) + round_money(shipping, currency)
