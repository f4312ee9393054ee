"""Faults: the central store vanishing mid-push, a station killed mid-pull and mid-push,
a command delivered twice, a command against an order voided centrally.

Each ends the same way: nothing lost, nothing applied twice, the station holding exactly the
central rows. Processes are killed with SIGKILL at a named point (PACKBENCH_TEST_PAUSE_AT,
app.sync.pull.pause_at), so the kill lands where the test says, every time.
"""

from __future__ import annotations

import json
import os
import select as io_select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, update
from sqlalchemy.orm import Session

import app.sync.push as push_module
from app.bootstrap import Station
from app.db.models import AppliedCommand, AuditEvent, OutboxCommand, Setting, SyncState
from app.domain.status import OrderStatus
from app.services.orders import change_status
from app.sync.commands import apply_command
from app.sync.engine import sync_once, sync_status
from app.sync.pull import POSITIONS_KEY
from tests.sync.stores import (
    Central,
    actor,
    differences,
    fill_with_demo,
    orders_in,
    status_of,
)

S = OrderStatus


def hold_orders(station: Station, how_many: int) -> list[str]:
    numbers = orders_in(station.local_engine, S.FINALIZED, how_many)
    assert len(numbers) == how_many
    for number in numbers:
        change_status(station.local, actor(station), number, S.ON_HOLD, "Check the payment")
    return numbers


def states(station: Station) -> list[str]:
    with station.local_engine.connect() as conn:
        return list(conn.scalars(select(OutboxCommand.state).order_by(OutboxCommand.id)))


def applied_once_each(central: Central, numbers: list[str]) -> None:
    """Every command recorded once, every order changed once (one audit event each)."""
    with central.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(AppliedCommand)) == len(numbers)
        for number in numbers:
            events = conn.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.subject == f"order:{number}")
            )
            assert events == 1, number
    assert all(status_of(central.engine, n)[0] is S.ON_HOLD for n in numbers)


# --- the central store goes away in the middle of a push ----------------------------------


def test_central_store_going_away_mid_push_loses_nothing_and_applies_nothing_twice(
    central: Central, station_one: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_with_demo(central)
    sync_once(station_one)
    numbers = hold_orders(station_one, 8)
    monkeypatch.setattr(push_module, "BATCH", 3)  # three batches: 3, 3 and 2 commands
    back: Callable[[], None] = lambda: None  # noqa: E731

    if central.kind == "sqlite":
        path = Path(str(central.engine.url.database))
        away = path.with_name("central.away")

        def vanish(point: str, count: int) -> None:
            if point == "push-batch" and count == 1:  # after the first batch committed
                for engine in (station_one.central_engine(), central.engine):
                    engine.dispose()  # the last connection out folds the WAL into the file
                assert not path.with_name("central.sqlite3-wal").exists()
                path.rename(away)

        def come_back() -> None:
            station_one.central_engine().dispose()
            for stray in path.parent.glob("central.sqlite3*"):  # what the retry created
                stray.unlink()
            away.rename(path)

        monkeypatch.setattr(push_module, "pause_at", vanish)
        back = come_back
    else:
        admin = create_engine(os.environ["PACKBENCH_TEST_CENTRAL_URL"])
        calls = {"n": 0}

        def terminate(session: Session) -> None:
            with admin.begin() as conn:
                pid = session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
                conn.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid or 0)})")

        def apply_then_cut(session: Session, *args: Any) -> Any:
            outcome = apply_command(session, *args)
            calls["n"] += 1
            if calls["n"] == 4:  # inside the second batch's transaction, before commit
                terminate(session)
            return outcome

        def between(point: str, count: int) -> None:
            if point == "push-batch" and count == 1:  # its connection dies in the pool
                with admin.begin() as conn:
                    conn.exec_driver_sql(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        f"WHERE application_name = '{central.application_name}'"
                    )

        monkeypatch.setattr(push_module, "apply_command", apply_then_cut)
        monkeypatch.setattr(push_module, "pause_at", between)
        back = admin.dispose

    report = sync_once(station_one)

    assert not report.online
    assert report.error and "cannot be reached" in report.error
    assert report.applied == 3
    assert states(station_one) == ["applied"] * 3 + ["pending"] * 5
    assert sync_status(station_one).last_error == report.error

    monkeypatch.undo()
    back()
    again = sync_once(station_one)
    assert again.online, again.error
    assert (again.pushed, again.applied) == (5, 5)
    assert states(station_one) == ["applied"] * 8
    applied_once_each(central, numbers)
    assert differences(central.engine, station_one.local_engine) == {}
    assert sync_status(station_one).last_error is None


# --- the same command twice ---------------------------------------------------------------


def test_the_same_command_delivered_twice_applies_once(
    central: Central, station_one: Station
) -> None:
    fill_with_demo(central)
    sync_once(station_one)
    numbers = hold_orders(station_one, 2)
    assert sync_once(station_one).applied == 2
    # The answer to the second was lost (say): the station still thinks it is waiting.
    with station_one.local_engine.begin() as conn:
        last = conn.scalar(select(func.max(OutboxCommand.id)))
        conn.execute(
            update(OutboxCommand)
            .where(OutboxCommand.id == last)
            .values(state="pending", answered_at=None)
        )
    again = sync_once(station_one)
    assert (again.pushed, again.applied) == (1, 1)
    assert states(station_one) == ["applied", "applied"]
    applied_once_each(central, numbers)


# --- a command against an order voided centrally ------------------------------------------


def test_a_command_against_an_order_voided_centrally_is_rejected_and_shown(
    central: Central, station_one: Station, station_two: Station
) -> None:
    fill_with_demo(central)
    sync_once(station_one)
    sync_once(station_two)
    number = orders_in(central.engine, S.ALLOCATED, 1)[0]
    change_status(station_one.local, actor(station_one), number, S.VOID, "customer cancelled")
    assert sync_once(station_one).applied == 1
    # ST-02 had not heard: it packs the order (offline, or between two syncs).
    change_status(station_two.local, actor(station_two), number, S.PACKING)

    report = sync_once(station_two)

    assert (report.pushed, report.rejected) == (1, 1)
    status = sync_status(station_two)
    assert status.pending == 0
    [rejected] = status.rejected
    assert rejected.kind == "order.status"
    assert rejected.summary == f"order {number}: allocated → packing"
    assert rejected.reason.startswith(
        f"Order {number} was voided centrally by ST-01 at "
    ) and rejected.reason.endswith(
        ": 'customer cancelled'. This station's change (allocated → packing) was not applied."
    )
    assert rejected.answered_at is not None
    assert status_of(central.engine, number)[0] is S.VOID
    assert status_of(station_two.local_engine, number)[0] is S.VOID  # and the bench sees it
    assert differences(central.engine, station_two.local_engine) == {}


# --- SIGKILL ------------------------------------------------------------------------------


def run_sync(station: Station, central: Central, pause: str | None = None) -> subprocess.Popen[str]:
    env = dict(
        os.environ,
        PACKBENCH_HOME=str(station.config.paths.data_dir.parent),
        PACKBENCH_CENTRAL_URL=central.url,
        PACKBENCH_STATION=station.station_id,
    )
    env.pop("PACKBENCH_TEST_PAUSE_AT", None)
    if pause:
        env["PACKBENCH_TEST_PAUSE_AT"] = pause
    return subprocess.Popen(
        [sys.executable, "-m", "app", "sync", "--once", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def kill_when_paused(process: subprocess.Popen[str], timeout: float = 120) -> None:
    assert process.stderr is not None
    deadline = time.monotonic() + timeout
    seen = ""
    while time.monotonic() < deadline:
        ready, _, _ = io_select.select([process.stderr], [], [], deadline - time.monotonic())
        if not ready:
            break
        line = process.stderr.readline()
        if not line:
            break
        seen += line
        if line.startswith("paused at "):
            os.kill(process.pid, signal.SIGKILL)
            assert process.wait(timeout=30) == -signal.SIGKILL
            return
    process.kill()
    process.wait(timeout=30)
    pytest.fail(f"the sync never reached its pause point: {seen[-2000:]}")


def finish(process: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    report: dict[str, Any] = json.loads(out)
    return report


@pytest.mark.slow
def test_a_station_killed_during_a_pull_finishes_the_job_next_time(
    central: Central, station_one: Station
) -> None:
    fill_with_demo(central, orders=12_000)
    # Page 11: the second orders page (warehouses, products, bins, stock, customers,
    # addresses and users take the nine before the first).
    kill_when_paused(run_sync(station_one, central, "pull-page:11"))
    with station_one.local() as uow:
        positions = uow.session.get(Setting, POSITIONS_KEY)
        assert positions is not None and "orders" in json.loads(positions.value)
        state = uow.session.get(SyncState, 1)
        assert state is not None and state.watermark == 0

    report = finish(run_sync(station_one, central))

    assert report["local_orders"] == report["central_orders"] == 12_000
    assert report["pulled_orders"] < 12_000  # carried on; the pages before the kill stayed
    assert differences(central.engine, station_one.local_engine) == {}


@pytest.mark.slow
def test_a_station_killed_during_a_push_finishes_the_job_next_time(
    central: Central, station_one: Station
) -> None:
    fill_with_demo(central)
    sync_once(station_one)
    numbers = hold_orders(station_one, 4)
    assert sync_once(station_one).applied == 4
    numbers += hold_orders(station_one, 8)
    kill_when_paused(run_sync(station_one, central, "push-batch:1"))
    # The batch of eight was applied centrally, but the station never heard the answers.
    with central.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(AppliedCommand)) == 12
    assert states(station_one) == ["applied"] * 4 + ["pending"] * 8

    report = finish(run_sync(station_one, central))

    assert (report["pushed"], report["applied"], report["rejected"]) == (8, 8, 0)
    assert states(station_one) == ["applied"] * 12
    applied_once_each(central, numbers)
    assert differences(central.engine, station_one.local_engine) == {}
