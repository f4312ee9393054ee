"""The Returns desk end to end: the real window signed in by badge, the serial scanner
simulator, a ZPL printer simulator; the clerk uses the scanner (and keys) only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.bootstrap import Station, open_station
from app.config import load_config
from app.db.models import AuditEvent, Invoice, Order
from app.domain.invoicing import Selection
from app.domain.returns import Reason
from app.domain.status import OrderStatus
from app.domain.users import Role, Workspace
from app.services import returns
from app.services.auth import create_user
from app.services.invoicing import issue_invoice
from app.sync.engine import sync_once
from tests.invoicing.world import price
from tests.packing.test_pack_station import Devices, central, devices, window
from tests.packing.world import MUG, SPOON, TEA, ready
from tests.returns.world import on_hand, person, ship
from tests.sync.stores import Central, open_test_station
from ui.main_window import MainWindow
from ui.workspaces.returns import ReturnsPage

CLERK = "B-RETURNS-12"
BOSS = "B-SUPER-03"
Scan = Callable[[str], str]
__all__ = ["central", "devices", "window"]  # the pack station's fixtures, used here


@pytest.fixture
def bench(tmp_path: Path, central: Central, devices: Devices) -> Iterator[Station]:
    """The packing world's station at the returns desk, with a clerk and a supervisor."""
    scanner, printer, _ = devices
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text(
        f"""
[station]
id = "ST-01"
[scanner]
mode = "serial"
port = "{scanner.path}"
[printer]
transport = "tcp"
address = "{printer.address}"
""",
        encoding="utf-8",
    )
    config = load_config({"PACKBENCH_HOME": str(home), "PACKBENCH_CENTRAL_URL": central.url})
    station = open_station(config)
    ready(station, central.engine)
    create_user(station.local, None, "Rosa Lind", Role.RETURNS, "5173", badge=CLERK)
    create_user(station.local, None, "Maria Keller", Role.SUPERVISOR, "8642", badge=BOSS)
    yield station
    station.close()


@pytest.fixture
def scan(qtbot: QtBot, window: MainWindow, devices: Devices) -> Scan:
    """Scan a code with the serial scanner; the band's text once the window took it."""
    scanner = devices[0]
    qtbot.waitUntil(lambda: scanner.wait_for_reader(0.01), timeout=10_000)

    def do(code: str) -> str:
        seen: list[object] = []
        window.scanning.hub.scan_read.connect(seen.append)
        scanner.scan(code)
        qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
        window.scanning.hub.scan_read.disconnect(seen.append)
        QApplication.processEvents()
        # A return is opened and confirmed off the GUI thread: read the band once it answered.
        qtbot.waitUntil(lambda: not confirming(window), timeout=15_000)
        return window.desk.scan_band.text() if window.desk is not None else ""

    return do


def confirming(window: MainWindow) -> bool:
    page = window.desk.current_page if window.desk is not None else None
    return isinstance(page, ReturnsPage) and page.controller.busy


def page_of(window: MainWindow) -> ReturnsPage:
    assert window.desk is not None
    page = window.desk.current_page
    assert isinstance(page, ReturnsPage)
    return page


def refused(window: MainWindow) -> bool:
    return window.desk is not None and window.desk.scan_band.tone.value == "refused"


class MouseCounter(QObject):
    """Counts every mouse press, release and double click the application sees."""

    KINDS = (
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
    )

    def __init__(self) -> None:
        super().__init__()
        self.events = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self.KINDS:
            self.events += 1
        return False


def test_a_two_item_parcel_found_by_its_sscc_is_returned_with_no_mouse_event(
    qtbot: QtBot,
    window: MainWindow,
    bench: Station,
    scan: Scan,
    devices: Devices,
) -> None:
    _, sscc = ship(bench, "100240", {1: 2})
    counter = MouseCounter()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(counter)
    try:
        scan(CLERK)
        page = page_of(window)
        assert "Order 100240 (Jürgen Müller), shipped" in scan(sscc)
        assert "ORDER 100240" in page.subject.text()
        assert [(x.sku, x.shipped, x.returnable) for x in page.lines_model._rows] == [
            ("TEA-EARL-100", 2, 2)
        ]
        assert "TEA-EARL-100: 1 of 2 back" in scan(TEA)
        assert "restock to A-02-1" in scan(TEA)
        assert "Refund" in scan("%PB:OK")
        assert "Refund" in page.refund_label.text()
        assert "confirmed" in scan("%PB:OK")
    finally:
        app.removeEventFilter(counter)
    assert counter.events == 0
    assert on_hand(bench, "TEA-EARL-100") == {"A-02-1": 20}
    with bench.local(readonly=True) as uow:
        order = uow.session.scalar(select(Order).where(Order.number == "100240"))
        assert order is not None and order.status is OrderStatus.RETURNED
    printer = devices[1]
    assert printer.wait_for_labels(2, timeout=15), "a bin label per unit restocked"
    assert "RA-ST-01" in " ".join(page.idle.text().split())


def test_found_by_item_newest_first_and_by_serial_refusals_and_the_unexpected_item(
    qtbot: QtBot, window: MainWindow, bench: Station, scan: Scan
) -> None:
    ship(bench, "100234", {1: 2, 2: 3, 3: 1}, {3: ("SP-0001",)}, days_ago=3)
    ship(bench, "100250", {1: 2}, days_ago=1)
    ship(bench, "100240", {1: 2}, days_ago=2)
    scan(CLERK)
    page = page_of(window)

    assert "2 recent orders shipped it" in scan(MUG)
    assert [c.order_number for c in page.candidates._rows] == ["100250", "100234"]
    assert page.stack.currentWidget() is page.candidates_table
    assert "Order 100234" in scan("ORD-100234")

    assert "Order 100234" in scan("SP-0001")  # found by the serial
    assert "now scan its serial number" in scan(SPOON)
    assert "SP-0002 did not ship" in scan("SP-0002")
    assert refused(window)
    assert "serial SP-0001" in scan("SP-0001")
    scan(MUG)
    scan(MUG)
    assert "Only 0 of MUG-BLUE-350" in scan(MUG)  # over-return, with the count
    assert refused(window)

    assert "Order 100240" in scan("ORD-100240")  # the first return is saved
    assert "not in order 100240" in scan(MUG)
    assert refused(window)
    assert "OK takes it in" in page.next_band.text()
    assert "(unexpected)" in scan("%PB:OK")
    assert "can only be quarantined" in scan("%PB:RESTOCK")
    assert refused(window)


def test_stock_per_bin_after_each_disposition(
    qtbot: QtBot, window: MainWindow, bench: Station, scan: Scan
) -> None:
    ship(bench, "100234", {1: 2, 2: 3, 3: 1}, {3: ("SP-0001",)})
    scan(CLERK)
    page = page_of(window)
    scan("ORD-100234")
    assert "restock to A-02-1" in scan(TEA)  # no longer wanted: restocked by default
    scan(TEA)
    assert "restock to A-01-1" in scan("A-01-1")  # the bin's label: restocked there instead
    scan(TEA)
    assert "quarantine" in scan("%PB:QUARANTINE")
    scan(MUG)
    QTest.keyClick(page, Qt.Key.Key_F7)  # the reason moves on, by key: "arrived late"
    assert page.units_model._rows[-1].reason is Reason.ARRIVED_LATE
    assert "scrap" in scan("%PB:SCRAP")
    assert "confirmed" in (scan("%PB:OK"), scan("%PB:OK"))[1]
    assert on_hand(bench, "TEA-EARL-100") == {"A-02-1": 18, "A-01-1": 1}
    assert on_hand(bench, "MUG-BLUE-350") == {"A-01-1": 18}


def test_a_partial_return_of_a_partly_shipped_partly_invoiced_order_credits_only_the_invoiced(
    qtbot: QtBot, window: MainWindow, bench: Station, scan: Scan
) -> None:
    boss = person(bench, Role.SUPERVISOR, "Maria Keller")
    price(bench, "100250", "10.00", "0.20")
    ship(bench, "100250", {1: 2})  # the tea is still to ship
    issue_invoice(bench, boss, "100250", Selection.of_quantities({"MUG-BLUE-350": 1}))
    scan(CLERK)
    page = page_of(window)
    scan("ORD-100250")
    scan(MUG)
    scan(MUG)
    assert "Refund " in scan("%PB:OK")
    assert "2 × MUG-BLUE-350: 24.00 EUR" in page.refund_lines.text()
    assert "Credit note for 1 × MUG-BLUE-350" in page.refund_lines.text()
    assert "confirmed" in scan("%PB:OK")
    assert "confirmed. Scan the next parcel" in page.next_band.text()
    with bench.local(readonly=True) as uow:
        done = page.controller.last_confirmed
        assert done is not None
        credits = uow.session.scalars(
            select(Invoice).where(Invoice.number.in_(done.credit_notes))
        ).all()
        assert [c.gross for c in credits] == [Decimal("12.00")]  # one of the two mugs billed


def test_a_late_return_is_refused_for_a_clerk_and_accepted_by_a_supervisor_with_the_reason(
    qtbot: QtBot, window: MainWindow, bench: Station, scan: Scan
) -> None:
    ship(bench, "100240", {1: 2}, days_ago=45)
    scan(CLERK)
    page = page_of(window)
    assert "LATE" in scan("ORD-100240")
    assert "the return window is 30 days" in scan(TEA)
    assert refused(window)
    scan("%PB:SIGN-OUT")
    scan(BOSS)
    assert window.desk is not None
    window.desk.open_workspace(Workspace.RETURNS)
    page = page_of(window)
    scan("ORD-100240")
    scan(TEA)
    assert page.reason.isVisible()
    QTest.keyClicks(page.reason, "courier lost it for weeks")
    QTest.keyClick(page.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not page.controller.busy, timeout=15_000)
    assert "opened late, accepted by Maria Keller: courier lost it for weeks" in (
        window.desk.scan_band.text()
    )
    assert "accepted late by Maria Keller" in page.subject.text()
    assert page.units_model.rowCount() == 1
    with bench.local(readonly=True) as uow:
        detail = uow.session.scalar(
            select(AuditEvent.detail).where(AuditEvent.action == "return.open")
        )
    assert detail is not None and "accepted late by Maria Keller: courier lost it" in detail


def test_a_return_left_half_way_is_resumed_by_its_ra_and_the_report_is_saved_as_csv(
    qtbot: QtBot, window: MainWindow, bench: Station, scan: Scan, tmp_path: Path
) -> None:
    ship(bench, "100234", {1: 2, 2: 3, 3: 1}, {3: ("SP-0001",)})
    scan(CLERK)
    page = page_of(window)
    scan("ORD-100234")
    scan(TEA)
    scan(MUG)
    assert page.controller.view is not None
    ra = page.controller.view.number
    QTest.keyClick(page, Qt.Key.Key_Escape)  # put down, saved
    assert f"{ra} saved" in window.desk.scan_band.text()  # type: ignore[union-attr]
    assert f"{ra} (order 100234, 2 back)" in page.idle.text()
    assert "resumed: 2 units already taken back" in scan(ra)
    assert page.units_model.rowCount() == 2
    scan("%PB:OK")
    assert "confirmed" in scan("%PB:OK")
    assert "confirmed. Scan the next parcel" in page.next_band.text()

    QTest.keyClick(page, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: page.report.report is not None, timeout=10_000)
    by_reason = page.report.models["reason"]
    assert [by_reason.row_at(i) for i in range(by_reason.rowCount())] == [("No longer wanted", 2)]
    by_product = page.report.models["product"]
    assert {by_product.row_at(i)[0] for i in range(by_product.rowCount())} == {
        "MUG-BLUE-350",
        "TEA-EARL-100",
    }
    target = tmp_path / "returns.csv"
    page.report.ask_path = lambda name: str(target)
    QTest.keyClick(page.report, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "reason,sku,disposition,units,returns"
    assert sorted(lines[1:]) == [
        "no_longer_wanted,MUG-BLUE-350,restock,1,1",
        "no_longer_wanted,TEA-EARL-100,restock,1,1",
    ]
    assert "Saved 2 rows" in page.report.band.text()


def test_an_ra_saved_open_at_another_station_is_taken_over_by_scanning_it(
    qtbot: QtBot, window: MainWindow, bench: Station, central: Central, scan: Scan, tmp_path: Path
) -> None:
    other = open_test_station(tmp_path / "st-02", central.url, "ST-02")
    try:
        sync_once(other)
        there = person(other, Role.RETURNS, "Sam Okafor")
        ship(other, "100234", {1: 2, 2: 3, 3: 1}, {3: ("SP-0001",)})
        ra = returns.open_return(other, there, "100234").number
        returns.receive(other, there, ra, TEA)
        sync_once(other)  # the shipment and the open return reach the central store
    finally:
        other.close()
    sync_once(bench)
    scan(CLERK)
    page = page_of(window)
    assert f"{ra} (order 100234) resumed: 1 unit already taken back" in scan(ra)
    assert page.units_model.rowCount() == 1
    with bench.local(readonly=True) as uow:
        taken = uow.session.scalar(
            select(AuditEvent.detail).where(AuditEvent.action == "return.taken_over")
        )
    assert taken == f"{ra} taken over from ST-02"
    assert "TEA-EARL-100: 2 of 3 back" in scan(TEA)
    scan("%PB:OK")
    assert f"{ra} confirmed" in scan("%PB:OK")
    assert returns.resume(bench, person(bench, Role.RETURNS), ra).received == 2
