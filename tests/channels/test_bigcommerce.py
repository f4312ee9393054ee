"""BigCommerce V2 orders, with their products inlined, mapped to drafts."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.channels import ChannelState, OrderDraft, RowError, bigcommerce
from tests.data.channel_samples import BUNDLED, as_stream, bigcommerce_inlined, load, sample_dirs


def mapped(data: Any) -> OrderDraft | RowError:
    [result] = list(bigcommerce.read(as_stream(data), "bc.json"))
    return result


def one(data: Any) -> OrderDraft:
    draft = mapped(data)
    assert isinstance(draft, OrderDraft), draft
    return draft


@pytest.fixture
def order() -> dict[str, Any]:
    return bigcommerce_inlined(BUNDLED / "channel_orders")


@pytest.mark.parametrize("directory", sample_dirs())
def test_an_order_whose_products_are_only_a_link_is_rejected_with_that_reason(
    directory: Path,
) -> None:
    error = mapped(load(directory, "bigcommerce_v2_order.json"))
    assert isinstance(error, RowError)
    assert error.where == "bc.json order 218" and error.field == "products"
    assert "only a link (/orders/218/products)" in error.reason


def test_an_order_with_an_empty_products_list_is_rejected(order: Any) -> None:
    error = mapped(dict(order, products=[]))
    assert isinstance(error, RowError) and error.field == "products"
    assert "no products" in error.reason


@pytest.mark.parametrize("directory", sample_dirs())
def test_the_sample_with_its_products_inlined_maps_net_of_tax(directory: Path) -> None:
    draft = one(bigcommerce_inlined(directory))
    assert (draft.external_id, draft.currency) == ("218", "USD")
    assert draft.placed_at == datetime(2019, 3, 5, 21, 40, 11, tzinfo=UTC)
    assert draft.state is ChannelState.UNPAID and draft.channel_status == "Awaiting Payment"
    [line] = draft.lines
    assert (line.sku, line.quantity, line.unit_price) == ("DUST1", 1, Decimal("31.95"))
    assert line.tax_rate == Decimal("0.1653")  # 5.28 / 31.95
    assert not line.personalised  # a pick-list option is a choice, not a personalisation
    assert draft.shipping_total == Decimal("11.09")
    assert draft.ship_to is None  # shipping_addresses is only a link in the sample
    assert draft.bill_to is not None and draft.bill_to.postcode == "78108"  # sent as a number
    assert draft.customer is not None and draft.customer.channel_ref == "bigcommerce:11"


def test_applied_discounts_are_taken_off_the_line(order: Any) -> None:
    order["products"][0].update(
        quantity=2, total_ex_tax="63.9000", applied_discounts=[{"amount": "5.0000"}]
    )
    assert one(order).lines[0].unit_price == Decimal("29.45")


def test_digital_and_refunded_products_are_not_shipped(order: Any) -> None:
    physical = dict(order["products"][0], id=117, sku="BRUSH", quantity=3, quantity_refunded=1)
    digital = dict(order["products"][0], id=118, sku="MANUAL-PDF", type="digital")
    order["products"] += [physical, digital]
    assert [(line.sku, line.quantity) for line in one(order).lines] == [("DUST1", 1), ("BRUSH", 2)]


def test_a_text_field_option_marks_the_line_personalised(order: Any) -> None:
    order["products"][0]["product_options"].append(
        {"display_name": "Name on the handle", "display_value": "ADA", "type": "Text field"}
    )
    assert one(order).lines[0].personalised


def test_an_inlined_shipping_address_is_the_ship_to_with_its_method(order: Any) -> None:
    address = dict(order["billing_address"], first_name="Joe", shipping_method="Flat Rate")
    assert one(dict(order, shipping_addresses=[address])).ship_to is not None
    draft = one(dict(order, shipping_addresses=[address]))
    assert draft.ship_to is not None and draft.ship_to.name == "Joe Doe"
    assert draft.service == "Flat Rate"


@pytest.mark.parametrize(
    ("status_id", "state"),
    [
        (11, ChannelState.OPEN),
        (9, ChannelState.OPEN),
        (7, ChannelState.UNPAID),
        (12, ChannelState.ON_HOLD),
        (10, ChannelState.COMPLETED),
        (5, ChannelState.CANCELLED),
        (6, ChannelState.CANCELLED),
    ],
)
def test_the_status_id_says_whether_to_fulfil(
    order: Any, status_id: int, state: ChannelState
) -> None:
    assert one(dict(order, status_id=status_id)).state is state


def test_refunded_is_a_cancellation_only_when_nothing_is_left_to_ship(order: Any) -> None:
    refunded = dict(order, status_id=4, status="Refunded")
    assert one(refunded).state is ChannelState.OPEN  # BigCommerce shows partial refunds so too
    fully = copy.deepcopy(refunded)
    fully["products"][0]["quantity_refunded"] = 1
    assert one(fully).state is ChannelState.CANCELLED
