"""Sync benchmark: a station pulling a big central store, next to raw sqlite3 inserting it.

The central store is a SQLite file by default; ``PACKBENCH_BENCH_CENTRAL_URL`` names a
PostgreSQL database instead (the benchmark works in a schema of its own there and drops it
afterwards). ``-n`` is the number of orders (default 100,000, three lines each).

Lines printed (one JSON object each):

- ``sync-initial``: an empty station pulls everything; the floor is raw ``sqlite3``
  executemany inserting the very same rows into an empty file with the same schema and
  pragmas, in one transaction. Goal (G10 in the performance notes): ratio <= 2.
- ``sync-incremental``: 1,000 orders changed centrally, pulled (goal: under 1 s); the floor
  is raw ``sqlite3`` upserting the same rows into the station.
- ``sync-push``: 1,000 waiting commands pushed and answered (in batches: one central and
  one local transaction per 50 commands, a savepoint and an answer each); the floor is the
  bare central work of each in a transaction of its own (mark the command applied, update
  the order, bump the clock). Goal: ratio <= 3.
- ``sync-initial-warehouse``: a second central store of ten warehouses sharing the ``-n``
  orders (and the bins, stock, customers and addresses) evenly; an empty station of one
  warehouse pulls its rows (and the shared products, users and warehouses); the floor is raw
  ``sqlite3`` executemany of exactly the rows it got. Goal: the same ratio as
  ``sync-initial`` (a warehouse's pull as fast as a one-warehouse store's).
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, insert, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.db.migrate import ensure_schema
from app.db.models import (
    Address,
    Bin,
    Customer,
    Order,
    OrderLine,
    OutboxCommand,
    Product,
    StockLevel,
    User,
    Warehouse,
)
from app.db.session import create_db_engine
from app.domain.status import OrderStatus
from app.domain.users import Role
from app.sync.clock import next_change_seq
from app.sync.pull import FAMILIES, pull
from app.sync.push import push

DEFAULT_ORDERS = 100_000
WAREHOUSES = 10  # for sync-initial-warehouse
MEASURED_WAREHOUSE = "W02"
LINES_PER_ORDER = 3
CHANGED_ORDERS = 1_000
COMMANDS = 1_000
REPEATS = 3
BATCH_ORDERS = 10_000  # orders per central transaction while building, as an import commits


def run(n: int | None, emit: Callable[[dict[str, object]], None]) -> None:
    orders = n or DEFAULT_ORDERS
    url = os.environ.get("PACKBENCH_BENCH_CENTRAL_URL", "")
    with tempfile.TemporaryDirectory(prefix="packbench-bench-sync-") as tmp:
        folder = Path(tmp)
        with _central_store(url, folder) as (central, kind):
            build_central(central, orders)
            _initial(central, kind, folder, orders, emit)
            station = folder / "station.sqlite3"
            local = _new_sqlite(station)
            pull(central, local)
            _incremental(central, local, kind, station, emit)
            _push(central, local, kind, emit)
            local.dispose()
        with _central_store(url, folder / "warehouses") as (central, kind):
            build_central(central, orders, warehouses=WAREHOUSES)
            _initial(central, kind, folder, orders, emit, warehouse=MEASURED_WAREHOUSE)


@contextmanager
def _central_store(url: str, folder: Path) -> Iterator[tuple[Engine, str]]:
    if not url:
        folder.mkdir(parents=True, exist_ok=True)
        engine = _new_sqlite(folder / "central.sqlite3")
        try:
            yield engine, "sqlite"
        finally:
            engine.dispose()
        return
    schema = f"packbench_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as c:
        c.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine = create_db_engine(
        make_url(url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    try:
        ensure_schema(engine)
        yield engine, "postgresql"
    finally:
        engine.dispose()
        with admin.begin() as c:
            c.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def _new_sqlite(path: Path) -> Engine:
    engine = create_db_engine(f"sqlite:///{path}")
    ensure_schema(engine)
    return engine


# --- the central store -------------------------------------------------------------------


def _next_number(conn: Connection) -> int:
    """This transaction's change number, as every central writer takes one."""
    with Session(conn) as session:  # joins the transaction; closing it ends nothing
        return next_change_seq(session)


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def build_central(central: Engine, orders: int, warehouses: int = 1) -> None:
    """Catalogue, customers and orders with Core executemany, stamped like any writer.

    ``warehouses`` > 1: MAIN and W02, W03 ... share the bins, stock and orders evenly (a
    customer's orders all in one warehouse)."""
    rng = random.Random(11)
    now = datetime(2026, 11, 20, 9, tzinfo=UTC)
    products, bins, customers = 1_000, 200, max(1, orders // 5)

    def home(i: int) -> int:
        return 1 + i % warehouses

    with central.begin() as conn:
        seq = _next_number(conn)
        if warehouses > 1:
            conn.execute(
                insert(_table(Warehouse)),
                [
                    {
                        "id": w,
                        "code": f"W{w:02d}",
                        "name": f"Warehouse {w}",
                        "address_lines": [],
                        "country": "GB",
                        "serves": [],
                        "priority": 0,
                        "active": True,
                        "change_seq": seq,
                    }
                    for w in range(2, warehouses + 1)
                ],
            )
        conn.execute(
            insert(_table(Product)),
            [
                {
                    "id": i,
                    "sku": f"SKU-{i:05d}",
                    "name": f"Product {i}",
                    "weight_g": 100 + i % 900,
                    "price": Decimal(f"{1 + i % 50}.{i % 100:02d}"),
                    "currency": "GBP",
                    "serial_tracked": False,
                    "lot_tracked": False,
                    "incomplete": False,
                    "updated_at": now,
                    "change_seq": seq,
                }
                for i in range(1, products + 1)
            ],
        )
        conn.execute(
            insert(_table(Bin)),
            [
                {
                    "id": i,
                    "warehouse_id": home(i),
                    "code": f"A-{i:03d}",
                    "zone": "A",
                    "walk_sequence": i,
                    "change_seq": seq,
                }
                for i in range(1, bins + 1)
            ],
        )
        conn.execute(
            insert(_table(StockLevel)),
            [
                {
                    "product_id": i,
                    "bin_id": 1 + i % bins,
                    "warehouse_id": home(1 + i % bins),
                    "on_hand": 10_000,
                    "committed": 0,
                    "change_seq": seq,
                }
                for i in range(1, products + 1)
            ],
        )
        conn.execute(
            insert(_table(Customer)),
            [
                {"id": i, "name": f"Customer {i}", "email": f"c{i}@example.com", "change_seq": seq}
                for i in range(1, customers + 1)
            ],
        )
        conn.execute(
            insert(_table(Address)),
            [
                {
                    "id": i,
                    "customer_id": i,
                    "name": f"Customer {i}",
                    "line1": f"{i} High Street",
                    "city": "Leeds",
                    "postcode": "LS1 4AP",
                    "country": "GB",
                    "change_seq": seq,
                }
                for i in range(1, customers + 1)
            ],
        )
        conn.execute(
            insert(_table(User)),
            [
                {
                    "name": f"Packer {i}",
                    "role": Role.PACKER,
                    "pin_hash": "x",
                    "grants": [],
                    "active": True,
                    "failed_attempts": 0,
                    "created_at": now,
                    "change_seq": seq,
                }
                for i in range(1, 11)
            ],
        )
    line_id = 0
    for start in range(1, orders + 1, BATCH_ORDERS):
        stop = min(orders + 1, start + BATCH_ORDERS)
        order_rows, line_rows = [], []
        with central.begin() as conn:
            seq = _next_number(conn)
            for i in range(start, stop):
                customer = 1 + i % customers
                order_rows.append(
                    {
                        "id": i,
                        "number": str(100_000 + i),
                        "warehouse_id": home(customer - 1),
                        "channel": "shopify",
                        "external_id": str(i),
                        "customer_id": customer,
                        "ship_to_id": customer,
                        "bill_to_id": customer,
                        "currency": "GBP",
                        "priority": 0,
                        "carrier": "DHL",
                        "service": "Parcel",
                        "status": OrderStatus.FINALIZED,
                        "hold_reasons": [],
                        "shipping_total": Decimal("4.99"),
                        "placed_at": now - timedelta(minutes=i),
                        "updated_at": now,
                        "version": 1,
                        "change_seq": seq,
                    }
                )
                for line_no in range(1, LINES_PER_ORDER + 1):
                    line_id += 1
                    product = rng.randint(1, products)
                    line_rows.append(
                        {
                            "id": line_id,
                            "order_id": i,
                            "line_no": line_no,
                            "product_id": product,
                            "sku": f"SKU-{product:05d}",
                            "name": f"Product {product}",
                            "quantity_ordered": rng.randint(1, 4),
                            "unit_price": Decimal("9.99"),
                            "tax_rate": Decimal("0.2"),
                        }
                    )
            conn.execute(insert(_table(Order)), order_rows)
            conn.execute(insert(_table(OrderLine)), line_rows)
    if central.dialect.name == "postgresql":
        with central.begin() as conn:  # as autovacuum would, soon after a big import
            conn.exec_driver_sql("ANALYZE")


# --- initial pull next to raw sqlite3 ------------------------------------------------------


def _synced_tables() -> list[Table]:
    return [t for f in FAMILIES for t in (f.table, *(c.table for c in f.children))]


def _raw_rows(path: Path) -> list[tuple[str, list[tuple[Any, ...]]]]:
    db = sqlite3.connect(path)
    try:
        return [
            (t.name, db.execute(f"SELECT * FROM {t.name}").fetchall()) for t in _synced_tables()
        ]
    finally:
        db.close()


def _raw_insert(path: Path, tables: list[tuple[str, list[tuple[Any, ...]]]], verb: str) -> float:
    """The floor: plain sqlite3, the station's pragmas, one transaction."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        started = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        for name, rows in tables:
            if rows:
                marks = ", ".join("?" for _ in rows[0])
                db.executemany(f"{verb} INTO {name} VALUES ({marks})", rows)
        db.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        db.close()


def _initial(
    central: Engine,
    kind: str,
    folder: Path,
    orders: int,
    emit: Callable[[dict[str, object]], None],
    warehouse: str = "",
) -> None:
    ours, floors, rows, pulled_orders = [], [], 0, 0
    for attempt in range(REPEATS):
        path = folder / f"initial-{attempt}.sqlite3"
        local = _new_sqlite(path)
        started = time.perf_counter()
        result = pull(central, local, warehouse=warehouse)
        pulled_orders = result.orders
        ours.append(time.perf_counter() - started)
        local.dispose()
        rows = result.total_rows
        tables = _raw_rows(path)
        floor_path = folder / f"floor-{attempt}.sqlite3"
        _new_sqlite(floor_path).dispose()
        with closing(sqlite3.connect(floor_path)) as db, db:  # the migration's MAIN: pulled too
            db.execute("DELETE FROM warehouses")
        floors.append(_raw_insert(floor_path, tables, "INSERT"))
        for leftover in (path, floor_path):
            leftover.unlink()
    seconds, baseline = statistics.median(ours), statistics.median(floors)
    if warehouse:
        emit(
            {
                "bench": "sync-initial-warehouse",
                "central": kind,
                "warehouses": WAREHOUSES,
                "orders_in_all": orders,
                "orders": pulled_orders,
                "rows": rows,
                "seconds": round(seconds, 4),
                "baseline_seconds": round(baseline, 4),
                "ratio": round(seconds / baseline, 2),
                "goal_ratio": 2.0,
                "runs": REPEATS,
                "what": f"empty station of warehouse {warehouse} (one of {WAREHOUSES}) pulls its "
                "rows; floor: raw sqlite3 executemany of the same rows into an empty file",
            }
        )
        return
    emit(
        {
            "bench": "sync-initial",
            "central": kind,
            "orders": orders,
            "rows": rows,
            "seconds": round(seconds, 4),
            "baseline_seconds": round(baseline, 4),
            "ratio": round(seconds / baseline, 2),
            "goal_ratio": 2.0,
            "runs": REPEATS,
            "what": "empty station pulls the central store; floor: raw sqlite3 executemany "
            "of the same rows into an empty file",
        }
    )


# --- incremental pull ---------------------------------------------------------------------


def _incremental(
    central: Engine,
    local: Engine,
    kind: str,
    station: Path,
    emit: Callable[[dict[str, object]], None],
) -> None:
    with central.connect() as conn:
        top = int(conn.exec_driver_sql("SELECT max(id) FROM orders").scalar_one())
    changed = random.Random(5).sample(range(1, top + 1), min(CHANGED_ORDERS, top))
    for start in range(0, len(changed), 100):  # ten writers' worth of transactions
        ids = changed[start : start + 100]
        with central.begin() as conn:
            seq = _next_number(conn)
            conn.execute(
                update(_table(Order))
                .where(_table(Order).c.id.in_(ids))
                .values(priority=_table(Order).c.priority + 1, change_seq=seq)
            )
    started = time.perf_counter()
    result = pull(central, local)
    seconds = time.perf_counter() - started
    ids_sql = ", ".join(map(str, changed))
    db = sqlite3.connect(station)
    tables = [
        ("orders", db.execute(f"SELECT * FROM orders WHERE id IN ({ids_sql})").fetchall()),
        (
            "order_lines",
            db.execute(f"SELECT * FROM order_lines WHERE order_id IN ({ids_sql})").fetchall(),
        ),
    ]
    db.close()
    baseline = _raw_insert(station, tables, "INSERT OR REPLACE")
    emit(
        {
            "bench": "sync-incremental",
            "central": kind,
            "orders": result.orders,
            "rows": result.total_rows,
            "seconds": round(seconds, 4),
            "baseline_seconds": round(baseline, 4),
            "ratio": round(seconds / baseline, 2),
            "goal_seconds": 1.0,
            "what": "1,000 orders changed centrally in ten transactions, pulled with their "
            "lines; floor: raw sqlite3 upsert of the same rows",
        }
    )


# --- push ---------------------------------------------------------------------------------


def _push(
    central: Engine, local: Engine, kind: str, emit: Callable[[dict[str, object]], None]
) -> None:
    with central.connect() as conn:
        top = int(conn.exec_driver_sql("SELECT max(id) FROM orders").scalar_one())
    numbers = [str(100_000 + i) for i in range(1, min(2 * COMMANDS, top) + 1)]
    ours_numbers, floor_numbers = numbers[0::2], numbers[1::2]
    with local.begin() as conn:
        conn.execute(
            insert(_table(OutboxCommand)),
            [
                {
                    "command_id": str(uuid.uuid4()),
                    "kind": "order.status",
                    "payload": {
                        "number": number,
                        "from": "finalized",
                        "to": "on_hold",
                        "reason": "Customer asked to change the delivery address",
                        "version": 1,
                    },
                    "state": "pending",
                    "created_at": datetime.now(UTC),
                }
                for number in ours_numbers
            ],
        )
    started = time.perf_counter()
    result = push(central, local, "ST-BENCH")
    seconds = time.perf_counter() - started
    baseline = _raw_push_floor(central, floor_numbers)
    emit(
        {
            "bench": "sync-push",
            "central": kind,
            "commands": result.pushed,
            "applied": result.applied,
            "seconds": round(seconds, 4),
            "baseline_seconds": round(baseline, 4),
            "ratio": round(seconds / baseline, 2),
            "per_command_ms": round(seconds / max(1, result.pushed) * 1000, 3),
            "goal_ratio": 3.0,
            "what": "1,000 order.status commands in batches of 50 (one central transaction "
            "each, a savepoint and an idempotency record per command), each answered in the "
            "station's outbox; floor: a bare central transaction per command",
        }
    )


def _raw_push_floor(central: Engine, numbers: list[str]) -> float:
    """Per command, one transaction: record it, change the order, bump the clock."""
    with central.connect() as conn:
        started = time.perf_counter()
        for number in numbers:
            with conn.begin():
                conn.execute(
                    text(
                        "INSERT INTO applied_commands (command_id, station, kind, outcome, "
                        "applied_at) VALUES (:id, 'ST-BENCH', 'order.status', 'applied', :at)"
                    ),
                    {"id": str(uuid.uuid4()), "at": datetime.now(UTC).isoformat()},
                )
                seq = conn.execute(
                    text("UPDATE sync_clock SET seq = seq + 1 WHERE id = 1 RETURNING seq")
                ).scalar_one()
                conn.execute(
                    text(
                        "UPDATE orders SET status = 'on_hold', version = version + 1, "
                        "change_seq = :seq WHERE number = :number"
                    ),
                    {"seq": seq, "number": number},
                )
        return time.perf_counter() - started
