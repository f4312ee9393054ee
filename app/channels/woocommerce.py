"""WooCommerce orders as the REST API v3 returns them (GET /wp-json/wc/v3/orders[/<id>]).

A file holds one order object or a list of them. Field meanings are WooCommerce's own
(woocommerce-rest-api-docs, "Order properties"; docs/import-formats.md has the mapping):
a line item's ``total`` is the line after discounts and before tax, ``total_tax`` its tax.
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

CHANNEL = "woocommerce"

S = ChannelState
# Order statuses (WooCommerce "Order statuses"): only "processing" means paid and to be sent.
STATES: dict[str, ChannelState] = {
    "processing": S.OPEN,
    "pending": S.UNPAID,  # received, no payment yet
    "on-hold": S.UNPAID,  # awaiting payment confirmation (e.g. bank transfer)
    "checkout-draft": S.UNPAID,  # the shopper started the (block) checkout, did not finish
    "draft": S.UNPAID,
    "auto-draft": S.UNPAID,  # made by WooCommerce itself, not placed
    "new": S.UNPAID,  # a draft (legacy status)
    "completed": S.COMPLETED,
    "cancelled": S.CANCELLED,
    "refunded": S.CANCELLED,
    "failed": S.CANCELLED,
    "trash": S.CANCELLED,
}


def read(stream: IO[str], source: str) -> Iterator[Read]:
    """Parse the whole file first (a broken file fails before any order is handed out)."""
    data = f.load_json(stream, source)
    if isinstance(data, list):
        orders = data
    elif isinstance(data, Mapping) and isinstance(data.get("orders"), list):
        orders = data["orders"]
    elif isinstance(data, Mapping) and "line_items" in data:
        orders = [data]
    else:
        raise UnreadableFile(
            f"{source} does not hold WooCommerce orders: expected an order object (with "
            '"line_items") or a list of them, as GET /wp-json/wc/v3/orders returns. '
            "Nothing was imported."
        )
    return f.each_order(orders, source, "id", map_order)


def map_order(order: Mapping[str, Any], where: str) -> OrderDraft:
    external_id = str(f.whole(order, "id", "id"))
    status = f.text(order, "status")
    state = STATES.get(status, S.ON_HOLD)
    billing = f.obj(order.get("billing") or {}, "billing")
    shipping = f.obj(order.get("shipping") or {}, "shipping")
    lines = [_line(path, item) for path, item in f.objects(order.get("line_items"), "line_items")]
    f.require_lines(lines, state, "line_items", "the order has no line items")
    methods = [
        f.text(s, "method_title") or f.text(s, "method_id")
        for _, s in f.objects(order.get("shipping_lines"), "shipping_lines")
    ]
    placed = f.text(order, "date_created_gmt") or f.text(order, "date_created")
    return OrderDraft(
        channel=CHANNEL,
        external_id=external_id,
        number=f.text(order, "number") or external_id,
        placed_at=f.iso_time(placed, "date_created_gmt"),
        currency=f.currency_code(f.text(order, "currency"), "currency"),
        lines=tuple(lines),
        where=where,
        customer=_customer(order, billing),
        ship_to=_address(shipping, "shipping"),
        bill_to=_address(billing, "billing"),
        service=" + ".join(m for m in methods if m) or None,
        shipping_total=f.places(f.money(order, "shipping_total", "shipping_total", default=f.ZERO)),
        state=state,
        channel_status=status or "(none)",
    )


def _line(path: str, item: Mapping[str, Any]) -> LineDraft:
    quantity = f.quantity(item, "quantity", f"{path}.quantity")
    total = f.money(item, "total", f"{path}.total")
    tax = f.money(item, "total_tax", f"{path}.total_tax", default=f.ZERO)
    sku = f.text(item, "sku") or f.fallback_sku(
        CHANNEL, item.get("product_id"), item.get("variation_id")
    )
    personalised = False
    for _, meta in f.objects(item.get("meta_data"), f"{path}.meta_data"):
        key = f.text(meta, "key")
        label = f.text(meta, "display_key") or key
        if not key.startswith("_") and f.looks_personalised(label):
            personalised = True
    return LineDraft(
        sku=sku,
        name=f.text(item, "name") or sku,
        quantity=quantity,
        unit_price=f.places(total / quantity),
        tax_rate=f.places(tax / total) if total else f.ZERO,
        personalised=personalised,
        external_line_id=f.text(item, "id") or None,
        source=path,
    )


def _customer(order: Mapping[str, Any], billing: Mapping[str, Any]) -> CustomerDraft | None:
    return f.billing_customer(CHANNEL, "WooCommerce", order, billing)


def _address(a: Mapping[str, Any], field: str) -> AddressDraft | None:
    return f.address(
        first=f.text(a, "first_name"),
        last=f.text(a, "last_name"),
        company=f.text(a, "company"),
        line1=f.text(a, "address_1"),
        line2=f.text(a, "address_2"),
        city=f.text(a, "city"),
        region=f.text(a, "state"),
        postcode=f.text(a, "postcode"),
        country_code=f.text(a, "country"),
        phone=f.text(a, "phone"),
        field=field,
    )
