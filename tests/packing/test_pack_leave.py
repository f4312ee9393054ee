"""Putting an order down at the bench (Esc) when the central store has just died, by the window.

A real window signed in by badge, the serial scanner simulator, a real PostgreSQL central
store reached through a gate: a TCP relay on 127.0.0.1 that, closed, takes connections and
the bytes of open ones and never answers (the store just died), and, opened, passes them on
(the store is back). The claim is given up off the GUI thread: the bench takes the next scan
while it waits, and the release goes through once the store answers. A bug in that worker
(``PACKBENCH_FAULT=release:NUMBER``) reaches the window's fault band with its crash report.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from app.bootstrap import open_station
from app.config import load_config
from app.db.models import OrderClaim, PackSession
from app.domain.users import Role
from app.services.auth import create_user
from devices.sim_scanner import SimulatedScanner
from tests.packing.test_faults_at_the_bench import crash_reports
from tests.packing.test_pack_station import BADGE, Scan, pack_page
from tests.packing.test_scan_after_sync import scanning
from tests.packing.world import MUG, ready
from tests.sync.stores import Central, postgres_central
from ui.main_window import MainWindow
from ui.theme import Tone
from ui.workspaces.pack import PackPage


class Gate:
    """A TCP relay to the central server that can stop answering (closed) and come back."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.open = threading.Event()
        self.open.set()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            self._sockets.append(client)
            threading.Thread(target=self._connect, args=(client,), daemon=True).start()

    def _connect(self, client: socket.socket) -> None:
        self.open.wait()  # closed: the connection is taken and never answered
        upstream = socket.create_connection(self.target)
        self._sockets.append(upstream)
        threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()
        self._pipe(client, upstream)

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                self.open.wait()  # closed: what was sent is held, no answer comes
                sink.sendall(data)
        for end in (source, sink):
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def shut(self, back_after_s: float = 30.0) -> None:
        """The store stops answering; it comes back by itself after ``back_after_s`` at the
        latest, so a bench that waits for it on its GUI thread fails the test, not hangs it."""
        self.open.clear()
        timer = threading.Timer(back_after_s, self.open.set)
        timer.daemon = True
        timer.start()

    def close(self) -> None:
        self.open.set()
        self._server.close()
        for connection in self._sockets:
            connection.close()


@pytest.fixture
def central(central_url: str) -> Iterator[Central]:
    with postgres_central(central_url) as store:
        yield store


@pytest.fixture
def gate(central: Central) -> Iterator[Gate]:
    url = make_url(central.url)
    relay = Gate((url.host or "127.0.0.1", url.port or 5432))
    yield relay
    relay.close()


@pytest.fixture
def scanner(tmp_path: Path) -> Iterator[SimulatedScanner]:
    with SimulatedScanner(tmp_path / "scanner") as simulated:
        yield simulated


@pytest.fixture
def window(
    qtbot: QtBot, tmp_path: Path, central: Central, gate: Gate, scanner: SimulatedScanner
) -> Iterator[MainWindow]:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text(
        f'[station]\nid = "ST-07"\n[scanner]\nmode = "serial"\nport = "{scanner.path}"\n',
        encoding="utf-8",
    )
    through_gate = make_url(central.url).set(host="127.0.0.1", port=gate.port)
    url = through_gate.render_as_string(hide_password=False)
    station = open_station(load_config({"PACKBENCH_HOME": str(home), "PACKBENCH_CENTRAL_URL": url}))
    ready(station, central.engine)
    create_user(station.local, None, "Tomasz Nowak", Role.PACKER, "5173", badge=BADGE)
    window = MainWindow(station)
    qtbot.addWidget(window)
    window.show()
    yield window
    gate.open.set()
    qtbot.waitUntil(lambda: window.status.central_checked, timeout=30_000)
    window.shutdown()
    station.close()


def claims_held(central: Central) -> int:
    with central.engine.connect() as c:
        return c.scalar(select(func.count()).select_from(OrderClaim)) or 0


def open_claimed(
    qtbot: QtBot, window: MainWindow, scanner: SimulatedScanner, number: str
) -> tuple[Scan, PackPage]:
    """The packer signs in by badge and opens ``number``, claimed in the central store."""
    scan = scanning(qtbot, window, scanner)
    scan(BADGE)
    page = pack_page(window)
    assert scan(f"ORD-{number}") == f"Order {number} open"
    qtbot.waitUntil(lambda: not page.controller.claim_pending, timeout=15_000)
    assert "not claimed" not in page.subject.text()
    return scan, page


def put_down(window: MainWindow) -> None:
    """Esc, as the packer puts the order down; returns when the window has handled it."""
    QTest.keyClick(pack_page(window), Qt.Key.Key_Escape)


def test_putting_an_order_down_when_the_store_just_died_never_holds_up_the_bench(
    qtbot: QtBot, window: MainWindow, central: Central, gate: Gate, scanner: SimulatedScanner
) -> None:
    scan, page = open_claimed(qtbot, window, scanner, "100234")
    assert claims_held(central) == 1

    gate.shut()  # the central store dies
    put_down(window)
    assert page.subject.text() == "No order open"  # the local leave is committed at once
    with window.station.local(readonly=True) as uow:
        state = uow.session.scalar(
            select(PackSession.state).where(PackSession.order_number == "100234")
        )
    assert state == "paused"
    assert page.controller.releasing == {"100234"}  # its release waits for the store
    ticked: list[bool] = []
    QTimer.singleShot(0, lambda: ticked.append(True))
    qtbot.waitUntil(lambda: bool(ticked), timeout=1_000)  # the GUI thread runs meanwhile
    assert page.controller.releasing == {"100234"}
    assert scan(MUG).endswith("no order is open. Scan the order number or its packing slip first.")
    assert page.controller.releasing == {"100234"}  # the scan was taken while it waited

    gate.open.set()  # the store is back: the release goes through
    qtbot.waitUntil(lambda: not page.controller.releasing, timeout=15_000)
    assert claims_held(central) == 0
    assert not window.fault_band.isVisible()  # the store away was never a fault


@pytest.mark.qt_no_exception_capture
def test_a_bug_while_giving_up_a_claim_is_told_with_its_report(
    qtbot: QtBot,
    window: MainWindow,
    scanner: SimulatedScanner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scan, page = open_claimed(qtbot, window, scanner, "100240")
    monkeypatch.setenv("PACKBENCH_FAULT", "release:100240")
    put_down(window)
    assert page.subject.text() == "No order open"

    band = window.fault_band
    qtbot.waitUntil(band.isVisible, timeout=10_000)
    assert band.message.tone is Tone.WAITING  # a bug's amber band
    text = band.text()
    assert text.startswith(
        "Packbench hit a bug while giving up the claim on order 100240 (not something you did)."
    ), text
    [report] = crash_reports(window.station)
    assert f"The report is at {report}" in text
    assert "DeliberateFault" in report.read_text(encoding="utf-8")
    assert scan("ORD-100240") == "Order 100240 open"  # the bench goes on


@pytest.mark.qt_no_exception_capture
def test_a_bug_while_claiming_is_told_and_the_order_stays_open_unclaimed(
    qtbot: QtBot, window: MainWindow, scanner: SimulatedScanner, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan = scanning(qtbot, window, scanner)
    scan(BADGE)
    page = pack_page(window)
    monkeypatch.setenv("PACKBENCH_FAULT", "claim:100240")
    assert scan("ORD-100240") == "Order 100240 open"
    qtbot.waitUntil(window.fault_band.isVisible, timeout=10_000)
    assert window.fault_band.text().startswith(
        "Packbench hit a bug while claiming order 100240 in the central store"
    )
    assert [report.name for report in crash_reports(window.station)]
    qtbot.waitUntil(lambda: not page.controller.claim_pending, timeout=10_000)
    assert page.subject.text().startswith("ORDER 100240")
