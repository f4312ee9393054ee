"""Pick lists and picks reach the central store (SQLite, and PostgreSQL when the test server
is there): the first station's list of an order wins and the second is told who; a walk's
picks and a short pick change the central lines and stock as they changed the station's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.bootstrap import Station
from app.db.models import Order, OrderLine, OutboxCommand, PickList, StockLevel
from app.domain.picking import PickingError, ShortReason
from app.domain.users import Role
from app.services import picking
from app.sync.engine import sync_once
from tests.packing.world import packer, ready
from tests.sync.stores import Central, open_test_station, postgres_central, sqlite_central

_ORDER = select(Order.id).where(Order.number == "100234").scalar_subquery()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Central]:
    if request.param == "sqlite":
        with sqlite_central(tmp_path / "central") as central:
            yield central
    else:
        with postgres_central(request.getfixturevalue("central_url")) as central:
            yield central


def _walk(station: Station, number: str) -> None:
    """Pick the list whole, except one unit of its first stop, which is short."""
    picker = packer(station, Role.PICKER, "Ana")
    with station.local(readonly=True) as uow:
        products = dict(uow.session.execute(select(OrderLine.sku, OrderLine.product_id)).all())
    view = picking.open_list(station, picker, number)
    first = True
    totes: dict[str, str] = {}
    while view.awaiting != "done":
        line = view.line
        assert line is not None
        if view.awaiting == "bin":
            view = picking.at_bin(station, picker, number, line.bin_code)
            if first:
                view = picking.short_pick(
                    station, picker, number, line.open - 1, ShortReason.DAMAGED
                )
                first = False
        elif view.awaiting == "item":
            view = picking.pick_item(station, picker, number, products[line.sku], 1, line.sku)
        else:
            assert view.to_order is not None
            tote = totes.setdefault(view.to_order, f"TOTE-{len(totes) + 1:03d}")
            view = picking.into_tote(station, picker, number, tote)


def test_the_first_list_wins_and_picks_and_shorts_change_the_central_store_too(
    store: Central, tmp_path: Path
) -> None:
    one = open_test_station(tmp_path / "st-01", store.url, "ST-01")
    two = open_test_station(tmp_path / "st-02", store.url, "ST-02")
    try:
        ready(one, store.engine)
        sync_once(two)
        boss_one, boss_two = packer(one, Role.SUPERVISOR), packer(two, Role.SUPERVISOR)
        first = picking.build_lists(one, boss_one, orders=["100234"]).lists[0].number
        second = picking.build_lists(two, boss_two, orders=["100234"]).lists[0].number
        sync_once(one)
        sync_once(two)
        with two.local(readonly=True) as uow:
            reason = uow.session.scalar(
                select(OutboxCommand.reason).where(OutboxCommand.kind == "picklist.record")
            )
        assert reason is not None and f"on pick list {first}, built at ST-01" in reason
        with pytest.raises(PickingError, match="refused"):
            picking.open_list(two, packer(two, Role.PICKER), second)

        _walk(one, first)
        sync_once(one)
        with store.engine.connect() as c:
            lines = dict(
                c.execute(
                    select(OrderLine.sku, OrderLine.quantity_picked).where(
                        OrderLine.order_id == _ORDER
                    )
                ).all()
            )
            state = c.execute(select(PickList.state).where(PickList.number == first)).scalar_one()
            mug = c.execute(select(StockLevel.on_hand).where(StockLevel.bin_id == 1)).scalar_one()
        with one.local(readonly=True) as uow:
            here = dict(
                uow.session.execute(
                    select(OrderLine.sku, OrderLine.quantity_picked).where(
                        OrderLine.order_id == _ORDER
                    )
                ).all()
            )
            mug_here = uow.session.scalar(select(StockLevel.on_hand).where(StockLevel.bin_id == 1))
        assert lines == here and lines["MUG-BLUE-350"] == 1  # 2 ordered, 1 short
        assert mug == mug_here == 19  # the short unit written off on both
        assert state == "done"
    finally:
        one.close()
        two.close()


def test_a_list_paused_at_one_station_is_resumed_at_another_where_it_stopped(
    store: Central, tmp_path: Path
) -> None:
    one = open_test_station(tmp_path / "st-01", store.url, "ST-01")
    two = open_test_station(tmp_path / "st-02", store.url, "ST-02")
    try:
        ready(one, store.engine)
        number = picking.build_lists(one, packer(one, Role.SUPERVISOR), orders=["100234"])
        first = number.lists[0].number
        ana = packer(one, Role.PICKER, "Ana")
        with one.local(readonly=True) as uow:
            products = dict(uow.session.execute(select(OrderLine.sku, OrderLine.product_id)).all())
        view = picking.open_list(one, ana, first)
        assert view.line is not None
        picking.at_bin(one, ana, first, view.line.bin_code)
        picking.pick_item(one, ana, first, products[view.line.sku], 1, view.line.sku)
        picking.into_tote(one, ana, first, "TOTE-007")
        picking.pick_item(one, ana, first, products[view.line.sku], 1, view.line.sku)
        picking.pause_list(one, ana, first)
        sync_once(one)
        sync_once(two)

        ben = packer(two, Role.PICKER, "Ben")
        view = picking.open_list(two, ben, first)
        assert view.said.startswith("Resumed") and view.awaiting == "tote"
        assert view.to_tote == "TOTE-007"
        while view.awaiting != "done":
            line = view.line
            assert line is not None
            if view.awaiting == "bin":
                view = picking.at_bin(two, ben, first, line.bin_code)
            elif view.awaiting == "item":
                view = picking.pick_item(two, ben, first, products[line.sku], 1, line.sku)
            else:
                view = picking.into_tote(two, ben, first, "TOTE-007")
        assert view.pick_list.picked == 6
        assert picking.tote_order(two, "TOTE-007") == "100234"
        sync_once(two)
        # The first station still has its paused copy: it is told the list is done.
        with pytest.raises(PickingError, match="is done"):
            picking.open_list(one, ana, first)
        with store.engine.connect() as c:
            picked = (
                c.execute(select(OrderLine.quantity_picked).where(OrderLine.order_id == _ORDER))
                .scalars()
                .all()
            )
            state = c.execute(select(PickList.state).where(PickList.number == first)).scalar_one()
        assert sorted(picked) == [1, 2, 3] and state == "done"
    finally:
        one.close()
        two.close()


@pytest.mark.postgres
def test_a_station_on_the_documented_role_records_lists_picks_shorts_and_barcodes(
    central_url: str, tmp_path: Path
) -> None:
    """Under exactly docs/sync.md's station grants, every picking command is applied."""
    from app.services.labels import Asked, product_labels
    from tests.picking.test_labels_command import _incomplete
    from tests.sync.test_push import documented_station_role

    with (
        postgres_central(central_url) as central,
        documented_station_role(central, central_url) as as_station,
    ):
        station = open_test_station(tmp_path / "st", as_station, "ST-01")
        try:
            ready(station, central.engine)
            _incomplete(central)
            sync_once(station)
            boss = packer(station, Role.SUPERVISOR)
            number = picking.build_lists(station, boss, orders=["100234"]).lists[0].number
            _walk(station, number)
            product_labels(station, boss, [Asked("IMPORTED-7", 1)])
            pushed = sync_once(station)
            assert pushed.error is None and pushed.rejected == 0, pushed
            with station.local_engine.connect() as c:
                kinds = {
                    k
                    for k, state in c.execute(select(OutboxCommand.kind, OutboxCommand.state))
                    if state == "applied"
                }
            assert kinds >= {
                "picklist.record",
                "picklist.state",
                "pick.record",
                "pick.short",
                "product.barcode",
            }
        finally:
            station.close()
