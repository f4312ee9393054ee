"""Magento 2 REST sales orders mapped to drafts."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.channels import ChannelState, OrderDraft, magento
from tests.data.channel_samples import BUNDLED, as_stream, load, sample_dirs


def drafts(data: Any) -> list[OrderDraft]:
    out = list(magento.read(as_stream(data), "magento.json"))
    assert all(isinstance(d, OrderDraft) for d in out), out
    return [d for d in out if isinstance(d, OrderDraft)]


def one(data: Any) -> OrderDraft:
    [draft] = drafts(data)
    return draft


@pytest.fixture
def order() -> dict[str, Any]:
    return load(BUNDLED / "channel_orders", "magento2_order.json")  # type: ignore[no-any-return]


@pytest.mark.parametrize("directory", sample_dirs())
def test_the_sample_ships_the_simple_item_the_bundle_parts_and_the_configured_variant(
    directory: Path,
) -> None:
    draft = one(load(directory, "magento2_order.json"))
    assert (draft.external_id, draft.number) == ("3", "000000003")
    assert draft.placed_at == datetime(2017, 8, 21, 22, 22, 19, tzinfo=UTC)
    # The downloadable item is left out; the bundle ships as its four parts at their prices;
    # the configurable ships once, named as its variant.
    assert [(line.sku, line.unit_price) for line in draft.lines] == [
        ("WS12-M-Orange", 22),
        ("24-WG082-blue", 27),
        ("24-WG084", 5),
        ("24-WG086", 17),
        ("24-WG088", 19),
        ("MH01-S-Gray", 52),
    ]
    assert draft.lines[-1].name == "Chaz Kangeroo Hoodie-S-Gray"
    assert (draft.carrier, draft.service) == ("Best Way", "Table Rate")
    assert draft.shipping_total == 5
    assert draft.state is ChannelState.UNPAID and draft.channel_status == "pending"
    assert draft.ship_to is not None and draft.ship_to.line1 == "123 Oak Ave"
    assert draft.ship_to.region == "NY"


def test_a_search_result_holds_several_orders(order: Any) -> None:
    result = {
        "items": [order, dict(order, entity_id=4, increment_id="000000004")],
        "total_count": 2,
    }
    assert [d.number for d in drafts(result)] == ["000000003", "000000004"]


def test_cancelled_and_refunded_units_are_not_shipped(order: Any) -> None:
    data = copy.deepcopy(order)
    data["items"][0].update(qty_ordered=3, qty_canceled=1, qty_refunded=1, row_total=66)
    line = one(data).lines[0]
    assert (line.quantity, line.unit_price) == (1, 22)


def test_the_discount_and_tax_percent_of_a_row_are_taken_as_magento_gives_them(order: Any) -> None:
    data = copy.deepcopy(order)
    data["items"][0].update(qty_ordered=2, row_total=44, discount_amount=4.4, tax_percent=8.25)
    line = one(data).lines[0]
    assert (line.unit_price, line.tax_rate) == (Decimal("19.8"), Decimal("0.0825"))


def test_a_fixed_price_bundle_puts_its_price_on_its_first_part(order: Any) -> None:
    data = copy.deepcopy(order)
    for item in data["items"]:
        if item.get("parent_item_id") == 5:
            item.update(price=0, row_total=0)
    lines = one(data).lines
    assert [line.unit_price for line in lines[1:5]] == [68, 0, 0, 0]


def test_typed_custom_option_text_marks_the_line_personalised(order: Any) -> None:
    data = copy.deepcopy(order)
    data["items"][0]["product_option"] = {
        "extension_attributes": {"custom_options": [{"option_id": "1", "option_value": "ADA 1815"}]}
    }
    assert one(data).lines[0].personalised


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("processing", ChannelState.OPEN),
        ("new", ChannelState.UNPAID),
        ("pending_payment", ChannelState.UNPAID),
        ("holded", ChannelState.ON_HOLD),
        ("payment_review", ChannelState.ON_HOLD),
        ("complete", ChannelState.COMPLETED),
        ("closed", ChannelState.CANCELLED),
        ("canceled", ChannelState.CANCELLED),
    ],
)
def test_the_order_state_says_whether_to_fulfil(
    order: Any, state: str, expected: ChannelState
) -> None:
    assert one(dict(order, state=state)).state is expected
