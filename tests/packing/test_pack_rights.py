"""Every step at the packing bench checks the right to do it, in the service itself.

The screen keeps a picker out of the Pack workspace, but a service is a door of its own: a
picker-role actor once scanned every item into an order a packer had opened, and shipped it.
Each entry point is walked against each role; a refusal names the right and changes nothing.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from app.bootstrap import Station
from app.db.models import (
    AuditEvent,
    OutboxCommand,
    PackParcel,
    PackScan,
    PackSession,
    PrintJob,
    Shipment,
)
from app.domain.errors import NotAllowed
from app.domain.users import Actor, Role, permissions_of
from app.services import packing, printjobs
from app.services.packing import Weighing
from tests.packing.world import MUG_ITEM, SPOON_ITEM, TEA_ITEM, packer, ready
from tests.sync.stores import open_test_station, sqlite_central

TEA_ID, MUG_ID, SPOON_ID = 2, 1, 3
PACKING = {Role.PACKER, Role.SUPERVISOR, Role.ADMIN}
TRUSTED = {Role.SUPERVISOR, Role.ADMIN}
# Parcel 1 of order 100234 holds two mugs and three teas in box S: 2×380 + 3×110 + 150 g.
PARCEL_G = 1240


@dataclass(frozen=True)
class Prepared:
    session_id: int
    shipment: str | None = None


def half_packed(bench: Station) -> Prepared:
    """A packer has opened order 100234 and packed all but the spoon set into parcel 1."""
    me = packer(bench)
    sid = packing.open_order(bench, me, "100234").session_id
    packing.pack_item(bench, me, sid, MUG_ID, 2, shown=MUG_ITEM.sku)
    packing.pack_item(bench, me, sid, TEA_ID, 3, shown=TEA_ITEM.sku)
    return Prepared(sid)


def parcel_closed(bench: Station) -> Prepared:
    prepared = half_packed(bench)
    packing.close_parcel(bench, packer(bench), prepared.session_id, Weighing(PARCEL_G, "scale"))
    return prepared


def all_packed(bench: Station) -> Prepared:
    prepared = half_packed(bench)
    packing.pack_item(
        bench, packer(bench), prepared.session_id, SPOON_ID, 1, shown=SPOON_ITEM.sku, serial="S1"
    )
    return prepared


def shipped(bench: Station) -> Prepared:
    """The packer has shipped order 100240 (two teas) and its labels were queued."""
    me = packer(bench)
    sid = packing.open_order(bench, me, "100240").session_id
    packing.pack_item(bench, me, sid, TEA_ID, 2, shown=TEA_ITEM.sku)
    done = packing.close_parcel(
        bench, me, sid, Weighing(370, "scale"), render=printjobs.ShipmentDocuments(bench.config)
    ).shipment
    assert done is not None
    return Prepared(sid, done.number)


Step = Callable[[Station, Actor, Prepared], object]


@dataclass(frozen=True)
class Case:
    name: str
    prepare: Callable[[Station], Prepared]
    step: Step
    allowed: set[Role]
    same_person: bool = False  # the actor is the packer who made the shipment, in another role


CASES = [
    Case(
        "open",
        half_packed,
        lambda b, a, p: packing.open_order(b, a, "100240"),
        PACKING,
    ),
    Case("resume", half_packed, lambda b, a, p: packing.resume(b, a), PACKING),
    Case(
        "scan",
        half_packed,
        lambda b, a, p: packing.pack_item(
            b, a, p.session_id, SPOON_ID, 1, shown=SPOON_ITEM.sku, serial="S1"
        ),
        PACKING,
    ),
    Case("undo", half_packed, lambda b, a, p: packing.undo_last(b, a, p.session_id), PACKING),
    Case("box", half_packed, lambda b, a, p: packing.choose_box(b, a, p.session_id, "M"), PACKING),
    Case(
        "typed weight",
        half_packed,
        lambda b, a, p: packing.set_weight(b, a, p.session_id, PARCEL_G),
        PACKING,
    ),
    Case(
        "close",
        half_packed,
        lambda b, a, p: packing.close_parcel(b, a, p.session_id, Weighing(PARCEL_G, "scale")),
        PACKING,
    ),
    Case(
        "weight override",
        half_packed,
        lambda b, a, p: packing.close_parcel(
            b, a, p.session_id, Weighing(5000, "scale"), accept_out_of_range=True
        ),
        PACKING,
    ),
    Case(
        "reopen", parcel_closed, lambda b, a, p: packing.reopen_parcel(b, a, p.session_id), PACKING
    ),
    Case(
        "ship",
        all_packed,
        lambda b, a, p: packing.close_parcel(b, a, p.session_id, Weighing(PARCEL_G + 240, "scale")),
        PACKING,
    ),
    Case(
        "ship partial",
        half_packed,
        lambda b, a, p: packing.ship_partial(
            b, a, p.session_id, "spoon set missing", Weighing(PARCEL_G, "scale")
        ),
        TRUSTED,
    ),
    Case("leave", half_packed, lambda b, a, p: packing.leave(b, a, p.session_id), PACKING),
    Case(
        "reprint another's shipment",
        shipped,
        lambda b, a, p: printjobs.reprint(b.local, a, b.station_id, p.shipment or ""),
        TRUSTED,
    ),
    Case(
        "reprint one's own shipment",
        shipped,
        lambda b, a, p: printjobs.reprint(b.local, a, b.station_id, p.shipment or ""),
        PACKING,
        same_person=True,
    ),
]


# One world per way of preparing it, built once and copied for each case (files, not mocks):
# building it is most of a case's time, copying it a few milliseconds.
_prepared_worlds: dict[str, tuple[Path, Prepared]] = {}


@pytest.fixture
def world(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, case: Case
) -> Iterator[tuple[Station, Prepared]]:
    name = case.prepare.__name__
    if name not in _prepared_worlds:
        folder = tmp_path_factory.mktemp(name)
        with sqlite_central(folder / "central") as central:
            station = open_test_station(folder / "st-01", central.url)
            try:
                ready(station, central.engine)
                _prepared_worlds[name] = (folder, case.prepare(station))
            finally:
                station.close()
    folder, prepared = _prepared_worlds[name]
    shutil.copytree(folder, tmp_path / "world")
    with sqlite_central(tmp_path / "world" / "central") as central:
        station = open_test_station(tmp_path / "world" / "st-01", central.url)
        try:
            yield station, prepared
        finally:
            station.close()


def bench_rows(bench: Station) -> tuple[object, ...]:
    """Everything a bench step may write, as plain values."""
    with bench.local(readonly=True) as uow:
        s = uow.session
        return (
            [(x.id, x.state, x.claimed, x.user_name) for x in s.scalars(select(PackSession))],
            [(x.id, x.parcel_no, x.units, x.undone_at) for x in s.scalars(select(PackScan))],
            [
                (x.id, x.state, x.box_code, x.weight_g, x.weight_accepted_by, x.sscc)
                for x in s.scalars(select(PackParcel))
            ],
            [x.number for x in s.scalars(select(Shipment))],
            [(x.id, x.state) for x in s.scalars(select(PrintJob))],
            [x.id for x in s.scalars(select(AuditEvent))],
            [x.id for x in s.scalars(select(OutboxCommand))],
        )


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_bench_step_checks_the_right_of_whoever_does_it(
    world: tuple[Station, Prepared], case: Case, role: Role
) -> None:
    bench, prepared = world
    name = packer(bench).name if case.same_person else "Riley Quinn"
    actor = Actor(7, name, role, permissions_of(role), bench.station_id)
    before = bench_rows(bench)
    if role in case.allowed:
        case.step(bench, actor, prepared)
        return
    with pytest.raises(NotAllowed, match=rf"{name} \({role.label}\) may not"):
        case.step(bench, actor, prepared)
    assert bench_rows(bench) == before, "a refused step wrote something"
