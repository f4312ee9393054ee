"""Grab the Pack workspace as PNG files, to look at them (a tool, not a test).

    xvfb-run -a -s "-screen 0 1920x1080x24" python tests/packing/screenshots.py OUTDIR

Builds the packing world (tests/packing/world.py) with a simulated printer, signs a packer
in, opens order 100234, packs part of it through the window's own scan path and saves the
bench at 1280x800 and 1920x1080: mid-order, after a refused scan, and waiting for a weight.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtWidgets import QWidget

from app.bootstrap import open_station
from app.config import load_config
from app.domain.scans import Scan
from app.domain.users import Role
from app.services.auth import create_user, login_with_badge
from devices.sim_printer import SimulatedPrinter
from tests.packing.world import MUG, SPOON, TEA, UNKNOWN, ready
from tests.sync.stores import sqlite_central
from ui.application import prepare_application
from ui.main_window import MainWindow

SIZES = [(1280, 800), (1920, 1080)]


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    from PySide6.QtCore import QTimer

    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def grab(widget: QWidget, path: Path) -> None:
    settle()
    widget.grab().save(str(path))
    print(path)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="packbench-shots-"))
    with sqlite_central(tmp / "central") as central, SimulatedPrinter() as printer:
        printer.start()
        home = tmp / "home"
        (home / "config").mkdir(parents=True)
        (home / "config" / "config.toml").write_text(
            f'[station]\nid = "ST-02"\n[printer]\ntransport = "tcp"\n'
            f'address = "{printer.address}"\n',
            encoding="utf-8",
        )
        config = load_config({"PACKBENCH_HOME": str(home), "PACKBENCH_CENTRAL_URL": central.url})
        station = open_station(config)
        ready(station, central.engine)
        create_user(station.local, None, "Tomasz Nowak", Role.PACKER, "5173", badge="B-PACK-01")
        app = prepare_application(station)
        window = MainWindow(station)
        window.show()
        actor = login_with_badge(station.local, station.station_id, "B-PACK-01")
        window.on_signed_in(actor)

        def scan(text: str) -> None:
            window.on_scan_read(Scan(text, None, "test"))
            QCoreApplication.processEvents()

        for width, height in SIZES:
            window.resize(width, height)
            grab(window, out / f"pack-idle-{width}x{height}.png")
        scan("ORD-100234")
        for code in (MUG, MUG, TEA):
            scan(code)
        for width, height in SIZES:
            window.resize(width, height)
            grab(window, out / f"pack-order-{width}x{height}.png")
        scan(MUG)
        grab(window, out / "pack-refused-1920x1080.png")
        scan(UNKNOWN)
        scan("%PB:CLOSE")
        grab(window, out / "pack-weigh-1920x1080.png")
        printer.paper_out = True
        for code in (TEA, TEA, SPOON, "SN-0042"):
            scan(code)
        page = window.desk.current_page if window.desk else None
        controller = getattr(page, "controller", None)
        if controller is not None:
            controller.type_weight("1.14")
        scan("%PB:CLOSE")
        grab(window, out / "pack-confirm-weight-1920x1080.png")
        scan("%PB:OK")
        settle(3000)  # the spooler asks the printer, which is out of labels
        grab(window, out / "pack-paper-out-1920x1080.png")
        window.shutdown()
        window.close()
        del app
        station.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots"))
