"""Claims at the bench, through the window: asked off the GUI thread, the packer scanning on.

A real window, the serial scanner simulator, a central store that never answers (a socket on
127.0.0.1 that takes connections and says nothing) or one that answers late (its write lock
held while another station claims the order). A refused claim undoes nothing confirmed.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.bootstrap import Station, open_station
from app.config import load_config
from app.db.models import AuditEvent, Order, OrderClaim, OutboxCommand, PackScan, PackSession
from app.domain.status import OrderStatus
from app.domain.users import Actor, Role, permissions_of
from app.services import packing
from app.services.auth import create_user
from app.sync import claims
from devices.sim_printer import SimulatedPrinter
from devices.sim_scale import SimulatedScale
from devices.sim_scanner import SimulatedScanner
from tests.packing import test_pack_station as at_the_bench
from tests.packing.test_pack_station import BADGE, Scan, pack_page
from tests.packing.test_scan_after_sync import scanning
from tests.packing.world import MUG, ready
from tests.sync.stores import Central
from ui.main_window import MainWindow

# The bench of test_pack_station: a window, a serial scanner, a printer and a scale.
devices = at_the_bench.devices
central = at_the_bench.central
bench = at_the_bench.bench
window = at_the_bench.window
scan = at_the_bench.scan


class SilentServer:
    """A TCP port on 127.0.0.1 that takes connections and never says a word."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://packbench@127.0.0.1:{self.port}/central"

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            self._held.append(connection)

    def close(self) -> None:
        self._socket.close()
        for connection in self._held:
            connection.close()


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


def station_home(tmp_path: Path, scanner: SimulatedScanner) -> Path:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text(
        f'[station]\nid = "ST-07"\n[scanner]\nmode = "serial"\nport = "{scanner.path}"\n',
        encoding="utf-8",
    )
    return home


@pytest.fixture
def cut_off(
    tmp_path: Path, central: Central, silent: SilentServer, devices: tuple[object, ...]
) -> Iterator[Station]:
    """A station that pulled the packing world, whose central store then stopped answering."""
    scanner = devices[0]
    assert isinstance(scanner, SimulatedScanner)
    home = station_home(tmp_path, scanner)
    env = {"PACKBENCH_HOME": str(home), "PACKBENCH_CENTRAL_URL": central.url}
    first = open_station(load_config(env))
    ready(first, central.engine)
    create_user(first.local, None, "Tomasz Nowak", Role.PACKER, "5173", badge=BADGE)
    first.close()
    station = open_station(load_config({**env, "PACKBENCH_CENTRAL_URL": silent.url}))
    yield station
    station.close()


def test_a_central_store_that_does_not_answer_never_holds_up_the_scans(
    qtbot: QtBot,
    cut_off: Station,
    devices: tuple[SimulatedScanner, SimulatedPrinter, SimulatedScale],
) -> None:
    window = MainWindow(cut_off)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    try:
        band = scanning(qtbot, window, devices[0])
        band(BADGE)
        page = pack_page(window)
        # The order opens at once; its claim waits for the central store (5 s to give up).
        assert band("ORD-100234") == "Order 100234 open"
        assert page.controller.claim_pending
        assert "not claimed" not in page.subject.text()
        # The packer scans the first item while the claim still waits.
        assert band(MUG) == "MUG-BLUE-350 Blue mug 350 ml: 1 of 2"
        assert page.controller.claim_pending
        assert window.desk is not None and window.desk.scan_band.tone.value == "done"

        # No answer at all: the bench packs on unclaimed, and says so in the header.
        qtbot.waitUntil(lambda: not page.controller.claim_pending, timeout=60_000)
        assert page.subject.text().endswith("not claimed (offline)")
        assert window.desk.scan_band.text() == "MUG-BLUE-350 Blue mug 350 ml: 1 of 2"
        with cut_off.local(readonly=True) as uow:
            s = uow.session
            assert s.scalar(select(func.count()).select_from(PackScan)) == 1
            status = s.scalar(select(Order.status).where(Order.number == "100234"))
            assert status is OrderStatus.PACKING  # the central store hears it when it is back
            kinds = list(s.scalars(select(OutboxCommand.kind)))
            assert kinds == ["order.status"]
    finally:
        qtbot.waitUntil(lambda: window.status.central_checked, timeout=30_000)
        window.shutdown()


def test_a_refused_claim_puts_the_order_down_and_keeps_what_was_scanned(
    qtbot: QtBot,
    window: MainWindow,
    bench: Station,
    central: Central,
    devices: tuple[SimulatedScanner, SimulatedPrinter, SimulatedScale],
) -> None:
    band = scanning(qtbot, window, devices[0])
    band(BADGE)
    page = pack_page(window)
    qtbot.waitUntil(lambda: window.sync.last is not None, timeout=15_000)
    with central.engine.connect() as conn:
        order_id = conn.scalar(select(Order.id).where(Order.number == "100250"))

    # The central store is busy (another station is claiming the order at this moment).
    other = Session(central.engine)
    other.connection()  # BEGIN IMMEDIATE: the central store's write lock
    try:
        assert band("ORD-100250") == "Order 100250 open"
        assert band(MUG) == "MUG-BLUE-350 Blue mug 350 ml: 1 of 2"
        assert page.controller.claim_pending
        until = claims.central_now(other)
        other.add(
            OrderClaim(
                order_id=order_id,
                station="ST-02",
                user_name="Ana",
                claimed_at=until,
                expires_at=until + timedelta(minutes=15),
            )
        )
        other.commit()
    finally:
        other.close()

    assert window.desk is not None
    scan_band = window.desk.scan_band
    qtbot.waitUntil(lambda: scan_band.tone.value == "refused", timeout=30_000)
    said = scan_band.text()
    assert said.startswith("Order 100250 is being packed at ST-02 by Ana until "), said
    assert said.endswith(". What was scanned here (1 item) is kept: scan another order."), said
    assert page.subject.text() == "No order open"
    assert not page.next_band.isVisible()
    with bench.local(readonly=True) as uow:
        s = uow.session
        session = s.scalar(select(PackSession).where(PackSession.order_number == "100250"))
        assert session is not None and session.state == "paused" and not session.claimed
        assert s.scalar(select(func.count()).select_from(PackScan)) == 1
        status = s.scalar(select(Order.status).where(Order.number == "100250"))
        assert status is OrderStatus.ALLOCATED  # this station never said it packs it
        assert list(s.scalars(select(OutboxCommand.kind))) == []
        refused = s.scalar(
            select(AuditEvent.detail).where(AuditEvent.action == "pack.claim_refused")
        )
        assert refused is not None and "(1 item) is kept" in refused

    # Ana gives the order up: scanned again here, it carries on from the kept scan.
    with Session(central.engine) as s:
        s.execute(delete(OrderClaim).where(OrderClaim.order_id == order_id))
        s.commit()
    assert band("ORD-100250") == "Order 100250 open, 1 already packed"
    qtbot.waitUntil(lambda: not page.controller.claim_pending, timeout=15_000)
    assert page.subject.text().startswith("ORDER 100250")
    assert "not claimed" not in page.subject.text()
    assert claims.current_claim(bench, "100250") is not None


def test_an_order_left_unclaimed_is_claimed_when_the_bench_reopens_it(
    qtbot: QtBot, window: MainWindow, bench: Station, scan: Scan
) -> None:
    # Opened while the station knew it was offline, then the station stopped.
    packer = Actor(2, "Tomasz Nowak", Role.PACKER, permissions_of(Role.PACKER), "ST-07")
    packing.open_order(bench, packer, "100234", claim=False)
    assert claims.current_claim(bench, "100234") is None
    scan(BADGE)  # the bench reopens the order as it was left, and claims it now
    page = pack_page(window)
    assert page.subject.text().startswith("ORDER 100234")
    qtbot.waitUntil(lambda: claims.current_claim(bench, "100234") is not None, timeout=15_000)
    held = claims.current_claim(bench, "100234")
    assert held is not None and held.station == "ST-07"
    qtbot.waitUntil(lambda: "not claimed" not in page.subject.text(), timeout=5_000)
