"""A return received in another warehouse than the one that shipped the order, by the door.

A fresh PostgreSQL database is the central store, laid out as the demo is: warehouse WEST
has the same bin codes as MAIN. Order 100240 (two teas) is moved to WEST and ships from
WEST's bin A-02-1. The returns clerk at ST-01, a MAIN station, takes one tea back with
``packbench returns``: it goes into MAIN's A-02-1 (the bin of MAIN that stocks tea), never
into WEST's bin of the same code, and a bin only WEST has is refused, naming MAIN. After
``packbench sync`` the central store moved the same stock (its ``return.record`` handler
restocks into the warehouse the return names) and its copy of the return says MAIN.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, select

from app.db.models import ReturnRecord
from app.sync.engine import sync_once
from tests.invoicing.test_central_refusal import postgres
from tests.packing.world import TEA
from tests.returns.test_returns_command import add_people, ok, packbench
from tests.returns.world import move_order, second_warehouse, ship, stock_by_warehouse
from tests.sync.stores import Central, open_test_station

__all__ = ["postgres"]  # the fresh PostgreSQL central store, a fixture

TEA_SKU = "TEA-EARL-100"


@pytest.mark.postgres
def test_a_return_restocks_into_the_receiving_warehouse_and_the_central_store_agrees(
    postgres: Central, tmp_path: Path
) -> None:
    west = second_warehouse(postgres.engine, "WEST", {TEA_SKU: 20}, extra_bin="W-09-1")
    move_order(postgres.engine, "100240", west)
    home = tmp_path / "st-01"
    station = open_test_station(home, postgres.url, "ST-01")  # no warehouse set: MAIN's
    try:
        add_people(postgres, station)
        ship(station, "100240", {1: 2})  # both teas leave WEST's A-02-1
        sync_once(station)
        shipped = stock_by_warehouse(station.local_engine, TEA_SKU)
    finally:
        station.close()
    assert shipped[("WEST", "A-02-1")] == (18, 0)
    main_before = shipped[("MAIN", "A-02-1")]

    def desk(*args: str) -> dict:  # type: ignore[type-arg]
        return ok(packbench(home, postgres, "returns", *args, "--json"))

    ra = desk("open", "100240")["number"]
    desk("receive", ra, TEA)
    refused = packbench(home, postgres, "returns", "set", ra, "--disposition", "restock",
                        "--bin", "W-09-1")  # fmt: skip
    assert refused.returncode != 0
    assert "no bin W-09-1 in warehouse MAIN" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    sorted_unit = desk("set", ra, "--disposition", "restock")
    assert [u["bin"] for u in sorted_unit["units"]] == ["A-02-1"]
    desk("confirm", ra)

    here = stock_by_warehouse(station_file(home), TEA_SKU)
    assert here[("MAIN", "A-02-1")] == (main_before[0] + 1, main_before[1])
    assert here[("WEST", "A-02-1")] == (18, 0)  # the shipping warehouse's bin: untouched

    synced = packbench(home, postgres, "sync", "--once", "--json")
    assert synced.returncode == 0, synced.stdout + synced.stderr
    assert '"rejected": 0' in synced.stdout, synced.stdout
    central = stock_by_warehouse(postgres.engine, TEA_SKU)
    assert central[("MAIN", "A-02-1")] == here[("MAIN", "A-02-1")]
    assert central[("WEST", "A-02-1")] == (18, 0)
    with postgres.engine.connect() as c:
        kept = c.execute(select(ReturnRecord.warehouse).where(ReturnRecord.number == ra))
        assert kept.scalar_one() == "MAIN"


def station_file(home: Path) -> Engine:
    """The station's own SQLite file, read as the test's eyes (the process has ended)."""
    return create_engine(f"sqlite:///{home / 'data' / 'station.sqlite3'}")
