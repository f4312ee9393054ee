"""Importing sales channels' orders, and the product catalogue, into the central order store.

``import_file`` reads a file through its channel mapping (app/channels) and writes each order
in its own SAVEPOINT inside a commit of up to ``BATCH`` orders: an order lands whole or not at
all, and a 500,000-row file does not pay for 170,000 commits with synchronous=FULL. Writes
use SQLAlchemy Core (this is the bulk path); the rows a batch touched are stamped with one
change number just before its commit.

Each order is written by the one order writer (app/services/order_writer.py, whose rules say
what importing an order again does); the catalogue (products, barcodes, bins, stock on hand)
is upserted here.
"""

from __future__ import annotations

import csv
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import IO, Any, Literal, TypeVar, cast, overload

from sqlalchemy import Connection, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from app.channels import (
    ORDER_READERS,
    OrderDraft,
    ProductDraft,
    RowError,
    UnreadableFile,
    csv_orders,
    manual,
    products,
    repeats,
)
from app.channels.drafts import printable
from app.context import StationContext
from app.db import warehouses as stored_warehouses
from app.db.models import DEFAULT_WAREHOUSE_ID, AuditEvent, Bin, Product, ProductBarcode, StockLevel
from app.db.session import UnitOfWorkFactory
from app.domain.barcodes import classify_barcode
from app.domain.errors import DomainError, InvalidBarcode
from app.domain.warehouses import WAREHOUSE_CODE
from app.progress import Ticker
from app.services.order_writer import (
    Journal,
    OrderWriter,
    Outcome,
    Reject,
    Touched,
    WarehouseRules,
    chunks,
)

BATCH = 500  # orders per commit; each one is still all-or-nothing (its own SAVEPOINT)
MAX_ERRORS = 1000  # errors listed in a summary; the rest are counted
_log = logging.getLogger(__name__)

PRODUCTS = cast(Table, Product.__table__)
BARCODES = cast(Table, ProductBarcode.__table__)
BINS = cast(Table, Bin.__table__)
STOCK = cast(Table, StockLevel.__table__)
AUDIT = cast(Table, AuditEvent.__table__)


class ImportFileError(DomainError):
    """The file cannot be read at all (missing, not the format, truncated): nothing changed."""


class ImportInterrupted(DomainError):
    """The central store went away in the middle; what was committed before stays."""


# --- the summary ----------------------------------------------------------------------------


@dataclass
class ImportSummary:
    """What an import did, order by order (catalogue: row by row)."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    held: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    unlisted_errors: int = 0
    short_of_stock: int = 0  # orders with stock still to allocate (not in the JSON contract)

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    def reject(self, error: RowError) -> None:
        self.rejected += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)
        else:
            self.unlisted_errors += 1

    @property
    def total(self) -> int:
        return self.imported + self.updated + self.unchanged + self.held + self.rejected

    def as_json(self) -> dict[str, Any]:
        errors = [{"where": e.where, "field": e.field, "reason": e.reason} for e in self.errors]
        if self.unlisted_errors:
            errors.append(
                {"where": "", "field": "", "reason": f"{self.unlisted_errors} more not listed"}
            )
        return {
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "held": self.held,
            "rejected": self.rejected,
            "errors": errors,
        }

    def line(self) -> str:
        text = (
            f"imported {self.imported}, updated {self.updated}, unchanged {self.unchanged}, "
            f"held {self.held}, rejected {self.rejected}"
        )
        if self.short_of_stock:
            text += f" ({self.short_of_stock} waiting for stock)"
        return text


class _Ticker:
    """Progress for long imports (``app.progress``), with how far it has got: the share of the
    file read (``stream``), or of the orders done when the total is known (``total``: a CSV
    file is read order by order, not front to back).
    """

    def __init__(
        self,
        progress: Callable[[str], None] | None,
        label: str,
        stream: IO[str] | None = None,
        total: int = 0,
    ):
        self._ticker = Ticker(progress, label)
        self._stream = stream
        self.total = total
        try:
            self._size = os.fstat(stream.fileno()).st_size if stream is not None else 0
        except (OSError, AttributeError, ValueError):
            self._size = 0

    @property
    def spoke(self) -> bool:
        return self._ticker.spoke

    def tick(self, done: int, noun: str) -> None:
        self._ticker.tick(lambda: f"{done:,}{self._of()} {noun}{self._read()}")

    def say(self, text: str) -> None:
        self._ticker.say(text)

    def _of(self) -> str:
        return f" of {self.total:,}" if self.total else ""

    def _read(self) -> str:
        if self.total or self._stream is None:
            return ""
        try:  # the reader reads ahead a little
            position = self._stream.buffer.tell()  # type: ignore[attr-defined]
        except (AttributeError, OSError, ValueError):
            return ""
        return f", {min(100, 100 * position // self._size)}% of the file" if self._size else ""


# --- entry points ---------------------------------------------------------------------------


def import_file(
    station: StationContext,
    fmt: str,
    path: Path | str,
    *,
    progress: Callable[[str], None] | None = None,
    warehouse: str = "",
) -> ImportSummary:
    """Import ``path`` in format ``fmt`` into the central store; raise ImportFileError if the
    file cannot be read at all (then nothing was written). ``warehouse`` (a code) puts every
    order of the file in that warehouse, and a products file's bins and stock there (without
    it: orders by the assignment rule, products in the station's warehouse)."""
    path = Path(path)
    if warehouse and not WAREHOUSE_CODE.fullmatch(warehouse.strip().upper()):
        raise ImportFileError(
            f"--warehouse {warehouse!r} is not a warehouse code (packbench warehouse list). "
            "Nothing was imported."
        )
    warehouse = warehouse.strip().upper()
    if fmt == "products":
        return _import_catalogue(station, path, progress, warehouse)
    if fmt == "csv":
        return _import_csv(station, path, progress, warehouse)
    # "manual": orders typed in (packbench order create), not a channel's export.
    reader = manual.read if fmt == "manual" else ORDER_READERS.get(fmt)
    if reader is None:
        raise ImportFileError(
            f"{fmt!r} is not an import format: use one of csv, {', '.join(ORDER_READERS)} or "
            "products."
        )
    summary = ImportSummary()
    with _open(path) as stream:
        ticker = _Ticker(progress, f"import {fmt} {path.name}", stream)
        drafts = _checked(lambda: reader(stream, path.name), path)
        importer = _OrderImport(station, summary, warehouse)
        for batch in _batches(repeats.orders(_checked_iter(drafts, path)), BATCH):
            importer.run(batch)
            ticker.tick(summary.total, "orders")
    if ticker.spoke:
        ticker.say(f"done: {summary.line()}")
    return summary


def import_page(
    station: StationContext,
    orders: list[OrderDraft | RowError],
    *,
    also: Callable[[Session], None],
) -> ImportSummary:
    """Orders a connector pulled (one page of a channel's API), written as a file's batch is
    (the same writer, identity and rules) in one transaction with ``also`` (the account's
    cursor moving past the page): a page lands whole with its cursor, or not at all."""
    summary = ImportSummary()
    _OrderImport(station, summary, "").run(repeats_dropped(orders), also=also)
    return summary


def repeats_dropped(orders: list[OrderDraft | RowError]) -> list[OrderDraft | RowError]:
    """The same order twice in one page (a channel paging while orders change): the first
    counts, as in a file (``repeats.orders``)."""
    return list(repeats.orders(iter(orders)))


def _import_csv(
    station: StationContext,
    path: Path,
    progress: Callable[[str], None] | None,
    warehouse: str = "",
) -> ImportSummary:
    """CSV orders: the whole file is checked and indexed before anything is written, then each
    order is read whole (its rows may be anywhere in the file) and written."""
    summary = ImportSummary()
    ticker = _Ticker(progress, f"import csv {path.name}")
    with _open(path, binary=True) as data:
        if os.fstat(data.fileno()).st_size > 1 << 26:  # a few seconds of checking first
            ticker.say("checking the file and finding each order's rows")
        with _checked(lambda: csv_orders.CsvOrders(data, path.name), path) as orders:
            ticker.total = orders.shape.orders
            importer = _OrderImport(station, summary, warehouse)
            for batch in _batches(_checked_iter(iter(orders), path), BATCH):
                importer.run(batch)
                ticker.tick(summary.total, "orders")
    if ticker.spoke:
        ticker.say(f"done: {summary.line()}")
    return summary


# --- reading the file -----------------------------------------------------------------------


@overload
def _open(path: Path) -> IO[str]: ...


@overload
def _open(path: Path, *, binary: Literal[True]) -> IO[bytes]: ...


def _open(path: Path, *, binary: bool = False) -> IO[str] | IO[bytes]:
    try:
        if binary:
            return path.open("rb")
        return path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file. Nothing was imported.") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path} is a folder, not a file. Nothing was imported.") from None
    except OSError as error:
        raise ImportFileError(
            f"{path} cannot be read ({error.strerror}). Nothing was imported."
        ) from None


T = TypeVar("T")


def _central(station: StationContext) -> UnitOfWorkFactory:
    """The central store's units of work (opening it creates or upgrades its schema)."""
    try:
        return station.central()
    except OperationalError as error:
        raise ImportInterrupted(_stopped(error, saved=0)) from error


def _stopped(error: OperationalError, *, saved: int, noun: str = "orders") -> str:
    """The central store went away: what is true of the import now, and what to do."""
    reason = str(error.orig or error).strip().splitlines()[0]
    done = f"{saved} {noun} were saved before it stopped" if saved else "nothing was imported"
    return (
        f"The central order store cannot be reached ({reason}): {done}. Import the file again "
        "when it answers (what is already there is skipped); packbench doctor says what is wrong."
    )


def _checked(step: Callable[[], T], path: Path) -> T:
    try:
        return step()
    except UnreadableFile as error:
        raise ImportFileError(str(error)) from error
    except OSError as error:
        raise ImportFileError(f"{path} cannot be read ({error}). Nothing was imported.") from error


def _checked_iter(items: Iterator[T], path: Path) -> Iterator[T]:
    """A CSV can still fail while streaming (the file changed since it was checked)."""
    while True:
        try:
            item = next(items)
        except StopIteration:
            return
        except (UnreadableFile, UnicodeDecodeError, csv.Error, OSError) as error:
            raise ImportInterrupted(
                f"{path.name} could not be read to the end ({error}). What came before was "
                "imported; fix the file and import it again (what is already there is skipped)."
            ) from error
        yield item


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


# --- orders ---------------------------------------------------------------------------------


class _OrderImport:
    """One import run: batches of orders, and what lives from batch to batch."""

    def __init__(self, station: StationContext, summary: ImportSummary, warehouse: str) -> None:
        settings = station.config.warehouses
        self.warehouses = WarehouseRules(warehouse, settings.when_none_whole, settings.ranking)
        self.station = station
        self.uows = _central(station)
        self.rules = station.config.review
        self.summary = summary
        self.journal = Journal()
        self.product_ids: dict[str, int] = {}  # sku -> id, for the whole import

    def run(
        self, batch: list[OrderDraft | RowError], also: Callable[[Session], None] | None = None
    ) -> None:
        """Write the batch's orders in one commit; ``also`` writes in the same transaction."""
        drafts = [d for d in batch if isinstance(d, OrderDraft)]
        for item in batch:
            if isinstance(item, RowError):
                self.summary.reject(item)
        if not drafts:
            if also is not None:
                try:
                    with self.uows() as uow:
                        also(uow.session)
                        uow.commit()
                except OperationalError as error:
                    raise ImportInterrupted(_stopped(error, saved=0)) from error
            return
        saved = self.summary.total - self.summary.rejected  # by the batches committed before
        try:
            with self.uows() as uow:
                writer = OrderWriter(
                    uow.session,
                    drafts,
                    station_id=self.station.station_id,
                    rules=self.rules,
                    journal=self.journal,
                    product_ids=self.product_ids,
                    warehouses=self.warehouses,
                )
                for draft in drafts:
                    self._one(writer, draft)
                writer.finish()
                if also is not None:
                    also(uow.session)
                uow.commit()
            self.summary.short_of_stock += writer.short_of_stock
        except OperationalError as error:
            raise ImportInterrupted(_stopped(error, saved=saved)) from error
        self.journal.clear()

    def _one(self, writer: OrderWriter, draft: OrderDraft) -> None:
        s = writer.s
        mark = self.journal.mark()
        try:
            with s.begin_nested():
                outcome, audit = writer.write(draft)
        except Reject as bad:
            self._rejected(mark, RowError(draft.where, bad.field, bad.reason))
            return
        except DomainError as error:
            self._rejected(mark, RowError(draft.where, "order", error.message))
            return
        except (IntegrityError, DataError) as error:
            reason = str(error.orig).strip().splitlines()[0]
            self._rejected(mark, RowError(draft.where, "order", f"the store refused it: {reason}"))
            return
        except (ValueError, ArithmeticError) as error:
            # A value the driver cannot send (a lone surrogate, an integer too large): the
            # channel checks (app/channels/limits.py) refuse those first, so this is a gap in
            # them, logged as one; still only this order is lost, never the batch.
            _log.exception("order %s: a value the checks let through", draft.where)
            reason = f"the store could not take it ({type(error).__name__}: {error})"
            self._rejected(mark, RowError(draft.where, "order", reason))
            return
        writer.done.add(draft.external_id)
        if audit is not None:
            writer.audits.append(audit)
        self.summary.count(outcome)

    def _rejected(self, mark: int, error: RowError) -> None:
        # Rows the rolled-back order touched stay in the batch's stamp list: stamping a row
        # that did not change (or no longer exists) is harmless.
        self.journal.undo(mark)
        self.summary.reject(error)


# --- the catalogue --------------------------------------------------------------------------


def _import_catalogue(
    station: StationContext,
    path: Path,
    progress: Callable[[str], None] | None,
    warehouse: str = "",
) -> ImportSummary:
    with _open(path) as stream:
        shape = _checked(lambda: products.check(stream, path.name), path)
    summary = ImportSummary()
    uows = _central(station)
    with _open(path) as stream:
        ticker = _Ticker(progress, f"import products {path.name}", stream)
        rows = _checked(lambda: products.read(stream, path.name), path)
        with uows() as uow:
            warehouse_id = stored_warehouses.station_warehouse_id(
                uow.session.connection(), warehouse or station.config.warehouses.code
            )
        catalogue = _Catalogue(shape.bins, warehouse_id)
        for batch in _batches(repeats.products(_checked_iter(rows, path)), BATCH):
            saved = summary.total - summary.rejected  # rows of the batches committed before
            try:
                with uows() as uow:
                    s = uow.session.connection()
                    catalogue.prepare(s)
                    outcomes = catalogue.batch(s, batch)
                    audits = [
                        {
                            "station": station.station_id,
                            "action": "product.imported",
                            "subject": f"product:{item.sku}",
                            "detail": f"{outcome.value} from {printable(path.name)}",
                            "user_id": None,
                            "user_name": None,
                            "raw_scan": None,
                        }
                        for item, outcome in outcomes
                        if isinstance(item, ProductDraft)
                        and isinstance(outcome, Outcome)
                        and outcome is not Outcome.UNCHANGED
                    ]
                    if audits:
                        s.execute(insert(AUDIT), audits)
                    catalogue.touched.stamp(uow.session)
                    uow.commit()
            except OperationalError as error:
                raise ImportInterrupted(_stopped(error, saved=saved, noun="products")) from error
            finally:
                catalogue.touched = Touched()
            catalogue.journal.clear()
            for _item, outcome in outcomes:
                if isinstance(outcome, RowError):
                    summary.reject(outcome)
                else:
                    summary.count(outcome)
            ticker.tick(summary.total, "rows")
    if ticker.spoke:
        ticker.say(f"done: {summary.line()}")
    return summary


def _natural(code: str) -> tuple[Any, ...]:
    """Bin codes in walking order: A-2-1 before A-10-1."""
    parts: list[Any] = []
    number = ""
    word = ""
    for ch in code:
        if ch.isdigit():
            if word:
                parts.append((1, word))
                word = ""
            number += ch
        else:
            if number:
                parts.append((0, int(number)))
                number = ""
            word += ch.upper()
    if number:
        parts.append((0, int(number)))
    if word:
        parts.append((1, word))
    return tuple(parts)


class _Catalogue:
    """Upserts catalogue rows: products, barcodes, bins, stock on hand."""

    def __init__(self, file_bins: frozenset[str], warehouse_id: int = DEFAULT_WAREHOUSE_ID) -> None:
        self.file_bins = file_bins
        self.warehouse_id = warehouse_id  # the file's bins are this warehouse's
        self.bins: dict[str, int] = {}
        self.walk: dict[str, int] = {}
        self.journal = Journal()
        self.touched = Touched()  # the rows the batch in hand wrote
        self._prepared = False

    def prepare(self, s: Connection) -> None:
        """Known bins, and where the file's new ones go in the walk (after the known ones)."""
        if self._prepared:
            return
        self._prepared = True
        here = BINS.c.warehouse_id == self.warehouse_id
        for chunk in chunks(sorted(self.file_bins)):
            for r in s.execute(select(BINS.c.id, BINS.c.code).where(here, BINS.c.code.in_(chunk))):
                self.bins[r.code] = r.id
        last = s.execute(
            select(func.coalesce(func.max(BINS.c.walk_sequence), 0)).where(here)
        ).scalar_one()
        new = sorted((c for c in self.file_bins if c not in self.bins), key=_natural)
        self.walk = {code: int(last) + 10 * (i + 1) for i, code in enumerate(new)}

    def batch(self, s: Connection, batch: list[ProductDraft | RowError]) -> list[Result]:
        """Write a batch's rows; each row's outcome, or why it was refused. The whole batch is
        written with a few statements (``_Plan``); if the store refuses one of them, the batch
        is written again row by row, each in its own SAVEPOINT, so only the refused row is lost.
        """
        drafts = [d for d in batch if isinstance(d, ProductDraft)]
        try:
            outcomes = iter(self._plan(s, drafts))
        except (IntegrityError, DataError):
            return [(item, self._one(s, item)) for item in batch]
        return [(item, item if isinstance(item, RowError) else next(outcomes)) for item in batch]

    def _plan(self, s: Connection, drafts: list[ProductDraft]) -> list[Outcome | RowError]:
        """``drafts`` decided and written in a SAVEPOINT; the bins they made become known."""
        with s.begin_nested():
            plan = _Plan(self, s, drafts)
            outcomes = plan.write()
        for code, bin_id in plan.new_bins.items():
            self.journal.add(self.bins, code, bin_id)
        return outcomes

    def _one(self, s: Connection, item: ProductDraft | RowError) -> Outcome | RowError:
        """One row on its own (when the batch at once was refused): the store refusing it
        loses only this row."""
        if isinstance(item, RowError):
            return item
        try:
            return self._plan(s, [item])[0]
        except (IntegrityError, DataError) as error:
            return RowError(item.where, "row", str(error.orig))


Result = tuple[ProductDraft | RowError, Outcome | RowError]  # a row, and what became of it


@dataclass
class _Product:
    """A product as the batch sees it; a new one has a made-up id below zero until written."""

    id: int
    sku: str
    name: str
    price: Decimal | None
    currency: str
    weight_g: int | None
    incomplete: bool

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "price": self.price,
            "currency": self.currency,
            "weight_g": self.weight_g,
            "incomplete": self.incomplete,
        }


class _Plan:
    """One batch of catalogue rows, decided in memory and written set-wise.

    What the batch's rows touch is read first (a query each for its products, their barcodes
    and the barcodes the rows name, their stock); each row is then decided in file order by
    the catalogue's rules (``_decide``) against that picture, which it updates (a barcode one
    row lets go of, a later row may take); a refused row changes nothing. Then the difference
    is written with one statement (an executemany) per kind of change.
    """

    def __init__(self, catalogue: _Catalogue, s: Connection, drafts: list[ProductDraft]):
        self.c = catalogue
        self.s = s
        self.drafts = drafts
        self._next_id = 0
        self.products: dict[str, _Product] = {}
        for chunk in chunks(sorted({d.sku for d in drafts})):
            for r in s.execute(select(PRODUCTS).where(PRODUCTS.c.sku.in_(chunk))):
                self.products[r.sku] = _Product(
                    r.id, r.sku, r.name, r.price, r.currency, r.weight_g, bool(r.incomplete)
                )
        self.products_before = {sku: replace(p) for sku, p in self.products.items()}
        self.sku_of = {p.id: p.sku for p in self.products.values()}
        ids = sorted(self.sku_of)
        codes = sorted({_code(printed) for d in drafts for printed, _units in d.barcodes} - {""})
        self.codes: dict[str, tuple[int, str, int]] = {}  # code -> (owner, kind, units)
        columns = (BARCODES.c.code, BARCODES.c.kind, BARCODES.c.units, BARCODES.c.product_id)
        lookups: list[tuple[Any, list[Any]]] = [
            (BARCODES.c.product_id, list(ids)),
            (BARCODES.c.code, list(codes)),
        ]
        for column, keys in lookups:
            for some in chunks(keys):
                for r in s.execute(
                    select(*columns, PRODUCTS.c.sku)
                    .join(PRODUCTS, PRODUCTS.c.id == BARCODES.c.product_id)
                    .where(column.in_(some))
                ):
                    self.codes[r.code] = (r.product_id, r.kind, r.units)
                    self.sku_of.setdefault(r.product_id, r.sku)
        self.codes_before = dict(self.codes)
        self.owned: dict[int, dict[str, tuple[str, int]]] = {}
        for code, (owner, kind, units) in self.codes.items():
            self.owned.setdefault(owner, {})[code] = (kind, units)
        # (product, bin) -> (on hand, committed)
        self.stock: dict[tuple[int, int], tuple[int, int]] = {}
        for id_chunk in chunks(ids):
            for r in s.execute(
                select(
                    STOCK.c.product_id, STOCK.c.bin_id, STOCK.c.on_hand, STOCK.c.committed
                ).where(STOCK.c.product_id.in_(id_chunk))
            ):
                self.stock[(r.product_id, r.bin_id)] = (r.on_hand, r.committed)
        self.stock_before = dict(self.stock)
        self.binned = {pid for pid, _bin in self.stock}
        self.new_bins: dict[str, int] = {}  # code -> made-up id, then the real one
        self.touched_products: set[int] = set()
        self.touched_bins: set[int] = set()
        self.touched_stock: set[tuple[int, int]] = set()

    def _made_up(self) -> int:
        self._next_id -= 1
        return self._next_id

    def write(self) -> list[Outcome | RowError]:
        """Decide every row, then write the batch; each row's outcome or refusal, in order."""
        outcomes: list[Outcome | RowError] = []
        for draft in self.drafts:
            try:
                outcomes.append(self._decide(draft))
            except Reject as bad:
                outcomes.append(RowError(draft.where, bad.field, bad.reason))
        self._write()
        return outcomes

    def _decide(self, draft: ProductDraft) -> Outcome:
        """One row against the batch's picture: a new product needs a name; a barcode must be
        valid and no other product's; a count may not fall below what orders hold in the bin.
        A product is complete with a barcode, a weight and a bin (what picking and packing
        need). Everything that can refuse the row is checked before anything of it is taken."""
        product = self.products.get(draft.sku)
        if product is None and not draft.name:
            raise Reject("name", "a new product needs a name")
        wanted: dict[str, tuple[str, int]] = {}
        for printed, units in draft.barcodes:
            try:
                kind_of, code = classify_barcode(printed)
            except InvalidBarcode as error:
                raise Reject("barcodes", error.message) from None
            wanted[code] = (kind_of.value, units)
        for code in wanted:
            holder = self.codes.get(code)
            if holder is not None and (product is None or holder[0] != product.id):
                raise Reject("barcodes", f"{code} already belongs to {self.sku_of[holder[0]]}")
        bin_id = self.c.bins.get(draft.bin_code or "") or self.new_bins.get(draft.bin_code or "")
        level = self.stock.get((product.id, bin_id)) if product and bin_id else None
        on_hand = draft.on_hand
        if level is not None and on_hand is not None and level[1] > on_hand != level[0]:
            raise Reject(
                "on_hand",
                f"{on_hand} in bin {draft.bin_code} is less than the {level[1]} already "
                "committed to orders: ship or re-allocate those first, then count again",
            )
        # The row stands: take it.
        created = product is None
        changed = False
        if product is None:
            assert draft.name
            product = _Product(
                self._made_up(),
                draft.sku,
                draft.name,
                draft.price,
                draft.currency or "GBP",
                draft.weight_g,
                True,
            )
            self.products[draft.sku] = product
            self.sku_of[product.id] = draft.sku
        else:
            was = replace(product)
            product.name = draft.name or product.name
            product.price = draft.price if draft.price is not None else product.price
            product.currency = draft.currency or product.currency
            product.weight_g = draft.weight_g if draft.weight_g is not None else product.weight_g
            changed = was != product
        pid = product.id
        mine = self.owned.get(pid, {})
        if wanted and mine != wanted:
            for code in mine:
                self.codes.pop(code, None)
            for code, (kind, units) in wanted.items():
                self.codes[code] = (pid, kind, units)
            self.owned[pid] = dict(wanted)
            changed = True
        if draft.bin_code:
            code = draft.bin_code
            if bin_id is None:
                bin_id = self._made_up()
                self.new_bins[code] = bin_id
                self.touched_bins.add(bin_id)
                changed = True
            if level is None:
                self.stock[(pid, bin_id)] = (on_hand or 0, 0)
                self.binned.add(pid)
                self.touched_stock.add((pid, bin_id))
                changed = True
            elif on_hand is not None and on_hand != level[0]:
                self.stock[(pid, bin_id)] = (on_hand, level[1])
                self.touched_stock.add((pid, bin_id))
                changed = True
        complete = product.weight_g is not None and bool(self.owned.get(pid)) and pid in self.binned
        if created or complete == product.incomplete:
            product.incomplete = not complete
            changed = True
        if changed or created:
            self.touched_products.add(pid)
        return Outcome.IMPORTED if created else (Outcome.UPDATED if changed else Outcome.UNCHANGED)

    def _write(self) -> None:
        """The batch's picture, less what was there before: a statement per kind of change."""
        s = self.s
        real: dict[int, int] = {}  # made-up id -> the id the store gave
        new = [p for p in self.products.values() if p.id < 0]
        if new:
            s.execute(insert(PRODUCTS), [{"sku": p.sku, **p.values()} for p in new])
            by_sku = {p.sku: p.id for p in new}
            for chunk in chunks(sorted(by_sku)):
                for r in s.execute(
                    select(PRODUCTS.c.id, PRODUCTS.c.sku).where(PRODUCTS.c.sku.in_(chunk))
                ):
                    real[by_sku[r.sku]] = r.id
        changed = [
            {"b_id": p.id, **p.values()}
            for sku, p in self.products.items()
            if p.id > 0 and p != self.products_before[sku]
        ]
        if changed:
            s.execute(
                update(PRODUCTS)
                .where(PRODUCTS.c.id == bindparam("b_id"))
                .values({k: bindparam(k) for k in changed[0] if k != "b_id"}),
                changed,
            )
        if self.new_bins:
            walk = self.c.walk
            s.execute(
                insert(BINS),
                [
                    {
                        "code": code,
                        "warehouse_id": self.c.warehouse_id,
                        "zone": code.split("-", 1)[0] or code,
                        "walk_sequence": walk.get(code) or (max(walk.values(), default=0) + 10),
                    }
                    for code in self.new_bins
                ],
            )
            made = dict(self.new_bins)
            for chunk in chunks(sorted(made)):
                for r in s.execute(
                    select(BINS.c.id, BINS.c.code).where(
                        BINS.c.warehouse_id == self.c.warehouse_id, BINS.c.code.in_(chunk)
                    )
                ):
                    real[made[r.code]] = r.id
                    self.new_bins[r.code] = r.id

        def the(i: int) -> int:
            return real.get(i, i)

        after = {code: (the(o), k, u) for code, (o, k, u) in self.codes.items()}
        before = self.codes_before
        gone = [c for c in before if c not in after or after[c][0] != before[c][0]]
        for chunk in chunks(sorted(gone)):
            s.execute(delete(BARCODES).where(BARCODES.c.code.in_(chunk)))
        added = [
            {"product_id": o, "code": c, "kind": k, "units": u}
            for c, (o, k, u) in after.items()
            if c not in before or before[c][0] != o
        ]
        if added:
            s.execute(insert(BARCODES), added)
        altered = [
            {"b_code": c, "kind": k, "units": u}
            for c, (o, k, u) in after.items()
            if c in before and before[c][0] == o and before[c] != (o, k, u)
        ]
        if altered:
            s.execute(
                update(BARCODES)
                .where(BARCODES.c.code == bindparam("b_code"))
                .values(kind=bindparam("kind"), units=bindparam("units")),
                altered,
            )
        stocked = [
            {
                "product_id": the(p),
                "bin_id": the(b),
                "warehouse_id": self.c.warehouse_id,
                "on_hand": on_hand,
                "committed": committed,
            }
            for (p, b), (on_hand, committed) in self.stock.items()
            if (p, b) not in self.stock_before
        ]
        if stocked:
            s.execute(insert(STOCK), stocked)
        counted = [
            {"b_product": p, "b_bin": b, "on_hand": on_hand}
            for (p, b), (on_hand, _committed) in self.stock.items()
            if (p, b) in self.stock_before and self.stock_before[(p, b)][0] != on_hand
        ]
        if counted:
            s.execute(
                update(STOCK)
                .where(
                    STOCK.c.product_id == bindparam("b_product"),
                    STOCK.c.bin_id == bindparam("b_bin"),
                )
                .values(on_hand=bindparam("on_hand")),
                counted,
            )
        touched = self.c.touched
        touched.products |= {the(i) for i in self.touched_products}
        touched.bins |= {the(i) for i in self.touched_bins}
        touched.stock |= {(the(p), the(b)) for p, b in self.touched_stock}


def _code(printed: str) -> str:
    """The code a printed barcode is stored as, or "" if it is not a barcode."""
    try:
        return classify_barcode(printed)[1]
    except InvalidBarcode:
        return ""
