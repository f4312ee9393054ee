"""Fleet benchmark: many stations packing against one PostgreSQL central store at once.

``packbench bench fleet --stations 50 --minutes N`` makes a fresh database on a PostgreSQL
server on this machine (``PACKBENCH_BENCH_CENTRAL_URL``; 127.0.0.1 only: the benchmark
creates and drops a database and loads the server hard, so it never goes to a real store),
fills it with allocated orders over a small catalogue (so stations ship the same products at
the same moment), and starts one process per station, each with its own station database,
opened as the app opens it (``app.bootstrap.open_station``). For N minutes every station
does what a bench does, through the same services: pull, pick an order, claim it
(``packing.open_order``), scan its units one by one, close the parcel (which ships the
order), push its outbox. Then every station pushes what is left, pulls once more, and the
benchmark checks, from the databases themselves:

- ``lost``: commands in a station's outbox that the central store never recorded, or that
  are still waiting; ``doubled``: order lines whose shipped quantity is not the sum of their
  shipments (a command applied twice), and stock units the central store lost or gained
  against its shipments (two stations' writes to the same stock row overwriting each other);
- ``packed_twice``: orders shipped by more than one station;
- ``stations_differing``: stations whose synced rows are not exactly the central rows.

Two JSON lines: ``fleet`` (commands per second, push and pull latencies in ms, with the
machine's load before and after) and ``fleet-check`` (the counts above). There is no floor
here: the goal is 0 lost, 0 doubled, push p99 under 100 ms with 50 stations on two cores.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, func, insert, select
from sqlalchemy.engine import make_url

from app.benchmarks import BenchmarkRefused, percentiles_ms
from app.benchmarks.sync import _next_number, _synced_tables, _table
from app.bootstrap import open_station
from app.config import load_config
from app.db.migrate import ensure_schema
from app.db.models import (
    Address,
    Allocation,
    AppliedCommand,
    Bin,
    Customer,
    Order,
    OrderLine,
    OutboxCommand,
    Product,
    Shipment,
    ShipmentItem,
    ShipmentParcel,
    StockLevel,
    User,
)
from app.db.session import create_db_engine
from app.domain.errors import DomainError
from app.domain.status import OrderStatus
from app.domain.users import Actor, Role, permissions_of
from app.services import packing
from app.sync.pull import pull
from app.sync.push import count_pending, push

Emit = Callable[[dict[str, object]], None]

DEFAULT_STATIONS = 50
DEFAULT_MINUTES = 1.0
MAX_STATIONS = 100
MAX_MINUTES = 60.0
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
PRODUCTS = 40  # few: stations ship the same products at once, so stock rows are contended
ON_HAND = 1_000_000
# A packer scans an item every 0.5 to 1.5 s (1 s on average), each at a pace of their own:
# stations that scanned in lock step, all started at once, pushed in bursts of fifty.
SCAN_INTERVAL_S = (0.5, 1.5)
START_SPREAD_S = 5.0  # benches start within a few seconds of each other, not together
PULL_EVERY_S = 5.0  # as the app's sync loop at its shortest interval; pushes go at once
ORDERS_PER_STATION_MINUTE = 40  # more than a station can pack, so none runs out
CHOICE = 3  # a station picks among the first CHOICE x stations open orders: they collide
PHASE_TIMEOUT_S = 600.0


# --- the server and its fresh database -----------------------------------------------------


def server_url(environ: dict[str, str] | None = None) -> str:
    """The PostgreSQL server to load, from PACKBENCH_BENCH_CENTRAL_URL; only one on this host."""
    env = os.environ if environ is None else environ
    url = env.get("PACKBENCH_BENCH_CENTRAL_URL", "")
    example = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    if not url:
        raise BenchmarkRefused(
            "The fleet benchmark needs a PostgreSQL server on this machine: set "
            f"PACKBENCH_BENCH_CENTRAL_URL, e.g. {example} (it makes a database of its own "
            "there and drops it afterwards)."
        )
    try:
        parsed = make_url(url)
    except Exception as error:
        raise BenchmarkRefused(
            f"PACKBENCH_BENCH_CENTRAL_URL is not a database URL ({error}); e.g. {example}."
        ) from error
    if not parsed.drivername.startswith("postgresql"):
        raise BenchmarkRefused(
            f"The fleet benchmark runs against PostgreSQL, not {parsed.drivername}: set "
            f"PACKBENCH_BENCH_CENTRAL_URL to a PostgreSQL server on this machine, e.g. {example}."
        )
    if parsed.host not in LOCAL_HOSTS:
        raise BenchmarkRefused(
            f"The fleet benchmark runs only against a PostgreSQL server on this machine "
            f"(127.0.0.1), not {parsed.host or 'a socket'}: it creates a database, loads the "
            "server with many stations and drops the database. Start one locally and point "
            f"PACKBENCH_BENCH_CENTRAL_URL at it, e.g. {example}."
        )
    return url


@contextmanager
def fresh_database(server: str) -> Iterator[str]:
    """A new database on the server for this run, dropped afterwards (its URL)."""
    name = f"packbench_fleet_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
        try:
            yield make_url(server).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        admin.dispose()


# --- the central store's orders ------------------------------------------------------------


def build_central(central: Engine, stations: int, orders: int) -> None:
    """Products (one bin each, plenty of stock), one packer per station, allocated orders."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    lines: list[dict[str, Any]] = []
    allocations: list[dict[str, Any]] = []
    committed = dict.fromkeys(range(1, PRODUCTS + 1), 0)
    line_id = 0
    for order_id in range(1, orders + 1):
        for line_no in range(1, rng.randint(1, 3) + 1):
            line_id += 1
            product, quantity = rng.randint(1, PRODUCTS), rng.randint(1, 2)
            committed[product] += quantity
            lines.append(
                {
                    "id": line_id,
                    "order_id": order_id,
                    "line_no": line_no,
                    "product_id": product,
                    "sku": f"FLEET-{product:03d}",
                    "name": f"Fleet item {product}",
                    "quantity_ordered": quantity,
                    "quantity_allocated": quantity,
                    "unit_price": Decimal("9.99"),
                    "tax_rate": Decimal("0.2"),
                }
            )
            allocations.append(
                {
                    "order_line_id": line_id,
                    "bin_id": product,
                    "product_id": product,
                    "quantity": quantity,
                }
            )
    with central.begin() as conn:
        seq = _next_number(conn)
        conn.execute(
            insert(_table(Product)),
            [
                {
                    "id": i,
                    "sku": f"FLEET-{i:03d}",
                    "name": f"Fleet item {i}",
                    "weight_g": 200,
                    "price": Decimal("9.99"),
                    "currency": "GBP",
                    "serial_tracked": False,
                    "lot_tracked": False,
                    "incomplete": False,
                    "updated_at": now,
                    "change_seq": seq,
                }
                for i in range(1, PRODUCTS + 1)
            ],
        )
        conn.execute(
            insert(_table(Bin)),
            [
                {"id": i, "code": f"F-{i:03d}", "zone": "F", "walk_sequence": i, "change_seq": seq}
                for i in range(1, PRODUCTS + 1)
            ],
        )
        conn.execute(
            insert(_table(StockLevel)),
            [
                {
                    "product_id": i,
                    "bin_id": i,
                    "on_hand": ON_HAND,
                    "committed": committed[i],
                    "change_seq": seq,
                }
                for i in range(1, PRODUCTS + 1)
            ],
        )
        conn.execute(
            insert(_table(Customer)),
            [{"id": 1, "name": "Fleet customer", "email": "fleet@example.com", "change_seq": seq}],
        )
        conn.execute(
            insert(_table(Address)),
            [
                {
                    "id": 1,
                    "customer_id": 1,
                    "name": "Fleet customer",
                    "line1": "1 Dock Road",
                    "city": "Leeds",
                    "postcode": "LS1 4AP",
                    "country": "GB",
                    "change_seq": seq,
                }
            ],
        )
        conn.execute(
            insert(_table(User)),
            [
                {
                    "id": i,
                    "name": f"Packer {i}",
                    "role": Role.PACKER,
                    "pin_hash": "x",
                    "grants": [],
                    "active": True,
                    "failed_attempts": 0,
                    "created_at": now,
                    "change_seq": seq,
                }
                for i in range(1, stations + 1)
            ],
        )
        conn.execute(
            insert(_table(Order)),
            [
                {
                    "id": i,
                    "number": str(500_000 + i),
                    "channel": "manual",
                    "external_id": f"fleet-{i}",
                    "customer_id": 1,
                    "ship_to_id": 1,
                    "bill_to_id": 1,
                    "currency": "GBP",
                    "priority": 0,
                    "carrier": "DHL",
                    "service": "Parcel",
                    "status": OrderStatus.ALLOCATED,
                    "hold_reasons": [],
                    "shipping_total": Decimal("4.99"),
                    "placed_at": now,
                    "updated_at": now,
                    "version": 1,
                    "change_seq": seq,
                }
                for i in range(1, orders + 1)
            ],
        )
        conn.execute(insert(_table(OrderLine)), lines)
        conn.execute(insert(_table(Allocation)), allocations)
        for table in ("orders", "order_lines", "users", "customers", "addresses"):
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )


# --- one station ---------------------------------------------------------------------------


@dataclass
class StationFigures:
    """What one station did in the timed window, and what went wrong (nothing, we hope)."""

    station: str
    packed: int = 0
    refused: int = 0
    commands: int = 0
    rejected: int = 0
    push_s: list[float] = field(default_factory=list)
    push_cpu_s: list[float] = field(default_factory=list)  # the station's own CPU per push
    pull_s: list[float] = field(default_factory=list)
    cpu_s: float = 0.0  # the station process's own CPU time in the timed window
    error: str | None = None


def _home(folder: Path, index: int) -> Path:
    return folder / f"st-{index:03d}"


def _station_id(index: int) -> str:
    return f"FL-{index:03d}"


def _open(folder: Path, index: int, url: str) -> Any:
    home = _home(folder, index)
    home.mkdir(parents=True, exist_ok=True)
    config = home / "config.toml"
    # Every station numbers its parcels from its own SSCC range, as a site sets them up.
    config.write_text(
        f"[gs1]\nsscc_first = {index * 100_000 + 1}\nsscc_last = {index * 100_000 + 99_999}\n",
        encoding="utf-8",
    )
    return open_station(
        load_config(
            {
                "PACKBENCH_HOME": str(home),
                "PACKBENCH_CONFIG": str(config),
                "PACKBENCH_CENTRAL_URL": url,
                "PACKBENCH_STATION": _station_id(index),
            }
        )
    )


def _station_main(
    index: int,
    stations: int,
    url: str,
    folder: Path,
    seconds: float,
    start: Any,
    drained: Any,
    answers: Any,
) -> None:
    """One station's life: pull, then pack for ``seconds``, then drain, wait, pull again."""
    figures = StationFigures(_station_id(index))
    try:
        station = _open(folder, index, url)
        try:
            _work(station, index, stations, seconds, figures, start, drained)
        finally:
            station.close()
    except BaseException as error:  # reported to the parent; the others are let go
        figures.error = f"{figures.station}: {type(error).__name__}: {error}"
        start.abort()
        drained.abort()
    answers.put(figures)


def _work(
    station: Any,
    index: int,
    stations: int,
    seconds: float,
    figures: StationFigures,
    start: Any,
    drained: Any,
) -> None:
    central, local = station.central_engine(), station.local_engine
    actor = Actor(
        index, f"Packer {index}", Role.PACKER, permissions_of(Role.PACKER), station.station_id
    )
    rng = random.Random(index)
    pull(central, local)
    start.wait(PHASE_TIMEOUT_S)
    deadline = time.monotonic() + seconds
    cpu_at_start = time.process_time()
    refused: set[str] = set()
    # A station comes to work at a moment of its own, and its sync loop pulls on its own clock.
    time.sleep(rng.uniform(0, START_SPREAD_S))
    next_pull = time.monotonic() + rng.uniform(0, PULL_EVERY_S)
    while time.monotonic() < deadline:
        number = _pick(local, rng, stations, refused)
        if number is None:
            break
        try:
            view = packing.open_order(station, actor, number)
        except DomainError:  # claimed by another station a moment ago: take another
            figures.refused += 1
            refused.add(number)
            continue
        for product_id, sku, units in _lines(local, number):
            for _ in range(units):
                time.sleep(rng.uniform(*SCAN_INTERVAL_S))
                packing.pack_item(station, actor, view.session_id, product_id, 1, shown=sku)
        packing.close_parcel(
            station,
            actor,
            view.session_id,
            packing.Weighing(500, "typed"),
            accept_out_of_range=True,
        )
        figures.packed += 1
        _timed_push(central, local, station.station_id, figures)
        if time.monotonic() >= next_pull:
            started = time.perf_counter()
            pull(central, local)
            figures.pull_s.append(time.perf_counter() - started)
            next_pull = time.monotonic() + PULL_EVERY_S
    figures.cpu_s = time.process_time() - cpu_at_start
    # Out of time: what is still waiting goes now (not timed), then everyone pulls last.
    for _ in range(5):
        if not count_pending(local):
            break
        result = push(central, local, station.station_id)
        figures.rejected += result.rejected
    drained.wait(PHASE_TIMEOUT_S)
    pull(central, local)


def _timed_push(central: Engine, local: Engine, station_id: str, figures: StationFigures) -> None:
    started, cpu = time.perf_counter(), time.process_time()
    result = push(central, local, station_id)
    took, cpu_took = time.perf_counter() - started, time.process_time() - cpu
    if result.pushed:
        figures.push_s.append(took)
        figures.push_cpu_s.append(cpu_took)
        figures.commands += result.pushed
        figures.rejected += result.rejected


def _pick(local: Engine, rng: random.Random, stations: int, refused: set[str]) -> str | None:
    """An allocated order, at random among the first few: several stations want the same."""
    with local.connect().execution_options(readonly=True) as conn:
        numbers = [
            n
            for n in conn.scalars(
                select(Order.number)
                .where(Order.status == OrderStatus.ALLOCATED)
                .order_by(Order.id)
                .limit(CHOICE * stations + len(refused))
            )
            if n not in refused
        ]
    return rng.choice(numbers) if numbers else None


def _lines(local: Engine, number: str) -> list[tuple[int, str, int]]:
    with local.connect().execution_options(readonly=True) as conn:
        rows = conn.execute(
            select(OrderLine.product_id, OrderLine.sku, OrderLine.quantity_ordered)
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.number == number)
            .order_by(OrderLine.line_no)
        ).all()
    return [(int(r[0]), str(r[1]), int(r[2])) for r in rows]


def run_stations(url: str, folder: Path, stations: int, seconds: float) -> list[StationFigures]:
    """Each station in a process of its own; their figures once all are done."""
    # Forked, not spawned: fifty interpreters importing the app cost more CPU than a minute
    # of packing. The parent holds no connection and runs no thread when it forks.
    context = multiprocessing.get_context("fork")
    start, drained = context.Barrier(stations), context.Barrier(stations)
    answers = context.Queue()
    processes = [
        context.Process(
            target=_station_main,
            args=(i, stations, url, folder, seconds, start, drained, answers),
            name=_station_id(i),
            daemon=True,
        )
        for i in range(1, stations + 1)
    ]
    for process in processes:
        process.start()
    figures: list[StationFigures] = []
    try:
        limit = time.monotonic() + seconds + 3 * PHASE_TIMEOUT_S
        while len(figures) < stations and time.monotonic() < limit:
            try:
                figures.append(answers.get(timeout=5))
            except Exception:  # queue.Empty: see whether they are still there
                if not any(p.is_alive() for p in processes):
                    break
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join()
    if len(figures) < stations:
        gone = stations - len(figures)
        raise RuntimeError(f"{gone} of {stations} fleet stations ended without a word")
    return figures


# --- the checks ----------------------------------------------------------------------------


@dataclass
class Checks:
    commands: int = 0
    lost: int = 0
    doubled: int = 0
    stock_units_off: int = 0
    packed_twice: int = 0
    stations_differing: int = 0
    differences: list[str] = field(default_factory=list)


def check(central: Engine, folder: Path, stations: int) -> Checks:
    """Count what went wrong, from the central store and every station's own file."""
    checks = Checks()
    with central.connect() as conn:
        recorded = set(conn.scalars(select(AppliedCommand.command_id)))
        shipped_lines = {
            (str(r[0]), int(r[1])): int(r[2])
            for r in conn.execute(
                select(Shipment.order_number, ShipmentItem.line_no, func.sum(ShipmentItem.quantity))
                .join(ShipmentParcel, ShipmentParcel.shipment_id == Shipment.id)
                .join(ShipmentItem, ShipmentItem.parcel_id == ShipmentParcel.id)
                .group_by(Shipment.order_number, ShipmentItem.line_no)
            )
        }
        lines = conn.execute(
            select(Order.number, OrderLine.line_no, OrderLine.quantity_shipped).join(
                Order, Order.id == OrderLine.order_id
            )
        ).all()
        checks.doubled = sum(
            1
            for number, line_no, shipped in lines
            if shipped_lines.get((number, line_no), 0) != shipped
        )
        shipped_by_sku: dict[str, int] = {}
        for r in conn.execute(
            select(ShipmentItem.sku, func.sum(ShipmentItem.quantity)).group_by(ShipmentItem.sku)
        ):
            shipped_by_sku[str(r[0])] = int(r[1])
        for sku, on_hand in conn.execute(
            select(Product.sku, StockLevel.on_hand).join(
                StockLevel, StockLevel.product_id == Product.id
            )
        ):
            checks.stock_units_off += abs(ON_HAND - shipped_by_sku.get(sku, 0) - int(on_hand))
        central_rows = {table.name: _rows(conn, table) for table in _synced_tables()}
    shipped_at: dict[str, set[str]] = {}
    for index in range(1, stations + 1):
        path = _home(folder, index) / "data" / "station.sqlite3"
        local = create_db_engine(f"sqlite:///{path}")
        try:
            with local.connect().execution_options(readonly=True) as conn:
                outbox = conn.execute(select(OutboxCommand.command_id, OutboxCommand.state)).all()
                checks.commands += len(outbox)
                checks.lost += sum(
                    1
                    for command_id, state in outbox
                    if state == "pending" or command_id not in recorded
                )
                for number, station in conn.execute(
                    select(Shipment.order_number, Shipment.station)
                ):
                    shipped_at.setdefault(str(number), set()).add(str(station))
                differing = [
                    table.name
                    for table in _synced_tables()
                    if _rows(conn, table) != central_rows[table.name]
                ]
        finally:
            local.dispose()
        if differing:
            checks.stations_differing += 1
            checks.differences.append(f"{_station_id(index)}: {', '.join(differing)}")
    checks.packed_twice = sum(1 for at in shipped_at.values() if len(at) > 1)
    return checks


def _rows(conn: Any, table: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute(select(table).order_by(*table.primary_key.columns))]


# --- the benchmark -------------------------------------------------------------------------


def run(
    n: int | None,
    emit: Emit,
    *,
    stations: int | None = None,
    minutes: float | None = None,
) -> None:
    count = stations or n or DEFAULT_STATIONS
    length = DEFAULT_MINUTES if minutes is None else minutes
    if not 1 <= count <= MAX_STATIONS:
        raise BenchmarkRefused(f"--stations is 1 to {MAX_STATIONS}, not {count}.")
    if not 0 < length <= MAX_MINUTES:
        raise BenchmarkRefused(
            f"--minutes is more than 0 and at most {MAX_MINUTES:g}, not {length:g}."
        )
    server = server_url()
    seconds = length * 60
    orders = max(200, int(count * length * ORDERS_PER_STATION_MINUTE))
    load_before = os.getloadavg()[0]
    with (
        tempfile.TemporaryDirectory(prefix="packbench-bench-fleet-") as tmp,
        fresh_database(server) as url,
    ):
        folder = Path(tmp)
        central = create_db_engine(url)
        try:
            ensure_schema(central)
            build_central(central, count, orders)
        finally:
            central.dispose()
        started = time.perf_counter()
        figures = run_stations(url, folder, count, seconds)
        wall = time.perf_counter() - started
        load_after = os.getloadavg()[0]
        errors = [f.error for f in figures if f.error]
        if errors:
            raise RuntimeError(f"{len(errors)} fleet station(s) failed; first: {errors[0]}")
        central = create_db_engine(url)
        try:
            checks = check(central, folder, count)
        finally:
            central.dispose()
    pushes = [s for f in figures for s in f.push_s]
    pulls = [s for f in figures for s in f.pull_s]
    commands = sum(f.commands for f in figures)
    push_ms, pull_ms = percentiles_ms(pushes or [0.0]), percentiles_ms(pulls or [0.0])
    push_cpu_ms = percentiles_ms([s for f in figures for s in f.push_cpu_s] or [0.0])
    emit(
        {
            "bench": "fleet",
            "stations": count,
            "seconds": round(seconds, 1),
            "wall_seconds": round(wall, 1),
            "orders_packed": sum(f.packed for f in figures),
            "claims_refused": sum(f.refused for f in figures),
            "commands": commands,
            "commands_per_s": round(commands / seconds, 1),
            "pushes": len(pushes),
            "push_p50_ms": push_ms["p50_ms"],
            "push_p99_ms": push_ms["p99_ms"],
            # The station's own CPU time per push (client side: ORM, driver, its SQLite):
            # on a machine whose cores are booked, a push's wall time is this CPU spread
            # over the share of a core the station gets, plus the store's own work.
            "push_cpu_p50_ms": push_cpu_ms["p50_ms"],
            "push_cpu_p99_ms": push_cpu_ms["p99_ms"],
            "pulls": len(pulls),
            "pull_p50_ms": pull_ms["p50_ms"],
            "pull_p99_ms": pull_ms["p99_ms"],
            "rejected": sum(f.rejected for f in figures),
            # How much of the machine the stations' own processes took (the store's
            # server processes come on top): a fleet on one box competes with its store.
            "stations_cpu_cores": round(sum(f.cpu_s for f in figures) / seconds, 2),
            "goal_push_p99_ms": 100,
            "cpus": os.cpu_count(),
            "load_1m_before": round(load_before, 2),
            "load_1m_after": round(load_after, 2),
            "scan_interval_s": list(SCAN_INTERVAL_S),
            "start_spread_s": START_SPREAD_S,
            "what": "stations in processes of their own pull, claim, scan, ship and push "
            "against one PostgreSQL central store; push and pull timed at each station",
        }
    )
    emit(
        {
            "bench": "fleet-check",
            "stations": count,
            "commands": checks.commands,
            "lost": checks.lost,
            "doubled": checks.doubled,
            "stock_units_off": checks.stock_units_off,
            "packed_twice": checks.packed_twice,
            "stations_equal": count - checks.stations_differing,
            "stations_differing": checks.stations_differing,
            "differences": checks.differences[:5],
        }
    )
