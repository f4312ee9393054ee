"""A short pick and its re-allocation where bin codes repeat across warehouses, by the door.

A fresh PostgreSQL central store is laid out as the demo is: warehouse WEST has the same bin
codes as MAIN, with tea in its A-02-1 too; MAIN also keeps five teas in B-07-1, further down
the walk. The supervisor builds order 100240's list with ``packbench picklist create``; the
picker finds MAIN's A-02-1 empty (a short pick, "bin empty"). What the system still believed
was in the bin is written off (nothing of it allocates again until it is counted), and
WEST's A-02-1 is never touched. ``packbench picklist resolve 100240 reallocate`` then takes
the two teas from B-07-1, not from the bin just reported empty; after ``packbench sync`` the
central store wrote off the same.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.domain.picking import ShortReason
from app.domain.users import Role
from app.services import picking
from tests.invoicing.test_central_refusal import postgres
from tests.packing.world import packer
from tests.picking.test_picklist_command import packbench
from tests.returns.test_returns_command import add_people
from tests.returns.world import add_bin, second_warehouse, stock_by_warehouse
from tests.sync.stores import Central, open_test_station

__all__ = ["postgres"]

TEA_SKU = "TEA-EARL-100"
MAIN = 1


@pytest.mark.postgres
def test_a_bin_reported_empty_is_written_off_in_its_own_warehouse_and_not_allocated_again(
    postgres: Central, tmp_path: Path
) -> None:
    second_warehouse(postgres.engine, "WEST", {TEA_SKU: 20})
    add_bin(postgres.engine, MAIN, "B-07-1", 7, {TEA_SKU: 5})
    home = tmp_path / "st-01"
    station = open_test_station(home, postgres.url, "ST-01")  # no warehouse set: MAIN's
    try:
        add_people(postgres, station)
        made = packbench(home, postgres, "picklist", "create", "--orders", "100240", "--json")
        assert made.returncode == 0, made.stderr
        listed = json.loads(made.stdout.splitlines()[0])["number"]
        picker = packer(station, Role.PICKER, "Ana")
        view = picking.open_list(station, picker, listed)
        assert view.line is not None and view.line.bin_code == "A-02-1"
        picking.at_bin(station, picker, listed, "A-02-1")
        picking.short_pick(station, picker, listed, 0, ShortReason.BIN_EMPTY)
        shorted = stock_by_warehouse(station.local_engine, TEA_SKU)
    finally:
        station.close()
    # MAIN's A-02-1 held 20, 6 of them committed (100234: 3, 100240: 2, 100250: 1). The two
    # of 100240 and the 14 nobody held are written off; the other orders keep their 4.
    assert shorted[("MAIN", "A-02-1")] == (4, 4)
    assert shorted[("WEST", "A-02-1")] == (20, 0)  # the same code elsewhere: untouched

    resolved = packbench(home, postgres, "picklist", "resolve", "100240", "reallocate")
    assert resolved.returncode == 0, resolved.stdout + resolved.stderr
    assert "2 units re-allocated" in resolved.stdout, resolved.stdout
    station = open_test_station(home, postgres.url, "ST-01")
    try:
        after = stock_by_warehouse(station.local_engine, TEA_SKU)
        follow = picking.open_list(
            station, packer(station, Role.PICKER, "Ana"), resolved.stdout.split()[-1].rstrip(".")
        )
    finally:
        station.close()
    assert after[("MAIN", "B-07-1")] == (5, 2)  # the re-allocation went down the walk
    assert after[("MAIN", "A-02-1")] == (4, 4)  # not back to the bin reported empty
    assert after[("WEST", "A-02-1")] == (20, 0)
    assert follow.line is not None and follow.line.bin_code == "B-07-1"

    synced = packbench(home, postgres, "sync", "--once", "--json")
    assert synced.returncode == 0, synced.stdout + synced.stderr
    assert json.loads(synced.stdout)["rejected"] == 0, synced.stdout
    central = stock_by_warehouse(postgres.engine, TEA_SKU)
    assert central[("MAIN", "A-02-1")] == (4, 4)
    assert central[("WEST", "A-02-1")] == (20, 0)
