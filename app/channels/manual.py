"""Orders typed in by hand, as JSON: ``packbench order create FILE.json`` and scripts.

One order object, a list of them, or ``{"orders": [...]}``::

    {"reference": "PHONE-2026-0042",        # the order's identity: the same again updates it
     "number": "M-1042",                    # optional: a suggestion, kept when it is free
     "currency": "EUR",
     "customer": {"name": "Zoë Brontë", "email": "zoe@example.com", "phone": "+48 ..."},
     "ship_to": {"name": "Zoë Brontë", "line1": "ul. Piotrkowska 1", "city": "Łódź",
                 "postcode": "90-001", "country": "PL"},
     "bill_to": {...},                      # optional, the same shape
     "carrier": "DPD", "service": "Classic",
     "lines": [{"sku": "MUG-BLUE-350", "name": "Blue mug", "quantity": 2,
                "unit_price": "9.90", "tax_rate": "0.23"}]}

An existing customer is found by their email, as the import finds them. The orders go
through the one order writer with the import's rules (review holds, allocation).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import IO, Any

from app.channels import fields as f
from app.channels.drafts import (
    AddressDraft,
    ChannelState,
    CustomerDraft,
    LineDraft,
    OrderDraft,
    Read,
    UnreadableFile,
)

CHANNEL = "manual"


def read(stream: IO[str], source: str) -> Iterator[Read]:
    data = f.load_json(stream, source)
    if isinstance(data, list):
        orders = data
    elif isinstance(data, Mapping) and isinstance(data.get("orders"), list):
        orders = data["orders"]
    elif isinstance(data, Mapping) and "lines" in data:
        orders = [data]
    else:
        raise UnreadableFile(
            f'{source} does not hold orders: expected an order object (with "lines") or a list '
            "of them (docs/orders.md shows the shape). Nothing was created."
        )
    return f.each_order(orders, source, "reference", map_order)


def map_order(order: Mapping[str, Any], where: str) -> OrderDraft:
    reference = f.text(order, "reference")
    if not reference:
        raise f.BadField("reference", "missing: give each order a reference of your own")
    lines = [_line(path, item) for path, item in f.objects(order.get("lines"), "lines")]
    f.require_lines(lines, ChannelState.OPEN, "lines", "the order has no lines")
    placed = f.text(order, "placed_at")
    return OrderDraft(
        channel=CHANNEL,
        external_id=reference,
        number=f.text(order, "number") or reference,
        placed_at=f.iso_time(placed, "placed_at") if placed else datetime.now(UTC),
        currency=f.currency_code(f.text(order, "currency"), "currency"),
        lines=tuple(lines),
        where=where,
        customer=_customer(order.get("customer")),
        ship_to=_address(order.get("ship_to"), "ship_to"),
        bill_to=_address(order.get("bill_to"), "bill_to"),
        carrier=f.text(order, "carrier") or None,
        service=f.text(order, "service") or None,
        shipping_total=f.places(f.money(order, "shipping_total", "shipping_total", default=f.ZERO)),
        state=ChannelState.OPEN,
        channel_status="typed in",
    )


def _line(path: str, item: Mapping[str, Any]) -> LineDraft:
    sku = f.text(item, "sku")
    if not sku:
        raise f.BadField(f"{path}.sku", "missing: every line names the product's SKU")
    return LineDraft(
        sku=sku,
        name=f.text(item, "name") or sku,
        quantity=f.quantity(item, "quantity", f"{path}.quantity"),
        unit_price=f.places(f.money(item, "unit_price", f"{path}.unit_price")),
        tax_rate=f.rate(item, "tax_rate", f"{path}.tax_rate"),
        source=path,
    )


def _customer(data: Any) -> CustomerDraft | None:
    if data is None:
        return None
    customer = f.obj(data, "customer")
    name = f.text(customer, "name")
    if not name:
        raise f.BadField("customer.name", "missing: the customer needs a name")
    return CustomerDraft(
        name=name,
        email=f.text(customer, "email") or None,
        phone=f.text(customer, "phone") or None,
    )


def _address(data: Any, field: str) -> AddressDraft | None:
    if data is None:
        return None
    a = f.obj(data, field)
    return f.address(
        name=f.text(a, "name"),
        company=f.text(a, "company"),
        line1=f.text(a, "line1"),
        line2=f.text(a, "line2"),
        city=f.text(a, "city"),
        region=f.text(a, "region"),
        postcode=f.text(a, "postcode"),
        country_code=f.text(a, "country"),
        phone=f.text(a, "phone"),
        field=field,
    )
