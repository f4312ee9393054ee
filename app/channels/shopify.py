"""Shopify orders as the Admin REST API returns them: ``{"order": {...}}`` or ``{"orders": [...]}``.

Field meanings are Shopify's (Admin API "Order" resource; docs/import-formats.md has the
mapping): a line's ``price`` is the unit price before discounts, ``discount_allocations`` (or
the older ``total_discount``) the discount on the whole line, ``tax_lines[].rate`` a fraction,
and ``taxes_included`` says whether prices include tax. Amounts are in the shop currency
(``currency``), not the customer's presentment currency.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
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
from app.channels.quantities import Counts, lines_for, settled

CHANNEL = "shopify"

S = ChannelState
# financial_status values (Admin API): only these say the money is there or secured.
FINANCIAL_STATES: dict[str, ChannelState] = {
    "paid": S.OPEN,
    "authorized": S.OPEN,  # authorised, captured when fulfilled
    "partially_refunded": S.OPEN,  # refunded lines are taken off, the rest ships
    "pending": S.UNPAID,
    "partially_paid": S.UNPAID,
    "expired": S.UNPAID,  # authorisation ran out before capture
    "unpaid": S.UNPAID,
    "refunded": S.CANCELLED,
    "voided": S.CANCELLED,
}


def read(stream: IO[str], source: str) -> Iterator[Read]:
    data = f.load_json(stream, source)
    if isinstance(data, Mapping) and isinstance(data.get("order"), Mapping):
        orders = [data["order"]]
    elif isinstance(data, Mapping) and isinstance(data.get("orders"), list):
        orders = data["orders"]
    elif isinstance(data, list):
        orders = data
    elif isinstance(data, Mapping) and "line_items" in data:
        orders = [data]
    else:
        raise UnreadableFile(
            f'{source} does not hold Shopify orders: expected {{"order": {{...}}}} or '
            '{"orders": [...]} as the Admin API returns them. Nothing was imported.'
        )
    return f.each_order(orders, source, "id", map_order)


def state_of(order: Mapping[str, Any]) -> tuple[ChannelState, str]:
    financial = f.text(order, "financial_status")
    fulfilment = f.text(order, "fulfillment_status")
    if order.get("cancelled_at"):
        return S.CANCELLED, "cancelled"
    if fulfilment == "fulfilled":
        return S.COMPLETED, "fulfilled"
    if fulfilment == "restocked":  # "every line item ... restocked and the order canceled"
        return S.CANCELLED, "restocked"
    return FINANCIAL_STATES.get(financial, S.ON_HOLD), financial or "(no financial status)"


def map_order(order: Mapping[str, Any], where: str) -> OrderDraft:
    external_id = str(f.whole(order, "id", "id"))
    state, status = state_of(order)
    taxes_included = order.get("taxes_included") is True
    order_rate = sum(
        (f.rate(t, "rate", f"{p}.rate") for p, t in f.objects(order.get("tax_lines"), "tax_lines")),
        f.ZERO,
    )
    refunded: dict[str, int] = {}
    for path, refund in f.objects(order.get("refunds"), "refunds"):
        for p, r in f.objects(refund.get("refund_line_items"), f"{path}.refund_line_items"):
            key = f.text(r, "line_item_id")
            gone = f.quantity(r, "quantity", f"{p}.quantity", minimum=0)
            refunded[key] = refunded.get(key, 0) + gone
    shipped: dict[str, int] = {}
    for path, done in f.objects(order.get("fulfillments"), "fulfillments"):
        if f.text(done, "status") != "success":  # pending, open, cancelled, error, failure
            continue
        for p, r in f.objects(done.get("line_items"), f"{path}.line_items"):
            key = f.text(r, "id")
            sent = f.quantity(r, "quantity", f"{p}.quantity", minimum=0)
            shipped[key] = shipped.get(key, 0) + sent
    counted = []
    for path, item in f.objects(order.get("line_items"), "line_items"):
        line = _line(path, item, order_rate, taxes_included)
        if line is not None:
            key = line.external_line_id or ""
            counts = Counts(
                line.quantity, refunded=refunded.get(key, 0), shipped=shipped.get(key, 0)
            )
            counted.append((line, counts))
    state = settled(state, [c for _, c in counted])
    lines = lines_for(state, counted)
    f.require_lines(lines, state, "line_items", "no line item needs shipping, or all were refunded")
    shipping_total = f.ZERO
    titles, carriers = [], []
    for path, s in f.objects(order.get("shipping_lines"), "shipping_lines"):
        key = "discounted_price" if s.get("discounted_price") not in (None, "") else "price"
        price = f.money(s, key, f"{path}.{key}", default=f.ZERO)
        if taxes_included:
            taxes = f.objects(s.get("tax_lines"), f"{path}.tax_lines")
            price -= sum((f.money(t, "price", f"{p}.price") for p, t in taxes), f.ZERO)
        shipping_total += price
        titles.append(f.text(s, "title") or f.text(s, "code"))
        source_name = f.text(s, "source")
        if source_name and source_name != "shopify":
            carriers.append(source_name)
    name = f.text(order, "name").lstrip("#")
    return OrderDraft(
        channel=CHANNEL,
        external_id=external_id,
        number=name or f.text(order, "order_number") or external_id,
        placed_at=f.iso_time(f.text(order, "created_at"), "created_at"),
        currency=f.currency_code(f.text(order, "currency"), "currency"),
        lines=tuple(lines),
        where=where,
        customer=_customer(order),
        ship_to=_address(order.get("shipping_address"), "shipping_address"),
        bill_to=_address(order.get("billing_address"), "billing_address"),
        carrier=carriers[0] if carriers else None,
        service=" + ".join(t for t in titles if t) or None,
        shipping_total=f.places(shipping_total),
        state=state,
        channel_status=status,
    )


def _line(
    path: str,
    item: Mapping[str, Any],
    order_rate: Decimal,
    taxes_included: bool,
) -> LineDraft | None:
    """The line as ordered (``quantities.lines_for`` takes off refunds and shipments)."""
    if item.get("requires_shipping") is False or item.get("gift_card") is True:
        return None  # nothing to pick: a service, a download, a gift card
    ordered = f.quantity(item, "quantity", f"{path}.quantity")
    price = f.money(item, "price", f"{path}.price")
    allocations = item.get("discount_allocations")
    if isinstance(allocations, list):
        discount = sum(
            (
                f.money(d, "amount", f"{p}.amount")
                for p, d in f.objects(allocations, f"{path}.discount_allocations")
            ),
            f.ZERO,
        )
    else:
        discount = f.money(item, "total_discount", f"{path}.total_discount", default=f.ZERO)
    taxes = f.objects(item.get("tax_lines"), f"{path}.tax_lines")
    rates = [f.rate(t, "rate", f"{p}.rate") for p, t in taxes]
    rate = f.ZERO if item.get("taxable") is False else (sum(rates, f.ZERO) if rates else order_rate)
    unit = (price * ordered - discount) / ordered
    if taxes_included:
        unit = unit / (1 + rate)
    personalised = any(
        f.looks_personalised(f.text(p, "name"))
        for _, p in f.objects(item.get("properties"), f"{path}.properties")
        if not f.text(p, "name").startswith("_")  # Shopify hides "_" properties at checkout
    )
    sku = f.text(item, "sku") or f.fallback_sku(
        CHANNEL, item.get("product_id"), item.get("variant_id")
    )
    return LineDraft(
        sku=sku,
        name=f.text(item, "name") or f.text(item, "title") or sku,
        quantity=ordered,
        unit_price=f.places(unit),
        tax_rate=f.places(rate),
        personalised=personalised,
        external_line_id=f.text(item, "id") or None,
        source=path,
    )


def _customer(order: Mapping[str, Any]) -> CustomerDraft | None:
    customer = order.get("customer") if isinstance(order.get("customer"), Mapping) else {}
    assert isinstance(customer, Mapping)
    billing = (
        order.get("billing_address") if isinstance(order.get("billing_address"), Mapping) else {}
    )
    assert isinstance(billing, Mapping)
    customer_id = f.text(customer, "id")
    email = (f.text(order, "email") or f.text(customer, "email")).lower() or None
    name = f.joined(f.text(customer, "first_name"), f.text(customer, "last_name")) or f.text(
        billing, "name"
    )
    if not (customer_id or email or name):
        return None
    return CustomerDraft(
        name=name or email or f"Shopify customer {customer_id}",
        email=email,
        phone=f.optional(order, "phone")
        or f.optional(customer, "phone")
        or f.optional(billing, "phone"),
        channel_ref=f"{CHANNEL}:{customer_id}" if customer_id else None,
    )


def _address(data: Any, field: str) -> AddressDraft | None:
    if data is None:
        return None
    a = f.obj(data, field)
    return f.address(
        name=f.text(a, "name"),
        first=f.text(a, "first_name"),
        last=f.text(a, "last_name"),
        company=f.text(a, "company"),
        line1=f.text(a, "address1"),
        line2=f.text(a, "address2"),
        city=f.text(a, "city"),
        region=f.text(a, "province_code") or f.text(a, "province"),
        postcode=f.text(a, "zip"),
        country_code=f.text(a, "country_code") or f.text(a, "country"),
        phone=f.text(a, "phone"),
        field=field,
    )
