"""A return confirmed at a station changes the central store too: stock per bin, the order's
status, the lines' returned units, the central copy of the return, the credit note.

A fresh PostgreSQL database is the central store; the clerk works through ``packbench``
in a subprocess and ``packbench sync`` carries the return there.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db.models import (
    Invoice,
    Order,
    OutboxCommand,
    ReturnRecord,
)
from app.domain.invoicing import Selection
from app.domain.status import OrderStatus
from app.domain.users import Role
from app.services.invoicing import issue_invoice
from app.sync.engine import sync_once
from tests.invoicing.test_central_refusal import postgres
from tests.packing.world import MUG, SPOON, TEA
from tests.returns.test_returns_command import add_people, ok, packbench
from tests.returns.world import on_hand, person, ship, stock_in
from tests.sync.stores import Central, open_test_station

__all__ = ["postgres"]  # the fresh PostgreSQL central store, a fixture


@pytest.mark.postgres
def test_each_disposition_moves_stock_at_the_station_and_centrally(
    postgres: Central, tmp_path: Path
) -> None:
    home = tmp_path / "st-01"
    station = open_test_station(home, postgres.url, "ST-01")
    try:
        add_people(postgres, station)
        ship(station, "100234", {1: 2, 2: 3, 3: 1}, {3: ("SP-0001",)})
        issue_invoice(station, person(station, Role.SUPERVISOR), "100234", Selection.everything())
        sync_once(station)  # the shipment and invoice reach the central store
    finally:
        station.close()
    ra = ok(packbench(home, postgres, "returns", "open", "100234", "--json"))["number"]
    ok(packbench(home, postgres, "returns", "receive", ra, TEA, "--json"))  # restock, own bin
    ok(packbench(home, postgres, "returns", "receive", ra, TEA, "--json"))
    ok(packbench(home, postgres, "returns", "set", ra, "--bin", "A-03-1", "--json"))  # scanned bin
    ok(packbench(home, postgres, "returns", "receive", ra, MUG, "--json"))
    ok(packbench(home, postgres, "returns", "set", ra, "--reason", "damaged", "--json"))
    ok(packbench(home, postgres, "returns", "receive", ra, MUG, "--json"))
    ok(packbench(home, postgres, "returns", "set", ra, "--disposition", "scrap", "--json"))
    ok(packbench(home, postgres, "returns", "receive", ra, SPOON, "--serial", "SP-0001", "--json"))
    ok(packbench(home, postgres, "returns", "set", ra, "--reason", "wrong_item", "--json"))
    done = ok(packbench(home, postgres, "returns", "confirm", ra, "--json"))
    assert len(done["credit_notes"]) == 1

    station = open_test_station(home, postgres.url, "ST-01")
    try:
        expected = {
            "TEA-EARL-100": {"A-02-1": 18, "A-03-1": 1},
            "MUG-BLUE-350": {"A-01-1": 18},  # one quarantined, one scrapped: out of stock
            "SPOON-SET-4": {"A-03-1": 20},  # the wrong item restocked to its own bin
        }
        for sku, bins in expected.items():
            assert on_hand(station, sku) == bins, sku
        report = sync_once(station)
        assert report.rejected == 0, report
        with station.local(readonly=True) as uow:
            states = uow.session.scalars(select(OutboxCommand.state)).all()
            assert set(states) == {"applied"}
    finally:
        station.close()
    for sku, bins in expected.items():
        assert stock_in(postgres.engine, sku) == bins, sku
    with postgres.engine.connect() as conn:
        status = conn.scalar(select(Order.status).where(Order.number == "100234"))
        copy = conn.execute(select(ReturnRecord).where(ReturnRecord.number == ra)).one()
        credit = conn.execute(select(Invoice.kind, Invoice.gross)).all()
    assert status is OrderStatus.PARTIALLY_RETURNED  # one tea stayed with the customer
    assert copy.state == "confirmed" and copy.refund["credit"] == {
        "TEA-EARL-100": 2,
        "MUG-BLUE-350": 2,
        "SPOON-SET-4": 1,
    }
    kinds = {k for k, _ in credit}
    assert kinds == {"invoice", "credit_note"}
    gross = {str(k): Decimal(g) for k, g in credit}
    assert gross["credit_note"] <= gross["invoice"] and gross["credit_note"] > Decimal(0)
