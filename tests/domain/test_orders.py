from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.errors import InvalidQuantities
from app.domain.money import goods_total, line_total, order_total, round_money
from app.domain.money_format import format_money
from app.domain.orders import LineQuantities
from app.domain.stock import BinStock, plan_allocation


def test_a_partial_shipment_leaves_the_rest_open_with_its_stock_committed() -> None:
    line = LineQuantities(ordered=5, allocated=5, picked=5, packed=3, shipped=3, invoiced=3)
    assert line.open == 2
    assert line.committed == 2
    assert line.to_invoice == 0


@pytest.mark.parametrize(
    ("quantities", "message"),
    [
        ({"ordered": 0}, "at least 1"),
        ({"ordered": 2, "allocated": 3}, "Allocated 3 is more than the 2 ordered"),
        (
            {"ordered": 2, "allocated": 2, "picked": 1, "packed": 2},
            "Packed 2 is more than the 1 picked",
        ),
        (
            {"ordered": 2, "allocated": 2, "picked": 2, "packed": 2, "shipped": 1, "invoiced": 2},
            "Invoiced 2 is more than the 1 shipped",
        ),
        ({"ordered": 1, "returned": 1}, "Returned 1 is more than the 0 shipped"),
        ({"ordered": 1, "allocated": -1}, "negative"),
    ],
)
def test_contradicting_quantities_are_refused(quantities: dict[str, int], message: str) -> None:
    with pytest.raises(InvalidQuantities, match=message):
        LineQuantities(**quantities)


@given(st.lists(st.integers(0, 50), min_size=5, max_size=5))
def test_any_quantities_are_either_consistent_or_refused(values: list[int]) -> None:
    ordered = values[0] + 1
    q = dict(zip(("allocated", "picked", "packed", "shipped"), values[1:], strict=True))
    chain = [ordered, *q.values()]
    consistent = all(b <= a for a, b in pairwise(chain))
    if consistent:
        line = LineQuantities(ordered=ordered, **q)
        assert 0 <= line.committed <= ordered
    else:
        with pytest.raises(InvalidQuantities):
            LineQuantities(ordered=ordered, **q)


def test_money_is_rounded_to_the_currencys_minor_unit() -> None:
    assert round_money(Decimal("2.345"), "GBP") == Decimal("2.35")
    assert round_money(Decimal("1234.5"), "JPY") == Decimal("1235")
    assert format_money(Decimal("1234.5"), "GBP") == "£1,234.50"
    assert format_money(Decimal("979.6"), "JPY") == "JP¥980"
    assert format_money(Decimal("19.9"), "PLN") == "PLN\u00a019.90"
    assert format_money(Decimal("19.9"), "EUR", "de_DE") == "19,90\u00a0€"
    assert line_total(3, Decimal("2.10"), Decimal("0.20"), "GBP") == Decimal("7.56")


def test_an_order_total_adds_the_lines_as_each_is_rounded() -> None:
    # 3 × 0.335 × 1.2 = 1.206 → 1.21, twice: 2.42 (summing unrounded would give 2.41).
    lines = [(3, Decimal("0.335"), Decimal("0.2"))] * 2
    assert goods_total(lines, "GBP") == Decimal("2.42")
    assert order_total(lines, Decimal("3.999"), "GBP") == Decimal("6.42")
    assert goods_total([], "GBP") == 0


def test_allocation_walks_the_bins_in_order_and_reports_the_shortfall() -> None:
    bins = [
        BinStock("B-02", 20, on_hand=5, committed=4),
        BinStock("A-01", 10, on_hand=2, committed=0),
    ]
    assert plan_allocation(4, bins) == ([("A-01", 2), ("B-02", 1)], 1)


def test_a_bin_cannot_commit_more_than_it_holds() -> None:
    with pytest.raises(InvalidQuantities, match="more than the 1 on hand"):
        BinStock("A-01", 1, on_hand=1, committed=2)
