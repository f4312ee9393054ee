"""The stock rules applied to the rows (app/db/stock.py), on a real central store: each step
moves the lines and the bins as app/domain/stock.py says, stamps the stock rows it moved so
stations pull them, and a refusal names the line and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from app.db.lifecycle import move_order
from app.db.models import Bin, Order, StockLevel
from app.db.session import UnitOfWorkFactory, unit_of_work_factory
from app.db.stock import (
    allocate_order,
    pack_line,
    pick_line,
    quarantine_line,
    release_order,
    restock_line,
    ship_order,
    short_pick_line,
)
from app.domain.errors import InvalidQuantities
from app.domain.status import OrderStatus
from app.sync.clock import stamp_changes, track_changes
from tests.packing.world import build_central
from tests.stock_checks import line_chains, on_hand_of, stock_problems
from tests.sync.stores import sqlite_central


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Engine]:
    with sqlite_central(tmp_path / "central") as central:
        build_central(central.engine)  # 100234: 2 mugs, 3 teas, 1 spoon set, all allocated
        yield central.engine


def units(engine: Engine) -> UnitOfWorkFactory:
    return unit_of_work_factory(engine, before_commit=stamp_changes, on_open=track_changes)


def order_id(engine: Engine, number: str) -> int:
    with engine.connect() as c:
        return int(c.execute(select(Order.id).where(Order.number == number)).scalar_one())


def stamps(engine: Engine) -> dict[tuple[int, int], int]:
    with engine.connect() as c:
        rows = c.execute(select(StockLevel.product_id, StockLevel.bin_id, StockLevel.change_seq))
        return {(p, b): seq for p, b, seq in rows}


def test_a_line_goes_from_the_shelf_to_the_customer_and_back_through_the_rules(
    store: Engine,
) -> None:
    order = order_id(store, "100234")
    before = stamps(store)
    with units(store)() as uow:
        s = uow.session
        pick_line(s, order, 1, 2)
        short_pick_line(s, order, 2, "A-02-1", 1)  # one tea was not in its bin
        pack_line(s, order, 1, 2)
        ship_order(s, order, "100234", {1: 2})
        uow.commit()
    assert line_chains(store, "100234") == [(2, 2, 2, 2, 2), (3, 2, 0, 0, 0), (1, 1, 0, 0, 0)]
    assert on_hand_of(store, "MUG-BLUE-350") == (18, 2)  # 100250's two mugs still held
    assert on_hand_of(store, "TEA-EARL-100") == (19, 5)  # 3 + 2 + 1 held, 1 written off
    assert stock_problems(store) == []
    after = stamps(store)
    moved = {key for key in after if after[key] != before[key]}
    assert moved == {(1, 1), (2, 2)}  # the mugs' bin and the teas' bin, stamped to be pulled

    with units(store)() as uow:
        restock_line(uow.session, order, 1, "A-03-1", 1)  # back, onto the spoons' shelf
        quarantine_line(uow.session, order, 1, 1)  # back, damaged
        uow.commit()
    assert on_hand_of(store, "MUG-BLUE-350") == (19, 2)
    assert stock_problems(store) == []


def test_a_refused_step_names_the_line_and_changes_nothing(store: Engine) -> None:
    order = order_id(store, "100234")
    chains = line_chains(store, "100234")
    with units(store)() as uow:
        pick_line(uow.session, order, 3, 1)
        with pytest.raises(InvalidQuantities, match=r"line 3 \(SPOON-SET-4\): only 1 are picked"):
            pack_line(uow.session, order, 3, 2)
        with pytest.raises(InvalidQuantities, match="only 0 shipped and not yet returned"):
            quarantine_line(uow.session, order, 3, 1)
        with pytest.raises(InvalidQuantities, match="has no line 9"):
            ship_order(uow.session, order, "100234", {9: 1})
    # The unit of work was not committed: nothing at all changed.
    assert line_chains(store, "100234") == chains


# --- random sequences on the rows ---------------------------------------------------------------

ORDERS = ("100234", "100240", "100250")
BINS = ("A-01-1", "A-02-1", "A-03-1")
steps = st.lists(
    st.tuples(
        st.sampled_from(
            ("allocate", "release", "pick", "short", "pack", "ship", "restock", "quarantine")
        ),
        st.sampled_from(ORDERS),
        st.integers(1, 3),  # line number (an order may have fewer: refused, nothing changes)
        st.integers(1, 3),  # units
        st.sampled_from(BINS),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sequence=steps)
def test_any_sequence_of_steps_on_the_rows_keeps_the_stock_adding_up(
    store: Engine, sequence: list[tuple[str, str, int, int, str]]
) -> None:
    ids = {number: order_id(store, number) for number in ORDERS}
    with units(store)() as uow:  # never committed: each example starts from the same world
        s = uow.session
        for step, number, line_no, n, code in sequence:
            order = ids[number]
            savepoint = s.begin_nested()
            try:
                if step == "allocate":
                    allocate_order(s, order, number)
                elif step == "release":
                    release_order(s, order, number)
                elif step == "pick":
                    pick_line(s, order, line_no, n)
                elif step == "short":
                    short_pick_line(s, order, line_no, code, n)
                elif step == "pack":
                    pack_line(s, order, line_no, n)
                elif step == "ship":
                    ship_order(s, order, number, {line_no: n})
                elif step == "restock":
                    restock_line(s, order, line_no, code, n)
                else:
                    quarantine_line(s, order, line_no, n)
            except InvalidQuantities:
                savepoint.rollback()  # as every caller does: the refused step left nothing
            else:
                savepoint.commit()
            assert stock_problems(s.connection()) == [], (step, number, line_no, n, code)


def test_a_release_centrally_stamps_every_stock_row_of_its_products_for_stations_to_refresh(
    store: Engine,
) -> None:
    """A station allocated the release from its own copy; whatever bins it chose, its next
    pull replaces them with the central rows of those products."""
    with units(store)() as uow:
        s = uow.session
        shelf = Bin(code="B-09-1", zone="B", walk_sequence=90)
        s.add(shelf)
        s.flush()
        s.add(StockLevel(product_id=2, bin_id=shelf.id, on_hand=0, committed=0))  # tea, empty
        order = s.scalar(select(Order).where(Order.number == "100240"))
        assert order is not None
        move_order(s, order, OrderStatus.ON_HOLD, "Check the address")
        uow.commit()
    before = stamps(store)
    with units(store)() as uow:
        order = uow.session.scalar(select(Order).where(Order.number == "100240"))
        assert order is not None
        move_order(uow.session, order, OrderStatus.FINALIZED)
        assert order.status is OrderStatus.ALLOCATED  # it still holds its two teas
        uow.commit()
    after = stamps(store)
    assert {key for key in after if after[key] != before[key]} == {(2, 2), (2, shelf.id)}
