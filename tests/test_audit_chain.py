"""The audit trail is tamper-evident: ``packbench doctor`` walks each database's hash chain
and names the first entry edited (or removed) behind the application's back."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from app.bootstrap import open_station
from app.config import Config
from app.db import audit_chain, migrate
from app.db.session import create_db_engine, unit_of_work_factory
from app.domain.audit import GENESIS, AuditEntry, first_break
from app.domain.users import Role
from app.services.auth import create_user, login_by_name
from tests.sync.stores import postgres_central


def doctor() -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-m", "app", "doctor", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    report["returncode"] = result.returncode
    return report


def audit_check(report: dict[str, object]) -> dict[str, str]:
    checks = report["checks"]
    assert isinstance(checks, list)
    return next(c for c in checks if c["name"] == "audit trail (local)")


def test_doctor_names_the_entry_edited_with_sqlite3_behind_the_apps_back(config: Config) -> None:
    station = open_station(config)
    try:
        create_user(station.local, None, "Alex Morgan", Role.ADMIN, "305871")  # entry 1
        create_user(station.local, None, "Ana Lopez", Role.PACKER, "4711")  # entry 2
        for _ in range(3):  # entries 3 to 5
            login_by_name(station.local, "ST-01", "Ana Lopez", "4711", station.lockout)
    finally:
        station.close()

    db = sqlite3.connect(config.local_database)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):  # the trigger refuses it
        db.execute("UPDATE audit_events SET detail = 'Ana Lopez as admin' WHERE id = 2")
    db.close()

    intact = doctor()
    assert intact["returncode"] == 0
    assert audit_check(intact) == {
        "name": "audit trail (local)",
        "status": "ok",
        "detail": "5 entries, hash chain intact",
        "fix": "",
    }

    # Someone with the file drops the trigger and makes Ana an admin in the trail.
    db = sqlite3.connect(config.local_database)
    db.execute("DROP TRIGGER audit_events_no_update")
    db.execute("UPDATE audit_events SET detail = 'Ana Lopez as admin' WHERE id = 2")
    db.commit()
    db.close()

    broken = doctor()
    assert broken["returncode"] == 1
    check = audit_check(broken)
    assert check["status"] == "fail"
    assert check["detail"].startswith(
        f"{config.local_database}: audit entry 2 (#2 in the chain: user.created by no user at "
        "setup, "
    )
    assert "does not match its hash: it was changed after it was written" in check["detail"]
    assert "keep this file as evidence" in check["fix"]


def test_an_entry_removed_is_named_by_the_one_after_it(config: Config) -> None:
    station = open_station(config)
    try:
        create_user(station.local, None, "Alex Morgan", Role.ADMIN, "305871")
        for _ in range(3):
            login_by_name(station.local, "ST-01", "Alex Morgan", "305871", station.lockout)
    finally:
        station.close()
    engine = create_db_engine(config.local_url)
    with engine.begin() as c:
        c.exec_driver_sql("DROP TRIGGER audit_events_no_delete")
        c.exec_driver_sql("DELETE FROM audit_events WHERE id = 3")
    with engine.connect() as c:
        _, broken, unsealed = audit_chain.verify(c)
    engine.dispose()
    assert broken is not None and unsealed == 0
    assert broken.entry.id == 4
    assert "follows a missing entry (#3 is gone)" in broken.words


def test_a_rewritten_hash_moves_the_break_to_the_next_entry() -> None:
    at = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
    entries, previous = [], GENESIS
    for n in range(1, 4):
        e = AuditEntry(n, at, 1, "Ana", "ST-01", "pack.ship", f"order:{n}", None, None)
        previous = e.hash_after(n, previous)
        entries.append(AuditEntry(**{**e.__dict__, "chain_seq": n, "hash": previous}))
    assert first_break(entries) is None
    forged = AuditEntry(**{**entries[1].__dict__, "subject": "order:99"})
    forged = AuditEntry(**{**forged.__dict__, "hash": forged.hash_after(2, entries[0].hash or "")})
    found = first_break([entries[0], forged, entries[2]])
    assert found is not None and found.entry.id == 3


def test_the_central_store_chains_its_own_entries_under_concurrent_writers(
    central_url: str,
) -> None:
    """PostgreSQL hands out ids before commit: sealing follows commit order, never a fork."""
    with postgres_central(central_url) as central:
        uows = unit_of_work_factory(central.engine)

        def write(station: str) -> None:
            for n in range(40):
                with uows() as uow:
                    uow.audit(station, "test.write", detail=f"{station} {n}")
                    uow.audit(station, "test.write", detail=f"{station} {n} again")
                    uow.commit()

        threads = [threading.Thread(target=write, args=(f"ST-0{i}",)) for i in range(1, 4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with central.engine.connect() as c:
            checked, broken, unsealed = audit_chain.verify(c)
            assert (checked, broken, unsealed) == (240, None, 0)
        with central.engine.begin() as c, pytest.raises(Exception, match="append-only"):
            c.execute(text("UPDATE audit_events SET detail = 'x' WHERE id = 1"))


def test_entries_written_before_the_chain_are_sealed_by_the_migration(config: Config) -> None:
    engine = create_db_engine(config.local_url)
    config.local_database.parent.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(engine, "0009")
    with engine.begin() as c:
        for n in range(3):
            c.execute(
                text(
                    "INSERT INTO audit_events (at, station, action, detail) "
                    "VALUES (:at, 'ST-01', 'old.entry', :n)"
                ),
                {"at": f"2026-11-0{n + 1}T08:00:00.000000+00:00", "n": str(n)},
            )
    migrate.upgrade(engine)
    with engine.connect() as c:
        assert audit_chain.verify(c) == (3, None, 0)
    engine.dispose()
