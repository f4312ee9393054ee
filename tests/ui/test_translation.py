"""The screens in German: the login screen, the Pack bench and the Orders page of a real
window, the language taken from the system locale, what the domain says translated by
template, and a German catalogue with nothing left untranslated for the files whose strings
are wrapped in tr() (issue 17). The Pick bench walked in German by the simulated scanner is
tests/picking/test_pick_german.py."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.config import SETTINGS
from app.domain.status import OrderStatus
from app.domain.users import Role, Workspace
from app.services.order_search import Segment
from tests.ui.conftest import Keyboard
from ui.domain_text import TEMPLATES, status_name, translated
from ui.main_window import MainWindow
from ui.settings_dialog import SETTING_NAMES, setting_name
from ui.translation import TRANSLATIONS_DIR, install_translations
from ui.workspaces.orders import OrdersPage

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
    # make translations reads every screen's file: a new screen cannot be left out
    assert "TRANSLATED := $(sort $(wildcard ui/*.py ui/*/*.py))" in makefile
    files = sorted(
        str(p.relative_to(ROOT)) for p in [*ROOT.glob("ui/*.py"), *ROOT.glob("ui/*/*.py")]
    )
    assert "ui/login.py" in files and "ui/workspaces/stock.py" in files
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


def test_the_orders_page_speaks_german(
    german: None, window: MainWindow, keyboard: Keyboard, orders: list[str], qtbot: QtBot
) -> None:
    keyboard.sign_in(window, Role.SUPERVISOR)
    desk = window.desk
    assert desk is not None
    assert desk.nav_buttons[Workspace.ORDERS].text().startswith("Aufträge")
    assert desk.nav_buttons[Workspace.REPORTS].text().startswith("Berichte")
    desk.open_workspace(Workspace.ORDERS)
    page = desk.current_page
    assert isinstance(page, OrdersPage)
    qtbot.waitUntil(lambda: page.matching is not None and bool(page.counts))
    assert page.subject.text() == f"{len(orders)} Aufträge"
    assert page.find_field.placeholderText().startswith("Suchen: Auftragsnummer, Kunde")
    assert page.open_button.text() == "Öffnen  Enter"
    assert page.release_button.text() == "Freigeben…"
    assert page.void_button.text() == "Stornieren…"
    model = page.model
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert headers[:4] == ["Nummer", "Eingang", "Status", "Kunde"]
    assert page.segment_buttons[Segment.ON_HOLD].text().startswith("Zurückgehalten")
    assert page.segment_buttons[Segment.SHORT_PICKS].text().startswith("Fehlmengen")
    assert page.period_filter.itemText(0) == "Jedes Datum"
    statuses = {model.index(r, model.STATUS_COLUMN).data() for r in range(model.rowCount())}
    german = {status_name(s) for s in OrderStatus}
    assert statuses and all(cell.split(":")[0] in german for cell in statuses), statuses
    assert not statuses & {s.label for s in OrderStatus if s.label != status_name(s)}
    page.reader.wait()


def test_every_setting_has_a_name_to_translate() -> None:
    named = set(SETTING_NAMES)
    assert {s.key.replace("_", " ") for s in SETTINGS} <= named, "add it to SETTING_NAMES"
    font_size = next(s for s in SETTINGS if s.key == "font_size")
    assert setting_name(font_size) == "font size"  # English: the key itself


def test_what_the_domain_says_is_translated_sentence_by_sentence(german: None) -> None:
    said = (
        "Wrong bin: this is A-02-1, the list goes to A-01-1 next. Go to A-01-1 and scan its label."
    )
    assert translated(said) == (
        "Falscher Lagerplatz: Das ist A-02-1, die Liste geht als Nächstes zu A-01-1. "
        "Zu A-01-1 gehen und das Etikett scannen."
    )
    # A sentence no template knows stays English; the ones around it are still translated.
    assert translated("Order 7 is void. The moon is out. Do not pack it.") == (
        "Auftrag 7 ist storniert. The moon is out. Nicht packen."
    )
    assert translated("NEXT  scan 2 more MUG-1, then TEA-2") == (
        "WEITER  noch 2 × MUG-1 scannen, dann TEA-2"
    )


def test_every_domain_template_is_a_valid_format_in_both_languages(german: None) -> None:
    for template in TEMPLATES:
        names = set(re.findall(r"\{(\w+)\}", template))
        german_words = QCoreApplication.translate("Domain", template)
        assert german_words != template, template
        assert set(re.findall(r"\{(\w+)\}", german_words)) <= names, german_words


def test_every_order_status_has_a_german_name(german: None) -> None:
    names = {status: status_name(status) for status in OrderStatus}
    assert names[OrderStatus.ON_HOLD] == "Zurückgehalten"
    assert names[OrderStatus.PARTIALLY_SHIPPED] == "Teilweise versendet"
    assert all(names[s] != s.label for s in OrderStatus if s.label != "Status"), names
