"""Users and rights changed at one station reach every station (issue 16, item 6).

A fresh PostgreSQL database is the central store; two stations, each on its own home, by the
``packbench`` command. A supervisor adds a packer at ST-01; after ``packbench sync --once``
at both, the packer signs in at ST-02. The supervisor deactivates her at ST-02; after both
sync, ST-01 refuses her too. A change the central store refuses (made by someone whose right
was withdrawn centrally) is shown as rejected, and nothing secret travels in the outbox.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db.models import AuditEvent, OutboxCommand, User
from app.db.session import unit_of_work_factory
from app.domain.users import Role, hash_secret
from app.sync.clock import stamp_changes, track_changes
from app.sync.engine import sync_status
from tests.invoicing.test_central_refusal import postgres
from tests.returns.test_returns_command import PIN, hire
from tests.sync.stores import Central, open_test_station

__all__ = ["postgres"]

NEW, NEW_PIN = "Ines Brandt", "90417"
ADMIN = "Alex Morgan"


def staffed(central: Central) -> None:
    """The central store's people: an admin (who manages users), a supervisor, a clerk."""
    hire(central)
    uows = unit_of_work_factory(central.engine, before_commit=stamp_changes, on_open=track_changes)
    with uows() as uow:
        uow.session.add(User(name=ADMIN, role=Role.ADMIN, pin_hash=hash_secret(PIN)))
        uow.commit()


def packbench(
    home: Path,
    central: Central,
    station: str,
    *args: str,
    user: str = ADMIN,
    pin: str = PIN,
    **extra: str,
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PACKBENCH_HOME": str(home),
        "PACKBENCH_CENTRAL_URL": central.url,
        "PACKBENCH_STATION": station,
        "PACKBENCH_USER": user,
        "PACKBENCH_PIN": pin,
        **extra,
    }
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def synced(home: Path, central: Central, station: str) -> dict:  # type: ignore[type-arg]
    done = packbench(home, central, station, "sync", "--once", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


@pytest.mark.postgres
def test_a_user_added_at_one_station_signs_in_at_another_and_a_deactivation_travels_back(
    postgres: Central, tmp_path: Path
) -> None:
    one, two = tmp_path / "st-01", tmp_path / "st-02"
    staffed(postgres)
    for home, code in ((one, "ST-01"), (two, "ST-02")):
        open_test_station(home, postgres.url, code).close()
        synced(home, postgres, code)

    added = packbench(one, postgres, "ST-01", "users", "add", NEW, "--role", "packer",
                      PACKBENCH_NEW_PIN=NEW_PIN)  # fmt: skip
    assert added.returncode == 0, added.stderr
    # Before any sync, ST-02 does not know her.
    before = packbench(two, postgres, "ST-02", "users", "list", user=NEW, pin=NEW_PIN)
    assert before.returncode != 0 and "Traceback" not in before.stderr
    # The outbox carries the PIN's hash, never the PIN.
    station = open_test_station(one, postgres.url, "ST-01")
    try:
        with station.local(readonly=True) as uow:
            sent = uow.session.scalars(
                select(OutboxCommand.payload).where(OutboxCommand.kind == "user.change")
            ).all()
    finally:
        station.close()
    assert [c["op"] for c in sent] == ["add"]
    assert NEW_PIN not in json.dumps(sent[0])
    assert sent[0]["pin_hash"].startswith("scrypt")

    report = synced(one, postgres, "ST-01")
    assert (report["applied"], report["rejected"]) == (1, 0), report
    synced(two, postgres, "ST-02")
    signed_in = packbench(two, postgres, "ST-02", "users", "list", "--json", user=NEW, pin=NEW_PIN)
    assert "Ines Brandt" not in signed_in.stderr or signed_in.returncode != 0
    whoami = packbench(two, postgres, "ST-02", "audit", "--json", user=NEW, pin=NEW_PIN)
    # She signs in (a packer may not read the audit trail: refused for the right, not the login)
    assert "No active user is called" not in whoami.stderr, whoami.stderr
    assert "may not" in whoami.stderr, whoami.stderr

    # Deactivated at ST-02; after both sync, ST-01 refuses her.
    gone = packbench(two, postgres, "ST-02", "users", "deactivate", NEW)
    assert gone.returncode == 0, gone.stderr
    report = synced(two, postgres, "ST-02")
    assert (report["applied"], report["rejected"]) == (1, 0), report
    still = packbench(one, postgres, "ST-01", "audit", "--json", user=NEW, pin=NEW_PIN)
    assert "may not" in still.stderr  # ST-01 has not synced yet: she still signs in there
    synced(one, postgres, "ST-01")
    refused = packbench(one, postgres, "ST-01", "audit", "--json", user=NEW, pin=NEW_PIN)
    assert refused.returncode != 0
    assert "No active user is called 'Ines Brandt'" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr

    with postgres.engine.connect() as c:
        trail = c.execute(
            select(AuditEvent.station, AuditEvent.action, AuditEvent.user_name)
            .where(AuditEvent.subject == f"user:{NEW}")
            .order_by(AuditEvent.id)
        ).all()
        pins = c.execute(select(User.pin_hash).where(User.name == NEW)).scalars().all()
    assert [tuple(t) for t in trail] == [
        ("ST-01", "user.change.add", ADMIN),
        ("ST-02", "user.change.active", ADMIN),
    ]
    assert len(pins) == 1 and NEW_PIN not in pins[0]


@pytest.mark.postgres
def test_the_central_store_checks_the_right_as_it_knows_it_and_the_station_shows_the_refusal(
    postgres: Central, tmp_path: Path
) -> None:
    one = tmp_path / "st-01"
    staffed(postgres)
    open_test_station(one, postgres.url, "ST-01").close()
    synced(one, postgres, "ST-01")
    # Before the station syncs, the admin adds a packer; meanwhile the central store learns
    # that the admin left (deactivated at another station).
    added = packbench(one, postgres, "ST-01", "users", "add", NEW, "--role", "packer",
                      PACKBENCH_NEW_PIN=NEW_PIN)  # fmt: skip
    assert added.returncode == 0, added.stderr
    uows = unit_of_work_factory(postgres.engine, before_commit=stamp_changes, on_open=track_changes)
    with uows() as uow:
        boss = uow.session.scalar(select(User).where(User.name == ADMIN))
        assert boss is not None
        boss.active = False
        uow.commit()
    report = synced(one, postgres, "ST-01")
    assert report["rejected"] == 1, report
    station = open_test_station(one, postgres.url, "ST-01")
    try:
        shown = [(r.kind, r.reason) for r in sync_status(station).rejected]  # the Sync page's list
    finally:
        station.close()
    assert len(shown) == 1 and shown[0][0] == "user.change", shown
    assert "Alex Morgan is no longer active in the central store" in (shown[0][1] or "")
    with postgres.engine.connect() as c:
        assert c.scalar(select(User.id).where(User.name == NEW)) is None
