"""Badges are secrets: after a shift of badge scans nothing keeps or shows one in clear.

The door is ``packbench demo`` with a serial scanner simulator (tests/ui/badge_session.py
drives it). The wedge reader's side is in test_scanning.py.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.domain.decode import BADGE_HIDDEN
from app.services.demo import DEMO_USERS
from tests.ui.badge_session import SITE_BADGE

SESSION = Path(__file__).with_name("badge_session.py")


def files_holding(home: Path, secrets: list[str]) -> list[tuple[str, str]]:
    """(secret, file) for every secret found in any file under ``home``, as UTF-8 or UTF-16."""
    found = []
    for path in sorted(p for p in home.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for secret in secrets:
            if any(secret.encode(e) in data for e in ("utf-8", "utf-16-le", "utf-16-be")):
                found.append((secret, str(path.relative_to(home))))
    return found


@pytest.mark.slow
def test_a_shift_of_badge_scans_leaves_no_badge_in_the_databases_logs_or_screens(
    tmp_path: Path, isolated_home: Path
) -> None:
    link = tmp_path / "ttyScanner"
    (isolated_home / "config").mkdir(parents=True)
    (isolated_home / "config" / "config.toml").write_text(
        f'[scanner]\nmode = "serial"\nport = "{link}"\n', encoding="utf-8"
    )
    report_file = tmp_path / "report.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, str(SESSION), str(link), str(report_file)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["done"], report

    assert report["signed_in_as"] == "Tomasz Nowak"
    assert "not known" in report["login_refusal"]
    assert report["last_after_unknown_badge"] == [BADGE_HIDDEN]
    assert report["pack_refusal"].startswith("A badge: sign out first")
    for shown in ("devices_after_scanner", "devices_after_test_field"):
        assert f"Read:       {BADGE_HIDDEN}" in report[shown]
    assert report["last_scans"] == [BADGE_HIDDEN]
    assert report["devices_table"][0][2] == BADGE_HIDDEN

    badges = [user.badge for user in DEMO_USERS] + [SITE_BADGE]
    assert (isolated_home / "logs" / "packbench.log").is_file()
    assert files_holding(isolated_home, badges) == []
    for output in (result.stdout, result.stderr):
        assert not [badge for badge in badges if badge in output]

    with sqlite3.connect(isolated_home / "data" / "station.sqlite3") as db:
        scans = db.execute(
            "SELECT action, raw_scan FROM audit_events WHERE action LIKE 'login.badge%'"
        ).fetchall()
        serials = db.execute("SELECT COUNT(*) FROM pack_scans").fetchone()[0]
    assert sorted(scans) == [
        ("login.badge", BADGE_HIDDEN),
        ("login.badge", BADGE_HIDDEN),
        ("login.badge_unknown", BADGE_HIDDEN),
    ]
    assert serials == 0  # the badge was not packed as the item's serial number
