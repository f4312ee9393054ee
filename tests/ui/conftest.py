"""Fixtures for the GUI tests: a real station in tmp_path with one user per role, and orders."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.bootstrap import Station, open_station
from app.config import load_config
from app.db.models import Address, Customer, Order, OrderLine, Product
from app.domain.status import OrderStatus
from app.domain.users import Role
from app.services.auth import create_user, list_users
from tests.ui.keys import wedge_scan
from ui.main_window import MainWindow

# tests/conftest.py sets this for the whole suite; here too, so tests/ui runs on its own.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Milliseconds between keys when a test types as a person does (a scanner is under 30).
HUMAN_KEY_DELAY_MS = 60


@dataclass(frozen=True)
class Person:
    name: str
    role: Role
    pin: str
    badge: str


PEOPLE = {
    Role.PICKER: Person("Paula Picker", Role.PICKER, "2580", "BADGE-PICK-01"),
    Role.PACKER: Person("Jürgen Müller-Lüdenscheidt", Role.PACKER, "3691", "BADGE-PACK-02"),
    Role.RETURNS: Person("Ρένα Παπαδοπούλου", Role.RETURNS, "4702", "BADGE-RET-03"),
    Role.SUPERVISOR: Person("Светлана Кузнецова", Role.SUPERVISOR, "5813", "BADGE-SUP-04"),
    Role.ADMIN: Person("佐藤 花子", Role.ADMIN, "6924", "BADGE-ADM-05"),
}


@pytest.fixture
def station(tmp_path: os.PathLike[str]) -> Iterator[Station]:
    """A fresh station (local file and embedded central store) with one user per role."""
    config = load_config(env={"PACKBENCH_HOME": str(tmp_path)})
    station = open_station(config)
    add_people(station)
    yield station
    station.close()


def add_people(station: Station) -> None:
    for person in PEOPLE.values():
        create_user(station.local, None, person.name, person.role, person.pin, badge=person.badge)


@pytest.fixture
def user_ids(station: Station) -> dict[Role, int]:
    by_name = {u.name: u.id for u in list_users(station.local, include_inactive=True)}
    return {role: by_name[person.name] for role, person in PEOPLE.items()}


# (number, status, customer, city, country, currency, [(sku, name, qty, unit price)], holds)
OrderSpec = tuple[str, OrderStatus, str, str, str, str, list[tuple[str, str, int, str]], list[str]]
ORDERS: list[OrderSpec] = [
    (
        "100231",
        OrderStatus.SHIPPED,
        "Jürgen Müller",
        "Berlin",
        "DE",
        "EUR",
        [("MUG-BLUE-350", "Blue mug 350 ml", 2, "9.90")],
        [],
    ),
    (
        "100232",
        OrderStatus.ON_HOLD,
        "Ελένη Γεωργίου",
        "Αθήνα",
        "GR",
        "EUR",
        [("TEA-EARL-100", "Earl Grey 100 g", 3, "4.50")],
        ["First order over €500"],
    ),
    (
        "100233",
        OrderStatus.VOID,
        "Иван Петров",
        "Москва",
        "RU",
        "EUR",
        [("SPOON-SET-4", "Spoon set", 1, "12.00")],
        [],
    ),
    (
        "100234",
        OrderStatus.ALLOCATED,
        "山田 太郎",
        "東京",
        "JP",
        "JPY",
        [("MUG-BLUE-350", "Blue mug 350 ml", 1, "1500"), ("TEA-EARL-100", "Earl Grey", 2, "800")],
        [],
    ),
    (
        "100235",
        OrderStatus.FULFILLED,
        "김민준",
        "서울",
        "KR",
        "KRW",
        [("SPOON-SET-4", "Spoon set", 4, "15000")],
        [],
    ),
    (
        "100236",
        OrderStatus.IMPORTED,
        "Zoë Brontë",
        "Łódź",
        "PL",
        "PLN",
        [("TEA-EARL-100", "Earl Grey 100 g", 1, "19.99")],
        [],
    ),
]


@pytest.fixture
def orders(station: Station) -> list[str]:
    """A handful of orders in several statuses and scripts, arranged straight in the database."""
    add_orders(station, ORDERS)
    return [o[0] for o in ORDERS]


def add_orders(station: Station, orders: list[OrderSpec]) -> None:
    placed = datetime(2024, 5, 3, 9, 0, tzinfo=UTC)
    with station.local() as uow:
        session = uow.session
        products = {
            sku: Product(sku=sku, name=name, price=Decimal("1"), currency="EUR")
            for sku, name in [
                ("MUG-BLUE-350", "Blue mug 350 ml"),
                ("TEA-EARL-100", "Earl Grey 100 g"),
                ("SPOON-SET-4", "Spoon set"),
            ]
        }
        session.add_all(products.values())
        for n, (number, status, name, city, country, currency, lines, holds) in enumerate(orders):
            customer = Customer(name=name)
            address = Address(name=name, line1="1 Main Street", city=city, country=country)
            session.add_all([customer, address])
            session.flush()
            address.customer_id = customer.id
            order = Order(
                number=number,
                channel="shopify",
                external_id=f"ext-{number}",
                customer_id=customer.id,
                ship_to_id=address.id,
                currency=currency,
                carrier="DHL Parcel",
                status=status,
                hold_reasons=holds,
                placed_at=placed + timedelta(hours=n),
            )
            for line_no, (sku, line_name, qty, price) in enumerate(lines, start=1):
                order.lines.append(
                    OrderLine(
                        line_no=line_no,
                        product=products[sku],
                        sku=sku,
                        name=line_name,
                        quantity_ordered=qty,
                        unit_price=Decimal(price),
                    )
                )
            session.add(order)
        uow.commit()


@pytest.fixture
def make_window(qtbot: QtBot, station: Station) -> Iterator[Callable[..., MainWindow]]:
    """Open the main window on ``station`` (optionally with demo users); closed afterwards."""
    windows: list[MainWindow] = []

    def make(demo_users: list[tuple[str, str, str, str]] | None = None) -> MainWindow:
        window = MainWindow(station, demo_users)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        # The central-store check runs in the background: let it report before the window
        # (which qtbot.addWidget would close first) and tmp_path go.
        qtbot.waitUntil(lambda w=window: w.status.central_checked, timeout=10_000)
        window.close()
        window.deleteLater()
    qtbot.wait(1)


@pytest.fixture
def window(make_window: Callable[..., MainWindow]) -> MainWindow:
    return make_window()


class Keyboard:
    """The person at the bench, as the tests drive the login screen: keys only."""

    def __init__(self, qtbot: QtBot) -> None:
        self._qtbot = qtbot

    def scan_badge(self, window: MainWindow, badge: str) -> None:
        field = window.login_screen.badge_field
        field.setFocus()
        wedge_scan(field, badge)
        # The window handles a scan queued, once the key that ended it has been delivered.
        QApplication.processEvents()

    def sign_in(self, window: MainWindow, role: Role) -> None:
        self.scan_badge(window, PEOPLE[role].badge)
        assert window.actor is not None, window.login_screen.message.text()

    @staticmethod
    def choose_user(window: MainWindow, name: str) -> None:
        names = window.login_screen.user_list
        for row in range(names.count()):
            if names.item(row).text().startswith(name):
                names.setCurrentRow(row)
                return
        raise AssertionError(f"{name} is not in the list")

    def type_into(self, field: QWidget, text: str) -> None:
        """Type at a person's pace: a burst at scanner speed would be read as a scan."""
        self._qtbot.keyClicks(field, text, delay=HUMAN_KEY_DELAY_MS)

    def type_pin(self, window: MainWindow, pin: str) -> None:
        field = window.login_screen.pin_field
        field.setFocus()
        field.clear()
        # At a person's pace: a burst at scanner speed would be read as a badge scan.
        self._qtbot.keyClicks(field, pin, delay=HUMAN_KEY_DELAY_MS)
        self._qtbot.keyClick(field, Qt.Key.Key_Return, delay=HUMAN_KEY_DELAY_MS)


@pytest.fixture
def keyboard(qtbot: QtBot) -> Keyboard:
    return Keyboard(qtbot)


@pytest.fixture
def people() -> dict[Role, Person]:
    """The one user per role that ``station`` holds."""
    return PEOPLE
