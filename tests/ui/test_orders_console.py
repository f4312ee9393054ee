"""The supervisor's Orders workspace over 100,000 orders, driven as a person drives it.

One station file with 100,000 orders (``app.benchmarks.order_data``, bulk inserts) and the
GUI tests' handful is made once for the module; each test copies it, so a release or a void
in one test is not seen by another. A supervisor signs in with their badge and works with
the keyboard and the mouse: segments, the find box, the filters, Enter on a row, the
release and void dialogs.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.benchmarks.order_data import fill_orders, sscc_of
from app.bootstrap import Station, open_station
from app.config import load_config
from app.db.models import Order, OrderLine, OutboxCommand, StockLevel
from app.domain.errors import DomainError, NotAllowed
from app.domain.search import fold
from app.domain.status import OrderStatus
from app.domain.users import Actor, Role, Workspace, permissions_of
from app.services import packing
from app.services.order_search import Segment, prepare_search
from app.services.orders import void_order
from tests.ui.conftest import ORDERS, add_orders, add_people
from ui.main_window import MainWindow
from ui.workspaces.order_detail import NoteDialog, OrderDetailDialog
from ui.workspaces.orders import OrdersPage, OrdersTableModel

if TYPE_CHECKING:
    from tests.ui.conftest import Keyboard

MANY = 100_000
TYPING_MS = 60
# The offscreen platform cannot size a dialog's window as its contents ask: it says so.
OFFSCREEN_DIALOG = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A station's home with 100,000 orders, made once; its search words folded."""
    home = tmp_path_factory.mktemp("orders-100k")
    station = open_station(load_config(env={"PACKBENCH_HOME": str(home)}))
    add_people(station)
    fill_orders(station.local_engine, MANY)
    add_orders(station, ORDERS)
    prepare_search(station.local)
    station.close()
    return home


@pytest.fixture
def station(template: Path, tmp_path: Path) -> Iterator[Station]:
    home = tmp_path / "home"
    shutil.copytree(template, home)
    opened = open_station(load_config(env={"PACKBENCH_HOME": str(home)}))
    yield opened
    opened.close()


@pytest.fixture
def page(window: MainWindow, keyboard: Keyboard, qtbot: QtBot) -> Iterator[OrdersPage]:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    keyboard.sign_in(window, Role.SUPERVISOR)
    assert window.desk is not None
    window.desk.open_workspace(Workspace.ORDERS)
    page = window.desk.current_page
    assert isinstance(page, OrdersPage)
    qtbot.waitUntil(lambda: window.status.central_checked, timeout=10_000)  # may sync
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and page.matching is not None)
    qtbot.waitUntil(lambda: bool(page.counts))
    yield page
    page.reader.wait()


def cells(page: OrdersPage, name: str) -> list[str]:
    c = OrdersTableModel.COLUMNS.index(name)
    m = page.model
    return [m.data(m.index(r, c)) for r in range(m.rowCount())]


def search(page: OrdersPage, qtbot: QtBot, text: str) -> None:
    page.find_field.setFocus()
    page.find_field.clear()
    before = page.generation
    qtbot.keyClicks(page.find_field, text, delay=TYPING_MS)
    qtbot.waitUntil(lambda: page.generation > before and page.shown_generation == page.generation)
    qtbot.waitUntil(lambda: page.matching is not None)


def test_segments_count_every_order_and_the_table_reads_a_page_at_a_time(
    page: OrdersPage, qtbot: QtBot, station: Station
) -> None:
    total = MANY + len(ORDERS)
    assert page.counts[Segment.ALL] == total
    assert page.segment_buttons[Segment.ALL].text() == f"All  {total:,}"
    with station.local(readonly=True) as uow:
        held = uow.session.scalar(
            select(func.count()).select_from(Order).where(Order.status == OrderStatus.ON_HOLD)
        )
    assert page.segment_buttons[Segment.ON_HOLD].text() == f"On hold  {held:,}"
    assert page.segment_buttons[Segment.SHORT_PICKS].text() == "Short picks  0"  # none waits
    assert page.subject.text() == f"{total:,} orders"
    assert page.model.rowCount() == 200  # one page, not 100,000 rows
    placed = [page.model.row_at(r).placed_at for r in range(200)]
    assert placed == sorted(placed, reverse=True)

    page.table.scrollToBottom()  # the view asks for the next page
    qtbot.waitUntil(lambda: page.model.rowCount() == 400)

    page.choose_segment(Segment.ON_HOLD)
    qtbot.waitUntil(lambda: page.matching == held)
    assert {page.model.row_at(r).status for r in range(page.model.rowCount())} == {
        OrderStatus.ON_HOLD
    }
    assert all(": " in text for text in cells(page, "Status"))  # why each is held


def test_the_search_finds_by_customer_email_sku_sscc_shipment_and_number(
    page: OrdersPage, qtbot: QtBot
) -> None:
    search(page, qtbot, "muller")  # no umlaut on the keyboard
    assert page.model.rowCount() == 200
    assert all("muller" in fold(c) for c in cells(page, "Customer"))
    assert page.matching is not None and page.matching > 1000
    assert page.subject.text() == f"{page.matching:,} orders  ·  matching “muller”"

    search(page, qtbot, "customer4242@example.com")
    assert {page.model.row_at(r).customer for r in range(page.model.rowCount())} == {
        "Łukasz Müller 4242"
    }

    search(page, qtbot, "SKU-0042")
    assert page.model.rowCount() > 0
    with page.station.local(readonly=True) as uow:
        for r in range(min(20, page.model.rowCount())):
            number = page.model.row_at(r).number
            skus = uow.session.scalars(
                select(OrderLine.sku).join(Order).where(Order.number == number)
            )
            assert "SKU-0042" in set(skus)

    # An SSCC read off a parcel, and the shipment's number: the one order shipped in it.
    shipped = next_shipped(page)
    search(page, qtbot, sscc_of(int(shipped) - 500000))
    assert cells(page, "Number") == [shipped]
    search(page, qtbot, f"SH-{shipped}")
    assert cells(page, "Number") == [shipped]

    search(page, qtbot, "100234")
    assert cells(page, "Number") == ["100234"]
    search(page, qtbot, "zzzz nobody")
    assert page.model.rowCount() == 0
    assert page.empty_hint.isVisible()
    assert "No order matches" in page.empty_hint.text()


def next_shipped(page: OrdersPage) -> str:
    with page.station.local(readonly=True) as uow:
        number = uow.session.scalar(
            select(Order.number)
            .where(Order.status == OrderStatus.SHIPPED, Order.channel != "shopify")
            .order_by(Order.id)
            .limit(1)
        )
    assert number is not None
    return number


def test_channel_carrier_and_date_filters_narrow_the_table_in_sql(
    page: OrdersPage, qtbot: QtBot
) -> None:
    channel = page.channel_filter
    qtbot.waitUntil(lambda: channel.count() > 1)
    channel.setCurrentIndex(channel.findData("magento"))
    qtbot.waitUntil(lambda: page.shown_generation == page.generation)
    assert {page.model.row_at(r).channel for r in range(page.model.rowCount())} == {"magento"}
    carrier = page.carrier_filter
    carrier.setCurrentIndex(carrier.findData("GLS"))
    qtbot.waitUntil(lambda: page.shown_generation == page.generation and page.matching is not None)
    rows = [page.model.row_at(r) for r in range(page.model.rowCount())]
    assert rows and {(r.channel, r.carrier) for r in rows} == {("magento", "GLS")}
    narrowed = page.matching
    page.period_filter.setCurrentIndex(page.period_filter.findData(1))  # today: none
    qtbot.waitUntil(lambda: page.matching == 0)
    page.period_filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: page.matching == narrowed)


@OFFSCREEN_DIALOG
def test_enter_opens_the_order_with_every_quantity_parcels_and_timeline(
    page: OrdersPage, qtbot: QtBot
) -> None:
    shipped = next_shipped(page)
    search(page, qtbot, shipped)
    # Keys reach the page once the scanner detector has seen they are typed, not scanned.
    qtbot.keyClick(page.find_field, Qt.Key.Key_Return, delay=TYPING_MS)
    qtbot.waitUntil(lambda: bool(page.table.selectionModel().selectedRows()))
    assert page.table.currentIndex().row() == 0  # the first row chosen
    qtbot.keyClick(page.table, Qt.Key.Key_Return, delay=TYPING_MS)
    qtbot.waitUntil(lambda: page.detail_dialog is not None)
    dialog = page.detail_dialog
    assert isinstance(dialog, OrderDetailDialog) and dialog.isVisible()
    assert dialog.windowTitle() == f"Order {shipped}"
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert [t.split(" (")[0] for t in titles] == [
        "Lines", "Allocated by bin", "Warehouse", "Parcels", "Shipments", "Invoices", "Returns",
        "Timeline",
    ]  # fmt: skip
    # The warehouse that ships it and the rule's reason (one warehouse: MAIN).
    assert [row[:2] for row in dialog.detail.section("warehouse").rows] == [
        ("MAIN", "Main warehouse")
    ]
    shown = page.model.index(0, page.model.COLUMNS.index("WH")).data()
    assert shown == "MAIN" == page.model.row_at(0).warehouse
    lines = dialog.detail.section("lines")
    assert lines.columns[3:10] == (
        "Ordered", "Allocated", "Picked", "Packed", "Shipped", "Invoiced", "Returned",
    )  # fmt: skip
    assert all(row[3] == row[7] for row in lines.rows)  # shipped in full
    parcels = dialog.detail.section("parcels")
    assert parcels.rows[0][0] == sscc_of(int(shipped) - 500000)
    assert parcels.rows[0][1] == f"SH-{shipped}"
    assert not dialog.void_button.isVisible()  # shipped: only returns now
    dialog.close()

    # Double-click opens too.
    page.table.selectRow(0)
    rect = page.table.visualRect(page.model.index(0, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.detail_dialog is not dialog and page.detail_dialog.isVisible()
    page.detail_dialog.close()


def first_held(page: OrdersPage, qtbot: QtBot) -> str:
    page.choose_segment(Segment.ON_HOLD)
    qtbot.waitUntil(lambda: page.shown_generation == page.generation and page.model.rowCount() > 0)
    for r in range(page.model.rowCount()):
        row = page.model.row_at(r)
        if row.channel != "shopify":  # one of the 100,000, whose products have stock
            page.table.selectRow(r)
            return row.number
    raise AssertionError("no held order")


def committed(station: Station) -> int:
    with station.local(readonly=True) as uow:
        return uow.session.scalar(select(func.sum(StockLevel.committed))) or 0


@OFFSCREEN_DIALOG
def test_a_held_order_is_released_from_the_queue_with_a_note_and_stock_is_allocated(
    page: OrdersPage, qtbot: QtBot, station: Station
) -> None:
    number = first_held(page, qtbot)
    held_before = page.counts[Segment.ON_HOLD]
    assert page.release_button.isEnabled()
    qtbot.mouseClick(page.release_button, Qt.MouseButton.LeftButton)
    dialog = page.note_dialog
    assert isinstance(dialog, NoteDialog)
    assert not dialog.ok.isEnabled()  # no note, no release
    qtbot.keyClicks(dialog.note, "Address confirmed", delay=TYPING_MS)
    qtbot.waitUntil(dialog.ok.isEnabled)  # typed keys arrive once seen not to be a scan
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    assert page.band.isVisible()
    assert page.band.text().startswith(f"Order {number} released: allocated,")
    qtbot.waitUntil(lambda: page.counts.get(Segment.ON_HOLD) == held_before - 1)
    assert number not in cells(page, "Number")
    with station.local(readonly=True) as uow:
        order = uow.session.scalar(select(Order).where(Order.number == number))
        assert order is not None and order.status is OrderStatus.ALLOCATED
        assert order.hold_reasons == []
        assert all(line.quantity_allocated == line.quantity_ordered for line in order.lines)
        sent = uow.session.scalars(select(OutboxCommand.payload)).all()
    assert {"number": number, "from": "on_hold", "to": "finalized"}.items() <= sent[-1].items()
    assert committed(station) > 0

    detail = page.open_order(number)
    assert detail is not None
    timeline = detail.detail.section("timeline").rows
    assert any("Address confirmed" in row[4] for row in timeline)
    assert any(row[3] == "on_hold -> finalized" for row in timeline)  # waiting to sync
    allocations = detail.detail.section("allocations").rows
    assert allocations and allocations[0][2].startswith("A-")
    detail.close()


@OFFSCREEN_DIALOG
def test_a_void_needs_a_reason_gives_the_stock_back_and_the_order_cannot_be_packed(
    page: OrdersPage, qtbot: QtBot, station: Station
) -> None:
    number = first_held(page, qtbot)
    page.release(number).note.setPlainText("ok")
    page.note_dialog.accept()
    assert committed(station) > 0

    page.choose_segment(Segment.ALLOCATED)
    search(page, qtbot, number)
    page.table.selectRow(0)
    qtbot.mouseClick(page.void_button, Qt.MouseButton.LeftButton)
    dialog = page.note_dialog
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.note, "   ", delay=TYPING_MS)
    assert not dialog.ok.isEnabled()  # blanks are no reason
    qtbot.keyClicks(dialog.note, "Cancelled", delay=TYPING_MS)
    qtbot.waitUntil(dialog.ok.isEnabled)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert page.band.text() == f"Order {number} voided; its stock went back to the bins."
    assert committed(station) == 0
    with station.local(readonly=True) as uow:
        order = uow.session.scalar(select(Order).where(Order.number == number))
        assert order is not None and order.status is OrderStatus.VOID
        assert order.void_reason == "Cancelled"

    packer = Actor(1, "Paula", Role.PACKER, permissions_of(Role.PACKER), station.station_id)
    with pytest.raises(DomainError, match="void"):
        packing.open_order(station, packer, number, claim=False)


def test_only_a_supervisor_or_admin_may_void_and_only_before_shipping(
    station: Station,
) -> None:
    packer = Actor(1, "Paula", Role.PACKER, permissions_of(Role.PACKER), station.station_id)
    with pytest.raises(NotAllowed):
        void_order(station.local, packer, "100234", "no reason")
    boss = Actor(2, "Sveta", Role.SUPERVISOR, permissions_of(Role.SUPERVISOR), station.station_id)
    with pytest.raises(DomainError, match=r"Write a note"):
        void_order(station.local, boss, "100234", "  ")
    with pytest.raises(DomainError, match="Returns desk"):
        void_order(station.local, boss, "100231", "too late")  # shipped


def test_a_packer_sees_no_release_or_void(window: MainWindow, keyboard: Keyboard) -> None:
    keyboard.sign_in(window, Role.PACKER)
    assert window.desk is not None
    if Workspace.ORDERS not in window.desk.nav_buttons:
        return  # no Orders workspace at all
    window.desk.open_workspace(Workspace.ORDERS)
    page = window.desk.current_page
    assert isinstance(page, OrdersPage)
    assert not page.release_button.isVisible() and not page.void_button.isVisible()
    QApplication.processEvents()
    page.reader.wait()
