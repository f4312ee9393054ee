"""The Pack bench on the bench pattern, through the window: a key is answered where a scan
is (the last-scan band), the line that counted flashes, and the NEXT line is the bench's.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.packing import test_pack_station as at_the_bench
from tests.packing.test_pack_station import BADGE, Scan, pack_page
from tests.packing.world import MUG, SPOON
from ui.main_window import MainWindow

# The bench of test_pack_station: a window, a serial scanner, a printer and a scale.
devices = at_the_bench.devices
central = at_the_bench.central
bench = at_the_bench.bench
window = at_the_bench.window
scan = at_the_bench.scan


def test_a_key_is_answered_in_the_last_scan_band_as_a_scan_is(
    qtbot: QtBot, window: MainWindow, scan: Scan
) -> None:
    scan(BADGE)
    scan("ORD-100234")
    page = pack_page(window)
    assert window.desk is not None
    band = window.desk.scan_band

    qtbot.mouseClick(page.buttons["F9"], Qt.MouseButton.LeftButton)
    assert band.tone.value == "refused"
    assert band.text() == (
        "Nothing to undo in parcel 1: it has no items. To change a closed parcel, reopen it "
        "(REOPEN)."
    )

    assert scan(MUG) == "MUG-BLUE-350 Blue mug 350 ml: 1 of 2"
    assert page.model.flash_line == 1  # the line that counted, for a moment
    qtbot.waitUntil(lambda: page.model.flash_line is None, timeout=5_000)

    qtbot.mouseClick(page.buttons["F9"], Qt.MouseButton.LeftButton)
    assert (band.text(), band.tone.value) == ("Undone: MUG-BLUE-350 ×1 (0 packed)", "done")
    assert page.model.flash_line == 1
    assert page.next_band.text() == "NEXT  scan 2 more MUG-BLUE-350, then TEA-EARL-100"


def test_the_next_line_follows_the_bench_through_a_serial_number(
    window: MainWindow, scan: Scan
) -> None:
    scan(BADGE)
    scan("ORD-100234")
    page = pack_page(window)
    assert window.desk is not None
    assert scan(SPOON) == "SPOON-SET-4 Spoon set: now scan its serial number"
    assert window.desk.scan_band.tone.value == "waiting"
    assert page.next_band.text() == "NEXT  scan the serial number of SPOON-SET-4"
    assert page.next_band.tone.value == "waiting"

    assert scan("SN-0042") == "SPOON-SET-4 Spoon set · serial SN-0042: 1 of 1"
    assert window.desk.scan_band.tone.value == "done"
    # The serial came: the NEXT line moves on (it used to keep asking for the serial).
    assert page.next_band.text() == "NEXT  scan 2 more MUG-BLUE-350, then TEA-EARL-100"
    assert page.next_band.tone.value == "neutral"
