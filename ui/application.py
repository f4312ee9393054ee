"""Starting the desktop application: fonts, theme, the main window, the event loop."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from app.bootstrap import Station
from ui.fonts import load_bundled_fonts
from ui.icons import APP_ICON, icon
from ui.login import DemoUser
from ui.main_window import MainWindow
from ui.single_instance import AlreadyRunning, StationClaim, claim_station
from ui.theme import apply_theme
from ui.translation import install_translations

__all__ = [
    "AlreadyRunning",
    "StationClaim",
    "hold_station",
    "open_window",
    "prepare_application",
    "run_app",
]

START_SIZE = (1280, 800)

log = logging.getLogger(__name__)


def prepare_application(station: Station) -> QApplication:
    """The QApplication (made if there is none yet) with the bundled fonts and the theme."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName("Packbench")
    app.setApplicationDisplayName("Packbench")
    app.setWindowIcon(icon(APP_ICON))
    install_translations(app, station.config.language)
    apply_theme(app, station.config.font_size, load_bundled_fonts(), station.config.theme)
    return app


def hold_station(database: Path) -> StationClaim | AlreadyRunning:
    """Before the station's database is opened: hold it for this app, or learn who does
    (that app is asked to come to the front). See ``ui.single_instance``."""
    if QApplication.instance() is None:
        QApplication(sys.argv)  # the local socket wants one; prepare_application reuses it
    return claim_station(database)


def run_app(
    station: Station,
    demo_users: Sequence[DemoUser] | None = None,
    claim: StationClaim | None = None,
) -> int:
    """Show the station's window, maximized, and run until it is closed; the exit code.

    ``demo_users`` (name, role, badge, PIN) are listed on the login screen: pass them in
    demo mode only. ``claim`` brings the window forward when ``packbench`` is started again.
    """
    app = prepare_application(station)
    window = open_window(station, demo_users, claim)  # held until the loop ends
    QTimer.singleShot(0, lambda: log.info("window open (process %d)", os.getpid()))
    exit_code = app.exec()
    del window
    return exit_code


def open_window(
    station: Station,
    demo_users: Sequence[DemoUser] | None = None,
    claim: StationClaim | None = None,
) -> MainWindow:
    """The station's window, shown maximized, coming forward when ``claim`` is called."""
    window = MainWindow(station, demo_users)
    window.faults.install()  # the app's one excepthook: no error ends it silently (ui.faults)
    window.resize(*START_SIZE)  # what it keeps if the window manager will not maximize
    window.showMaximized()
    if claim is not None:
        claim.raise_requested.connect(lambda _pid: bring_forward(window))
    return window


def bring_forward(window: MainWindow) -> None:
    """Show the window on top, restored if it was minimized."""
    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
