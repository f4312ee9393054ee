"""Grab the settings dialog, the log viewer and the login screen as PNG files (a tool).

    xvfb-run -a -s "-screen 0 1920x1080x24" python tests/ui/settings_screenshots.py OUTDIR

A station in a temporary PACKBENCH_HOME, a supervisor signed in: the settings dialog (each
tab that has device buttons), the log viewer with a few entries, in the light and dark
themes and in German, at 1280×800 and 1920×1080.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app.bootstrap import open_station
from app.config import load_config
from app.domain.users import Role
from app.services.auth import create_user, login_with_badge
from app.services.logs import log_to_folder
from ui.application import open_window, prepare_application
from ui.theme import apply_theme
from ui.translation import install_translations

SIZES = [(1280, 800), (1920, 1080)]


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def grab(widget: QWidget, path: Path) -> None:
    settle()
    widget.grab().save(str(path))
    print(path)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="packbench-shots-")) / "home"
    config = load_config({"PACKBENCH_HOME": str(home)})
    log_to_folder(config.paths.log_dir)
    station = open_station(config)
    create_user(station.local, None, "Светлана Кузнецова", Role.SUPERVISOR, "5813", badge="B-SUP")
    app = prepare_application(station)
    log = logging.getLogger("packbench")
    log.info("label printed for shipment ST-01-S000123 (SSCC 006141410000000017)")
    log.warning("printer 10.0.0.7:9100 did not answer within 5 s; the label is kept")
    log.error("scale /dev/serial/by-id/usb-Mettler_Toledo-if00 disconnected")
    window = open_window(station)
    window.on_signed_in(login_with_badge(station.local, station.station_id, "B-SUP"))
    settle(800)

    def shoot(prefix: str) -> None:
        assert window.desk is not None
        for width, height in SIZES:
            window.showNormal()
            window.resize(width, height)
            dialog = window.desk.open_settings()
            dialog.resize(min(width - 80, 1400), height - 100)
            for index in (0, 2, 3):
                dialog.tabs.setCurrentIndex(index)
                grab(dialog, out / f"{prefix}-settings-{index}-{width}x{height}.png")
            dialog.close()
            viewer = window.desk.open_log()
            viewer.resize(min(width - 80, 1400), height - 100)
            grab(viewer, out / f"{prefix}-log-{width}x{height}.png")
            viewer.close()
            grab(window, out / f"{prefix}-window-{width}x{height}.png")

    def sign_in_again() -> None:  # a desk is built at sign-in, with the icons of the theme
        window.sign_out()
        window.on_signed_in(login_with_badge(station.local, station.station_id, "B-SUP"))

    shoot("light")
    apply_theme(app, config.font_size, app.font().families(), "dark")
    sign_in_again()
    shoot("dark")
    apply_theme(app, config.font_size, app.font().families(), "light")
    window.shutdown()
    window.close()
    # German from the start, as [ui] language = "de" makes it: the window is built after.
    install_translations(app, "de")
    window = open_window(station)
    settle(800)
    for width, height in SIZES:
        window.showNormal()
        window.resize(width, height)
        grab(window, out / f"de-login-{width}x{height}.png")
    window.on_signed_in(login_with_badge(station.local, station.station_id, "B-SUP"))
    shoot("de")
    window.shutdown()
    station.close()
    QApplication.processEvents()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
