"""The stock rules (app/domain/stock.py) applied to the rows: the one database implementation.

Every step reads an order's lines, what they hold per bin (``allocations``) and their
products' stock, runs the domain's function over those plain values, and writes back only
what it changed: the lines' quantities, the bins' stock as deltas, the allocation rows. The
import (central, Core, in bulk), the station's services, the central store's command
handlers and the release of a hold all call these functions, so a rule cannot drift
between them.

The writes are Core statements on the session's connection (the import's bulk path pays
for no ORM objects), so any order line or stock row the session holds as an ORM object is
expired afterwards, and the rows changed are noted on the session: on the central store
``app.sync.clock.stamp_changes`` stamps them with the transaction's change number (the
import stamps its own batch and takes them with ``take_touched``). Stock rows are read
``FOR UPDATE`` on PostgreSQL (two writers never take the same units); SQLite's writers
already queue at BEGIN IMMEDIATE. The CHECK constraints (committed within on hand, the
quantity chain) stand behind the domain's own checks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from app.db.models import Allocation, Bin, Order, OrderLine, StockLevel
from app.domain import stock as rules
from app.domain.errors import InvalidQuantities
from app.domain.orders import LineQuantities
from app.domain.status import OrderStatus
from app.domain.stock import BinStock, Moved

LINES = cast(Table, OrderLine.__table__)
STOCK = cast(Table, StockLevel.__table__)
BINS = cast(Table, Bin.__table__)
ALLOCATIONS = cast(Table, Allocation.__table__)
ORDERS = cast(Table, Order.__table__)

_TOUCHED = "packbench.stock_touched"

# Built once: executing a prepared statement with its parameters skips building a new
# statement (and its cache key) for every order the import allocates.
_LINES_OF = (
    select(
        LINES.c.id,
        LINES.c.line_no,
        LINES.c.sku,
        LINES.c.product_id,
        LINES.c.quantity_ordered,
        LINES.c.quantity_allocated,
        LINES.c.quantity_picked,
        LINES.c.quantity_packed,
        LINES.c.quantity_shipped,
        LINES.c.quantity_invoiced,
        LINES.c.quantity_returned,
    )
    .where(LINES.c.order_id == bindparam("o_"))
    .order_by(LINES.c.line_no)
)
_HELD_BY = (
    select(ALLOCATIONS.c.order_line_id, BINS.c.code, ALLOCATIONS.c.quantity)
    .join(BINS, BINS.c.id == ALLOCATIONS.c.bin_id)
    .join(LINES, LINES.c.id == ALLOCATIONS.c.order_line_id)
    .where(LINES.c.order_id == bindparam("o_"))
)
_STOCK_OF = (
    select(
        STOCK.c.product_id,
        STOCK.c.bin_id,
        BINS.c.code,
        BINS.c.walk_sequence,
        STOCK.c.on_hand,
        STOCK.c.committed,
    )
    .join(BINS, BINS.c.id == STOCK.c.bin_id)
    .where(
        STOCK.c.product_id.in_(bindparam("products_", expanding=True)),
        # Only the order's own warehouse: allocation never takes another warehouse's stock.
        STOCK.c.warehouse_id == bindparam("w_"),
    )
    # Locked in key order: two stations moving the same products wait, never deadlock.
    .order_by(STOCK.c.product_id, STOCK.c.bin_id)
    .with_for_update(of=STOCK)
)
_MOVE_COMMITTED = (
    update(STOCK)
    .where(STOCK.c.product_id == bindparam("p_"), STOCK.c.bin_id == bindparam("b_"))
    .values(committed=STOCK.c.committed + bindparam("d_committed"))
)
_MOVE_STOCK = _MOVE_COMMITTED.values(on_hand=STOCK.c.on_hand + bindparam("d_on_hand"))
_SET_LINE = update(LINES).where(LINES.c.id == bindparam("l_"))
_SET_HELD = (
    update(ALLOCATIONS)
    .where(ALLOCATIONS.c.order_line_id == bindparam("l_"), ALLOCATIONS.c.bin_id == bindparam("b_"))
    .values(quantity=bindparam("n_"))
)
_DROP_HELD = delete(ALLOCATIONS).where(
    ALLOCATIONS.c.order_line_id == bindparam("l_"), ALLOCATIONS.c.bin_id == bindparam("b_")
)
_ADD_HELD = insert(ALLOCATIONS)
_ADD_STOCK = insert(STOCK)
_WAREHOUSE_OF = select(ORDERS.c.warehouse_id).where(ORDERS.c.id == bindparam("o_"))


@dataclass(frozen=True)
class Allocated:
    """What an allocation did to an order: units committed now, units still short, and the
    status a finalized order goes to (``app.domain.stock.status_after_allocation``)."""

    units: int
    short: int
    status: OrderStatus


@dataclass
class _Line:
    id: int
    line_no: int
    sku: str
    product_id: int
    quantities: LineQuantities
    held: dict[str, int] = field(default_factory=dict)


class _Order:
    """One order's lines, what they hold, and their products' stock, as the rows are now.

    The stock is of one warehouse, and every bin code is read within it (codes repeat
    across warehouses): the order's own, or for a restocked return ``stock_warehouse_id``,
    the warehouse it was received in (the lines' allocations, in the order's warehouse,
    are then left as they are)."""

    def __init__(
        self,
        session: Session,
        order_id: int,
        number: str | None,
        stock_warehouse_id: int | None = None,
    ) -> None:
        self.session = session
        session.flush()  # rows are read with Core below: nothing of this session's may wait
        self.conn = session.connection()
        self.number = number
        order_warehouse = self.conn.execute(_WAREHOUSE_OF, {"o_": order_id}).scalar_one()
        self.warehouse_id = stock_warehouse_id or order_warehouse
        self.own_warehouse = self.warehouse_id == order_warehouse
        self.lines = [
            _Line(
                r.id,
                r.line_no,
                r.sku,
                r.product_id,
                LineQuantities(*r[4:]),
            )
            for r in self.conn.execute(_LINES_OF, {"o_": order_id})
        ]
        by_id = {line.id: line for line in self.lines}
        for line_id, code, quantity in self.conn.execute(_HELD_BY, {"o_": order_id}):
            by_id[line_id].held[code] = quantity
        self.stock: dict[int, dict[str, BinStock]] = {}
        self.bin_ids: dict[str, int] = {}
        products = sorted({line.product_id for line in self.lines})
        if products:
            found = self.conn.execute(_STOCK_OF, {"products_": products, "w_": self.warehouse_id})
            for r in found:
                self.stock.setdefault(r.product_id, {})[r.code] = BinStock(
                    r.code, r.walk_sequence, r.on_hand, r.committed
                )
                self.bin_ids[r.code] = r.bin_id
        self.touched: set[tuple[int, int]] = set()

    def line(self, line_no: int) -> _Line:
        for line in self.lines:
            if line.line_no == line_no:
                return line
        raise InvalidQuantities(f"Order {self.number} has no line {line_no}.")

    def bins(self, line: _Line) -> list[BinStock]:
        return list(self.stock.get(line.product_id, {}).values())

    def bin(self, line: _Line, code: str) -> BinStock:
        """The line's product in bin ``code``; a bin it has no stock row in yet holds 0."""
        found = self.stock.get(line.product_id, {}).get(code)
        if found is not None:
            return found
        row = self.conn.execute(
            select(BINS.c.id, BINS.c.walk_sequence).where(
                BINS.c.code == code, BINS.c.warehouse_id == self.warehouse_id
            )
        ).first()
        if row is None:
            raise InvalidQuantities(
                f"There is no bin {code} in "
                f"{'this order' if self.own_warehouse else 'the receiving'}'s warehouse: "
                "scan the label of a bin there."
            )
        self.conn.execute(
            _ADD_STOCK,
            {
                "product_id": line.product_id,
                "bin_id": row.id,
                "warehouse_id": self.warehouse_id,
                "on_hand": 0,
            },
        )
        self.bin_ids[code] = row.id
        empty = BinStock(code, row.walk_sequence, 0, 0)
        self.stock.setdefault(line.product_id, {})[code] = empty
        return empty

    def step(self, line: _Line, rule: Callable[[_Line], Moved | LineQuantities]) -> Moved:
        """Run one rule for ``line`` and write what it changed; a refusal names the line."""
        try:
            result = rule(line)
        except InvalidQuantities as refusal:
            raise InvalidQuantities(
                f"Order {self.number} line {line.line_no} ({line.sku}): {refusal.message}"
            ) from refusal
        moved = result if isinstance(result, Moved) else Moved(result, line.held)
        # The allocations name bins of the order's warehouse: another's stock moves only by
        # steps that leave them alone (a restock).
        assert self.own_warehouse or dict(moved.held) == line.held, "held bins elsewhere"
        self._write(line, moved)
        return moved

    def _write(self, line: _Line, moved: Moved) -> None:
        conn = self.conn
        # Only the columns and rows that changed: a station's PostgreSQL role may update
        # just the ones its commands move (docs/sync.md, the station grants).
        was_line = line_columns(line.quantities)
        changed = {k: v for k, v in line_columns(moved.line).items() if v != was_line[k]}
        if changed:
            conn.execute(_SET_LINE, {"l_": line.id, **changed})
        bins = self.stock.setdefault(line.product_id, {})
        for code, now in moved.bins.items():
            was = bins[code]
            moves = {
                "p_": line.product_id,
                "b_": self.bin_ids[code],
                "d_committed": now.committed - was.committed,
            }
            if now.on_hand != was.on_hand:
                conn.execute(_MOVE_STOCK, {**moves, "d_on_hand": now.on_hand - was.on_hand})
            elif now.committed != was.committed:
                conn.execute(_MOVE_COMMITTED, moves)
            bins[code] = now
            self.touched.add((line.product_id, self.bin_ids[code]))
        for code in sorted(set(line.held) | set(moved.held)):
            before, after = line.held.get(code, 0), moved.held.get(code, 0)
            if before == after:
                continue
            keys = {"l_": line.id, "b_": self.bin_ids[code]}
            if not after:
                conn.execute(_DROP_HELD, keys)
            elif not before:
                conn.execute(
                    _ADD_HELD,
                    {
                        "order_line_id": line.id,
                        "bin_id": self.bin_ids[code],
                        "product_id": line.product_id,
                        "quantity": after,
                    },
                )
            else:
                conn.execute(_SET_HELD, {**keys, "n_": after})
        line.quantities, line.held = moved.line, dict(moved.held)

    def done(self) -> None:
        """Note the stock rows changed for stamping, and expire what the ORM holds of them."""
        if self.touched:
            note_touched(self.session, self.touched)
        for obj in list(self.session.identity_map.values()):
            if isinstance(obj, OrderLine | StockLevel | Allocation):
                self.session.expire(obj)


def line_columns(q: LineQuantities) -> dict[str, int]:
    """The order_lines columns that hold ``q``."""
    return {
        "quantity_ordered": q.ordered,
        "quantity_allocated": q.allocated,
        "quantity_picked": q.picked,
        "quantity_packed": q.packed,
        "quantity_shipped": q.shipped,
        "quantity_invoiced": q.invoiced,
        "quantity_returned": q.returned,
    }


def _order(
    session: Session, order_id: int, number: str | None, stock_warehouse_id: int | None = None
) -> _Order:
    session.flush()  # the ORM's pending changes first: the rules read the rows
    return _Order(session, order_id, number, stock_warehouse_id)


# --- the steps --------------------------------------------------------------------------------


def allocate_order(session: Session, order_id: int, number: str | None = None) -> Allocated:
    """Commit stock to what the order's lines still need, from the bins in walk order, never
    beyond what is available; what is not there stays open on the line."""
    order = _order(session, order_id, number)
    units = short = 0
    for line in order.lines:
        if line.quantities.to_allocate <= 0:
            continue
        before = line.quantities.allocated
        moved = order.step(line, lambda ln: rules.allocate(ln.quantities, ln.held, order.bins(ln)))
        units += moved.line.allocated - before
        short += moved.short
    order.done()
    status = rules.status_after_allocation(line.quantities for line in order.lines)
    return Allocated(units, short, status)


def release_order(session: Session, order_id: int, number: str | None = None) -> None:
    """Give back to the bins everything the order's lines hold (a void, a hold, a change)."""
    order = _order(session, order_id, number)
    for line in order.lines:
        if line.held or line.quantities.allocated != line.quantities.shipped:
            order.step(line, lambda ln: rules.release(ln.quantities, ln.held, order.bins(ln)))
    order.done()


def ship_order(
    session: Session, order_id: int, number: str | None, quantities: Mapping[int, int]
) -> None:
    """Move ``quantities`` (line number → units) of the order out of the building: out of
    the bins that held them, picked and packed on the way if the bench did both at once.

    Raises InvalidQuantities, naming the line, when a line would ship more than is ordered
    or than stock was committed for it; the caller's transaction then changes nothing."""
    order = _order(session, order_id, number)
    for line_no, units in sorted(quantities.items()):
        line = order.line(line_no)
        order.step(line, lambda ln: rules.ship(ln.quantities, ln.held, order.bins(ln), units))  # noqa: B023
    order.done()


def pick_line(session: Session, order_id: int, line_no: int, units: int) -> LineQuantities:
    """``units`` of a line taken from the shelf."""
    return _one(session, order_id, line_no, lambda o, ln: rules.pick(ln.quantities, units))


def short_pick_line(
    session: Session,
    order_id: int,
    line_no: int,
    bin_code: str,
    missing: int,
    reason: str | None = None,
) -> LineQuantities:
    """``missing`` units the line holds in ``bin_code`` (a bin of the order's warehouse) were
    not there: written off; for a bin reported empty or whose units were not found, its
    uncommitted stock of the product too (``app.domain.stock.short_clears_bin``)."""
    clears = rules.short_clears_bin(reason)
    return _one(
        session,
        order_id,
        line_no,
        lambda o, ln: rules.short_pick(
            ln.quantities, ln.held, o.bin(ln, bin_code), missing, clears_bin=clears
        ),
    )


def pack_line(session: Session, order_id: int, line_no: int, units: int) -> LineQuantities:
    """``units`` of a picked line went into a parcel."""
    return _one(session, order_id, line_no, lambda o, ln: rules.pack(ln.quantities, units))


def restock_line(
    session: Session,
    order_id: int,
    line_no: int,
    bin_code: str,
    units: int,
    warehouse_id: int | None = None,
) -> LineQuantities:
    """``units`` that shipped came back fit to sell, into ``bin_code`` of warehouse
    ``warehouse_id`` (where the return was received; None: the order's own warehouse)."""
    return _one(
        session,
        order_id,
        line_no,
        lambda o, ln: rules.restock(ln.quantities, ln.held, o.bin(ln, bin_code), units),
        warehouse_id,
    )


def quarantine_line(session: Session, order_id: int, line_no: int, units: int) -> LineQuantities:
    """``units`` that shipped came back and are kept out of stock."""
    return _one(session, order_id, line_no, lambda o, ln: rules.quarantine(ln.quantities, units))


def _one(
    session: Session,
    order_id: int,
    line_no: int,
    rule: Callable[[_Order, _Line], Moved | LineQuantities],
    stock_warehouse_id: int | None = None,
) -> LineQuantities:
    order = _order(session, order_id, None, stock_warehouse_id)
    line = order.line(line_no)
    moved = order.step(line, lambda ln: rule(order, ln))
    order.done()
    return moved.line


# --- transfers between warehouses --------------------------------------------------------


def warehouse_bins(session: Session, product_id: int, warehouse_id: int) -> dict[int, BinStock]:
    """The product's stock rows in one warehouse, by bin id, locked for the caller's change."""
    session.flush()
    rows = session.connection().execute(
        select(BINS.c.id, BINS.c.code, BINS.c.walk_sequence, STOCK.c.on_hand, STOCK.c.committed)
        .join(BINS, BINS.c.id == STOCK.c.bin_id)
        .where(STOCK.c.product_id == product_id, STOCK.c.warehouse_id == warehouse_id)
        .order_by(STOCK.c.product_id, STOCK.c.bin_id)
        .with_for_update(of=STOCK)
    )
    return {r.id: BinStock(r.code, r.walk_sequence, r.on_hand, r.committed) for r in rows}


def send_from_bin(
    session: Session, product_id: int, bin_id: int, was: BinStock, units: int
) -> BinStock:
    """``units`` leave bin ``bin_id`` for a transfer (``rules.send``: available units only)."""
    now = rules.send(was, units)
    session.connection().execute(
        _MOVE_STOCK,
        {"p_": product_id, "b_": bin_id, "d_committed": 0, "d_on_hand": now.on_hand - was.on_hand},
    )
    note_touched(session, {(product_id, bin_id)})
    _expire_stock(session)
    return now


def receive_into_bin(
    session: Session,
    line: rules.TransferLine,
    product_id: int,
    warehouse_id: int,
    bin_code: str,
    units: int,
) -> rules.TransferLine:
    """``units`` of a transfer line arrive in bin ``bin_code`` of ``warehouse_id``
    (``rules.receive``); a bin the product has no stock row in yet gets one."""
    conn = session.connection()
    found = conn.execute(
        select(BINS.c.id, BINS.c.walk_sequence).where(
            BINS.c.code == bin_code.strip(), BINS.c.warehouse_id == warehouse_id
        )
    ).first()
    if found is None:
        raise InvalidQuantities(
            f"There is no bin {bin_code!r} in the receiving warehouse: scan the bin's label."
        )
    bins = warehouse_bins(session, product_id, warehouse_id)
    was = bins.get(found.id)
    if was is None:
        conn.execute(
            _ADD_STOCK,
            {
                "product_id": product_id,
                "bin_id": found.id,
                "warehouse_id": warehouse_id,
                "on_hand": 0,
            },
        )
        was = BinStock(bin_code.strip(), found.walk_sequence, 0, 0)
    line, now = rules.receive(line, was, units)
    conn.execute(
        _MOVE_STOCK,
        {
            "p_": product_id,
            "b_": found.id,
            "d_committed": 0,
            "d_on_hand": now.on_hand - was.on_hand,
        },
    )
    note_touched(session, {(product_id, found.id)})
    _expire_stock(session)
    return line


def _expire_stock(session: Session) -> None:
    for obj in list(session.identity_map.values()):
        if isinstance(obj, StockLevel):
            session.expire(obj)


# --- stamping ---------------------------------------------------------------------------------


def note_touched(session: Session, keys: set[tuple[int, int]]) -> None:
    """Remember stock rows (product id, bin id) this transaction changed with Core."""
    touched: set[tuple[int, int]] = session.info.setdefault(_TOUCHED, set())
    touched |= keys


def note_products_stock(session: Session, order_id: int) -> None:
    """Note every stock row of the order's products, moved or not.

    A station allocates a released hold from its own copy of the stock, and the central
    store again from its own; where they chose different bins, the rows only the station
    moved are stamped here (central), so the station's next pull replaces its copy of them
    and the two agree again."""
    products = select(LINES.c.product_id).where(LINES.c.order_id == order_id)
    keys = session.execute(
        select(STOCK.c.product_id, STOCK.c.bin_id).where(STOCK.c.product_id.in_(products))
    ).all()
    note_touched(session, {(p, b) for p, b in keys})


def take_touched(session: Session) -> set[tuple[int, int]]:
    """The stock rows noted since the last call; the caller stamps them."""
    touched: set[tuple[int, int]] = session.info.pop(_TOUCHED, set())
    return touched


__all__ = [
    "Allocated",
    "allocate_order",
    "line_columns",
    "note_products_stock",
    "note_touched",
    "pack_line",
    "pick_line",
    "quarantine_line",
    "receive_into_bin",
    "release_order",
    "restock_line",
    "send_from_bin",
    "ship_order",
    "short_pick_line",
    "take_touched",
    "warehouse_bins",
]
