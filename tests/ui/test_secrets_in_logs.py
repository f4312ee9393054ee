"""Logs a supervisor can read, and no secret in them (issue 17).

A session uses every secret the station knows: a central store password (in the URL the
station is given), badges and PINs (signing in, a wrong PIN, a settings test of the central
store), with the app's own log files set up as ``packbench`` sets them up; ``packbench sync``
then runs on the same home. The log files are grepped for each secret. The supervisor's log
viewer shows the same files, filtered by level and by text.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from app.bootstrap import Station, open_station
from app.config import load_config
from app.domain.users import Role
from app.services.auth import create_user
from app.services.logs import log_to_folder
from tests.ui.conftest import PEOPLE, Keyboard, add_people
from ui.log_viewer import LogViewer
from ui.main_window import MainWindow
from ui.settings_dialog import SettingsDialog

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

PASSWORD = "Kw9-zQ7-secret"
CENTRAL = f"postgresql+psycopg://station01:{PASSWORD}@127.0.0.1:9/orders"  # nobody on port 9
PIN = "947261"
BADGE = "BADGE-NIGHT-77"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def station(home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Station]:
    env = {"PACKBENCH_HOME": str(home), "PACKBENCH_CENTRAL_URL": CENTRAL}
    monkeypatch.setenv("PACKBENCH_CENTRAL_URL", CENTRAL)  # what the settings dialog reads too
    config = load_config(env=env)
    root = logging.getLogger()
    before = list(root.handlers)
    assert log_to_folder(config.paths.log_dir)  # as packbench does at start
    station = open_station(config)
    add_people(station)
    create_user(station.local, None, "Nina Nacht", Role.PACKER, PIN, badge=BADGE)
    yield station
    station.close()
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()


def log_text(home: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((home / "logs").glob("*")))


def test_a_session_with_every_secret_leaves_none_in_the_logs(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, home: Path
) -> None:
    qtbot.waitUntil(lambda: window.status.central_checked, timeout=15_000)
    # A badge at the login screen, a wrong PIN, then the right one.
    keyboard.scan_badge(window, BADGE)
    assert window.actor is not None and window.actor.name == "Nina Nacht"
    window.sign_out()
    keyboard.choose_user(window, "Nina Nacht")
    keyboard.type_pin(window, "000000")
    assert window.actor is None
    keyboard.choose_user(window, "Nina Nacht")
    keyboard.type_pin(window, PIN)
    assert window.actor is not None
    window.sign_out()
    # A supervisor tests the central store from the settings and saves a change.
    keyboard.sign_in(window, Role.SUPERVISOR)
    assert window.desk is not None
    dialog = window.desk.open_settings()
    button = dialog.findChild(QPushButton, "test-connection")
    result = dialog.findChild(QLabel, "test-connection-result")
    assert button is not None and result is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Asking" not in result.text(), timeout=20_000)
    assert PASSWORD not in result.text()
    dialog.set_value("packing", "weight_tolerance_pct", 12)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Saved and applied" in dialog.message.text()
    dialog.close()
    # A headless command on the same home, with the password in its environment.
    env = {**os.environ, "PACKBENCH_HOME": str(home), "PACKBENCH_CENTRAL_URL": CENTRAL}
    sync = subprocess.run(
        [sys.executable, "-m", "app", "sync", "--once"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert sync.returncode != 0 and PASSWORD not in sync.stderr

    text = log_text(home)
    assert "station settings applied" in text  # the session did log
    assert "central store cannot be reached" in text  # ... the app's sync and the command's
    assert text.count("central store cannot be reached") >= 2
    for secret in (PASSWORD, PIN, BADGE, *(p.badge for p in PEOPLE.values())):
        assert secret not in text, f"{secret!r} is in the log"


def test_the_log_viewer_filters_by_level_and_text(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, home: Path
) -> None:
    logging.getLogger("packbench").info("label printed for shipment ST-01-S000123")
    logging.getLogger("packbench").warning("printer 10.0.0.7:9100 did not answer")
    keyboard.sign_in(window, Role.SUPERVISOR)
    assert window.desk is not None and window.desk.log_button is not None
    qtbot.mouseClick(window.desk.log_button, Qt.MouseButton.LeftButton)
    viewer = window.findChild(LogViewer)
    assert viewer is not None
    shown = viewer.text.toPlainText()
    assert "label printed for shipment ST-01-S000123" in shown
    assert "WARNING packbench: printer 10.0.0.7:9100 did not answer" in shown
    viewer.level.setCurrentIndex(viewer.level.findData("WARNING"))
    assert "label printed" not in viewer.text.toPlainText()
    assert "did not answer" in viewer.text.toPlainText()
    viewer.level.setCurrentIndex(viewer.level.findData("DEBUG"))
    qtbot.keyClicks(viewer.filter, "s000123")
    assert viewer.text.toPlainText().splitlines() == [
        line for line in shown.splitlines() if "S000123" in line
    ]
    assert viewer.count.text() == "Entries shown: 1"
    assert str(home / "logs") in viewer.windowTitle()


def test_settings_are_not_offered_to_a_dialog_behind_a_packer(
    window: MainWindow, keyboard: Keyboard
) -> None:
    keyboard.sign_in(window, Role.PACKER)
    assert window.findChild(SettingsDialog) is None
    assert window.desk is not None and window.desk.settings_button is None
