"""``packbench users`` and ``packbench audit``: a site's people and their rights, looked after
from the command line on a fresh home, and the trail of what was done read back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.bootstrap import open_station
from app.config import Config
from app.domain.errors import LoginFailed
from app.domain.users import Permission, Role
from app.services.auth import create_user, find_user, login_by_name, site_role_rights

ADMIN, ADMIN_PIN = "Alex Morgan", "305871"
BOSS, BOSS_PIN = "Helen Marsh", "8264"


def packbench(*args: str, user: str, pin: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PACKBENCH_USER=user, PACKBENCH_PIN=pin, **extra)
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def a_new_site(config: Config) -> None:
    """The first admin and a supervisor, as setting up a site makes them."""
    station = open_station(config)
    try:
        create_user(station.local, None, ADMIN, Role.ADMIN, ADMIN_PIN)
        create_user(station.local, None, BOSS, Role.SUPERVISOR, BOSS_PIN)
    finally:
        station.close()


def test_users_are_added_changed_granted_and_deactivated_by_the_command(
    config: Config, isolated_home: Path
) -> None:
    a_new_site(config)
    added = packbench(
        "users", "add", "Ana Lopez", "--role", "packer", "--badge", "B-ANA-01",
        user=ADMIN, pin=ADMIN_PIN, PACKBENCH_NEW_PIN="4711",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "Added Ana Lopez as Packer." in added.stdout

    # A supervisor grants a packer the right to ship partial, but cannot hand out what they
    # do not hold themselves.
    granted = packbench(
        "users", "grant", "ship_partial", "--to", "ana lopez", user=BOSS, pin=BOSS_PIN
    )
    assert granted.returncode == 0, granted.stderr
    assert "Granted ship_partial to Ana Lopez" in granted.stdout
    beyond = packbench(
        "users", "grant", "manage_users", "--to", "Ana Lopez", user=BOSS, pin=BOSS_PIN
    )
    assert beyond.returncode == 2
    assert "Helen Marsh (Supervisor) may not grant the right to add users" in beyond.stderr
    assert "Traceback" not in beyond.stderr

    # The admin withdraws forcing a pack from every packer, and moves Ana to the returns desk.
    revoked = packbench(
        "users", "revoke", "force_pack", "--role", "packer", user=ADMIN, pin=ADMIN_PIN
    )
    assert revoked.returncode == 0, revoked.stderr
    assert "Withdrew force_pack from every Packer" in revoked.stdout
    moved = packbench("users", "set", "Ana Lopez", "--role", "returns", "--badge", "B-ANA-02",
                      "--pin", user=ADMIN, pin=ADMIN_PIN, PACKBENCH_NEW_PIN="8146")  # fmt: skip
    assert moved.returncode == 0, moved.stderr
    assert "Ana Lopez: role Returns clerk, badge registered, new PIN." in moved.stdout
    gone = packbench("users", "deactivate", "Ana Lopez", user=ADMIN, pin=ADMIN_PIN)
    assert gone.returncode == 0 and "Ana Lopez is deactivated." in gone.stdout

    # The audit trail says who did each of it, filtered by user and action.
    audit = packbench(
        "audit", "--by", "alex", "--action", "user.", "--json", user=BOSS, pin=BOSS_PIN
    )
    assert audit.returncode == 0, audit.stderr
    entries = [json.loads(line) for line in audit.stdout.splitlines()]
    assert [e["action"] for e in entries] == [
        "user.deactivated",
        "user.pin_reset",
        "user.badge_set",
        "user.role_set",
        "user.created",
    ]
    assert all(e["user"] == ADMIN and e["station"] == "ST-01" and e["sealed"] for e in entries)

    # What the commands wrote, read back: the site's role rights, Ana's own, her sign-in.
    station = open_station(config)
    try:
        rights = site_role_rights(station.local)
        assert Permission.FORCE_PACK not in rights[Role.PACKER]
        assert Permission.PACK in rights[Role.PACKER]
        assert Permission.FORCE_PACK in rights[Role.SUPERVISOR]
        ana = find_user(station.local, "Ana Lopez")
        assert (ana.role, ana.has_badge, ana.active) == (Role.RETURNS, True, False)
        assert ana.grants == {Permission.SHIP_PARTIAL}
        with pytest.raises(LoginFailed, match="No active user is called 'Ana Lopez'"):
            login_by_name(station.local, "ST-01", "Ana Lopez", "8146", station.lockout)
    finally:
        station.close()
