"""Grab the supervisor console as PNG files, to look at them (a tool, not a test).

    xvfb-run -a -s "-screen 0 1920x1080x24" python tests/ui/supervisor_screenshots.py OUTDIR

The Users workspace (people with the editor, rights per role, the audit viewer filtered) and
the Reports workspace (packed per packer per hour, parcels per carrier), at 1280×800 and
1920×1080, on a station with one user per role and a morning's shipments.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[2]))

from conftest import PEOPLE, add_people
from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtWidgets import QWidget

from app.bootstrap import open_station
from app.config import load_config
from app.db.fulfilment import ItemRecord, ParcelRecord, ShipmentRecord, write_shipment
from app.domain.users import Actor, Role, Workspace, permissions_of
from ui.application import prepare_application
from ui.main_window import MainWindow
from ui.workspaces.reports import ReportsPage
from ui.workspaces.users import UsersPage

SIZES = [(1280, 800), (1920, 1080)]
PACKERS = ["Jürgen Müller-Lüdenscheidt", "Ana Lopez", "Ben Ode"]
CARRIERS = ["DHL", "UPS", "DPD", "Royal Mail"]


def settle(window: QWidget) -> None:
    for _ in range(5):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    window.repaint()


def grab(window: QWidget, out: Path, name: str) -> None:
    settle(window)
    path = out / f"{name}.png"
    window.grab().save(str(path))
    print(path)


def a_morning(station) -> date:  # type: ignore[no-untyped-def]
    day = datetime.now(UTC).replace(hour=7, minute=0, second=0, microsecond=0)
    for uows in (station.central(), station.local):  # the floor's store, and this station's
        with uows() as uow:
            _shipments(uow, day)
            uow.commit()
    with station.local() as uow:
        _refused_scans(uow)
        uow.commit()
    return day.astimezone().date()


def _shipments(uow, day: datetime) -> None:  # type: ignore[no-untyped-def]
    n = 0
    if True:
        for hour in range(4):
            for p, name in enumerate(PACKERS):
                for k in range(3 + (p + hour) % 4):
                    n += 1
                    write_shipment(
                        uow.session,
                        ShipmentRecord(
                            number=f"ST-01-S{n:06d}",
                            order_number=f"1{n:05d}",
                            station="ST-01",
                            user_name=name,
                            shipped_at=day + timedelta(hours=hour, minutes=k * 7),
                            partial=n % 11 == 0,
                            partial_reason="not on the shelf" if n % 11 == 0 else None,
                            carrier=CARRIERS[n % len(CARRIERS)],
                            service=None,
                            parcels=(
                                ParcelRecord(
                                    1,
                                    f"006141410{n:09d}",
                                    None,
                                    None,
                                    (ItemRecord(1, "MUG-BLUE-350", 1 + n % 3),),
                                ),
                            ),
                        ),
                    )


def _refused_scans(uow) -> None:  # type: ignore[no-untyped-def]
    for p, name in enumerate(PACKERS):
        actor = Actor(p + 10, name, Role.PACKER, permissions_of(Role.PACKER), "ST-01")
        for _ in range(p + 1):
            uow.audit("ST-01", "pack.scan_refused", actor=actor, detail="WrongItem")


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="packbench-shots-"))
    station = open_station(load_config(env={"PACKBENCH_HOME": str(home)}))
    add_people(station)
    day = a_morning(station)
    prepare_application(station)
    admin = PEOPLE[Role.ADMIN]
    for width, height in SIZES:
        size = f"{width}x{height}"
        window = MainWindow(station, None)
        window.resize(width, height)
        window.show()
        window.login_screen.badge_field.setText(admin.badge)
        window.login_screen.badge_field.returnPressed.emit()
        desk = window.desk
        assert desk is not None
        desk.open_workspace(Workspace.USERS)
        users = desk.pages[Workspace.USERS]
        assert isinstance(users, UsersPage)
        users.people.table.selectRow(1)
        grab(window, out, f"{size}-users-people")
        users.tabs.setCurrentWidget(users.rights)
        grab(window, out, f"{size}-users-rights")
        users.tabs.setCurrentWidget(users.audit)
        users.audit.action_filter.setText("pack.")
        users.audit.apply()
        grab(window, out, f"{size}-users-audit")
        desk.open_workspace(Workspace.REPORTS)
        reports = desk.pages[Workspace.REPORTS]
        assert isinstance(reports, ReportsPage)
        for name in ("packed", "carriers", "scan-errors", "short-picks"):
            reports.choose(name, day, day)
            reports.on_show_clicked()
            grab(window, out, f"{size}-reports-{name}")
        window.close()
    station.close()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
