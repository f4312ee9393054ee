"""Starting the application: fonts and theme applied, the window shown, the loop run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.bootstrap import Station
from ui.application import prepare_application, run_app
from ui.main_window import MainWindow

if TYPE_CHECKING:
    from conftest import Person

    from app.domain.users import Role


@pytest.fixture
def pristine_app(qapp: QApplication) -> Iterator[QApplication]:
    """The shared QApplication, given back to the other tests as it was found."""
    font, palette, sheet = qapp.font(), qapp.palette(), qapp.styleSheet()
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setFont(font)


def test_the_theme_uses_the_configured_size_and_the_bundled_fonts(
    pristine_app: QApplication, station: Station
) -> None:
    app = prepare_application(station)
    assert app is pristine_app
    assert app.font().pointSize() == station.config.font_size == 15
    assert app.font().families()[:2] == ["Packbench Noto Sans", "Packbench Droid Sans Fallback"]
    assert 'QLabel[role="prompt"]' in app.styleSheet()


def test_run_app_shows_the_window_maximized_and_returns_the_exit_code(
    pristine_app: QApplication, station: Station, people: dict[Role, Person]
) -> None:
    seen: dict[str, object] = {}
    demo_users = [(p.name, p.role.label, p.badge, p.pin) for p in people.values()]

    def look_then_quit() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if len(windows) != 1 or not windows[0].status.central_checked:
            QTimer.singleShot(20, look_then_quit)
            return
        window = windows[0]
        seen["maximized"] = window.isMaximized() or window.width() >= 1280
        seen["demo_table"] = window.login_screen.demo_table is not None
        # Not window.close(): closing the last window posts a Quit event that would outlive
        # this loop and end the next test's event loops at once.
        QApplication.exit(3)

    QTimer.singleShot(0, look_then_quit)
    assert run_app(station, demo_users) == 3
    assert seen == {"maximized": True, "demo_table": True}
