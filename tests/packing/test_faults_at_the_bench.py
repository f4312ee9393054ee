"""An unexpected error at the bench: told calmly, never a traceback, and the next scan works.

The real window as the app opens it (``open_window``, with the app's excepthook), a serial
scanner simulated on a pty, a central SQLite store. Faults are real or asked for the way
support would: ``PACKBENCH_FAULT`` (a bug on purpose, ``app.faults``), a disk filled to the
last byte (a tmpfs; skipped where it cannot be mounted).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.bootstrap import Station, open_station
from app.config import load_config
from app.db.models import PackScan
from app.domain.users import Role
from app.services.auth import create_user
from devices.sim_scanner import SimulatedScanner
from tests.packing.world import MUG, ready
from tests.sync.stores import Central, sqlite_central
from tests.tiny_disk import fill, free, tiny_disk
from ui.application import open_window
from ui.main_window import MainWindow
from ui.theme import Tone

BADGE = "B-PACKER-77"
Scan = Callable[[str], str]


@pytest.fixture
def central(tmp_path: Path) -> Iterator[Central]:
    with sqlite_central(tmp_path / "central") as store:
        yield store


@pytest.fixture
def scanner(tmp_path: Path) -> Iterator[SimulatedScanner]:
    with SimulatedScanner(tmp_path / "scanner") as simulated:
        yield simulated


def open_bench(home: Path, central: Central, scanner: SimulatedScanner) -> Station:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "config.toml").write_text(
        f'[station]\nid = "ST-07"\n[scanner]\nmode = "serial"\nport = "{scanner.path}"\n',
        encoding="utf-8",
    )
    station = open_station(
        load_config({"PACKBENCH_HOME": str(home), "PACKBENCH_CENTRAL_URL": central.url})
    )
    ready(station, central.engine)
    create_user(station.local, None, "Tomasz Nowak", Role.PACKER, "5173", badge=BADGE)
    return station


@pytest.fixture
def bench_home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def bench(bench_home: Path, central: Central, scanner: SimulatedScanner) -> Iterator[Station]:
    station = open_bench(bench_home, central, scanner)
    yield station
    station.close()


@pytest.fixture
def window(qtbot: QtBot, bench: Station) -> Iterator[MainWindow]:
    """The window as ``packbench`` opens it: with the app's one excepthook installed."""
    opened = open_window(bench)
    qtbot.addWidget(opened)
    yield opened
    opened.shutdown()


def scanning(qtbot: QtBot, window: MainWindow, scanner: SimulatedScanner) -> Scan:
    """Scan with the serial scanner; the last-scan band's text once the window took it."""
    qtbot.waitUntil(lambda: scanner.wait_for_reader(0.01), timeout=10_000)

    def do(code: str) -> str:
        seen: list[object] = []
        window.scanning.hub.scan_read.connect(seen.append)
        scanner.scan(code)
        qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
        window.scanning.hub.scan_read.disconnect(seen.append)
        QApplication.processEvents()
        return window.desk.scan_band.text() if window.desk is not None else ""

    return do


def mugs_packed(station: Station) -> int:
    with station.local(readonly=True) as uow:
        total = select(func.coalesce(func.sum(PackScan.units), 0)).where(
            PackScan.undone_at.is_(None)
        )
        return int(uow.session.scalar(total) or 0)


def crash_reports(station: Station) -> list[Path]:
    return sorted(station.config.paths.log_dir.glob("crash-*.txt"))


@pytest.mark.qt_no_exception_capture
def test_a_bug_while_a_scan_is_handled_is_told_with_its_report_and_the_next_scan_works(
    qtbot: QtBot,
    window: MainWindow,
    bench: Station,
    scanner: SimulatedScanner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scan = scanning(qtbot, window, scanner)
    scan(BADGE)
    assert "Order 100234 open" in scan("ORD-100234")
    assert "1 of 2" in scan(MUG)

    monkeypatch.setenv("PACKBENCH_FAULT", "scan:ORD-100240")
    scan("ORD-100240")  # the window's scan handler raises: a bug

    band = window.fault_band
    assert band.isVisible() and band.message.tone is Tone.WAITING
    assert window.desk is not None and not window.desk.scan_band.isVisible()  # not "1 of 2"
    text = band.text()
    assert text.startswith(
        "Packbench hit a bug while handling the last scan or click (not something you did)."
    )
    assert "Everything saved before it is kept." in text
    assert "Traceback" not in text and "File " not in text
    [report] = crash_reports(bench)
    assert f"The report is at {report}: give it to whoever looks after Packbench." in text
    written = report.read_text(encoding="utf-8")
    assert "version: packbench 0.1.0" in written and "station: ST-07" in written
    assert "Traceback (most recent call last)" in written and "DeliberateFault" in written
    assert "in on_scan_read" in written  # where it happened, for whoever fixes it

    assert window.isVisible()
    assert "2 of 2" in scan(MUG)  # the bench goes on; the scan before the fault was kept
    assert mugs_packed(bench) == 2
    band.dismiss.click()
    assert not band.isVisible()


def test_a_bug_in_the_print_spooler_thread_is_told_once_and_the_bench_goes_on(
    qtbot: QtBot,
    bench: Station,
    scanner: SimulatedScanner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PACKBENCH_FAULT", "spooler")  # every pass of the spooler raises
    bench.spooler.every_s = 0.1
    window = MainWindow(bench)  # no excepthook needed: the station's loops tell the window
    qtbot.addWidget(window)
    window.show()
    try:
        qtbot.waitUntil(window.fault_band.isVisible, timeout=10_000)
        text = window.fault_band.text()
        assert text.startswith("Packbench hit a bug in the print spooler (not something you did).")
        qtbot.wait(500)  # a few more failing passes: still one report
        [report] = crash_reports(bench)
        assert f"The report is at {report}" in text
        assert "print spooler" in report.read_text(encoding="utf-8")

        scan = scanning(qtbot, window, scanner)
        scan(BADGE)
        assert "Order 100234 open" in scan("ORD-100234")
    finally:
        window.shutdown()


@pytest.mark.qt_no_exception_capture
def test_a_full_disk_during_a_scan_is_told_as_a_full_disk_and_the_scan_works_once_there_is_room(
    qtbot: QtBot,
    tmp_path: Path,
    central: Central,
    scanner: SimulatedScanner,
) -> None:
    with tiny_disk(tmp_path / "disk") as mounted:
        station = open_bench(mounted / "home", central, scanner)
        window = open_window(station)
        qtbot.addWidget(window)
        try:
            scan = scanning(qtbot, window, scanner)
            scan(BADGE)
            assert "Order 100234 open" in scan("ORD-100234")
            assert "1 of 2" in scan(MUG)

            filler = fill(mounted)
            scan(MUG)
            band = window.fault_band
            assert band.isVisible() and band.message.tone is Tone.REFUSED
            assert band.text().startswith("The disk is full: what was just asked was not saved.")
            assert not window.desk.scan_band.isVisible()  # it said "1 of 2": not this scan
            assert "Free some space on it" in band.text()
            assert "Everything saved before is kept." in band.text()
            assert crash_reports(station) == []  # not a bug: nothing to report
            assert window.isVisible()

            free(filler)
            assert "2 of 2" in scan(MUG)
            assert mugs_packed(station) == 2
            assert not band.isVisible()  # the scan that went through took the red band away
        finally:
            window.shutdown()
            station.close()
