"""Grab the Orders workspace's screens as PNG files, to look at them (a tool, not a test).

    xvfb-run -a -s "-screen 0 1920x1080x24" python tests/ui/orders_screenshots.py OUTDIR [N]

A station with N orders (default 100,000, made by ``app.benchmarks.order_data``) and the GUI
tests' handful; as a supervisor: the list, a search, an order's detail, the holds queue, the
release and void dialogs, at 1280x800 and 1920x1080.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[2]))

from conftest import ORDERS, PEOPLE, add_orders, add_people
from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtWidgets import QWidget

from app.benchmarks.order_data import fill_orders
from app.bootstrap import open_station
from app.config import load_config
from app.domain.users import Role, Workspace
from app.services.order_search import Segment
from ui.application import prepare_application
from ui.main_window import MainWindow
from ui.workspaces.orders import OrdersPage

SIZES = [(1280, 800), (1920, 1080)]


def settle(seconds: float = 0.6) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def grab(widget: QWidget, out: Path, name: str) -> None:
    settle()
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(path)


def main(out: Path, n: int) -> int:
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="packbench-shots-"))
    station = open_station(load_config(env={"PACKBENCH_HOME": str(home)}))
    add_people(station)
    fill_orders(station.local_engine, n)
    add_orders(station, ORDERS)
    prepare_application(station)
    for width, height in SIZES:
        size = f"{width}x{height}"
        window = MainWindow(station)
        window.resize(width, height)
        window.move(0, 0)
        window.show()
        window.login_screen.badge_field.setText(PEOPLE[Role.SUPERVISOR].badge)
        window.login_screen.badge_field.returnPressed.emit()
        desk = window.desk
        assert desk is not None
        desk.open_workspace(Workspace.ORDERS)
        page = desk.pages[Workspace.ORDERS]
        assert isinstance(page, OrdersPage)
        settle(2)
        grab(window, out, f"{size}-orders")
        page.find_field.setText("muller")
        settle(2)
        grab(window, out, f"{size}-orders-search")
        page.find_field.setText("")
        page.choose_segment(Segment.ON_HOLD)
        settle(2)
        page.table.selectRow(0)
        grab(window, out, f"{size}-holds-queue")
        row = page.selected()
        assert row is not None
        dialog = page.release(row.number)
        dialog.note.setPlainText("Customer confirmed the address by phone")
        grab(dialog, out, f"{size}-release-dialog")
        dialog.reject()
        dialog = page.void(row.number)
        dialog.note.setPlainText("Customer cancelled by email")
        grab(dialog, out, f"{size}-void-dialog")
        dialog.reject()
        page.choose_segment(Segment.ALL)
        page.find_field.setText("100234")
        settle(2)
        page.table.selectRow(0)
        detail = page.open_selected()
        assert detail is not None
        grab(detail, out, f"{size}-detail")
        detail.close()
        page.find_field.setText(ORDERS[0][0])  # shipped
        settle(2)
        window.close()
    station.close()
    return 0


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) == 3 else 100_000))
