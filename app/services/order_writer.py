"""One order writer: an order from a draft (app/channels) written into the store, created or
brought up to date. The import (app/services/importing.py) drives it in batches; manual order
creation and order editing will write through it too. Writes use SQLAlchemy Core (the bulk
path); the rows a writer touched are stamped with one change number in ``finish``, just
before the caller's commit. Stock moves through ``app.db.stock`` (allocation, release) and
status moves follow ``app.domain.status``.

An order's identity is its channel and the channel's id for it. Importing it again:

- unchanged: nothing is written (values are compared with what the store holds);
- changed, not yet being picked: updated in place (lines replaced, stock released and
  allocated again, review rules run again);
- changed while being picked (or already picked or packed): put on hold, with what changed;
- cancelled in the channel: voided (or held, if it is being picked);
- already shipped here: a change or a cancellation is reported, not applied.

A new order starts as ``imported``; the review rules (``[review]`` in the config) hold it, or
it is finalized and stock is allocated to it from the bins in walk order. Stock that is not
there stays open on the line (``quantity_allocated < quantity_ordered``); an order with any
stock allocated is ``allocated``, one with none stays ``finalized``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, Row, Table, bindparam, delete, insert, select, tuple_, update
from sqlalchemy.orm import Session

from app.channels import AddressDraft, ChannelState, CustomerDraft, LineDraft, OrderDraft
from app.channels.limits import ADDRESS_TEXT
from app.db import warehouses as stored_warehouses
from app.db.models import Address, AuditEvent, Bin, Customer, Order, OrderLine, Product, StockLevel
from app.db.stock import allocate_order, line_columns, release_order, take_touched
from app.domain import review
from app.domain.money import order_total
from app.domain.orders import LineQuantities
from app.domain.review import ReviewRules
from app.domain.status import OrderStatus, can_transition, check_transition
from app.domain.warehouses import WAIT, Assignment, Need, Part, assign, part_suffix
from app.sync.clock import next_change_seq

T = TypeVar("T")

S = OrderStatus
ORDERS = cast(Table, Order.__table__)
LINES = cast(Table, OrderLine.__table__)
ADDRESSES = cast(Table, Address.__table__)
CUSTOMERS = cast(Table, Customer.__table__)
PRODUCTS = cast(Table, Product.__table__)
BINS = cast(Table, Bin.__table__)
STOCK = cast(Table, StockLevel.__table__)
AUDIT = cast(Table, AuditEvent.__table__)
# Built once: executing a prepared statement with its parameters skips building a new
# statement (and its cache key) for every order.
INSERT_ORDER = insert(ORDERS).returning(ORDERS.c.id)
INSERT_LINES = insert(LINES)
INSERT_ADDRESS = insert(ADDRESSES).returning(ADDRESSES.c.id)
INSERT_CUSTOMER = insert(CUSTOMERS).returning(CUSTOMERS.c.id)
INSERT_PRODUCT = insert(PRODUCTS).returning(PRODUCTS.c.id)
# An UPDATE with no values() sets the columns named in the parameters it is executed with.
UPDATE_ORDER = update(ORDERS).where(ORDERS.c.id == bindparam("o_"))
UPDATE_ORDER_BUMPED = UPDATE_ORDER.values(version=ORDERS.c.version + 1)
ORDER_VERSION = select(ORDERS.c.version).where(ORDERS.c.id == bindparam("o_")).with_for_update()
OTHER_ORDER_OF = (
    select(ORDERS.c.id)
    .where(
        ORDERS.c.customer_id == bindparam("c_"),
        ORDERS.c.status != bindparam("void_"),
        ORDERS.c.id != bindparam("o_"),
    )
    .limit(1)
)
CHANNEL_NAMES = {
    "csv": "the CSV file",
    "woocommerce": "WooCommerce",
    "shopify": "Shopify",
    "bigcommerce": "BigCommerce",
    "magento": "Magento",
    "amazon": "Amazon",
}
NUMBER_PREFIXES = {
    "csv": "CSV",
    "woocommerce": "WC",
    "shopify": "SH",
    "bigcommerce": "BC",
    "magento": "MG",
    "amazon": "AZ",
}
SHIPPED_STATUSES = frozenset(
    {S.PARTIALLY_SHIPPED, S.SHIPPED, S.FULFILLED, S.PARTIALLY_RETURNED, S.RETURNED}
)
PICKING_STATUSES = frozenset({S.PICKING, S.PICKED, S.PACKING})
# Hold reasons the import writes itself; like the review rules' they are decided again when
# the order changes. Any other reason was written by a person and stays.
IMPORT_REASON_STARTS = ("Changed in ", "Cancelled in ", "Marked ")


class Outcome(StrEnum):
    """What happened to one order (or catalogue row) that was not rejected."""

    IMPORTED = "imported"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    HELD = "held"


# --- what a batch touched, stamped with one change number ------------------------------------


@dataclass
class Touched:
    """The rows a batch of writes touched, stamped with one change number before commit."""

    orders: set[int] = field(default_factory=set)
    customers: set[int] = field(default_factory=set)
    addresses: set[int] = field(default_factory=set)
    products: set[int] = field(default_factory=set)
    bins: set[int] = field(default_factory=set)
    stock: set[tuple[int, int]] = field(default_factory=set)

    def stamp(self, s: Session) -> None:
        """Take the next change number (its lock is held until commit) and stamp every row."""
        self.stock |= take_touched(s)  # what app.db.stock moved
        if not any(getattr(self, f.name) for f in fields(self)):
            return
        seq = next_change_seq(s)
        for table, ids in (
            (ORDERS, self.orders),
            (CUSTOMERS, self.customers),
            (ADDRESSES, self.addresses),
            (PRODUCTS, self.products),
            (BINS, self.bins),
        ):
            for chunk in chunks(sorted(ids)):
                s.execute(update(table).where(table.c.id.in_(chunk)).values(change_seq=seq))
        for pairs in chunks(sorted(self.stock)):
            s.execute(
                update(STOCK)
                .where(tuple_(STOCK.c.product_id, STOCK.c.bin_id).in_(pairs))
                .values(change_seq=seq)
            )


def chunks(items: Sequence[T], size: int = 500) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class Reject(Exception):
    """This one order (or catalogue row) cannot be written; the reason is for the person who
    reads the summary."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


# --- orders ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _StoredLine:
    id: int
    product_id: int
    values: tuple[Any, ...]  # as _line_values
    picked: int
    packed: int
    shipped: int


@dataclass(frozen=True)
class _Stored:
    """An order as the store holds it, in the shape the drafts are compared in."""

    id: int
    number: str
    status: OrderStatus
    version: int
    hold_reasons: tuple[str, ...]
    fulfilled_elsewhere: str | None
    header: dict[str, Any]
    ship_to: dict[str, Any] | None
    bill_to: dict[str, Any] | None
    ship_to_id: int | None
    bill_to_id: int | None
    lines: tuple[_StoredLine, ...]

    @property
    def in_progress(self) -> bool:
        """Being picked or further: hands have touched it, so a change must wait for a person."""
        return self.status in PICKING_STATUSES or any(
            line.picked or line.packed or line.shipped for line in self.lines
        )


class Journal:
    """Caches that must forget what a rolled-back order added to them."""

    def __init__(self) -> None:
        self._undo: list[Callable[[], None]] = []

    def add(self, cache: dict[Any, Any] | set[Any], key: Any, value: Any = None) -> None:
        if isinstance(cache, set):
            if key not in cache:
                cache.add(key)
                self._undo.append(lambda: cache.discard(key))
        elif key not in cache:
            cache[key] = value
            self._undo.append(lambda: cache.pop(key, None))

    def mark(self) -> int:
        return len(self._undo)

    def undo(self, mark: int) -> None:
        while len(self._undo) > mark:
            self._undo.pop()()

    def clear(self) -> None:
        self._undo.clear()


class OrderWriter:
    """Writes orders from drafts into the store, one at a time in the caller's transaction:
    a new one is created, one the store holds is brought up to date, held or voided (see the
    module's rules). Knows what the store already holds of the drafts it is given; call
    ``write`` for each (in a SAVEPOINT: a refusal raises), then ``finish`` before the commit.
    """

    def __init__(
        self,
        session: Session,
        drafts: Sequence[OrderDraft],
        *,
        station_id: str,
        rules: ReviewRules,
        journal: Journal | None = None,
        product_ids: dict[str, int] | None = None,
        warehouses: WarehouseRules | None = None,
    ) -> None:
        self.session = session
        self.s = session.connection()
        self.rules = rules
        self.journal = journal if journal is not None else Journal()
        self.product_ids = product_ids if product_ids is not None else {}  # sku -> id
        self.station_id = station_id
        self.channel = drafts[0].channel
        self.label = CHANNEL_NAMES.get(self.channel, self.channel)
        self.touched = Touched()
        self.audits: list[dict[str, Any]] = []
        self.done: set[str] = set()
        self.short_of_stock = 0  # orders written with stock still to allocate
        self.stored = self._load_stored([d.external_id for d in drafts])
        self.taken_numbers = self._taken_numbers(drafts)
        self.customers = self._load_customers([d.customer for d in drafts if d.customer])
        self._load_products({line.sku for d in drafts for line in d.lines})
        self.assigning = warehouses or WarehouseRules()
        self.warehouses = stored_warehouses.load(self.s)
        self.warehouse_ids = {w.code: w.id for w in self.warehouses}
        self.forced = (
            stored_warehouses.by_code(self.s, self.assigning.forced).id
            if self.assigning.forced
            else None
        )

    def finish(self) -> None:
        if self.audits:
            self.s.execute(insert(AUDIT), self.audits)
        self.touched.stamp(self.session)

    # -- reading what is there --

    def _load_stored(self, external_ids: list[str]) -> dict[str, _Stored]:
        found: dict[str, _Stored] = {}
        for chunk in chunks(sorted(set(external_ids))):
            rows = self.s.execute(
                select(ORDERS).where(
                    ORDERS.c.channel == self.channel, ORDERS.c.external_id.in_(chunk)
                )
            ).all()
            if rows:
                found.update(self._snapshots(rows))
        return found

    def _snapshots(self, rows: Sequence[Row[Any]]) -> dict[str, _Stored]:
        ids = [r.id for r in rows]
        address_ids = [a for r in rows for a in (r.ship_to_id, r.bill_to_id) if a is not None]
        addresses = {
            a.id: _address_values_of(a)
            for a in self.s.execute(select(ADDRESSES).where(ADDRESSES.c.id.in_(address_ids)))
        }
        lines: dict[int, list[_StoredLine]] = {}
        for line in self.s.execute(
            select(LINES)
            .where(LINES.c.order_id.in_(ids))
            .order_by(LINES.c.order_id, LINES.c.line_no)
        ):
            lines.setdefault(line.order_id, []).append(
                _StoredLine(
                    line.id,
                    line.product_id,
                    _line_values(
                        line.external_line_id,
                        line.sku,
                        line.name,
                        line.quantity_ordered,
                        line.unit_price,
                        line.tax_rate,
                        line.personalised,
                    ),
                    line.quantity_picked,
                    line.quantity_packed,
                    line.quantity_shipped,
                )
            )
        return {
            r.external_id: _Stored(
                id=r.id,
                number=r.number,
                status=S(r.status),
                version=r.version,
                hold_reasons=tuple(r.hold_reasons or ()),
                fulfilled_elsewhere=r.fulfilled_elsewhere,
                header=_header_values_of(r),
                ship_to=addresses.get(r.ship_to_id) if r.ship_to_id else None,
                bill_to=addresses.get(r.bill_to_id) if r.bill_to_id else None,
                ship_to_id=r.ship_to_id,
                bill_to_id=r.bill_to_id,
                lines=tuple(lines.get(r.id, ())),
            )
            for r in rows
        }

    def _existing(self, draft: OrderDraft) -> _Stored | None:
        if draft.external_id in self.done:  # the file had it before, in this same batch
            rows = self.s.execute(
                select(ORDERS).where(
                    ORDERS.c.channel == self.channel, ORDERS.c.external_id == draft.external_id
                )
            ).all()
            return self._snapshots(rows).get(draft.external_id)
        return self.stored.get(draft.external_id)

    def _taken_numbers(self, drafts: Sequence[OrderDraft]) -> set[str]:
        wanted = {c for d in drafts for c in _number_candidates(d)[:2]}
        taken: set[str] = set()
        for chunk in chunks(sorted(wanted)):
            taken.update(self.s.scalars(select(ORDERS.c.number).where(ORDERS.c.number.in_(chunk))))
        return taken

    def _load_customers(
        self, customers: list[CustomerDraft]
    ) -> dict[str, tuple[int, tuple[Any, ...]]]:
        refs = sorted({c.channel_ref for c in customers if c.channel_ref})
        emails = sorted({c.email for c in customers if c.email and not c.channel_ref})
        found: dict[str, tuple[int, tuple[Any, ...]]] = {}
        columns = (
            CUSTOMERS.c.id,
            CUSTOMERS.c.channel_ref,
            CUSTOMERS.c.email,
            CUSTOMERS.c.name,
            CUSTOMERS.c.phone,
        )
        for chunk in chunks(refs):
            for r in self.s.execute(select(*columns).where(CUSTOMERS.c.channel_ref.in_(chunk))):
                found[f"ref:{r.channel_ref}"] = (r.id, (r.name, r.email, r.phone))
        for chunk in chunks(emails):
            for r in self.s.execute(
                select(*columns).where(CUSTOMERS.c.email.in_(chunk)).order_by(CUSTOMERS.c.id)
            ):
                found.setdefault(f"email:{r.email}", (r.id, (r.name, r.email, r.phone)))
        return found

    def _load_products(self, skus: set[str]) -> None:
        missing = sorted(sku for sku in skus if sku not in self.product_ids)
        for chunk in chunks(missing):
            for r in self.s.execute(
                select(PRODUCTS.c.id, PRODUCTS.c.sku).where(PRODUCTS.c.sku.in_(chunk))
            ):
                self.product_ids[r.sku] = r.id

    # -- one order --

    def write(self, draft: OrderDraft) -> tuple[Outcome, dict[str, Any] | None]:
        """Write one order; raises Reject or a DomainError (then roll its SAVEPOINT back)."""
        if not draft.lines:
            raise Reject("lines", "nothing in it: the order has no line to ship or to record")
        stored = self._existing(draft)
        if stored is None:
            return self._create(draft)
        return self._update(draft, stored)

    def _create(self, draft: OrderDraft) -> tuple[Outcome, dict[str, Any]]:
        number = self._free_number(draft)
        customer_id = self._customer(draft.customer)
        ship_to_id = self._insert_address(draft.ship_to, customer_id)
        bill_to_id = self._insert_address(draft.bill_to, customer_id)
        product_ids = [self._product(line, draft.currency) for line in draft.lines]
        values = dict(
            _header_values(draft),
            number=number,
            channel=draft.channel,
            external_id=draft.external_id,
            customer_id=customer_id,
            ship_to_id=ship_to_id,
            bill_to_id=bill_to_id,
            status=S.IMPORTED,
            hold_reasons=[],
        )
        reasons: list[str] = []
        parts: tuple[Part, ...] = ()
        elsewhere = draft.state is ChannelState.COMPLETED
        if elsewhere:
            # Shipped by the channel before we saw it: a record for the returns desk, never
            # allocated, picked or packed here (docs/import-formats.md, "Fulfilled elsewhere").
            values.update(
                status=S.FULFILLED,
                fulfilled_elsewhere=f"{draft.channel_status} in {self.label}"[:120],
            )
        elif draft.state is ChannelState.CANCELLED:
            check_transition(number, S.IMPORTED, S.VOID)
            values.update(status=S.VOID, void_reason=self._cancel_reason(draft))
        else:
            reasons = self._review(draft, customer_id, exclude_order=None)
            target = S.ON_HOLD if reasons else S.FINALIZED
            check_transition(number, S.IMPORTED, target)
            values.update(status=target, hold_reasons=reasons)
        lines, line_products = list(draft.lines), list(product_ids)
        chosen = self._assign(draft, product_ids, can_split=values["status"] is S.FINALIZED)
        if chosen is not None:
            id_of, reason = chosen
            values.update(warehouse_id=id_of, warehouse_reason=reason.reason)
            parts = reason.parts
            if reason.split:
                lines, line_products = _part_lines(draft, product_ids, parts[0])
        order_id: int = self.s.execute(INSERT_ORDER, values).scalar_one()
        self.touched.orders.add(order_id)
        self._insert_lines(order_id, lines, line_products, shipped_elsewhere=elsewhere)
        detail = f"from {self.label}, id {draft.external_id}"
        if chosen is not None and chosen[1].reason:
            detail += f"; warehouse: {chosen[1].reason}"
        status = values["status"]
        if status is S.FINALIZED:
            status, allocation = self._allocate(order_id, number)
            detail += f"; {allocation}"
            for index, part in enumerate(parts[1:], 1):
                detail += f"; part {self._split_part(draft, values, number, index, part)}"
        elif elsewhere:
            units = sum(line.quantity for line in draft.lines)
            detail += (
                f"; fulfilled elsewhere ({values['fulfilled_elsewhere']}): {units} units shipped "
                "by the channel, nothing to allocate, pick or pack here"
            )
        elif status is S.VOID:
            detail += f"; void: {values['void_reason']}"
        else:
            detail += f"; held: {'; '.join(reasons)}"
        outcome = Outcome.HELD if status is S.ON_HOLD else Outcome.IMPORTED
        action = "order.held" if outcome is Outcome.HELD else "order.imported"
        return outcome, self._audit(action, number, detail)

    def _assign(
        self, draft: OrderDraft, product_ids: Sequence[int], *, can_split: bool
    ) -> tuple[int, Assignment] | None:
        """The warehouse for a new order (None: the only one there is, nothing to say)."""
        if self.forced is not None:
            code = next(c for c, i in self.warehouse_ids.items() if i == self.forced)
            return self.forced, Assignment(
                (Part(code, ()),), False, f"{code}: chosen by the import (--warehouse {code})"
            )
        if len(self.warehouses) <= 1:
            return None
        needs = [
            Need(n, p, line.quantity)
            for n, (line, p) in enumerate(zip(draft.lines, product_ids, strict=True), 1)
        ]
        codes = {w.id: w.code for w in self.warehouses}
        stock = stored_warehouses.available(self.s, product_ids, codes)
        country = draft.ship_to.country if draft.ship_to is not None else None
        rule = self.assigning.when_none_whole if can_split else WAIT
        chosen = assign(
            needs,
            stock,
            [w.info for w in self.warehouses],
            country,
            self.assigning.ranking,
            rule,
        )
        return self.warehouse_ids[chosen.warehouse], chosen

    def _split_part(
        self, draft: OrderDraft, parent: dict[str, Any], number: str, index: int, part: Part
    ) -> str:
        """Part ``index`` of a split order: an order of its own (``number``-B ...) naming
        its parent, with its lines, its warehouse and its own allocation."""
        part_number = f"{number}-{part_suffix(index)}"
        if self.s.execute(select(ORDERS.c.id).where(ORDERS.c.number == part_number)).first():
            raise Reject("order", f"its split part would be numbered {part_number}, which is taken")
        values = dict(
            parent,
            number=part_number,
            external_id=f"{draft.external_id}/{part_suffix(index)}",
            warehouse_id=self.warehouse_ids[part.warehouse],
            split_of=number,
        )
        order_id: int = self.s.execute(INSERT_ORDER, values).scalar_one()
        self.touched.orders.add(order_id)
        lines, products = _part_lines(draft, [self.product_ids[ln.sku] for ln in draft.lines], part)
        self._insert_lines(order_id, lines, products)
        _status, allocation = self._allocate(order_id, part_number)
        return f"{part_number} in {part.warehouse}: {allocation}"

    def _update(self, draft: OrderDraft, stored: _Stored) -> tuple[Outcome, dict[str, Any] | None]:
        unchanged: tuple[Outcome, None] = (Outcome.UNCHANGED, None)
        if self.s.execute(select(ORDERS.c.id).where(ORDERS.c.split_of == stored.number)).first():
            return unchanged  # split between warehouses: its parts are changed by hand
        if stored.status is S.VOID:
            return unchanged  # voided here (or cancelled before): the channel cannot reopen it
        changes = _differences(stored, draft)
        state = draft.state
        said = f"{draft.channel_status} in {self.label}"
        if stored.status in SHIPPED_STATUSES:
            shipped = (
                f"after it was fulfilled elsewhere ({stored.fulfilled_elsewhere})"
                if stored.fulfilled_elsewhere
                else f"after it shipped here ({stored.status.label.lower()})"
            )
            if state is ChannelState.CANCELLED:
                raise Reject(
                    "status",
                    f"cancelled in {self.label} ({draft.channel_status}) {shipped}: nothing was "
                    "changed; take the goods back at the Returns desk when they come back",
                )
            if changes:
                raise Reject(
                    "order",
                    f"changed in {self.label} {shipped} ({'; '.join(changes)}): not applied",
                )
            return unchanged
        if stored.in_progress:
            if state is ChannelState.CANCELLED:
                reason = (
                    f"Cancelled in {self.label} (status {draft.channel_status}) while being "
                    "picked: void it and put the goods back"
                )
            elif state is ChannelState.COMPLETED:
                reason = (
                    f"Marked {said} while being picked: check whether it was sent from elsewhere"
                )
            elif changes:
                reason = f"Changed in {self.label} while being picked: {'; '.join(changes)}"[:500]
            else:
                return unchanged
            if reason in stored.hold_reasons:
                return unchanged
            return self._hold(stored, reason)
        if state is ChannelState.CANCELLED:
            check_transition(stored.number, stored.status, S.VOID)
            self._lock(stored)
            release_order(self.session, stored.id, stored.number)
            why = self._cancel_reason(draft)
            _set_order(self.s, stored.id, self.touched, status=S.VOID, void_reason=why)
            return Outcome.UPDATED, self._audit(
                "order.updated", stored.number, f"{stored.status.value} -> void: {why}"
            )
        if state is ChannelState.COMPLETED:
            reason = (
                f"Marked {said} before it was packed here: check whether it was sent from "
                "elsewhere, then void it"
            )
            if reason in stored.hold_reasons:
                return unchanged
            self._lock(stored)
            release_order(self.session, stored.id, stored.number)
            return self._hold(stored, reason)
        fresh_channel = review.channel_reasons(self.rules, self._under_review(draft, None))
        old_channel = [r for r in stored.hold_reasons if review.is_channel_reason(r)]
        channel_moved = stored.status is S.ON_HOLD and old_channel != fresh_channel
        if not changes and not channel_moved:
            return unchanged
        # Update in place: give back the stock, rewrite the order, review and allocate again.
        self._lock(stored)
        release_order(self.session, stored.id, stored.number)
        customer_id = self._customer(draft.customer)
        ship_to_id = self._write_address(
            stored.ship_to_id, stored.ship_to, draft.ship_to, customer_id
        )
        bill_to_id = self._write_address(
            stored.bill_to_id, stored.bill_to, draft.bill_to, customer_id
        )
        ids = [self._product(line, draft.currency) for line in draft.lines]
        if not _same_lines(
            [line.values for line in stored.lines],
            [_line_values_of_draft(line) for line in draft.lines],
        ):
            self.s.execute(delete(LINES).where(LINES.c.order_id == stored.id))
            self._insert_lines(stored.id, draft.lines, ids)
        kept = [
            r
            for r in stored.hold_reasons
            if not review.is_rule_reason(r) and not r.startswith(IMPORT_REASON_STARTS)
        ]
        reasons = kept + self._review(draft, customer_id, exclude_order=stored.id)
        target = S.ON_HOLD if reasons else S.FINALIZED
        _walk(stored.number, stored.status, target)
        _set_order(
            self.s,
            stored.id,
            self.touched,
            **_header_values(draft),
            customer_id=customer_id,
            ship_to_id=ship_to_id,
            bill_to_id=bill_to_id,
            status=target,
            hold_reasons=reasons,
        )
        what = "; ".join(changes) or f"status in {self.label} now {draft.channel_status}"
        detail = f"{stored.status.value} -> {target.value}: {what}"
        if target is S.FINALIZED:
            final, allocation = self._allocate(stored.id, stored.number)
            detail = f"{stored.status.value} -> {final.value}: {what}; {allocation}"
            return Outcome.UPDATED, self._audit("order.updated", stored.number, detail)
        return Outcome.HELD, self._audit(
            "order.held", stored.number, f"{detail}; held: {'; '.join(reasons)}"
        )

    def _lock(self, stored: _Stored) -> None:
        """Lock the order's row, and make sure no station moved it since this batch read it."""
        version = self.s.execute(ORDER_VERSION, {"o_": stored.id}).scalar()
        if version != stored.version:
            raise Reject(
                "order",
                "a station changed this order while the file was being imported; import the "
                "file again to apply the channel's change",
            )

    def _hold(self, stored: _Stored, reason: str) -> tuple[Outcome, dict[str, Any]]:
        self._lock(stored)
        if stored.status is not S.ON_HOLD:
            check_transition(stored.number, stored.status, S.ON_HOLD)
        _set_order(
            self.s,
            stored.id,
            self.touched,
            status=S.ON_HOLD,
            hold_reasons=[*stored.hold_reasons, reason],
        )
        return Outcome.HELD, self._audit(
            "order.held", stored.number, f"{stored.status.value} -> on_hold: {reason}"
        )

    def _cancel_reason(self, draft: OrderDraft) -> str:
        return f"Cancelled in {self.label} (status {draft.channel_status})"

    def _audit(self, action: str, number: str, detail: str) -> dict[str, Any]:
        return {
            "station": self.station_id,
            "action": action,
            "subject": f"order:{number}",
            "detail": detail[:2000],
            "user_id": None,
            "user_name": None,
            "raw_scan": None,
        }

    # -- review and allocation --

    def _under_review(self, draft: OrderDraft, first_order: bool | None) -> review.OrderUnderReview:
        return review.OrderUnderReview(
            currency=draft.currency,
            total=order_total(
                ((line.quantity, line.unit_price, line.tax_rate) for line in draft.lines),
                draft.shipping_total,
                draft.currency,
            ),
            channel=self.label,
            channel_status=draft.channel_status,
            unpaid=draft.state is ChannelState.UNPAID,
            channel_hold=draft.state is ChannelState.ON_HOLD,
            first_order=first_order,
            ship_to=_address_values(draft.ship_to),
            bill_country=draft.bill_to.country if draft.bill_to else None,
            personalised_skus=tuple(dict.fromkeys(ln.sku for ln in draft.lines if ln.personalised)),
        )

    def _review(
        self, draft: OrderDraft, customer_id: int | None, exclude_order: int | None
    ) -> list[str]:
        subject = self._under_review(draft, None)
        if self.rules.checks_first_order(subject.total):
            first = customer_id is None or not self._has_orders(customer_id, exclude_order)
            subject = review.OrderUnderReview(
                **{
                    f.name: getattr(subject, f.name)
                    for f in fields(subject)
                    if f.name != "first_order"
                },
                first_order=first,
            )
        return review.hold_reasons(self.rules, subject)

    def _has_orders(self, customer_id: int, exclude_order: int | None) -> bool:
        """Whether the customer has another order that counts (one not void)."""
        found = self.s.execute(
            OTHER_ORDER_OF, {"c_": customer_id, "o_": exclude_order or 0, "void_": S.VOID}
        )
        return found.first() is not None

    def _allocate(self, order_id: int, number: str) -> tuple[OrderStatus, str]:
        allocated = allocate_order(self.session, order_id, number)
        if allocated.short:
            self.short_of_stock += 1
        if allocated.status is S.ALLOCATED:
            check_transition(number, S.FINALIZED, S.ALLOCATED)
            _set_order(self.s, order_id, self.touched, status=S.ALLOCATED, bump=False)
            return S.ALLOCATED, f"allocated {allocated.units}, short {allocated.short}"
        return S.FINALIZED, f"no stock to allocate (short {allocated.short})"

    # -- rows --

    def _free_number(self, draft: OrderDraft) -> str:
        candidates = _number_candidates(draft)
        for candidate in candidates[:2]:
            if candidate not in self.taken_numbers:
                self.journal.add(self.taken_numbers, candidate)
                return candidate
        base = candidates[1]
        n = 2
        while True:
            candidate = f"{base[: 32 - len(str(n)) - 1]}-{n}"
            if (
                candidate not in self.taken_numbers
                and not self.s.execute(
                    select(ORDERS.c.id).where(ORDERS.c.number == candidate)
                ).first()
            ):
                self.journal.add(self.taken_numbers, candidate)
                return candidate
            n += 1

    def _customer(self, draft: CustomerDraft | None) -> int | None:
        if draft is None:
            return None
        values = {
            "name": draft.name or "Customer",
            "email": draft.email,
            "phone": draft.phone,
            "channel_ref": draft.channel_ref,
        }
        key = (
            f"ref:{values['channel_ref']}"
            if draft.channel_ref
            else (f"email:{values['email']}" if draft.email else None)
        )
        if key is not None and key in self.customers:
            customer_id, known = self.customers[key]
            wanted = (values["name"], values["email"] or known[1], values["phone"] or known[2])
            if wanted != known:
                self.s.execute(
                    update(CUSTOMERS)
                    .where(CUSTOMERS.c.id == customer_id)
                    .values(name=wanted[0], email=wanted[1], phone=wanted[2])
                )
                self.customers[key] = (customer_id, wanted)
                self.touched.customers.add(customer_id)
            return customer_id
        new_id: int = self.s.execute(INSERT_CUSTOMER, values).scalar_one()
        self.touched.customers.add(new_id)
        if key is not None:
            self.journal.add(
                self.customers, key, (new_id, (values["name"], values["email"], values["phone"]))
            )
        return new_id

    def _insert_address(self, draft: AddressDraft | None, customer_id: int | None) -> int | None:
        values = _address_values(draft)
        if values is None:
            return None
        address_id: int = self.s.execute(
            INSERT_ADDRESS, {**values, "customer_id": customer_id}
        ).scalar_one()
        self.touched.addresses.add(address_id)
        return address_id

    def _write_address(
        self,
        address_id: int | None,
        stored: Mapping[str, Any] | None,
        draft: AddressDraft | None,
        customer_id: int | None,
    ) -> int | None:
        values = _address_values(draft)
        if values is None or address_id is None:
            return self._insert_address(draft, customer_id) if values is not None else None
        if values != stored:
            self.s.execute(
                update(ADDRESSES)
                .where(ADDRESSES.c.id == address_id)
                .values({**values, "customer_id": customer_id})
            )
            self.touched.addresses.add(address_id)
        return address_id

    def _product(self, line: LineDraft, currency: str) -> int:
        """The product for a line; one the store does not know is created, marked incomplete."""
        known = self.product_ids.get(line.sku)
        if known is not None:
            return known
        product_id: int = self.s.execute(
            INSERT_PRODUCT,
            {
                "sku": line.sku,
                "name": line.name or line.sku,
                "price": line.unit_price,
                "currency": currency,
                "incomplete": True,
            },
        ).scalar_one()
        self.touched.products.add(product_id)
        self.journal.add(self.product_ids, line.sku, product_id)
        return product_id

    def _insert_lines(
        self,
        order_id: int,
        lines: Sequence[LineDraft],
        product_ids: Sequence[int],
        *,
        shipped_elsewhere: bool = False,
    ) -> None:
        """The order's lines; lines shipped elsewhere have every step at the quantity (the
        CHECK chain ordered >= allocated >= picked >= packed >= shipped holds, stock held is
        allocated - shipped = 0, and returns count against shipped)."""
        if not lines:
            return
        self.s.execute(
            INSERT_LINES,
            [
                {
                    "order_id": order_id,
                    "line_no": n,
                    "product_id": product_id,
                    "sku": line.sku,
                    "name": line.name or line.sku,
                    **line_columns(
                        LineQuantities.shipped_elsewhere(line.quantity)
                        if shipped_elsewhere
                        else LineQuantities(line.quantity)
                    ),
                    "unit_price": line.unit_price,
                    "tax_rate": line.tax_rate,
                    "personalised": line.personalised,
                    "external_line_id": line.external_line_id,
                }
                for n, (line, product_id) in enumerate(zip(lines, product_ids, strict=True), 1)
            ],
        )


@dataclass(frozen=True)
class WarehouseRules:
    """How the writer chooses a new order's warehouse: ``forced`` (a code) wins; otherwise
    the rule of app/domain/warehouses.py with the configured ranking."""

    forced: str = ""
    when_none_whole: str = "split"
    ranking: Mapping[str, Sequence[str]] = field(default_factory=dict)


def _part_lines(
    draft: OrderDraft, product_ids: Sequence[int], part: Part
) -> tuple[list[LineDraft], list[int]]:
    """The draft's lines a split part ships, with its share of each line's units."""
    return (
        [replace(draft.lines[n - 1], quantity=q) for n, q in part.lines],
        [product_ids[n - 1] for n, _q in part.lines],
    )


# --- comparing a draft with the stored order ------------------------------------------------


def _header_values(draft: OrderDraft) -> dict[str, Any]:
    return {
        "currency": draft.currency,
        "carrier": draft.carrier,
        "service": draft.service,
        "shipping_total": draft.shipping_total,
        "placed_at": draft.placed_at,
    }


def _header_values_of(row: Row[Any]) -> dict[str, Any]:
    return {
        key: getattr(row, key)
        for key in ("currency", "carrier", "service", "shipping_total", "placed_at")
    }


_ADDRESS_COLUMNS = tuple(ADDRESS_TEXT)  # in the order they are compared
_REQUIRED_TEXT = frozenset({"name", "line1", "city", "country"})  # NOT NULL in the schema


def _address_values(draft: AddressDraft | None) -> dict[str, Any] | None:
    if draft is None:
        return None
    values: dict[str, Any] = {}
    for key in _ADDRESS_COLUMNS:
        value = getattr(draft, key)  # bounded by the channel checks (app/channels/limits.py)
        values[key] = (value or "") if key in _REQUIRED_TEXT else (value or None)
    return values


def _address_values_of(row: Row[Any]) -> dict[str, Any]:
    return {key: getattr(row, key) for key in _ADDRESS_COLUMNS}


def _line_values(
    external_id: str | None,
    sku: str,
    name: str,
    quantity: int,
    unit_price: Decimal,
    tax_rate: Decimal,
    personalised: bool,
) -> tuple[Any, ...]:
    return (external_id, sku, name, quantity, unit_price, tax_rate, bool(personalised))


def _line_values_of_draft(line: LineDraft) -> tuple[Any, ...]:
    return _line_values(
        line.external_line_id,
        line.sku,
        line.name or line.sku,
        line.quantity,
        line.unit_price,
        line.tax_rate,
        line.personalised,
    )


def _differences(stored: _Stored, draft: OrderDraft) -> list[str]:
    """What the channel changed, in words for the supervisor; empty when nothing did."""
    changes = []
    header = _header_values(draft)
    names = {
        "currency": "currency",
        "carrier": "carrier",
        "service": "shipping service",
        "shipping_total": "shipping charge",
        "placed_at": "order time",
    }
    for key, label in names.items():
        if header[key] != stored.header[key]:
            changes.append(f"{label} {_show(stored.header[key])} -> {_show(header[key])}")
    for label, old, new in (
        ("ship-to address", stored.ship_to, _address_values(draft.ship_to)),
        ("billing address", stored.bill_to, _address_values(draft.bill_to)),
    ):
        if old != new:
            changes.append(f"{label} changed")
    old_lines = [line.values for line in stored.lines]
    new_lines = [_line_values_of_draft(line) for line in draft.lines]
    if not _same_lines(old_lines, new_lines):
        changes.extend(_line_differences(old_lines, new_lines))
    return changes


def _same_lines(old: list[tuple[Any, ...]], new: list[tuple[Any, ...]]) -> bool:
    """The same lines, in any order: a file sorted differently (a CSV export by SKU instead of
    by date) lists an order's lines in another order, and that is not a change."""
    return old == new or Counter(old) == Counter(new)


def _line_differences(old: list[tuple[Any, ...]], new: list[tuple[Any, ...]]) -> list[str]:
    def keyed(lines: list[tuple[Any, ...]]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
        seen: dict[tuple[Any, ...], int] = {}
        out = {}
        for v in lines:
            base = (v[0],) if v[0] else (v[1],)
            seen[base] = seen.get(base, 0) + 1
            out[(*base, seen[base])] = v
        return out

    before, after = keyed(old), keyed(new)
    changes = []
    for key, v in after.items():
        if key not in before:
            changes.append(f"{v[1]} x{v[3]} added")
            continue
        was = before[key]
        if was[3] != v[3]:
            changes.append(f"{v[1]} quantity {was[3]} -> {v[3]}")
        if was[1] != v[1]:
            changes.append(f"{was[1]} replaced by {v[1]}")
        if was[4] != v[4]:
            changes.append(f"{v[1]} price {_show(was[4])} -> {_show(v[4])}")
        if was[5] != v[5]:
            changes.append(f"{v[1]} tax rate {_show(was[5])} -> {_show(v[5])}")
        if was[2] != v[2] or was[6] != v[6]:
            changes.append(f"{v[1]} description or personalisation")
    changes.extend(f"{v[1]} removed" for key, v in before.items() if key not in after)
    return changes or ["lines reordered"]


def _show(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return "none" if value is None else str(value)


def _number_candidates(draft: OrderDraft) -> list[str]:
    clean = "".join(ch for ch in draft.number.lstrip("#") if ch.isalnum() or ch in "-_./")
    clean = clean or "".join(ch for ch in draft.external_id if ch.isalnum()) or "X"
    prefix = NUMBER_PREFIXES.get(draft.channel, draft.channel[:3].upper())
    return [clean[:32], f"{prefix}-{clean}"[:32]]


# --- status moves, allocation ---------------------------------------------------------------


def _walk(number: str, current: OrderStatus, target: OrderStatus) -> None:
    """Check a move; an update that sends an allocated order back to review goes via a hold
    (the lifecycle has no allocated -> finalized: stock is released and allocated again)."""
    if current is target or can_transition(current, target):
        return
    check_transition(number, current, S.ON_HOLD)
    check_transition(number, S.ON_HOLD, target)


def _set_order(
    s: Connection, order_id: int, touched: Touched, *, bump: bool = True, **values: Any
) -> None:
    if "status" in values:
        values["status"] = S(values["status"])
    # The optimistic lock: a station holding the old version must reload before it writes.
    s.execute(UPDATE_ORDER_BUMPED if bump else UPDATE_ORDER, {"o_": order_id, **values})
    touched.orders.add(order_id)
