"""``packbench --self-test``, the Qt part: every resource and Qt plugin the app loads.

A frozen build that lost a plugin (the platform, SVG icons, the sound backend) or a data
file (a font, an icon, the style, a translation) fails here, naming it, instead of at a
bench. Runs offscreen when there is no display (``QT_QPA_PLATFORM`` is set before Qt
starts).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from app.services.selftest import Outcome, run_checks
from ui.preflight import no_display


def qt_checks() -> list[tuple[str, Callable[[], str]]]:
    """The checks, in order; the QApplication is made by the first."""
    return [
        ("Qt platform plugin", _platform),
        ("bundled fonts", _fonts),
        ("style", _style),
        ("icons (SVG plugin)", _icons),
        ("translations", _translations),
        ("sounds (multimedia plugin)", _sounds),
    ]


def run_qt_checks() -> list[Outcome]:
    if no_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return list(run_checks(qt_checks()))


def _platform() -> str:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    del app
    return f"{QGuiApplication.platformName()} (Qt plugins at {_plugin_dir()})"


def _plugin_dir() -> str:
    from PySide6.QtCore import QLibraryInfo

    return QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)


def _fonts() -> str:
    from ui.fonts import BUNDLED_FONT_FILES, load_bundled_fonts

    families = load_bundled_fonts()
    if len(families) < 2:
        raise RuntimeError(f"only {families} of {len(BUNDLED_FONT_FILES)} font files loaded")
    return ", ".join(families)


def _style() -> str:
    from PySide6.QtWidgets import QApplication

    from ui.theme import THEMES, apply_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for name in THEMES:
        apply_theme(app, 15, [], name)
        if not app.styleSheet():
            raise RuntimeError(f"the {name} style sheet is empty")
    apply_theme(app, 15, [])
    return f"{', '.join(THEMES)} ({len(app.styleSheet())} characters)"


def _icons() -> str:
    from PySide6.QtGui import QImageReader

    from ui.icons import ICON_NAMES, icon

    if b"svg" not in [bytes(f.data()) for f in QImageReader.supportedImageFormats()]:
        raise RuntimeError("Qt's SVG image plugin is missing")
    for name in ICON_NAMES:
        if icon(name).pixmap(48, 48).isNull():
            raise RuntimeError(f"the icon {name!r} does not draw")
    return f"{len(ICON_NAMES)} icons drawn"


def _translations() -> str:
    from ui.translation import LANGUAGES, load_translator

    loaded = []
    for language in LANGUAGES:
        if language == "en":
            continue
        translator = load_translator(language)
        if translator is None:
            raise RuntimeError(f"the {language} catalogue cannot be loaded")
        if translator.translate("LoginScreen", "Sign in") in ("", "Sign in"):
            raise RuntimeError(f"the {language} catalogue does not translate the login screen")
        loaded.append(language)
    return "English (source), " + ", ".join(loaded)


def _sounds() -> str:
    import wave

    from ui.feedback import SOUND_DIR

    names = sorted(p.name for p in SOUND_DIR.glob("*.wav"))
    if not names:
        raise RuntimeError(f"no sounds in {SOUND_DIR}")
    for name in names:
        with wave.open(str(SOUND_DIR / name)) as sound:
            if sound.getnframes() == 0:
                raise RuntimeError(f"{name} is empty")
    try:
        from PySide6.QtMultimedia import QSoundEffect
    except ModuleNotFoundError:
        raise  # the build lacks QtMultimedia itself
    except ImportError as error:  # a system library (libpulse0) missing: the flash still works
        return f"{', '.join(names)}; no sound here: {error} (Debian: apt-get install libpulse0)"
    effect = QSoundEffect()  # the multimedia plugin loads here
    del effect
    return ", ".join(names) + ", QtMultimedia loaded"
