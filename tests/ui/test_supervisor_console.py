"""The supervisor console in the window: people and their rights, rights per role, the
audit viewer, and the floor reports with their chart and CSV, driven as a person does."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCharts import QBarSeries
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.bootstrap import Station
from app.db.fulfilment import ItemRecord, ParcelRecord, ShipmentRecord, write_shipment
from app.db.session import UnitOfWork
from app.domain.users import Permission, Role, Workspace
from app.services.auth import find_user, login_by_name, site_role_rights
from tests.ui.conftest import PEOPLE
from ui.main_window import MainWindow
from ui.theme import Tone
from ui.workspaces.reports import ReportsPage
from ui.workspaces.users import UsersPage

if TYPE_CHECKING:
    from conftest import Keyboard


def open_page(window: MainWindow, keyboard: Keyboard, role: Role, workspace: Workspace):  # type: ignore[no-untyped-def]
    keyboard.sign_in(window, role)
    assert window.desk is not None
    window.desk.open_workspace(workspace)
    return window.desk.current_page


def select(page: UsersPage, name: str) -> None:
    row = next(r for r in range(page.model.rowCount()) if page.model.row_at(r).name == name)
    page.table.selectRow(row)


def test_an_admin_adds_a_user_changes_role_and_badge_grants_a_right_and_deactivates(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, station: Station
) -> None:
    page = open_page(window, keyboard, Role.ADMIN, Workspace.USERS)
    assert isinstance(page, UsersPage)
    people = page.people
    keyboard.type_into(people.new_name, "Ana Lopez")
    people.new_role.setCurrentIndex(list(Role).index(Role.PACKER))
    keyboard.type_into(people.new_pin, "4711")
    qtbot.mouseClick(people.add_button, Qt.MouseButton.LeftButton)
    assert page.message.tone is Tone.DONE, page.message.text()
    assert page.message.text() == "Ana Lopez is added as Packer and can sign in now."
    assert page.subject.text() == "6 users"

    select(page, "Ana Lopez")
    people.role_box.setCurrentIndex(list(Role).index(Role.RETURNS))
    qtbot.mouseClick(people.role_button, Qt.MouseButton.LeftButton)
    assert (
        page.message.text() == "Ana Lopez is now Returns clerk; it holds from their next sign-in."
    )
    keyboard.type_into(people.badge_field, "B-ANA-01")
    qtbot.mouseClick(people.badge_button, Qt.MouseButton.LeftButton)
    assert page.message.text() == "Ana Lopez's badge is registered."
    late = people.right_checks[Permission.ACCEPT_LATE_RETURNS]
    assert late.isEnabled() and not late.isChecked()
    qtbot.mouseClick(late, Qt.MouseButton.LeftButton)
    assert page.message.text() == "Ana Lopez may now accept a return after its return window."
    assert people.right_checks[Permission.ACCEPT_LATE_RETURNS].isChecked()

    ana = login_by_name(station.local, "ST-01", "Ana Lopez", "4711", station.lockout)
    assert ana.role is Role.RETURNS
    assert ana.may(Permission.ACCEPT_LATE_RETURNS) and not ana.may(Permission.PACK)

    select(page, "Ana Lopez")
    assert people.active_button.text() == "&Deactivate"
    qtbot.mouseClick(people.active_button, Qt.MouseButton.LeftButton)
    assert page.message.text() == "Ana Lopez is deactivated and can no longer sign in."
    assert not find_user(station.local, "Ana Lopez").active
    assert page.subject.text() == "6 users  ·  1 inactive"


def test_a_supervisor_sees_the_rights_per_role_but_only_an_admin_changes_them(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, station: Station
) -> None:
    page = open_page(window, keyboard, Role.SUPERVISOR, Workspace.USERS)
    assert isinstance(page, UsersPage)
    assert not page.people.adder.isVisibleTo(page)  # adding people is an admin's
    cell = page.rights.item_for(Role.PACKER, Permission.FORCE_PACK)
    assert cell.checkState() == Qt.CheckState.Checked
    assert not cell.flags() & Qt.ItemFlag.ItemIsEnabled
    # A supervisor grants single people rights they hold, not rights beyond theirs.
    select(page, PEOPLE[Role.PACKER].name)
    assert page.people.right_checks[Permission.SHIP_PARTIAL].isEnabled()
    assert page.people.right_checks[Permission.FORCE_PACK].isChecked()  # from the role
    assert not page.people.right_checks[Permission.FORCE_PACK].isEnabled()
    select(page, PEOPLE[Role.ADMIN].name)
    assert not page.people.right_checks[Permission.SHIP_PARTIAL].isEnabled()


def test_an_admin_withdraws_a_right_from_a_role_in_the_rights_grid(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, station: Station
) -> None:
    page = open_page(window, keyboard, Role.ADMIN, Workspace.USERS)
    assert isinstance(page, UsersPage)
    page.tabs.setCurrentWidget(page.rights)
    cell = page.rights.item_for(Role.PACKER, Permission.FORCE_PACK)
    assert cell.flags() & Qt.ItemFlag.ItemIsEnabled
    cell.setCheckState(Qt.CheckState.Unchecked)  # what a click on the box does
    assert page.message.text() == (
        "No Packer may force a pack: close a parcel whose weight is out of range any more, "
        "from their next sign-in."
    )
    assert Permission.FORCE_PACK not in site_role_rights(station.local)[Role.PACKER]
    admin_cell = page.rights.item_for(Role.ADMIN, Permission.FORCE_PACK)
    assert not admin_cell.flags() & Qt.ItemFlag.ItemIsEnabled

    # The audit viewer shows it, filtered by user and action.
    page.tabs.setCurrentWidget(page.audit)
    keyboard.type_into(page.audit.action_filter, "role.")
    qtbot.mouseClick(page.audit.filter_button, Qt.MouseButton.LeftButton)
    model = page.audit.model
    assert model.rowCount() == 1
    assert [model.data(model.index(0, c)) for c in (1, 2, 3, 4, 5)] == [
        "ST-01", PEOPLE[Role.ADMIN].name, "role.right_withdrawn", "role:packer", "force_pack",
    ]  # fmt: skip
    page.audit.action_filter.clear()
    page.audit.user_filter.setText(PEOPLE[Role.ADMIN].name[:2])
    page.audit.order_filter.setText("100231")
    qtbot.mouseClick(page.audit.filter_button, Qt.MouseButton.LeftButton)
    assert model.rowCount() == 0
    assert page.audit.count.text() == "0 entries, newest first"
    page.audit.order_filter.clear()
    keyboard.type_into(page.audit.station_filter, "st-01")
    qtbot.mouseClick(page.audit.filter_button, Qt.MouseButton.LeftButton)
    actions = [model.row_at(r).action for r in range(model.rowCount())]
    assert actions == ["role.right_withdrawn", "login.badge"]


def ship(station: Station, number: str, packer: str, units: int, carrier: str) -> None:
    """A shipment in the station's file and in the central store (as its sync would)."""
    for uows in (station.local, station.central()):
        _ship(uows, number, packer, units, carrier)


def _ship(
    uows: Callable[..., UnitOfWork], number: str, packer: str, units: int, carrier: str
) -> None:
    with uows() as uow:
        write_shipment(
            uow.session,
            ShipmentRecord(
                number=number,
                order_number=f"O-{number}",
                station="ST-01",
                user_name=packer,
                shipped_at=datetime(2026, 12, 1, 10, 15, tzinfo=UTC),
                partial=False,
                partial_reason=None,
                carrier=carrier,
                service=None,
                parcels=(
                    ParcelRecord(
                        1,
                        f"0061414100000{number[-5:]}",
                        None,
                        None,
                        (ItemRecord(1, "MUG-BLUE-350", units),),
                    ),
                ),
            ),
        )
        uow.commit()


def test_the_floor_reports_chart_the_period_and_export_csv(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, station: Station, tmp_path: Path
) -> None:
    ship(station, "ST-01-S000001", "Ana Lopez", 3, "DHL")
    ship(station, "ST-01-S000002", "Ana Lopez", 2, "DHL")
    ship(station, "ST-01-S000003", "Ben Ode", 5, "UPS")
    page = open_page(window, keyboard, Role.SUPERVISOR, Workspace.REPORTS)
    assert isinstance(page, ReportsPage)
    page.choose("carriers", date(2026, 12, 1), date(2026, 12, 1))
    qtbot.mouseClick(page.show_button, Qt.MouseButton.LeftButton)
    assert page.subject.text() == (
        "Parcels per carrier, 2026-12-01 to 2026-12-01: 2 rows, every station (central store)"
    )
    (series,) = page.chart.series()
    assert isinstance(series, QBarSeries)
    (bars,) = series.barSets()
    assert [bars.at(i) for i in range(bars.count())] == [2.0, 1.0]

    page.choose("packed", date(2026, 12, 1), date(2026, 12, 1))
    qtbot.mouseClick(page.show_button, Qt.MouseButton.LeftButton)
    model = page.model
    rows = [[model.data(model.index(r, c)) for c in range(4)] for r in range(model.rowCount())]
    hour = datetime(2026, 12, 1, 10, 15, tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:00")
    assert rows == [["Ana Lopez", hour, "2", "5"], ["Ben Ode", hour, "1", "5"]]
    target = tmp_path / "packed.csv"
    page.controller.export(target)  # what the Export dialog calls with the chosen file
    assert page.message.text() == f"Wrote 2 rows to {target}."
    with target.open(newline="") as f:
        assert list(csv.reader(f)) == [["packer", "hour", "orders", "units"], *rows]

    page.choose("scan-errors", date(2026, 12, 1), date(2026, 12, 1))
    qtbot.mouseClick(page.show_button, Qt.MouseButton.LeftButton)
    assert page.subject.text().endswith(
        "0 rows, this station only (item scans and refused scans are kept at each station)"
    )

    page.choose("packed", date(2026, 12, 2), date(2026, 12, 1))
    qtbot.mouseClick(page.show_button, Qt.MouseButton.LeftButton)
    assert page.message.tone is Tone.REFUSED
    assert "ends (2026-12-01) before it starts (2026-12-02): swap the dates" in page.message.text()
