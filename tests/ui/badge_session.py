"""A shift's worth of badge scans through ``packbench demo``, driven as a person would.

Run by tests/ui/test_badges_hidden.py in a subprocess, on a fresh PACKBENCH_HOME whose
config points the serial scanner at LINK: ``python badge_session.py LINK REPORT``. A serial
scanner simulator answers at LINK; the demo opens its real window (offscreen) and this
script scans with the simulator and types into fields with QTest, one step at a time:

1. at the login screen: an unknown site badge (any text is a badge there), then the demo
   packer's badge, which signs in at the Pack bench;
2. at the Pack bench: an order with a serial-tracked item, the item, then a supervisor's
   badge where the serial number is awaited (refused, never taken for the serial);
3. sign out by barcode, sign in with the supervisor's badge, open Devices: a badge by the
   scanner, then one typed into the test field;
4. then it writes what the screens showed to REPORT (JSON) and quits.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.cli import main
from app.config import load_config
from app.domain.users import Workspace
from devices.serial_scanner import ScannerState
from devices.sim_scanner import SimulatedScanner
from ui.main_window import MainWindow
from ui.workspaces.devices import DevicesPage

SITE_BADGE = "4711-0815-SITE"  # a site's own badge code: no B- prefix
STEP_TIMEOUT_S = 30.0
Wait = tuple[str, Callable[[], bool]]  # what is awaited, in words, and how to tell


def main_window(app: QApplication) -> MainWindow | None:
    return next((w for w in app.topLevelWidgets() if isinstance(w, MainWindow)), None)


def serial_item(database: Path) -> tuple[str, str]:
    """An allocated demo order with a serial-tracked item, and that item's barcode."""
    with sqlite3.connect(database) as db:
        row = db.execute(
            "SELECT o.number, b.code FROM orders o"
            " JOIN order_lines l ON l.order_id = o.id"
            " JOIN products p ON p.id = l.product_id"
            " JOIN product_barcodes b ON b.product_id = p.id"
            " WHERE p.serial_tracked AND o.status = 'allocated' AND b.units = 1"
            " ORDER BY o.number LIMIT 1"
        ).fetchone()
    assert row is not None, "the demo has no allocated order with a serial-tracked item"
    return str(row[0]), str(row[1])


def session(
    app: QApplication, scanner: SimulatedScanner, report: dict[str, object]
) -> Iterator[Wait]:
    """The steps; each yields what to wait for before the next."""
    window = main_window(app)
    while window is None:
        yield "the window", lambda: main_window(app) is not None
        window = main_window(app)
    links = window.scanning.serial.values()
    yield (
        "the scanner connected",
        lambda: any(link.state is ScannerState.CONNECTED for link in links),
    )
    yield "the port open", lambda: scanner.wait_for_reader(0.01)

    def band() -> str:
        return window.desk.scan_band.text() if window.desk is not None else ""

    def last_scans() -> list[str]:
        return [str(s.last or "") for s in window.scanning.hub.scanners.values()]

    scanner.scan(SITE_BADGE)
    yield "the unknown badge refused", lambda: "not known" in window.login_screen.message.text()
    report["login_refusal"] = window.login_screen.message.text()
    report["last_after_unknown_badge"] = last_scans()

    scanner.scan("B-PACK-01")
    yield "the packer signed in", lambda: window.desk is not None
    report["signed_in_as"] = window.actor.name if window.actor else None

    order, item = serial_item(load_config().paths.data_dir / "station.sqlite3")
    scanner.scan(f"ORD-{order}")
    yield f"order {order} open", lambda: f"Order {order} open" in band()
    scanner.scan(item)
    yield "the serial number asked for", lambda: "serial number" in band()
    scanner.scan("B-SUP-01")
    yield "the badge refused at the Pack bench", lambda: band().startswith("A badge")
    report["pack_refusal"] = band()
    scanner.scan("%PB:CANCEL")
    yield "the serial cancelled", lambda: "serial number" not in band()

    scanner.scan("%PB:SIGN-OUT")
    yield "signed out", lambda: window.desk is None
    scanner.scan("B-SUP-01")
    yield "the supervisor signed in", lambda: window.desk is not None
    assert window.desk is not None
    window.desk.open_workspace(Workspace.DEVICES)
    page = window.desk.current_page
    assert isinstance(page, DevicesPage)
    scanner.scan("B-ADMIN-01")
    yield "the scanned badge decoded", lambda: "badge (hidden)" in page.decoded.toPlainText()
    report["devices_after_scanner"] = page.decoded.toPlainText()

    page.test_field.setFocus()
    QTest.keyClicks(page.test_field, "B-RET-01")
    QTest.keyClick(page.test_field, Qt.Key.Key_Return)
    yield "the typed badge decoded", lambda: page.test_field.text() == "" and band() == "Badge"
    report["devices_after_test_field"] = page.decoded.toPlainText()
    report["devices_table"] = [
        [str(page.model.index(r, c).data()) for c in range(page.model.columnCount())]
        for r in range(page.model.rowCount())
    ]
    report["last_scans"] = last_scans()
    report["done"] = True


def run(link: Path, report_file: Path) -> int:
    app = QApplication(sys.argv[:1])
    report: dict[str, object] = {"done": False}
    with SimulatedScanner(link) as scanner:
        steps: Iterator[Wait] | None = None
        waiting: list[Wait] = []
        since = [time.monotonic()]

        def finish(error: str | None = None) -> None:
            if error is not None:
                report["error"] = error
            timer.stop()
            app.quit()

        def tick() -> None:
            nonlocal steps
            if steps is None:
                if main_window(app) is None:
                    if time.monotonic() - since[0] > 4 * STEP_TIMEOUT_S:
                        finish("the demo window never opened")
                    return
                steps = session(app, scanner, report)
            if waiting:
                what, done = waiting[0]
                if not done():
                    if time.monotonic() - since[0] > STEP_TIMEOUT_S:
                        window = main_window(app)
                        band = window.desk.scan_band.text() if window and window.desk else ""
                        finish(f"waited {STEP_TIMEOUT_S:.0f} s for {what}; the band said {band!r}")
                    return
            waiting.clear()
            since[0] = time.monotonic()
            try:
                waiting.append(next(steps))
            except StopIteration:
                finish()
            except Exception as error:  # say what went wrong, then leave
                finish(repr(error))

        timer = QTimer()
        timer.timeout.connect(tick)
        timer.start(50)
        code = main(["demo"])
    report_file.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return code


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1]), Path(sys.argv[2])))
