"""The look of the bench: large type, a light high-contrast palette, colour that means something.

Green means done, amber waiting, red refused; nothing else is coloured, so a colour seen from a
metre away always says one of those three things. Widgets ask for a look by setting the
``role`` (and for bands the ``tone``) dynamic property; the style sheet here does the rest.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from app.domain.bench import Tone as Tone  # the meaning lives in the domain; the colours here

INK = "#111418"
MUTED_INK = "#3f4852"  # 9:1 on white: still readable from a metre
PAGE = "#eef0f3"
PANEL = "#ffffff"
LINE = "#aeb5be"
FOCUS = "#1646c8"
SELECTED = "#cddcff"

# (solid band background, band text, table-cell tint, table-cell text) per tone
TONE_COLOURS: dict[Tone, tuple[str, str, str, str]] = {
    Tone.DONE: ("#1c7430", "#ffffff", "#cdeed6", "#0b3d18"),
    Tone.WAITING: ("#f0a500", "#111418", "#ffe6a8", "#4d3300"),
    Tone.REFUSED: ("#b8231a", "#ffffff", "#fbd3ce", "#6e130d"),
    Tone.NEUTRAL: ("#dfe3e8", "#111418", "#ffffff", "#111418"),
}


def tint(tone: Tone) -> QColor:
    return QColor(TONE_COLOURS[tone][2])


def tint_ink(tone: Tone) -> QColor:
    return QColor(TONE_COLOURS[tone][3])


def apply_theme(app: QApplication, base_points: int, families: list[str]) -> None:
    """Fusion style, light palette, the bundled font families at the configured size."""
    app.setStyle("Fusion")
    font = QFont()
    if families:
        font.setFamilies(families)
    font.setPointSize(base_points)
    app.setFont(font)
    app.setPalette(_palette())
    app.setStyleSheet(style_sheet(base_points))


def _palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: PAGE,
        QPalette.ColorRole.WindowText: INK,
        QPalette.ColorRole.Base: PANEL,
        QPalette.ColorRole.AlternateBase: "#f5f6f8",
        QPalette.ColorRole.Text: INK,
        QPalette.ColorRole.Button: "#f7f8fa",
        QPalette.ColorRole.ButtonText: INK,
        QPalette.ColorRole.Highlight: SELECTED,
        QPalette.ColorRole.HighlightedText: INK,
        QPalette.ColorRole.ToolTipBase: "#fffbe6",
        QPalette.ColorRole.ToolTipText: INK,
        QPalette.ColorRole.PlaceholderText: "#5d6670",
        QPalette.ColorRole.Link: FOCUS,
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#7b838c"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#7b838c"))
    return palette


def style_sheet(base: int) -> str:
    """Sizes are in points, derived from the configured base size."""

    def pt(factor: float) -> str:
        return f"{max(1, round(base * factor))}pt"

    bands = "\n".join(
        f'QLabel[role="band"][tone="{tone.value}"] {{ background: {bg}; color: {fg}; }}'
        for tone, (bg, fg, _tint, _ink) in TONE_COLOURS.items()
    )
    dots = "\n".join(
        f'QLabel[role="dot"][tone="{tone.value}"] {{ background: {bg}; }}'
        for tone, (bg, _fg, _tint, _ink) in TONE_COLOURS.items()
    )
    flashes = "\n".join(
        f'*[flash="{tone.value}"] {{ background: {tint_}; }}'
        for tone, (_bg, _fg, tint_, _ink) in TONE_COLOURS.items()
        if tone is not Tone.NEUTRAL
    )
    return f"""
QMainWindow, QStackedWidget, QScrollArea, QScrollArea > QWidget > QWidget {{
    background: {PAGE};
}}
QToolTip {{ color: {INK}; background: #fffbe6; border: 1px solid {LINE}; }}

QLabel[role="prompt"] {{ font-size: {pt(2.2)}; font-weight: bold; }}
QLabel[role="title"] {{ font-size: {pt(1.7)}; font-weight: bold; }}
QLabel[role="subject"] {{ font-size: {pt(1.25)}; font-weight: bold; }}
QLabel[role="hint"] {{ color: {MUTED_INK}; }}
QLabel[role="section"] {{ font-size: {pt(1.05)}; font-weight: bold; color: {MUTED_INK}; }}
QLabel[role="notice"] {{
    font-size: {pt(1.3)}; padding: 16px 20px; line-height: 130%;
    background: {PANEL}; border: 2px solid {LINE}; border-radius: 6px;
}}
QLabel[role="band"] {{
    font-size: {pt(1.2)}; font-weight: bold; padding: 12px 18px; border-radius: 6px;
}}
QLabel[role="band"][compact="true"] {{
    font-size: {pt(1.0)}; font-weight: normal; padding: 8px 14px;
}}
{bands}

QWidget[role="header"] {{ background: #ffffff; border-bottom: 2px solid {LINE}; }}
QWidget[role="nav"] {{ background: #dde1e6; }}

QPushButton {{
    padding: 8px 18px; border: 2px solid {LINE}; border-radius: 6px; background: #f7f8fa;
}}
QPushButton:hover {{ background: #ffffff; }}
QPushButton:focus {{ border-color: {FOCUS}; }}
QPushButton:disabled {{ color: #7b838c; background: #e9ebee; border-color: #c9ced4; }}
QPushButton[role="nav"] {{
    font-size: {pt(1.2)}; text-align: left; padding: 12px 16px; background: #f7f8fa;
}}
QPushButton[role="nav"]:checked {{
    background: {INK}; color: #ffffff; border-color: {INK}; font-weight: bold;
}}
QPushButton[role="nav"]:checked:focus {{ border-color: {FOCUS}; }}
QPushButton[role="segment"] {{ padding: 4px 8px; text-align: left; font-size: {pt(0.85)}; }}
QPushButton[role="segment"]:checked {{
    background: {INK}; color: #ffffff; border-color: {INK}; font-weight: bold;
}}

QLineEdit, QComboBox {{
    padding: 6px 10px; border: 2px solid {LINE}; border-radius: 6px; background: {PANEL};
    min-height: {pt(1.6)};
}}
QLineEdit:focus, QComboBox:focus {{ border-color: {FOCUS}; }}
QLineEdit[role="big"] {{ font-size: {pt(1.5)}; }}
/* A spin box's own text field: the frame and arrows are the spin box's (Fusion's). */
QAbstractSpinBox QLineEdit {{
    padding: 0; border: none; border-radius: 0; min-height: 0;
}}
QAbstractSpinBox {{ padding: 2px 4px; }}

QPlainTextEdit {{
    font-family: monospace; border: 2px solid {LINE}; border-radius: 6px; background: {PANEL};
    padding: 6px;
}}
QListView, QTableView {{
    border: 2px solid {LINE}; border-radius: 4px; background: {PANEL};
    selection-background-color: {SELECTED}; selection-color: {INK};
}}
QListView:focus, QTableView:focus {{ border-color: {FOCUS}; }}
QListView::item {{ padding: 6px 8px; }}
QHeaderView::section {{
    background: #e4e7eb; color: {INK}; font-weight: bold; padding: 6px 8px;
    border: none; border-right: 1px solid {LINE}; border-bottom: 2px solid {LINE};
}}

QStatusBar {{ background: #ffffff; border-top: 2px solid {LINE}; }}
QStatusBar::item {{ border: none; }}
QLabel[role="indicator"] {{ font-size: {pt(0.85)}; padding: 2px 12px 2px 4px; color: {INK}; }}
QLabel[role="dot"] {{
    min-width: 12px; max-width: 12px; min-height: 12px; max-height: 12px; border-radius: 6px;
    margin-left: 8px; border: 1px solid #6b737c;
}}
{dots}
{flashes}
"""


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property (``tone``) changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
