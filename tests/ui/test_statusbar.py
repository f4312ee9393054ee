"""The status bar: honest device states, and the central store as the station's sync finds it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import Station, open_station
from app.config import Config, load_config
from app.domain.users import Role
from ui.main_window import MainWindow
from ui.statusbar import (
    describe_central,
    describe_printer,
    describe_scale,
    describe_scanner,
)
from ui.theme import Tone

if TYPE_CHECKING:
    from conftest import Keyboard

SECRET = "s3cret-pw"


def config_with(tmp_path: Path, text: str, **env: str) -> Config:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "config.toml").write_text(text, encoding="utf-8")
    return load_config(env={"PACKBENCH_HOME": str(home), **env})


def test_a_fresh_station_says_what_is_configured(station: Station) -> None:
    config = station.config
    assert describe_scanner(config)[0] == "keyboard wedge"
    assert describe_printer(config)[0] == "not configured"
    assert describe_scale(config)[0] == "not configured"
    assert describe_central(config)[0] == "embedded (local file)"


def test_configured_devices_are_named_and_the_central_password_never_shown(
    tmp_path: Path,
) -> None:
    config = config_with(
        tmp_path,
        '[scanner]\nmode = "serial"\nport = "/dev/serial/by-id/usb-Honeywell_1900-if00"\n'
        '[printer]\ntransport = "tcp"\naddress = "10.0.0.5:9100"\n'
        '[scale]\nport = "/dev/ttyUSB0"\n',
        PACKBENCH_CENTRAL_URL=f"postgresql+psycopg://station01:{SECRET}@db.example:5432/orders",
    )
    assert describe_scanner(config) == (
        "serial /dev/serial/by-id/usb-Honeywell_1900-if00",
        "usb-Honeywell_1900-if00",
    )
    assert describe_printer(config) == ("tcp 10.0.0.5:9100", "10.0.0.5:9100")
    assert describe_scale(config) == ("/dev/ttyUSB0", "ttyUSB0")
    assert describe_central(config) == ("db.example", "db.example")
    assert describe_scanner(config_with(tmp_path, '[scanner]\nmode = "none"\n'))[0] == (
        "none configured"
    )


def test_the_bar_shows_station_user_and_every_device(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot
) -> None:
    bar = window.status
    qtbot.waitUntil(lambda: bar.central_checked)
    texts = [i.text() for i in bar.indicators]
    assert texts == [
        "station ST-01",
        "nobody signed in",
        "scanner: keyboard wedge",
        "printer: not configured",
        "scale: not configured",
        "central: embedded (local file)",
    ]
    assert bar.central.tone is Tone.DONE
    keyboard.sign_in(window, Role.SUPERVISOR)
    assert bar.user_indicator.text().endswith("(Supervisor)")
    assert bar.user_indicator.tone is Tone.DONE


def test_a_narrow_window_shortens_the_wording_instead_of_cutting_it(
    window: MainWindow, qtbot: QtBot
) -> None:
    bar = window.status
    qtbot.waitUntil(lambda: bar.central_checked)
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: bar.width() <= 1024)
    shown = sum(i.sizeHint().width() for i in bar.indicators)
    assert shown <= bar.width()
    assert bar.central.label.text() in ("central: embedded (local file)", "central: embedded")
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: bar.scanner.label.text() == "scanner: keyboard wedge")


def _station(tmp_path: Path, central_url: str) -> Station:
    config = load_config(
        env={"PACKBENCH_HOME": str(tmp_path / "st"), "PACKBENCH_CENTRAL_URL": central_url}
    )
    return open_station(config)


def test_an_unreachable_central_store_shows_offline_without_the_password(
    tmp_path: Path, qtbot: QtBot
) -> None:
    # Port 1 on this machine refuses at once.
    station = _station(tmp_path, f"postgresql+psycopg://station01:{SECRET}@127.0.0.1:1/orders")
    window = MainWindow(station)
    qtbot.addWidget(window)
    bar = window.status
    qtbot.waitUntil(lambda: bar.central_checked, timeout=20_000)

    assert bar.central.tone is Tone.REFUSED
    assert bar.central.text() == "central: offline (127.0.0.1)"
    for indicator in bar.indicators:
        assert SECRET not in indicator.text() and SECRET not in indicator.toolTip()
    # The word came from the station's own sync round, through its one central link.
    assert station.sync.last is not None and not station.sync.last.online
    assert not station.central_link.opened
    window.shutdown()
    station.close()


def test_a_dead_central_host_does_not_freeze_the_window(tmp_path: Path, qtbot: QtBot) -> None:
    # 10.255.255.1 is not routed: a connection attempt waits for the TCP timeout.
    station = _station(tmp_path, f"postgresql+psycopg://station01:{SECRET}@10.255.255.1/orders")
    started = time.monotonic()
    window = MainWindow(station)
    window.show()
    qtbot.waitExposed(window)
    assert time.monotonic() - started < 2

    ticks: list[int] = []
    for _ in range(5):  # the event loop keeps turning while the probe waits
        qtbot.wait(20)
        QApplication.processEvents()
        ticks.append(1)
    assert len(ticks) == 5
    assert window.status.central.text() in ("central: checking…", "central: offline (10.255.255.1)")
    window.close()
    window.deleteLater()
