"""The screens in German: the login screen and the Pack bench of a real window, the language
taken from the system locale, and a German catalogue with nothing left untranslated for the
files whose strings are wrapped in tr() (issue 17)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.domain.users import Role, Workspace
from tests.ui.conftest import Keyboard
from ui.main_window import MainWindow
from ui.translation import TRANSLATIONS_DIR, install_translations

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = TRANSLATIONS_DIR / "packbench_de.ts"

pytestmark = pytest.mark.gui


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    assert install_translations(qapp, "de") == "de"
    yield
    install_translations(qapp, "en")


def test_login_and_the_pack_bench_speak_german(
    german: None, window: MainWindow, keyboard: Keyboard
) -> None:
    login = window.login_screen
    assert login.prompt.text() == "Ausweis scannen"
    assert login.sign_in_button.text() == "Anmelden"
    assert login.badge_field.placeholderText() == "Ausweis: jetzt scannen"
    keyboard.sign_in(window, Role.PACKER)
    desk = window.desk
    assert desk is not None
    assert desk.title.text() == "Packen"
    assert desk.nav_buttons[Workspace.PACK].text().startswith("Packen")
    assert desk.sign_out_button.text().startswith("Abmelden")
    page = desk.current_page
    assert page is not None
    assert page.subject.text() == "Kein Auftrag offen"
    assert page.buttons["F2"].text().endswith("Paket schließen")
    headers = [page.model.headerData(i, Qt.Orientation.Horizontal) for i in range(1, 5)]
    assert headers == ["Artikelnr.", "Artikel", "Lagerplatz", "Gepackt"]
    assert window.status.scanner.label.text().startswith("Scanner")


def test_the_language_follows_the_system_locale_when_none_is_set() -> None:
    code = (
        "from PySide6.QtWidgets import QApplication; app = QApplication([]);"
        "from ui.translation import install_translations as i;"
        "print(i(app, ''), i(app, 'en'))"
    )
    env = {**os.environ, "LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8", "LANGUAGE": "de"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.stdout.split() == ["de", "en"], result.stderr


def test_the_german_catalogue_has_every_wrapped_string_translated(tmp_path: Path) -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    listed = re.search(r"^TRANSLATED := ((?:.*\\\n)*.*)$", makefile, re.M)
    assert listed is not None
    files = listed.group(1).replace("\\\n", " ").split()
    assert "ui/login.py" in files and "ui/workspaces/pack.py" in files
    refreshed = tmp_path / CATALOGUE.name
    shutil.copy(CATALOGUE, refreshed)
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    result = subprocess.run(
        [str(lupdate), "-locations", "none", "-no-obsolete", *files, "-ts", str(refreshed)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "(0 new and" in result.stdout, "make translations finds new strings: " + result.stdout
    text = refreshed.read_text(encoding="utf-8")
    assert 'type="unfinished"' not in text
    assert 'type="vanished"' not in text and 'type="obsolete"' not in text
