"""The stock rules: each step on its own, and random sequences of steps that must keep the
quantity chain and the bins' stock true."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.errors import InvalidQuantities
from app.domain.orders import LineQuantities
from app.domain.picking import ShortReason
from app.domain.status import OrderStatus
from app.domain.stock import (
    CLEARING_REASONS,
    BinStock,
    Moved,
    allocate,
    pack,
    pick,
    quarantine,
    release,
    restock,
    ship,
    short_clears_bin,
    short_pick,
    status_after_allocation,
)

SHELF = BinStock("A-01-1", 10, on_hand=3, committed=0)
BULK = BinStock("Z-BULK", 90, on_hand=10, committed=2)


def test_allocation_takes_the_nearest_bin_first_and_leaves_the_rest_short() -> None:
    moved = allocate(LineQuantities(ordered=20), {}, [BULK, SHELF])
    assert moved.held == {"A-01-1": 3, "Z-BULK": 8}
    assert moved.line.allocated == 11
    assert moved.short == 9
    assert moved.bins["A-01-1"].committed == 3
    assert moved.bins["Z-BULK"].committed == 10


def test_shipping_takes_units_out_of_the_bins_that_held_them() -> None:
    moved = allocate(LineQuantities(ordered=4), {}, [SHELF, BULK])
    bins = {**{b.bin_code: b for b in (SHELF, BULK)}, **moved.bins}
    shipped = ship(moved.line, moved.held, bins.values(), 4)
    assert shipped.line == LineQuantities(4, allocated=4, picked=4, packed=4, shipped=4)
    assert shipped.held == {}
    assert shipped.bins["A-01-1"] == BinStock("A-01-1", 10, on_hand=0, committed=0)
    assert shipped.bins["Z-BULK"] == BinStock("Z-BULK", 90, on_hand=9, committed=2)


def test_shipping_more_than_is_allocated_is_refused() -> None:
    line = LineQuantities(ordered=5, allocated=2)
    with pytest.raises(InvalidQuantities, match="only 2 are allocated, 3 would have shipped"):
        ship(line, {"A-01-1": 2}, [SHELF], 3)


def test_a_void_gives_back_what_the_line_holds_but_not_what_shipped() -> None:
    line = LineQuantities(ordered=5, allocated=5, picked=4, packed=3, shipped=2)
    moved = release(line, {"Z-BULK": 2}, [BULK])
    assert moved.line == LineQuantities(5, allocated=2, picked=2, packed=2, shipped=2)
    assert moved.bins["Z-BULK"].committed == 0
    assert moved.held == {}


def test_a_short_pick_writes_the_missing_units_off_the_bin() -> None:
    line = LineQuantities(ordered=3, allocated=3)
    bin_stock = BinStock("A-01-1", 10, on_hand=3, committed=3)
    moved = short_pick(line, {"A-01-1": 3}, bin_stock, 2)
    assert moved.line.allocated == 1
    assert moved.held == {"A-01-1": 1}
    assert moved.bins["A-01-1"] == BinStock("A-01-1", 10, on_hand=1, committed=1)
    with pytest.raises(InvalidQuantities, match="only 1 still to pick there"):
        short_pick(moved.line, moved.held, moved.bins["A-01-1"], 2)


def test_a_bin_reported_empty_loses_its_uncommitted_stock_and_is_not_allocated_again() -> None:
    # The system believed 7 teas in A-01-1: 3 for this line, 2 held by another line, 2 free.
    line = LineQuantities(ordered=3, allocated=3)
    empty = BinStock("A-01-1", 10, on_hand=7, committed=5)
    other = BinStock("B-02-1", 20, on_hand=4, committed=0)
    moved = short_pick(line, {"A-01-1": 3}, empty, 3, clears_bin=True)
    # The line's 3 and the 2 free are written off; the other line's 2 stay its own.
    assert moved.bins["A-01-1"] == BinStock("A-01-1", 10, on_hand=2, committed=2)
    assert moved.line.allocated == 0 and moved.held == {}
    again = allocate(moved.line, moved.held, [moved.bins["A-01-1"], other])
    assert again.held == {"B-02-1": 3}  # the re-allocation goes to another bin only
    # Damaged units leave the bin's other units where they are: they may be allocated.
    damaged = short_pick(line, {"A-01-1": 3}, empty, 1)
    assert damaged.bins["A-01-1"] == BinStock("A-01-1", 10, on_hand=6, committed=4)


def test_which_short_reasons_clear_the_bin() -> None:
    assert short_clears_bin("bin_empty") and short_clears_bin("not_found")
    assert not short_clears_bin("damaged") and not short_clears_bin(None)
    assert {r.value for r in ShortReason} >= CLEARING_REASONS


def test_returns_count_against_what_shipped_and_only_a_restock_adds_stock() -> None:
    line = LineQuantities(ordered=3, allocated=3, picked=3, packed=3, shipped=2)
    moved = restock(line, {"Z-BULK": 1}, SHELF, 1)
    assert moved.held == {"Z-BULK": 1}  # the open unit stays held
    assert moved.line.returned == 1
    assert moved.bins["A-01-1"].on_hand == 4
    assert quarantine(moved.line, 1).returned == 2
    with pytest.raises(InvalidQuantities, match="only 1 shipped and not yet returned"):
        quarantine(moved.line, 2)


def test_picking_and_packing_follow_the_chain() -> None:
    line = LineQuantities(ordered=3, allocated=2)
    with pytest.raises(InvalidQuantities, match="only 0 are picked"):
        pack(line, 1)
    with pytest.raises(InvalidQuantities, match="only 2 are allocated"):
        pick(line, 3)
    assert pack(pick(line, 2), 2).packed == 2


# --- random sequences -------------------------------------------------------------------------

BINS = ("A-01-1", "B-02-1", "Z-BULK")


@dataclass
class World:
    """Three lines of one product, its stock in three bins."""

    bins: dict[str, BinStock]
    lines: list[LineQuantities]
    held: list[dict[str, int]] = field(default_factory=list)

    def take(self, i: int, moved: Moved) -> None:
        self.lines[i] = moved.line
        self.held[i] = dict(moved.held)
        self.bins.update(moved.bins)

    def check(self) -> None:
        for i, line in enumerate(self.lines):
            assert line.problem() is None
            assert all(units > 0 for units in self.held[i].values())
            assert sum(self.held[i].values()) == line.committed, (line, self.held[i])
        for code, b in self.bins.items():
            assert b.on_hand >= b.committed >= 0
            assert b.committed == sum(h.get(code, 0) for h in self.held)


def _step(world: World, op: str, i: int, units: int, code: str) -> None:
    line, held, bins = world.lines[i], world.held[i], world.bins
    if op == "allocate":
        world.take(i, allocate(line, held, bins.values()))
    elif op == "release":
        world.take(i, release(line, held, bins.values()))
    elif op == "pick":
        world.lines[i] = pick(line, units)
    elif op == "short_pick":
        world.take(i, short_pick(line, held, bins[code], units))
    elif op == "short_empty":
        world.take(i, short_pick(line, held, bins[code], units, clears_bin=True))
        assert world.bins[code].available == 0  # nothing of the bin allocates again
    elif op == "pack":
        world.lines[i] = pack(line, units)
    elif op == "ship":
        world.take(i, ship(line, held, bins.values(), units))
    elif op == "restock":
        world.take(i, restock(line, held, bins[code], units))
    elif op == "quarantine":
        world.lines[i] = quarantine(line, units)


OPS = (
    "allocate",
    "release",
    "pick",
    "short_pick",
    "short_empty",
    "pack",
    "ship",
    "restock",
    "quarantine",
)
steps = st.lists(
    st.tuples(
        st.sampled_from(OPS),
        st.integers(0, 1),  # two of the three lines: steps meet on the same line more often
        st.integers(0, 3),
        st.sampled_from(BINS),
    ),
    min_size=5,
    max_size=40,
)


@settings(max_examples=1000)
@given(
    stock=st.tuples(*(st.integers(2, 8) for _ in BINS)),
    ordered=st.tuples(*(st.integers(1, 6) for _ in range(3))),
    sequence=steps,
)
def test_any_sequence_of_steps_keeps_the_chain_and_the_stock_true(
    stock: tuple[int, ...], ordered: tuple[int, ...], sequence: list[tuple[str, int, int, str]]
) -> None:
    world = World(
        {
            code: BinStock(code, 10 * n, on_hand, 0)
            for n, (code, on_hand) in enumerate(zip(BINS, stock, strict=True))
        },
        [LineQuantities(ordered=n) for n in ordered],
        [{} for _ in ordered],
    )
    for op, i, units, code in sequence:
        before = (dict(world.bins), list(world.lines), [dict(h) for h in world.held])
        try:
            _step(world, op, i, units, code)
        except InvalidQuantities:
            # A refusal changes nothing (the world is only written from a finished step).
            assert (world.bins, world.lines, world.held) == before
        world.check()


def _total(bins: Mapping[str, BinStock]) -> int:
    return sum(b.on_hand for b in bins.values())


@given(stock=st.integers(0, 20), ordered=st.integers(1, 20))
def test_stock_only_leaves_by_shipping_or_a_short_pick(stock: int, ordered: int) -> None:
    bins = {"A-01-1": BinStock("A-01-1", 10, stock, 0)}
    moved = allocate(LineQuantities(ordered=ordered), {}, bins.values())
    bins.update(moved.bins)
    assert _total(bins) == stock
    if moved.line.allocated:
        shipped = ship(moved.line, moved.held, bins.values(), moved.line.allocated)
        bins.update(shipped.bins)
        assert _total(bins) == stock - moved.line.allocated


def test_an_order_is_allocated_once_any_line_holds_stock() -> None:
    waiting = LineQuantities(ordered=2)
    part = LineQuantities(ordered=3, allocated=1)
    assert status_after_allocation([waiting, part]) is OrderStatus.ALLOCATED
    assert status_after_allocation([waiting]) is OrderStatus.FINALIZED
    shipped = LineQuantities(ordered=1, allocated=1, picked=1, packed=1, shipped=1)
    assert status_after_allocation([shipped, waiting]) is OrderStatus.FINALIZED
