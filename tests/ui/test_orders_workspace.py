"""The Orders workspace on a handful of orders: columns, colours, typing, the empty station.

The same workspace over 100,000 orders (segments, paging, every kind of search, the detail,
release and void) is tested in test_orders_console.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from app.bootstrap import Station
from app.db.models import Customer, Order
from app.domain.status import OrderStatus
from app.domain.users import Role, Workspace
from ui.main_window import MainWindow
from ui.theme import Tone, tint
from ui.workspaces.orders import TYPING_PAUSE_MS, OrdersPage, OrdersTableModel, search_key

# A person types slower than a scanner: a faster burst would be read as a scan.
TYPING_MS = 60

if TYPE_CHECKING:
    from conftest import Keyboard


def opened(window: MainWindow, qtbot: QtBot) -> OrdersPage:
    assert window.desk is not None
    window.desk.open_workspace(Workspace.ORDERS)
    page = window.desk.current_page
    assert isinstance(page, OrdersPage)
    qtbot.waitUntil(lambda: page.matching is not None and bool(page.counts))
    return page


@pytest.fixture
def page(
    window: MainWindow, keyboard: Keyboard, orders: list[str], qtbot: QtBot
) -> Iterator[OrdersPage]:
    keyboard.sign_in(window, Role.SUPERVISOR)
    page = opened(window, qtbot)
    yield page
    page.reader.wait()


def settled(page: OrdersPage, qtbot: QtBot) -> None:
    """Wait past the typing pause for the rows of what was typed."""
    qtbot.wait(TYPING_PAUSE_MS + 20)
    qtbot.waitUntil(lambda: page.shown_generation == page.generation)
    qtbot.waitUntil(lambda: page.matching is not None)


def column(model: OrdersTableModel, name: str) -> list[str]:
    c = model.COLUMNS.index(name)
    return [model.data(model.index(r, c)) for r in range(model.rowCount())]


def test_the_table_shows_every_order_newest_first(page: OrdersPage, orders: list[str]) -> None:
    model = page.model
    assert column(model, "Number") == list(reversed(orders))
    assert page.subject.text() == f"{len(orders)} orders"
    # What fits at 1280 px beside the navigation; the rest is in the order's detail.
    assert model.COLUMNS == (
        "Number", "Placed", "Status", "Customer", "Units", "Total", "Carrier", "WH",
    )  # fmt: skip
    row = column(model, "Number").index("100234")
    values = {name: column(model, name)[row] for name in model.COLUMNS}
    assert values["Customer"] == "山田 太郎"
    assert values["Units"] == "3"
    assert values["Total"] == "JP¥3,100"  # money_format, as documents write it (en_GB)
    assert values["Status"] == "Allocated"
    assert values["Carrier"] == "DHL Parcel"
    assert values["WH"] == "MAIN"  # the warehouse that ships it
    held = column(model, "Number").index("100232")
    assert column(model, "Status")[held] == "On hold: First order over €500"  # why, in view
    assert column(model, "Total")[held] == "€13.50"


def test_status_cells_are_coloured_by_meaning(page: OrdersPage) -> None:
    model = page.model
    status_column = model.COLUMNS.index("Status")
    numbers = column(model, "Number")

    def background(number: str) -> QColor | None:
        index = model.index(numbers.index(number), status_column)
        value = model.data(index, Qt.ItemDataRole.BackgroundRole)
        return value if isinstance(value, QColor) else None

    assert background("100231") == tint(Tone.DONE)  # shipped
    assert background("100235") == tint(Tone.DONE)  # fulfilled
    assert background("100232") == tint(Tone.WAITING)  # on hold
    assert background("100233") == tint(Tone.REFUSED)  # void
    assert background("100234") is None  # allocated: nothing to flag


def test_typing_filters_by_number_or_customer(page: OrdersPage, qtbot: QtBot) -> None:
    qtbot.keyClicks(page.find_field, "1002", delay=TYPING_MS)
    settled(page, qtbot)
    assert page.model.rowCount() == 6

    qtbot.keyClicks(page.find_field, "34", delay=TYPING_MS)
    settled(page, qtbot)
    assert column(page.model, "Number") == ["100234"]
    assert page.subject.text() == "1 order  ·  matching “100234”"

    page.find_field.clear()
    page.find_field.insert("Петров")  # QTest types ASCII only; an input method would do this
    settled(page, qtbot)
    assert column(page.model, "Number") == ["100233"]

    page.find_field.clear()
    qtbot.keyClicks(page.find_field, "muller", delay=TYPING_MS)  # no umlaut on this keyboard
    settled(page, qtbot)
    assert column(page.model, "Customer") == ["Jürgen Müller"]

    page.find_field.clear()
    qtbot.keyClicks(page.find_field, "zoe bronte", delay=TYPING_MS)  # every word, anywhere
    settled(page, qtbot)
    assert column(page.model, "Number") == ["100236"]

    page.find_field.clear()
    settled(page, qtbot)
    assert page.model.rowCount() == 6


def test_enter_in_the_find_box_moves_to_the_first_row(page: OrdersPage, qtbot: QtBot) -> None:
    page.find_field.insert("Ελένη")
    settled(page, qtbot)
    qtbot.keyClick(page.find_field, Qt.Key.Key_Return)
    assert page.table.currentIndex().row() == 0
    assert page.table.selectionModel().selectedRows()[0].row() == 0


def test_an_empty_station_says_where_orders_come_from(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot
) -> None:
    keyboard.sign_in(window, Role.ADMIN)
    page = opened(window, qtbot)
    assert page.model.rowCount() == 0
    assert page.empty_hint.isVisible()
    assert page.subject.text() == "0 orders"


@pytest.fixture
def elsewhere(station: Station) -> str:
    """One order the channel had fulfilled before it was imported (the import's marker)."""
    with station.local() as uow:
        customer = Customer(name="Ada Lovelace")
        uow.session.add(customer)
        uow.session.flush()
        uow.session.add(
            Order(
                number="100299",
                channel="woocommerce",
                external_id="801",
                customer_id=customer.id,
                currency="GBP",
                status=OrderStatus.FULFILLED,
                fulfilled_elsewhere="completed in WooCommerce",
                placed_at=datetime(2024, 5, 1, 9, 0, tzinfo=UTC),
            )
        )
        uow.commit()
    return "100299"


def test_an_order_fulfilled_elsewhere_says_so_in_the_status_column(
    window: MainWindow, keyboard: Keyboard, orders: list[str], elsewhere: str, qtbot: QtBot
) -> None:
    keyboard.sign_in(window, Role.SUPERVISOR)
    page = opened(window, qtbot)
    model = page.model
    row = column(model, "Number").index(elsewhere)
    assert column(model, "Status")[row] == "Fulfilled elsewhere"
    status = model.index(row, model.STATUS_COLUMN)
    assert model.data(status, Qt.ItemDataRole.ToolTipRole) == (
        "Fulfilled elsewhere: completed in WooCommerce before it was imported. Nothing to pick "
        "or pack here; returns are taken in at the Returns desk."
    )
    assert model.data(status, Qt.ItemDataRole.BackgroundRole) == tint(Tone.DONE)
    shipped_here = column(model, "Number").index("100233")
    assert column(model, "Status")[shipped_here] != "Fulfilled elsewhere"


def test_search_keys_ignore_case_and_accents() -> None:
    assert search_key("Jürgen MÜLLER, Łódź") == "jurgen muller, lodz"
    assert "straße" in search_key("Hauptstraße") or "strasse" in search_key("Hauptstraße")
    assert search_key("東京") == "東京"


def test_hold_reasons_are_also_in_the_status_tooltip(page: OrdersPage) -> None:
    model = page.model
    row = column(model, "Number").index("100232")
    index = model.index(row, model.STATUS_COLUMN)
    assert model.data(index, Qt.ItemDataRole.ToolTipRole) == "On hold: First order over €500"
