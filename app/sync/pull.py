"""Pull: bring the station's copy of the central rows up to date, page by page.

One pull reads the central store inside one snapshot (REPEATABLE READ on PostgreSQL, one read
transaction on SQLite) and starts by reading the sync clock there: every row in that snapshot
carries a number at most that clock value, and every number up to it has committed (the clock
orders commits, see app/sync/clock.py). Tables are pulled parents first, each in keyset pages
ordered by (change_seq, primary key) after the station's position. Each page, with its child
rows and the new position, is written in one local transaction; the watermark moves to the
clock value only when every table is done. A pull killed half-way leaves the positions of
the pages it wrote, and the next pull carries on from them.

Pulled rows overwrite the station's copy, even of an order with commands still waiting in
the outbox: the central store is the authority, and those commands are answered at the push
that follows (applied: the next pull brings their result back; rejected: the station already
shows the central state). docs/sync.md has the reasoning.

The hot path moves plain tuples between the two drivers' cursors: no ORM entities, no
per-value type processing in Python (PostgreSQL formats times and money as the station's
SQLite stores them).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Column, Connection, Engine, Table, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from app.db.errors import login_of
from app.db.models import (
    Address,
    Allocation,
    Base,
    Bin,
    Customer,
    Invoice,
    InvoiceLineRow,
    Money,
    Order,
    OrderDeparture,
    OrderLine,
    Product,
    ProductBarcode,
    StockLevel,
    SyncState,
    User,
    UTCDateTime,
    Warehouse,
)
from app.db.warehouses import UnknownWarehouse
from app.domain.errors import DomainError
from app.sync.claims import central_errors

PAGE_ROWS = 5000
# Where a pull that was cut short left each table: {"orders": [seq, [id]], ...}, in the local
# settings table, written in the same transaction as each page.
POSITIONS_KEY = "sync.pull_positions"
# Central settings a station needs as they are: the site's badge salt (the pulled users' badge
# hashes are made with it; app.services.auth.BADGE_SALT_KEY), the demo marker, and the rights
# of each role when a supervisor changed them (app.services.auth.ROLE_RIGHTS_KEY).
PULLED_SETTINGS = ("badge_salt", "demo", "role_rights")


class CentralStoreBehind(DomainError):
    """The central store's clock is behind this station's watermark: it was replaced."""


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


@dataclass(frozen=True)
class _Child:
    """Rows that travel with their parent and are replaced wholesale when it changes."""

    table: Table
    # SQL condition selecting this table's rows for the parents whose ids replace {ids}.
    of_parents: str


@dataclass(frozen=True)
class _Family:
    """A synced table with its children, in the order stations must apply them."""

    name: str
    table: Table
    children: tuple[_Child, ...] = ()
    # Documents (invoices): rows are inserted under the station's own keys, found by this
    # natural key, and never updated; their children follow them with the new keys.
    append_only_by: str | None = None
    # A station of one warehouse pulls only the rows this SQL condition keeps ({wh}: the
    # warehouse's id); None: shared by every warehouse (products, users, warehouses).
    of_warehouse: str | None = None
    # Rows the parents refer to, upserted before them ({ids}: the page's parent ids), so a
    # parent whose referred row changed before the station's watermark still finds it.
    refs: tuple[_Child, ...] = ()

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.table.primary_key.columns)


_OF_ORDERS = "SELECT {column} FROM orders WHERE warehouse_id = {{wh}}"

# Parents before the rows that refer to them. Every table a station pulls either carries
# its warehouse (bins, stock, orders, departures) or reaches it through the orders that
# refer to it (customers, addresses, invoices), or is shared by design (docs/sync.md).
FAMILIES: tuple[_Family, ...] = (
    _Family("warehouses", _table(Warehouse)),
    _Family(
        "products",
        _table(Product),
        (_Child(_table(ProductBarcode), "product_id IN ({ids})"),),
    ),
    _Family("bins", _table(Bin), of_warehouse="warehouse_id = {wh}"),
    _Family("stock_levels", _table(StockLevel), of_warehouse="warehouse_id = {wh}"),
    _Family(
        "customers",
        _table(Customer),
        of_warehouse=f"id IN ({_OF_ORDERS.format(column='customer_id')})",
    ),
    _Family(
        "addresses",
        _table(Address),
        of_warehouse=(
            f"(id IN ({_OF_ORDERS.format(column='ship_to_id')}) "
            f"OR id IN ({_OF_ORDERS.format(column='bill_to_id')}))"
        ),
    ),
    _Family("users", _table(User)),
    _Family(
        "orders",
        _table(Order),
        (
            _Child(_table(OrderLine), "order_id IN ({ids})"),
            _Child(
                _table(Allocation),
                "order_line_id IN (SELECT id FROM order_lines WHERE order_id IN ({ids}))",
            ),
        ),
        of_warehouse="warehouse_id = {wh}",
        refs=(
            _Child(_table(Customer), "id IN (SELECT customer_id FROM orders WHERE id IN ({ids}))"),
            _Child(
                _table(Address),
                "id IN (SELECT ship_to_id FROM orders WHERE id IN ({ids}) "
                "UNION SELECT bill_to_id FROM orders WHERE id IN ({ids}))",
            ),
        ),
    ),
    # Orders that left the station's warehouse (moved by a supervisor): the station learns
    # where they went, though it no longer pulls them (app/services/warehouses.py).
    _Family("order_departures", _table(OrderDeparture), of_warehouse="from_warehouse_id = {wh}"),
    # Invoices and credit notes the central store recorded, from whichever station issued
    # them: the billable view and the returns desk count them (docs/invoices.md).
    _Family(
        "invoices",
        _table(Invoice),
        (_Child(_table(InvoiceLineRow), "invoice_id IN ({ids})"),),
        append_only_by="number",
        of_warehouse=f"order_number IN ({_OF_ORDERS.format(column='number')})",
    ),
)


@dataclass
class PullResult:
    """What one pull brought: rows per table (children included) and the new watermark."""

    watermark: int
    rows: dict[str, int] = field(default_factory=dict)
    pages: int = 0
    resumed: bool = False

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def orders(self) -> int:
        return self.rows.get("orders", 0)


@dataclass(frozen=True)
class PullProgress:
    """How far a pull has got, counted in changed rows of the synced tables (children travel
    with them uncounted), counted in the pull's snapshot before the first page; ``table`` is
    the one being pulled, with its own counts."""

    done: int
    total: int
    table: str
    table_done: int
    table_total: int


Position = tuple[int, tuple[Any, ...] | None]  # (change_seq, key) ; None: the whole number done


class PullInterrupted(Exception):
    """The pull stopped before the end; ``result`` counts the pages it had written."""

    def __init__(self, result: PullResult) -> None:
        super().__init__("pull interrupted")
        self.result = result


def pull(
    central: Engine,
    local: Engine,
    *,
    page_rows: int = PAGE_ROWS,
    progress: Callable[[PullProgress], None] | None = None,
    warehouse: str = "",
) -> PullResult:
    """Pull every row changed centrally since the station's watermark into its database.

    ``progress`` is told how far it has got before the first page and after each one (on
    this thread). ``warehouse`` (a code): pull only that warehouse's rows and the shared
    ones; empty: every warehouse's. Raises PullInterrupted from the cause
    (CentralUnreachable when the central store went away); the pages already written stay,
    and the next pull carries on from them.
    """
    result = PullResult(watermark=0)
    try:
        with local.connect() as target:
            watermark, positions = _local_state(target)
            result.watermark, result.resumed = watermark, bool(positions)
            reading = _read_pages(
                central, watermark, dict(positions), page_rows, progress is not None, warehouse
            )
            with closing(reading) as items:
                start = next(items)
                assert isinstance(start, _Start)
                upto, totals = start.upto, start.totals
                if upto < watermark:
                    raise CentralStoreBehind(
                        f"The central store has seen {upto} changes, but this station has "
                        f"already pulled {watermark}: the store was replaced or restored from a "
                        "backup. Ask the administrator before going on; the station's data is "
                        "unchanged."
                    )
                writers = {f.name: _writer(target, f) for f in FAMILIES}
                settings: list[tuple[Any, ...]] = []
                tell = _Teller(progress, totals)
                tell(result)
                for item in items:
                    if isinstance(item, _Page):
                        positions[item.family.name] = item.position
                        _write_page(target, writers[item.family.name], item, positions, result)
                        tell(result, item.family.name)
                    elif isinstance(item, list):
                        settings = item
            with target.begin():
                _finish(target, upto, settings)
            result.watermark = upto
    except Exception as error:
        raise PullInterrupted(result) from error
    return result


@dataclass(frozen=True)
class _Page:
    family: _Family
    rows: list[tuple[Any, ...]]
    children: list[list[tuple[Any, ...]]]
    position: Position
    refs: list[list[tuple[Any, ...]]] = field(default_factory=list)


@dataclass(frozen=True)
class _Start:
    upto: int  # the clock: the pull brings every change up to it
    totals: dict[str, int]  # changed rows per table, when counted


# What the reader hands over: the start first, then pages, then the settings to copy.
_Item = _Start | _Page | list[tuple[Any, ...]]


def _read_pages(
    central: Engine,
    watermark: int,
    positions: dict[str, Position],
    page_rows: int,
    count: bool = False,
    warehouse: str = "",
) -> Generator[_Item, None, None]:
    """The central side of a pull, in one snapshot: the clock (and, when ``count``, how many
    rows changed per table), the pages, the settings.

    (Reading ahead on a thread of its own while the station writes was tried: on two
    cores shared with the server it gained nothing, so the two take turns.)
    """
    with _Reader.open(central) as reader:
        upto = reader.clock()
        reader.only(warehouse)
        totals: dict[str, int] = {}
        if count and upto > watermark:
            for family in FAMILIES:
                position = positions.get(family.name, (watermark, None))
                totals[family.name] = reader.count(family, position, upto)
        yield _Start(upto, totals)
        if upto < watermark:
            return
        for family in FAMILIES:
            names = [c.name for c in family.table.columns]
            seq_at, key_at = names.index("change_seq"), [names.index(k) for k in family.key]
            position = positions.get(family.name, (watermark, None))
            while True:
                rows = reader.page(family, position, upto, page_rows)
                if not rows:
                    break
                last = rows[-1]
                position = (int(last[seq_at]), tuple(last[i] for i in key_at))
                ids = [row[key_at[0]] for row in rows] if family.children else []
                children = [reader.children(child, ids) for child in family.children]
                refs = [reader.children(ref, ids) for ref in family.refs]
                yield _Page(family, rows, children, position, refs)
                if len(rows) < page_rows:  # both queries ran dry: nothing more up to the clock
                    break
        yield reader.settings()


def _write_page(
    target: Connection,
    writer: _Writer | _AppendOnlyWriter | _DepartureWriter,
    page: _Page,
    positions: dict[str, Position],
    result: PullResult,
) -> None:
    """One page, its children and the new positions: one local transaction."""
    number = result.pages + 1
    for careful in (False, True):
        try:
            with target.begin():
                for ref, ref_rows in zip(page.family.refs, page.refs, strict=True):
                    if ref_rows:
                        target.exec_driver_sql(_upsert_sql(ref.table), ref_rows)
                writer.write(page.rows, page.children, careful=careful)
                _save_positions(target, positions)
                pause_at("pull-page", number)
            break
        except IntegrityError:
            if careful:
                raise
            # A child row that moved between parents, or a row made here with a central
            # key: upserting everything settles it (slower, and rare).
    result.pages = number
    counts = result.rows
    counts[page.family.name] = counts.get(page.family.name, 0) + len(page.rows)
    for child, child_rows in zip(page.family.children, page.children, strict=True):
        counts[child.table.name] = counts.get(child.table.name, 0) + len(child_rows)


class _Teller:
    """Turns the pull's counts into ``PullProgress`` for whoever asked for it."""

    def __init__(self, progress: Callable[[PullProgress], None] | None, totals: dict[str, int]):
        self._progress = progress
        self._totals = totals
        self._total = sum(totals.values())

    def __call__(self, result: PullResult, table: str | None = None) -> None:
        if self._progress is None:
            return
        if table is None:  # before the first page: the first table with anything to pull
            table = next((name for name, n in self._totals.items() if n), "")
        done = sum(result.rows.get(name, 0) for name in self._totals)
        table_total = self._totals.get(table, 0)
        self._progress(
            PullProgress(
                min(done, self._total),
                self._total,
                table,
                min(result.rows.get(table, 0), table_total),
                table_total,
            )
        )


# --- reading the central store -----------------------------------------------------------


_PG_TIME = "to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"


class _Reader:
    """Keyset pages from the central store, as the tuples the station's SQLite stores."""

    def __init__(self, connection: Connection) -> None:
        self._pg = connection.dialect.name == "postgresql"
        self._mark = "%s" if self._pg else "?"
        self._cursor: Any = connection.connection.cursor()
        self._login = login_of(connection.engine.url)
        self._warehouse: int | None = None  # None: every warehouse

    @classmethod
    @contextmanager
    def open(cls, central: Engine) -> Iterator[_Reader]:
        """One read-only snapshot of the central store for the whole pull."""
        with central_errors(login_of(central.url)):
            connection = central.connect()
            try:
                options: dict[str, Any] = {"readonly": True}
                if connection.dialect.name == "postgresql":
                    options.update(isolation_level="REPEATABLE READ", postgresql_readonly=True)
                connection = connection.execution_options(**options)
                connection.begin()
            except BaseException:
                connection.close()
                raise
        try:
            yield cls(connection)  # errors of the station's own file pass through untouched
        finally:
            with suppress(DBAPIError):  # read only: closing rolls back, a dead link included
                connection.close()

    def _fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with central_errors(self._login, sql):
            self._cursor.execute(sql, params)
            return cast(list[tuple[Any, ...]], self._cursor.fetchall())

    def clock(self) -> int:
        # The first statement: on PostgreSQL it also fixes the snapshot the whole pull reads.
        rows = self._fetch("SELECT seq FROM sync_clock WHERE id = 1")
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    def only(self, code: str) -> None:
        """Read only warehouse ``code``'s rows from now on (and the shared ones)."""
        if not code:
            return
        found = self._fetch(f"SELECT id FROM warehouses WHERE code = {self._mark}", (code,))
        if not found:
            known = ", ".join(r[0] for r in self._fetch("SELECT code FROM warehouses"))
            raise UnknownWarehouse(
                f"[station] warehouse = {code!r}, but the central store has no such warehouse "
                f"(it has {known or 'none'}). Fix the setting (packbench warehouse list)."
            )
        self._warehouse = int(found[0][0])

    def settings(self) -> list[tuple[Any, ...]]:
        names = ", ".join(f"'{name}'" for name in PULLED_SETTINGS)
        return self._fetch(f"SELECT key, value FROM settings WHERE key IN ({names})")

    def _columns(self, table: Table) -> str:
        return ", ".join(self._read(column) for column in table.columns)

    def _read(self, column: Column[Any]) -> str:
        name = column.name
        if self._pg and isinstance(column.type, UTCDateTime):
            return _PG_TIME.format(name)
        if self._pg and isinstance(column.type, Money):
            return f"{name}::text"
        return name

    def page(
        self, family: _Family, position: Position, upto: int, limit: int
    ) -> list[tuple[Any, ...]]:
        """The next rows after ``position`` in (change_seq, key) order, none above ``upto``.

        Two queries, so each can use an index: the rest of the position's own number in key
        order (one bulk load stamps 100,000 rows with one number), then the numbers above it.
        """
        columns = self._columns(family.table)
        order = ", ".join(family.key)
        rest, above, params = self._after(family, position, upto)
        rows: list[tuple[Any, ...]] = []
        if rest:
            rows = self._fetch(
                f"SELECT {columns} {rest} ORDER BY {order} LIMIT {int(limit)}", params[0]
            )
        if len(rows) < limit:
            rows += self._fetch(
                f"SELECT {columns} {above} ORDER BY change_seq, {order} "
                f"LIMIT {int(limit - len(rows))}",
                params[1],
            )
        return rows

    def count(self, family: _Family, position: Position, upto: int) -> int:
        """How many rows ``page`` would still hand over after ``position``."""
        rest, above, params = self._after(family, position, upto)
        found = self._fetch(f"SELECT count(*) {above}", params[1])[0][0]
        if rest:
            found += self._fetch(f"SELECT count(*) {rest}", params[0])[0][0]
        return int(found)

    def _after(
        self, family: _Family, position: Position, upto: int
    ) -> tuple[str, str, tuple[tuple[Any, ...], tuple[Any, ...]]]:
        """FROM-WHERE clauses for the rest of the position's number and the numbers above."""
        m = self._mark
        table, key = family.table.name, family.key
        seq, after = position
        mine = ""
        if self._warehouse is not None and family.of_warehouse is not None:
            mine = " AND " + family.of_warehouse.format(wh=int(self._warehouse))
        rest = ""
        if after is not None:
            marks = ", ".join(m for _ in key)
            beyond = f"{key[0]} > {m}" if len(key) == 1 else f"({', '.join(key)}) > ({marks})"
            rest = f"FROM {table} WHERE change_seq = {m} AND {beyond}{mine}"
        above = f"FROM {table} WHERE change_seq > {m} AND change_seq <= {m}{mine}"
        return rest, above, ((seq, *(after or ())), (seq, upto))

    def children(self, child: _Child, parent_ids: list[Any]) -> list[tuple[Any, ...]]:
        ids = ", ".join(str(int(i)) for i in parent_ids)  # our own integer keys
        where = child.of_parents.format(ids=ids)
        return self._fetch(
            f"SELECT {self._columns(child.table)} FROM {child.table.name} WHERE {where}"
        )


# --- writing the station's copy ----------------------------------------------------------


def _insert_sql(table: Table, names: Sequence[str] | None = None) -> str:
    names = [c.name for c in table.columns] if names is None else names
    marks = ", ".join("?" for _ in names)
    return f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})"


def _upsert_sql(table: Table) -> str:
    key = [c.name for c in table.primary_key.columns]
    updates = ", ".join(f"{c.name} = excluded.{c.name}" for c in table.columns if c.name not in key)
    return f"{_insert_sql(table)} ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"


def _ints(values: Sequence[Any]) -> str:
    return ", ".join(str(int(v)) for v in values)  # our own integer keys, inlined


class _Writer:
    """Writes one family's pages into the station's SQLite file.

    Rows the station does not have yet are inserted, the others upserted: with foreign keys
    on, SQLite's upsert costs over twice an insert, and an initial pull is all new rows.
    Children of a changed parent are deleted and inserted again, so a line removed
    centrally goes here too. ``careful`` upserts everything (see ``_write_page``).
    """

    def __init__(self, connection: Connection, family: _Family) -> None:
        self._connection = connection
        self._family = family
        columns = [c.name for c in family.table.columns]
        self.key_at = [columns.index(k) for k in family.key]
        self._insert = _insert_sql(family.table)
        self._upsert = _upsert_sql(family.table)
        self._children = [(_insert_sql(c.table), _upsert_sql(c.table)) for c in family.children]

    def write(
        self,
        rows: list[tuple[Any, ...]],
        children: list[list[tuple[Any, ...]]],
        *,
        careful: bool = False,
    ) -> None:
        run = self._connection.exec_driver_sql
        table, key = self._family.table.name, self._family.key
        if len(key) == 1:
            found = run(
                f"SELECT {key[0]} FROM {table} WHERE {key[0]} IN "
                f"({_ints([row[self.key_at[0]] for row in rows])})"
            )
            known = {(r[0],) for r in found}
        else:
            names = ", ".join(key)
            tuples = ", ".join(f"({_ints([row[i] for i in self.key_at])})" for row in rows)
            found = run(f"SELECT {names} FROM {table} WHERE ({names}) IN (VALUES {tuples})")
            known = {tuple(r) for r in found}
        if known and self._family.children:  # a changed parent: its children are replaced
            ids = _ints([k[0] for k in known])
            for child in reversed(self._family.children):
                run(f"DELETE FROM {child.table.name} WHERE {child.of_parents.format(ids=ids)}")
        fresh = [row for row in rows if tuple(row[i] for i in self.key_at) not in known]
        changed = [row for row in rows if tuple(row[i] for i in self.key_at) in known]
        if careful:
            fresh, changed = [], rows
        if fresh:
            run(self._insert, fresh)
        if changed:
            run(self._upsert, changed)
        for (insert, upsert), child_rows in zip(self._children, children, strict=True):
            if child_rows:
                run(upsert if careful else insert, child_rows)


class _AppendOnlyWriter:
    """Writes pulled documents (invoices) that the station does not hold yet.

    An issued document is never changed (triggers refuse UPDATE and DELETE), so a pulled
    one is only ever inserted: one the station has by its number (its own, come back from
    the central store, or pulled before) is left as it is. The central store's keys are not
    the station's (the station numbers its own documents' rows), so a new document takes
    the station's next key and its lines follow it there; a credit line names the invoice
    line it credits by position, which is the same everywhere.
    """

    def __init__(self, connection: Connection, family: _Family) -> None:
        assert family.append_only_by is not None and len(family.children) == 1
        self._connection = connection
        self._family = family
        columns = [c.name for c in family.table.columns]
        self.key_at = [columns.index(k) for k in family.key]
        self._natural_at = columns.index(family.append_only_by)
        self._kept = [i for i, name in enumerate(columns) if name not in family.key]
        self._insert = _insert_sql(family.table, [columns[i] for i in self._kept])
        child = family.children[0].table
        child_columns = [c.name for c in child.columns]
        child_key = {c.name for c in child.primary_key.columns}
        self._child_kept = [i for i, name in enumerate(child_columns) if name not in child_key]
        parent = next(iter(child.foreign_keys)).parent.name
        self._child_parent_at = child_columns.index(parent)
        self._child_insert = _insert_sql(child, [child_columns[i] for i in self._child_kept])

    def write(
        self,
        rows: list[tuple[Any, ...]],
        children: list[list[tuple[Any, ...]]],
        *,
        careful: bool = False,
    ) -> None:
        run = self._connection.exec_driver_sql
        table, natural = self._family.table.name, self._family.append_only_by
        names = [row[self._natural_at] for row in rows]
        marks = ", ".join("?" for _ in names)
        found = run(f"SELECT {natural} FROM {table} WHERE {natural} IN ({marks})", tuple(names))
        known = {r[0] for r in found}
        lines: dict[Any, list[tuple[Any, ...]]] = {}
        for line in children[0]:
            lines.setdefault(line[self._child_parent_at], []).append(line)
        for row in rows:
            if row[self._natural_at] in known:
                continue
            new_id = run(self._insert, tuple(row[i] for i in self._kept)).lastrowid
            central_id = row[self.key_at[0]]
            mine = [
                tuple(new_id if i == self._child_parent_at else line[i] for i in self._child_kept)
                for line in lines.get(central_id, [])
            ]
            if mine:
                run(self._child_insert, mine)


class _DepartureWriter:
    """Orders that left the station's warehouse: its copy of each names the new warehouse
    (a scan of it is refused, saying where it went) and holds no bins of this one. A copy
    pulled since the move (the order came back) is newer and left alone."""

    def __init__(self, connection: Connection, family: _Family) -> None:
        self._connection = connection
        columns = [c.name for c in family.table.columns]
        self._at = [columns.index(n) for n in ("order_id", "to_warehouse_id", "change_seq")]
        self.key_at = [columns.index(k) for k in family.key]

    def write(
        self,
        rows: list[tuple[Any, ...]],
        children: list[list[tuple[Any, ...]]],
        *,
        careful: bool = False,
    ) -> None:
        run = self._connection.exec_driver_sql
        order_at, to_at, seq_at = self._at
        for row in rows:
            order, seq = row[order_at], row[seq_at]
            run(
                "DELETE FROM allocations WHERE order_line_id IN (SELECT l.id FROM order_lines l "
                "JOIN orders o ON o.id = l.order_id WHERE o.id = ? "
                "AND (o.change_seq IS NULL OR o.change_seq <= ?))",
                (order, seq),
            )
            run(
                "UPDATE orders SET warehouse_id = ? WHERE id = ? "
                "AND (change_seq IS NULL OR change_seq <= ?)",
                (row[to_at], order, seq),
            )


class _UserWriter(_Writer):
    """Users come by the central store's keys, as other rows do; a user this station added
    itself has a key of its own until its ``user.change`` reaches the central store, and so
    does a name the central store gave to someone else first. The station's copy of a name
    (or badge) that arrives under another key gives way: the central store's is the one."""

    def write(
        self,
        rows: list[tuple[Any, ...]],
        children: list[list[tuple[Any, ...]]],
        *,
        careful: bool = False,
    ) -> None:
        columns = [c.name for c in self._family.table.columns]
        at_id, at_name, at_badge = (columns.index(n) for n in ("id", "name", "badge_hash"))
        run = self._connection.exec_driver_sql
        for row in rows:
            run("DELETE FROM users WHERE name = ? AND id <> ?", (row[at_name], row[at_id]))
            if row[at_badge] is not None:
                run(
                    "UPDATE users SET badge_hash = NULL WHERE badge_hash = ? AND id <> ?",
                    (row[at_badge], row[at_id]),
                )
        super().write(rows, children, careful=careful)


def _writer(
    connection: Connection, family: _Family
) -> _Writer | _AppendOnlyWriter | _DepartureWriter:
    if family.table.name == "users":
        return _UserWriter(connection, family)
    if family.append_only_by is not None:
        return _AppendOnlyWriter(connection, family)
    if family.table.name == "order_departures":
        return _DepartureWriter(connection, family)
    return _Writer(connection, family)


def watermark_of(station: Connection | Session) -> int:
    """The station's watermark: every central change up to it is in its copy (0: none yet)."""
    found = station.scalar(select(SyncState.watermark).where(SyncState.id == 1))
    return int(found or 0)


def _local_state(target: Connection) -> tuple[int, dict[str, Position]]:
    with target.begin():
        target.exec_driver_sql(
            "INSERT INTO sync_state (id, watermark) VALUES (1, 0) ON CONFLICT (id) DO NOTHING"
        )
        watermark = int(
            target.exec_driver_sql("SELECT watermark FROM sync_state WHERE id = 1").scalar_one()
        )
        saved = target.exec_driver_sql(
            "SELECT value FROM settings WHERE key = ?", (POSITIONS_KEY,)
        ).scalar()
    positions: dict[str, Position] = {}
    if saved:
        for name, (seq, key) in json.loads(saved).items():
            positions[name] = (int(seq), None if key is None else tuple(key))
    return watermark, positions


def _save_positions(target: Connection, positions: dict[str, Position]) -> None:
    value = json.dumps({name: [seq, key] for name, (seq, key) in positions.items()})
    target.exec_driver_sql(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (POSITIONS_KEY, value),
    )


def _finish(target: Connection, upto: int, settings: list[tuple[Any, ...]]) -> None:
    if settings:
        target.exec_driver_sql(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            settings,
        )
    target.exec_driver_sql("DELETE FROM settings WHERE key = ?", (POSITIONS_KEY,))
    now = datetime.now(UTC).isoformat(timespec="microseconds")
    target.exec_driver_sql(
        "UPDATE sync_state SET watermark = ?, last_pull_at = ? WHERE id = 1", (upto, now)
    )


# --- the fault-test hook -----------------------------------------------------------------


def pause_at(point: str, count: int) -> None:
    """Test hook: stop here for a minute when PACKBENCH_TEST_PAUSE_AT names this point.

    ``PACKBENCH_TEST_PAUSE_AT=pull-page:3`` pauses inside the third page's local transaction
    (before it commits), ``push-batch:2`` after the second batch of commands committed
    centrally and before the station records the answers; the fault tests kill the process
    there. Unset, it
    costs one dictionary lookup.
    """
    wanted = os.environ.get("PACKBENCH_TEST_PAUSE_AT")
    if wanted and wanted == f"{point}:{count}":
        print(f"paused at {wanted}", file=sys.stderr, flush=True)
        time.sleep(60)
