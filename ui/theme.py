"""The bench's look: large type, high-contrast light and dark palettes, colour with a meaning.

Green means done, amber waiting, red refused; nothing else is coloured, so a colour seen from a
metre away always says one of those three things. Widgets ask for a look by setting the
``role`` (and for bands the ``tone``) dynamic property; the style sheet here does the rest.
"""

from __future__ import annotations

from pathlib import Path
from string import Template

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from app.domain.bench import Tone as Tone  # the meaning lives in the domain; the colours here
from ui.icons import set_ink

# The two variants of the one style (resources/styles/packbench.qss): light for a bright hall,
# dark for a dim one. Both keep text at 7:1 or more against its background.
THEMES: dict[str, dict[str, str]] = {
    "light": {
        "ink": "#111418",
        "muted_ink": "#3f4852",  # 9:1 on white: still readable from a metre
        "page": "#eef0f3",
        "panel": "#ffffff",
        "line": "#aeb5be",
        "focus": "#1646c8",
        "selected": "#cddcff",
        "tooltip": "#fffbe6",
        "header": "#ffffff",
        "nav": "#dde1e6",
        "button": "#f7f8fa",
        "button_hover": "#ffffff",
        "heading": "#e4e7eb",
        "alternate": "#f5f6f8",
        "placeholder": "#5d6670",
        "disabled_ink": "#7b838c",
        "disabled_button": "#e9ebee",
        "disabled_line": "#c9ced4",
    },
    "dark": {
        "ink": "#f1f3f5",
        "muted_ink": "#c3c9d0",
        "page": "#15181c",
        "panel": "#1f2328",
        "line": "#5c6570",
        "focus": "#7fa6ff",
        "selected": "#2d4a8a",
        "tooltip": "#2b2f36",
        "header": "#1f2328",
        "nav": "#262b31",
        "button": "#2b3037",
        "button_hover": "#363c44",
        "heading": "#2b3037",
        "alternate": "#242930",
        "placeholder": "#a3abb5",
        "disabled_ink": "#8a929b",
        "disabled_button": "#23272d",
        "disabled_line": "#3f464e",
    },
}
DEFAULT_THEME = "light"
STYLE_FILE = Path(__file__).resolve().parent.parent / "resources" / "styles" / "packbench.qss"

_LIGHT = THEMES["light"]
INK = _LIGHT["ink"]
MUTED_INK = _LIGHT["muted_ink"]

# (solid band background, band text, table-cell tint, table-cell text) per tone and theme
TONE_COLOURS: dict[str, dict[Tone, tuple[str, str, str, str]]] = {
    "light": {
        Tone.DONE: ("#1c7430", "#ffffff", "#cdeed6", "#0b3d18"),
        Tone.WAITING: ("#f0a500", "#111418", "#ffe6a8", "#4d3300"),
        Tone.REFUSED: ("#b8231a", "#ffffff", "#fbd3ce", "#6e130d"),
        Tone.NEUTRAL: ("#dfe3e8", "#111418", "#ffffff", "#111418"),
    },
    "dark": {
        Tone.DONE: ("#1c7430", "#ffffff", "#123d1e", "#c8f0d2"),
        Tone.WAITING: ("#f0a500", "#111418", "#4a3608", "#ffe3a0"),
        Tone.REFUSED: ("#c8281e", "#ffffff", "#4d1612", "#ffd0ca"),
        Tone.NEUTRAL: ("#3a4048", "#f1f3f5", "#1f2328", "#f1f3f5"),
    },
}

_current = DEFAULT_THEME


def current_theme() -> str:
    return _current


def tint(tone: Tone) -> QColor:
    return QColor(TONE_COLOURS[_current][tone][2])


def tint_ink(tone: Tone) -> QColor:
    return QColor(TONE_COLOURS[_current][tone][3])


def muted_ink() -> QColor:
    return QColor(THEMES[_current]["muted_ink"])


def apply_theme(
    app: QApplication, base_points: int, families: list[str], theme: str = DEFAULT_THEME
) -> None:
    """Fusion style, the theme's palette and style sheet, the bundled fonts at the size."""
    global _current
    if theme not in THEMES:
        raise ValueError(f"no theme {theme!r}: use one of {', '.join(THEMES)}")
    _current = theme
    app.setStyle("Fusion")
    font = QFont()
    if families:
        font.setFamilies(families)
    font.setPointSize(base_points)
    app.setFont(font)
    app.setPalette(_palette(THEMES[theme]))
    app.setStyleSheet(style_sheet(base_points, theme))
    set_ink(THEMES[theme]["ink"], THEMES[theme]["page"])


def _palette(colours: dict[str, str]) -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: colours["page"],
        QPalette.ColorRole.WindowText: colours["ink"],
        QPalette.ColorRole.Base: colours["panel"],
        QPalette.ColorRole.AlternateBase: colours["alternate"],
        QPalette.ColorRole.Text: colours["ink"],
        QPalette.ColorRole.Button: colours["button"],
        QPalette.ColorRole.ButtonText: colours["ink"],
        QPalette.ColorRole.Highlight: colours["selected"],
        QPalette.ColorRole.HighlightedText: colours["ink"],
        QPalette.ColorRole.ToolTipBase: colours["tooltip"],
        QPalette.ColorRole.ToolTipText: colours["ink"],
        QPalette.ColorRole.PlaceholderText: colours["placeholder"],
        QPalette.ColorRole.Link: colours["focus"],
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    disabled = QColor(colours["disabled_ink"])
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, disabled)
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, disabled)
    return palette


def style_sheet(base: int, theme: str = DEFAULT_THEME) -> str:
    """resources/styles/packbench.qss with the theme's colours; sizes in points from ``base``."""
    sizes = {f"pt{n:03d}": f"{max(1, round(base * n / 100))}pt" for n in range(50, 601, 5)}
    sheet = Template(STYLE_FILE.read_text(encoding="utf-8")).substitute(THEMES[theme], **sizes)
    tones = TONE_COLOURS[theme].items()
    bands = [
        f'QLabel[role="band"][tone="{tone.value}"] {{ background: {bg}; color: {fg}; }}'
        for tone, (bg, fg, _tint, _ink) in tones
    ]
    dots = [
        f'QLabel[role="dot"][tone="{tone.value}"] {{ background: {bg}; }}'
        for tone, (bg, _fg, _tint, _ink) in tones
    ]
    flashes = [
        f'*[flash="{tone.value}"] {{ background: {tint_}; }}'
        for tone, (_bg, _fg, tint_, _ink) in tones
        if tone is not Tone.NEUTRAL
    ]
    return "\n".join([sheet, *bands, *dots, *flashes]) + "\n"


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property (``tone``) changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
