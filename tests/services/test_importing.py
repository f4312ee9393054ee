"""Importing orders and the catalogue into a real central store (SQLite, and PostgreSQL when
PACKBENCH_TEST_CENTRAL_URL is set): identity, updates, holds, allocation, faults."""

from __future__ import annotations

import copy
import csv
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, update
from sqlalchemy.engine import make_url

from app.bootstrap import Station, open_station
from app.config import load_config
from app.db import migrate
from app.db.models import (
    Address,
    Allocation,
    AuditEvent,
    Bin,
    Customer,
    Order,
    OrderLine,
    Product,
    ProductBarcode,
    StockLevel,
    SyncClock,
)
from app.domain.errors import DomainError, NotAllowed
from app.domain.status import OrderStatus
from app.domain.users import Actor, Role, permissions_of
from app.services import order_writer
from app.services.importing import ImportFileError, ImportSummary, import_file
from app.services.orders import release_hold
from tests.data.channel_samples import (
    BUNDLED,
    RETAIL_SAMPLE,
    SHARED_RETAIL,
    bigcommerce_inlined,
    load,
)

SAMPLES = BUNDLED / "channel_orders"
S = OrderStatus
OpenStore = Callable[..., Station]
# The review rules off, so an order goes straight to allocation unless a test turns one on.
NO_RULES = (
    "first_order_over = 0\ncountries_differ = false\npersonalised = false\n"
    'required_address_fields = ""\nunpaid = false\n'
)


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def open_store(
    request: pytest.FixtureRequest, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[OpenStore]:
    """Opens the station on a fresh central store; ``review`` is the [review] section's text."""
    opened: list[Station] = []
    cleanup: list[Callable[[], None]] = []
    if request.param == "postgresql":
        url = os.environ.get("PACKBENCH_TEST_CENTRAL_URL")
        if not url:
            pytest.skip(
                "PACKBENCH_TEST_CENTRAL_URL is not set: no PostgreSQL server to test against"
            )
        schema = f"pb_import_{uuid.uuid4().hex[:10]}"
        admin = create_engine(url)
        with admin.begin() as c:
            c.exec_driver_sql(f"CREATE SCHEMA {schema}")
        central = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
        engine = create_engine(central)
        migrate.ensure_schema(engine)
        engine.dispose()
        monkeypatch.setenv("PACKBENCH_CENTRAL_URL", central.render_as_string(hide_password=False))

        def drop() -> None:
            with admin.begin() as c:
                c.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            admin.dispose()

        cleanup.append(drop)

    def open_(review: str = NO_RULES) -> Station:
        config_file = isolated_home / "config" / "config.toml"
        config_file.parent.mkdir(parents=True, exist_ok=True)
        config_file.write_text(f"[review]\n{review}", encoding="utf-8")
        station = open_station(load_config())
        opened.append(station)
        return station

    yield open_
    for station in opened:
        station.close()
    for step in cleanup:
        step()


@pytest.fixture
def store(open_store: OpenStore) -> Station:
    return open_store()


# --- helpers --------------------------------------------------------------------------------


def write(tmp_path: Path, name: str, data: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def woo(**changes: Any) -> dict[str, Any]:
    order = copy.deepcopy(load(SAMPLES, "woocommerce_order.json"))
    order.update(changes)
    return order  # type: ignore[no-any-return]


def one_json(summary: ImportSummary) -> dict[str, Any]:
    return {k: v for k, v in summary.as_json().items() if k != "errors"}


def counts(**kw: int) -> dict[str, int]:
    return {"imported": 0, "updated": 0, "unchanged": 0, "held": 0, "rejected": 0} | kw


def scalar(station: Station, query: Any) -> Any:
    with station.central()(readonly=True) as uow:
        return uow.session.execute(query).scalar()


def rows(station: Station, query: Any) -> list[Any]:
    with station.central()(readonly=True) as uow:
        return list(uow.session.execute(query).all())


def order_row(station: Station, external_id: str, channel: str = "woocommerce") -> Any:
    [row] = rows(
        station,
        select(Order.id, Order.number, Order.status, Order.hold_reasons, Order.version).where(
            Order.channel == channel, Order.external_id == external_id
        ),
    )
    return row


def lines_of(station: Station, order_id: int) -> list[Any]:
    return rows(
        station,
        select(
            OrderLine.sku,
            OrderLine.quantity_ordered,
            OrderLine.quantity_allocated,
            OrderLine.unit_price,
        )
        .where(OrderLine.order_id == order_id)
        .order_by(OrderLine.line_no),
    )


def store_state(station: Station) -> dict[str, Any]:
    """Every row count and the change clock: equal before and after means nothing changed."""
    state: dict[str, Any] = {
        model.__tablename__: scalar(station, select(func.count()).select_from(model))
        for model in (
            Order,
            OrderLine,
            Customer,
            Address,
            Product,
            ProductBarcode,
            Bin,
            StockLevel,
            Allocation,
            AuditEvent,
        )
    }
    state["clock"] = scalar(station, select(func.max(SyncClock.seq)))
    return state


def catalogue(tmp_path: Path, *rows_: str) -> Path:
    path = tmp_path / "catalogue.csv"
    path.write_text(
        "sku,name,barcodes,units_per_barcode,weight_g,price,bin,on_hand\n"
        + "".join(r + "\n" for r in rows_),
        encoding="utf-8",
    )
    return path


def actor(role: Role) -> Actor:
    return Actor(1, "Helen Marsh", role, permissions_of(role), "ST-01")


# --- identity and re-import -----------------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing(store: Station, tmp_path: Path) -> None:
    path = write(tmp_path, "woo.json", [woo(), woo(id=728, number="728")])
    assert one_json(import_file(store, "woocommerce", path, progress=None)) == counts(imported=2)
    before = store_state(store)
    second = import_file(store, "woocommerce", path, progress=None)
    assert one_json(second) == counts(unchanged=2)
    assert store_state(store) == before  # not even a change number was taken


def test_the_retail_csv_sample_lands_every_invoice_and_reimports_unchanged(
    store: Station,
) -> None:
    with RETAIL_SAMPLE.open(newline="", encoding="utf-8") as f:
        invoices = {row["InvoiceNo"] for row in csv.DictReader(f)}
    first = import_file(store, "csv", RETAIL_SAMPLE, progress=None)
    assert first.total == len(invoices) and first.imported > 0
    before = store_state(store)
    second = import_file(store, "csv", RETAIL_SAMPLE, progress=None)
    assert (second.imported, second.updated, second.held) == (0, 0, 0)
    assert second.unchanged == first.imported + first.held and second.rejected == first.rejected
    assert store_state(store) == before


def test_a_new_order_keeps_the_channel_number_or_gets_the_channel_prefix(
    store: Station, tmp_path: Path
) -> None:
    import_file(store, "woocommerce", write(tmp_path, "w.json", woo()), progress=None)
    bc = dict(bigcommerce_inlined(SAMPLES), id=727)  # BigCommerce's own order 727
    import_file(store, "bigcommerce", write(tmp_path, "b.json", bc), progress=None)
    assert order_row(store, "727").number == "727"
    assert order_row(store, "727", "bigcommerce").number == "BC-727"


def test_a_changed_order_is_updated_in_place(store: Station, tmp_path: Path) -> None:
    import_file(store, "woocommerce", write(tmp_path, "w.json", woo()), progress=None)
    before = order_row(store, "727")
    changed = woo()
    changed["line_items"][1].update(quantity=3, total="36.00", total_tax="2.70")
    changed["shipping"]["address_1"] = "1 Ferry Building"
    summary = import_file(store, "woocommerce", write(tmp_path, "w2.json", changed), progress=None)
    assert one_json(summary) == counts(updated=1)
    after = order_row(store, "727")
    assert (after.id, after.number) == (before.id, before.number)
    assert after.version > before.version
    assert [(ln.sku, ln.quantity_ordered) for ln in lines_of(store, after.id)] == [
        ("woocommerce-93", 2),
        ("Bar3", 3),
    ]
    line1 = scalar(store, select(Address.line1).join(Order, Order.ship_to_id == Address.id))
    assert line1 == "1 Ferry Building"
    [detail] = rows(store, select(AuditEvent.detail).where(AuditEvent.action == "order.updated"))
    assert "Bar3 quantity 1 -> 3" in detail[0] and "ship-to address changed" in detail[0]


def test_a_changed_order_being_picked_is_held_with_what_changed(
    store: Station, tmp_path: Path
) -> None:
    import_file(
        store,
        "products",
        catalogue(tmp_path, "Bar3,Ship Your Idea,,,,12.00,A-01-1,5"),
        progress=None,
    )
    import_file(store, "woocommerce", write(tmp_path, "w.json", woo()), progress=None)
    order = order_row(store, "727")
    assert order.status is S.ALLOCATED
    with store.central()() as uow:  # a picker has picked the Bar3
        uow.session.execute(update(Order).where(Order.id == order.id).values(status=S.PICKING))
        uow.session.execute(
            update(OrderLine)
            .where(OrderLine.order_id == order.id, OrderLine.sku == "Bar3")
            .values(quantity_picked=1)
        )
        uow.commit()
    changed = woo()
    changed["line_items"][1].update(quantity=2, total="24.00", total_tax="1.80")
    path = write(tmp_path, "w2.json", changed)
    assert one_json(import_file(store, "woocommerce", path, progress=None)) == counts(held=1)
    held = order_row(store, "727")
    assert held.status is S.ON_HOLD
    assert held.hold_reasons == ["Changed in WooCommerce while being picked: Bar3 quantity 1 -> 2"]
    assert [ln.quantity_ordered for ln in lines_of(store, order.id)] == [2, 1]  # not applied
    assert one_json(import_file(store, "woocommerce", path, progress=None)) == counts(unchanged=1)


def test_a_cancelled_order_is_voided_and_its_stock_given_back(
    store: Station, tmp_path: Path
) -> None:
    import_file(store, "products", catalogue(tmp_path, "Bar3,Idea,,,,12,A-01-1,5"), progress=None)
    import_file(store, "woocommerce", write(tmp_path, "w.json", woo()), progress=None)
    assert scalar(store, select(StockLevel.committed)) == 1
    path = write(tmp_path, "w2.json", woo(status="cancelled"))
    assert one_json(import_file(store, "woocommerce", path, progress=None)) == counts(updated=1)
    order = order_row(store, "727")
    assert order.status is S.VOID
    assert scalar(store, select(StockLevel.committed)) == 0
    assert scalar(store, select(func.count()).select_from(Allocation)) == 0
    assert one_json(import_file(store, "woocommerce", path, progress=None)) == counts(unchanged=1)


def test_an_order_already_completed_in_the_channel_is_recorded_as_fulfilled_elsewhere(
    store: Station, tmp_path: Path
) -> None:
    import_file(store, "products", catalogue(tmp_path, "Bar3,Idea,,,,12,A-01-1,5"), progress=None)
    path = write(tmp_path, "w.json", woo(status="completed"))
    assert one_json(import_file(store, "woocommerce", path, progress=None)) == counts(imported=1)
    order = order_row(store, "727")
    assert order.status is S.FULFILLED
    assert scalar(store, select(Order.fulfilled_elsewhere)) == "completed in WooCommerce"
    assert [tuple(ln)[1:3] for ln in lines_of(store, order.id)] == [(2, 2), (1, 1)]
    assert scalar(store, select(StockLevel.committed)) == 0  # nothing allocated here
    refunded = write(tmp_path, "w2.json", woo(status="refunded"))
    summary = import_file(store, "woocommerce", refunded, progress=None)
    assert one_json(summary) == counts(rejected=1)
    assert summary.errors[0].reason == (
        "cancelled in WooCommerce (refunded) after it was fulfilled elsewhere (completed in "
        "WooCommerce): nothing was changed; take the goods back at the Returns desk when they "
        "come back"
    )


def test_an_open_order_the_channel_then_calls_completed_is_held_for_a_person(
    store: Station, tmp_path: Path
) -> None:
    import_file(store, "products", catalogue(tmp_path, "Bar3,Idea,,,,12,A-01-1,5"), progress=None)
    import_file(store, "woocommerce", write(tmp_path, "w.json", woo()), progress=None)
    path = write(tmp_path, "w2.json", woo(status="completed"))
    assert one_json(import_file(store, "woocommerce", path, progress=None)) == counts(held=1)
    order = order_row(store, "727")
    assert order.status is S.ON_HOLD and order.hold_reasons[0].startswith("Marked completed")
    assert scalar(store, select(StockLevel.committed)) == 0


# --- products and allocation ----------------------------------------------------------------


def test_an_unknown_sku_creates_an_incomplete_product_and_the_order_still_imports(
    store: Station, tmp_path: Path
) -> None:
    import_file(store, "woocommerce", write(tmp_path, "w.json", woo()), progress=None)
    made = rows(
        store,
        select(Product.sku, Product.name, Product.price, Product.incomplete).order_by(Product.sku),
    )
    assert [tuple(p) for p in made] == [
        ("Bar3", "Ship Your Idea – Color: Black, Size: M Test", Decimal(12), True),
        ("woocommerce-93", "Woo Single #1", Decimal(3), True),
    ]
    order = order_row(store, "727")
    assert order.status is S.FINALIZED  # nothing on hand to allocate yet
    assert [ln.quantity_allocated for ln in lines_of(store, order.id)] == [0, 0]


def test_allocation_takes_bins_in_walk_order_never_beyond_on_hand_and_shows_the_shortfall(
    store: Station, tmp_path: Path
) -> None:
    summary = import_file(
        store,
        "products",
        catalogue(
            tmp_path,
            "Bar3,Ship Your Idea,5012345678900,1,250,12.00,B-02-1,1",
            "Bar3,Ship Your Idea,5012345678900,1,250,12.00,A-10-1,1",
            "Bar3,Ship Your Idea,5012345678900,1,250,12.00,A-2-1,1",
        ),
        progress=None,
    )
    assert one_json(summary) == counts(imported=1, updated=2)
    bins = rows(store, select(Bin.code, Bin.zone, Bin.walk_sequence).order_by(Bin.walk_sequence))
    assert [(b.code, b.zone) for b in bins] == [("A-2-1", "A"), ("A-10-1", "A"), ("B-02-1", "B")]
    big = woo()
    big["line_items"] = big["line_items"][1:]
    big["line_items"][0].update(quantity=4, total="48.00")
    small = woo(id=728, number="728")
    small["line_items"] = small["line_items"][1:]
    path = write(tmp_path, "w.json", [big, small])
    summary = import_file(store, "woocommerce", path, progress=None)
    assert one_json(summary) == counts(imported=2) and "2 waiting for stock" in summary.line()
    first, second = order_row(store, "727"), order_row(store, "728")
    assert first.status is S.ALLOCATED and second.status is S.FINALIZED
    assert [(ln.quantity_ordered, ln.quantity_allocated) for ln in lines_of(store, first.id)] == [
        (4, 3)
    ]
    assert [ln.quantity_allocated for ln in lines_of(store, second.id)] == [0]
    stock = rows(store, select(StockLevel.on_hand, StockLevel.committed))
    assert all(s.committed == s.on_hand == 1 for s in stock)
    taken = rows(
        store,
        select(Bin.code, Allocation.quantity).join(Bin, Bin.id == Allocation.bin_id),
    )
    assert sorted(tuple(t) for t in taken) == [("A-10-1", 1), ("A-2-1", 1), ("B-02-1", 1)]


def test_the_catalogue_refuses_on_hand_below_what_is_committed(
    store: Station, tmp_path: Path
) -> None:
    import_file(store, "products", catalogue(tmp_path, "Bar3,Idea,,,,12,A-01-1,5"), progress=None)
    import_file(store, "woocommerce", write(tmp_path, "w.json", woo()), progress=None)
    summary = import_file(
        store, "products", catalogue(tmp_path, "Bar3,Idea,,,,12,A-01-1,0"), progress=None
    )
    assert one_json(summary) == counts(rejected=1)
    assert summary.errors[0].field == "on_hand"
    assert "less than the 1 already committed" in summary.errors[0].reason
    assert scalar(store, select(StockLevel.on_hand)) == 5


def test_the_catalogue_completes_a_product_an_order_created(store: Station, tmp_path: Path) -> None:
    import_file(store, "woocommerce", write(tmp_path, "w.json", woo()), progress=None)
    path = catalogue(tmp_path, "Bar3,,4006381333931;CASE-BAR3,1;6,320,,C-01-1,12")
    assert one_json(import_file(store, "products", path, progress=None)) == counts(updated=1)
    product = rows(store, select(Product.incomplete, Product.weight_g).where(Product.sku == "Bar3"))
    assert [tuple(p) for p in product] == [(False, 320)]
    codes = rows(store, select(ProductBarcode.code, ProductBarcode.kind, ProductBarcode.units))
    assert sorted((c.code, c.kind.value, c.units) for c in codes) == [
        ("04006381333931", "gtin", 1),
        ("CASE-BAR3", "alias", 6),
    ]
    assert one_json(import_file(store, "products", path, progress=None)) == counts(unchanged=1)


# --- review rules and holds -----------------------------------------------------------------


def test_a_first_order_over_the_limit_is_held_but_not_a_returning_customers(
    open_store: OpenStore, tmp_path: Path
) -> None:
    store = open_store("first_order_over = 25\n" + NO_RULES.split("\n", 1)[1])
    regular = woo(id=700, customer_id=42, number="700")
    import_file(store, "woocommerce", write(tmp_path, "a.json", regular), progress=None)
    stranger = woo(id=701, customer_id=43, number="701")
    returning = woo(id=702, customer_id=42, number="702")
    summary = import_file(
        store, "woocommerce", write(tmp_path, "b.json", [stranger, returning]), progress=None
    )
    assert one_json(summary) == counts(imported=1, held=1)
    assert order_row(store, "701").hold_reasons == [
        "First order over 25 USD (29.35 USD): check the payment before releasing"
    ]
    assert order_row(store, "702").hold_reasons == []


def test_billing_and_shipping_in_different_countries_are_held(
    open_store: OpenStore, tmp_path: Path
) -> None:
    store = open_store(NO_RULES.replace("countries_differ = false", "countries_differ = true"))
    order = woo()
    order["billing"]["country"] = "CA"
    import_file(store, "woocommerce", write(tmp_path, "w.json", order), progress=None)
    assert order_row(store, "727").hold_reasons == [
        "Billing country CA differs from shipping country US"
    ]


def test_a_personalised_line_is_held(open_store: OpenStore, tmp_path: Path) -> None:
    store = open_store(NO_RULES.replace("personalised = false", "personalised = true"))
    import_file(store, "shopify", SAMPLES / "shopify_order.json", progress=None)
    assert order_row(store, "450789469", "shopify").hold_reasons == [
        "Personalised item (IPOD2008GREEN): check the personalisation before picking"
    ]


def test_an_address_without_a_required_part_is_held(open_store: OpenStore, tmp_path: Path) -> None:
    store = open_store(
        NO_RULES.replace(
            'required_address_fields = ""', 'required_address_fields = "line1,postcode"'
        )
    )
    order = woo()
    order["shipping"]["postcode"] = ""
    import_file(store, "woocommerce", write(tmp_path, "w.json", order), progress=None)
    assert order_row(store, "727").hold_reasons == ["Ship-to address lacks postcode"]


def test_an_unpaid_order_waits_and_is_released_when_a_reimport_shows_it_paid(
    open_store: OpenStore, tmp_path: Path
) -> None:
    store = open_store(NO_RULES.replace("unpaid = false", "unpaid = true"))
    path = write(tmp_path, "w.json", woo(status="on-hold"))
    assert one_json(import_file(store, "woocommerce", path, progress=None)) == counts(held=1)
    assert order_row(store, "727").hold_reasons == [
        "Not paid yet in WooCommerce (status on-hold): release when the payment has arrived"
    ]
    paid = write(tmp_path, "w2.json", woo(status="processing"))
    assert one_json(import_file(store, "woocommerce", paid, progress=None)) == counts(updated=1)
    order = order_row(store, "727")
    assert order.status is S.FINALIZED and order.hold_reasons == []


def test_by_default_a_large_first_order_with_an_engraving_is_held_for_both(
    open_store: OpenStore, tmp_path: Path
) -> None:
    store = open_store("")  # the defaults
    import_file(store, "shopify", SAMPLES / "shopify_order.json", progress=None)
    reasons = order_row(store, "450789469", "shopify").hold_reasons
    assert [r.split(" (")[0] for r in reasons] == ["First order over 250 USD", "Personalised item"]


def test_a_supervisor_releases_a_hold_and_stock_is_allocated(
    open_store: OpenStore, tmp_path: Path
) -> None:
    store = open_store(NO_RULES.replace("unpaid = false", "unpaid = true"))
    import_file(store, "products", catalogue(tmp_path, "Bar3,Idea,,,,12,A-01-1,5"), progress=None)
    import_file(
        store, "woocommerce", write(tmp_path, "w.json", woo(status="pending")), progress=None
    )
    with pytest.raises(NotAllowed):
        release_hold(store, actor(Role.PACKER), "727")
    released = release_hold(store, actor(Role.SUPERVISOR), "727")
    assert (released.status, released.allocated, released.short) == (S.ALLOCATED, 1, 2)
    order = order_row(store, "727")
    assert order.status is S.ALLOCATED and order.hold_reasons == []
    [event] = rows(
        store,
        select(AuditEvent.user_name, AuditEvent.detail).where(
            AuditEvent.action == "order.hold_released"
        ),
    )
    assert event.user_name == "Helen Marsh" and "Not paid yet" in event.detail
    # A re-import of the same (still unpaid) file respects the supervisor's release.
    path = write(tmp_path, "w.json", woo(status="pending"))
    assert one_json(import_file(store, "woocommerce", path, progress=None)) == counts(unchanged=1)


# --- bad rows and bad files -----------------------------------------------------------------


def test_bigcommerce_products_as_a_link_or_an_empty_list_are_rejected_with_that_reason(
    store: Station, tmp_path: Path
) -> None:
    linked = load(SAMPLES, "bigcommerce_v2_order.json")
    empty = dict(linked, id=219, products=[])
    good = dict(bigcommerce_inlined(SAMPLES), id=220)
    path = write(tmp_path, "bc.json", [linked, empty, good])
    summary = import_file(store, "bigcommerce", path, progress=None)
    assert (summary.rejected, summary.imported + summary.held) == (2, 1)
    assert [(e.where, e.field) for e in summary.errors] == [
        ("bc.json order 218", "products"),
        ("bc.json order 219", "products"),
    ]
    assert "only a link" in summary.errors[0].reason and "no products" in summary.errors[1].reason


def test_a_bad_row_is_reported_with_file_row_field_and_reason_while_good_orders_import(
    store: Station, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
        "536528,22960,JAM SET,1,2010-12-01 13:17:00,4.25,15525,United Kingdom\n"
        "536530,22364,GLASS JAR,1,2010-12-01 13:21:00,four,17905,United Kingdom\n"
        "536591,21620,ROSE CANDLES,1,2010-12-01 16:57:00,3.75,14606,United Kingdom\n",
        encoding="utf-8",
    )
    summary = import_file(store, "csv", path, progress=None)
    assert one_json(summary) == counts(imported=2, rejected=1)
    assert summary.as_json()["errors"] == [
        {
            "where": "orders.csv line 3 (invoice 536530)",
            "field": "UnitPrice",
            "reason": "'four' is not an amount (write it like 4.25)",
        }
    ]
    numbers = rows(store, select(Order.number).order_by(Order.number))
    assert [n[0] for n in numbers] == ["536528", "536591"]


def test_each_order_is_all_or_nothing(
    store: Station, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = order_writer.OrderWriter._insert_lines

    def failing(batch: Any, order_id: int, lines: Any, product_ids: Any, **kw: Any) -> None:
        real(batch, order_id, lines, product_ids, **kw)
        if any(line.sku == "BROKEN-1" for line in lines):
            raise DomainError("the disk said no")

    monkeypatch.setattr(order_writer.OrderWriter, "_insert_lines", failing)
    broken = woo(id=728, number="728", customer_id=99)
    broken["line_items"][0]["sku"] = "BROKEN-1"
    path = write(tmp_path, "w.json", [woo(), broken, woo(id=729, number="729")])
    summary = import_file(store, "woocommerce", path, progress=None)
    assert one_json(summary) == counts(imported=2, rejected=1)
    assert summary.errors[0].reason == "the disk said no"
    assert scalar(store, select(func.count()).where(Order.external_id == "728")) == 0
    assert scalar(store, select(func.count()).where(Product.sku == "BROKEN-1")) == 0
    assert scalar(store, select(func.count()).where(Customer.channel_ref == "woocommerce:99")) == 0
    assert scalar(store, select(func.count()).select_from(Address)) == 4  # two orders' two each


def test_a_truncated_json_file_is_a_clear_error_and_changes_nothing(
    store: Station, tmp_path: Path
) -> None:
    import_file(store, "woocommerce", write(tmp_path, "w.json", woo()), progress=None)
    before = store_state(store)
    text = json.dumps([woo(id=800), woo(id=801)])
    cut = tmp_path / "cut.json"
    cut.write_text(text[: len(text) * 2 // 3], encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"cut.json is not valid JSON.*Nothing was imported"):
        import_file(store, "woocommerce", cut, progress=None)
    assert store_state(store) == before


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[: len(b) - 25], id="cut mid-line"),
        pytest.param(lambda b: b[:4000] + b"\xff\xfe\x00garbage" + b[4000:], id="not text"),
    ],
)
def test_a_corrupt_or_truncated_csv_is_a_clear_error_and_changes_nothing(
    store: Station, tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    import_file(store, "woocommerce", write(tmp_path, "w.json", woo()), progress=None)
    before = store_state(store)
    bad = tmp_path / "damaged.csv"
    bad.write_bytes(damage(RETAIL_SAMPLE.read_bytes()))
    with pytest.raises(ImportFileError, match="Nothing was imported"):
        import_file(store, "csv", bad, progress=None)
    assert store_state(store) == before


def test_a_missing_file_is_a_clear_error(store: Station, tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="no such file"):
        import_file(store, "csv", tmp_path / "nowhere.csv", progress=None)


# --- size and the command line --------------------------------------------------------------


def test_five_thousand_rows_import_and_reimport_unchanged(store: Station, tmp_path: Path) -> None:
    source = SHARED_RETAIL if SHARED_RETAIL.is_file() else RETAIL_SAMPLE
    with source.open(newline="", encoding="utf-8") as f:
        header, *body = list(csv.reader(f))
    path = tmp_path / "5k.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(header)
        written = copy_n = 0
        while written < 5000:
            for row in body[: 5000 - written]:
                prefix = "C" if row[0].startswith("C") else ""
                out.writerow([f"{prefix}{copy_n}{row[0].lstrip('C')}", *row[1:]])
            written += len(body[: 5000 - written])
            copy_n += 1
    with path.open(newline="", encoding="utf-8") as f:
        invoices = {row["InvoiceNo"] for row in csv.DictReader(f)}
    said: list[str] = []
    first = import_file(store, "csv", path, progress=said.append)
    assert first.total == len(invoices)
    second = import_file(store, "csv", path, progress=None)
    assert (second.imported, second.updated, second.held) == (0, 0, 0)
    assert second.unchanged + second.rejected == len(invoices)


def test_the_import_command_prints_the_summary_as_one_json_object(isolated_home: Path) -> None:
    def packbench(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "app", *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=dict(os.environ),
        )

    done = packbench("import", "csv", str(RETAIL_SAMPLE), "--json")
    assert done.returncode in (0, 1), done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(summary) == {"imported", "updated", "unchanged", "held", "rejected", "errors"}
    assert done.returncode == (1 if summary["rejected"] else 0)
    again = json.loads(packbench("import", "csv", str(RETAIL_SAMPLE), "--json").stdout)
    assert (again["imported"], again["updated"]) == (0, 0)
    cut = isolated_home / "cut.json"
    cut.write_text(json.dumps(woo())[:300], encoding="utf-8")
    failed = packbench("import", "woocommerce", str(cut), "--json")
    assert failed.returncode == 2 and failed.stdout == ""
    assert "not valid JSON" in failed.stderr and "Nothing was imported" in failed.stderr
