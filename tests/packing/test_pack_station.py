"""The packing bench end to end: a real window, a serial scanner, a ZPL printer and a SICS scale,
all simulated on real ptys and sockets; the packer uses the scanner only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.bootstrap import Station, open_station
from app.config import load_config
from app.db.models import Order, PrintJob
from app.domain.status import OrderStatus
from app.domain.users import Role, Workspace
from app.services.auth import create_user
from devices.sim_printer import SimulatedPrinter
from devices.sim_scale import SimulatedScale
from devices.sim_scanner import SimulatedScanner
from printing.zpl import parse_zpl_fields
from tests.packing.world import MUG, SPOON, TEA, TEA_CASE, UNKNOWN, ready
from tests.sync.stores import Central, sqlite_central
from ui.main_window import MainWindow
from ui.workspaces.pack import PackPage

BADGE = "B-PACKER-77"
Devices = tuple[SimulatedScanner, SimulatedPrinter, SimulatedScale]


@pytest.fixture
def devices(tmp_path: Path) -> Iterator[tuple[SimulatedScanner, SimulatedPrinter, SimulatedScale]]:
    with (
        SimulatedScanner(tmp_path / "scanner") as scanner,
        SimulatedPrinter(directory=tmp_path / "labels") as printer,
        SimulatedScale(tmp_path / "scale") as scale,
    ):
        printer.start()
        yield scanner, printer, scale


@pytest.fixture
def central(tmp_path: Path) -> Iterator[Central]:
    with sqlite_central(tmp_path / "central") as store:
        yield store


@pytest.fixture
def bench(
    tmp_path: Path,
    central: Central,
    devices: tuple[SimulatedScanner, SimulatedPrinter, SimulatedScale],
) -> Iterator[Station]:
    scanner, printer, scale = devices
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text(
        f"""
[station]
id = "ST-07"
[scanner]
mode = "serial"
port = "{scanner.path}"
[printer]
transport = "tcp"
address = "{printer.address}"
[scale]
port = "{scale.path}"
""",
        encoding="utf-8",
    )
    config = load_config({"PACKBENCH_HOME": str(home), "PACKBENCH_CENTRAL_URL": central.url})
    assert config.scanner.mode == "serial", "the test config was not read"
    station = open_station(config)
    ready(station, central.engine)
    create_user(station.local, None, "Tomasz Nowak", Role.PACKER, "5173", badge=BADGE)
    yield station
    station.close()


@pytest.fixture
def window(qtbot: QtBot, bench: Station) -> Iterator[MainWindow]:
    window = MainWindow(bench)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    yield window
    qtbot.waitUntil(lambda: window.status.central_checked, timeout=10_000)
    window.shutdown()


Scan = Callable[[str], str]


@pytest.fixture
def scan(
    qtbot: QtBot,
    window: MainWindow,
    devices: tuple[SimulatedScanner, SimulatedPrinter, SimulatedScale],
) -> Scan:
    """Scan a code with the serial scanner; returns the band's text once the window took it."""
    scanner = devices[0]
    qtbot.waitUntil(lambda: scanner.wait_for_reader(0.01), timeout=10_000)

    def do(code: str) -> str:
        seen: list[object] = []
        window.scanning.hub.scan_read.connect(seen.append)
        scanner.scan(code)
        qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
        window.scanning.hub.scan_read.disconnect(seen.append)
        QApplication.processEvents()
        band = window.desk.scan_band if window.desk is not None else None
        return band.text() if band is not None else ""

    return do


def pack_page(window: MainWindow) -> PackPage:
    assert window.desk is not None
    page = window.desk.current_page
    assert isinstance(page, PackPage)
    return page


def test_a_two_parcel_order_is_packed_weighed_and_labelled_with_scans_only(
    qtbot: QtBot,
    window: MainWindow,
    bench: Station,
    scan: Scan,
    devices: tuple[SimulatedScanner, SimulatedPrinter, SimulatedScale],
) -> None:
    _, printer, scale = devices
    scan(BADGE)
    assert window.actor is not None and window.actor.name == "Tomasz Nowak"
    page = pack_page(window)
    assert "No order open" in page.subject.text()

    assert "Order 100234 open" in scan("ORD-100234")
    assert "ORDER 100234" in page.subject.text()
    assert "ship to: Jürgen Müller, Berlin DE" in page.subject.text()

    assert "MUG-BLUE-350 Blue mug 350 ml: 1 of 2" in scan(MUG)
    assert window.desk is not None and window.desk.scan_band.tone.value == "done"
    assert "2 of 2" in scan(MUG)
    assert "2 of 2 already packed" in scan(MUG)
    assert window.desk.scan_band.tone.value == "refused"
    assert "Unknown barcode" in scan(UNKNOWN)

    scale.put(2 * 380 + 150)  # two mugs in box S
    qtbot.waitUntil(lambda: page.context.scale.stable_grams() == 910, timeout=10_000)
    assert "Parcel 1 closed" in scan("%PB:CLOSE")
    assert page.parcel_label.text() == "Parcel 2 of 2"
    scale.remove()

    assert "Box M" in scan("%PB:BOX:M")
    assert "6 more would make 6 of 3" in scan(TEA_CASE)
    assert "Quantity 3" in scan("%PB:QTY:3")
    assert "Earl Grey 100 g ×3: 3 of 3" in scan(TEA)
    assert "now scan its serial number" in scan(SPOON)
    assert "product barcode, not the serial" in scan(SPOON)
    assert "serial SN-0042: 1 of 1" in scan("SN-0042")
    assert page.controller.view is not None and page.controller.view.all_packed

    scale.put(3 * 110 + 240 + 260 + 600)  # 600 g too much: a brick in the box?
    qtbot.waitUntil(lambda: page.context.scale.stable_grams() == 1430, timeout=10_000)
    assert "confirm it (OK)" in scan("%PB:CLOSE")
    assert "outside" in page.next_band.text() or "expected" in page.next_band.text()
    assert "Confirm the weight first" in scan(MUG)
    assert "shipped: ST-07-S000001, 2 parcels" in scan("%PB:OK")

    assert printer.wait_for_labels(2, timeout=15)
    both = " ".join(f.data for label in printer.printed for f in parse_zpl_fields(label))
    assert "Jürgen Müller" in both and "Parcel 1 of 2" in both and "Parcel 2 of 2" in both
    with bench.local(readonly=True) as uow:
        status = uow.session.scalar(select(Order.status).where(Order.number == "100234"))
        assert status is OrderStatus.SHIPPED

    def jobs() -> list[tuple[str, str]]:
        with bench.local(readonly=True) as uow:
            return [(j.kind, j.state) for j in uow.session.scalars(select(PrintJob))]

    qtbot.waitUntil(lambda: all(state == "sent" for _, state in jobs()), timeout=10_000)
    assert sorted(jobs()) == [("label", "sent"), ("label", "sent"), ("slip", "sent")]
    assert len(printer.printed) == 2  # once each, never twice
    slips = list((bench.config.paths.documents_dir).glob("slip-ST-07-S000001*.pdf"))
    assert len(slips) == 1


def test_a_supervisor_ships_part_of_an_order_with_a_reason_typed_at_the_bench(
    qtbot: QtBot,
    window: MainWindow,
    bench: Station,
    scan: Scan,
    devices: Devices,
) -> None:
    create_user(bench.local, None, "Helen Marsh", Role.SUPERVISOR, "8264", badge="B-SUP-77")
    _, printer, scale = devices
    scan("B-SUP-77")
    assert window.desk is not None
    window.desk.open_workspace(Workspace.PACK)
    page = pack_page(window)
    scan("ORD-100250")
    scan(MUG)
    scan(MUG)
    assert "Earl Grey 100 g: 1 of 3" in scan(TEA)
    assert "only 1 of 3 are in stock" in scan(TEA)
    scale.put(2 * 380 + 110 + 150)
    qtbot.waitUntil(lambda: page.context.scale.stable_grams() == 1020, timeout=10_000)
    assert "type the reason" in scan("%PB:SHIP-PARTIAL")
    assert page.reason.isVisible()
    # This bench's scanner is serial, so typing speed does not matter (QTest's key delay
    # would hold the interpreter lock and starve the scale's reader thread).
    qtbot.keyClicks(page.reason, "TEA-EARL-100 out of stock")
    qtbot.keyClick(page.reason, Qt.Key.Key_Return)
    assert "100250 part-shipped (backorder stays open)" in window.desk.scan_band.text()
    with bench.local(readonly=True) as uow:
        order = uow.session.scalar(select(Order).where(Order.number == "100250"))
        assert order is not None and order.status is OrderStatus.PARTIALLY_SHIPPED
        assert [line.quantity_shipped for line in order.lines] == [2, 1]
    assert printer.wait_for_labels(1, timeout=15)
