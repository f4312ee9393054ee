"""The rights matrix: every right of a single action walked against every role, through the
service that does the action, with people signed in as the app signs them in.

The rights come from the site (a role's rights as the admin set them) and from the person
(their own grants). Each case runs on a copy of one prepared world: an order half packed,
one shipped by another packer, one shipped 45 days ago (returns and invoices), one allocated
(void). Allowed, the action is done (no refusal of any kind); refused, ``NotAllowed`` names
the right and nothing the action writes is written.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.bootstrap import Station
from app.db.models import AuditEvent, Invoice, PrintJob, ReturnRecord, Shipment
from app.domain.errors import NotAllowed
from app.domain.status import OrderStatus
from app.domain.users import ACTION_RIGHTS, Actor, Permission, Role
from app.services import auth, invoicing, orders, packing, printjobs, returns
from app.services.packing import Weighing
from app.sync.loop import sync_once
from tests.packing.world import CUP_ITEM, MUG_ITEM, TEA_ITEM, add_orders, build_central, packer
from tests.returns.world import ship
from tests.sync.stores import open_test_station, sqlite_central

TEA_ID, MUG_ID = 2, 1
PEOPLE = {
    Role.PICKER: ("Priya Shah", "4826"),
    Role.PACKER: ("Grace O'Neill", "6391"),
    Role.RETURNS: ("Sam Okafor", "7048"),
    Role.SUPERVISOR: ("Helen Marsh", "8264"),
    Role.ADMIN: ("Alex Morgan", "305871"),
}
TRUSTED = {Role.SUPERVISOR, Role.ADMIN}


@dataclass(frozen=True)
class Prepared:
    session_id: int  # order 100234, parcel 1 holding two mugs and three teas, open
    shipped_by_other: str  # order 100240, shipped by Tomasz Nowak, labels queued


Step = Callable[[Station, Actor, Prepared], object]

ACTIONS: dict[Permission, Step] = {
    Permission.SHIP_PARTIAL: lambda b, a, p: packing.ship_partial(
        b, a, p.session_id, "spoon set not on the shelf", Weighing(1240, "scale")
    ),
    Permission.FORCE_PACK: lambda b, a, p: packing.close_parcel(
        b, a, p.session_id, Weighing(5000, "scale"), accept_out_of_range=True
    ),
    Permission.REPRINT: lambda b, a, p: printjobs.reprint(
        b.local, a, b.station_id, p.shipped_by_other
    ),
    Permission.ACCEPT_LATE_RETURNS: lambda b, a, p: returns.open_return(
        b, a, "100250", "the customer was abroad"
    ),
    Permission.ISSUE_INVOICES: lambda b, a, p: invoicing.issue_invoice(b, a, "100250"),
    Permission.VOID_ORDERS: lambda b, a, p: orders.change_status(
        b.local, a, "100260", OrderStatus.VOID, "customer cancelled by phone"
    ),
}


def test_the_matrix_walks_every_action_right() -> None:
    assert set(ACTIONS) == set(ACTION_RIGHTS)


def prepare(station: Station) -> Prepared:
    me = packer(station)
    other = packing.open_order(station, me, "100240").session_id
    packing.pack_item(station, me, other, TEA_ID, 2, shown=TEA_ITEM.sku)
    done = packing.close_parcel(
        station,
        me,
        other,
        Weighing(370, "scale"),
        render=printjobs.ShipmentDocuments(station.config),
    ).shipment
    assert done is not None
    sid = packing.open_order(station, me, "100234").session_id
    packing.pack_item(station, me, sid, MUG_ID, 2, shown=MUG_ITEM.sku)
    packing.pack_item(station, me, sid, TEA_ID, 3, shown=TEA_ITEM.sku)
    ship(station, "100250", {1: 2}, days_ago=45)
    for role, (name, pin) in PEOPLE.items():
        auth.create_user(station.local, None, name, role, pin)
    return Prepared(sid, done.number)


_world: dict[str, tuple[Path, Prepared]] = {}


@pytest.fixture
def world(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> Iterator[tuple[Station, Prepared]]:
    if "built" not in _world:
        folder = tmp_path_factory.mktemp("rights")
        with sqlite_central(folder / "central") as central:
            build_central(central.engine)
            add_orders(central.engine, [("100260", [(CUP_ITEM, 1, 1)])])
            station = open_test_station(folder / "st-01", central.url)
            try:
                sync_once(station)
                _world["built"] = (folder, prepare(station))
            finally:
                station.close()
    folder, prepared = _world["built"]
    shutil.copytree(folder, tmp_path / "world")
    with sqlite_central(tmp_path / "world" / "central") as central:
        station = open_test_station(tmp_path / "world" / "st-01", central.url)
        try:
            yield station, prepared
        finally:
            station.close()


def written(bench: Station) -> tuple[object, ...]:
    """What the actions write, as counts (the sign-in's own audit entry is before it)."""
    with bench.local(readonly=True) as uow:
        s = uow.session
        count = lambda model: s.scalar(select(func.count()).select_from(model))  # noqa: E731
        return (
            count(AuditEvent),
            count(Shipment),
            count(PrintJob),
            count(ReturnRecord),
            count(Invoice),
            s.scalar(select(func.max(AuditEvent.id))),
        )


def sign_in(bench: Station, role: Role) -> Actor:
    name, pin = PEOPLE[role]
    return auth.login_by_name(bench.local, bench.station_id, name, pin, bench.lockout)


# Who may do each action with the rights as they come.
DEFAULT = {
    Permission.SHIP_PARTIAL: TRUSTED,
    Permission.FORCE_PACK: {Role.PACKER, *TRUSTED},
    Permission.REPRINT: TRUSTED,
    Permission.ACCEPT_LATE_RETURNS: TRUSTED,
    Permission.ISSUE_INVOICES: TRUSTED,
    Permission.VOID_ORDERS: TRUSTED,
}


def walk(bench: Station, prepared: Prepared, right: Permission, role: Role, allowed: bool) -> None:
    actor = sign_in(bench, role)
    before = written(bench)
    if allowed:
        ACTIONS[right](bench, actor, prepared)  # done: no refusal of any kind
        return
    with pytest.raises(NotAllowed, match=rf"{re.escape(actor.name)} \({role.label}\) may not"):
        ACTIONS[right](bench, actor, prepared)
    assert written(bench) == before, "a refused action wrote something"


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("right", list(ACTIONS), ids=lambda r: r.value)
def test_every_action_against_every_role_with_the_rights_as_they_come(
    world: tuple[Station, Prepared], right: Permission, role: Role
) -> None:
    bench, prepared = world
    walk(bench, prepared, right, role, role in DEFAULT[right])


# The site changed: every packer may ship partial and none may force a pack any more; the
# supervisors may no longer void; Priya the picker may issue invoices, on her own.
CHANGED = {
    **DEFAULT,
    Permission.SHIP_PARTIAL: {Role.PACKER, *TRUSTED},
    Permission.FORCE_PACK: TRUSTED,
    Permission.ISSUE_INVOICES: {Role.PICKER, *TRUSTED},
    Permission.VOID_ORDERS: {Role.ADMIN},
}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("right", list(ACTIONS), ids=lambda r: r.value)
def test_every_action_against_every_role_after_the_site_changed_the_rights(
    world: tuple[Station, Prepared], right: Permission, role: Role
) -> None:
    bench, prepared = world
    admin = sign_in(bench, Role.ADMIN)
    auth.set_role_right(bench.local, admin, Role.PACKER, Permission.SHIP_PARTIAL, granted=True)
    auth.set_role_right(bench.local, admin, Role.PACKER, Permission.FORCE_PACK, granted=False)
    auth.set_role_right(bench.local, admin, Role.SUPERVISOR, Permission.VOID_ORDERS, granted=False)
    priya = auth.find_user(bench.local, PEOPLE[Role.PICKER][0])
    auth.set_user_right(bench.local, admin, priya.id, Permission.ISSUE_INVOICES, granted=True)
    walk(bench, prepared, right, role, role in CHANGED[right])
