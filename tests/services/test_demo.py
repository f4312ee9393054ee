"""The demo store: a real SQLite file filled by load_demo, checked the way the app reads it."""

from __future__ import annotations

import unicodedata
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import Engine, Select, func, select

from app.bootstrap import Station
from app.db.migrate import ensure_schema
from app.db.models import (
    Address,
    Allocation,
    Customer,
    Order,
    OrderLine,
    Product,
    ProductBarcode,
    StockLevel,
    User,
)
from app.db.session import create_db_engine, unit_of_work_factory
from app.domain.barcodes import BarcodeKind, is_valid_gtin
from app.domain.errors import DomainError
from app.domain.money import quantum
from app.domain.orders import LineQuantities
from app.domain.status import OrderStatus
from app.domain.users import LockoutPolicy, Permission, check_new_pin
from app.services.auth import login_with_badge, login_with_pin
from app.services.demo import (
    DEMO_USERS,
    DemoDataset,
    build_demo_dataset,
    count_orders,
    is_demo,
    load_demo,
    packing_tour,
)

T = TypeVar("T")
# One process builds this module's demo dataset and store (module fixtures), not each of them.
pytestmark = pytest.mark.xdist_group("services-demo")
NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)


def _new_store(path: Path) -> Engine:
    engine = create_db_engine(f"sqlite:///{path}")
    ensure_schema(engine)
    return engine


@pytest.fixture(scope="module")
def dataset() -> DemoDataset:
    return build_demo_dataset(now=NOW)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, dataset: DemoDataset) -> Engine:
    engine = _new_store(tmp_path_factory.mktemp("demo") / "c.sqlite3")
    load_demo(engine, dataset)
    return engine


def _scalars(engine: Engine, query: Select[T]) -> list[T]:
    with unit_of_work_factory(engine)(readonly=True) as uow:
        return list(uow.session.scalars(query))


def test_the_catalogue_file_is_a_package_resource() -> None:
    text = (files("resources") / "demo" / "products.csv").read_text(encoding="utf-8")
    assert text.startswith("sku,name,price\n")
    assert len(text.splitlines()) > 600


def test_the_demo_has_hundreds_of_products_each_with_a_valid_gtin13(store: Engine) -> None:
    with unit_of_work_factory(store)(readonly=True) as uow:
        products = uow.session.scalars(select(Product)).all()
        assert len(products) >= 500
        for product in products:
            units = [b for b in product.barcodes if b.kind is BarcodeKind.GTIN and b.units == 1]
            assert len(units) == 1, product.sku
            gtin13 = units[0].code[1:]
            assert units[0].code.startswith("0") and is_valid_gtin(gtin13)
            assert "20" <= gtin13[:2] <= "29"  # GS1 restricted circulation


def test_some_products_have_case_barcodes_and_aliases(store: Engine) -> None:
    with unit_of_work_factory(store)(readonly=True) as uow:
        barcodes = uow.session.execute(
            select(ProductBarcode.code, ProductBarcode.kind, ProductBarcode.units)
        ).all()
    cases = [(code, units) for code, _kind, units in barcodes if units > 1]
    assert cases and {units for _code, units in cases} == {6, 12}
    assert all(is_valid_gtin(code) for code, _units in cases)
    assert any(kind is BarcodeKind.ALIAS for _code, kind, _units in barcodes)


def test_a_few_products_are_serial_or_lot_tracked(dataset: DemoDataset) -> None:
    serial = sum(p["serial_tracked"] for p in dataset.products)
    lot = sum(p["lot_tracked"] for p in dataset.products)
    assert 0 < serial < len(dataset.products) * 0.1
    assert 0 < lot < len(dataset.products) * 0.1


def test_there_are_at_least_2000_orders(store: Engine) -> None:
    assert count_orders(store) >= 2000


def test_every_order_status_appears_in_the_demo(store: Engine) -> None:
    statuses = set(_scalars(store, select(Order.status).distinct()))
    assert statuses == set(OrderStatus)


def test_every_channel_appears_with_unique_external_ids(dataset: DemoDataset) -> None:
    channels = Counter(o["channel"] for o in dataset.orders)
    assert set(channels) == {"woocommerce", "shopify", "bigcommerce", "magento", "csv", "manual"}
    keys = [(o["channel"], o["external_id"]) for o in dataset.orders]
    assert len(keys) == len(set(keys))


def test_orders_were_placed_in_the_last_sixty_days(store: Engine) -> None:
    placed = _scalars(store, select(Order.placed_at))
    assert all(t.tzinfo is not None for t in placed)
    assert NOW - timedelta(days=61) <= min(placed) and max(placed) <= NOW


def test_names_and_addresses_use_greek_cyrillic_cjk_and_hangul(store: Engine) -> None:
    with unit_of_work_factory(store)(readonly=True) as uow:
        texts = [*uow.session.scalars(select(Customer.name))]
        for a in uow.session.scalars(select(Address)):
            texts += [a.name, a.line1, a.city, a.region or ""]
    scripts = {
        unicodedata.name(ch, "").split(" ")[0] for text in texts for ch in text if not ch.isascii()
    }
    assert {"GREEK", "CYRILLIC", "CJK", "HANGUL", "HIRAGANA"} <= scripts
    assert any("ü" in t for t in texts) and any("Ł" in t or "ł" in t for t in texts)


def test_every_order_line_has_consistent_quantities(store: Engine) -> None:
    with unit_of_work_factory(store)(readonly=True) as uow:
        lines = uow.session.scalars(select(OrderLine)).all()
        for line in lines:
            quantities = LineQuantities(
                line.quantity_ordered,
                line.quantity_allocated,
                line.quantity_picked,
                line.quantity_packed,
                line.quantity_shipped,
                line.quantity_invoiced,
                line.quantity_returned,
            )
            assert quantities.problem() is None


def test_quantities_follow_each_orders_status(dataset: DemoDataset) -> None:
    lines_of: dict[int, list[dict[str, object]]] = {}
    for line in dataset.order_lines:
        lines_of.setdefault(line["order_id"], []).append(line)
    for order in dataset.orders:
        lines = lines_of[order["id"]]
        shipped = sum(int(str(ln["quantity_shipped"])) for ln in lines)
        ordered = sum(int(str(ln["quantity_ordered"])) for ln in lines)
        returned = sum(int(str(ln["quantity_returned"])) for ln in lines)
        status = order["status"]
        if status in (
            OrderStatus.DRAFT,
            OrderStatus.IMPORTED,
            OrderStatus.ON_HOLD,
            OrderStatus.FINALIZED,
            OrderStatus.VOID,
        ):
            assert all(ln["quantity_allocated"] == 0 for ln in lines), order["number"]
        if status is OrderStatus.PARTIALLY_SHIPPED:
            assert 0 < shipped < ordered, order["number"]
        if status in (OrderStatus.SHIPPED, OrderStatus.FULFILLED):
            assert shipped == ordered and returned == 0, order["number"]
        if status is OrderStatus.PARTIALLY_RETURNED:
            assert 0 < returned < shipped, order["number"]
        if status is OrderStatus.RETURNED:
            assert returned == shipped == ordered, order["number"]


def test_held_and_void_orders_say_why(dataset: DemoDataset) -> None:
    for order in dataset.orders:
        assert bool(order["hold_reasons"]) == (order["status"] is OrderStatus.ON_HOLD)
        assert bool(order["void_reason"]) == (order["status"] is OrderStatus.VOID)


def test_committed_stock_is_the_sum_of_allocations_and_within_on_hand(store: Engine) -> None:
    with unit_of_work_factory(store)(readonly=True) as uow:
        sums = uow.session.execute(
            select(
                Allocation.product_id, Allocation.bin_id, func.sum(Allocation.quantity)
            ).group_by(Allocation.product_id, Allocation.bin_id)
        )
        allocated = {(product_id, bin_id): total for product_id, bin_id, total in sums}
        levels = uow.session.scalars(select(StockLevel)).all()
        assert allocated
        for level in levels:
            assert level.committed == allocated.pop((level.product_id, level.bin_id), 0)
            assert 0 <= level.committed <= level.on_hand
        assert not allocated, "allocations in bins with no stock level"


def test_each_lines_allocations_are_the_stock_it_still_holds(store: Engine) -> None:
    with unit_of_work_factory(store)(readonly=True) as uow:
        held = dict(
            uow.session.execute(
                select(Allocation.order_line_id, func.sum(Allocation.quantity)).group_by(
                    Allocation.order_line_id
                )
            ).all()
        )
        lines = uow.session.execute(
            select(
                OrderLine.id, OrderLine.quantity_allocated, OrderLine.quantity_shipped, Order.status
            ).join(Order)
        ).all()
    for line_id, allocated, shipped, status in lines:
        assert held.get(line_id, 0) == allocated - shipped, (line_id, status)


def test_a_few_lines_stay_short_of_stock(dataset: DemoDataset) -> None:
    open_statuses = {OrderStatus.ALLOCATED, OrderStatus.PICKING, OrderStatus.PICKED}
    status_of = {o["id"]: o["status"] for o in dataset.orders}
    short = [
        ln
        for ln in dataset.order_lines
        if status_of[ln["order_id"]] in open_statuses
        and ln["quantity_allocated"] < ln["quantity_ordered"]
    ]
    assert 0 < len(short) < 50


def test_prices_follow_the_ship_to_currency(store: Engine) -> None:
    with unit_of_work_factory(store)(readonly=True) as uow:
        rows = uow.session.execute(
            select(Order.currency, Address.country, OrderLine.unit_price, OrderLine.tax_rate)
            .join(OrderLine, OrderLine.order_id == Order.id)
            .join(Address, Address.id == Order.ship_to_id)
        ).all()
    expected = {
        "GB": "GBP",
        "DE": "EUR",
        "PL": "PLN",
        "SE": "SEK",
        "US": "USD",
        "JP": "JPY",
        "CN": "CNY",
        "KR": "KRW",
        "UA": "UAH",
        "GR": "EUR",
    }
    seen = set()
    for currency, country, unit_price, tax_rate in rows:
        if country in expected:
            assert currency == expected[country]
        assert unit_price > 0 and unit_price == unit_price.quantize(quantum(currency))
        assert Decimal(0) <= tax_rate < 1
        seen.add(currency)
    assert {"GBP", "EUR", "USD", "JPY", "KRW"} <= seen


def test_demo_pins_pass_the_pin_rules_and_badges_are_distinct() -> None:
    assert all(check_new_pin(u.pin) is None for u in DEMO_USERS)
    assert len({u.badge for u in DEMO_USERS}) == len(DEMO_USERS)
    assert {u.role.value for u in DEMO_USERS} == {
        "picker",
        "packer",
        "returns",
        "supervisor",
        "admin",
    }


def test_every_demo_user_signs_in_with_badge_and_with_pin(store: Engine) -> None:
    uows = unit_of_work_factory(store)
    for user in DEMO_USERS:
        by_badge = login_with_badge(uows, "ST-01", user.badge)
        assert (by_badge.name, by_badge.role) == (user.name, user.role)
        by_pin = login_with_pin(uows, "ST-01", by_badge.user_id, user.pin, LockoutPolicy())
        assert by_pin.user_id == by_badge.user_id
        assert user.grants <= by_pin.permissions


def test_one_packer_may_ship_partial(store: Engine) -> None:
    uows = unit_of_work_factory(store)
    packers = [
        login_with_badge(uows, "ST-01", u.badge) for u in DEMO_USERS if u.role.value == "packer"
    ]
    assert sorted(Permission.SHIP_PARTIAL in p.permissions for p in packers) == [False, True]


def test_the_store_is_marked_as_demo(store: Engine, tmp_path: Path) -> None:
    assert is_demo(store)
    assert not is_demo(_new_store(tmp_path / "empty.sqlite3"))


def test_a_second_load_into_the_demo_store_is_refused(store: Engine, dataset: DemoDataset) -> None:
    before = count_orders(store)
    with pytest.raises(DomainError, match="already holds the demo data"):
        load_demo(store, dataset)
    assert count_orders(store) == before


def test_loading_into_a_store_with_real_orders_is_refused(tmp_path: Path) -> None:
    engine = _new_store(tmp_path / "real.sqlite3")
    with unit_of_work_factory(engine)() as uow:
        uow.session.add(
            Order(number="500001", channel="shopify", external_id="991", currency="GBP")
        )
        uow.commit()
    with pytest.raises(DomainError, match="1 orders that are not demo data"):
        load_demo(engine, build_demo_dataset(orders=50, products=40, now=NOW))
    assert count_orders(engine) == 1
    assert not is_demo(engine)
    assert _scalars(engine, select(User.name)) == []


def test_the_same_seed_gives_the_same_demo(dataset: DemoDataset) -> None:
    again = build_demo_dataset(now=NOW)
    assert again.orders == dataset.orders
    assert again.order_lines == dataset.order_lines
    assert again.addresses == dataset.addresses
    assert build_demo_dataset(seed=8, now=NOW).orders != dataset.orders


def test_the_headless_tour_says_so_when_no_order_is_left_to_pack(station: Station) -> None:
    with pytest.raises(DomainError, match="No demo order is left") as refused:
        packing_tour(station)
    assert "new PACKBENCH_HOME" in refused.value.message
