"""What each line carries by the order's state, across the channels that count shipments."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from app.channels import ChannelState, OrderDraft, RowError, bigcommerce, magento, shopify
from app.channels.quantities import Counts, carried, settled
from tests.data.channel_samples import BUNDLED, as_stream, bigcommerce_inlined, load

SAMPLES = BUNDLED / "channel_orders"
S = ChannelState


def one(reader: Any, data: Any) -> OrderDraft:
    [draft] = list(reader.read(as_stream(data), "file.json"))
    assert isinstance(draft, OrderDraft), draft
    return draft


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (S.OPEN, [2, 0, 3]),  # still to ship
        (S.UNPAID, [2, 0, 3]),
        (S.COMPLETED, [2, 2, 0]),  # what the channel shipped
        (S.CANCELLED, [5, 2, 3]),  # as ordered: the void record
    ],
)
def test_a_line_carries_what_its_state_asks_of_the_warehouse(
    state: ChannelState, expected: list[int]
) -> None:
    counts = [
        Counts(5, cancelled=1, refunded=1, shipped=2),  # 5 - 1 - max(1, 2) = 2 left
        Counts(2, refunded=2, shipped=2),  # shipped, then refunded: came back, not resent
        Counts(3),
    ]
    assert carried(state, counts) == expected


def test_a_completed_order_without_shipment_data_carries_what_was_not_refunded() -> None:
    assert carried(S.COMPLETED, [Counts(3, refunded=1), Counts(2)]) == [2, 2]


def test_an_order_to_fulfil_with_nothing_left_is_completed_or_cancelled() -> None:
    assert settled(S.OPEN, [Counts(2, shipped=2), Counts(1, refunded=1)]) is S.COMPLETED
    assert settled(S.OPEN, [Counts(2, cancelled=2)]) is S.CANCELLED
    assert settled(S.OPEN, [Counts(2, shipped=1)]) is S.OPEN
    assert settled(S.CANCELLED, [Counts(2, shipped=2)]) is S.CANCELLED


def test_a_shopify_order_fulfilled_elsewhere_carries_its_successful_fulfilments() -> None:
    order = load(SAMPLES, "shopify_order.json")
    data = order["order"]
    data["fulfillment_status"] = "fulfilled"
    data["fulfillments"] = [
        {"status": "success", "line_items": [{"id": 466157049, "quantity": 1}]},
        {"status": "cancelled", "line_items": [{"id": 518995019, "quantity": 1}]},
    ]
    draft = one(shopify, order)
    assert draft.state is S.COMPLETED
    assert [(ln.external_line_id, ln.quantity) for ln in draft.lines] == [("466157049", 1)]


def test_shopify_restocked_is_a_cancellation_and_a_partial_order_ships_the_rest() -> None:
    order = load(SAMPLES, "shopify_order.json")
    restocked = copy.deepcopy(order)
    restocked["order"]["fulfillment_status"] = "restocked"
    assert one(shopify, restocked).state is S.CANCELLED
    partial = copy.deepcopy(order)
    partial["order"].update(
        fulfillment_status="partial",
        fulfillments=[{"status": "success", "line_items": [{"id": 466157049, "quantity": 1}]}],
    )
    draft = one(shopify, partial)
    assert draft.state is S.OPEN
    assert [ln.external_line_id for ln in draft.lines] == ["518995019", "703073504"]


def test_a_cancelled_shopify_order_keeps_its_refunded_lines_as_the_void_record() -> None:
    order = load(SAMPLES, "shopify_order.json")
    data = order["order"]
    data["cancelled_at"] = "2008-01-11T09:00:00-05:00"
    data["refunds"] = [
        {
            "refund_line_items": [
                {"line_item_id": i["id"], "quantity": 1} for i in data["line_items"]
            ]
        }
    ]
    draft = one(shopify, order)
    assert draft.state is S.CANCELLED and [ln.quantity for ln in draft.lines] == [1, 1, 1]


def test_bigcommerce_partially_shipped_ships_what_is_left_and_shipped_is_fulfilled_elsewhere() -> (
    None
):
    order = bigcommerce_inlined(SAMPLES)
    order["products"][0].update(quantity=3, quantity_shipped=1, total_ex_tax="30")
    partly = one(bigcommerce, dict(order, status_id=3, status="Partially Shipped"))
    assert (partly.state, partly.lines[0].quantity) == (S.OPEN, 2)
    shipped = one(bigcommerce, dict(order, status_id=2, status="Shipped"))
    assert (shipped.state, shipped.lines[0].quantity) == (S.COMPLETED, 1)
    assert shipped.lines[0].unit_price == partly.lines[0].unit_price  # priced per unit ordered


def test_magento_fraud_is_held_and_a_processing_order_shipped_in_full_is_completed() -> None:
    order = load(SAMPLES, "magento2_order.json")
    assert one(magento, dict(order, state="processing", status="fraud")).state is S.ON_HOLD
    shipped = copy.deepcopy(order)
    shipped.update(state="processing", status="processing")
    for item in shipped["items"]:
        item["qty_shipped"] = item["qty_ordered"]
    draft = one(magento, shipped)
    assert draft.state is S.COMPLETED and len(draft.lines) == 6


def test_a_completed_order_with_nothing_that_ships_has_nothing_in_it() -> None:
    order = load(SAMPLES, "magento2_order.json")
    order.update(state="complete", status="complete")
    order["items"] = [i for i in order["items"] if i["product_type"] == "downloadable"]
    [error] = list(magento.read(as_stream(order), "m.json"))
    assert isinstance(error, RowError) and error.reason.startswith("nothing in it")
