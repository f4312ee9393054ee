"""Central stores and stations for the sync tests, and the one comparison they all end with.

A central store is a SQLite file in tmp_path, or a fresh schema of its own on the PostgreSQL
server named by PACKBENCH_TEST_CENTRAL_URL (dropped afterwards). Stations are real ones, each
with its own PACKBENCH_HOME, opened through app.bootstrap like the app opens them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, create_engine, select
from sqlalchemy.engine import make_url

from app.bootstrap import Station, open_station
from app.config import load_config
from app.db.migrate import ensure_schema
from app.db.models import Order
from app.db.session import create_db_engine
from app.domain.status import OrderStatus
from app.domain.users import Actor, Role, permissions_of
from app.services.demo import DemoDataset, build_demo_dataset, load_demo
from app.sync.pull import FAMILIES

SYNCED_TABLES: tuple[Table, ...] = tuple(
    t for f in FAMILIES for t in (f.table, *(c.table for c in f.children))
)


@dataclass
class Central:
    """A central store for one test: its URL, an engine, and what kind it is."""

    url: str
    engine: Engine
    kind: str  # sqlite | postgresql
    schema: str | None = None
    application_name: str | None = None


@contextmanager
def sqlite_central(folder: Path) -> Iterator[Central]:
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'central.sqlite3'}"
    engine = create_db_engine(url)
    ensure_schema(engine)
    try:
        yield Central(url, engine, "sqlite")
    finally:
        engine.dispose()


def schema_url(server_url: str, schema: str, application_name: str | None = None) -> str:
    """The server URL with a search_path (and a name to find our connections by)."""
    query: dict[str, str] = {"options": f"-csearch_path={schema}"}
    if application_name:
        query["application_name"] = application_name
    return make_url(server_url).update_query_dict(query).render_as_string(hide_password=False)


@contextmanager
def empty_schema(server_url: str) -> Iterator[str]:
    """A schema of our own on the test server, dropped afterwards."""
    schema = f"pb_sync_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url)
    with admin.begin() as c:
        c.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield schema
    finally:
        with admin.begin() as c:
            c.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.dispose()


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the test server (no schema, no tables), dropped afterwards.

    For the tests of a first start: what a new user points PACKBENCH_CENTRAL_URL at.
    """
    name = f"pb_fresh_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()


@contextmanager
def postgres_central(server_url: str) -> Iterator[Central]:
    with empty_schema(server_url) as schema:
        name = f"pb-test-{uuid.uuid4().hex[:8]}"
        url = schema_url(server_url, schema, name)
        engine = create_db_engine(url)
        ensure_schema(engine)
        try:
            yield Central(url, engine, "postgresql", schema, name)
        finally:
            engine.dispose()


def open_test_station(home: Path, central_url: str, station_id: str = "ST-01") -> Station:
    config = load_config(
        {
            "PACKBENCH_HOME": str(home),
            "PACKBENCH_CENTRAL_URL": central_url,
            "PACKBENCH_STATION": station_id,
        }
    )
    return open_station(config)


@cache
def demo_dataset(orders: int = 300) -> DemoDataset:
    return build_demo_dataset(seed=7, orders=orders, products=120)


def fill_with_demo(central: Central, orders: int = 300) -> DemoDataset:
    dataset = demo_dataset(orders)
    load_demo(central.engine, dataset)
    if central.kind == "postgresql":
        # load_demo writes its own ids and leaves PostgreSQL's id sequences at 1 (reported
        # to the lead); move them on, so rows the tests add get fresh ids.
        with central.engine.begin() as conn:
            for table in SYNCED_TABLES:
                if "id" in table.c:
                    conn.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)"
                    )
    return dataset


def actor(station: Station, role: Role = Role.SUPERVISOR, name: str = "Helen Marsh") -> Actor:
    return Actor(1, name, role, permissions_of(role), station.station_id)


def rows_of(engine: Engine, table: Table) -> list[tuple[Any, ...]]:
    """Every row, typed (Decimal, aware datetimes), in key order: comparable across kinds."""
    with engine.connect() as conn:
        query = select(table).order_by(*table.primary_key.columns)
        return [tuple(row) for row in conn.execute(query)]


def differences(central: Engine, local: Engine) -> dict[str, str]:
    """Where the station's copy differs from the central rows (empty: identical)."""
    found: dict[str, str] = {}
    for table in SYNCED_TABLES:
        theirs, ours = rows_of(central, table), rows_of(local, table)
        if theirs != ours:
            missing = {repr(r) for r in theirs} - {repr(r) for r in ours}
            extra = {repr(r) for r in ours} - {repr(r) for r in theirs}
            found[table.name] = (
                f"{len(theirs)} central rows, {len(ours)} here; "
                f"{len(missing)} missing or stale here, e.g. {sorted(missing)[:1]}; "
                f"{len(extra)} only here, e.g. {sorted(extra)[:1]}"
            )
    return found


def orders_in(engine: Engine, status: OrderStatus, limit: int) -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.scalars(
                select(Order.number).where(Order.status == status).order_by(Order.id).limit(limit)
            )
        )


def status_of(engine: Engine, number: str) -> tuple[OrderStatus, int]:
    with engine.connect() as conn:
        row = conn.execute(select(Order.status, Order.version).where(Order.number == number)).one()
        return row[0], row[1]
