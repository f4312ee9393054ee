"""Grab the screens as PNG files, to look at them (a tool, not a test).

    python tests/ui/screenshots.py OUTDIR

Builds a station in a temporary PACKBENCH_HOME with one user per role and some orders (long
names, several scripts), then saves the login screen (plain, demo, refused) and every
workspace of the admin at 1280×800 and 1920×1080. Run it offscreen and under Xvfb
(``xvfb-run -a -s "-screen 0 1920x1080x24" python tests/ui/screenshots.py OUTDIR``).
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[2]))  # tests.ui.keys

from conftest import ORDERS, PEOPLE, OrderSpec, add_orders, add_people
from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtWidgets import QWidget

from app.bootstrap import open_station
from app.config import load_config
from app.db.models import Order, User
from app.domain.scans import Scan
from app.domain.status import OrderStatus
from app.domain.users import Role
from ui.application import prepare_application
from ui.main_window import MainWindow

SIZES = [(1280, 800), (1920, 1080)]

MORE_ORDERS: list[OrderSpec] = [
    (
        "100240",
        OrderStatus.ON_HOLD,
        "Maximiliane Wolfeschlegelsteinhausen-Bergerdorff",
        "Garmisch-Partenkirchen",
        "DE",
        "EUR",
        [("MUG-BLUE-350", "Blue mug 350 ml", 12, "9.90")],
        ["Billing and shipping addresses differ", "Personalised item: check the engraving"],
    ),
    (
        "100241",
        OrderStatus.PARTIALLY_SHIPPED,
        "株式会社 東京ロジスティクス 山本 健太郎",
        "東京都渋谷区",
        "JP",
        "JPY",
        [("TEA-EARL-100", "Earl Grey", 40, "800")],
        [],
    ),
    (
        "100242",
        OrderStatus.PACKING,
        "Dvořák Antonín",
        "České Budějovice",
        "CZ",
        "EUR",
        [("SPOON-SET-4", "Spoon set", 2, "12.00")],
        [],
    ),
    (
        "100243",
        OrderStatus.RETURNED,
        "이서연",
        "부산광역시",
        "KR",
        "KRW",
        [("SPOON-SET-4", "Spoon set", 1, "15000")],
        [],
    ),
    (
        "100245",
        OrderStatus.FULFILLED,  # fulfilled elsewhere (marked below)
        "Ada Lovelace",
        "London",
        "GB",
        "GBP",
        [("TEA-EARL-100", "Earl Grey", 3, "4.20")],
        [],
    ),
    (
        "100244",
        OrderStatus.DRAFT,
        "Αλεξάνδρα Κωνσταντινοπούλου",
        "Θεσσαλονίκη",
        "GR",
        "EUR",
        [("MUG-BLUE-350", "Blue mug", 1, "9.90")],
        [],
    ),
]

DEMO_USERS = [(p.name, p.role.label, p.badge, p.pin) for p in PEOPLE.values()]


def settle(window: QWidget) -> None:
    for _ in range(5):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    window.repaint()


def grab(window: QWidget, out: Path, name: str) -> None:
    settle(window)
    path = out / f"{name}.png"
    window.grab().save(str(path))
    print(path)


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="packbench-shots-"))
    station = open_station(load_config(env={"PACKBENCH_HOME": str(home)}))
    add_people(station)
    add_orders(station, ORDERS + MORE_ORDERS)
    with station.local() as uow:  # the channel had shipped it before it was imported
        order = uow.session.query(Order).filter_by(number="100245").one()
        order.fulfilled_elsewhere = "completed in WooCommerce"
        uow.commit()
    with station.local() as uow:  # one locked-out user, for the Users page
        user = uow.session.query(User).filter_by(name=PEOPLE[Role.PACKER].name).one()
        user.locked_until = datetime.now(UTC) + timedelta(minutes=12)
        uow.commit()
    app = prepare_application(station)
    admin = PEOPLE[Role.ADMIN]

    for width, height in SIZES:
        size = f"{width}x{height}"
        for demo in (False, True):
            window = MainWindow(station, DEMO_USERS if demo else None)
            window.resize(width, height)
            window.show()
            grab(window, out, f"{size}-login{'-demo' if demo else ''}")
            if demo:
                window.close()
                continue
            screen = window.login_screen
            screen.user_list.setCurrentRow(0)
            screen.pin_field.setText("0000")
            screen.pin_field.returnPressed.emit()
            grab(window, out, f"{size}-login-refused")
            screen.badge_field.setText(admin.badge)
            screen.badge_field.returnPressed.emit()
            desk = window.desk
            assert desk is not None
            for workspace in desk.nav_buttons:
                desk.open_workspace(workspace)
                grab(window, out, f"{size}-{workspace.value.lower()}")
            desk.open_workspace(next(iter(desk.nav_buttons)))
            from app.domain.users import Workspace

            desk.open_workspace(Workspace.DEVICES)  # a badge scanned: shown hidden
            window.scanning.hub.deliver(Scan("B-PACK-01", None, "wedge", time.monotonic()))
            grab(window, out, f"{size}-devices-badge")
            orders_page = desk.pages[Workspace.ORDERS]
            desk.open_workspace(Workspace.ORDERS)
            orders_page.find_field.setText("muller")  # type: ignore[attr-defined]
            grab(window, out, f"{size}-orders-filtered")
            # A supervisor in Users: unlock and a new PIN, but not for the admin.
            window.sign_out()
            screen.badge_field.setText(PEOPLE[Role.SUPERVISOR].badge)
            screen.badge_field.returnPressed.emit()
            assert window.desk is not None
            window.desk.open_workspace(Workspace.USERS)
            grab(window, out, f"{size}-users-supervisor")
            users = window.desk.pages[Workspace.USERS]
            model = users.model  # type: ignore[attr-defined]
            names = [model.row_at(row).name for row in range(model.rowCount())]
            users.table.selectRow(names.index(admin.name))  # type: ignore[attr-defined]
            grab(window, out, f"{size}-users-supervisor-admin-selected")
            window.close()
    print("fonts:", app.font().families())
    station.close()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
