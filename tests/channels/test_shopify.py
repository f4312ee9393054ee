"""Shopify Admin API orders mapped to drafts."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.channels import ChannelState, OrderDraft, RowError, UnreadableFile, shopify
from tests.data.channel_samples import BUNDLED, as_stream, load, sample_dirs


def one(data: Any) -> OrderDraft:
    [draft] = list(shopify.read(as_stream(data), "shopify.json"))
    assert isinstance(draft, OrderDraft), draft
    return draft


@pytest.fixture
def order() -> dict[str, Any]:
    data = load(BUNDLED / "channel_orders", "shopify_order.json")
    return dict(data["order"])


@pytest.mark.parametrize("directory", sample_dirs())
def test_the_sample_order_maps_with_its_engraving_marking_the_line_personalised(
    directory: Path,
) -> None:
    draft = one(load(directory, "shopify_order.json"))
    assert (draft.channel, draft.external_id, draft.number) == ("shopify", "450789469", "1001")
    assert draft.placed_at == datetime(2008, 1, 10, 16, 0, tzinfo=UTC)  # 11:00 at -05:00
    assert draft.state is ChannelState.OPEN and draft.channel_status == "authorized"
    assert [line.sku for line in draft.lines] == ["IPOD2008GREEN", "IPOD2008RED", "IPOD2008BLACK"]
    assert [line.personalised for line in draft.lines] == [True, False, False]
    # No tax lines on the lines themselves: the order's rate (0.06) applies.
    assert {(line.unit_price, line.tax_rate) for line in draft.lines} == {
        (Decimal(199), Decimal("0.06"))
    }
    assert draft.service == "Free Shipping" and draft.shipping_total == 0
    assert draft.customer is not None and draft.customer.channel_ref == "shopify:207119551"
    assert draft.ship_to is not None and (draft.ship_to.country, draft.ship_to.region) == (
        "US",
        "KY",
    )


def test_orders_come_wrapped_or_as_a_list(order: Any) -> None:
    drafts = list(shopify.read(as_stream({"orders": [order, dict(order, id=2)]}), "s.json"))
    assert [d.external_id for d in drafts if isinstance(d, OrderDraft)] == ["450789469", "2"]


def test_refunded_units_are_not_shipped_and_a_fully_refunded_line_is_left_out(order: Any) -> None:
    data = copy.deepcopy(order)
    data["line_items"][0]["quantity"] = 3
    data["refunds"] = [
        {"refund_line_items": [{"line_item_id": 466157049, "quantity": 1}]},
        {"refund_line_items": [{"line_item_id": 518995019, "quantity": 1}]},
    ]
    lines = one(data).lines
    assert [(line.sku, line.quantity) for line in lines] == [
        ("IPOD2008GREEN", 2),
        ("IPOD2008BLACK", 1),
    ]


def test_lines_that_need_no_shipping_are_left_out(order: Any) -> None:
    data = copy.deepcopy(order)
    data["line_items"][1]["requires_shipping"] = False
    assert "IPOD2008RED" not in [line.sku for line in one(data).lines]


def test_discount_allocations_lower_the_unit_price(order: Any) -> None:
    data = copy.deepcopy(order)
    data["line_items"][0].update(quantity=2, discount_allocations=[{"amount": "39.80"}])
    assert one(data).lines[0].unit_price == Decimal("179.10")


def test_prices_that_include_tax_are_taken_net_of_it(order: Any) -> None:
    data = copy.deepcopy(order)
    data["taxes_included"] = True
    data["line_items"][0].update(price="120.00", tax_lines=[{"rate": 0.2, "price": "20.00"}])
    line = one(data).lines[0]
    assert (line.unit_price, line.tax_rate) == (Decimal(100), Decimal("0.2"))


@pytest.mark.parametrize(
    ("changes", "state"),
    [
        ({"financial_status": "paid"}, ChannelState.OPEN),
        ({"financial_status": "pending"}, ChannelState.UNPAID),
        ({"financial_status": "partially_paid"}, ChannelState.UNPAID),
        ({"financial_status": "refunded"}, ChannelState.CANCELLED),
        ({"financial_status": "voided"}, ChannelState.CANCELLED),
        ({"cancelled_at": "2008-01-11T09:00:00-05:00"}, ChannelState.CANCELLED),
        ({"fulfillment_status": "fulfilled"}, ChannelState.COMPLETED),
        ({"financial_status": None}, ChannelState.ON_HOLD),
    ],
)
def test_the_financial_and_fulfilment_status_say_whether_to_fulfil(
    order: Any, changes: dict[str, Any], state: ChannelState
) -> None:
    assert one(dict(order, **changes)).state is state


def test_an_address_in_an_unknown_country_rejects_the_order(order: Any) -> None:
    data = copy.deepcopy(order)
    data["shipping_address"].update(country_code=None, country="Atlantis")
    [error] = list(shopify.read(as_stream({"order": data}), "shopify.json"))
    assert isinstance(error, RowError)
    assert error.field == "shipping_address.country" and "Atlantis" in error.reason


def test_something_else_is_unreadable() -> None:
    with pytest.raises(UnreadableFile, match="does not hold Shopify orders"):
        shopify.read(as_stream({"customer": {}}), "shopify.json")
