"""Move to warehouse… through the window: a supervisor sees the order's warehouse and the
reason for it, and moves it; a packer has no such button."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.bootstrap import Station
from app.db.models import Order
from app.domain.status import OrderStatus
from app.domain.users import Role, Workspace
from app.services.warehouses import placement_of, save_warehouse
from app.sync.engine import sync_once
from ui.dialogs.move_order import MoveOrderDialog
from ui.main_window import MainWindow

if TYPE_CHECKING:
    from conftest import Keyboard

from tests.ui.conftest import ORDERS, add_orders


def test_a_supervisor_sees_why_an_order_is_where_it_is_and_moves_it(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, station: Station
) -> None:
    save_warehouse(station, "BER", name="Berlin", address_lines=[], country="DE", serves=["DE"])
    add_orders(SimpleNamespace(local=station.central()), ORDERS[:1])  # type: ignore[arg-type]
    with station.central()() as uow:
        order = uow.session.scalar(select(Order))
        assert order is not None
        order.warehouse_reason = "whole from MAIN (the only one then)"
        order.status = OrderStatus.ON_HOLD  # before picking: it may move
        number = order.number
        uow.commit()
    sync_once(station)
    keyboard.sign_in(window, Role.SUPERVISOR)
    assert window.desk is not None
    window.desk.open_workspace(Workspace.ORDERS)
    page = window.desk.current_page
    button = page.findChild(QPushButton, "move-to-warehouse")
    assert button is not None and button.isVisible()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=5000)  # type: ignore[attr-defined]
    page.table.selectRow(0)  # type: ignore[attr-defined]
    dialog = MoveOrderDialog(station, window.actor, number, page)  # type: ignore[arg-type]
    assert dialog.where.text() == "MAIN"
    assert dialog.reason.text() == "whole from MAIN (the only one then)"
    dialog.target.setCurrentIndex(dialog.target.findData("BER"))
    dialog.move_button.click()
    assert "moved from MAIN to BER" in dialog.done_text, dialog.message.text()
    placed = placement_of(station, number)
    assert placed.warehouse == "BER" and placed.reason.startswith("moved from MAIN to BER by")


def test_a_packer_has_no_move_button(window: MainWindow, keyboard: Keyboard) -> None:
    keyboard.sign_in(window, Role.PACKER)
    assert window.desk is not None
    assert Workspace.ORDERS not in window.desk.nav_buttons  # nor the orders to move
