"""WooCommerce REST v3 orders mapped to drafts."""

from __future__ import annotations

import copy
import io
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.channels import ChannelState, OrderDraft, RowError, UnreadableFile, woocommerce
from tests.data.channel_samples import as_stream, load, sample_dirs


def mapped(data: Any) -> list[OrderDraft | RowError]:
    return list(woocommerce.read(as_stream(data), "woo.json"))


def one(data: Any) -> OrderDraft:
    [draft] = mapped(data)
    assert isinstance(draft, OrderDraft), draft
    return draft


@pytest.fixture
def sample() -> dict[str, Any]:
    return load(Path(__file__).parents[1] / "data" / "channel_orders", "woocommerce_order.json")


@pytest.mark.parametrize("directory", sample_dirs())
def test_the_sample_order_maps_its_lines_net_of_tax_with_the_tax_rate(directory: Path) -> None:
    draft = one(load(directory, "woocommerce_order.json"))
    assert (draft.channel, draft.external_id, draft.number) == ("woocommerce", "727", "727")
    assert draft.placed_at == datetime(2017, 3, 22, 19, 28, 2, tzinfo=UTC)  # date_created_gmt
    assert draft.currency == "USD"
    assert draft.state is ChannelState.OPEN and draft.channel_status == "processing"
    first, second = draft.lines
    assert (first.quantity, first.unit_price, first.tax_rate) == (2, Decimal(3), Decimal("0.075"))
    assert (second.sku, second.quantity, second.unit_price) == ("Bar3", 1, Decimal(12))
    assert second.name == "Ship Your Idea – Color: Black, Size: M Test"  # &ndash; decoded
    assert second.external_line_id == "316"
    assert draft.shipping_total == Decimal(10) and draft.service == "Flat Rate"
    assert draft.ship_to is not None and draft.ship_to.country == "US"
    assert draft.ship_to.line1 == "969 Market" and draft.ship_to.postcode == "94103"
    assert draft.customer is not None and draft.customer.email == "john.doe@example.com"
    assert draft.customer.channel_ref is None  # customer_id 0: a guest


def test_a_line_without_a_sku_gets_a_stand_in_sku_from_its_product_id(sample: Any) -> None:
    assert one(sample).lines[0].sku == "woocommerce-93"


def test_a_coupon_is_taken_off_the_unit_price_as_woocommerce_gives_the_line_total(
    sample: Any,
) -> None:
    data = copy.deepcopy(sample)
    data["line_items"][1].update(subtotal="12.00", total="9.00", total_tax="0.68")
    line = one(data).lines[1]
    assert line.unit_price == Decimal(9)
    assert line.tax_rate == Decimal("0.0756")


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("processing", ChannelState.OPEN),
        ("pending", ChannelState.UNPAID),
        ("on-hold", ChannelState.UNPAID),
        ("completed", ChannelState.COMPLETED),
        ("cancelled", ChannelState.CANCELLED),
        ("refunded", ChannelState.CANCELLED),
        ("failed", ChannelState.CANCELLED),
        ("awaiting-engraver", ChannelState.ON_HOLD),  # a plugin's own status: a person decides
    ],
)
def test_each_status_says_whether_to_fulfil(sample: Any, status: str, state: ChannelState) -> None:
    assert one(dict(sample, status=status)).state is state


def test_an_engraving_in_the_line_meta_marks_the_line_personalised(sample: Any) -> None:
    data = copy.deepcopy(sample)
    data["line_items"][0]["meta_data"] = [
        {"id": 1, "key": "_reduced_stock", "value": "2"},
        {"id": 2, "key": "Engraving text", "value": "For Ada"},
    ]
    lines = one(data).lines
    assert lines[0].personalised and not lines[1].personalised


def test_a_list_of_orders_maps_each_and_a_bad_one_is_reported_alone(sample: Any) -> None:
    bad = copy.deepcopy(sample)
    bad["id"] = 728
    bad["line_items"][1]["quantity"] = "two"
    good, error = mapped([sample, bad])
    assert isinstance(good, OrderDraft)
    assert error == RowError(
        "woo.json order 728", "line_items[1].quantity", "'two' is not a whole number"
    )


def test_an_order_without_line_items_is_rejected(sample: Any) -> None:
    [error] = mapped(dict(sample, line_items=[]))
    assert isinstance(error, RowError) and "nothing to ship" in error.reason


def test_a_truncated_file_is_unreadable_before_any_order_is_handed_out(sample: Any) -> None:
    text = as_stream(sample).getvalue()
    with pytest.raises(UnreadableFile, match=r"not valid JSON.*cut short"):
        woocommerce.read(io.StringIO(text[: len(text) // 2]), "woo.json")


def test_a_file_of_something_else_is_unreadable() -> None:
    with pytest.raises(UnreadableFile, match="does not hold WooCommerce orders"):
        woocommerce.read(as_stream({"products": []}), "woo.json")
