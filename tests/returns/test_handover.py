"""A return saved at one station is finished at another: taken over through the central
store, with every unit scanned at the first; the first station's later scans are refused
centrally, said why, and nothing is counted twice."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.bootstrap import Station
from app.db.models import Bin, OutboxCommand, Product, ReturnRecord, StockLevel
from app.domain.users import Role
from app.services import returns
from app.sync.engine import sync_once, sync_status
from tests.packing.world import TEA
from tests.returns.world import on_hand, person, ship
from tests.sync.stores import Central, open_test_station


def test_a_return_saved_at_one_station_is_finished_at_another(
    bench: Station, central: Central, tmp_path: Path
) -> None:
    clerk = person(bench, Role.RETURNS)
    ship(bench, "100234", {1: 2, 2: 3, 3: 1}, {3: ("SP-0001",)})
    ra = returns.open_return(bench, clerk, "100234").number
    returns.receive(bench, clerk, ra, TEA)
    sync_once(bench)  # the shipment and the open return reach the central store

    other = open_test_station(tmp_path / "st-02", central.url, "ST-02")
    try:
        sync_once(other)
        there = person(other, Role.RETURNS, "Sam Okafor")
        taken = returns.resume(other, there, ra)
        assert (taken.number, taken.received, taken.state) == (ra, 1, "open")
        assert [x.returnable for x in taken.lines] == [2, 2, 1]
        returns.receive(other, there, ra, TEA)
        done = returns.confirm(other, there, ra)
        assert done.ret.received == 2
        report = sync_once(other)
        assert report.rejected == 0, report
        assert on_hand(other, "TEA-EARL-100") == {"A-02-1": 19}
    finally:
        other.close()

    returns.receive(bench, clerk, ra, TEA)  # the first station did not know: refused centrally
    refused = sync_once(bench)
    assert refused.rejected == 1
    with bench.local(readonly=True) as uow:
        reason = uow.session.scalar(
            select(OutboxCommand.reason).where(OutboxCommand.state == "rejected")
        )
    assert reason is not None and "taken over and confirmed by station ST-02" in reason
    (shown,) = sync_status(bench).rejected
    assert shown.summary == f"return.saved {ra} (order 100234)"  # as the Sync page lists it
    with central.engine.connect() as conn:
        copy = conn.execute(select(ReturnRecord).where(ReturnRecord.number == ra)).one()
        stock = conn.scalar(
            select(StockLevel.on_hand)
            .join(Bin, Bin.id == StockLevel.bin_id)
            .join(Product, Product.id == StockLevel.product_id)
            .where(Product.sku == "TEA-EARL-100", Bin.code == "A-02-1")
        )
    assert (copy.state, copy.held_by) == ("confirmed", "ST-02")
    assert stock == 19  # 20 - 3 shipped + 2 restocked, once
