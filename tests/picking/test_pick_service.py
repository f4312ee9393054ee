"""The picker's steps over a real station database: lists built from the packing world,
walked bin by bin, wrong scans refused with nothing changed, a short pick and its choices."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.bootstrap import Station
from app.db.models import AuditEvent, OrderLine, OutboxCommand, PickList
from app.domain.picking import (
    NothingToPick,
    OverPick,
    PickingError,
    ShortChoice,
    ShortReason,
    WrongBin,
    WrongItem,
    WrongTote,
)
from app.domain.status import OrderStatus
from app.domain.users import NotAllowed, Role
from app.services import picking
from app.services.orders import get_order_status
from tests.packing.world import packer, ready


@pytest.fixture
def world(station: Station) -> Station:
    ready(station, station.central_engine())
    return station


def _ids(station: Station) -> dict[str, int]:
    with station.local(readonly=True) as uow:
        rows = uow.session.execute(select(OrderLine.sku, OrderLine.product_id)).all()
    return dict(rows)


def _audits(station: Station) -> int:
    with station.local(readonly=True) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def test_a_picker_may_not_build_lists_and_a_supervisor_may(world: Station) -> None:
    with pytest.raises(NotAllowed):
        picking.build_lists(world, packer(world, Role.PICKER), orders=["100234"])
    built = picking.build_lists(world, packer(world, Role.SUPERVISOR), orders=["100234"])
    assert [s.orders for s in built.lists] == [("100234",)]
    assert built.lists[0].number == f"PL-{world.station_id}-000001"
    with world.local(readonly=True) as uow:
        kinds = list(uow.session.scalars(select(OutboxCommand.kind)))
    assert "picklist.record" in kinds


def test_an_order_on_an_open_list_never_goes_on_a_second(world: Station) -> None:
    boss = packer(world, Role.SUPERVISOR)
    picking.build_lists(world, boss, orders=["100234"])
    with pytest.raises(NothingToPick, match="already on pick list"):
        picking.build_lists(world, boss, orders=["100234"])
    built = picking.build_lists(world, boss, batch=5)
    assert built.lists[0].orders == ("100240", "100250")


def test_a_walk_refuses_wrong_scans_changing_nothing_and_picks_into_totes(
    world: Station,
) -> None:
    boss, picker = packer(world, Role.SUPERVISOR), packer(world, Role.PICKER, "Ana")
    number = picking.build_lists(world, boss, batch=2).lists[0].number
    products = _ids(world)
    view = picking.open_list(world, picker, number.lower())
    assert view.awaiting == "bin"
    first = view.line
    assert first is not None
    with pytest.raises(WrongBin):
        picking.at_bin(world, picker, number, "Z-99-9")
    with pytest.raises(PickingError, match="Scan the bin first"):
        picking.pick_item(world, picker, number, products[first.sku], 1, first.sku)
    view = picking.at_bin(world, picker, number, first.bin_code)
    assert view.awaiting == "item"
    wrong = next(p for sku, p in products.items() if sku != first.sku)
    before = _audits(world)
    with pytest.raises(WrongItem):
        picking.pick_item(world, picker, number, wrong, 1, "the other thing")
    with pytest.raises(OverPick):
        picking.pick_item(world, picker, number, products[first.sku], first.open + 1, "x")
    assert _audits(world) == before
    view = picking.pick_item(world, picker, number, products[first.sku], 1, first.sku)
    assert view.awaiting == "tote"
    view = picking.into_tote(world, picker, number, "TOTE-001")
    assert get_order_status(world.local, view.pick_list.orders[0][0]) is OrderStatus.PICKING
    # Walk the rest: every order gets its own tote; a tote of another order is refused.
    totes: dict[str, str] = {view.pick_list.orders[0][0]: "TOTE-001"}
    while view.awaiting != "done":
        line = view.line
        assert line is not None
        if view.awaiting == "bin":
            view = picking.at_bin(world, picker, number, line.bin_code)
        elif view.awaiting == "item":
            view = picking.pick_item(world, picker, number, products[line.sku], 1, line.sku)
        else:
            assert view.to_order is not None
            tote = totes.setdefault(view.to_order, f"TOTE-{100 + len(totes)}")
            others = [t for o, t in totes.items() if o != view.to_order]
            for other in others:
                with pytest.raises(WrongTote):
                    picking.into_tote(world, picker, number, other)
            view = picking.into_tote(world, picker, number, tote)
    assert view.pick_list.state == "done"
    for order, tote in totes.items():
        assert get_order_status(world.local, order) is OrderStatus.PICKED
        assert picking.tote_order(world, tote.lower()) == order


def test_a_short_pick_waits_for_the_supervisor_who_re_allocates_or_holds(
    world: Station,
) -> None:
    boss, picker = packer(world, Role.SUPERVISOR), packer(world, Role.PICKER, "Ana")
    number = picking.build_lists(world, boss, orders=["100240"]).lists[0].number
    view = picking.open_list(world, picker, number)
    line = view.line
    assert line is not None and line.quantity == 2
    picking.at_bin(world, picker, number, line.bin_code)
    with pytest.raises(PickingError, match="Between"):
        picking.short_pick(world, picker, number, 2, ShortReason.DAMAGED)
    # Damaged: the bin's other units are fine, so the re-allocation may take them.
    view = picking.short_pick(world, picker, number, 0, ShortReason.DAMAGED)
    assert view.awaiting == "done"
    assert get_order_status(world.local, "100240") is OrderStatus.PICKING
    waiting = picking.shorts(world, boss)
    assert [(w.order_number, w.missing, w.reason) for w in waiting] == [
        ("100240", 2, ShortReason.DAMAGED)
    ]
    with pytest.raises(NotAllowed):
        picking.resolve_short(world, picker, "100240", ShortChoice.HOLD)
    again = picking.resolve_short(world, boss, "100240", ShortChoice.REALLOCATE)
    assert again.follow_up is not None and again.follow_up.orders == ("100240",)
    assert again.follow_up.units == 2
    follow = again.follow_up.number
    view = picking.open_list(world, picker, follow)
    assert view.line is not None
    picking.at_bin(world, picker, follow, view.line.bin_code)
    # Now the bin is empty: it is not allocated again, and the world has no other tea bin.
    picking.short_pick(world, picker, follow, 0, ShortReason.BIN_EMPTY)
    with pytest.raises(PickingError, match="No other bin has stock"):
        picking.resolve_short(world, boss, "100240", ShortChoice.REALLOCATE)
    done = picking.resolve_short(world, boss, "100240", ShortChoice.HOLD)
    assert done.status is OrderStatus.ON_HOLD
    assert picking.shorts(world, boss) == []


def test_pause_and_resume_keeps_the_place(world: Station) -> None:
    boss, picker = packer(world, Role.SUPERVISOR), packer(world, Role.PICKER, "Ana")
    number = picking.build_lists(world, boss, orders=["100234"]).lists[0].number
    view = picking.open_list(world, picker, number)
    assert view.line is not None
    picking.at_bin(world, picker, number, view.line.bin_code)
    products = _ids(world)
    picking.pick_item(world, picker, number, products[view.line.sku], 1, view.line.sku)
    paused = picking.pause_list(world, picker, number)
    assert paused.pick_list.state == "paused"
    with pytest.raises(PickingError):
        picking.at_bin(world, picker, number, view.line.bin_code)
    resumed = picking.open_list(world, packer(world, Role.PICKER, "Ben"), number)
    assert resumed.awaiting == "tote" and resumed.said.startswith("Resumed")
    with world.local(readonly=True) as uow:
        assert uow.session.scalar(select(PickList.picker)) == "Ben"
