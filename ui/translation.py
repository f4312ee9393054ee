"""The language of the screens: English in the source, others from resources/translations.

Each screen writes its words as ``self.tr("...")`` (English); ``packbench_LANG.ts`` holds a
language's translations, refreshed from the source by ``make translations``
(pyside6-lupdate) and compiled to ``.qm`` (pyside6-lrelease) when the app is installed or
built. A source run that finds no ``.qm``, or one older than its ``.ts``, compiles it
itself, so a checkout never shows a stale catalogue. The language is ``[ui] language``, or
the system's locale when that is empty.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QTranslator,
)
from PySide6.QtWidgets import QApplication

from app.domain.users import Workspace

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"
LANGUAGES = ("en", "de")
"""English (the source) and each language with a catalogue in resources/translations."""

log = logging.getLogger(__name__)
_installed: list[QTranslator] = []


def chosen_language(setting: str) -> str:
    """``setting`` ("en", "de") or, when empty, the system locale's language if we have it."""
    if setting:
        return setting
    language = QLocale.system().name().split("_")[0]
    return language if language in LANGUAGES else "en"


def install_translations(app: QApplication, setting: str) -> str:
    """Make ``app`` speak the chosen language (Qt's own dialogs too); the language used."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    language = chosen_language(setting)
    if language == "en":
        return language
    ours = load_translator(language)
    if ours is None:
        log.warning("no %s catalogue could be loaded; the screens stay in English", language)
        return "en"
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        _installed.append(qt)
    _installed.append(ours)
    for translator in _installed:
        app.installTranslator(translator)
    return language


def load_translator(language: str) -> QTranslator | None:
    """Our catalogue for ``language``, compiled from its .ts first when it has to be."""
    qm = _compiled(language)
    if qm is None:
        return None
    translator = QTranslator()
    return translator if translator.load(str(qm)) else None


def _compiled(language: str) -> Path | None:
    source = TRANSLATIONS_DIR / f"packbench_{language}.ts"
    built = TRANSLATIONS_DIR / f"packbench_{language}.qm"
    if built.is_file() and (not source.is_file() or _newer(built, source)):
        return built  # compiled at install or build time (a frozen build has no .ts)
    if not source.is_file():
        return None
    for target in (built, Path(tempfile.gettempdir()) / f"packbench-{os.getuid()}" / built.name):
        if target.is_file() and _newer(target, source):
            return target
        if compile_catalogue(source, target):
            return target
    return None


def _newer(a: Path, b: Path) -> bool:
    return a.stat().st_mtime >= b.stat().st_mtime


def compile_catalogue(source: Path, target: Path) -> bool:
    """pyside6-lrelease ``source`` into ``target``; False when it cannot be done here."""
    lrelease = _tool("lrelease")
    if lrelease is None:
        return False
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [lrelease, "-silent", str(source), "-qm", str(target)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    except OSError as error:
        log.info("cannot compile %s: %s", source, error)
        return False
    if done.returncode != 0:
        log.warning("pyside6-lrelease failed on %s: %s", source, done.stderr.strip())
    return done.returncode == 0 and target.is_file()


def _tool(name: str) -> str | None:
    """PySide6's lrelease/lupdate: beside the interpreter's scripts, or on PATH."""
    script = Path(sys.executable).parent / f"pyside6-{name}"
    if script.is_file():
        return str(script)
    return shutil.which(f"pyside6-{name}")


# The workspaces' names, as lupdate should find them (the enum's values are English).
_WORKSPACE_NAMES = (
    QT_TRANSLATE_NOOP("Workspace", "Pick"),
    QT_TRANSLATE_NOOP("Workspace", "Pack"),
    QT_TRANSLATE_NOOP("Workspace", "Returns"),
    QT_TRANSLATE_NOOP("Workspace", "Orders"),
    QT_TRANSLATE_NOOP("Workspace", "Invoices"),
    QT_TRANSLATE_NOOP("Workspace", "Sync"),
    QT_TRANSLATE_NOOP("Workspace", "Devices"),
    QT_TRANSLATE_NOOP("Workspace", "Users"),
    QT_TRANSLATE_NOOP("Workspace", "Reports"),
    QT_TRANSLATE_NOOP("Workspace", "Stock"),
)


def workspace_name(workspace: Workspace) -> str:
    """The workspace's name in the language of the screens."""
    return QCoreApplication.translate("Workspace", workspace.value)
