"""Invoices and credit notes for the printing tests, with their figures worked out here.

The domain computes an invoice's money; these samples do the same sums the simplest way
(per-line rounding, half up) so the documents hold figures that add up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from printing.documents import DocumentKind, InvoiceDocument, InvoiceLine, Party, TaxBreakdownRow
from tests.printing.samples import JUERGEN, WAREHOUSE, sscc

SELLER = Party(
    "Packbench Demo Trading Ltd",
    ("Unit 4, Canal Wharf", "Leeds LS11 5PS"),
    "GB",
)
WARSAW = Party(
    "Zofia Wiśniewska-Łęcka",
    ("ul. Świętokrzyska 14/7", "00-050 Warszawa", "mazowieckie"),
    "PL",
)
ATHENS = Party("Νίκος Παπαδόπουλος", ("Οδός Ερμού 12", "105 63 Αθήνα"), "GR")
TOKYO = Party("山田太郎", ("東京都渋谷区神南1-2-3", "渋谷マンション 101号室", "150-0041"), "JP")

_CENT = {"JPY": Decimal(1)}


def _round(value: Decimal, currency: str) -> Decimal:
    return value.quantize(_CENT.get(currency, Decimal("0.01")), rounding=ROUND_HALF_UP)


def line(
    number: int,
    *,
    quantity: int = 2,
    unit_price: str = "12.50",
    discount: str = "0",
    rate: str = "0.19",
    name: str = "Earl Grey loose leaf tea, 100 g tin",
    shipment: str | None = "S-100234-1",
    parcel: int | None = 1,
    currency: str = "EUR",
) -> InvoiceLine:
    price, off, tax_rate = Decimal(unit_price), Decimal(discount), Decimal(rate)
    net = _round(quantity * price - off, currency)
    return InvoiceLine(
        sku=f"TEA-EARL-{number:03d}",
        name=name,
        quantity=quantity,
        unit_price=price,
        discount=off,
        tax_rate=tax_rate,
        net=net,
        gross=net + _round(net * tax_rate, currency),
        shipment_number=shipment,
        sscc=None if parcel is None else sscc(parcel),
    )


def invoice(lines: tuple[InvoiceLine, ...] | None = None, **changes: Any) -> InvoiceDocument:
    """An invoice for order 100234 billed to Jürgen in Berlin, shipped to Warsaw."""
    if lines is None:
        lines = (
            line(1),
            line(2, quantity=1, unit_price="7.99", rate="0.07", name="Shortbread"),
            line(3, quantity=3, unit_price="4.20", discount="1.26", parcel=2),
            line(4, quantity=1, unit_price="4.90", name="Shipping", shipment=None, parcel=None),
        )
    currency = changes.get("currency", "EUR")
    rows: dict[Decimal, tuple[Decimal, Decimal]] = {}
    for each in lines:
        net, gross = rows.get(each.tax_rate, (Decimal(0), Decimal(0)))
        rows[each.tax_rate] = (net + each.net, gross + each.gross)
    breakdown = tuple(
        TaxBreakdownRow(rate, net, gross - net, gross)
        for rate, (net, gross) in sorted(rows.items())
    )
    base = InvoiceDocument(
        kind=DocumentKind.INVOICE,
        number="INV-ST01-2026-000123",
        issued_on=dt.date(2026, 5, 12),
        currency=currency,
        locale="de_DE",
        seller=SELLER,
        seller_tax_id="GB123456789",
        bill_to=JUERGEN,
        ship_to=WARSAW,
        order_number="100234",
        lines=lines,
        tax_breakdown=breakdown,
        net_total=sum((row.net for row in breakdown), Decimal(0)),
        tax_total=sum((row.tax for row in breakdown), Decimal(0)),
        gross_total=sum((row.gross for row in breakdown), Decimal(0)),
        payment_terms="Payable within 14 days without deduction.\nIBAN DE89 3704 0044 0532 0130 00",
        due_on=dt.date(2026, 5, 26),
        buyer_tax_id="DE811907980",
        customer_reference="PO-4711",
    )
    return replace(base, **changes)


def credit_note(**changes: Any) -> InvoiceDocument:
    """A credit note for two of the tins on invoice INV-ST01-2026-000123."""
    base = invoice(
        (line(1, quantity=2),),
        kind=DocumentKind.CREDIT_NOTE,
        number="CRN-ST01-2026-000007",
        issued_on=dt.date(2026, 6, 2),
        corrects="INV-ST01-2026-000123",
        corrects_issued_on=dt.date(2026, 5, 12),
        due_on=None,
        payment_terms="Refunded to the original means of payment within 5 working days.",
    )
    return replace(base, **changes)


def long_invoice(count: int = 400, **changes: Any) -> InvoiceDocument:
    """``count`` lines over three parcels of two shipments, some names long enough to wrap."""
    lines = tuple(
        line(
            number,
            quantity=number % 7 + 1,
            unit_price=f"{number % 50 + 1}.{number % 100:02d}",
            rate=("0.19", "0.07")[number % 3 == 0],
            name="Loose leaf tea " + "blend " * (number % 9),
            shipment="S-100234-1" if number <= count // 2 else "S-100234-2",
            parcel=1 + 3 * number // (count + 1),
        )
        for number in range(1, count + 1)
    )
    return invoice(lines, **changes)


__all__ = [
    "ATHENS",
    "JUERGEN",
    "SELLER",
    "TOKYO",
    "WAREHOUSE",
    "WARSAW",
    "credit_note",
    "invoice",
    "line",
    "long_invoice",
]
