"""The stock rules applied to the rows (app/db/stock.py), on a real central store: each step
moves the lines and the bins as app/domain/stock.py says, stamps the stock rows it moved so
stations pull them, and a refusal names the line and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from app.db.models import Order, StockLevel
from app.db.session import UnitOfWorkFactory, unit_of_work_factory
from app.db.stock import (
    pack_line,
    pick_line,
    quarantine_line,
    restock_line,
    ship_order,
    short_pick_line,
)
from app.domain.errors import InvalidQuantities
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
