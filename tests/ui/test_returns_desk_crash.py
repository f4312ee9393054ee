"""A returns desk killed mid-return (SIGKILL, as a power cut) loses no unit it showed as
taken back, and the return is finished in a new window by scanning its RA."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import Station
from app.domain.scans import Scan
from app.domain.users import Role
from app.services import returns
from app.services.auth import create_user
from tests.packing.conftest import bench, bench_home, central
from tests.packing.world import MUG, TEA
from tests.returns.world import on_hand, person, ship
from tests.sync.stores import Central, open_test_station
from ui.main_window import MainWindow
from ui.workspaces.returns import ReturnsPage

__all__ = ["bench", "bench_home", "central"]  # the packing world's fixtures, used here

CLERK = "B-RETURNS-12"

# The real window in its own process, offscreen: the clerk signs in by badge and scans the
# parcel's order and two items; each line is printed once the desk has shown the scan.
CHILD = textwrap.dedent(
    """
    import sys, time
    from app.domain.scans import Scan
    from tests.sync.stores import open_test_station
    from ui.application import prepare_application
    from ui.main_window import MainWindow

    home, url = sys.argv[1], sys.argv[2]
    station = open_test_station(home, url, "ST-01")
    app = prepare_application(station)
    window = MainWindow(station)
    window.show()
    for code in sys.argv[3:]:
        window.on_scan_read(Scan(code, None, "wedge", time.monotonic()))
        app.processEvents()
        page = window.desk.current_page if window.desk else None
        while getattr(getattr(page, "controller", None), "busy", False):
            app.processEvents()
            time.sleep(0.01)
        print("shown", window.desk.scan_band.text() if window.desk else "", flush=True)
    sys.stdin.read()  # wait to be killed
    """
)


def test_a_desk_killed_mid_return_is_resumed_by_its_ra_with_nothing_lost_or_doubled(
    qtbot: QtBot, bench: Station, bench_home: Path, central: Central
) -> None:
    ship(bench, "100234", {1: 2, 2: 3, 3: 1}, {3: ("SP-0001",)})
    create_user(bench.local, None, "Rosa Lind", Role.RETURNS, "5173", badge=CLERK)
    bench.close()
    root = Path(__file__).parents[2]
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(bench_home), central.url, CLERK, "ORD-100234", TEA, MUG],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert child.stdout is not None
    shown = []
    while len(shown) < 4:
        line = child.stdout.readline()
        if not line:
            raise AssertionError(f"the desk died early: {child.stderr.read()}")  # type: ignore[union-attr]
        if line.startswith("shown"):
            shown.append(line.strip())
    assert "MUG-BLUE-350: 1 of 2 back" in shown[-1], shown
    os.kill(child.pid, signal.SIGKILL)  # no clean-up, no flush: a power cut
    child.wait(timeout=10)

    station = open_test_station(bench_home, central.url, "ST-01")
    clerk = person(station, Role.RETURNS)
    (saved,) = returns.open_returns(station, clerk)
    assert [u.sku for u in saved.units] == ["TEA-EARL-100", "MUG-BLUE-350"]
    window = MainWindow(station)
    qtbot.addWidget(window)
    window.show()
    try:

        def scan(code: str) -> str:
            window.on_scan_read(Scan(code, None, "wedge", time.monotonic()))
            QApplication.processEvents()
            page = window.desk.current_page if window.desk is not None else None
            if isinstance(page, ReturnsPage):
                qtbot.waitUntil(lambda: not page.controller.busy, timeout=15_000)
            return window.desk.scan_band.text() if window.desk is not None else ""

        scan(CLERK)
        assert "resumed: 2 units already taken back" in scan(saved.number)
        scan(MUG)
        scan("%PB:OK")
        assert f"{saved.number} confirmed" in scan("%PB:OK")
    finally:
        qtbot.waitUntil(lambda: window.status.central_checked, timeout=10_000)
        window.shutdown()
    view = returns.resume(station, clerk, saved.number)
    assert (view.state, view.received) == ("confirmed", 3)  # nothing lost, nothing doubled
    assert on_hand(station, "TEA-EARL-100")["A-02-1"] == 18  # 20 - 3 shipped + 1 back
    assert on_hand(station, "MUG-BLUE-350")["A-01-1"] == 20  # both back on the shelf
    station.close()
