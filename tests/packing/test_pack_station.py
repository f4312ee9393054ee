"""The packing bench end to end: a real window, a serial scanner, a ZPL printer and a SICS scale,
all simulated on real ptys and sockets; the packer uses the scanner only."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.bootstrap import Station, open_station
from app.config import load_config
from app.db.models import AuditEvent, Order, PackParcel, PrintJob, Shipment
from app.domain.status import OrderStatus
from app.domain.users import Role, Workspace
from app.services.auth import create_user
from app.sync import claims
from app.sync.engine import sync_once
from devices.sim_printer import SimulatedPrinter
from devices.sim_scale import SimulatedScale
from devices.sim_scanner import SimulatedScanner
from printing.zpl import parse_zpl_fields
from tests.packing.world import (
    CUP,
    CUP_ITEM,
    MUG,
    SPOON,
    TEA,
    TEA_CASE,
    TEA_ITEM,
    UNKNOWN,
    add_orders,
    ready,
)
from tests.printing.readback import text_of
from tests.stock_checks import line_chains, on_hand_of, stock_problems
from tests.sync.stores import Central, open_test_station, sqlite_central
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
        # An order's claim is answered off the GUI thread: read the band once it has been.
        qtbot.waitUntil(lambda: not claiming(window), timeout=15_000)
        band = window.desk.scan_band if window.desk is not None else None
        return band.text() if band is not None else ""

    return do


def claiming(window: MainWindow) -> bool:
    """The Pack bench waits for the central store's answer to a claim."""
    page = window.desk.current_page if window.desk is not None else None
    return isinstance(page, PackPage) and bool(page.controller.claiming)


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
    central: Central,
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
    # Along the chain (ordered, allocated, picked, packed, shipped): what shipped was picked
    # and packed on the way; the two teas not in stock stay open. The units left the bins,
    # here and, once pushed, centrally.
    assert line_chains(bench.local_engine, "100250") == [(2, 2, 2, 2, 2), (3, 1, 1, 1, 1)]
    assert on_hand_of(bench.local_engine, "MUG-BLUE-350") == (18, 2)  # 100234's mugs held
    assert on_hand_of(bench.local_engine, "TEA-EARL-100") == (19, 5)
    assert stock_problems(bench.local_engine) == []
    assert sync_once(bench).online
    assert line_chains(central.engine, "100250") == [(2, 2, 2, 2, 2), (3, 1, 1, 1, 1)]
    assert on_hand_of(central.engine, "TEA-EARL-100") == (19, 5)
    assert stock_problems(central.engine) == []
    assert printer.wait_for_labels(1, timeout=15)


def supervisor_at_the_bench(window: MainWindow, bench: Station, scan: Scan) -> PackPage:
    create_user(bench.local, None, "Helen Marsh", Role.SUPERVISOR, "8264", badge="B-SUP-77")
    scan("B-SUP-77")
    assert window.desk is not None
    window.desk.open_workspace(Workspace.PACK)
    return pack_page(window)


def pack_part_of_100250(qtbot: QtBot, page: PackPage, scan: Scan, scale: SimulatedScale) -> None:
    """Two mugs and the one tea in stock of three, on the scale at 1.500 kg (1.020 expected)."""
    scan("ORD-100250")
    scan(MUG)
    scan(MUG)
    assert "Earl Grey 100 g: 1 of 3" in scan(TEA)
    scale.put(1500)
    qtbot.waitUntil(lambda: page.context.scale.stable_grams() == 1500, timeout=10_000)


def type_reason(qtbot: QtBot, page: PackPage, reason: str) -> None:
    assert page.reason.isVisible()
    page.reason.clear()
    qtbot.keyClicks(page.reason, reason)
    qtbot.keyClick(page.reason, Qt.Key.Key_Return)


def slip_text(bench: Station, qtbot: QtBot, tmp_path: Path) -> str:
    def slips() -> list[Path]:
        return list(bench.config.paths.documents_dir.glob("slip-*.pdf"))

    qtbot.waitUntil(lambda: len(slips()) == 1, timeout=15_000)
    return text_of(slips()[0].read_bytes(), tmp_path)


def test_ship_partial_with_an_odd_weight_ships_on_one_ok_and_keeps_the_reason(
    qtbot: QtBot, window: MainWindow, bench: Station, scan: Scan, devices: Devices, tmp_path: Path
) -> None:
    _, printer, scale = devices
    page = supervisor_at_the_bench(window, bench, scan)
    pack_part_of_100250(qtbot, page, scan, scale)
    assert "type the reason" in scan("%PB:SHIP-PARTIAL")
    type_reason(qtbot, page, "holder broken, only 1")
    assert window.desk is not None
    band = window.desk.scan_band.text()
    assert "Weight 1.500 kg: confirm it (OK)" in band, band  # not the stale reason prompt
    assert "weighs 1.500 kg, expected 0.918–1.122 kg" in page.next_band.text()
    assert not page.reason.isVisible()

    assert "Order 100250 part-shipped (backorder stays open): ST-07-S000001, 1 parcel;" in scan(
        "%PB:OK"
    )

    with bench.local(readonly=True) as uow:
        s = uow.session
        order = s.scalar(select(Order).where(Order.number == "100250"))
        assert order is not None and order.status is OrderStatus.PARTIALLY_SHIPPED
        assert [line.quantity_shipped for line in order.lines] == [2, 1]
        shipment = s.scalar(select(Shipment))
        assert shipment is not None and shipment.partial
        assert shipment.partial_reason == "holder broken, only 1"
        assert [p.weight_g for p in shipment.parcels] == [1500]
        parcels = [
            (p.parcel_no, p.state, p.weight_accepted_by) for p in s.scalars(select(PackParcel))
        ]
        assert parcels == [(1, "closed", "Helen Marsh")]  # no parcel 2 was opened
        shipped = s.scalar(select(AuditEvent.detail).where(AuditEvent.action == "pack.ship"))
        assert shipped is not None and "partial: holder broken, only 1" in shipped
    assert printer.wait_for_labels(1, timeout=15)
    slip = slip_text(bench, qtbot, tmp_path)
    assert "holder broken" not in slip and "Note" not in slip
    assert slip.count("Partial shipment — the rest follows") == 1


def test_weighing_again_inside_ship_partial_keeps_the_reason(
    qtbot: QtBot, window: MainWindow, bench: Station, scan: Scan, devices: Devices
) -> None:
    _, _, scale = devices
    page = supervisor_at_the_bench(window, bench, scan)
    pack_part_of_100250(qtbot, page, scan, scale)
    scan("%PB:SHIP-PARTIAL")
    type_reason(qtbot, page, "TEA-EARL-100 out of stock")
    assert "confirm it (OK)" in window.desk.scan_band.text() if window.desk else False

    scan("%PB:CANCEL")  # the box had a roll of tape in it: weigh again
    assert page.reason.isVisible() and page.reason.text() == "TEA-EARL-100 out of stock"
    assert "Weigh the parcel again" in page.next_band.text()
    scale.put(1020)
    qtbot.waitUntil(lambda: page.context.scale.stable_grams() == 1020, timeout=10_000)
    qtbot.keyClick(page.reason, Qt.Key.Key_Return)

    assert window.desk is not None
    assert "100250 part-shipped" in window.desk.scan_band.text()
    with bench.local(readonly=True) as uow:
        shipment = uow.session.scalar(select(Shipment))
        assert shipment is not None and shipment.partial_reason == "TEA-EARL-100 out of stock"
        assert [p.weight_g for p in shipment.parcels] == [1020]


def test_an_item_wanted_by_other_open_orders_names_them_up_to_three(
    qtbot: QtBot, window: MainWindow, bench: Station, central: Central, scan: Scan
) -> None:
    more = [(n, [(TEA_ITEM, 1, 1)]) for n in ("100261", "100262", "100263")]
    add_orders(central.engine, [*more, ("100270", [(CUP_ITEM, 1, 1)])])
    sync_once(bench)
    scan(BADGE)
    scan("ORD-100234")
    assert scan(CUP) == (
        "CUP-RED-200 is not on order 100234. It is on open order 100270: put it with that order."
    )
    scan("ORD-100270")
    assert scan(TEA) == (
        "TEA-EARL-100 is not on order 100270. It is on open orders 100234, 100240, 100250 "
        "and 3 more: put it aside for one of them."
    )
    scan("ORD-100240")
    assert scan(TEA).startswith("TEA-EARL-100 Earl Grey 100 g: 1 of 2")


# What a packer reads must not say "1 items", start a sentence in lower case, put a colon
# after a full stop, or name the application twice in the title.
WORDING_FAULTS = {
    "a plural after one": re.compile(
        r"(?<![\d.,])1 (items|parcels|labels|documents|units|lines|orders|users|tries)\b"
    ),
    "lower case after a full stop": re.compile(r"(?<![.\d])\.\s+[a-z]"),
    "punctuation after a full stop": re.compile(r"(?<!\.)\.[:;,]"),
    "two full stops": re.compile(r"(?<!\.)\.\.(?!\.)"),
    "the application named twice": re.compile(r"Packbench.*Packbench"),
}


def bench_texts(window: MainWindow) -> list[str]:
    """Every text the window shows a packer now: title, bands, header, parcel panel."""
    texts = [window.windowTitle()]
    if window.desk is not None:
        texts.append(window.desk.scan_band.text())
        page = window.desk.current_page
        if isinstance(page, PackPage):
            labels = (page.subject, page.idle, page.parcel_label, page.box_label)
            labels += (page.weight_note, page.expected_label, page.parcels_label)
            texts += [label.text() for label in labels]
            texts += [page.next_band.text(), page.print_band.text()]
    return [t for t in texts if t]


def test_the_bench_counts_and_punctuates_what_it_says(
    qtbot: QtBot, window: MainWindow, bench: Station, central: Central, scan: Scan,
    devices: Devices, tmp_path: Path,
) -> None:  # fmt: skip
    _, _, scale = devices
    seen: list[str] = []

    def step(code: str) -> str:
        said = scan(code)
        seen.extend(bench_texts(window))
        return said

    other = open_test_station(tmp_path / "st-02", central.url, "ST-02")
    try:
        sync_once(other)
        claims.claim_order(other, "100250", "Ana")
    finally:
        other.close()

    step(BADGE)
    step("ORD-100234")
    step(MUG)
    assert pack_page(window).expected_label.text().startswith("1 item in this parcel")
    scale.put(380 + 150)
    qtbot.waitUntil(lambda: pack_page(window).context.scale.stable_grams() == 530, timeout=10_000)
    assert "Parcel 1 closed" in step("%PB:CLOSE")
    assert pack_page(window).parcels_label.text().startswith("Parcel 1: closed, 1 item, 0.530 kg")
    scale.remove()
    step(TEA)
    step("%PB:UNDO")
    step(UNKNOWN)
    step(MUG)

    assert window.desk is not None
    qtbot.mouseClick(window.desk.sign_out_button, Qt.MouseButton.LeftButton)
    step(BADGE)  # the bench reopens the order as it was left
    assert pack_page(window).next_band.text() == (
        "Order 100234 reopened as it was left: 2 items already packed. "
        "Scan 3 more TEA-EARL-100, then SPOON-SET-4."
    )
    refused = step("ORD-100250")
    assert refused.startswith("Order 100250 is being packed at ST-02 by Ana until ")
    assert refused.endswith(": scan another order.") and ".:" not in refused

    step("ORD-100240")
    step(TEA)
    qtbot.mouseClick(window.desk.sign_out_button, Qt.MouseButton.LeftButton)
    step(BADGE)
    assert (
        pack_page(window)
        .next_band.text()
        .startswith(
            "Order 100240 reopened as it was left: 1 item already packed. Scan 1 more TEA-EARL-100."
        )
    )
    step(TEA)
    scale.put(2 * 110 + 150)
    qtbot.waitUntil(lambda: pack_page(window).context.scale.stable_grams() == 370, timeout=10_000)
    assert "shipped: ST-07-S000001, 1 parcel;" in step("%PB:CLOSE")
    assert step("%PB:REPRINT").startswith("Reprinting 1 label of ST-07-S000001")

    assert len(seen) > 40
    faults = [
        (fault, text)
        for text in dict.fromkeys(seen)
        for fault, pattern in WORDING_FAULTS.items()
        if pattern.search(text)
    ]
    assert faults == []
