"""Grab the Pack workspace as PNG files, to look at them (a tool, not a test).

    xvfb-run -a -s "-screen 0 1920x1080x24" python tests/packing/screenshots.py OUTDIR

Builds the packing world (tests/packing/world.py) with a simulated printer, signs a packer
in, packs through the window's own scan path and saves each state of the bench at 1280x800
and 1920x1080: idle, mid-order, a refused scan, an item wanted by other orders, an order
reopened after signing in again, waiting for a weight and for its confirmation, the
printer out of paper; then a supervisor ships part of an order with an odd weight
(confirming it, and weighing again with the reason kept).
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
from app.domain.users import Role, Workspace
from app.services.auth import create_user, login_with_badge
from devices.sim_printer import SimulatedPrinter
from tests.packing.world import MUG, SPOON, TEA, UNKNOWN, ready
from tests.sync.stores import sqlite_central
from ui.application import prepare_application
from ui.main_window import MainWindow
from ui.workspaces.pack import PackPage

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
        create_user(station.local, None, "Helen Marsh", Role.SUPERVISOR, "8264", badge="B-SUP-01")
        app = prepare_application(station)
        window = MainWindow(station)
        window.show()
        actor = login_with_badge(station.local, station.station_id, "B-PACK-01")
        window.on_signed_in(actor)

        def scan(text: str) -> None:
            window.on_scan_read(Scan(text, None, "test"))
            QCoreApplication.processEvents()

        def shoot(name: str) -> None:
            for width, height in SIZES:
                window.resize(width, height)
                grab(window, out / f"pack-{name}-{width}x{height}.png")

        def sign_in(badge: str) -> None:
            window.sign_out()
            window.on_signed_in(login_with_badge(station.local, station.station_id, badge))
            QCoreApplication.processEvents()

        def page() -> PackPage:
            assert window.desk is not None
            window.desk.open_workspace(Workspace.PACK)
            current = window.desk.current_page
            assert isinstance(current, PackPage)
            return current

        shoot("idle")
        scan("ORD-100234")
        for code in (MUG, MUG, TEA):
            scan(code)
        shoot("order")
        scan(MUG)
        shoot("refused")
        scan("ORD-100240")
        scan(MUG)
        shoot("wrong-item")
        scan("ORD-100234")
        sign_in("B-PACK-01")
        shoot("resumed")
        scan(UNKNOWN)
        scan("%PB:CLOSE")
        shoot("weigh")
        printer.paper_out = True
        for code in (TEA, TEA, SPOON, "SN-0042"):
            scan(code)
        page().controller.type_weight("1.14")
        scan("%PB:CLOSE")
        shoot("confirm-weight")
        scan("%PB:OK")
        settle(3000)  # the spooler asks the printer, which is out of labels
        shoot("paper-out")

        printer.paper_out = False
        sign_in("B-SUP-01")
        bench = page()
        scan("ORD-100250")
        for code in (MUG, MUG, TEA):
            scan(code)
        bench.controller.type_weight("1.5")
        scan("%PB:SHIP-PARTIAL")
        shoot("partial-reason")
        bench.reason.setText("holder broken, only 1")
        bench.reason.returnPressed.emit()
        shoot("partial-confirm-weight")
        scan("%PB:CANCEL")
        shoot("partial-weigh-again")
        bench.reason.returnPressed.emit()
        scan("%PB:OK")
        shoot("partial-shipped")
        window.shutdown()
        window.close()
        del app
        station.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots"))
