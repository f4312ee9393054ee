"""The local file and the central store: migrations, pragmas, and what the database refuses."""

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import IntegrityError, OperationalError

from app.config import Config
from app.db import migrate
from app.db.models import Base
from app.db.order_search import not_search_index
from app.db.session import create_db_engine


def sqlite_engine(path: Path) -> Engine:
    return create_db_engine(f"sqlite:///{path}")


def test_migrations_build_exactly_the_models_from_empty(tmp_path: Path) -> None:
    engine = sqlite_engine(tmp_path / "s.sqlite3")
    made = migrate.ensure_schema(engine, tmp_path / "s.sqlite3")
    assert made == migrate.SchemaChange(None, migrate.head_revision(), backup=None)
    assert migrate.ensure_schema(engine, tmp_path / "s.sqlite3") is None  # nothing left to do
    with engine.connect() as c:
        context = MigrationContext.configure(c, opts={"include_name": not_search_index})
        assert compare_metadata(context, Base.metadata) == []
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_the_local_file_is_opened_for_power_cuts(tmp_path: Path) -> None:
    engine = sqlite_engine(tmp_path / "s.sqlite3")
    with engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def seed_at_first_revision(path: Path) -> Engine:
    engine = sqlite_engine(path)
    migrate.upgrade(engine, "0001")
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO products (id, sku, name, currency, serial_tracked, lot_tracked,"
                " incomplete, updated_at) VALUES (1, 'CRUNCHY-ARMCHAIR', 'Crunchy armchair',"
                " 'GBP', 0, 0, 0, '2026-01-01T00:00:00.000000+00:00')"
            )
        )
    return engine


def test_an_older_local_database_is_upgraded_with_its_data_and_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "station.sqlite3"
    engine = seed_at_first_revision(path)
    change = migrate.ensure_schema(engine, path)
    assert change is not None and change.before == "0001"
    backup = change.backup
    assert migrate.current_revision(engine) == migrate.head_revision()
    with engine.connect() as c:
        assert c.execute(text("SELECT sku FROM products")).scalar() == "CRUNCHY-ARMCHAIR"
        assert c.execute(text("SELECT count(*) FROM outbox")).scalar() == 0
    assert backup is not None and Path(backup).exists()
    old = sqlite3.connect(backup)
    assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert old.execute("SELECT sku FROM products").fetchone() == ("CRUNCHY-ARMCHAIR",)
    old.close()


def test_the_station_upgrades_an_older_local_database_on_start(config: Config) -> None:
    from app.bootstrap import open_station

    config.local_database.parent.mkdir(parents=True)
    seed_at_first_revision(config.local_database).dispose()
    station = open_station(config)
    try:
        assert station.upgraded_from_backup is not None
        assert migrate.current_revision(station.local_engine) == migrate.head_revision()
    finally:
        station.close()


def test_a_database_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    engine = sqlite_engine(path)
    migrate.ensure_schema(engine, path)
    with engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(migrate.SchemaTooNew, match="newer Packbench"):
        migrate.ensure_schema(engine, path)
    assert migrate.current_revision(engine) == "9999"


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    e = sqlite_engine(tmp_path / "s.sqlite3")
    migrate.ensure_schema(e, tmp_path / "s.sqlite3")
    return e


def test_the_audit_trail_cannot_be_changed_or_deleted(engine: Engine) -> None:
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO audit_events (at, station, action) "
                "VALUES ('2026-11-22T00:00:00.000000+00:00', 'ST-01', 'login.pin')"
            )
        )
    for statement in ("UPDATE audit_events SET action = 'nothing'", "DELETE FROM audit_events"):
        with (
            pytest.raises((IntegrityError, OperationalError), match="append-only"),
            engine.begin() as c,
        ):
            c.execute(text(statement))


def test_stock_cannot_be_committed_beyond_what_is_on_hand(engine: Engine) -> None:
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO products (id, sku, name, currency, serial_tracked, lot_tracked,"
                " incomplete, updated_at) VALUES (1, 'OMINOUS-MIRROR', 'Mirror', 'GBP',"
                " 0, 0, 0, '2026-01-01T00:00:00.000000+00:00')"
            )
        )
        c.execute(
            text("INSERT INTO bins (id, code, zone, walk_sequence) VALUES (1, 'A-01', 'A', 1)")
        )
    with pytest.raises(IntegrityError, match="committed_within_on_hand"), engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO stock_levels (product_id, bin_id, on_hand, committed)"
                " VALUES (1, 1, 2, 3)"
            )
        )


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    with pytest.raises(IntegrityError, match="FOREIGN KEY"), engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO stock_levels (product_id, bin_id, on_hand, committed)"
                " VALUES (42, 42, 1, 0)"
            )
        )


@pytest.mark.postgres
def test_the_same_migrations_build_the_central_store_on_postgresql(central_url: str) -> None:
    admin = create_engine(central_url)
    schema = "packbench_schema_test"
    with admin.begin() as c:
        c.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        c.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine = create_engine(central_url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        migrate.ensure_schema(engine)
        with engine.connect() as c:
            assert compare_metadata(MigrationContext.configure(c), Base.metadata) == []
        with engine.begin() as c:
            c.execute(
                text(
                    "INSERT INTO audit_events (at, station, action) "
                    "VALUES (now(), 'ST-01', 'login.pin')"
                )
            )
        with pytest.raises(Exception, match="append-only"), engine.begin() as c:
            c.execute(text("DELETE FROM audit_events"))
    finally:
        engine.dispose()
        with admin.begin() as c:
            c.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.dispose()


def _invoice_is_stamped_once_then_frozen(engine: Engine) -> None:
    """The central store stamps a recorded invoice's change number once (how stations pull
    it); every other change, a second stamp included, and every delete are refused."""
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO invoices (id, number, kind, order_number, customer_name, station,"
                " issued_at, currency, locale, rounding, net, tax, gross, document) VALUES"
                " (1, 'INV-ST-01-2026-000001', 'invoice', '100234', 'J M', 'ST-01',"
                " '2026-12-03T10:00:00.000000+00:00', 'EUR', 'de_DE', 'line', '10.00',"
                " '1.90', '11.90', '{}')"
            )
        )
        c.execute(
            text(
                "INSERT INTO invoice_lines (id, invoice_id, position, line_no, sku, name,"
                " quantity, unit_price, discount, tax_rate, net, tax) VALUES (1, 1, 1, 1,"
                " 'TEA', 'Tea', 1, '10.00', '0', '0.19', '10.00', '1.90')"
            )
        )
    with engine.begin() as c:
        c.execute(text("UPDATE invoices SET change_seq = 7 WHERE id = 1"))
    refused = (
        "UPDATE invoices SET change_seq = 8",
        "UPDATE invoices SET gross = '0.00'",
        "UPDATE invoices SET change_seq = NULL",
        "DELETE FROM invoices",
        "UPDATE invoice_lines SET quantity = 2",
        "DELETE FROM invoice_lines",
    )
    for statement in refused:
        with pytest.raises(Exception, match="append-only"), engine.begin() as c:
            c.execute(text(statement))
    with engine.connect() as c:
        assert c.execute(text("SELECT change_seq, gross FROM invoices")).one()[0] == 7


def test_an_invoice_is_stamped_once_then_frozen_on_sqlite(engine: Engine) -> None:
    _invoice_is_stamped_once_then_frozen(engine)


@pytest.mark.postgres
def test_an_invoice_is_stamped_once_then_frozen_on_postgresql(central_url: str) -> None:
    from tests.sync.stores import fresh_database

    with fresh_database(central_url) as url:
        engine = create_engine(url)
        try:
            migrate.ensure_schema(engine)
            _invoice_is_stamped_once_then_frozen(engine)
        finally:
            engine.dispose()


def test_the_warehouses_upgrade_makes_todays_data_one_warehouse_losing_nothing(
    tmp_path: Path,
) -> None:
    """0009 -> 0010 on a file with stock held by an order: everything is still there, in
    warehouse MAIN, the allocation included (the bins table is copied with its children)."""
    path = tmp_path / "station.sqlite3"
    engine = sqlite_engine(path)
    migrate.upgrade(engine, "0009")
    at = "'2026-01-01T00:00:00.000000+00:00'"
    with engine.begin() as c:
        for statement in (
            "INSERT INTO products (id, sku, name, currency, serial_tracked, lot_tracked,"
            f" incomplete, updated_at) VALUES (1, 'TEA', 'Tea', 'GBP', 0, 0, 0, {at})",
            "INSERT INTO bins (id, code, zone, walk_sequence) VALUES (7, 'A-01-1', 'A', 10)",
            "INSERT INTO stock_levels (product_id, bin_id, on_hand, committed) VALUES (1, 7, 5, 2)",
            "INSERT INTO orders (id, number, channel, external_id, currency, priority, status,"
            " hold_reasons, shipping_total, placed_at, updated_at, version) VALUES (3, 'ORD-3',"
            f" 'csv', '3', 'GBP', 0, 'allocated', '[]', '0', {at}, {at}, 1)",
            "INSERT INTO order_lines (id, order_id, line_no, product_id, sku, name,"
            " quantity_ordered, quantity_allocated, quantity_picked, quantity_packed,"
            " quantity_shipped, quantity_invoiced, quantity_returned, unit_price, tax_rate,"
            " discount, personalised) VALUES (9, 3, 1, 1, 'TEA', 'Tea', 2, 2, 0, 0, 0, 0, 0,"
            " '1', '0', '0', 0)",
            "INSERT INTO allocations (order_line_id, bin_id, product_id, quantity)"
            " VALUES (9, 7, 1, 2)",
        ):
            c.execute(text(statement))
    migrate.upgrade(engine)
    with engine.connect() as c:
        assert c.execute(text("SELECT id, code, name FROM warehouses")).all() == [
            (1, "MAIN", "Main warehouse")
        ]
        assert c.execute(text("SELECT id, code, warehouse_id FROM bins")).all() == [
            (7, "A-01-1", 1)
        ]
        assert c.execute(
            text("SELECT on_hand, committed, warehouse_id FROM stock_levels")
        ).all() == [(5, 2, 1)]
        assert c.execute(text("SELECT number, warehouse_id FROM orders")).all() == [("ORD-3", 1)]
        assert c.execute(text("SELECT * FROM allocations")).all() == [(9, 7, 1, 2)]
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # on again after it
        assert c.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        # A bin code is now unique within its warehouse only.
        c.execute(
            text(
                "INSERT INTO warehouses (id, code, name, address_lines, country, serves,"
                " priority, active) VALUES (2, 'BER', 'Berlin', '[]', 'DE', '[]', 0, 1)"
            )
        )
        c.execute(
            text(
                "INSERT INTO bins (code, zone, walk_sequence, warehouse_id)"
                " VALUES ('A-01-1', 'A', 10, 2)"
            )
        )
        with pytest.raises(IntegrityError):
            c.execute(
                text(
                    "INSERT INTO bins (code, zone, walk_sequence, warehouse_id)"
                    " VALUES ('A-01-1', 'A', 10, 2)"
                )
            )
