"""One app per station database: a second `packbench` brings the first window forward and
names the process holding the station; a crashed app does not lock the station out.

Both apps are real `packbench` processes (offscreen), on a fresh PACKBENCH_HOME.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.bootstrap import Station
from app.config import load_config
from ui.application import StationClaim, hold_station, open_window


def environment(home: Path) -> dict[str, str]:
    env = {**os.environ, "PACKBENCH_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PACKBENCH_CENTRAL_URL", None)  # the embedded central store: no server needed
    return env


def start_packbench(home: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "app"],
        env=environment(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def log_of(home: Path) -> str:
    path = load_config({"PACKBENCH_HOME": str(home)}).paths.log_dir / "packbench.log"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def wait_for(what: Callable[[], bool], timeout: float = 60) -> None:
    """Poll for an event of another process (not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while not what():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def apps() -> Iterator[Callable[[Path], subprocess.Popen[str]]]:
    """Start `packbench` (the app); every one started is ended afterwards."""
    started: list[subprocess.Popen[str]] = []

    def start(home: Path) -> subprocess.Popen[str]:
        app = start_packbench(home)
        started.append(app)
        wait_for(
            lambda: f"window open (process {app.pid})" in log_of(home) or app.poll() is not None
        )
        assert app.poll() is None, app.communicate()
        return app

    yield start
    for app in started:
        if app.poll() is None:
            app.send_signal(signal.SIGTERM)
        app.communicate(timeout=30)


def test_a_second_packbench_on_the_station_brings_the_first_forward_and_names_it(
    tmp_path: Path, apps: Callable[[Path], subprocess.Popen[str]]
) -> None:
    home = tmp_path / "home"
    first = apps(home)

    second = start_packbench(home)
    try:
        out, err = second.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        second.kill()
        second.communicate()
        raise AssertionError("the second packbench opened the station a second time") from None
    assert second.returncode == 0, out + err
    assert f"already running on this station (process {first.pid})" in err
    assert "brought to the front" in err
    wait_for(lambda: f"another packbench (process {second.pid}) was started" in log_of(home))
    assert log_of(home).count("window open") == 1  # the second opened nothing
    assert first.poll() is None

    # Headless commands run beside the app, on the same station database.
    beside = subprocess.run(
        [sys.executable, "-m", "app", "sync", "--once"],
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert beside.returncode == 0, beside.stdout + beside.stderr


def test_an_app_that_crashed_does_not_lock_the_station_out(
    tmp_path: Path, apps: Callable[[Path], subprocess.Popen[str]]
) -> None:
    home = tmp_path / "home"
    crashed = apps(home)
    crashed.send_signal(signal.SIGKILL)
    crashed.communicate(timeout=30)
    database = load_config({"PACKBENCH_HOME": str(home)}).local_database
    assert Path(f"{database}.lock").exists()  # left behind, naming a process that is gone

    again = apps(home)  # opens its window: the lock of a dead process is taken over
    assert again.poll() is None


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no stacking
def test_the_window_holding_the_station_comes_forward_when_packbench_is_started_again(
    qtbot: QtBot, station: Station
) -> None:
    home = station.config.paths.data_dir.parent  # the PACKBENCH_HOME it was opened with
    claim = hold_station(station.config.local_database)
    assert isinstance(claim, StationClaim)
    window = open_window(station, claim=claim)
    qtbot.addWidget(window)
    try:
        window.showMinimized()
        assert window.isMinimized()
        called: list[int] = []
        claim.raise_requested.connect(called.append)
        second = start_packbench(home)
        try:
            qtbot.waitUntil(lambda: second.poll() is not None, timeout=30_000)
        finally:
            if second.poll() is None:
                second.kill()
            _, err = second.communicate()
        assert second.returncode == 0 and f"(process {os.getpid()})" in err, err
        assert called == [second.pid]
        assert not window.isMinimized()
    finally:
        qtbot.waitUntil(lambda: window.status.central_checked, timeout=10_000)
        window.shutdown()
        claim.release()
