"""The Stock workspace through the window: stock per warehouse and in total (in hand,
committed, available, in transit), and a transfer received by scans (its number, the bin,
the items) with the wedge scanner, as a supervisor at the receiving end does it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.bootstrap import Station
from app.db.models import Bin, Product, ProductBarcode, StockLevel, Warehouse
from app.domain.barcodes import BarcodeKind
from app.domain.users import Role, Workspace
from app.services.transfers import create_transfer, show_transfer
from app.services.warehouses import save_warehouse
from tests.sync.stores import actor
from tests.ui.keys import wedge_scan
from ui.main_window import MainWindow
from ui.workspaces.stock import StockPage

if TYPE_CHECKING:
    from conftest import Keyboard

MUG_GTIN = "5012345678900"


def two_warehouses(station: Station) -> None:
    """MAIN holds 6 mugs in A-1; BER (a bin B-01) holds none yet."""
    save_warehouse(station, "BER", name="Berlin", address_lines=[], country="DE", serves=["DE"])
    with station.central()() as uow:
        s = uow.session
        mug = Product(sku="MUG", name="Mug, blue")
        mug.barcodes.append(ProductBarcode(code=MUG_GTIN, kind=BarcodeKind.GTIN, units=1))
        s.add(mug)
        a1 = Bin(code="A-1", zone="A", walk_sequence=1, warehouse_id=1)
        s.add(a1)
        ber_id = s.scalar(select(Warehouse.id).where(Warehouse.code == "BER"))
        s.add(Bin(code="B-01", zone="B", walk_sequence=1, warehouse_id=ber_id))
        s.flush()
        s.add(StockLevel(product_id=mug.id, bin_id=a1.id, warehouse_id=1, on_hand=6, committed=0))
        uow.commit()


def scan(window: MainWindow, text: str) -> None:
    """A wedge scanner's burst of keys into the page (its table has the focus)."""
    assert window.desk is not None
    page = window.desk.current_page
    assert isinstance(page, StockPage)
    wedge_scan(page.transfers_table, text)
    QApplication.processEvents()


def test_a_supervisor_sees_stock_per_warehouse_and_receives_a_transfer_by_scans(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, station: Station
) -> None:
    two_warehouses(station)
    boss = actor(station, Role.SUPERVISOR)
    sent = create_transfer(station, boss, "MAIN", "BER", "MUG:4@A-1")
    assert sent.number == "TR-000001"

    keyboard.sign_in(window, Role.SUPERVISOR)
    assert window.desk is not None
    window.desk.open_workspace(Workspace.STOCK)
    page = window.desk.current_page
    assert isinstance(page, StockPage)
    model = page.stock_model
    rows = [
        tuple(model.data(model.index(r, c)) for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]
    assert ("MUG", "Mug, blue", "BER", 0, 0, 0, 4) in rows
    assert ("MUG", "Mug, blue", "MAIN", 2, 0, 2, 0) in rows
    assert ("MUG", "Mug, blue", "Total", 2, 0, 2, 4) in rows
    transfers = page.transfers_model
    assert transfers.rowCount() == 1
    assert transfers.data(transfers.index(0, 0)) == "TR-000001"
    assert page.subject.text() == "1 product(s)  ·  1 transfer(s) in transit"

    scan(window, MUG_GTIN)  # no transfer chosen yet: refused, nothing moves
    assert show_transfer(station, "TR-000001").received == 0
    scan(window, "TR-000001")
    assert page.transfer == "TR-000001" and "scan the bin" in page.step.text()
    scan(window, "B-01")
    assert page.bin_code == "B-01"
    scan(window, MUG_GTIN)
    scan(window, MUG_GTIN)
    qtbot.waitUntil(lambda: show_transfer(station, "TR-000001").received == 2, timeout=5000)
    assert ("MUG", "Mug, blue", "BER", 2, 0, 2, 2) in [
        tuple(model.data(model.index(r, c)) for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    done = show_transfer(station, "TR-000001")
    assert done.state == "closed short" and done.written_off == 2
    assert "closed short" in page.message.text()
    assert page.transfers_model.rowCount() == 0


def test_a_packer_has_no_stock_workspace(window: MainWindow, keyboard: Keyboard) -> None:
    keyboard.sign_in(window, Role.PACKER)
    assert window.desk is not None
    assert Workspace.STOCK not in window.desk.nav_buttons
