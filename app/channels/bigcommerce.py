"""BigCommerce V2 orders (GET /v2/orders/{id}) with their products inlined under "products".

The V2 order object only links to its products (``{"url": ..., "resource": ...}``); exporters
inline what GET /v2/orders/{id}/products returns. An order whose products are still a link,
or an empty list, cannot be fulfilled from the file and is rejected with that reason. The
shipping address works the same way ("shipping_addresses"): when it is only a link, the
order imports without a ship-to address (and the review rules hold it for one).

Field meanings are BigCommerce's ("Orders V2" and "Order Products" API reference; the order
status list of the "Order Status" help page); docs/import-formats.md has the mapping.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime
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

CHANNEL = "bigcommerce"

S = ChannelState
# status_id -> state, after BigCommerce's list of order statuses.
STATES: dict[int, ChannelState] = {
    0: S.UNPAID,  # Incomplete: the shopper did not finish paying
    1: S.UNPAID,  # Pending: checkout started, not completed
    7: S.UNPAID,  # Awaiting Payment
    11: S.OPEN,  # Awaiting Fulfillment: paid
    9: S.OPEN,  # Awaiting Shipment
    8: S.OPEN,  # Awaiting Pickup
    3: S.OPEN,  # Partially Shipped: the rest is still to ship
    14: S.OPEN,  # Partially Refunded: refunded quantities are taken off
    12: S.ON_HOLD,  # Manual Verification Required
    13: S.ON_HOLD,  # Disputed
    2: S.COMPLETED,  # Shipped
    10: S.COMPLETED,  # Completed
    4: S.CANCELLED,  # Refunded (but see _state: a partial refund may carry this status)
    5: S.CANCELLED,  # Cancelled
    6: S.CANCELLED,  # Declined
}
# Option types where the shopper types or uploads something to be made for them.
PERSONAL_OPTION_TYPES = frozenset({"text field", "multi-line text field", "file upload"})


def read(stream: IO[str], source: str) -> Iterator[Read]:
    data = f.load_json(stream, source)
    if isinstance(data, list):
        orders = data
    elif isinstance(data, Mapping) and "status_id" in data:
        orders = [data]
    elif isinstance(data, Mapping) and isinstance(data.get("orders"), list):
        orders = data["orders"]
    else:
        raise UnreadableFile(
            f"{source} does not hold BigCommerce V2 orders: expected an order object (with "
            '"status_id" and its "products" inlined) or a list of them. Nothing was imported.'
        )
    return f.each_order(orders, source, "id", map_order)


def map_order(order: Mapping[str, Any], where: str) -> OrderDraft:
    external_id = str(f.whole(order, "id", "id"))
    products = order.get("products")
    if isinstance(products, Mapping):
        link = f.text(products, "resource") or f.text(products, "url") or "a link"
        raise f.BadField(
            "products",
            f"the products are only a link ({link}), not the products themselves: export the "
            f'order with GET /v2/orders/{external_id}/products inlined under "products"',
        )
    if not products:
        raise f.BadField("products", "the order has no products (an empty list): nothing to ship")
    counted = []
    for path, item in f.objects(products, "products"):
        line = _line(path, item)
        if line is not None:
            counts = Counts(
                line.quantity,
                refunded=f.quantity(
                    item, "quantity_refunded", f"{path}.quantity_refunded", default=0, minimum=0
                ),
                shipped=f.quantity(
                    item, "quantity_shipped", f"{path}.quantity_shipped", default=0, minimum=0
                ),
            )
            counted.append((line, counts))
    state, status = _state(order, lines_for(ChannelState.OPEN, counted))
    state = settled(state, [c for _, c in counted])
    lines = lines_for(state, counted)
    f.require_lines(lines, state, "products", "every product is digital or refunded")
    billing = f.obj(order.get("billing_address") or {}, "billing_address")
    ship_to, service = _shipping(order.get("shipping_addresses"))
    shipping = f.money(order, "shipping_cost_ex_tax", "shipping_cost_ex_tax", default=f.ZERO)
    handling = f.money(order, "handling_cost_ex_tax", "handling_cost_ex_tax", default=f.ZERO)
    currency = f.text(order, "currency_code") or f.text(order, "default_currency_code")
    return OrderDraft(
        channel=CHANNEL,
        external_id=external_id,
        number=external_id,
        placed_at=_rfc2822(f.text(order, "date_created"), "date_created"),
        currency=f.currency_code(currency, "currency_code"),
        lines=tuple(lines),
        where=where,
        customer=_customer(order, billing),
        ship_to=ship_to,
        bill_to=_address(billing, "billing_address"),
        service=service,
        shipping_total=f.places(shipping + handling),
        state=state,
        channel_status=status,
    )


def _state(order: Mapping[str, Any], still_to_ship: list[LineDraft]) -> tuple[ChannelState, str]:
    status_id = f.whole(order, "status_id", "status_id")
    status = f.text(order, "status") or f.text(order, "custom_status") or f"status_id {status_id}"
    if order.get("is_deleted") is True:
        return S.CANCELLED, "deleted"
    state = STATES.get(status_id, S.ON_HOLD)
    if status_id == 4 and still_to_ship:
        # BigCommerce's help says a partial refund also shows as "Refunded": what is left
        # after the refunded quantities still ships.
        return S.OPEN, status
    return state, status


def _line(path: str, item: Mapping[str, Any]) -> LineDraft | None:
    """The product as ordered (``quantities.lines_for`` takes off refunds and shipments)."""
    if f.text(item, "type") == "digital":
        return None
    ordered = f.quantity(item, "quantity", f"{path}.quantity")
    total = f.money(item, "total_ex_tax", f"{path}.total_ex_tax", default=f.ZERO) or (
        f.money(item, "price_ex_tax", f"{path}.price_ex_tax") * ordered
    )
    tax = f.money(item, "total_tax", f"{path}.total_tax", default=f.ZERO)
    discounts = f.objects(item.get("applied_discounts"), f"{path}.applied_discounts")
    discount = sum((f.money(d, "amount", f"{p}.amount") for p, d in discounts), f.ZERO)
    personalised = bool(item.get("configurable_fields"))
    for _, option in f.objects(item.get("product_options"), f"{path}.product_options"):
        kind = f.text(option, "type").lower()
        label = f.text(option, "display_name") or f.text(option, "name")
        if kind in PERSONAL_OPTION_TYPES or f.looks_personalised(label):
            personalised = True
    sku = f.text(item, "sku") or f.fallback_sku(
        CHANNEL, item.get("product_id"), item.get("variant_id")
    )
    return LineDraft(
        sku=sku,
        name=f.text(item, "name") or sku,
        quantity=ordered,
        unit_price=f.places((total - discount) / ordered),
        tax_rate=f.places(tax / total) if total else f.ZERO,
        personalised=personalised,
        external_line_id=f.text(item, "id") or None,
        source=path,
    )


def _shipping(data: Any) -> tuple[AddressDraft | None, str | None]:
    if not isinstance(data, list):  # only a link to /orders/{id}/shippingaddresses
        return None, None
    addresses = list(f.objects(data, "shipping_addresses"))
    if not addresses:
        return None, None
    if len(addresses) > 1:
        raise f.BadField(
            "shipping_addresses",
            f"the order ships to {len(addresses)} addresses: split it in BigCommerce into one "
            "order per address",
        )
    path, a = addresses[0]
    return _address(a, path), f.optional(a, "shipping_method")


def _customer(order: Mapping[str, Any], billing: Mapping[str, Any]) -> CustomerDraft | None:
    return f.billing_customer(CHANNEL, "BigCommerce", order, billing)


def _address(a: Mapping[str, Any], field: str) -> AddressDraft | None:
    return f.address(
        first=f.text(a, "first_name"),
        last=f.text(a, "last_name"),
        company=f.text(a, "company"),
        line1=f.text(a, "street_1"),
        line2=f.text(a, "street_2"),
        city=f.text(a, "city"),
        region=f.text(a, "state"),
        postcode=f.text(a, "zip"),
        country_code=f.text(a, "country_iso2") or f.text(a, "country"),
        phone=f.text(a, "phone"),
        field=field,
    )


def _rfc2822(value: str, field: str) -> datetime:
    """BigCommerce V2 dates look like "Tue, 05 Mar 2019 21:40:11 +0000"."""
    if not value:
        raise f.BadField(field, "missing")
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        raise f.BadField(field, f"{value!r} is not an RFC 2822 date") from None
    return f.iso_time(moment.isoformat(), field)
