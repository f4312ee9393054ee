"""Long sync work shows that it is working, and pages show what it brought without a reload.

A station with its own central store (a SQLite file) whose supervisor was created centrally,
so the first sync brings them; orders are then generated centrally (as an import would write
them) and pulled by the window's background sync.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.benchmarks.sync import build_central
from app.bootstrap import Station
from app.db.models import Order
from app.domain.errors import LoginFailed
from app.domain.status import OrderStatus
from app.domain.users import Role, Workspace
from app.services.auth import create_user, login_with_pin, reset_pin
from app.sync.engine import SyncProgress
from tests.sync.stores import Central, open_test_station, sqlite_central
from tests.ui.keys import wedge_scan
from tests.ui.syncing import synced_until
from ui.main_window import MainWindow
from ui.workspaces.orders import OrdersPage
from ui.workspaces.sync import SyncPage
from ui.workspaces.users import UsersPage

BADGE = "B-SUP-31"


@pytest.fixture
def central(tmp_path: Path) -> Iterator[Central]:
    with sqlite_central(tmp_path / "central") as store:
        yield store


@pytest.fixture
def station(tmp_path: Path, central: Central) -> Iterator[Station]:
    opened = open_test_station(tmp_path / "station", central.url, "ST-05")
    create_user(opened.central(), None, "Helen Marsh", Role.SUPERVISOR, "8264", badge=BADGE)
    yield opened
    opened.close()


@pytest.fixture
def window(qtbot: QtBot, station: Station) -> Iterator[MainWindow]:
    """The window, its first sync done (it brings the supervisor), signed in by badge."""
    opened = MainWindow(station)
    qtbot.addWidget(opened)
    opened.resize(1280, 800)
    opened.show()
    synced_until(qtbot, opened, lambda report: report.online and report.pulled > 0)
    field = opened.login_screen.badge_field
    field.setFocus()
    wedge_scan(field, BADGE)
    qtbot.waitUntil(lambda: opened.actor is not None, timeout=5_000)
    yield opened
    qtbot.waitUntil(lambda: opened.status.central_checked, timeout=10_000)
    opened.shutdown()


def page_of(window: MainWindow, workspace: Workspace) -> object:
    assert window.desk is not None
    window.desk.open_workspace(workspace)
    return window.desk.current_page


def test_a_long_pull_shows_how_far_it_has_got_on_the_sync_page_and_in_the_status_bar(
    qtbot: QtBot, window: MainWindow, central: Central
) -> None:
    page = page_of(window, Workspace.SYNC)
    assert isinstance(page, SyncPage)
    build_central(central.engine, 12_000)
    window.sync.show_after_s = 0  # this pull is short here; a real first pull takes seconds
    seen: list[tuple[str, str, bool, int]] = []

    def record(_progress: SyncProgress) -> None:  # connected last: sees what the others showed
        bar = page.progress_bar
        seen.append((window.status.central.text(), page.facts.text(), bar.isVisible(), bar.value()))

    window.sync.progressed.connect(record)
    with qtbot.waitSignal(window.sync.synced, timeout=60_000):
        qtbot.keyClick(page, Qt.Key.Key_F5)

    pulling = [s for s in seen if "pulling" in s[0]]
    assert pulling, seen
    assert all("%" in status and "Sync under way" not in status for status, *_ in pulling)
    assert any(
        "Link: syncing now: pulling orders: " in facts and " of 12,000 (" in facts
        for _, facts, _, _ in pulling
    ), pulling
    assert all(visible for _, _, visible, _ in pulling)
    values = [value for *_, value in pulling]
    assert values == sorted(values) and values[-1] == 100, values
    assert len(set(values)) > 2  # it moved on during the pull, page by page

    QApplication.processEvents()
    assert not page.progress_bar.isVisible()
    assert "Link: online" in page.facts.text() and "Last pull: never" not in page.facts.text()
    assert "pulling" not in window.status.central.text()


def test_the_orders_page_shows_what_a_sync_pulled_without_a_reload(
    qtbot: QtBot, window: MainWindow, station: Station, central: Central
) -> None:
    page = page_of(window, Workspace.ORDERS)
    assert isinstance(page, OrdersPage)
    assert page.matching == 0 and page.empty_hint.isVisible()

    build_central(central.engine, 300)
    synced_until(qtbot, window, lambda report: report.pulled_orders >= 300)
    # The page reads again on its reader thread: its first page of rows, newest first.
    qtbot.waitUntil(lambda: page.matching == 300, timeout=15_000)
    assert 0 < page.model.rowCount() <= 300
    assert not page.empty_hint.isVisible()
    assert page.subject.text() == "300 orders"

    # Changed centrally while the page is not shown: it catches up when shown again.
    with station.central()() as uow:
        order = uow.session.scalar(select(Order).where(Order.number == "100002"))
        assert order is not None
        order.status, order.hold_reasons = OrderStatus.ON_HOLD, ["Customer called"]
        uow.commit()
    page_of(window, Workspace.SYNC)
    synced_until(qtbot, window, lambda report: report.pulled_orders >= 1)
    assert page_of(window, Workspace.ORDERS) is page

    def held_row_shown() -> bool:
        rows = range(page.model.rowCount())
        cells = [
            " ".join(str(page.model.index(r, c).data()) for c in range(page.model.columnCount()))
            for r in rows
        ]
        return any("100002" in cell and "Customer called" in cell for cell in cells)

    qtbot.waitUntil(held_row_shown, timeout=15_000)
    assert page.matching == 300


def user_states(page: UsersPage) -> dict[str, str]:
    model = page.model
    return {model.index(r, 0).data(): model.index(r, 2).data() for r in range(model.rowCount())}


def test_the_users_page_shows_the_users_and_new_pins_a_sync_pulled_without_a_reload(
    qtbot: QtBot, window: MainWindow, station: Station
) -> None:
    page = page_of(window, Workspace.USERS)
    assert isinstance(page, UsersPage)
    assert user_states(page) == {"Helen Marsh": "Active"}

    # Added at the office (centrally): pulled by the background sync, listed at once.
    ana = create_user(station.central(), None, "Ana Novák", Role.PACKER, "4711")
    synced_until(qtbot, window, lambda report: report.rows.get("users", 0) >= 1)
    assert user_states(page) == {"Ana Novák": "Active", "Helen Marsh": "Active"}
    assert page.subject.text() == "2 users"

    # Locked out here by wrong PINs, then given a new PIN at another station: the pulled row
    # unlocks her here, and the page says so without being opened again.
    for _ in range(station.lockout.attempts):
        with pytest.raises(LoginFailed):
            login_with_pin(station.local, "ST-05", ana, "0000", station.lockout)
    page.controller.load()  # (as the page reads it when shown)
    assert user_states(page)["Ana Novák"].startswith("LOCKED OUT until ")
    assert window.actor is not None
    elsewhere = replace(window.actor, station="ST-09")
    reset_pin(station.central(), elsewhere, ana, "2580")
    synced_until(qtbot, window, lambda report: report.rows.get("users", 0) >= 1)
    assert user_states(page)["Ana Novák"] == "Active"
    assert page.subject.text() == "2 users"
    assert login_with_pin(station.local, "ST-05", ana, "2580", station.lockout).name == "Ana Novák"
