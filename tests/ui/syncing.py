"""Letting the window's background sync run in a test, until a round brings what it waits for."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from app.sync.engine import SyncReport
from ui.main_window import MainWindow


def synced_until(
    qtbot: QtBot, window: MainWindow, wanted: Callable[[SyncReport], bool], timeout_ms: int = 60_000
) -> None:
    """Ask for a round now, and again while none has brought what is wanted yet (a round
    already under way when asked may have started before the change)."""
    reports: list[SyncReport] = []
    window.sync.synced.connect(reports.append)

    def done() -> bool:
        if any(wanted(report) for report in reports):
            return True
        window.sync.sync_now()  # nothing while a round runs; its report comes anyway
        return False

    try:
        qtbot.waitUntil(done, timeout=timeout_ms)
    finally:
        window.sync.synced.disconnect(reports.append)
