"""Magento 2 sales orders as the REST API returns them.

A file holds one order (GET /V1/orders/{id}) or a search result (GET /V1/orders?searchCriteria
...: ``{"items": [orders], "search_criteria": ..., "total_count": n}``). Field meanings are
Magento's (``Magento\\Sales\\Api\\Data\\OrderInterface`` and ``OrderItemInterface``);
docs/import-formats.md has the mapping. Amounts without ``base_`` are in the order currency
(``order_currency_code``); ``price`` is before tax and discount, ``discount_amount`` the
discount on the whole row, ``tax_percent`` a percentage.

Composite products: a configurable item is shipped as its child (the parent carries price
and quantity, the child the exact variant name); a bundle is shipped as its children, each
with its own price (a fixed-price bundle, whose children carry no price, puts the bundle's
price on its first child). Virtual and downloadable items are not shipped and are left out.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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

CHANNEL = "magento"

S = ChannelState
# Order states (the fixed workflow positions under the merchant's custom statuses).
STATES: dict[str, ChannelState] = {
    "processing": S.OPEN,  # invoiced (paid) or partly shipped
    "new": S.UNPAID,  # placed, not invoiced yet
    "pending_payment": S.UNPAID,
    "payment_review": S.ON_HOLD,
    "holded": S.ON_HOLD,
    "complete": S.COMPLETED,
    "closed": S.CANCELLED,  # fully refunded
    "canceled": S.CANCELLED,
}
NOT_SHIPPED_TYPES = frozenset({"virtual", "downloadable", "giftcard_virtual"})


def read(stream: IO[str], source: str) -> Iterator[Read]:
    data = f.load_json(stream, source)
    if isinstance(data, Mapping) and ("increment_id" in data or "entity_id" in data):
        orders: list[Any] = [data]
    elif isinstance(data, Mapping) and isinstance(data.get("items"), list):
        orders = data["items"]
    elif isinstance(data, list):
        orders = data
    else:
        raise UnreadableFile(
            f"{source} does not hold Magento 2 orders: expected a sales order (GET "
            '/V1/orders/{id}) or a search result with "items". Nothing was imported.'
        )
    return f.each_order(orders, source, "increment_id", map_order)


def map_order(order: Mapping[str, Any], where: str) -> OrderDraft:
    external_id = str(f.whole(order, "entity_id", "entity_id"))
    state_word = f.text(order, "state")
    state = STATES.get(state_word, S.ON_HOLD)
    status = f.text(order, "status") or state_word or "(none)"
    if status == "fraud":  # "Suspected Fraud": a status of the processing and review states
        state = S.ON_HOLD
    counted = _lines(order.get("items"))
    state = settled(state, [c for _, c in counted])
    lines = lines_for(state, counted)
    f.require_lines(lines, state, "items", "every item is virtual, downloadable or cancelled")
    billing = order.get("billing_address")
    ship_to = None
    for path, assignment in f.objects(
        _get(order, "extension_attributes", "shipping_assignments"),
        "extension_attributes.shipping_assignments",
    ):
        shipping = assignment.get("shipping")
        if isinstance(shipping, Mapping) and isinstance(shipping.get("address"), Mapping):
            ship_to = _address(shipping["address"], f"{path}.shipping.address")
            break
    carrier, service = _carrier_service(order)
    shipping_total = f.money(order, "shipping_amount", "shipping_amount", default=f.ZERO) - (
        f.money(order, "shipping_discount_amount", "shipping_discount_amount", default=f.ZERO)
    )
    return OrderDraft(
        channel=CHANNEL,
        external_id=external_id,
        number=f.text(order, "increment_id") or external_id,
        # Magento keeps and returns its times in UTC.
        placed_at=f.iso_time(f.text(order, "created_at"), "created_at"),
        currency=f.currency_code(
            f.text(order, "order_currency_code") or f.text(order, "base_currency_code"),
            "order_currency_code",
        ),
        lines=tuple(lines),
        where=where,
        customer=_customer(order, billing if isinstance(billing, Mapping) else {}),
        ship_to=ship_to,
        bill_to=_address(billing, "billing_address") if billing is not None else None,
        carrier=carrier,
        service=service,
        shipping_total=f.places(shipping_total),
        state=state,
        channel_status=status,
    )


def _lines(items: Any) -> list[tuple[LineDraft, Counts]]:
    all_items = list(f.objects(items, "items"))
    children: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
    for path, item in all_items:
        parent = f.text(item, "parent_item_id")
        if parent:
            children.setdefault(parent, []).append((path, item))
    lines: list[tuple[LineDraft, Counts]] = []
    for path, item in all_items:
        if f.text(item, "parent_item_id"):
            continue  # shipped through its parent below
        kind = f.text(item, "product_type")
        kids = children.get(f.text(item, "item_id"), [])
        if item.get("is_virtual") in (1, True, "1") or kind in NOT_SHIPPED_TYPES:
            continue
        if kind == "bundle" and kids:
            fixed_price = all(f.money(k, "price", "price", default=f.ZERO) == 0 for _, k in kids)
            for i, (kid_path, kid) in enumerate(kids):
                priced_by = item if fixed_price and i == 0 else kid
                line = _line(kid_path, kid, priced_by, zero_price=fixed_price and i > 0)
                if line is not None:
                    lines.append(line)
        elif kind == "configurable" and kids:
            kid_path, kid = kids[0]
            line = _line(path, item, item, named_by=kid)
            if line is not None:
                lines.append(line)
        else:
            line = _line(path, item, item)
            if line is not None:
                lines.append(line)
    return lines


def _line(
    path: str,
    item: Mapping[str, Any],
    priced_by: Mapping[str, Any],
    *,
    named_by: Mapping[str, Any] | None = None,
    zero_price: bool = False,
) -> tuple[LineDraft, Counts] | None:
    """The item as ordered, and its counts (``quantities.lines_for`` decides what ships)."""
    ordered = f.quantity(item, "qty_ordered", f"{path}.qty_ordered")
    counts = Counts(
        ordered,
        cancelled=f.quantity(item, "qty_canceled", f"{path}.qty_canceled", default=0, minimum=0),
        refunded=f.quantity(item, "qty_refunded", f"{path}.qty_refunded", default=0, minimum=0),
        shipped=f.quantity(item, "qty_shipped", f"{path}.qty_shipped", default=0, minimum=0),
    )
    unit = f.ZERO
    if not zero_price:
        # The row (price x quantity, before tax) less the row's discount, per unit ordered.
        price = f.money(priced_by, "price", f"{path}.price", default=f.ZERO)
        priced_qty = f.quantity(priced_by, "qty_ordered", f"{path}.qty_ordered", default=ordered)
        row = f.money(priced_by, "row_total", f"{path}.row_total", default=price * priced_qty)
        discount = f.money(priced_by, "discount_amount", f"{path}.discount_amount", default=f.ZERO)
        unit = (row - discount) / ordered
    tax_rate = f.rate(priced_by, "tax_percent", f"{path}.tax_percent", percent=True)
    named = named_by or item
    sku = (
        f.text(named, "sku")
        or f.text(item, "sku")
        or f.fallback_sku(CHANNEL, item.get("product_id"))
    )
    return LineDraft(
        sku=sku,
        name=f.text(named, "name") or f.text(item, "name") or sku,
        quantity=ordered,
        unit_price=f.places(unit),
        tax_rate=tax_rate,
        personalised=_personalised(item) or (named_by is not None and _personalised(named_by)),
        external_line_id=f.text(item, "item_id") or None,
        source=path,
    ), counts


def _personalised(item: Mapping[str, Any]) -> bool:
    """Custom options the shopper typed (text, not the id of a choice), or ones named so."""
    custom = _get(item, "product_option", "extension_attributes", "custom_options")
    for _, option in f.objects(custom if isinstance(custom, list) else None, "custom_options"):
        value = f.text(option, "option_value")
        if value and not value.replace(",", "").isdigit():
            return True
    labelled = _get(item, "product_options", "options")
    for _, option in f.objects(labelled if isinstance(labelled, list) else None, "options"):
        if f.looks_personalised(f.text(option, "label")):
            return True
    return False


def _carrier_service(order: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """ "Best Way - Table Rate" is the carrier's title and the method's title."""
    description = f.text(order, "shipping_description")
    if " - " in description:
        carrier, service = description.split(" - ", 1)
        return carrier.strip() or None, service.strip() or None
    if description:
        return None, description
    for _, assignment in f.objects(
        _get(order, "extension_attributes", "shipping_assignments"), "shipping_assignments"
    ):
        method = f.text(_get(assignment, "shipping"), "method")  # carrier_method
        if method:
            carrier, _, service = method.partition("_")
            return carrier or None, service or None
    return None, None


def _customer(order: Mapping[str, Any], billing: Mapping[str, Any]) -> CustomerDraft | None:
    customer_id = f.text(order, "customer_id")
    guest = order.get("customer_is_guest") in (1, True, "1")
    ref = f"{CHANNEL}:{customer_id}" if customer_id and not guest else None
    email = f.text(order, "customer_email").lower() or None
    name = f.joined(f.text(order, "customer_firstname"), f.text(order, "customer_lastname"))
    if not (ref or email or name):
        return None
    return CustomerDraft(
        name=name or email or f"Magento customer {customer_id}",
        email=email,
        phone=f.optional(billing, "telephone"),
        channel_ref=ref,
    )


def _address(data: Any, field: str) -> AddressDraft | None:
    a = f.obj(data, field)
    street = a.get("street")
    if isinstance(street, list):
        parts = [t for t in map(f.as_text, street) if t]
    else:
        parts = [f.text(a, "street")] if f.text(a, "street") else []
    return f.address(
        first=f.text(a, "firstname"),
        last=f.text(a, "lastname"),
        company=f.text(a, "company"),
        line1=parts[0] if parts else "",
        line2=" ".join(parts[1:]),
        city=f.text(a, "city"),
        region=f.text(a, "region_code") or f.text(a, "region"),
        postcode=f.text(a, "postcode"),
        country_code=f.text(a, "country_id"),
        phone=f.text(a, "telephone"),
        field=field,
    )


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data
