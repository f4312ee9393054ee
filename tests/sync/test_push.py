"""Push: every outbox command is answered, in order, and applied by the central store once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url

from app.bootstrap import Station
from app.db.models import AppliedCommand, AuditEvent, Order, OutboxCommand
from app.domain.status import OrderStatus
from app.domain.users import Permission, Role
from app.services.auth import create_user, set_role_right
from app.services.orders import change_status
from app.sync.claims import claim_order
from app.sync.engine import sync_once, sync_status
from app.sync.push import PendingCommand, deliver
from tests.invoicing.test_central_refusal import postgres
from tests.packing.world import MUG, TEA
from tests.returns.test_returns_command import BOSS, hire, ok, packbench
from tests.returns.world import ship, stock_in
from tests.sync.stores import (
    Central,
    actor,
    differences,
    fill_with_demo,
    open_test_station,
    orders_in,
    postgres_central,
    status_of,
)

S = OrderStatus
__all__ = ["postgres"]  # a fresh PostgreSQL database with the packing world, a fixture


def outbox(station: Station) -> list[tuple[str, str, str | None]]:
    with station.local_engine.connect() as conn:
        rows = conn.execute(
            select(OutboxCommand.command_id, OutboxCommand.state, OutboxCommand.reason).order_by(
                OutboxCommand.id
            )
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def count(engine: object, query: object) -> int:
    with engine.connect() as conn:  # type: ignore[attr-defined]
        return int(conn.scalar(query))


def test_waiting_commands_are_applied_in_order_and_answered(
    central: Central, station_one: Station
) -> None:
    fill_with_demo(central)
    assert sync_once(station_one).online
    boss = actor(station_one)
    numbers = orders_in(station_one.local_engine, S.FINALIZED, 3)
    held = orders_in(station_one.local_engine, S.ON_HOLD, 1)[0]
    for number in numbers:
        change_status(station_one.local, boss, number, S.ON_HOLD, "Check the address")
    # Released again: stock is allocated to it, here and centrally alike.
    released = change_status(station_one.local, boss, numbers[0], S.FINALIZED)
    change_status(station_one.local, boss, held, S.VOID, "Customer cancelled by e-mail")

    report = sync_once(station_one)

    assert (report.pushed, report.applied, report.rejected) == (5, 5, 0)
    assert all(state == "applied" for _, state, _ in outbox(station_one))
    assert status_of(central.engine, numbers[0])[0] is released
    assert status_of(central.engine, numbers[1])[0] is S.ON_HOLD
    assert status_of(central.engine, held)[0] is S.VOID
    assert count(central.engine, select(func.count()).select_from(AppliedCommand)) == 5
    # The station pulled its own changes back, numbered: it matches the central store again.
    assert differences(central.engine, station_one.local_engine) == {}
    assert report.local_orders == report.central_orders
    assert sync_status(station_one).pending == 0


def test_a_void_pushed_frees_the_stock_centrally(central: Central, station_one: Station) -> None:
    fill_with_demo(central)
    sync_once(station_one)
    number = orders_in(station_one.local_engine, S.ALLOCATED, 1)[0]
    change_status(station_one.local, actor(station_one), number, S.VOID, "Fraud check failed")
    sync_once(station_one)
    # Same stock, allocations and quantities here (the station's own rule) and centrally.
    assert differences(central.engine, station_one.local_engine) == {}
    assert status_of(central.engine, number)[0] is S.VOID


def test_a_command_on_a_stale_status_is_rejected_with_what_happened(
    central: Central, station_one: Station, station_two: Station
) -> None:
    fill_with_demo(central)
    sync_once(station_one)
    sync_once(station_two)
    number = orders_in(station_one.local_engine, S.FINALIZED, 1)[0]
    change_status(station_one.local, actor(station_one), number, S.ON_HOLD, "Postcode wrong")
    sync_once(station_one)
    change_status(station_two.local, actor(station_two), number, S.ALLOCATED)  # saw finalized

    report = sync_once(station_two)

    assert (report.applied, report.rejected) == (0, 1)
    [rejected] = sync_status(station_two).rejected
    assert rejected.summary == f"order {number}: finalized → allocated"
    assert f"Order {number} is on hold in the central store (changed by ST-01" in rejected.reason
    assert "not finalized as this station saw it" in rejected.reason
    assert status_of(central.engine, number)[0] is S.ON_HOLD
    assert status_of(station_two.local_engine, number)[0] is S.ON_HOLD  # pulled back


def test_a_command_kind_without_a_handler_is_rejected_not_dropped(
    central: Central, station_one: Station
) -> None:
    fill_with_demo(central)
    sync_once(station_one)
    with station_one.local() as uow:
        uow.command("parcel.teleport", {"number": "100001"})
        uow.commit()
    report = sync_once(station_one)
    assert report.rejected == 1
    [(_, state, reason)] = outbox(station_one)
    assert state == "rejected" and reason and "cannot apply 'parcel.teleport'" in reason


def test_two_pushers_of_one_command_apply_it_once(central: Central, station_one: Station) -> None:
    """The same station's command sent by two processes at the same moment."""
    fill_with_demo(central)
    sync_once(station_one)
    number = orders_in(station_one.local_engine, S.FINALIZED, 1)[0]
    change_status(station_one.local, actor(station_one), number, S.ON_HOLD, "Check payment")
    with station_one.local_engine.connect() as conn:
        row = conn.execute(
            select(
                OutboxCommand.id,
                OutboxCommand.command_id,
                OutboxCommand.kind,
                OutboxCommand.payload,
            )
        ).one()
    command = PendingCommand(row[0], row[1], row[2], row[3])
    uows = station_one.central()
    answers: list[tuple[object, bool]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2, timeout=30)

    def send() -> None:
        try:
            start.wait()
            answers.append(deliver(uows, station_one.station_id, command))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sorted(replayed for _, replayed in answers) == [False, True]
    assert all(outcome.applied for outcome, _ in answers)  # type: ignore[attr-defined]
    assert status_of(central.engine, number)[0] is S.ON_HOLD
    events = (
        select(func.count()).select_from(AuditEvent).where(AuditEvent.subject == f"order:{number}")
    )
    assert count(central.engine, events) == 1


def test_sync_once_json_carries_the_contract_keys(central: Central, tmp_path: Path) -> None:
    fill_with_demo(central)
    env = dict(
        os.environ,
        PACKBENCH_HOME=str(tmp_path / "cli"),
        PACKBENCH_CENTRAL_URL=central.url,
        PACKBENCH_STATION="ST-09",
    )
    done = subprocess.run(
        [sys.executable, "-m", "app", "sync", "--once", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    keys = {"pulled", "pushed", "applied", "rejected", "local_orders", "central_orders"}
    assert keys <= set(report)
    assert report["local_orders"] == report["central_orders"] == 300
    assert report["online"] is True and report["pulled"] > 300


def test_an_unreachable_central_store_is_reported_not_raised(tmp_path: Path) -> None:
    station = open_test_station(
        tmp_path / "st", "postgresql+psycopg://station01:s3cret@127.0.0.1:1/orders"
    )
    try:
        with station.local() as uow:
            uow.command("order.status", {"number": "100001", "from": "a", "to": "b"})
            uow.commit()
        report = sync_once(station)
        status = sync_status(station)
    finally:
        station.close()
    assert not report.online
    assert report.error and report.error.startswith("The central store cannot be reached")
    assert "s3cret" not in report.error and "s3cret" not in report.line()
    assert report.pending == 1 and report.central_orders is None
    assert status.pending == 1 and status.last_error == report.error
    assert report.line().startswith("offline: ")


def documented_grants() -> str:
    text = (Path(__file__).parents[2] / "docs" / "sync.md").read_text(encoding="utf-8")
    block = text.split("<!-- station-grants -->", 1)[1]
    return block.split("```sql", 1)[1].split("```", 1)[0]


@contextmanager
def documented_station_role(central: Central, server_url: str) -> Iterator[str]:
    """A station login made by exactly docs/sync.md's station block (names made unique);
    yields the central URL as that login. Its rights are revoked and the roles dropped after."""
    tag = uuid.uuid4().hex[:8]
    group, login = f"pb_station_{tag}", f"pb_st_{tag}"
    grants = documented_grants().replace("packbench_station", group).replace("station01", login)
    if central.schema:
        grants = grants.replace("SCHEMA public", f"SCHEMA {central.schema}")
    with central.engine.begin() as conn:
        conn.exec_driver_sql(grants)
    try:
        yield (
            make_url(central.url)
            .set(username=login, password="change me")
            .render_as_string(hide_password=False)
        )
    finally:
        with central.engine.begin() as conn:
            conn.exec_driver_sql(f"DROP OWNED BY {login}, {group}")  # the grants, here
        admin = create_engine(server_url)
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP ROLE IF EXISTS {login}")
            conn.exec_driver_sql(f"DROP ROLE IF EXISTS {group}")
        admin.dispose()


@pytest.mark.postgres
def test_a_station_role_with_the_documented_grants_can_sync(
    central_url: str, tmp_path: Path
) -> None:
    with postgres_central(central_url) as central:
        fill_with_demo(central)
        with documented_station_role(central, central_url) as as_station:
            station = open_test_station(tmp_path / "st", as_station)
            try:
                first = sync_once(station)
                assert first.online and first.error is None, first.error
                boss = actor(station)
                allocated, finalized = (
                    orders_in(central.engine, s, 1)[0] for s in (S.ALLOCATED, S.FINALIZED)
                )
                claim_order(station, allocated, "Ana")
                change_status(station.local, boss, allocated, S.PACKING)
                change_status(station.local, boss, allocated, S.VOID, "Customer cancelled")
                change_status(station.local, boss, finalized, S.ON_HOLD, "Check the payment")
                # Released: stock is allocated to it centrally too (the allocations grant).
                released = change_status(station.local, boss, finalized, S.FINALIZED)
                second = sync_once(station)
                assert (second.applied, second.rejected, second.error) == (4, 0, None)
                assert status_of(central.engine, finalized)[0] is released
                assert differences(central.engine, station.local_engine) == {}
                # Users and a role's rights changed here reach the central store (user.change).
                admin = actor(station, Role.ADMIN, "Alex Morgan")
                create_user(station.local, admin, "Ines Brandt", Role.PACKER, "90417")
                set_role_right(station.local, admin, Role.PACKER, Permission.SHIP_PARTIAL,
                               granted=True)  # fmt: skip
                third = sync_once(station)
                assert (third.applied, third.rejected, third.error) == (2, 0, None)
                assert differences(central.engine, station.local_engine) == {}
            finally:
                station.close()


@pytest.mark.postgres
def test_a_station_on_the_documented_role_ships_invoices_and_takes_returns_back(
    postgres: Central, central_url: str, tmp_path: Path
) -> None:
    """By the door, on a fresh database: every command a station pushes for a shipment, its
    invoice and a return is applied centrally under exactly the documented grants."""
    home = tmp_path / "st-01"
    hire(postgres)
    with documented_station_role(postgres, central_url) as as_station:
        door = Central(as_station, postgres.engine, "postgresql")
        pulled = ok(packbench(home, door, "sync", "--once", "--json"))
        assert pulled["online"] and pulled["error"] is None, pulled
        station = open_test_station(home, as_station, "ST-01")
        try:  # packed and shipped as the bench writes it (no command packs by itself)
            ship(station, "100234", {1: 2, 2: 3, 3: 1}, {3: ("SP-0001",)})
        finally:
            station.close()
        ok(packbench(home, door, "invoice", "100234", "--json", user=BOSS))
        ra = ok(packbench(home, door, "returns", "open", "100234", "--json"))["number"]
        ok(packbench(home, door, "returns", "receive", ra, TEA, "--json"))
        ok(packbench(home, door, "returns", "set", ra, "--bin", "A-03-1", "--json"))  # a new row
        ok(packbench(home, door, "returns", "receive", ra, MUG, "--json"))
        ok(packbench(home, door, "returns", "set", ra, "--reason", "damaged", "--json"))
        done = ok(packbench(home, door, "returns", "confirm", ra, "--json"))
        assert len(done["credit_notes"]) == 1  # an invoice.record of its own
        pushed = ok(packbench(home, door, "sync", "--once", "--json"))
        assert pushed["online"] and pushed["error"] is None, pushed
        assert pushed["rejected"] == 0 and pushed["pending"] == 0, pushed
        station = open_test_station(home, as_station, "ST-01")
        try:
            with station.local_engine.connect() as conn:
                sent = conn.execute(select(OutboxCommand.kind, OutboxCommand.state)).all()
        finally:
            station.close()
        assert {kind for kind, _ in sent} >= {
            "shipment.record",
            "invoice.record",
            "return.saved",
            "return.record",
        }
        assert {state for _, state in sent} == {"applied"}, sent
    # 20 in A-02-1, 3 shipped from there; the one back restocked into a bin that held none
    assert stock_in(postgres.engine, "TEA-EARL-100") == {"A-02-1": 17, "A-03-1": 1}
    with postgres.engine.connect() as conn:
        assert conn.scalar(select(Order.status).where(Order.number == "100234")) is (
            S.PARTIALLY_RETURNED
        )
