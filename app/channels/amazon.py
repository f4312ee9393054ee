"""Amazon orders as the Selling Partner API (Orders v0) returns them.

``GET /orders/v0/orders`` gives the orders without their items; ``GET /orders/v0/orders/{id}/
orderItems`` gives each order's items. A file holds getOrders' answer (``{"payload":
{"Orders": [...]}}``), a list of orders or one order, each with its ``OrderItems`` (the
``payload.OrderItems`` of getOrderItems) inlined, as the connector stores them; field
meanings are the SP-API model's (amzn/selling-partner-api-models, ``ordersV0.json``;
docs/import-formats.md has the mapping).

An item's ``ItemPrice`` is the selling price times the quantity; ``ItemTax`` its tax;
``PromotionDiscount`` (and ``PromotionDiscountTax``) what a promotion took off. In the
marketplaces that show prices with VAT (Europe, the UK, Japan, Australia) ``ItemPrice``
includes ``ItemTax``; elsewhere (the Americas) the tax is added to it.

An order Amazon fulfils itself (``FulfillmentChannel`` ``AFN``: Fulfilment by Amazon) is
never shipped here: it imports as fulfilled elsewhere, unless it was cancelled.
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

CHANNEL = "amazon"

S = ChannelState
# OrderStatus (ordersV0.json, getOrders' OrderStatuses).
STATES: dict[str, ChannelState] = {
    "PendingAvailability": S.UNPAID,  # a pre-order, payment not authorised
    "Pending": S.UNPAID,  # placed, payment not authorised (no prices given yet)
    "Unshipped": S.OPEN,
    "PartiallyShipped": S.OPEN,
    "Shipped": S.COMPLETED,
    "InvoiceUnconfirmed": S.COMPLETED,  # shipped; the invoice is not confirmed yet
    "Canceled": S.CANCELLED,
    "Unfulfillable": S.CANCELLED,  # a Multi-Channel Fulfillment order that cannot be sent
}
FBA = "fulfilled by Amazon (FBA)"

# Marketplaces whose ItemPrice includes VAT (Amazon's published marketplace ids).
VAT_INCLUDED_MARKETPLACES = frozenset(
    {
        "A1F83G8C2ARO7P",  # UK
        "A1PA6795UKMFR9",  # Germany
        "A13V1IB3VIYZZH",  # France
        "APJ6JRA9NG5V4",  # Italy
        "A1RKKUPHQQ8EK5",  # Spain
        "A1805IZSGTT6HS",  # Netherlands
        "A2NODRKZP88ZB9",  # Sweden
        "A1C3SOZRARQ6R3",  # Poland
        "AMEN7PMS3EDWL",  # Belgium
        "A28R8C7NBKEWEA",  # Ireland
        "A33AVAJ2PDY3EV",  # Turkey
        "A1VC38T7YXB528",  # Japan
        "A39IBJ37TRP1C6",  # Australia
    }
)

# Each marketplace's currency (Amazon's marketplace ids): a Pending order gives no amounts,
# so no currency code; the marketplace's is the one it will be charged in.
MARKETPLACE_CURRENCIES = {
    "ATVPDKIKX0DER": "USD",  # US
    "A2EUQ1WTGCTBG2": "CAD",  # Canada
    "A1AM78C64UM0Y8": "MXN",  # Mexico
    "A2Q3Y263D00KWC": "BRL",  # Brazil
    "A1F83G8C2ARO7P": "GBP",  # UK
    "A1PA6795UKMFR9": "EUR",  # Germany
    "A13V1IB3VIYZZH": "EUR",  # France
    "APJ6JRA9NG5V4": "EUR",  # Italy
    "A1RKKUPHQQ8EK5": "EUR",  # Spain
    "A1805IZSGTT6HS": "EUR",  # Netherlands
    "AMEN7PMS3EDWL": "EUR",  # Belgium
    "A28R8C7NBKEWEA": "EUR",  # Ireland
    "A2NODRKZP88ZB9": "SEK",  # Sweden
    "A1C3SOZRARQ6R3": "PLN",  # Poland
    "A33AVAJ2PDY3EV": "TRY",  # Turkey
    "A1VC38T7YXB528": "JPY",  # Japan
    "A39IBJ37TRP1C6": "AUD",  # Australia
    "A19VAU5U5O7RUS": "SGD",  # Singapore
    "A21TJRUUN4KGV": "INR",  # India
    "A2VIGQ35RCS4UG": "AED",  # United Arab Emirates
    "A17E79C6D8DWNP": "SAR",  # Saudi Arabia
}


def read(stream: IO[str], source: str) -> Iterator[Read]:
    """Parse the whole file first (a broken file fails before any order is handed out)."""
    data = f.load_json(stream, source)
    payload = data.get("payload") if isinstance(data, Mapping) else None
    if isinstance(data, list):
        orders = data
    elif isinstance(payload, Mapping) and isinstance(payload.get("Orders"), list):
        orders = payload["Orders"]
    elif isinstance(data, Mapping) and isinstance(data.get("Orders"), list):
        orders = data["Orders"]
    elif isinstance(data, Mapping) and "AmazonOrderId" in data:
        orders = [data]
    else:
        raise UnreadableFile(
            f"{source} does not hold Amazon orders: expected getOrders' answer "
            '({"payload": {"Orders": [...]}}), a list of orders or one order, each with its '
            '"OrderItems". Nothing was imported.'
        )
    return f.each_order(orders, source, "AmazonOrderId", map_order)


def map_order(order: Mapping[str, Any], where: str) -> OrderDraft:
    external_id = f.text(order, "AmazonOrderId")
    if not external_id:
        raise f.BadField("AmazonOrderId", "missing: every Amazon order has one")
    status = f.text(order, "OrderStatus") or "(none)"
    state = STATES.get(status, S.ON_HOLD)
    by_amazon = f.text(order, "FulfillmentChannel") == "AFN"
    if by_amazon and state is not S.CANCELLED:
        state, status = S.COMPLETED, FBA
    if "OrderItems" not in order:
        raise f.BadField(
            "OrderItems",
            "missing: inline the order's items (getOrderItems' payload.OrderItems) in it",
        )
    vat_included = f.text(order, "MarketplaceId") in VAT_INCLUDED_MARKETPLACES
    counted: list[tuple[LineDraft, Counts]] = []
    shipping = f.ZERO
    currency = _currency(order)
    for path, item in f.objects(order.get("OrderItems"), "OrderItems"):
        line, counts, item_shipping = _line(path, item, vat_included)
        counted.append((line, counts))
        shipping += item_shipping
        currency = currency or _item_currency(item)
    if by_amazon and status == FBA:
        # Amazon shipped it from its own warehouses: whatever it counts, nothing ships here.
        counted = [(line, Counts(c.ordered, shipped=c.shipped or c.ordered)) for line, c in counted]
    state = settled(state, [c for _, c in counted])
    lines = lines_for(state, counted)
    f.require_lines(lines, state, "OrderItems", "the order has no items")
    currency = currency or MARKETPLACE_CURRENCIES.get(f.text(order, "MarketplaceId"), "")
    address = order.get("ShippingAddress")
    return OrderDraft(
        channel=CHANNEL,
        external_id=external_id,
        number=external_id,
        placed_at=f.iso_time(f.text(order, "PurchaseDate"), "PurchaseDate"),
        currency=f.currency_code(currency, "OrderTotal.CurrencyCode"),
        lines=tuple(lines),
        where=where,
        customer=_customer(order),
        ship_to=_address(address, "ShippingAddress") if address is not None else None,
        service=f.text(order, "ShipServiceLevel")
        or f.text(order, "ShipmentServiceLevelCategory")
        or None,
        shipping_total=f.places(shipping),
        state=state,
        channel_status=status,
    )


def _money(item: Mapping[str, Any], key: str, path: str) -> Decimal:
    """A Money object's Amount (missing: 0; a Pending order's items have no prices)."""
    value = item.get(key)
    if value is None:
        return f.ZERO
    return f.money(f.obj(value, f"{path}.{key}"), "Amount", f"{path}.{key}.Amount", default=f.ZERO)


def _line(
    path: str, item: Mapping[str, Any], vat_included: bool
) -> tuple[LineDraft, Counts, Decimal]:
    ordered = f.quantity(item, "QuantityOrdered", f"{path}.QuantityOrdered")
    shipped = f.quantity(item, "QuantityShipped", f"{path}.QuantityShipped", default=0, minimum=0)
    price = _money(item, "ItemPrice", path)
    tax = _money(item, "ItemTax", path) - _money(item, "PromotionDiscountTax", path)
    net = price - _money(item, "PromotionDiscount", path)
    if vat_included:
        net -= tax
    ship = _money(item, "ShippingPrice", path) - _money(item, "ShippingDiscount", path)
    if vat_included:
        ship -= _money(item, "ShippingTax", path) - _money(item, "ShippingDiscountTax", path)
    sku = f.text(item, "SellerSKU") or f.fallback_sku(CHANNEL, item.get("ASIN"))
    custom = item.get("BuyerInfo")
    personalised = isinstance(custom, Mapping) and bool(
        f.text(f.obj(custom.get("BuyerCustomizedInfo") or {}, f"{path}.BuyerInfo"), "CustomizedURL")
    )
    line = LineDraft(
        sku=sku,
        name=f.text(item, "Title") or sku,
        quantity=ordered,
        unit_price=f.places(net / ordered),
        tax_rate=f.places(tax / net) if net > 0 and tax > 0 else f.ZERO,
        personalised=personalised,
        external_line_id=f.text(item, "OrderItemId") or None,
        source=path,
    )
    return line, Counts(ordered, shipped=shipped), ship


def _currency(order: Mapping[str, Any]) -> str:
    total = order.get("OrderTotal")
    return f.text(total, "CurrencyCode") if isinstance(total, Mapping) else ""


def _item_currency(item: Mapping[str, Any]) -> str:
    price = item.get("ItemPrice")
    return f.text(price, "CurrencyCode") if isinstance(price, Mapping) else ""


def _customer(order: Mapping[str, Any]) -> CustomerDraft | None:
    buyer = order.get("BuyerInfo")
    if not isinstance(buyer, Mapping):
        return None
    email = f.text(buyer, "BuyerEmail").lower() or None
    name = f.text(buyer, "BuyerName")
    if not (email or name):
        return None
    return CustomerDraft(name=name or email or "Amazon buyer", email=email)


def _address(data: Any, field: str) -> AddressDraft | None:
    a = f.obj(data, field)
    return f.address(
        name=f.text(a, "Name"),
        company=f.text(a, "CompanyName"),
        line1=f.text(a, "AddressLine1"),
        line2=f.joined(f.text(a, "AddressLine2"), f.text(a, "AddressLine3")),
        city=f.text(a, "City"),
        region=f.text(a, "StateOrRegion") or f.text(a, "County"),
        postcode=f.text(a, "PostalCode"),
        country_code=f.text(a, "CountryCode"),
        phone=f.text(a, "Phone"),
        field=field,
    )
