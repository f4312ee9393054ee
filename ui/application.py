"""Starting the desktop application: fonts, theme, the main window, the event loop."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

from app.bootstrap import Station
from ui.fonts import load_bundled_fonts
from ui.login import DemoUser
from ui.main_window import MainWindow
from ui.theme import apply_theme

START_SIZE = (1280, 800)


def prepare_application(station: Station) -> QApplication:
    """The QApplication (made if there is none yet) with the bundled fonts and the theme."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName("Packbench")
    app.setApplicationDisplayName("Packbench")
    apply_theme(app, station.config.font_size, load_bundled_fonts())
    return app


def run_app(station: Station, demo_users: Sequence[DemoUser] | None = None) -> int:
    """Show the station's window, maximized, and run until it is closed; the exit code.

    ``demo_users`` (name, role, badge, PIN) are listed on the login screen: pass them in
    demo mode only.
    """
    app = prepare_application(station)
    window = MainWindow(station, demo_users)
    window.resize(*START_SIZE)  # what it keeps if the window manager will not maximize
    window.showMaximized()
    return app.exec()
