"""The application's icons: SVG files in resources/icons, drawn sharp at any screen scale.

Each icon is drawn in the ink of the current theme (the files use the light theme's ink,
#111418, which a dark theme swaps for its own), at twice the size asked for so that a
high-DPI screen gets a sharp picture.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from app.domain.users import Workspace

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
FILE_INK = "#111418"
APP_ICON = "packbench"
WORKSPACE_ICONS: dict[Workspace, str] = {w: w.value.lower() for w in Workspace}
ICON_NAMES: tuple[str, ...] = (
    APP_ICON,
    *WORKSPACE_ICONS.values(),
    "settings",
    "logs",
)

_ink = FILE_INK
_on_ink = "#eef0f3"


def set_ink(colour: str, on_colour: str) -> None:
    """The colours icons are drawn in from now on (the theme calls this): ``colour`` on
    the page, ``on_colour`` on a checked button (drawn in the ink colour)."""
    global _ink, _on_ink
    _ink, _on_ink = colour, on_colour


def icon(name: str) -> QIcon:
    """The icon ``name`` (a file in resources/icons without .svg), with an "on" variant in
    the page colour for a checked button."""
    result = QIcon()
    for size in (24, 48, 96):
        result.addPixmap(QPixmap.fromImage(_image(name, size, _ink)))
        result.addPixmap(
            QPixmap.fromImage(_image(name, size, _on_ink)), QIcon.Mode.Normal, QIcon.State.On
        )
    return result


@cache
def _image(name: str, size: int, ink: str) -> QImage:
    data = (ICON_DIR / f"{name}.svg").read_text(encoding="utf-8").replace(FILE_INK, ink)
    renderer = QSvgRenderer(QByteArray(data.encode()))
    if not renderer.isValid():
        raise ValueError(f"{ICON_DIR / name}.svg is not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image
