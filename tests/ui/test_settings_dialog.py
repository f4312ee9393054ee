"""The settings dialog as a supervisor uses it: opened from the window, checked by the
loader's own rules, written back with the comments kept, applied without a restart, and its
device buttons talking to real simulators (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from app.config import ConfigError, load_config
from app.db.migrate import head_revision
from app.domain.errors import NotAllowed
from app.domain.users import Role
from app.services.settings import save_settings
from devices.sim_printer import SimulatedPrinter
from devices.sim_scale import SimulatedScale
from tests.ui.conftest import Keyboard
from tests.ui.keys import wedge_scan
from ui.main_window import MainWindow
from ui.settings_dialog import SettingsDialog

pytestmark = [
    pytest.mark.gui,
    # The offscreen platform says so of every dialog it shows; nothing is wrong.
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

USER_COMMENT = "# Bench 3 by the loading door: ask Sam before changing the printer."


def open_dialog(window: MainWindow, keyboard: Keyboard, qtbot: QtBot) -> SettingsDialog:
    keyboard.sign_in(window, Role.SUPERVISOR)
    assert window.desk is not None and window.desk.settings_button is not None
    qtbot.mouseClick(window.desk.settings_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def click_tool(dialog: SettingsDialog, qtbot: QtBot, name: str, expect: str) -> str:
    button = dialog.findChild(QPushButton, name)
    result = dialog.findChild(QLabel, f"{name}-result")
    assert button is not None and result is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: expect in result.text(), timeout=15_000)
    return result.text()


def test_a_packer_has_no_settings_and_the_service_refuses_one(
    window: MainWindow, keyboard: Keyboard
) -> None:
    keyboard.sign_in(window, Role.PACKER)
    assert window.desk is not None
    assert window.desk.settings_button is None and window.desk.log_button is None
    assert window.actor is not None
    with pytest.raises(NotAllowed, match="change this station's settings"):
        save_settings(window.actor, window.station.config.paths, {("station", "id"): "ST-09"})


def test_a_bad_value_is_refused_with_the_loaders_message_and_nothing_is_written(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = open_dialog(window, keyboard, qtbot)
    config_file = window.station.config.paths.config_file
    before = config_file.read_text(encoding="utf-8")
    dialog.set_value("gs1", "company_prefix", "12ab")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    # What the loader says of the same line written by hand:
    by_hand = tmp_path / "by-hand.toml"
    by_hand.write_text('[gs1]\ncompany_prefix = "12ab"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as loader:
        load_config({"PACKBENCH_HOME": str(tmp_path), "PACKBENCH_CONFIG": str(by_hand)})
    expected = str(loader.value).split(": ", 1)[1]  # less the file's name
    assert expected in dialog.message.text()
    assert dialog.message.text().startswith(str(config_file))
    assert config_file.read_text(encoding="utf-8") == before


def test_saved_settings_keep_the_comments_apply_at_once_and_the_devices_answer(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, tmp_path: Path
) -> None:
    config_file = window.station.config.paths.config_file
    config_file.write_text(
        USER_COMMENT + "\n" + config_file.read_text(encoding="utf-8"), encoding="utf-8"
    )
    printer = SimulatedPrinter(directory=tmp_path / "labels")
    printer.start()
    scale = SimulatedScale(link=tmp_path / "ttyScale")
    try:
        dialog = open_dialog(window, keyboard, qtbot)
        dialog.set_value("printer", "transport", "tcp")
        dialog.set_value("printer", "address", printer.address)
        dialog.set_value("scale", "port", scale.path)
        dialog.set_value("ship_from", "name", "Lager Süd GmbH")
        dialog.set_value("review", "unpaid", False)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert "Saved and applied" in dialog.message.text(), dialog.message.text()
        assert "[scale] port" in dialog.message.text()  # a first scale waits for a restart

        text = config_file.read_text(encoding="utf-8")
        assert text.startswith(USER_COMMENT + "\n# Packbench station configuration.")
        assert f'address = "{printer.address}"' in text
        assert "unpaid = false" in text
        assert "# Hold orders the sales channel says are not paid yet" in text
        reread = load_config({"PACKBENCH_HOME": str(tmp_path)})
        assert reread.printer.address == printer.address
        assert reread.packing.ship_from_name == "Lager Süd GmbH"
        # Applied without a restart: the running station's configuration is the new one.
        assert window.station.config.printer.address == printer.address
        assert window.station.config.review.unpaid is False

        assert "printed the test label" in click_tool(
            dialog, qtbot, "print-test-label", "test label"
        )
        assert printer.wait_for_labels(1)
        assert b"100001" in printer.received[0]  # the sample label's order number
        assert "ready" in click_tool(dialog, qtbot, "printer-status", "127.0.0.1")
        scale.put(1250, settle_s=0.1)
        assert "1250 g (stable)" in click_tool(dialog, qtbot, "read-weight", " g ")
        answer = click_tool(dialog, qtbot, "test-connection", "answers")
        assert f"schema {head_revision()}" in answer

        wedge_scan(dialog.save_button, "4006381333931")
        qtbot.waitUntil(lambda: "4006381333931" in dialog.scan_test.text(), timeout=5_000)
        assert window.desk is not None
        assert window.desk.scan_band.text() == ""  # the scan did no work behind the dialog
    finally:
        printer.close()
        scale.close()
