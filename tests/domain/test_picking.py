"""The pick list rules over plain values: who goes on a list, merging, walk order, slots."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from app.domain.errors import DomainError
from app.domain.picking import (
    Candidate,
    LineState,
    OverPick,
    PickingError,
    SplitState,
    Take,
    WaveBy,
    WrongBin,
    WrongItem,
    WrongTote,
    check_bin,
    check_item,
    cutoff_of,
    plan_batch,
    plan_single,
    plan_wave,
    share_short,
    tote_for,
)
from app.domain.status import OrderStatus

A = OrderStatus.ALLOCATED


def take(
    bin_code: str, walk: int, sku: str = "MUG", units: int = 1, zone: str = "A", line: int = 1
) -> Take:
    product = {"MUG": 1, "TEA": 2, "SPOON": 3, "CUP": 4}[sku]
    return Take(line, product, sku, sku.title(), None, bin_code, zone, walk, units)


def order(number: str, *takes: Take, status: OrderStatus = A, **kw: object) -> Candidate:
    return Candidate(number, status, takes=takes, **kw)  # type: ignore[arg-type]


def test_stops_follow_the_walk_zone_by_zone_whatever_the_order_lines_say() -> None:
    o = order(
        "1",
        take("B-01-1", 50, "CUP", zone="B", line=1),
        take("A-09-1", 9, "TEA", line=2),
        take("A-02-1", 2, "MUG", line=3),
        take("C-01-1", 5, "SPOON", zone="C", line=4),
    )
    (made,) = plan_single([o]).lists
    # Zones in the order the walk reaches their first bin: A at 2, C at 5, B at 50.
    assert [line.bin_code for line in made.lines] == ["A-02-1", "A-09-1", "C-01-1", "B-01-1"]
    assert made.zones == ("A", "C", "B")


def test_the_same_product_in_the_same_bin_is_one_stop_keeping_each_orders_share() -> None:
    orders = [
        order("1", take("A-01-1", 1, "MUG", 2)),
        order("2", take("A-01-1", 1, "MUG", 3), take("A-02-1", 2, "TEA", 1, line=2)),
        order("3", take("A-05-1", 5, "MUG", 1)),  # same product, another bin: its own stop
    ]
    (made,) = plan_batch(orders, 3).lists
    mug = made.lines[0]
    assert (mug.bin_code, mug.units) == ("A-01-1", 5)
    assert [(s.order_number, s.slot, s.units) for s in mug.splits] == [("1", 1, 2), ("2", 2, 3)]
    assert [line.bin_code for line in made.lines] == ["A-01-1", "A-02-1", "A-05-1"]
    assert made.units == 7


def test_a_batch_splits_into_lists_of_n_each_order_in_its_own_slot_most_urgent_first() -> None:
    now = datetime(2026, 12, 3, 9, tzinfo=UTC)
    orders = [
        order(str(n), take(f"A-0{n}-1", n), priority=(5 if n == 4 else 0), placed_at=now)
        for n in range(1, 6)
    ]
    lists = plan_batch(orders, 2).lists
    assert [x.slots for x in lists] == [
        (("4", 1), ("1", 2)),
        (("2", 1), ("3", 2)),
        (("5", 1),),
    ]
    with pytest.raises(DomainError):
        plan_batch(orders, 0)


def test_held_void_fulfilled_elsewhere_listed_or_unallocated_orders_stay_off_with_a_reason() -> (
    None
):
    orders = [
        order("1", take("A-01-1", 1), status=OrderStatus.ON_HOLD, hold_reasons=("address",)),
        order("2", take("A-01-1", 1), status=OrderStatus.VOID),
        order("3", status=OrderStatus.FULFILLED, fulfilled_elsewhere="completed in Shopify"),
        order("4", take("A-01-1", 1), on_open_list="PL-ST-01-000001"),
        order("5", take("A-01-1", 1), status=OrderStatus.FINALIZED),
        order("6"),
        order("7", take("A-01-1", 1), warehouse="BER"),
        order("8", take("A-01-1", 1)),
        order("8", take("A-01-1", 1)),  # named twice: listed once
    ]
    plan = plan_batch(orders, 10, warehouse="MAN")
    assert [x.orders for x in plan.lists] == [("8",)]
    reasons = dict(plan.refused)
    assert "on hold (address)" in reasons["1"]
    assert "void" in reasons["2"]
    assert "fulfilled elsewhere" in reasons["3"]
    assert "already on pick list PL-ST-01-000001" in reasons["4"]
    assert "not allocated" in reasons["5"]
    assert "holds no stock" in reasons["6"]
    assert "warehouse BER" in reasons["7"]


def test_a_wave_groups_then_splits_by_zone_keeping_an_orders_slot_in_every_zone() -> None:
    dpd = {"carrier": "DPD", "service": "next-day"}
    orders = [
        order("1", take("A-01-1", 1), take("B-01-1", 10, "TEA", zone="B", line=2), **dpd),
        order("2", take("B-02-1", 11, "CUP", zone="B"), **dpd),
        order("3", take("A-03-1", 3), carrier="Royal Mail"),
    ]
    plan = plan_wave(orders, WaveBy.CARRIER)
    got = [(x.grouping, x.zone, x.slots) for x in plan.lists]
    assert got == [
        ("carrier DPD next-day", "A", (("1", 1),)),
        ("carrier DPD next-day", "B", (("1", 1), ("2", 2))),
        ("carrier Royal Mail", "A", (("3", 1),)),
    ]
    only_b = plan_wave(orders, WaveBy.CARRIER, zone="b")
    assert [x.zone for x in only_b.lists] == ["B"]
    assert "nothing to pick in zone b" in dict(only_b.refused)["3"]
    capped = plan_wave(orders[:2], WaveBy.PRIORITY, max_orders=1)
    assert [(x.zone, x.orders) for x in capped.lists] == [
        ("A", ("1",)),
        ("B", ("1",)),
        ("B", ("2",)),
    ]


def test_the_cut_off_is_the_first_daily_cut_off_after_the_order_was_placed() -> None:
    morning = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
    evening = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
    assert cutoff_of(morning) == datetime(2026, 12, 3, 14, 0, tzinfo=UTC)
    assert cutoff_of(evening) == datetime(2026, 12, 4, 14, 0, tzinfo=UTC)
    assert cutoff_of(morning, (time(9), time(12))) == datetime(2026, 12, 3, 12, tzinfo=UTC)
    orders = [
        order("1", take("A-01-1", 1), placed_at=morning),
        order("2", take("A-01-1", 1), placed_at=evening),
    ]
    assert [x.grouping for x in plan_wave(orders, WaveBy.CUTOFF).lists] == [
        "cut-off 2026-12-03 14:00",
        "cut-off 2026-12-04 14:00",
    ]


def _line(*splits: SplitState, picked: int = 0) -> LineState:
    return LineState(
        1, "A-01-1", "A", "MUG", "Mug", 1, sum(s.quantity for s in splits), picked, 0, splits
    )


def test_the_picker_is_refused_a_wrong_bin_item_one_too_many_or_another_orders_tote() -> None:
    line = _line(
        SplitState("100234", 1, 1, 2, 0, 0, None), SplitState("100240", 1, 2, 1, 0, 0, "TOTE-2")
    )
    with pytest.raises(WrongBin, match="goes to A-01-1"):
        check_bin(line, "A-02-1")
    check_bin(line, "a-01-1")
    with pytest.raises(WrongItem):
        check_item(line, 2, "TEA", 1, 0)
    with pytest.raises(OverPick, match="One too many"):
        check_item(line, 1, "MUG", 1, 3)
    check_item(line, 1, "MUG", 3, 0)
    with pytest.raises(WrongTote, match="TOTE-2 holds order 100240"):
        tote_for(line.splits[0], "tote-2", {"TOTE-2": "100240"})
    with pytest.raises(WrongTote, match="goes in TOTE-2"):
        tote_for(line.splits[1], "TOTE-9", {"TOTE-2": "100240"})
    tote_for(line.splits[0], "TOTE-1", {"TOTE-2": "100240"})


def test_a_short_falls_on_the_last_slots_first() -> None:
    line = _line(SplitState("1", 1, 1, 2, 0, 0), SplitState("2", 1, 2, 2, 0, 0))
    assert [(s.order_number, n) for s, n in share_short(line, 3)] == [("2", 2), ("1", 1)]
    with pytest.raises(PickingError):
        share_short(line, 5)
