"""Whatever a file holds, each reader answers with a draft the store can keep or a RowError
(or refuses the whole file): never another exception."""

from __future__ import annotations

import contextlib
import copy
import csv
import io
import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.channels import (
    ORDER_READERS,
    OrderDraft,
    RowError,
    UnreadableFile,
    amazon,
    bigcommerce,
    csv_orders,
    limits,
    magento,
    shopify,
    woocommerce,
)
from app.channels.fields import BadField
from tests.data.channel_samples import BUNDLED, bigcommerce_inlined, load

# Every character, lone surrogates and control characters included.
ANY_CHARACTER = st.characters(exclude_categories=())
texts = st.text(ANY_CHARACTER, max_size=12) | st.sampled_from(
    ["", "0", "-0", "1e308", "1E+400", "NaN", "9" * 40, "2.5", "\ud800", "\x00", "\u202e"]
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([10**30, -(10**30), Decimal(10) ** 5000])
    | st.floats()
    | st.decimals()
    | texts
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=12,
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SAMPLES = BUNDLED / "channel_orders"
CHANNELS: dict[str, tuple[Callable[[Mapping[str, Any], str], OrderDraft], Any]] = {
    "woocommerce": (woocommerce.map_order, load(SAMPLES, "woocommerce_order.json")),
    "shopify": (shopify.map_order, load(SAMPLES, "shopify_order.json")["order"]),
    "bigcommerce": (bigcommerce.map_order, bigcommerce_inlined(SAMPLES)),
    "magento": (magento.map_order, load(SAMPLES, "magento2_order.json")),
    "amazon": (
        amazon.map_order,
        dict(
            load(SAMPLES, "amazon_sp_get_orders.json")["payload"]["Orders"][0],
            OrderItems=load(SAMPLES, "amazon_sp_get_order_items.json")["payload"]["OrderItems"],
        ),
    ),
}


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON document a value can be put."""
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += paths(value, (*prefix, i))
    return found


@st.composite
def changed_orders(draw: st.DrawFn, sample: Any) -> Any:
    """The sample with a few of its values, anywhere in it, replaced by anything at all."""
    order = copy.deepcopy(sample)
    places = paths(order)
    for path in draw(st.lists(st.sampled_from(places), min_size=1, max_size=4)):
        node = order
        try:
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = draw(json_values)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change replaced what this path went through
    return order


def answered(map_order: Callable[[Mapping[str, Any], str], OrderDraft], order: Any) -> None:
    """A draft the store can keep, or BadField: nothing else may come out."""
    try:
        draft = map_order(order, "file.json order 1")
    except BadField:
        return
    assert isinstance(draft, OrderDraft)
    with contextlib.suppress(BadField):
        limits.check_order(draft)


@pytest.mark.parametrize("channel", sorted(CHANNELS))
@SETTINGS
@given(data=st.data())
def test_any_value_anywhere_in_an_order_gives_a_draft_or_a_bad_field(
    channel: str, data: st.DataObject
) -> None:
    map_order, sample = CHANNELS[channel]
    answered(map_order, data.draw(changed_orders(sample)))


@pytest.mark.parametrize("channel", sorted(CHANNELS))
@SETTINGS
@given(value=json_values)
def test_any_json_value_as_an_order_gives_a_draft_or_a_bad_field(channel: str, value: Any) -> None:
    map_order, _ = CHANNELS[channel]
    if isinstance(value, Mapping):
        answered(map_order, value)


def _json_safe(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, int) and abs(value) > 10**100:
        return str(value)  # json.dumps refuses a 5,000-digit int; the corpus has one as text
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


@pytest.mark.parametrize("channel", sorted(CHANNELS))
@SETTINGS
@given(value=json_values)
def test_any_json_file_gives_drafts_and_row_errors_or_is_refused(channel: str, value: Any) -> None:
    text = json.dumps(_json_safe([value, {"orders": [value]}, value]))
    try:
        items = list(ORDER_READERS[channel](io.StringIO(text), "file.json"))
    except UnreadableFile:
        return
    for item in items:
        assert isinstance(item, OrderDraft | RowError)
        if isinstance(item, OrderDraft):
            limits.check_order(item)  # what a reader hands out, the store can keep


RETAIL_HEADER = ",".join(csv_orders.RETAIL_COLUMNS)
GENERIC_HEADER = "order_id,placed_at,currency,status,sku,name,quantity,unit_price,tax_rate"
cells = st.text(ANY_CHARACTER, max_size=8) | st.sampled_from(
    ["1", "2", "-3", "4.25", "1e30", "NaN", "2010-12-01 13:17:00", "GB", "A1", "536528", "EUR"]
)


@pytest.mark.parametrize("header", [RETAIL_HEADER, GENERIC_HEADER], ids=["retail", "generic"])
@SETTINGS
@given(rows=st.lists(st.lists(cells, min_size=7, max_size=10), max_size=6))
def test_any_csv_rows_give_drafts_and_row_errors_or_the_file_is_refused(
    header: str, rows: list[list[str]]
) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header.split(","), *rows])
    # The bytes a file would hold (a lone surrogate as the bytes that encode it: not UTF-8).
    data = out.getvalue().encode("utf-8", "surrogatepass")
    try:
        items = csv_orders.read(io.BytesIO(data), "file.csv")  # checked, grouped, read
    except UnreadableFile:
        return
    for item in items:
        assert isinstance(item, OrderDraft | RowError)
        if isinstance(item, OrderDraft):
            limits.check_order(item)


def test_the_text_limits_are_the_store_columns() -> None:
    from app.db import models

    def size(model: Any, column: str) -> int:
        return int(model.__table__.c[column].type.length)

    assert {k: v for k, v in limits.ORDER_TEXT.items() if v} == {
        "external_id": size(models.Order, "external_id"),
        "currency": size(models.Order, "currency"),
        "carrier": size(models.Order, "carrier"),
        "service": size(models.Order, "service"),
        "channel_status": 64,  # quoted in hold reasons (text), kept short to read
    }
    assert {k: size(models.Customer, k) for k in limits.CUSTOMER_TEXT} == limits.CUSTOMER_TEXT
    assert {k: size(models.Address, k) for k in limits.ADDRESS_TEXT} == limits.ADDRESS_TEXT
    assert {k: size(models.OrderLine, k) for k in limits.LINE_TEXT} == limits.LINE_TEXT
    assert {
        "sku": size(models.Product, "sku"),
        "name": size(models.Product, "name"),
        "currency": size(models.Product, "currency"),
        "bin_code": size(models.Bin, "code"),
    } == limits.PRODUCT_TEXT
    assert size(models.ProductBarcode, "code") == limits.BARCODE_TEXT
