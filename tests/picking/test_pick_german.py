"""The Pick workspace in German (issue 17): a real window, the scans from a serial scanner
simulated on a real pty, and every word the picker reads at the bench in German: the
screen's own words, the bench's NEXT line and the sentences the picking service and the
domain say in the last-scan band (translated by ``ui.domain_text`` in the window)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import Station
from app.domain.users import Role
from app.services import picking
from devices.sim_scanner import SimulatedScanner
from tests.packing.world import MUG, TEA, packer
from tests.picking import test_pick_station as station
from ui.translation import install_translations

# The Pick station test's world: its bench, central store and simulated serial scanner.
bench, central, scanner = station.bench, station.central, station.scanner
PICKER = station.PICKER
open_window, close_window, scanning = station.open_window, station.close_window, station.scanning
page_of, refused = station.page_of, station.refused

pytestmark = pytest.mark.gui


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    assert install_translations(qapp, "de") == "de"
    yield
    install_translations(qapp, "en")


def test_a_pick_list_is_walked_in_german(
    german: None, qtbot: QtBot, bench: Station, scanner: SimulatedScanner
) -> None:
    boss = packer(bench, Role.SUPERVISOR)
    number = picking.build_lists(bench, boss, orders=["100234", "100260"], batch=2).lists[0].number
    window = open_window(qtbot, bench)
    scan = scanning(qtbot, window, scanner)
    scan(PICKER)
    page = page_of(window)
    assert page.subject.text() == "Keine Pickliste offen"
    assert "OK scannen, um sie zu übernehmen" in page.idle.text()
    assert page.buttons["F2"].text().endswith("Neue Liste")
    # The service's sentence and the domain's, each in German, joined as they came.
    said = scan("%PB:OK")
    assert said == f"Kommissioniere {number}. Zu A-01-1 gehen.", said
    assert page.bin_caption.text() == "ZUM LAGERPLATZ"
    assert page.subject.text() == f"PICKLISTE {number}  ·  Sammel  ·  2 Aufträge"
    assert page.take_label.text() == "2 × MUG-BLUE-350"  # as wide as the English fits
    assert page.next_band.text() == "WEITER  Zu A-01-1 gehen und das Etikett scannen"
    headers = [page.model.headerData(i, Qt.Orientation.Horizontal) for i in range(1, 4)]
    assert headers == ["Lagerplatz", "Artikelnr.", "Gepickt"]

    said = scan("A-02-1")  # a refusal from app/domain/picking.py
    assert refused(window)
    assert said == (
        "Falscher Lagerplatz: Das ist A-02-1, die Liste geht als Nächstes zu A-01-1. "
        "Zu A-01-1 gehen und das Etikett scannen."
    ), said
    assert scan("A-01-1") == "A-01-1: 2 × MUG-BLUE-350 nehmen."
    assert page.bin_caption.text() == "AM LAGERPLATZ"
    said = scan(TEA)
    assert refused(window) and said.startswith("Falscher Artikel: "), said
    assert "Zurücklegen und MUG-BLUE-350 aus A-01-1 nehmen." in said
    said = scan(MUG)
    assert "in der Hand" in said and "(Auftrag 100234)" in said, said
    assert "Menge 4" in scan("%PB:QTY:4")  # the controller's own words
    assert scan("%PB:CANCEL") == "Menge abgebrochen"
    assert "pausiert" in scan(number)  # put down: the list scanned again
    assert page.subject.text() == "Keine Pickliste offen"
    close_window(qtbot, window)
