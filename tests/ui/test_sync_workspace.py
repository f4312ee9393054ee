"""The Sync workspace: the link, the outbox, and commands the central store refused."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.bootstrap import Station
from app.domain.status import OrderStatus
from app.domain.users import Role, Workspace
from app.services import auth
from app.services import orders as order_service
from ui.main_window import MainWindow
from ui.workspaces.sync import SyncPage


def test_a_command_the_central_store_refuses_is_shown_with_its_reason(
    make_window: Callable[..., MainWindow],
    keyboard: object,
    qtbot: QtBot,
    station: Station,
    orders: list[str],
) -> None:
    # The order exists only on this station: the central store has never heard of it.
    boss = auth.login_with_badge(station.local, station.station_id, "BADGE-SUP-04")
    order_service.change_status(
        station.local, boss, "100236", OrderStatus.ON_HOLD, "customer called"
    )

    window = make_window()
    keyboard.sign_in(window, Role.SUPERVISOR)  # type: ignore[attr-defined]
    assert window.desk is not None
    window.desk.open_workspace(Workspace.SYNC)
    page = window.desk.current_page
    assert isinstance(page, SyncPage)
    qtbot.waitUntil(lambda: not window.sync.busy, timeout=10_000)
    page.refresh()

    page.sync_button.setFocus()  # F5 is the page's key: it works where the page has the focus
    with qtbot.waitSignal(window.sync.synced, timeout=10_000):
        qtbot.keyClick(page.sync_button, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5_000)
    reason = page.model.index(0, 3).data()
    assert reason == "There is no order 100236 in the central store."
    assert "Outbox: 0 commands waiting" in page.facts.text()
    assert "Link: online" in page.facts.text()
