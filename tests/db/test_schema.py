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
from app.db.session import create_db_engine


def sqlite_engine(path: Path) -> Engine:
    return create_db_engine(f"sqlite:///{path}")


def test_migrations_build_exactly_the_models_from_empty(tmp_path: Path) -> None:
    engine = sqlite_engine(tmp_path / "s.sqlite3")
    made = migrate.ensure_schema(engine, tmp_path / "s.sqlite3")
    assert made == migrate.SchemaChange(None, migrate.head_revision(), backup=None)
    assert migrate.ensure_schema(engine, tmp_path / "s.sqlite3") is None  # nothing left to do
    with engine.connect() as c:
        assert compare_metadata(MigrationContext.configure(c), Base.metadata) == []
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
