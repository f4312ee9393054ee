"""A void made at one station while another shipped the order: the central store refuses it.

A fresh PostgreSQL database is the central store. ST-02 ships order 100240 and syncs; ST-01,
not synced since, still sees the order allocated, and its supervisor voids it in the Orders
workspace. The void travels through the outbox; the central store refuses it (the order has
shipped), and the order's timeline at ST-01 says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.bootstrap import Station
from app.db.migrate import ensure_schema
from app.db.models import Order
from app.db.session import create_db_engine
from app.domain.status import OrderStatus
from app.domain.users import Role, Workspace
from app.sync.engine import sync_once
from tests.invoicing.world import ship
from tests.packing.world import build_central
from tests.sync.stores import Central, fresh_database, open_test_station
from tests.ui.conftest import add_people
from ui.main_window import MainWindow
from ui.workspaces.orders import OrdersPage

if TYPE_CHECKING:
    from tests.ui.conftest import Keyboard

OFFSCREEN_DIALOG = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def postgres(central_url: str) -> Iterator[Central]:
    with fresh_database(central_url) as url:
        engine = create_db_engine(url)
        ensure_schema(engine)
        build_central(engine)
        try:
            yield Central(url, engine, "postgresql")
        finally:
            engine.dispose()


@pytest.fixture
def other(postgres: Central, tmp_path: Path) -> Iterator[Station]:
    two = open_test_station(tmp_path / "st-02", postgres.url, "ST-02")
    sync_once(two)
    yield two
    two.close()


@pytest.fixture
def station(postgres: Central, tmp_path: Path) -> Iterator[Station]:
    one = open_test_station(tmp_path / "st-01", postgres.url, "ST-01")
    add_people(one)
    sync_once(one)
    yield one
    one.close()


@OFFSCREEN_DIALOG
def test_a_void_is_refused_centrally_when_another_station_shipped_meanwhile(
    station: Station, other: Station, window: MainWindow, keyboard: Keyboard, qtbot: QtBot,
    postgres: Central,
) -> None:  # fmt: skip
    ship(other, "100240", {1: 1})
    sync_once(other)  # the central store: shipped (in part) by ST-02

    keyboard.sign_in(window, Role.SUPERVISOR)
    assert window.desk is not None
    window.desk.open_workspace(Workspace.ORDERS)
    page = window.desk.current_page
    assert isinstance(page, OrdersPage)
    qtbot.waitUntil(lambda: page.matching is not None)
    before = page.generation
    page.find_field.setText("100240")
    page.find_field.returnPressed.emit()  # Enter: now, not after the typing pause
    qtbot.waitUntil(lambda: page.generation > before and page.shown_generation == page.generation)
    assert page.model.row_at(0).status is OrderStatus.ALLOCATED  # as ST-01 last saw it
    page.table.selectRow(0)
    dialog = page.void(page.model.row_at(0).number)
    dialog.note.setPlainText("Customer cancelled by phone")
    dialog.accept()
    assert page.band.text() == "Order 100240 voided; its stock went back to the bins."

    sync_once(station)  # the void goes out; the central store refuses it
    with postgres.engine.connect() as c:
        central = c.scalar(select(Order.status).where(Order.number == "100240"))
    assert central is OrderStatus.PARTIALLY_SHIPPED

    detail = page.open_order("100240")
    assert detail is not None
    said = [row[4] for row in detail.detail.section("timeline").rows]
    refused = [text for text in said if text.startswith("REFUSED by the central store")]
    assert refused and "100240" in refused[0], said
    detail.close()
    page.reader.wait()
