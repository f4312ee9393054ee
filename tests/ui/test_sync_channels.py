"""The Sync workspace's sales-channel section: what the connector could not do is shown with
the store's reason after a round, and the section stays away while there is nothing."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from app.bootstrap import Station
from app.config import ChannelAccountSettings
from app.domain.users import Role, Workspace
from app.services.connector.run import run_pass
from tests.connector.stores import WooStore, serving
from ui.main_window import MainWindow
from ui.workspaces.sync import SyncPage


def test_an_account_the_store_refuses_is_shown_with_the_stores_reason(
    make_window: Callable[..., MainWindow],
    keyboard: object,
    qtbot: QtBot,
    station: Station,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window()
    keyboard.sign_in(window, Role.SUPERVISOR)  # type: ignore[attr-defined]
    assert window.desk is not None
    window.desk.open_workspace(Workspace.SYNC)
    page = window.desk.current_page
    assert isinstance(page, SyncPage)
    qtbot.waitUntil(lambda: not window.sync.busy, timeout=10_000)
    page.refresh()
    assert page.channels_table.isHidden()

    os.environ["PB_TEST_UI_WOO"] = "ck_old:cs_old"
    try:
        with serving(WooStore("ck_new:cs_new")) as woo:
            account = ChannelAccountSettings(
                name="woo-main", kind="woocommerce", url=woo.url, secret_env="PB_TEST_UI_WOO"
            )
            [report] = run_pass(station, worker="test", stop=threading.Event(), accounts=(account,))
    finally:
        del os.environ["PB_TEST_UI_WOO"]
    assert report.error and "HTTP 401" in report.error

    with qtbot.waitSignal(window.sync.synced, timeout=10_000):
        window.sync.sync_now()
    qtbot.waitUntil(lambda: page.channels_model.rowCount() == 1, timeout=5_000)
    assert page.channels_table.isVisible()
    assert page.channels_model.index(0, 1).data() == "woo-main"
    assert page.channels_model.index(0, 2).data() == "pulling its orders"
    assert "HTTP 401" in page.channels_model.index(0, 4).data()
    assert "Sorry, you cannot list resources" in page.channels_model.index(0, 4).data()
    shots = os.environ.get("PACKBENCH_SCREENSHOTS")
    if shots:  # a look at the section: PACKBENCH_SCREENSHOTS=folder under xvfb-run
        for width, height in ((1280, 800), (1920, 1080)):
            window.resize(width, height)
            qtbot.wait(100)
            window.grab().save(f"{shots}/sync-channels-{width}.png", "PNG")
