"""Grab the window's fault band as PNG files, to look at them (a tool, not a test).

    xvfb-run -a -s "-screen 0 1920x1080x24" python tests/ui/fault_screenshots.py OUTDIR

Opens the window as the app does (with its excepthook) on the packing world, signs a packer
in, packs a scan, then: a bug while a scan is handled (``PACKBENCH_FAULT``), and a full disk
(SQLite's own error from a database that may not grow), each at 1280x800 and 1920x1080.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QWidget

from app.bootstrap import open_station
from app.config import load_config
from app.domain.scans import Scan
from app.domain.users import Role
from app.services.auth import create_user, login_with_badge
from tests.packing.world import MUG, ready
from tests.sync.stores import sqlite_central
from ui.application import open_window, prepare_application

SIZES = [(1280, 800), (1920, 1080)]


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def grab(widget: QWidget, path: Path) -> None:
    settle()
    widget.grab().save(str(path))
    print(path)


def disk_full() -> sqlite3.OperationalError:
    with tempfile.TemporaryDirectory() as folder:
        db = sqlite3.connect(Path(folder) / "full.sqlite3")
        db.execute("CREATE TABLE t (x TEXT)")
        db.execute("PRAGMA max_page_count = 2")
        try:
            db.execute("INSERT INTO t VALUES (?)", ("x" * 9000,))
        except sqlite3.OperationalError as error:
            return error
        finally:
            db.close()
    raise AssertionError("the database grew")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="packbench-shots-"))
    with sqlite_central(tmp / "central") as central:
        home = tmp / "home"
        config = load_config({"PACKBENCH_HOME": str(home), "PACKBENCH_CENTRAL_URL": central.url})
        station = open_station(config)
        ready(station, central.engine)
        create_user(station.local, None, "Tomasz Nowak", Role.PACKER, "5173", badge="B-PACK-01")
        prepare_application(station)
        window = open_window(station)
        window.on_signed_in(login_with_badge(station.local, station.station_id, "B-PACK-01"))

        def scan(text: str) -> None:
            # Queued, as the hub delivers it: an exception reaches the app's excepthook.
            QTimer.singleShot(0, lambda: window.on_scan_read(Scan(text, None, "test")))
            settle(100)

        def shoot(name: str) -> None:
            for width, height in SIZES:
                window.showNormal()
                window.resize(width, height)
                grab(window, out / f"fault-{name}-{width}x{height}.png")

        scan("ORD-100234")
        scan(MUG)
        os.environ["PACKBENCH_FAULT"] = "scan:ORD-100240"
        scan("ORD-100240")
        del os.environ["PACKBENCH_FAULT"]
        shoot("bug")
        scan(MUG)
        window.fault_band.clear()
        station.report(disk_full(), "in the window")
        shoot("disk-full")
        window.shutdown()
        station.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
