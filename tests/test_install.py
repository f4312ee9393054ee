"""What an installer and a supervisor meet by the ``packbench`` command: the self-test, the
log folder in ``doctor``, backups and restoring one (issue 17)."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.bootstrap import open_station
from app.config import load_config


def packbench(
    *args: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def test_self_test_without_a_display_loads_everything_and_exits_0(isolated_home: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    result = packbench("--self-test", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for check in (
        "Qt platform plugin: offscreen",
        "bundled fonts",
        "style: light, dark",
        "icons",
        "translations: English (source), de",
        "sounds",
        "database: a new database migrated to",
        "label: ZPL",
        "packing slip: PDF",
        "invoice: PDF",
        "GS1 scan: GTIN 09501101530003",
    ):
        assert any(line.startswith("ok") and check in line for line in lines), (check, lines)
    assert lines[-1].endswith("checks passed")
    assert not (isolated_home / "data").exists()  # the throwaway database was thrown away


def test_self_test_fails_naming_what_is_missing(tmp_path: Path) -> None:
    """A build that lost a resource says which (here the Alembic scripts are gone). In a
    process of its own: the self-test styles the application it makes."""
    code = (
        "import sys, app.db.migrate as m; from pathlib import Path;"
        f"m.MIGRATIONS = Path({str(tmp_path)!r});"
        "from app.cli import main; sys.exit(main(['--self-test']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 1
    assert "FAIL database" in result.stdout
    assert result.stdout.splitlines()[-1].endswith("FAILED (database)")
    assert "ok   invoice" in result.stdout  # the other checks still ran
    assert "Traceback" not in result.stderr


def test_a_password_a_library_quotes_never_reaches_the_log_file(tmp_path: Path) -> None:
    from app.services.logs import log_to_folder

    root = logging.getLogger()
    before = list(root.handlers)
    assert log_to_folder(tmp_path)
    try:
        logging.getLogger("psycopg").warning(
            "could not connect to %s", "postgresql://station01:Hunter2-x@db.example/orders"
        )
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
    text = (tmp_path / "packbench.log").read_text(encoding="utf-8")
    assert "postgresql://station01:***@db.example/orders" in text
    assert "Hunter2" not in text


def test_doctor_names_the_log_folder(isolated_home: Path) -> None:
    result = packbench("doctor", "--json", env=dict(os.environ))
    report = json.loads(result.stdout)
    assert report["log_dir"] == str(isolated_home / "logs")
    assert any(c["name"] == "logs" and c["status"] == "ok" for c in report["checks"])


def _pending_command(home: Path) -> None:
    """One command waiting for the central store, written the way a station writes it."""
    station = open_station(load_config())
    try:
        with station.local() as uow:
            uow.command("order.status", {"number": "100231", "status": "packed"})
            uow.commit()
    finally:
        station.close()


def test_backup_keeps_the_newest_and_restore_guards_unsynced_work(isolated_home: Path) -> None:
    env = dict(os.environ)
    config_file = isolated_home / "config" / "config.toml"
    config_file.parent.mkdir(parents=True)
    config_file.write_text("[backup]\nkeep = 1\n", encoding="utf-8")

    none_yet = packbench("backup", env=env)
    assert none_yet.returncode == 2
    assert "no station database to back up yet" in none_yet.stderr

    open_station(load_config()).close()  # the station's file, as the first start makes it
    made = [packbench("backup", env=env) for _ in range(2)]
    assert all(r.returncode == 0 for r in made), [r.stderr for r in made]
    folder = isolated_home / "data" / "backups"
    kept = sorted(folder.glob("station-ST-01-*.sqlite3"))
    assert len(kept) == 1  # keep = 1: the older went
    assert "1 older removed" in made[1].stdout
    with sqlite3.connect(kept[-1]) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)

    _pending_command(isolated_home)
    refused = packbench("restore", str(kept[-1]), env=env)
    assert refused.returncode == 2
    assert "1 commands not yet pushed" in refused.stderr
    assert "--force" in refused.stderr
    station_file = isolated_home / "data" / "station.sqlite3"
    with sqlite3.connect(station_file) as db:
        assert db.execute("SELECT count(*) FROM outbox").fetchone() == (1,)  # untouched

    forced = packbench("restore", str(kept[-1]), "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert "1 unsynced commands were dropped" in forced.stdout
    with sqlite3.connect(station_file) as db:
        assert db.execute("SELECT count(*) FROM outbox").fetchone() == (0,)
    assert list((isolated_home / "data").glob("station.sqlite3.before-restore-*"))
    assert "restored" in (isolated_home / "logs" / "packbench.log").read_text(encoding="utf-8")


def test_restore_refuses_while_the_app_holds_the_station(
    isolated_home: Path, tmp_path: Path
) -> None:
    from ui.application import StationClaim, hold_station

    backup = tmp_path / "backup.sqlite3"
    open_station(load_config()).close()
    database = isolated_home / "data" / "station.sqlite3"
    database.rename(backup)
    claim = hold_station(database)  # as the app holds its station while it runs
    assert isinstance(claim, StationClaim)
    try:
        result = packbench("restore", str(backup), env=dict(os.environ))
    finally:
        claim.release()
    assert result.returncode == 2
    assert f"Packbench is running on this station (process {os.getpid()})" in result.stderr
    assert not database.exists()  # nothing was put in its place


def test_restore_refuses_a_file_that_is_not_a_station_database(
    isolated_home: Path, tmp_path: Path
) -> None:
    junk = tmp_path / "notes.sqlite3"
    junk.write_text("not a database", encoding="utf-8")
    result = packbench("restore", str(junk), env=dict(os.environ))
    assert result.returncode == 2
    assert "is not a Packbench station database" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("days", [0, 2])
def test_the_daily_backup_runs_when_the_newest_is_a_day_old(isolated_home: Path, days: int) -> None:
    import datetime as dt

    from app.services.backup import backups, make_backup

    station = open_station(load_config())
    try:
        make_backup(station.config, dt.datetime.now(dt.UTC) - dt.timedelta(days=days))
        station.backup.run_once()
        assert len(backups(station.config)) == (2 if days else 1)
    finally:
        station.close()


def test_new_scanner_settings_reopen_the_running_scanner_without_a_restart(
    isolated_home: Path, tmp_path: Path
) -> None:
    """Station.reconfigure, as the settings dialog's save calls it: the serial scanner is
    reopened with the new prefix and goes on reporting to the same listeners."""
    import queue
    import time as clock

    from app.services.settings import check_settings
    from devices.serial_scanner import ScannerState
    from devices.sim_scanner import SimulatedScanner

    scanner = SimulatedScanner(tmp_path / "ttyScanner")
    config_file = isolated_home / "config" / "config.toml"
    config_file.parent.mkdir(parents=True)
    config_file.write_text(
        f'[scanner]\nmode = "serial"\nport = "{scanner.path}"\n', encoding="utf-8"
    )
    station = open_station(load_config())
    feed = station.scanners[scanner.path]
    scans: queue.Queue[str] = queue.Queue()
    feed.scanned.connect(lambda scan: scans.put(scan.text))
    try:
        feed.start()

        def connected() -> None:
            deadline = clock.monotonic() + 10
            while feed.state is not ScannerState.CONNECTED and clock.monotonic() < deadline:
                clock.sleep(0.05)
            assert feed.state is ScannerState.CONNECTED

        connected()
        scanner.scan("4006381333931", prefix="#")
        assert scans.get(timeout=5) == "#4006381333931"
        new, _text = check_settings(station.config.paths, {("scanner", "prefix"): "#"})
        assert station.reconfigure(new) == []  # nothing waits for a restart
        connected()
        scanner.scan("4006381333931", prefix="#")
        assert scans.get(timeout=5) == "4006381333931"  # the new prefix is stripped
    finally:
        station.close()
        scanner.close()
