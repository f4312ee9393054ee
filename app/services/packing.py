"""The packing bench, one function per thing a packer does: open an order, scan an item, undo,
choose a box, close a parcel, reopen one, ship (all or part), leave.

Every function is one local transaction: it reads the pack session as the database has it,
asks the rules in app.domain.packing, and writes what they allow, or raises a PackRefused
(or another DomainError) having written nothing. A scan the bench confirmed is committed
(synchronous=FULL) before the beep, so a crash or power cut loses none: ``resume`` reopens
the station's open session with every confirmed scan.

The pack session, its scans and its parcels are station rows; the central store hears of
the packing twice: ``order.status`` (packing) when the order is opened, and
``shipment.record`` when it ships, both through the outbox in the same transaction as the
change. Claims: opening an order claims it in the central store for this station; another
station's claim refuses it; when the central store cannot be reached the bench packs
unclaimed and any conflict surfaces at push (app/sync/commands.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Protocol

from sqlalchemy import Connection, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from app.config import PackingSettings
from app.context import StationContext
from app.db.fulfilment import (
    ItemRecord,
    ParcelRecord,
    ShipmentRecord,
    write_shipment,
)
from app.db.lifecycle import record_move
from app.db.models import (
    Address,
    Allocation,
    Bin,
    Customer,
    Order,
    OrderLine,
    PackParcel,
    PackScan,
    PackSession,
    Product,
    Shipment,
)
from app.db.numbers import take_number
from app.db.session import UnitOfWork
from app.db.stock import ship_order
from app.domain.errors import DomainError, NotFound
from app.domain.packing import (
    BoxType,
    LineState,
    OrderNotPackable,
    PackRefused,
    WeightNeeded,
    WeightRange,
    WrongItem,
    check_item,
    check_serial,
    expected_weight,
    kg,
    next_action,
    sscc,
)
from app.domain.status import PACKABLE_STATUSES, OrderStatus, check_transition
from app.domain.users import Actor, Permission
from app.domain.wording import count, listing, sentences, then
from app.faults import deliberate
from app.services.invoicing import auto_invoice
from app.sync import claims

# Open orders a stray item may be wanted by ("it is on open orders 100240 and 100250").
_OTHER_ORDER_STATUSES = (
    OrderStatus.ALLOCATED,
    OrderStatus.PICKING,
    OrderStatus.PICKED,
    OrderStatus.PACKING,
    OrderStatus.PARTIALLY_SHIPPED,
)


Bench = StationContext
"""The station, as the packing services see it."""


@dataclass(frozen=True)
class Weighing:
    """The weight offered at close: from the scale (stable) or typed."""

    grams: int
    source: str  # scale | typed


class WeightOutOfRange(PackRefused):
    """The parcel weighs more or less than its items and box should: confirm or reweigh.

    ``weighing`` is the weight the rules judged (the scale's, or the one typed earlier), to be
    offered again with ``accept_out_of_range`` when the packer confirms it.
    """

    def __init__(self, message: str, weighing: Weighing, expected: WeightRange) -> None:
        super().__init__(message)
        self.weighing = weighing
        self.expected = expected

    @property
    def grams(self) -> int:
        return self.weighing.grams


def _may_pack(actor: Actor) -> None:
    """Every step at the bench checks it: the screen is not what keeps a picker out."""
    actor.require(Permission.PACK, "pack orders")


# --- what the screen shows -----------------------------------------------------------------


@dataclass(frozen=True)
class LineView:
    line_no: int
    sku: str
    name: str
    bin_code: str
    expected: int
    packed: int
    packable: int
    in_parcel: int
    serial_tracked: bool
    serials: tuple[str, ...]
    lots: tuple[str, ...]

    @property
    def done(self) -> bool:
        return self.packed >= self.expected

    @property
    def short_of_stock(self) -> bool:
        return self.packable < self.expected


@dataclass(frozen=True)
class ParcelView:
    parcel_no: int
    box_code: str | None
    state: str
    weight_g: int | None
    weight_source: str | None
    units: int
    sscc: str | None
    expected: WeightRange


@dataclass(frozen=True)
class PackView:
    """One pack session as the bench shows it."""

    session_id: int
    order_number: str
    status: OrderStatus
    customer: str
    destination: str
    carrier: str
    lines: tuple[LineView, ...]
    parcels: tuple[ParcelView, ...]
    box: BoxType
    claimed: bool
    shipped_before: int
    _states: tuple[LineState, ...] = field(repr=False, compare=False, default=())

    @property
    def current(self) -> ParcelView:
        """The open parcel items go into (the session always has one until it ships)."""
        open_parcels = [p for p in self.parcels if p.state == "open"]
        return open_parcels[-1] if open_parcels else self.parcels[-1]

    @property
    def all_packed(self) -> bool:
        return all(line.done for line in self.lines)

    @property
    def units_packed(self) -> int:
        return sum(line.packed for line in self.lines)

    def next_action(self, awaiting_serial: str | None = None) -> str:
        return next_action(self._states, self.current.units, awaiting_serial)

    def line(self, line_no: int) -> LineView:
        return next(line for line in self.lines if line.line_no == line_no)


@dataclass(frozen=True)
class PackResult:
    view: PackView
    line_no: int
    message: str


@dataclass(frozen=True)
class ShipmentDone:
    """A shipment made: its number, parcels (with SSCCs) and the print jobs queued."""

    number: str
    order_number: str
    status: OrderStatus
    partial: bool
    ssccs: tuple[str, ...]
    print_jobs: tuple[int, ...]
    invoice: str | None = None  # issued with the shipment ([invoicing] auto_invoice)


@dataclass(frozen=True)
class CloseResult:
    view: PackView | None
    closed_parcel: int
    sscc: str
    shipment: ShipmentDone | None = None


# --- opening and resuming ------------------------------------------------------------------


def resume(bench: Bench, actor: Actor) -> PackView | None:
    """The order this station was packing when it stopped (crash, power cut), if any."""
    _may_pack(actor)
    with bench.local() as uow:
        session = uow.session.scalar(
            select(PackSession)
            .where(PackSession.station == bench.station_id, PackSession.state == "open")
            .order_by(PackSession.id.desc())
            .limit(1)
        )
        if session is None:
            return None
        return _view(uow.session, bench, session)


def open_order(bench: Bench, actor: Actor, number: str, *, claim: bool = True) -> PackView:
    """Open ``number`` for packing here, claiming it first; or refuse, saying why and who has it.

    ``claim=False`` when the station already knows the central store is out of reach (the
    last sync failed): the bench packs unclaimed at once instead of waiting for a connect
    timeout on every order. The bench itself opens with ``begin_order`` and claims off its
    GUI thread (``claim``); this is the same in one call, for headless callers.
    """
    _may_pack(actor)
    _check_openable(bench, number)
    claimed = _claim(bench, actor, number) if claim else False
    return _open(bench, actor, number, claimed=claimed, start=True)


def begin_order(bench: Bench, actor: Actor, number: str) -> PackView:
    """Open ``number`` here at once, its claim still to ask: the packer scans meanwhile.

    The order moves to packing (and the central store hears of it) when ``claim`` has the
    central store's answer; a refusal then puts the order down, its scans kept.
    """
    _may_pack(actor)
    _check_openable(bench, number)
    return _open(bench, actor, number, claimed=False, start=False)


@dataclass(frozen=True)
class ClaimOutcome:
    """The central store's answer to a bench's claim, as recorded at the station.

    ``claimed``: this station holds the order. Neither claimed nor ``refusal``: the central
    store could not be asked (away, or the order not there yet): packing goes on unclaimed.
    ``refusal``: another station has it (or it can no longer be packed), in words for the
    packer; the order was put down here, the ``units_kept`` scanned for it kept.
    """

    session_id: int
    order_number: str
    claimed: bool
    refusal: str | None = None
    units_kept: int = 0


def claim(bench: Bench, actor: Actor, session_id: int) -> ClaimOutcome:
    """Ask the central store for the order of a session opened by ``begin_order``, and record
    the answer here. Safe off the GUI thread; it may wait for the connect timeout.

    Claimed, or the central store away: the order moves to packing, with its outbox command.
    Refused: the session is paused (put down), nothing it recorded is undone; scanning the
    order again at this station carries on from there, once the other claim is gone. A
    session that shipped meanwhile is left alone: its shipment carries the packing step.
    """
    _may_pack(actor)
    with bench.local(readonly=True) as uow:
        number = uow.session.scalar(
            select(PackSession.order_number).where(PackSession.id == session_id)
        )
    if number is None:
        raise PackRefused("That order is no longer open at this bench: scan the order again.")
    deliberate("claim", number)  # PACKBENCH_FAULT=claim:NUMBER (app.faults)
    claimed, taken, refusal = False, False, None
    try:
        claims.claim_order(bench, number, actor.name)
        claimed = True
    except (claims.CentralUnreachable, NotFound):
        pass  # away, or not there yet (made here, not pushed): pack unclaimed
    except claims.OrderClaimed as other:
        taken, refusal = True, other.message
    except DomainError as refused:  # no longer packable in the central store
        refusal = refused.message
    with bench.local() as uow:
        s = uow.session
        session = s.get(PackSession, session_id)
        if session is None or session.state not in ("open", "paused"):
            return ClaimOutcome(session_id, number, claimed, refusal)
        if refusal is None:
            session.claimed = session.claimed or claimed
            _start_packing(uow, _order(s, number))
            uow.commit()
            return ClaimOutcome(session_id, number, claimed)
        session.state = "paused"
        units = sum(line.packed for line in _line_states(s, session))
        kept = f"what was scanned here ({count(units, 'item')}) is kept" if units else None
        uow.audit(
            bench.station_id,
            "pack.claim_refused",
            actor=actor,
            subject=f"order:{number}",
            detail=sentences(refusal, kept),
        )
        uow.commit()
    words = (
        then(sentences(refusal, kept), "scan another order") if taken else sentences(refusal, kept)
    )
    return ClaimOutcome(session_id, number, False, words, units)


def _check_openable(bench: Bench, number: str) -> None:
    with bench.local(readonly=True) as uow:
        order = _order(uow.session, number)
        _check_warehouse(bench, order)
        _check_packable(uow.session, order)
        existing = _active_session(uow.session, number)
        if existing is not None and existing.station != bench.station_id:
            raise OrderNotPackable(
                f"Order {number} is being packed at {existing.station}"
                f"{' by ' + existing.user_name if existing.user_name else ''}."
            )


def _open(bench: Bench, actor: Actor, number: str, *, claimed: bool, start: bool) -> PackView:
    """The session for ``number``, open (new, or the paused one resumed); ``start``: the order
    moves to packing now (claimed, or known to be unclaimable), else when ``claim`` answers."""
    with bench.local() as uow:
        s = uow.session
        order = _order(s, number)
        _check_warehouse(bench, order)
        _check_packable(s, order)  # again, inside the writing transaction
        # Only one order open at a time: whatever else was open here is paused, kept.
        s.execute(
            update(PackSession)
            .where(
                PackSession.station == bench.station_id,
                PackSession.state == "open",
                PackSession.order_number != number,
            )
            .values(state="paused")
        )
        session = _active_session(s, number)
        if session is None:
            session = PackSession(
                order_number=number,
                station=bench.station_id,
                user_id=actor.user_id,
                user_name=actor.name,
                state="open",
                claimed=claimed,
                box_code=bench.packing.boxes[0].code,
            )
            s.add(session)
            s.flush()
            s.add(_new_parcel(session, 1, bench.packing.boxes[0]))
            uow.audit(bench.station_id, "pack.open", actor=actor, subject=f"order:{number}")
        else:
            session.state = "open"
            session.claimed = session.claimed or claimed
            uow.audit(bench.station_id, "pack.resume", actor=actor, subject=f"order:{number}")
        if start:
            _start_packing(uow, order)
        uow.commit()
        return _view(s, bench, session)


def _start_packing(uow: UnitOfWork, order: Order) -> None:
    """The order is being packed here: its status, and the command that tells the central store."""
    if order.status is OrderStatus.PACKING:
        return
    record_move(uow, order, OrderStatus.PACKING)


def _claim(bench: Bench, actor: Actor, number: str) -> bool:
    """True when claimed; False when the central store is out of reach (pack unclaimed)."""
    try:
        claims.claim_order(bench, number, actor.name)
    except claims.OrderClaimed as taken:
        raise OrderNotPackable(then(taken.message, "scan another order")) from taken
    except claims.CentralUnreachable:
        return False
    except NotFound:
        return False  # not in the central store yet (made here, not pushed): pack unclaimed
    return True


def _check_warehouse(bench: Bench, order: Order) -> None:
    """A station of one warehouse packs only that warehouse's orders."""
    mine = bench.config.warehouses.code
    theirs = order.warehouse
    if mine and theirs is not None and theirs.code != mine:
        raise OrderNotPackable(
            f"Order {order.number} belongs to warehouse {theirs.code} ({theirs.name}), not to "
            f"{mine}: it ships from there. Put it aside for {theirs.code}."
        )


def _check_packable(s: Session, order: Order) -> None:
    number, status = order.number, order.status
    if status is OrderStatus.ON_HOLD:
        reasons = "; ".join(order.hold_reasons) or "no reason given"
        raise OrderNotPackable(
            f"Order {number} is on hold ({reasons}): a supervisor must release it first."
        )
    if status is OrderStatus.VOID:
        said = f": {order.void_reason}" if order.void_reason else ""
        raise OrderNotPackable(f"Order {number} was voided{said}. Do not pack it.")
    if order.fulfilled_elsewhere:
        raise OrderNotPackable(
            f"Order {number} was fulfilled elsewhere ({order.fulfilled_elsewhere}): there is "
            "nothing to pack here. If its goods come back, take them in at the Returns desk."
        )
    if status in (OrderStatus.SHIPPED, OrderStatus.FULFILLED) or status not in PACKABLE_STATUSES:
        shipment = s.scalar(
            select(Shipment)
            .where(Shipment.order_number == number)
            .order_by(Shipment.shipped_at.desc())
            .limit(1)
        )
        if shipment is not None:
            raise OrderNotPackable(
                f"Order {number} was already packed at {shipment.station}"
                f"{' by ' + shipment.user_name if shipment.user_name else ''} "
                f"(shipment {shipment.number}, {shipment.shipped_at.astimezone():%d %b %H:%M})."
            )
        if status in (OrderStatus.SHIPPED, OrderStatus.FULFILLED):
            raise OrderNotPackable(f"Order {number} has already been packed and shipped.")
        raise OrderNotPackable(
            f"Order {number} is {status.label.lower()}: it can be packed once it is allocated."
        )


# --- scanning items ------------------------------------------------------------------------


def needs_serial(view: PackView, product_id: int) -> bool:
    return any(s.product_id == product_id and s.serial_tracked for s in view._states)


def check_in_view(view: PackView, product_id: int, units: int, shown: str) -> None:
    """The refusal a scan would get, before asking for the serial number that completes it."""
    check_item(view._states, product_id, units, shown)


def pack_item(
    bench: Bench,
    actor: Actor,
    session_id: int,
    product_id: int,
    units: int,
    *,
    shown: str,
    serial: str | None = None,
    lot: str | None = None,
    expiry: date | None = None,
    raw: str | None = None,
) -> PackResult:
    """Count ``units`` of a product into the open parcel, or refuse, changing nothing.

    The bench's hot path: one read of the session, the rules, one row, the commit
    (synchronous=FULL: on disk before the beep), and the view built from what was read.
    """
    _may_pack(actor)
    with bench.local() as uow:
        conn = uow.session.connection()
        packing = _read_open(conn, session_id)
        try:
            line = check_item(packing.lines, product_id, units, shown)
        except WrongItem as wrong:
            others = _orders_with_product(conn, product_id, packing.order_number)
            raise WrongItem(wrong_item_words(shown, packing.order_number, others)) from wrong
        if line.serial_tracked:
            if serial is None:
                raise PackRefused(f"{line.sku} needs its serial number: scan it now.")
            if units != 1:
                raise PackRefused(f"{line.sku} is serial-tracked: scan each item on its own.")
            serial = check_serial(line, serial, _serial_packed(conn, product_id, serial))
        parcel = packing.open_parcel or _add_parcel(conn, bench, packing)
        conn.execute(
            _ADD_SCAN,
            {
                "session_id": session_id,
                "line_no": line.line_no,
                "product_id": product_id,
                "parcel_no": parcel.parcel_no,
                "units": units,
                "serial": serial,
                "lot": lot,
                "expiry": expiry.isoformat() if expiry else None,
                "raw_scan": raw,
            },
        )
        uow.commit()
    times = f" ×{units}" if units > 1 else ""
    extra = f" · serial {serial}" if serial else (f" · lot {lot}" if lot else "")
    message = f"{line.sku} {line.name}{times}{extra}: {line.packed + units} of {line.expected}"
    packing.counted(line, parcel.parcel_no, units, serial, lot)
    return PackResult(_view_of(bench, packing), line.line_no, message)


def undo_last(bench: Bench, actor: Actor, session_id: int) -> PackResult:
    """Take back the last confirmed item scan of the open parcel."""
    _may_pack(actor)
    with bench.local() as uow:
        s = uow.session
        session = _open_session(s, session_id)
        parcel = _current_parcel(s, session, bench)
        scan = s.scalar(
            select(PackScan)
            .where(
                PackScan.session_id == session.id,
                PackScan.undone_at.is_(None),
                PackScan.parcel_no == parcel.parcel_no,
            )
            .order_by(PackScan.id.desc())
            .limit(1)
        )
        if scan is None:
            raise PackRefused(
                f"Nothing to undo in parcel {parcel.parcel_no}: it has no items. To change a "
                "closed parcel, reopen it (REOPEN)."
            )
        scan.undone_at = datetime.now(UTC)
        line = s.scalar(
            select(OrderLine)
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.number == session.order_number, OrderLine.line_no == scan.line_no)
        )
        sku = line.sku if line else f"line {scan.line_no}"
        uow.audit(
            bench.station_id,
            "pack.undo",
            actor=actor,
            subject=f"order:{session.order_number}",
            detail=f"{sku} ×{scan.units}" + (f" serial {scan.serial}" if scan.serial else ""),
            raw_scan=scan.raw_scan,
        )
        uow.commit()
        view = _view(s, bench, session)
        now = view.line(scan.line_no)
        return PackResult(view, scan.line_no, f"Undone: {sku} ×{scan.units} ({now.packed} packed)")


def choose_box(bench: Bench, actor: Actor, session_id: int, code: str) -> PackView:
    _may_pack(actor)
    boxes = {b.code: b for b in bench.packing.boxes}
    box = boxes.get(code.upper())
    if box is None:
        raise PackRefused(
            f"There is no box {code!r} at this bench: the boxes are {', '.join(boxes)}."
        )
    with bench.local() as uow:
        s = uow.session
        session = _open_session(s, session_id)
        parcel = _current_parcel(s, session, bench)
        parcel.box_code, parcel.tare_g = box.code, box.tare_g
        session.box_code = box.code
        uow.commit()
        return _view(s, bench, session)


def set_weight(bench: Bench, actor: Actor, session_id: int, grams: int) -> PackView:
    """A weight typed for the open parcel (no scale, or the scale cannot settle)."""
    _may_pack(actor)
    with bench.local() as uow:
        s = uow.session
        session = _open_session(s, session_id)
        parcel = _current_parcel(s, session, bench)
        parcel.weight_g, parcel.weight_source = grams, "typed"
        uow.commit()
        return _view(s, bench, session)


# --- closing parcels and shipping ----------------------------------------------------------


def close_parcel(
    bench: Bench,
    actor: Actor,
    session_id: int,
    weight: Weighing | None,
    *,
    accept_out_of_range: bool = False,
    render: ShipmentPrinter | None = None,
) -> CloseResult:
    """Close the open parcel; when everything is packed that ships the order."""
    _may_pack(actor)
    with bench.local() as uow:
        s = uow.session
        session = _open_session(s, session_id)
        lines = _line_states(s, session)
        parcel = _current_parcel(s, session, bench)
        if not _parcel_units(s, session.id, parcel.parcel_no):
            if all(line.done for line in lines):
                raise PackRefused(f"Parcel {parcel.parcel_no} is empty: scan items into it.")
            raise PackRefused(
                f"Parcel {parcel.parcel_no} is empty: scan items into it first"
                + (", or SHIP-PARTIAL to send only what is packed." if _closed(s, session) else ".")
            )
        _weigh(s, bench, actor, session, parcel, weight, accept_out_of_range)
        code = _close(uow, bench, actor, session, parcel)
        if all(line.done for line in _line_states(s, session)):
            done = _ship(uow, bench, actor, session, None, render)
            uow.commit()
            return CloseResult(None, parcel.parcel_no, code, done)
        s.add(_new_parcel(session, parcel.parcel_no + 1, _box(bench, session.box_code)))
        uow.commit()
        return CloseResult(_view(s, bench, session), parcel.parcel_no, code)


def ship_partial(
    bench: Bench,
    actor: Actor,
    session_id: int,
    reason: str,
    weight: Weighing | None,
    *,
    accept_out_of_range: bool = False,
    render: ShipmentPrinter | None = None,
) -> ShipmentDone:
    """Ship what is packed and leave the rest open as a backorder, allocation kept."""
    _may_pack(actor)
    actor.require(Permission.SHIP_PARTIAL, "ship part of an order")
    if not reason.strip():
        raise PackRefused(
            "Say why only part of the order ships: the reason goes with the shipment and "
            "the supervisor sees it."
        )
    with bench.local() as uow:
        s = uow.session
        session = _open_session(s, session_id)
        parcel = _current_parcel(s, session, bench)
        if _parcel_units(s, session.id, parcel.parcel_no):
            _weigh(s, bench, actor, session, parcel, weight, accept_out_of_range)
            _close(uow, bench, actor, session, parcel)
        else:
            s.delete(parcel)  # the empty parcel never existed
            s.flush()
        if not _closed(s, session):
            raise PackRefused("Nothing is packed yet: scan items before shipping part.")
        done = _ship(uow, bench, actor, session, reason.strip(), render)
        uow.commit()
        return done


def reopen_parcel(bench: Bench, actor: Actor, session_id: int) -> PackView:
    """Open the last closed parcel again (its SSCC stays); recorded in the audit log."""
    _may_pack(actor)
    with bench.local() as uow:
        s = uow.session
        session = _open_session(s, session_id)
        parcels = list(
            s.scalars(
                select(PackParcel)
                .where(PackParcel.session_id == session.id)
                .order_by(PackParcel.parcel_no)
            )
        )
        closed = [p for p in parcels if p.state == "closed"]
        if not closed:
            raise PackRefused("No parcel of this order is closed: there is nothing to reopen.")
        target = closed[-1]
        for p in parcels:  # the empty parcel opened after it goes away
            if p.state == "open" and not _parcel_units(s, session.id, p.parcel_no):
                s.delete(p)
        s.flush()
        target.state, target.closed_at = "open", None
        uow.audit(
            bench.station_id,
            "pack.reopen_parcel",
            actor=actor,
            subject=f"order:{session.order_number}",
            detail=f"parcel {target.parcel_no} SSCC {target.sscc}",
        )
        uow.commit()
        return _view(s, bench, session)


def leave(bench: Bench, actor: Actor, session_id: int) -> None:
    """Put the order down and give up its claim, in one call (for headless callers).

    The bench does the two apart: ``put_down`` at once, ``release`` off its GUI thread.
    """
    release(bench, actor, put_down(bench, actor, session_id))


def put_down(bench: Bench, actor: Actor, session_id: int) -> str:
    """Put the order down here: its scans are kept, scanning it again carries on.

    Only the station's own database: it never waits for the central store. The order's
    number is returned, for ``release``.
    """
    _may_pack(actor)
    with bench.local() as uow:
        session = _open_session(uow.session, session_id)
        session.state = "paused"
        number = session.order_number
        uow.audit(bench.station_id, "pack.leave", actor=actor, subject=f"order:{number}")
        uow.commit()
    return number


def release(bench: Bench, actor: Actor, number: str) -> bool:
    """Give up this station's claim on an order put down; False when none was given up.

    Safe off the GUI thread; it may wait for the connect timeout. The central store away
    (or refusing) is not an error: the claim runs out by itself (``claims.DEFAULT_MINUTES``).
    A session open on the order here again (scanned again meanwhile) keeps its claim.
    """
    _may_pack(actor)
    deliberate("release", number)  # PACKBENCH_FAULT=release:NUMBER (app.faults)
    with bench.local(readonly=True) as uow:
        reopened = uow.session.scalar(
            select(PackSession.id).where(
                PackSession.order_number == number,
                PackSession.station == bench.station_id,
                PackSession.state == "open",
            )
        )
    if reopened is not None:
        return False
    try:
        return claims.release_claim(bench, number)
    except DomainError:  # away: the claim runs out by itself
        return False


class ShipmentPrinter(Protocol):
    """Queues a shipment's labels and slip in the caller's transaction (app.services.printjobs)."""

    def __call__(self, uow: UnitOfWork, shipment: Shipment, user_name: str) -> list[int]: ...


def _weigh(
    s: Session,
    bench: Bench,
    actor: Actor,
    session: PackSession,
    parcel: PackParcel,
    weight: Weighing | None,
    accept: bool,
) -> None:
    if weight is None and parcel.weight_g is not None:
        weight = Weighing(parcel.weight_g, parcel.weight_source or "typed")
    if weight is None:
        raise WeightNeeded(
            f"Weigh parcel {parcel.parcel_no}: put it on the scale and wait for a stable "
            "reading, or type its weight (F6)."
        )
    expected = _read(_connection(s), session.id).expected(bench, parcel.parcel_no, parcel.tare_g)
    if not expected.accepts(weight.grams) and not accept:
        raise WeightOutOfRange(
            f"Parcel {parcel.parcel_no} weighs {kg(weight.grams)}, {expected.words}: "
            "check its contents, then scan OK to accept the weight or weigh it again.",
            weight,
            expected,
        )
    parcel.weight_g, parcel.weight_source = weight.grams, weight.source
    if not expected.accepts(weight.grams):
        parcel.weight_accepted_by = actor.name


def _close(
    uow: UnitOfWork, bench: Bench, actor: Actor, session: PackSession, parcel: PackParcel
) -> str:
    s = uow.session
    if parcel.sscc is None:
        parcel.sscc = next_sscc(s, bench.packing)
    parcel.state, parcel.closed_at = "closed", datetime.now(UTC)
    uow.audit(
        bench.station_id,
        "pack.close_parcel",
        actor=actor,
        subject=f"order:{session.order_number}",
        detail=f"parcel {parcel.parcel_no} SSCC {parcel.sscc} {kg(parcel.weight_g or 0)}"
        + (
            f" (accepted out of range by {parcel.weight_accepted_by})"
            if parcel.weight_accepted_by
            else ""
        ),
    )
    s.flush()
    return parcel.sscc


def _ship(
    uow: UnitOfWork,
    bench: Bench,
    actor: Actor,
    session: PackSession,
    partial_reason: str | None,
    render: ShipmentPrinter | None,
) -> ShipmentDone:
    s = uow.session
    order = _order(s, session.order_number)
    lines = {line.line_no: line for line in _line_states(s, session)}
    scans = list(
        s.scalars(
            select(PackScan)
            .where(PackScan.session_id == session.id, PackScan.undone_at.is_(None))
            .order_by(PackScan.id)
        )
    )
    parcels = list(
        s.scalars(
            select(PackParcel)
            .where(PackParcel.session_id == session.id, PackParcel.state == "closed")
            .order_by(PackParcel.parcel_no)
        )
    )
    records = []
    for n, parcel in enumerate(parcels, start=1):
        items: dict[int, list[PackScan]] = {}
        for scan in scans:
            if scan.parcel_no == parcel.parcel_no:
                items.setdefault(scan.line_no, []).append(scan)
        assert parcel.sscc is not None
        records.append(
            ParcelRecord(
                parcel_no=n,
                sscc=parcel.sscc,
                box_code=parcel.box_code,
                weight_g=parcel.weight_g,
                items=tuple(
                    ItemRecord(
                        line_no,
                        lines[line_no].sku,
                        sum(x.units for x in group),
                        tuple(x.serial for x in group if x.serial),
                        tuple(sorted({x.lot for x in group if x.lot})),
                    )
                    for line_no, group in sorted(items.items())
                ),
            )
        )
    short = [line for line in lines.values() if not line.done]
    partial = bool(short)
    if partial and partial_reason is None:
        raise PackRefused("Lines are still short: ship partial with a reason.")
    record = ShipmentRecord(
        number=next_shipment_number(s, bench.station_id),
        order_number=order.number,
        station=bench.station_id,
        user_name=actor.name,
        shipped_at=datetime.now(UTC),
        partial=partial,
        partial_reason=partial_reason if partial else None,
        carrier=order.carrier,
        service=order.service,
        parcels=tuple(records),
    )
    before = order.status
    target = OrderStatus.PARTIALLY_SHIPPED if partial else OrderStatus.SHIPPED
    if before in (OrderStatus.ALLOCATED, OrderStatus.PICKED):
        # Shipped before the claim had its answer: the packing step is implied, as the
        # central store takes it from the shipment (app/sync/commands.py).
        check_transition(order.number, before, OrderStatus.PACKING)
        before = OrderStatus.PACKING
    check_transition(order.number, before, target)
    ship_order(s, order.id, order.number, record.quantities())
    order.status = target
    shipment = write_shipment(s, record)
    session.state, session.ended_at = "shipped", datetime.now(UTC)
    uow.command("shipment.record", record.as_json())
    units = sum(record.quantities().values())
    detail = f"{record.number}: {count(len(records), 'parcel')}, {count(units, 'unit')}"
    if partial:
        detail += "; partial: " + partial_reason_text(short, partial_reason)
    uow.audit(
        bench.station_id,
        "pack.ship",
        actor=actor,
        subject=f"order:{order.number}",
        detail=detail,
    )
    s.flush()
    invoice = auto_invoice(uow, bench.config, actor.name, order.number, record.number)
    jobs = render(uow, shipment, actor.name) if render is not None else []
    return ShipmentDone(
        record.number,
        order.number,
        target,
        partial,
        tuple(p.sscc for p in records),
        tuple(jobs),
        invoice,
    )


def partial_reason_text(short: Sequence[LineState], reason: str | None) -> str:
    missing = ", ".join(f"{line.sku} {line.short} short" for line in short)
    return f"{reason} ({missing})"


# --- numbering -----------------------------------------------------------------------------


def next_sscc(s: Session, p: PackingSettings) -> str:
    """The next SSCC of this station's range (in the caller's transaction)."""
    reference = take_number(s, "sscc", p.sscc_first)
    if reference > p.sscc_last:
        raise DomainError(
            f"This station has used all its SSCC numbers ({p.sscc_first}–{p.sscc_last}). "
            "A supervisor must give it a new range: [gs1] sscc_first and sscc_last in "
            "config.toml, not overlapping another station's."
        )
    return sscc(p.extension_digit, p.company_prefix, reference)


def next_shipment_number(s: Session, station: str) -> str:
    """The next shipment number of this station: ST-01-S000042."""
    return f"{station}-S{take_number(s, 'shipment', 1):06d}"


# --- reading -------------------------------------------------------------------------------


def _order(s: Session, number: str) -> Order:
    order = s.scalar(select(Order).where(Order.number == number))
    if order is None:
        raise NotFound(f"There is no order {number} at this station. Check the slip, or sync.")
    return order


def _active_session(s: Session, number: str) -> PackSession | None:
    return s.scalar(
        select(PackSession).where(
            PackSession.order_number == number, PackSession.state.in_(("open", "paused"))
        )
    )


def _open_session(s: Session, session_id: int) -> PackSession:
    session = s.get(PackSession, session_id)
    if session is None or session.state != "open":
        raise PackRefused("That order is no longer open at this bench: scan the order again.")
    return session


def _box(bench: Bench, code: str | None) -> BoxType:
    for box in bench.packing.boxes:
        if box.code == code:
            return box
    return bench.packing.boxes[0]


def _new_parcel(session: PackSession, parcel_no: int, box: BoxType) -> PackParcel:
    return PackParcel(
        session_id=session.id,
        parcel_no=parcel_no,
        box_code=box.code,
        tare_g=box.tare_g,
        state="open",
    )


def _current_parcel(s: Session, session: PackSession, bench: Bench) -> PackParcel:
    parcel = s.scalar(
        select(PackParcel)
        .where(PackParcel.session_id == session.id, PackParcel.state == "open")
        .order_by(PackParcel.parcel_no.desc())
        .limit(1)
    )
    if parcel is None:
        last = (
            s.scalar(
                select(func.max(PackParcel.parcel_no)).where(PackParcel.session_id == session.id)
            )
            or 0
        )
        parcel = _new_parcel(session, last + 1, _box(bench, session.box_code))
        s.add(parcel)
        s.flush()
    return parcel


def _closed(s: Session, session: PackSession) -> int:
    return (
        s.scalar(
            select(func.count())
            .select_from(PackParcel)
            .where(PackParcel.session_id == session.id, PackParcel.state == "closed")
        )
        or 0
    )


def _parcel_units(s: Session, session_id: int, parcel_no: int) -> int:
    return (
        s.scalar(
            select(func.coalesce(func.sum(PackScan.units), 0)).where(
                PackScan.session_id == session_id,
                PackScan.parcel_no == parcel_no,
                PackScan.undone_at.is_(None),
            )
        )
        or 0
    )


def _serial_packed(conn: Connection, product_id: int, serial: str) -> bool:
    found = conn.execute(_SERIAL_PACKED, {"product_id": product_id, "serial": serial}).first()
    return found is not None


def _orders_with_product(conn: Connection, product_id: int, not_number: str) -> list[str]:
    """The other open orders still waiting for the product: being packed first, then oldest."""
    return list(
        conn.scalars(
            select(Order.number)
            .join(OrderLine, OrderLine.order_id == Order.id)
            .where(
                OrderLine.product_id == product_id,
                OrderLine.quantity_shipped < OrderLine.quantity_ordered,
                Order.status.in_(_OTHER_ORDER_STATUSES),
                Order.number != not_number,
            )
            .group_by(Order.id, Order.number, Order.status, Order.placed_at)
            .order_by((Order.status == OrderStatus.PACKING).desc(), Order.placed_at, Order.number)
        )
    )


def _add_parcel(conn: Connection, bench: Bench, packing: _Packing) -> _Parcel:
    """A new open parcel after the last one (none is open: the last was closed or removed)."""
    box = _box(bench, packing.box_code)
    number = max((p.parcel_no for p in packing.parcels), default=0) + 1
    parcel = _Parcel(number, box.code, box.tare_g, None, None, "open", None)
    conn.execute(
        _ADD_PARCEL,
        {
            "session_id": packing.session_id,
            "parcel_no": number,
            "box_code": box.code,
            "tare_g": box.tare_g,
            "state": "open",
        },
    )
    packing.parcels.append(parcel)
    return parcel


def wrong_item_words(shown: str, number: str, others: Sequence[str]) -> str:
    """What is true of an item not on the order: where else it is wanted, if anywhere.

    An item may be wanted by several open orders; naming one would send the packer to the
    wrong one, so up to three are named and the rest counted.
    """
    if not others:
        return then(f"{shown} is not on order {number}", "put it aside")
    if len(others) == 1:
        where = then(f"it is on open order {others[0]}", "put it with that order")
    else:
        where = then(f"it is on open orders {listing(others)}", "put it aside for one of them")
    return sentences(f"{shown} is not on order {number}", where)


# One read of a pack session, in Core: the header, the lines with what is packed, the parcels.
# Every service asks for it; an item scan reads it once, inside its writing transaction, and
# builds the screen's view from it and the row it adds (no ORM objects on that path).

# The bin a line is picked from: the first of its allocations in walk order.
_FIRST_BIN = (
    select(Bin.code)
    .join(Allocation, Allocation.bin_id == Bin.id)
    .where(Allocation.order_line_id == OrderLine.id)
    .order_by(Bin.walk_sequence, Bin.id)
    .limit(1)
    .correlate(OrderLine)
    .scalar_subquery()
)

# The session, its order's header and the order's lines: one row per line (one row with no
# line columns for an order without lines).
_SESSION_LINES = (
    select(
        PackSession.state,
        PackSession.order_number,
        PackSession.claimed,
        PackSession.box_code,
        Order.status,
        Order.carrier,
        Order.service,
        Customer.name,
        Address.name,
        Address.city,
        Address.country,
        OrderLine.line_no,
        OrderLine.product_id,
        OrderLine.sku,
        OrderLine.name,
        OrderLine.quantity_ordered,
        OrderLine.quantity_shipped,
        OrderLine.quantity_allocated,
        Product.weight_g,
        Product.serial_tracked,
        _FIRST_BIN,
    )
    .select_from(PackSession)
    .join(Order, Order.number == PackSession.order_number)
    .outerjoin(Customer, Customer.id == Order.customer_id)
    .outerjoin(Address, Address.id == Order.ship_to_id)
    .outerjoin(OrderLine, OrderLine.order_id == Order.id)
    .outerjoin(Product, Product.id == OrderLine.product_id)
    .where(PackSession.id == bindparam("session_id"))
    .order_by(OrderLine.line_no)
)

_LIVE = (PackScan.session_id == bindparam("session_id"), PackScan.undone_at.is_(None))

# The confirmed scans summed per parcel and line, with how many carry a serial or a lot.
_SCANNED = (
    select(
        PackScan.parcel_no,
        PackScan.line_no,
        func.sum(PackScan.units),
        func.count(PackScan.serial),
        func.count(PackScan.lot),
    )
    .where(*_LIVE)
    .group_by(PackScan.parcel_no, PackScan.line_no)
)

# Serials and lots in the order they were scanned (read only when there are any).
_MARKED = (
    select(PackScan.line_no, PackScan.serial, PackScan.lot)
    .where(*_LIVE, PackScan.serial.is_not(None) | PackScan.lot.is_not(None))
    .order_by(PackScan.id)
)

_PARCELS = (
    select(
        PackParcel.parcel_no,
        PackParcel.box_code,
        PackParcel.tare_g,
        PackParcel.weight_g,
        PackParcel.weight_source,
        PackParcel.state,
        PackParcel.sscc,
    )
    .where(PackParcel.session_id == bindparam("session_id"))
    .order_by(PackParcel.parcel_no)
)

_ADD_SCAN = insert(PackScan)
_ADD_PARCEL = insert(PackParcel)

_SERIAL_PACKED = select(PackScan.id).where(
    PackScan.product_id == bindparam("product_id"),
    PackScan.serial == bindparam("serial"),
    PackScan.undone_at.is_(None),
)


@dataclass
class _Parcel:
    parcel_no: int
    box_code: str | None
    tare_g: int
    weight_g: int | None
    weight_source: str | None
    state: str
    sscc: str | None


@dataclass
class _Packing:
    """A pack session as the database has it now: what every service reads and the view shows."""

    session_id: int
    state: str
    order_number: str
    claimed: bool
    box_code: str | None
    status: OrderStatus
    carrier: str
    customer: str
    destination: str
    lines: list[LineState]
    parcels: list[_Parcel]
    units: dict[tuple[int, int], int]  # (parcel_no, line_no) -> units packed

    @property
    def open_parcel(self) -> _Parcel | None:
        return next((p for p in reversed(self.parcels) if p.state == "open"), None)

    def parcel_units(self, parcel_no: int) -> int:
        return sum(u for (n, _), u in self.units.items() if n == parcel_no)

    @property
    def closed(self) -> int:
        return sum(1 for p in self.parcels if p.state == "closed")

    def counted(
        self, line: LineState, parcel_no: int, units: int, serial: str | None, lot: str | None
    ) -> None:
        """A scan just written: the same as reading the session again."""
        line.packed += units
        if serial:
            line.serials.append(serial)
        if lot and lot not in line.lots:
            line.lots.append(lot)
        key = (parcel_no, line.line_no)
        self.units[key] = self.units.get(key, 0) + units

    def expected(self, bench: Bench, parcel_no: int, tare_g: int) -> WeightRange:
        """What the parcel should weigh: its items (from the catalogue) and its box."""
        weights = {line.line_no: line.weight_g for line in self.lines}
        items: list[int | None] = []
        for (number, line_no), units in self.units.items():
            if number == parcel_no and units:
                weight = weights.get(line_no)
                items.append(weight * units if weight is not None else None)
        p = bench.packing
        return expected_weight(items, tare_g, p.weight_tolerance_pct, p.weight_tolerance_min_g)


def _read(conn: Connection, session_id: int) -> _Packing:
    """The session ``session_id``; PackRefused when there is none."""
    rows = conn.execute(_SESSION_LINES, {"session_id": session_id}).all()
    if not rows:
        raise PackRefused("That order is no longer open at this bench: scan the order again.")
    state, number, claimed, box_code, status, carrier, service = rows[0][:7]
    customer, ship_name, city, country = rows[0][7:11]
    lines = {
        r[11]: LineState(
            line_no=r[11],
            product_id=r[12],
            sku=r[13],
            name=r[14],
            bin_code=r[20] or "—",
            ordered=r[15],
            shipped_before=r[16],
            allocated=r[17],
            weight_g=r[18],
            serial_tracked=bool(r[19]),
        )
        for r in rows
        if r[11] is not None
    }
    units: dict[tuple[int, int], int] = {}
    marked = False
    for parcel_no, line_no, total, serials, lots in conn.execute(
        _SCANNED, {"session_id": session_id}
    ):
        units[parcel_no, line_no] = int(total)
        marked = marked or bool(serials or lots)
        if line_no in lines:
            lines[line_no].packed += int(total)
    if marked:
        for line_no, serial, lot in conn.execute(_MARKED, {"session_id": session_id}):
            line = lines.get(line_no)
            if line is None:
                continue
            if serial:
                line.serials.append(serial)
            if lot and lot not in line.lots:
                line.lots.append(lot)
    parcels = [_Parcel(*row) for row in conn.execute(_PARCELS, {"session_id": session_id})]
    return _Packing(
        session_id=session_id,
        state=state,
        order_number=number,
        claimed=bool(claimed),
        box_code=box_code,
        status=status,
        carrier=" ".join(x for x in (carrier, service) if x) or "carrier not set",
        customer=customer or "",
        destination=f"{ship_name}, {city} {country}" if ship_name else "no address",
        lines=list(lines.values()),
        parcels=parcels,
        units=units,
    )


def _read_open(conn: Connection, session_id: int) -> _Packing:
    packing = _read(conn, session_id)
    if packing.state != "open":
        raise PackRefused("That order is no longer open at this bench: scan the order again.")
    return packing


def _connection(s: Session) -> Connection:
    """The unit of work's connection, with what the ORM holds written first."""
    s.flush()
    return s.connection()


def _line_states(s: Session, session: PackSession) -> list[LineState]:
    return _read(_connection(s), session.id).lines


def _view(s: Session, bench: Bench, session: PackSession) -> PackView:
    return _view_of(bench, _read(_connection(s), session.id))


def _view_of(bench: Bench, packing: _Packing) -> PackView:
    """The screen's picture of a session."""
    current = packing.open_parcel
    current_no = current.parcel_no if current else 0
    lines = tuple(
        LineView(
            line_no=st.line_no,
            sku=st.sku,
            name=st.name,
            bin_code=st.bin_code,
            expected=st.expected,
            packed=st.packed,
            packable=st.packable,
            in_parcel=packing.units.get((current_no, st.line_no), 0),
            serial_tracked=st.serial_tracked,
            serials=tuple(st.serials),
            lots=tuple(st.lots),
        )
        for st in packing.lines
    )
    views = tuple(
        ParcelView(
            parcel_no=p.parcel_no,
            box_code=p.box_code,
            state=p.state,
            weight_g=p.weight_g,
            weight_source=p.weight_source,
            units=packing.parcel_units(p.parcel_no),
            sscc=p.sscc,
            expected=(
                packing.expected(bench, p.parcel_no, p.tare_g)
                if p.state == "open"
                else WeightRange(None)
            ),
        )
        for p in packing.parcels
    )
    return PackView(
        session_id=packing.session_id,
        order_number=packing.order_number,
        status=packing.status,
        customer=packing.customer,
        destination=packing.destination,
        carrier=packing.carrier,
        lines=lines,
        parcels=views,
        box=_box(bench, current.box_code if current else packing.box_code),
        claimed=packing.claimed,
        shipped_before=sum(st.shipped_before for st in packing.lines),
        _states=tuple(packing.lines),
    )
