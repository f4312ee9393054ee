"""Amazon (SP-API Orders v0) mapped from the model's sample order and item: tax included
where the marketplace shows prices with VAT, added elsewhere; promotions and shipping net;
Fulfilment by Amazon recorded as fulfilled elsewhere; a Pending order without prices; an
order without its items rejected alone."""

from __future__ import annotations

import copy
import io
import json
from decimal import Decimal
from typing import Any

from app.channels import ChannelState, OrderDraft, RowError, amazon
from tests.data.channel_samples import BUNDLED, load

ORDER = load(BUNDLED / "channel_orders", "amazon_sp_get_orders.json")["payload"]["Orders"][0]
ITEM = load(BUNDLED / "channel_orders", "amazon_sp_get_order_items.json")["payload"]["OrderItems"][
    0
]


def _money(amount: str) -> dict[str, str]:
    return {"CurrencyCode": "GBP", "Amount": amount}


def _read(*orders: dict[str, Any]) -> list[OrderDraft | RowError]:
    text = json.dumps({"payload": {"Orders": list(orders)}})
    return list(amazon.read(io.StringIO(text), "amazon.json"))


def _order(**changes: Any) -> dict[str, Any]:
    order = copy.deepcopy(ORDER)
    order["OrderItems"] = [copy.deepcopy(ITEM)]
    order.update(changes)
    return order


def test_uk_prices_include_vat_and_us_prices_do_not() -> None:
    uk = _order(AmazonOrderId="202-0000000-0000001", MarketplaceId="A1F83G8C2ARO7P")
    uk["OrderTotal"] = _money("15.00")
    uk["OrderItems"][0].update(
        QuantityOrdered=2,
        ItemPrice=_money("12.00"),
        ItemTax=_money("2.00"),
        PromotionDiscount=_money("1.20"),
        PromotionDiscountTax=_money("0.20"),
        ShippingPrice=_money("3.60"),
        ShippingTax=_money("0.60"),
    )
    us = _order()
    drafts = _read(uk, us)
    assert all(isinstance(d, OrderDraft) for d in drafts), drafts
    uk_draft, us_draft = drafts
    assert isinstance(uk_draft, OrderDraft) and isinstance(us_draft, OrderDraft)
    [line] = uk_draft.lines
    # 12.00 - 1.20 off, less its VAT (2.00 - 0.20): 9.00 for two; 1.80 tax on it is 20 %.
    assert (uk_draft.currency, line.quantity, line.unit_price, line.tax_rate) == (
        "GBP",
        2,
        Decimal("4.5"),
        Decimal("0.2"),
    )
    assert uk_draft.shipping_total == Decimal("3.00")
    [us_line] = us_draft.lines
    assert (us_draft.currency, us_line.unit_price, us_line.tax_rate) == (
        "USD",
        Decimal("10.00"),
        Decimal("0.101"),
    )
    assert us_line.sku == "NABetaASINB00551Q3CS" and us_line.external_line_id == "05015851154158"
    assert us_draft.state is ChannelState.OPEN and us_draft.service == "Std US D2D Dom"


def test_fba_is_fulfilled_elsewhere_pending_is_unpaid_and_missing_items_rejected() -> None:
    fba = _order(AmazonOrderId="902-0000000-0000002", FulfillmentChannel="AFN")
    pending = _order(AmazonOrderId="902-0000000-0000003", OrderStatus="Pending")
    del pending["OrderTotal"]
    for key in ("ItemPrice", "ItemTax", "PromotionDiscount"):
        del pending["OrderItems"][0][key]
    cancelled_fba = _order(
        AmazonOrderId="902-0000000-0000004", FulfillmentChannel="AFN", OrderStatus="Canceled"
    )
    bare = _order(AmazonOrderId="902-0000000-0000005")
    del bare["OrderItems"]
    got = _read(fba, pending, cancelled_fba, bare)
    assert isinstance(got[0], OrderDraft) and got[0].state is ChannelState.COMPLETED
    assert got[0].channel_status == "fulfilled by Amazon (FBA)"
    assert [x.quantity for x in got[0].lines] == [1]
    # A Pending order has no prices and no total: unpaid, the item's currency, price 0.
    assert isinstance(got[1], OrderDraft) and got[1].state is ChannelState.UNPAID
    assert got[1].lines[0].unit_price == 0
    assert isinstance(got[2], OrderDraft) and got[2].state is ChannelState.CANCELLED
    assert isinstance(got[3], RowError) and got[3].field == "OrderItems"
    assert "902-0000000-0000005" in got[3].where
