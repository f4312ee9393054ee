"""Picking: building pick lists, and the picker's scans over one (docs/picking.md).

One function per intent, one unit of work each, the person's right checked here:

- building (``build_lists``, a supervisor's ``plan_picking``): single orders, a batch of up
  to N, or a wave grouped by carrier and service, priority or cut-off and split by zone.
  The rules are ``app.domain.picking``'s; this reads the orders and what they hold per bin
  with a few Core statements and writes the lists with executemany (a wave of 10,000 orders
  is one transaction of a few statements). Each list is numbered from the station's
  ``PL-{station}-`` series and sent to the central store (``picklist.record``), which
  refuses an order another station listed first and says whose list has it.
- reading (``read_list``, ``open_lists``, ``tote_order``) for the screens and the pack bench.
- the picker's steps (``pick``): ``open_list`` (scan the list, or resume a paused one),
  ``at_bin``, ``pick_item`` (a product or case barcode: its units), ``into_tote``,
  ``short_pick`` (units not there, with a reason) and ``pause_list``. Each returns the
  ``PickView`` the screen shows: the next bin in large type and what the bench waits for.
  A refused step (``app.domain.picking.PickingError``) changes nothing. The picker's place
  is kept in the list's row, so a paused list resumes where it stopped.
- a supervisor's answer to a short pick (``resolve_short``): re-allocate from another bin
  (a small follow-up list), ship what was picked, or hold the order; each audited.

Units move through the one stock implementation (``app.db.stock.pick_line`` and
``short_pick_line``), and the central store repeats them from ``pick.record`` and
``pick.short`` (app/sync/commands.py); status moves go as ``order.status`` through
``app.db.lifecycle.record_move``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session, selectinload

from app.context import StationContext
from app.db.lifecycle import record_move
from app.db.models import (
    Allocation,
    Bin,
    Order,
    OrderLine,
    OutboxCommand,
    PickList,
    PickListLine,
    PickListOrder,
    PickListSplit,
    Product,
    ProductBarcode,
    ShortPick,
    Warehouse,
)
from app.db.numbers import take_number
from app.db.session import UnitOfWork
from app.db.stock import allocate_order, pick_line, short_pick_line
from app.domain.barcodes import BarcodeKind
from app.domain.decode import ScanKind, decode
from app.domain.errors import DomainError, NotFound
from app.domain.picking import (
    Candidate,
    LineState,
    NothingToPick,
    PickingError,
    Plan,
    PlannedList,
    ShortChoice,
    ShortReason,
    SplitState,
    Take,
    WaveBy,
    check_bin,
    check_item,
    first_open_split,
    next_line,
    plan_batch,
    plan_follow_up,
    plan_single,
    plan_wave,
    share_short,
    tote_for,
)
from app.domain.status import OrderStatus
from app.domain.users import Actor, Permission
from app.domain.wording import count
from app.sync.claims import CentralUnreachable, central_errors
from printing.picklist import PickDestination, PickListDocument
from printing.picklist import PickListLine as PrintedLine

ORDERS = cast(Table, Order.__table__)
LINES = cast(Table, OrderLine.__table__)
ALLOCS = cast(Table, Allocation.__table__)
BINS = cast(Table, Bin.__table__)
PRODUCTS = cast(Table, Product.__table__)
BARCODES = cast(Table, ProductBarcode.__table__)
LISTS = cast(Table, PickList.__table__)
LIST_ORDERS = cast(Table, PickListOrder.__table__)
LIST_LINES = cast(Table, PickListLine.__table__)
SPLITS = cast(Table, PickListSplit.__table__)

ACTIVE = ("open", "picking", "paused")
"""A list in one of these states keeps its orders off any other list."""


def _may_pick(actor: Actor) -> None:
    actor.require(Permission.PICK, "pick orders")


def _may_plan(actor: Actor) -> None:
    actor.require(Permission.PLAN_PICKING, "build pick lists")


def list_prefix(station_id: str) -> str:
    """Pick list numbers carry the station, so two stations never make the same one."""
    return f"PL-{station_id}-"


# --- building -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListSummary:
    """A list as ``packbench picklist create`` prints it."""

    number: str
    kind: str
    orders: tuple[str, ...]
    lines: int
    units: int
    zones: tuple[str, ...]
    grouping: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "kind": self.kind,
            "grouping": self.grouping,
            "orders": list(self.orders),
            "lines": self.lines,
            "units": self.units,
            "zones": list(self.zones),
        }


@dataclass(frozen=True)
class Built:
    """What ``build_lists`` made, and the orders it left off with why."""

    lists: tuple[ListSummary, ...]
    refused: tuple[tuple[str, str], ...]


def build_lists(
    station: StationContext,
    actor: Actor,
    *,
    orders: Sequence[str] | None = None,
    batch: int | None = None,
    wave: WaveBy | None = None,
    zone: str | None = None,
    max_orders: int | None = None,
    warehouse: str | None = None,
) -> Built:
    """Build pick lists from allocated orders in one transaction.

    Exactly one of: ``orders`` (a list each, in the order given), ``batch`` (lists of up to
    N orders of all allocated ones, most urgent first) or ``wave`` (grouped, then split by
    zone; ``zone`` keeps one zone, ``max_orders`` caps a list). Orders given with
    ``batch``/``wave`` limit them to those orders. ``warehouse`` keeps the orders of one
    warehouse (None: the station's single warehouse).

    Raises NothingToPick (naming each order's reason) when no list could be made; a
    DomainError for contradictory or bad arguments; NotAllowed without ``plan_picking``.
    """
    _may_plan(actor)
    chosen = sum(x is not None for x in (batch, wave)) + (
        orders is not None and batch is None and wave is None
    )
    if chosen != 1:
        raise DomainError(
            "Say how to build: --orders LIST, --batch N or --wave carrier|priority|cutoff."
        )
    if zone is not None and wave is None:
        raise DomainError("--zone goes with --wave: a wave is split by zone.")
    if max_orders is not None and wave is None:
        raise DomainError("--max-orders goes with --wave (a batch's size is its N).")
    warehouse = warehouse or station.config.warehouses.code or None
    with station.local() as uow:
        s = uow.session
        candidates, unknown = read_candidates(s, orders)
        refused: list[tuple[str, str]] = [(n, f"There is no order {n}.") for n in unknown]
        made: list[ListSummary] = []
        # A list holds one warehouse's orders: a station of one warehouse builds its own; a
        # station that names none builds a set of lists per warehouse its file holds.
        by_house: dict[str | None, list[Candidate]] = {}
        for c in candidates:
            by_house.setdefault(warehouse or c.warehouse, []).append(c)
        for house, group in by_house.items():
            if batch is not None:
                plan = plan_batch(group, batch, warehouse=house)
            elif wave is not None:
                plan = plan_wave(group, wave, zone=zone, max_orders=max_orders, warehouse=house)
            else:
                plan = plan_single(group, warehouse=house)
            refused += plan.refused
            if plan.lists:
                made += save_plan(uow, station.station_id, actor, plan, warehouse=house)
        if not made:
            raise NothingToPick(
                "Nothing to pick: "
                + (" ".join(why for _, why in refused) if refused else "no order is allocated.")
            )
        uow.commit()
    return Built(tuple(made), tuple(refused))


def read_candidates(
    s: Session, numbers: Sequence[str] | None, *, follow_up: bool = False
) -> tuple[list[Candidate], list[str]]:
    """The orders as list building sees them: all allocated ones, or those named.

    A few Core statements, whatever the number of orders: the orders, the lists they are on,
    and what their lines hold per bin (with the product's barcode for the printed list)."""
    o = ORDERS.c
    cols = (
        o.id,
        o.number,
        o.status,
        o.priority,
        o.carrier,
        o.service,
        o.placed_at,
        # As stored (JSON text): read for the few orders on hold only, not for thousands.
        type_coerce(o.hold_reasons, Text).label("hold_reasons"),
        o.fulfilled_elsewhere,
        o.warehouse_id,
    )
    codes: dict[int, str] = dict(s.execute(select(Warehouse.id, Warehouse.code)).tuples().all())
    if numbers is None:
        where = o.status == OrderStatus.ALLOCATED.value
        rows = s.execute(select(*cols).where(where)).all()
    else:
        wanted = list(dict.fromkeys(_order_number(n) for n in numbers if n.strip()))
        rows = []
        for i in range(0, len(wanted), 500):
            rows += s.execute(select(*cols).where(o.number.in_(wanted[i : i + 500]))).all()
    found = {r.number for r in rows}
    unknown = [] if numbers is None else [n for n in wanted if n not in found]
    by_id = {r.id: r for r in rows}
    listed = _on_active_lists(s, [r.number for r in rows] if numbers is not None else None)
    takes: dict[int, list[Take]] = defaultdict(list)
    for r in _holdings(s, list(by_id) if numbers is not None else None):
        if r.order_id in by_id:
            takes[r.order_id].append(
                Take(
                    r.line_no,
                    r.product_id,
                    r.sku,
                    r.name,
                    r.barcode,
                    r.code,
                    r.zone,
                    r.walk_sequence,
                    r.quantity,
                )
            )
    if follow_up:
        _less_picked(s, by_id, takes)
    candidates = [
        Candidate(
            number=r.number,
            status=OrderStatus(r.status),
            priority=r.priority or 0,
            carrier=r.carrier,
            service=r.service,
            placed_at=r.placed_at,
            hold_reasons=_reasons(r.hold_reasons) if r.status == OrderStatus.ON_HOLD.value else (),
            fulfilled_elsewhere=r.fulfilled_elsewhere,
            on_open_list=None if follow_up else listed.get(r.number),
            warehouse=codes.get(r.warehouse_id),
            takes=tuple(takes.get(r.id, ())),
        )
        for r in (by_id[i] for i in by_id)
    ]
    if numbers is not None:
        order = {n: i for i, n in enumerate(wanted)}
        candidates.sort(key=lambda c: order[c.number])
    return candidates, unknown


def _order_number(typed: str) -> str:
    """An order as a person types or scans it: "100234", or its barcode "ORD-100234"."""
    typed = typed.strip()
    decoded = decode(typed)
    if decoded.kind is ScanKind.ORDER and decoded.valid and decoded.reference:
        return decoded.reference
    return typed


def _reasons(stored: str | None) -> tuple[str, ...]:
    found = json.loads(stored) if stored else []
    return tuple(str(x) for x in found) if isinstance(found, list) else ()


def _on_active_lists(s: Session, numbers: list[str] | None) -> dict[str, str]:
    query = (
        select(LIST_ORDERS.c.order_number, LISTS.c.number)
        .join(LISTS, LISTS.c.id == LIST_ORDERS.c.pick_list_id)
        .where(LISTS.c.state.in_(ACTIVE))
    )
    if numbers is not None:
        out: dict[str, str] = {}
        for i in range(0, len(numbers), 500):
            part = query.where(LIST_ORDERS.c.order_number.in_(numbers[i : i + 500]))
            out.update({r[0]: r[1] for r in s.execute(part)})
        return out
    return {r[0]: r[1] for r in s.execute(query)}


def _holdings(s: Session, order_ids: list[int] | None) -> list[Any]:
    """What each order line holds per bin, with its bin's place in the walk."""
    barcode = (
        select(func.min(BARCODES.c.code))
        .where(
            BARCODES.c.product_id == LINES.c.product_id,
            BARCODES.c.units == 1,
            BARCODES.c.kind == BarcodeKind.GTIN.value,
        )
        .scalar_subquery()
    )
    query = (
        select(
            LINES.c.order_id,
            LINES.c.line_no,
            LINES.c.product_id,
            LINES.c.sku,
            PRODUCTS.c.name,
            barcode.label("barcode"),
            BINS.c.code,
            BINS.c.zone,
            BINS.c.walk_sequence,
            ALLOCS.c.quantity,
            LINES.c.quantity_allocated,
            LINES.c.quantity_picked,
            LINES.c.quantity_shipped,
        )
        .join(LINES, LINES.c.id == ALLOCS.c.order_line_id)
        .join(BINS, BINS.c.id == ALLOCS.c.bin_id)
        .join(PRODUCTS, PRODUCTS.c.id == LINES.c.product_id)
    )
    if order_ids is None:
        query = query.join(ORDERS, ORDERS.c.id == LINES.c.order_id).where(
            ORDERS.c.status == OrderStatus.ALLOCATED.value
        )
        return list(s.execute(query))
    rows: list[Any] = []
    for i in range(0, len(order_ids), 500):
        rows += s.execute(query.where(LINES.c.order_id.in_(order_ids[i : i + 500])))
    return rows


def _less_picked(s: Session, by_id: dict[int, Any], takes: dict[int, list[Take]]) -> None:
    """A follow-up list takes only what earlier lists have not picked from each bin."""
    numbers = {r.number: i for i, r in by_id.items()}
    picked: dict[tuple[str, int, str], int] = defaultdict(int)
    query = (
        select(SPLITS.c.order_number, SPLITS.c.line_no, LIST_LINES.c.bin_code, SPLITS.c.picked)
        .join(LIST_LINES, LIST_LINES.c.id == SPLITS.c.line_id)
        .where(SPLITS.c.order_number.in_(list(numbers)), SPLITS.c.picked > 0)
    )
    for number, line_no, code, n in s.execute(query):
        picked[(number, line_no, code)] += n
    for number, order_id in numbers.items():
        kept = []
        for t in takes.get(order_id, []):
            left = t.units - picked.get((number, t.line_no, t.bin_code), 0)
            if left > 0:
                kept.append(Take(**{**t.__dict__, "units": left}))
        takes[order_id] = kept


def save_plan(
    uow: UnitOfWork,
    station_id: str,
    actor: Actor | None,
    plan: Plan,
    *,
    warehouse: str | None = None,
) -> list[ListSummary]:
    """Number and write the planned lists (executemany), audit and send each."""
    s = uow.session
    conn = s.connection()
    now = datetime.now(UTC)
    made: list[ListSummary] = []
    prefix = list_prefix(station_id)
    heads: list[dict[str, Any]] = []
    for planned in plan.lists:
        number = f"{prefix}{take_number(s, f'picklist:{prefix}', 1):06d}"
        heads.append(
            {
                "number": number,
                "station": station_id,
                "warehouse": warehouse,
                "kind": planned.mode.value,
                "grouping": planned.grouping,
                "zone": planned.zone,
                "state": "open",
                "created_by": actor.name if actor else None,
                "created_at": now,
                "in_hand": 0,
            }
        )
    s.flush()
    # Ids given here, not returned by the inserts: a plain executemany is several times
    # faster for a wave's thousands of lines, and the station's writer lock (BEGIN
    # IMMEDIATE) is held, so nobody else takes these ids meanwhile.
    first_list = int(s.scalar(select(func.coalesce(func.max(LISTS.c.id), 0))) or 0) + 1
    ids = list(range(first_list, first_list + len(heads)))
    for list_id, head in zip(ids, heads, strict=True):
        head["id"] = list_id
    conn.execute(insert(LISTS), heads)
    order_rows: list[dict[str, Any]] = []
    line_rows: list[dict[str, Any]] = []
    for list_id, planned in zip(ids, plan.lists, strict=True):
        for number, slot in planned.slots:
            order_rows.append(
                {"pick_list_id": list_id, "order_number": number, "slot": slot, "tote": None}
            )
        for position, line in enumerate(planned.lines, start=1):
            line_rows.append(
                {
                    "pick_list_id": list_id,
                    "position": position,
                    "bin_code": line.bin_code,
                    "zone": line.zone,
                    "walk_sequence": line.walk_sequence,
                    "sku": line.sku,
                    "name": line.name,
                    "barcode": line.barcode,
                    "quantity": line.units,
                    "picked": 0,
                    "short": 0,
                }
            )
    if order_rows:
        conn.execute(insert(LIST_ORDERS), order_rows)
    first_line = int(s.scalar(select(func.coalesce(func.max(LIST_LINES.c.id), 0))) or 0) + 1
    line_ids = list(range(first_line, first_line + len(line_rows)))
    for line_id, row in zip(line_ids, line_rows, strict=True):
        row["id"] = line_id
    _bulk(conn, LIST_LINES, line_rows)
    split_rows: list[dict[str, Any]] = []
    lines_flat = [line for planned in plan.lists for line in planned.lines]
    for line_id, line in zip(line_ids, lines_flat, strict=True):
        for sp in line.splits:
            split_rows.append(
                {
                    "line_id": line_id,
                    "order_number": sp.order_number,
                    "line_no": sp.line_no,
                    "slot": sp.slot,
                    "quantity": sp.units,
                    "picked": 0,
                    "short": 0,
                }
            )
    _bulk(conn, SPLITS, split_rows)
    for head, planned in zip(heads, plan.lists, strict=True):
        summary = ListSummary(
            head["number"],
            planned.mode.value,
            planned.orders,
            len(planned.lines),
            planned.units,
            planned.zones,
            planned.grouping,
        )
        made.append(summary)
        uow.audit(
            station_id,
            "picklist.create",
            actor=actor,
            subject=f"picklist:{summary.number}",
            detail=f"{planned.mode.value}"
            + (f" ({planned.grouping})" if planned.grouping else "")
            + f": {count(len(planned.orders), 'order')}, {count(len(planned.lines), 'line')}, "
            f"{count(planned.units, 'unit')}",
        )
        command_id = uow.command(
            "picklist.record",
            record_payload(summary, station_id, planned, warehouse, actor.name if actor else None),
        )
        conn.execute(
            update(LISTS).where(LISTS.c.number == summary.number).values(command_id=command_id)
        )
    return made


def _bulk(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Plain rows of plain values (ints and text) into ``table`` with the driver's own
    executemany: SQLAlchemy's per-row parameter processing was a third of a wave's build."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":  # a station's file is SQLite; anything else the plain way
        conn.execute(insert(table), rows)
        return
    columns = list(rows[0])
    names = ", ".join(columns)
    marks = ", ".join(f":{c}" for c in columns)
    conn.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows)


def record_payload(
    summary: ListSummary,
    station_id: str,
    planned: PlannedList,
    warehouse: str | None,
    created_by: str | None = None,
) -> dict[str, Any]:
    """What the central store keeps of a list: enough to refuse a second list of its orders
    and to show who has them."""
    return {
        "number": summary.number,
        "station": station_id,
        "warehouse": warehouse,
        "kind": planned.mode.value,
        "grouping": planned.grouping,
        "zone": planned.zone,
        "created_by": created_by,
        "orders": [[n, slot] for n, slot in planned.slots],
        "lines": [
            [line.bin_code, line.zone, line.walk_sequence, line.sku, line.name, line.barcode]
            + [[sp.order_number, sp.line_no, sp.slot, sp.units] for sp in line.splits]
            for line in planned.lines
        ],
    }


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PickListView:
    """A list as the screen and the printed list show it: lines in walk order."""

    number: str
    kind: str
    state: str
    station: str
    warehouse: str | None
    grouping: str | None
    zone: str | None
    created_by: str | None
    created_at: datetime
    picker: str | None
    at_line: int | None
    in_hand: int
    orders: tuple[tuple[str, int, str | None], ...]  # (order number, slot, tote)
    lines: tuple[LineState, ...]
    barcodes: tuple[str | None, ...]  # each line's product barcode, for the printed list

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def picked(self) -> int:
        return sum(line.picked for line in self.lines)

    @property
    def short(self) -> int:
        return sum(line.short for line in self.lines)

    @property
    def zones(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(line.zone for line in self.lines))

    def slot_of(self, order_number: str) -> int:
        return next(slot for n, slot, _ in self.orders if n == order_number)


def read_list(station: StationContext, number: str) -> PickListView:
    """A pick list by its number (as printed or scanned, any case)."""
    with station.local(readonly=True) as uow:
        return _view(uow.session, number)


def open_lists(station: StationContext) -> list[tuple[str, str, str | None, int, int]]:
    """The station's lists not done yet: (number, state, picker, orders, units), oldest first."""
    with station.local(readonly=True) as uow:
        s = uow.session
        orders = (
            select(LIST_ORDERS.c.pick_list_id, func.count().label("n"))
            .group_by(LIST_ORDERS.c.pick_list_id)
            .subquery()
        )
        units = (
            select(LIST_LINES.c.pick_list_id, func.sum(LIST_LINES.c.quantity).label("u"))
            .group_by(LIST_LINES.c.pick_list_id)
            .subquery()
        )
        rows = s.execute(
            select(LISTS.c.number, LISTS.c.state, LISTS.c.picker, orders.c.n, units.c.u)
            .join(orders, orders.c.pick_list_id == LISTS.c.id)
            .join(units, units.c.pick_list_id == LISTS.c.id)
            .where(LISTS.c.state.in_(ACTIVE))
            .order_by(LISTS.c.id)
        )
        return [(r[0], r[1], r[2], int(r[3]), int(r[4])) for r in rows]


def tote_order(station: StationContext, tote: str) -> str:
    """The order a tote holds (the pack bench opens it on the tote's scan).

    Raises NotFound when no list that is not finished with puts an order in that tote."""
    with station.local(readonly=True) as uow:
        row = uow.session.execute(
            select(LIST_ORDERS.c.order_number)
            .join(LISTS, LISTS.c.id == LIST_ORDERS.c.pick_list_id)
            .join(ORDERS, ORDERS.c.number == LIST_ORDERS.c.order_number)
            .where(
                func.upper(LIST_ORDERS.c.tote) == tote.strip().upper(),
                LISTS.c.state.in_((*ACTIVE, "done")),
                ORDERS.c.status.in_(
                    (OrderStatus.PICKING.value, OrderStatus.PICKED.value, OrderStatus.PACKING.value)
                ),
            )
            .order_by(LISTS.c.id.desc())
        ).first()
    if row is None:
        raise NotFound(f"No order waits in {tote}: it is empty, or its order was packed.")
    return str(row[0])


def _find(s: Session, number: str, *, lock: bool = False) -> PickList:
    query = (
        select(PickList)
        .where(func.upper(PickList.number) == number.strip().upper())
        .options(
            selectinload(PickList.orders),
            selectinload(PickList.lines).selectinload(PickListLine.splits),
        )
    )
    found = s.scalar(query)
    if found is None:
        raise NotFound(
            f"There is no pick list {number} at this station. Check the number, or build the "
            "list here (packbench picklist create)."
        )
    return found


def _view(s: Session, number: str) -> PickListView:
    """The list as it is now, read with Core (four queries, whatever its length)."""
    s.flush()
    head = s.execute(
        select(LISTS).where(func.upper(LISTS.c.number) == number.strip().upper())
    ).first()
    if head is None:
        _find(s, number)  # raises NotFound, worded once
        raise AssertionError
    orders = s.execute(
        select(LIST_ORDERS.c.order_number, LIST_ORDERS.c.slot, LIST_ORDERS.c.tote)
        .where(LIST_ORDERS.c.pick_list_id == head.id)
        .order_by(LIST_ORDERS.c.slot)
    ).all()
    totes = {n: tote for n, _, tote in orders}
    splits: dict[int, list[SplitState]] = defaultdict(list)
    for r in s.execute(
        select(
            SPLITS.c.line_id,
            SPLITS.c.order_number,
            SPLITS.c.line_no,
            SPLITS.c.slot,
            SPLITS.c.quantity,
            SPLITS.c.picked,
            SPLITS.c.short,
        )
        .join(LIST_LINES, LIST_LINES.c.id == SPLITS.c.line_id)
        .where(LIST_LINES.c.pick_list_id == head.id)
        .order_by(SPLITS.c.line_id, SPLITS.c.slot, SPLITS.c.id)
    ):
        splits[r[0]].append(SplitState(r[1], r[2], r[3], r[4], r[5], r[6], totes.get(r[1])))
    rows = s.execute(
        select(LIST_LINES)
        .where(LIST_LINES.c.pick_list_id == head.id)
        .order_by(LIST_LINES.c.position)
    ).all()
    products: dict[str, int] = {}
    skus = list({r.sku for r in rows})
    for i in range(0, len(skus), 500):
        wanted = select(PRODUCTS.c.sku, PRODUCTS.c.id).where(PRODUCTS.c.sku.in_(skus[i : i + 500]))
        products.update((row.sku, row.id) for row in s.execute(wanted))
    lines = tuple(
        LineState(
            position=r.position,
            bin_code=r.bin_code,
            zone=r.zone,
            sku=r.sku,
            name=r.name,
            product_id=products.get(r.sku),
            quantity=r.quantity,
            picked=r.picked,
            short=r.short,
            splits=tuple(splits.get(r.id, ())),
        )
        for r in rows
    )
    return PickListView(
        number=head.number,
        kind=head.kind,
        state=head.state,
        station=head.station,
        warehouse=head.warehouse,
        grouping=head.grouping,
        zone=head.zone,
        created_by=head.created_by,
        created_at=head.created_at,
        picker=head.picker,
        at_line=head.at_line,
        in_hand=head.in_hand,
        orders=tuple((n, slot, tote) for n, slot, tote in orders),
        lines=lines,
        barcodes=tuple(r.barcode for r in rows),
    )


def list_document(station: StationContext, number: str) -> PickListDocument:
    """The list as printed (printing/picklist.py): bins in walk order, where units go."""
    view = read_list(station, number)
    return document_of(view)


def document_of(view: PickListView) -> PickListDocument:
    totes = {n: tote for n, _, tote in view.orders}
    return PickListDocument(
        number=view.number,
        barcode=view.number,
        created_at=view.created_at,
        station=view.station,
        picker=view.picker,
        kind=view.kind,
        grouping=view.grouping,
        zones=view.zones,
        orders=len(view.orders),
        lines=tuple(
            PrintedLine(
                bin_code=line.bin_code,
                zone=line.zone,
                sku=line.sku,
                name=line.name,
                barcode=code,
                quantity=line.quantity,
                destinations=tuple(
                    PickDestination(
                        sp.slot, sp.order_number, sp.quantity, totes.get(sp.order_number)
                    )
                    for sp in line.splits
                ),
            )
            for line, code in zip(view.lines, view.barcodes, strict=True)
        ),
    )


# --- the picker's steps -------------------------------------------------------------------------


@dataclass(frozen=True)
class PickView:
    """What the pick screen shows after a step.

    ``awaiting``: "list" (nothing open), "bin" (go to ``line``'s bin and scan it), "item"
    (scan the product), "tote" (put ``in_hand`` units in ``tote_slot``'s tote, or scan a new
    tote for it), "done" (every line picked or short). ``said`` is the sentence for the
    band; ``line`` is the line being walked (None when done)."""

    pick_list: PickListView
    awaiting: str
    said: str
    line: LineState | None = None
    to_order: str | None = None  # the order the units in hand go to
    to_slot: int | None = None
    to_tote: str | None = None  # its tote, once one was scanned for it

    @property
    def next_bin(self) -> str | None:
        return self.line.bin_code if self.line else None


def _step_view(s: Session, number: str, said: str) -> PickView:
    view = _view(s, number)
    line = next_line(view.lines)
    if line is None:
        return PickView(view, "done", said or f"Pick list {view.number} is done.")
    if view.at_line != line.position:
        return PickView(view, "bin", said or f"Go to {line.bin_code}.", line)
    split = first_open_split(line)
    assert split is not None
    if view.in_hand > 0:
        return PickView(view, "tote", said, line, split.order_number, split.slot, split.tote)
    return PickView(view, "item", said or f"Take {line.open} × {line.sku}.", line)


def step_view(station: StationContext, number: str) -> PickView:
    """Where a list stands, as the pick screen shows it after a step (read only): the screen
    reopened at a station that was picking it shows the same next bin."""
    with station.local(readonly=True) as uow:
        return _step_view(uow.session, number, "")


def picking_here(station: StationContext, actor: Actor) -> str | None:
    """The list this person is picking at this station (the pick screen shown again), if any."""
    with station.local(readonly=True) as uow:
        found = uow.session.scalar(
            select(PickList.number)
            .where(
                PickList.state == "picking",
                PickList.picker == actor.name,
                PickList.picking_at == station.station_id,
            )
            .order_by(PickList.id.desc())
        )
    return str(found) if found is not None else None


def open_list(station: StationContext, actor: Actor, number: str) -> PickView:
    """The picker scanned a list: it is theirs now (a paused list resumes where it stopped,
    at any station that has it)."""
    _may_pick(actor)
    with station.local(readonly=True) as uow:
        here = uow.session.scalar(
            select(LISTS.c.id).where(func.upper(LISTS.c.number) == number.strip().upper())
        )
    if here is None:
        _adopt(station, number)
    else:
        _catch_up(station, number)
    with station.local() as uow:
        s = uow.session
        pl = _find(s, number, lock=True)
        _refused_centrally(s, pl)
        if pl.state in ("done", "cancelled", "refused"):
            why = f": {pl.refused_reason}" if pl.refused_reason else ""
            raise PickingError(f"Pick list {pl.number} is {pl.state}{why}. Scan another list.")
        resumed = pl.state == "paused"
        pl.state, pl.picker, pl.picking_at = "picking", actor.name, station.station_id
        _tell(uow, pl)
        uow.audit(
            station.station_id,
            "picklist.resume" if resumed else "picklist.start",
            actor=actor,
            subject=f"picklist:{pl.number}",
        )
        s.flush()
        view = _step_view(s, pl.number, "")
        uow.commit()
    said = f"{'Resumed' if resumed else 'Picking'} {view.pick_list.number}. "
    return PickView(**{**view.__dict__, "said": said + view.said})


def _progress(s: Session, number: str) -> tuple[str, int] | None:
    row = s.execute(
        select(LISTS.c.state, func.coalesce(func.sum(LIST_LINES.c.picked + LIST_LINES.c.short), 0))
        .join(LIST_LINES, LIST_LINES.c.pick_list_id == LISTS.c.id)
        .where(func.upper(LISTS.c.number) == number.strip().upper())
        .group_by(LISTS.c.state)
    ).first()
    return None if row is None else (str(row[0]), int(row[1]))


def _catch_up(station: StationContext, number: str) -> None:
    """A paused list this station has may have gone on elsewhere: when the central copy is
    further on, this station takes it again from there; one being picked at another station
    is refused, naming it. Without the central store the station's own copy is used."""
    with station.local(readonly=True) as uow:
        mine = _progress(uow.session, number)
    if mine is None or mine[0] != "paused":
        return
    try:
        with central_errors(), station.central()(readonly=True) as cu:
            theirs = _progress(cu.session, number)
            where = cu.session.execute(
                select(PickList.picking_at, PickList.picker).where(
                    func.upper(PickList.number) == number.strip().upper()
                )
            ).first()
    except CentralUnreachable:
        return
    if theirs is None or where is None:
        return
    if theirs[0] == "picking" and where[0] not in (None, station.station_id):
        raise PickingError(
            f"Pick list {number} is being picked at {where[0]}"
            + (f" by {where[1]}" if where[1] else "")
            + ": it goes on there. Scan another list."
        )
    if theirs[0] in ("done", "cancelled"):
        with station.local() as uow:
            uow.session.execute(
                update(LISTS)
                .where(func.upper(LISTS.c.number) == number.strip().upper())
                .values(state=theirs[0], at_line=None, in_hand=0)
            )
            uow.commit()
        raise PickingError(f"Pick list {number} is {theirs[0]} (picked at another station).")
    if theirs[1] > mine[1]:
        with station.local() as uow:
            uow.session.execute(
                delete(LISTS).where(func.upper(LISTS.c.number) == number.strip().upper())
            )
            uow.commit()
        _adopt(station, number)


def _adopt(station: StationContext, number: str) -> None:
    """A list built (or paused) at another station: its central copy, with what was picked
    and where the picker stopped, becomes this station's to go on with."""
    try:
        with central_errors(), station.central()(readonly=True) as cu:
            copy = cu.session.scalar(
                select(PickList)
                .where(func.upper(PickList.number) == number.strip().upper())
                .options(
                    selectinload(PickList.orders),
                    selectinload(PickList.lines).selectinload(PickListLine.splits),
                )
            )
            if copy is None:
                raise NotFound(
                    f"There is no pick list {number}, here or in the central store. Check the "
                    "number on the list."
                )
            if copy.state not in ACTIVE:
                raise PickingError(f"Pick list {copy.number} is {copy.state}. Scan another list.")
            mine = PickList(
                number=copy.number,
                station=copy.station,
                warehouse=copy.warehouse,
                kind=copy.kind,
                grouping=copy.grouping,
                zone=copy.zone,
                state="paused",
                created_by=copy.created_by,
                created_at=copy.created_at,
                picker=copy.picker,
                at_line=copy.at_line,
                in_hand=copy.in_hand,
            )
            mine.orders = [
                PickListOrder(order_number=o.order_number, slot=o.slot, tote=o.tote)
                for o in copy.orders
            ]
            for line in copy.lines:
                new = PickListLine(
                    position=line.position,
                    bin_code=line.bin_code,
                    zone=line.zone,
                    walk_sequence=line.walk_sequence,
                    sku=line.sku,
                    name=line.name,
                    barcode=line.barcode,
                    quantity=line.quantity,
                    picked=line.picked,
                    short=line.short,
                )
                new.splits = [
                    PickListSplit(
                        order_number=sp.order_number,
                        line_no=sp.line_no,
                        slot=sp.slot,
                        quantity=sp.quantity,
                        picked=sp.picked,
                        short=sp.short,
                    )
                    for sp in line.splits
                ]
                mine.lines.append(new)
    except CentralUnreachable as away:
        raise NotFound(
            f"Pick list {number} is not at this station, and {away.message[0].lower()}"
            f"{away.message[1:]}"
        ) from away
    with station.local() as uow:
        uow.session.add(mine)
        uow.audit(
            station.station_id,
            "picklist.adopt",
            subject=f"picklist:{mine.number}",
            detail=f"taken over from {mine.station} through the central store",
        )
        uow.commit()


def _picking(s: Session, number: str) -> tuple[PickList, PickListView, LineState]:
    pl = _find(s, number, lock=True)
    if pl.state != "picking":
        raise PickingError(f"Pick list {pl.number} is {pl.state}: scan the list to pick from it.")
    view = _view(s, pl.number)
    line = next_line(view.lines)
    if line is None:
        raise PickingError(f"Pick list {pl.number} is done: nothing more to pick.")
    return pl, view, line


def at_bin(station: StationContext, actor: Actor, number: str, bin_code: str) -> PickView:
    """The picker scanned a bin: the list's next bin, or refused (wrong bin) with no change."""
    _may_pick(actor)
    with station.local() as uow:
        s = uow.session
        pl, _, line = _picking(s, number)
        if pl.in_hand and pl.at_line == line.position:
            raise PickingError(
                f"Put the {count(pl.in_hand, 'item')} in hand in a tote first (scan the tote)."
            )
        check_bin(line, bin_code)
        pl.at_line, pl.in_hand = line.position, 0
        s.flush()
        result = _step_view(s, pl.number, f"{line.bin_code}: take {line.open} × {line.sku}.")
        uow.commit()
        return result


def pick_item(
    station: StationContext, actor: Actor, number: str, product_id: int, units: int, shown: str
) -> PickView:
    """The picker scanned an item (``units``: 1, a case's units, or QTY × either).

    Refused with no change: before the bin, the wrong product, one too many. Otherwise the
    units are in hand until a tote is scanned."""
    _may_pick(actor)
    with station.local() as uow:
        s = uow.session
        pl, _, line = _picking(s, number)
        if pl.at_line != line.position:
            raise PickingError(f"Scan the bin first: go to {line.bin_code} and scan its label.")
        check_item(line, product_id, shown, units, pl.in_hand)
        pl.in_hand += units
        s.flush()
        split = first_open_split(line)
        assert split is not None
        where = split.tote or f"slot {split.slot}'s tote"
        result = _step_view(
            s,
            pl.number,
            f"{count(pl.in_hand, 'item')} of {line.sku} in hand: put "
            f"{min(pl.in_hand, split.open)} in {where} (order {split.order_number}).",
        )
        uow.commit()
        return result


def into_tote(station: StationContext, actor: Actor, number: str, tote: str) -> PickView:
    """The picker scanned a tote: the units in hand for the next order of the line go in it.

    The first tote scanned for an order on a list becomes that order's; a tote another
    order holds, or another tote for an order that has one, is refused with no change. The
    units are picked (the one stock rule); the order becomes ``picking``, and ``picked``
    (ready to pack) once nothing of it is left to pick and nothing short waits."""
    _may_pick(actor)
    tote = tote.strip().upper()
    with station.local() as uow:
        s = uow.session
        pl, _, line = _picking(s, number)
        if pl.in_hand <= 0 or pl.at_line != line.position:
            raise PickingError(f"Scan the item first: take {line.sku} from {line.bin_code}.")
        split = first_open_split(line)
        assert split is not None
        tote_for(split, tote, _totes_held(s))
        slot = next(o for o in pl.orders if o.order_number == split.order_number)
        slot.tote = tote
        units = min(pl.in_hand, split.open)
        order = _order(s, split.order_number)
        _start(uow, order)
        pick_line(s, order.id, split.line_no, units)
        _count(s, pl, line.position, split, picked=units)
        pl.in_hand -= units
        uow.command(
            "pick.record",
            {
                "list": pl.number,
                "position": line.position,
                "number": order.number,
                "line_no": split.line_no,
                "units": units,
                "tote": tote,
            },
        )
        uow.audit(
            station.station_id,
            "pick.item",
            actor=actor,
            subject=f"order:{order.number}",
            detail=f"{pl.number}: {units} × {line.sku} from {line.bin_code} into {tote}",
        )
        said = f"{units} × {line.sku} in {tote} (order {order.number})."
        _settle(uow, s, pl, order)
        result = _step_view(s, pl.number, said)
        uow.commit()
        return result


def short_pick(
    station: StationContext,
    actor: Actor,
    number: str,
    found: int,
    reason: ShortReason,
) -> PickView:
    """The line's bin has fewer units than the list says: ``found`` of the open units are
    there (those in hand count), the rest are short for ``reason``.

    The missing units are written off the bin and out of the orders' allocations (the one
    stock rule), the last slots going without first; each order's shortage waits for a
    supervisor (``shorts``, ``resolve_short``). Units found and not yet in a tote are still
    to be put in one."""
    _may_pick(actor)
    with station.local() as uow:
        s = uow.session
        pl, _, line = _picking(s, number)
        if pl.at_line != line.position:
            raise PickingError(f"Scan the bin first: go to {line.bin_code} and scan its label.")
        if found < pl.in_hand or found >= line.open:
            raise PickingError(
                f"Found {found}? Between {pl.in_hand} (in hand) and {line.open - 1} "
                f"({line.open} are still to pick here; with all of them it is no short pick)."
            )
        missing = line.open - found
        for split, n in share_short(line, missing):
            order = _order(s, split.order_number)
            _start(uow, order)
            short_pick_line(s, order.id, split.line_no, line.bin_code, n, reason.value)
            _count(s, pl, line.position, split, short=n)
            s.add(
                ShortPick(
                    pick_list_number=pl.number,
                    order_number=order.number,
                    line_no=split.line_no,
                    sku=line.sku,
                    bin_code=line.bin_code,
                    missing=n,
                    reason=reason.value,
                    user_name=actor.name,
                )
            )
            uow.command(
                "pick.short",
                {
                    "list": pl.number,
                    "position": line.position,
                    "number": order.number,
                    "line_no": split.line_no,
                    "bin": line.bin_code,
                    "missing": n,
                    "reason": reason.value,
                    "sku": line.sku,
                    "user": actor.name,
                },
            )
            uow.audit(
                station.station_id,
                "pick.short",
                actor=actor,
                subject=f"order:{order.number}",
                detail=f"{pl.number}: {n} × {line.sku} short in {line.bin_code} ({reason.label})",
            )
        s.flush()
        for split, _ in share_short(line, missing):
            _settle(uow, s, pl, _order(s, split.order_number))
        said = (
            f"Short {missing} × {line.sku} in {line.bin_code} ({reason.label}); "
            "a supervisor decides."
        )
        result = _step_view(s, pl.number, said)
        uow.commit()
        return result


def pause_list(station: StationContext, actor: Actor, number: str) -> PickView:
    """Put the list down: any station that has it resumes it where it stopped."""
    _may_pick(actor)
    with station.local() as uow:
        s = uow.session
        pl = _find(s, number, lock=True)
        if pl.state != "picking":
            raise PickingError(
                f"Pick list {pl.number} is {pl.state}: only a list being picked pauses."
            )
        pl.state, pl.picking_at = "paused", None
        _tell(uow, pl)
        uow.audit(
            station.station_id, "picklist.pause", actor=actor, subject=f"picklist:{pl.number}"
        )
        s.flush()
        result = _step_view(s, pl.number, f"Pick list {pl.number} paused: scan it to go on.")
        uow.commit()
        return result


def _tell(uow: UnitOfWork, pl: PickList) -> None:
    """The central copy of the list follows its state (so another station may list the
    orders of a finished list, and sees who picks an open one)."""
    uow.command(
        "picklist.state",
        {
            "number": pl.number,
            "state": pl.state,
            "picker": pl.picker,
            "at_line": pl.at_line,
            "in_hand": pl.in_hand,
            "picking_at": pl.picking_at,
        },
    )


def _refused_centrally(s: Session, pl: PickList) -> None:
    """A list the central store refused (its orders were listed at another station first)
    is marked so, with the reason, the first time anyone opens it."""
    if pl.command_id is None or pl.state == "refused":
        return
    row = s.execute(
        select(OutboxCommand.state, OutboxCommand.reason).where(
            OutboxCommand.command_id == pl.command_id
        )
    ).first()
    if row is not None and row.state == "rejected":
        pl.state, pl.refused_reason = "refused", row.reason


def _order(s: Session, number: str) -> Order:
    order = s.scalar(select(Order).where(Order.number == number))
    if order is None:
        raise NotFound(f"There is no order {number} at this station.")
    return order


def _start(uow: UnitOfWork, order: Order) -> None:
    if order.status is OrderStatus.ALLOCATED:
        record_move(uow, order, OrderStatus.PICKING)
    elif order.status is not OrderStatus.PICKING:
        raise PickingError(
            f"Order {order.number} is {order.status.label.lower()}: it is not to be picked now. "
            "Take its items back to the bin and tell a supervisor."
        )


def _count(
    s: Session, pl: PickList, position: int, split: SplitState, *, picked: int = 0, short: int = 0
) -> None:
    line = next(ln for ln in pl.lines if ln.position == position)
    line.picked += picked
    line.short += short
    row = next(
        sp
        for sp in line.splits
        if sp.order_number == split.order_number and sp.line_no == split.line_no
    )
    row.picked += picked
    row.short += short
    s.flush()


def _settle(uow: UnitOfWork, s: Session, pl: PickList, order: Order) -> None:
    """The order is ready to pack once no active list has anything of it left to pick and
    no short of it waits for a supervisor; the list is done when all its lines are."""
    s.flush()
    left = s.scalar(
        select(func.count())
        .select_from(SPLITS)
        .join(LIST_LINES, LIST_LINES.c.id == SPLITS.c.line_id)
        .join(LISTS, LISTS.c.id == LIST_LINES.c.pick_list_id)
        .where(
            SPLITS.c.order_number == order.number,
            LISTS.c.state.in_(ACTIVE),
            SPLITS.c.picked + SPLITS.c.short < SPLITS.c.quantity,
        )
    )
    waiting = s.scalar(
        select(func.count())
        .select_from(ShortPick)
        .where(ShortPick.order_number == order.number, ShortPick.resolution.is_(None))
    )
    if not left and not waiting and order.status is OrderStatus.PICKING:
        record_move(uow, order, OrderStatus.PICKED)
    if all(ln.picked + ln.short >= ln.quantity for ln in pl.lines) and pl.state == "picking":
        pl.state, pl.done_at, pl.at_line, pl.picking_at = "done", datetime.now(UTC), None, None
        _tell(uow, pl)
        s.flush()
        if not left and not waiting and order.status is OrderStatus.PICKING:
            record_move(uow, order, OrderStatus.PICKED)


def _totes_held(s: Session) -> dict[str, str]:
    """Totes on active lists and the order each holds."""
    rows = s.execute(
        select(LIST_ORDERS.c.tote, LIST_ORDERS.c.order_number)
        .join(LISTS, LISTS.c.id == LIST_ORDERS.c.pick_list_id)
        .where(LISTS.c.state.in_(ACTIVE), LIST_ORDERS.c.tote.is_not(None))
    )
    return {str(t).upper(): n for t, n in rows}


# --- short picks: the supervisor's choice -------------------------------------------------------


@dataclass(frozen=True)
class ShortView:
    id: int
    pick_list: str
    order_number: str
    line_no: int
    sku: str
    bin_code: str
    missing: int
    reason: ShortReason
    user_name: str | None
    at: datetime
    resolution: str | None
    follow_up: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "pick_list": self.pick_list,
            "order": self.order_number,
            "line_no": self.line_no,
            "sku": self.sku,
            "bin": self.bin_code,
            "missing": self.missing,
            "reason": self.reason.value,
            "by": self.user_name,
            "at": self.at.isoformat(),
            "resolution": self.resolution,
            "follow_up": self.follow_up,
        }


def _waiting() -> ColumnElement[bool]:
    """A short pick still waiting for the supervisor's choice."""
    return ShortPick.resolution.is_(None)


def waiting_short_orders() -> Select[tuple[str]]:
    """The numbers of the orders with a short pick waiting for the supervisor's choice:
    the rule ``shorts`` and the Orders page's Short picks segment share."""
    return select(ShortPick.order_number).where(_waiting())


def shorts(station: StationContext, actor: Actor, *, waiting_only: bool = True) -> list[ShortView]:
    """Short picks, oldest first; by default those still waiting for a choice."""
    _may_plan(actor)
    with station.local(readonly=True) as uow:
        query = select(ShortPick).order_by(ShortPick.id)
        if waiting_only:
            query = query.where(_waiting())
        return [
            ShortView(
                r.id,
                r.pick_list_number,
                r.order_number,
                r.line_no,
                r.sku,
                r.bin_code,
                r.missing,
                ShortReason(r.reason),
                r.user_name,
                r.at,
                r.resolution,
                r.follow_up,
            )
            for r in uow.session.scalars(query)
        ]


@dataclass(frozen=True)
class ShortResolved:
    order_number: str
    choice: ShortChoice
    status: OrderStatus
    follow_up: ListSummary | None
    said: str


_CHOICE_RIGHT = {
    ShortChoice.REALLOCATE: (Permission.PLAN_PICKING, "re-allocate short picks"),
    ShortChoice.PARTIAL: (Permission.SHIP_PARTIAL, "ship orders in part"),
    ShortChoice.HOLD: (Permission.RELEASE_HOLDS, "put orders on hold"),
}


def resolve_short(
    station: StationContext,
    actor: Actor,
    order_number: str,
    choice: ShortChoice,
    note: str | None = None,
) -> ShortResolved:
    """A supervisor's answer to an order's waiting short picks, in one transaction:

    - re-allocate: the missing units from other bins with stock, on a small follow-up list
      (refused, changing nothing, when no other bin has any);
    - partial: what was picked ships; the order is ready to pack now;
    - hold: the order waits on hold (``note`` is the hold's reason).
    """
    needed, doing = _CHOICE_RIGHT[choice]
    actor.require(needed, doing)
    with station.local() as uow:
        s = uow.session
        waiting = list(
            s.scalars(
                select(ShortPick).where(
                    ShortPick.order_number == order_number, ShortPick.resolution.is_(None)
                )
            )
        )
        if not waiting:
            raise NotFound(f"Order {order_number} has no short pick waiting for a choice.")
        order = _order(s, order_number)
        missing = sum(w.missing for w in waiting)
        follow: ListSummary | None = None
        if choice is ShortChoice.REALLOCATE:
            got = allocate_order(s, order.id, order.number)
            if got.units <= 0:
                raise PickingError(
                    f"No other bin has stock for order {order_number}'s short items: ship what "
                    "was picked, or hold the order."
                )
            candidates, _ = read_candidates(s, [order_number], follow_up=True)
            plan = plan_follow_up(candidates[0])
            if not plan.lists:
                raise PickingError(plan.refused[0][1] if plan.refused else "Nothing to pick.")
            follow = save_plan(uow, station.station_id, actor, plan)[0]
            said = f"{count(got.units, 'unit')} re-allocated: follow-up list {follow.number}."
        elif choice is ShortChoice.PARTIAL:
            said = f"Order {order_number} ships what was picked ({missing} short)."
        else:
            reason = note or f"short pick: {missing} missing"
            record_move(uow, order, OrderStatus.ON_HOLD, reason)
            said = f"Order {order_number} is on hold: {reason}."
        for w in waiting:
            w.resolution, w.resolved_by = choice.value, actor.name
            w.resolved_at = datetime.now(UTC)
            w.follow_up = follow.number if follow else None
        s.flush()
        if choice is ShortChoice.PARTIAL and order.status is OrderStatus.PICKING:
            left = s.scalar(
                select(func.count())
                .select_from(SPLITS)
                .join(LIST_LINES, LIST_LINES.c.id == SPLITS.c.line_id)
                .join(LISTS, LISTS.c.id == LIST_LINES.c.pick_list_id)
                .where(
                    SPLITS.c.order_number == order.number,
                    LISTS.c.state.in_(ACTIVE),
                    SPLITS.c.picked + SPLITS.c.short < SPLITS.c.quantity,
                )
            )
            if not left:
                record_move(uow, order, OrderStatus.PICKED)
        uow.audit(
            station.station_id,
            "pick.short_resolved",
            actor=actor,
            subject=f"order:{order_number}",
            detail=f"{choice.value}: {said}",
        )
        uow.commit()
        return ShortResolved(order_number, choice, order.status, follow, said)


__all__ = [
    "ACTIVE",
    "Built",
    "ListSummary",
    "PickListView",
    "PickView",
    "ShortResolved",
    "ShortView",
    "at_bin",
    "build_lists",
    "into_tote",
    "list_prefix",
    "open_list",
    "open_lists",
    "pause_list",
    "pick_item",
    "picking_here",
    "read_list",
    "resolve_short",
    "short_pick",
    "shorts",
    "step_view",
    "tote_order",
    "waiting_short_orders",
]
