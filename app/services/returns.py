"""The returns desk: one function per thing a returns clerk does (docs/returns.md).

- ``find(station, actor, scan)``: the orders a scan may belong to (a parcel's SSCC, an order
  number or shipment number, a return authorisation, a serial, or an item's barcode or SKU:
  then the recent orders that shipped it, newest first), with what is still returnable;
- ``open_return(station, actor, order, late_reason=None)``: a new return authorisation
  (RA number), or the order's open one resumed; outside the window only a person with
  ``accept_late_returns`` (a supervisor) opens it, with a reason, audited;
- ``resume(station, actor, ra)``, ``open_returns(station, actor)``: a return saved earlier;
- ``receive(station, actor, ra, scan, serial=None, unexpected=False)``: one unit (or a
  case) back, refused when not in the order, more than returnable, a wrong or repeated
  serial; an unexpected item is kept aside for quarantine only;
- ``set_unit(station, actor, ra, unit_id, ...)``: reason, condition, disposition, bin;
  ``confirm_disposition(station, actor, ra, command)``: the ``%PB:RESTOCK`` /
  ``%PB:QUARANTINE`` / ``%PB:SCRAP`` scan for the last unit;
- ``preview_refund(station, actor, ra)``: what would be refunded and credited;
- ``confirm(station, actor, ra)``: in one transaction, the stock moves (app/db/stock via
  app/db/returns.take_back), the credit notes (app/services/invoicing.credit_in), the
  order's status, and ``return.record`` (with the refund request) into the outbox.

Every step is its own transaction and saved at once: a return killed half-way is resumed
with every unit scanned before it. Each function checks the right itself
(``receive_returns``: returns clerks, supervisors, admins; a packer is refused with
``NotAllowed``) and raises a ``DomainError`` whose message is for the person.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.orm import Session

from app.config import Config
from app.context import StationContext
from app.db.invoices import Billing
from app.db.models import (
    Bin,
    Order,
    OrderLine,
    Product,
    ProductBarcode,
    ReturnRecord,
    ReturnUnit,
    Shipment,
    ShipmentItem,
    ShipmentParcel,
    StockLevel,
)
from app.db.numbers import take_number
from app.db.returns import COMMAND, SAVED, UnitRecord, payload_of, take_back, write_copy
from app.db.session import UnitOfWork
from app.db.warehouses import by_code, code_of, station_warehouse_id
from app.domain.decode import Command, Decoded, ScanKind, decode
from app.domain.errors import DomainError, NotFound
from app.domain.invoicing import price_credit, shipping_rate
from app.domain.returns import (
    AcceptedUnits,
    Condition,
    Disposition,
    Reason,
    Refund,
    ReturnableLine,
    ReturnRefused,
    check_receive,
    check_window,
    credit_units,
    is_late,
    price_refund,
    window_ends,
)
from app.domain.users import Actor, Permission
from app.domain.wording import count
from app.services.invoicing import credit_in, creditable_lines, queue_print
from app.sync.claims import CentralUnreachable, central_errors
from app.sync.pull import pause_at
from printing.return_label import ReturnLabel

RECENT = 20  # orders listed for an item's barcode
OPEN, CONFIRMED = "open", "confirmed"
DISPOSITION_COMMANDS = {
    Command.RESTOCK: Disposition.RESTOCK,
    Command.QUARANTINE: Disposition.QUARANTINE,
    Command.SCRAP: Disposition.SCRAP,
}


# --- what the desk shows --------------------------------------------------------------------


@dataclass(frozen=True)
class LineView:
    """An order line at the desk: shipped, returned before, taken back in this return."""

    line_no: int
    sku: str
    name: str
    ordered: int
    shipped: int
    returned: int
    receiving: int = 0
    bins: tuple[str, ...] = ()  # where its units were taken from: restocking goes back there

    @property
    def returnable(self) -> int:
        return max(0, self.shipped - self.returned - self.receiving)

    def as_json(self) -> dict[str, Any]:
        return {
            "line": self.line_no,
            "sku": self.sku,
            "name": self.name,
            "ordered": self.ordered,
            "shipped": self.shipped,
            "returned": self.returned,
            "receiving": self.receiving,
            "returnable": self.returnable,
        }


@dataclass(frozen=True)
class Candidate:
    """An order a scan may belong to."""

    order_number: str
    customer: str
    status: str
    shipped_at: datetime | None
    fulfilled_elsewhere: str | None
    window_ends: datetime | None
    late: bool
    found_by: str  # "sscc", "order", "shipment", "return", "serial", "item"
    lines: tuple[LineView, ...]
    open_return: str | None = None

    @property
    def returnable(self) -> int:
        return sum(line.returnable for line in self.lines)

    def as_json(self) -> dict[str, Any]:
        return {
            "order": self.order_number,
            "customer": self.customer,
            "status": self.status,
            "shipped_at": self.shipped_at.isoformat() if self.shipped_at else None,
            "fulfilled_elsewhere": self.fulfilled_elsewhere,
            "window_ends": self.window_ends.isoformat() if self.window_ends else None,
            "late": self.late,
            "found_by": self.found_by,
            "open_return": self.open_return,
            "returnable": self.returnable,
            "lines": [line.as_json() for line in self.lines],
        }


@dataclass(frozen=True)
class UnitView:
    id: int
    line_no: int | None
    sku: str
    units: int
    serial: str | None
    reason: Reason | None
    reason_text: str | None
    condition: Condition | None
    disposition: Disposition | None
    bin_code: str | None
    unexpected: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "line": self.line_no,
            "sku": self.sku,
            "units": self.units,
            "serial": self.serial,
            "reason": self.reason.value if self.reason else None,
            "reason_text": self.reason_text,
            "condition": self.condition.value if self.condition else None,
            "disposition": self.disposition.value if self.disposition else None,
            "bin": self.bin_code,
            "unexpected": self.unexpected,
        }


@dataclass(frozen=True)
class ReturnView:
    """A return authorisation as the desk shows it."""

    number: str
    order_number: str
    customer: str
    state: str
    opened_at: datetime
    confirmed_at: datetime | None
    late_reason: str | None
    late_accepted_by: str | None
    lines: tuple[LineView, ...]
    units: tuple[UnitView, ...]
    credit_notes: tuple[str, ...] = ()
    refund: dict[str, Any] = field(default_factory=dict)

    @property
    def received(self) -> int:
        return sum(u.units for u in self.units)

    @property
    def last_unit(self) -> UnitView | None:
        return self.units[-1] if self.units else None

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "order": self.order_number,
            "customer": self.customer,
            "state": self.state,
            "opened_at": self.opened_at.isoformat(),
            "confirmed_at": self.confirmed_at.isoformat() if self.confirmed_at else None,
            "late_reason": self.late_reason,
            "late_accepted_by": self.late_accepted_by,
            "lines": [line.as_json() for line in self.lines],
            "units": [u.as_json() for u in self.units],
            "credit_notes": list(self.credit_notes),
            "refund": self.refund,
        }


@dataclass(frozen=True)
class Confirmed:
    """What confirming did: the return, its refund and the credit notes issued."""

    ret: ReturnView
    refund: Refund
    credit_notes: tuple[str, ...]
    status: str | None  # the order's new status, None when it stayed


# --- rights --------------------------------------------------------------------------------


def _may_return(actor: Actor, doing: str = "take returns back") -> None:
    actor.require(Permission.RECEIVE_RETURNS, doing)


# --- finding -------------------------------------------------------------------------------


def find(station: StationContext, actor: Actor, scan: str) -> list[Candidate]:
    """The orders ``scan`` may belong to, newest first; empty when nothing matches.

    An order, shipment, parcel (SSCC), return or serial names one order; an item's barcode or
    SKU lists the recent orders that shipped it and may still return it (up to 20), so the
    clerk picks one. An RA saved at another station is not found here: ``resume`` takes it
    over through the central store."""
    _may_return(actor, "look up returns")
    text = scan.strip()
    if not text:
        raise DomainError("Scan the parcel's label, the order, the RA or an item.")
    policy = station.config.returns.policy
    with station.local(readonly=True) as uow:
        s = uow.session
        now = datetime.now(UTC)
        found = _find_orders(s, text)
        return [_candidate(s, order, how, policy.window_days, now) for order, how in found]


def _find_orders(s: Session, text: str) -> list[tuple[Order, str]]:
    decoded = decode(text)
    if decoded.kind is ScanKind.COMMAND:
        raise DomainError(f"{text} is a command; scan what came back instead.")
    ret = s.scalar(select(ReturnRecord).where(ReturnRecord.number == text))
    if ret is not None:
        return _orders(s, [ret.order_number], "return")
    sscc = (
        decoded.sscc
        or decoded.ais.get("00")
        or (text if text.isdigit() and len(text) == 18 else None)
    )
    if sscc:
        number = s.scalar(
            select(Shipment.order_number)
            .join(ShipmentParcel, ShipmentParcel.shipment_id == Shipment.id)
            .where(ShipmentParcel.sscc == sscc)
        )
        if number is not None:
            return _orders(s, [number], "sscc")
    order_text = decoded.reference if decoded.kind is ScanKind.ORDER and decoded.reference else text
    if s.scalar(select(Order.id).where(Order.number == order_text)) is not None:
        return _orders(s, [order_text], "order")
    number = s.scalar(select(Shipment.order_number).where(Shipment.number == text))
    if number is not None:
        return _orders(s, [number], "shipment")
    for serial in (text, _item_serial(decoded)):
        by_serial = _orders_with_serial(s, serial) if serial else []
        if by_serial:
            return _orders(s, by_serial, "serial")
    product = _product_of(s, text)
    if product is not None:
        return _orders_with_product(s, product[0].id)
    return []


def _item_serial(decoded: Decoded) -> str | None:
    """The serial a scan carries for an item: AI 21 beside the item's GTIN (AI 01), never alone.

    A bare ``21…`` is not a serial: an all-digit SKU such as ``21622`` reads as AI 21 with
    serial ``622``, and would be taken for a serial that never shipped.
    """
    return decoded.serial if decoded.gtin else None


def _orders(s: Session, numbers: Sequence[str], how: str) -> list[tuple[Order, str]]:
    orders = s.scalars(select(Order).where(Order.number.in_(numbers))).all()
    return [(o, how) for o in orders]


def _orders_with_serial(s: Session, serial: str) -> list[str]:
    rows = s.execute(
        select(Shipment.order_number, ShipmentItem.serials)
        .join(ShipmentParcel, ShipmentParcel.shipment_id == Shipment.id)
        .join(ShipmentItem, ShipmentItem.parcel_id == ShipmentParcel.id)
        .where(type_coerce(ShipmentItem.serials, String).like(f'%"{serial}"%'))
    ).all()
    return sorted({number for number, serials in rows if serial in (serials or [])})


def _orders_with_product(s: Session, product_id: int) -> list[tuple[Order, str]]:
    last_shipped = (
        select(Shipment.order_number, func.max(Shipment.shipped_at).label("at"))
        .group_by(Shipment.order_number)
        .subquery()
    )
    when = func.coalesce(last_shipped.c.at, Order.placed_at)
    orders = s.scalars(
        select(Order)
        .join(OrderLine, OrderLine.order_id == Order.id)
        .outerjoin(last_shipped, last_shipped.c.order_number == Order.number)
        .where(
            OrderLine.product_id == product_id,
            OrderLine.quantity_shipped > OrderLine.quantity_returned,  # some may come back
        )
        .order_by(when.desc(), Order.id.desc())
        .limit(RECENT)
    ).unique()
    return [(o, "item") for o in orders]


def _product_of(s: Session, text: str) -> tuple[Product, int] | None:
    """The product a scan names (a barcode, GS1 GTIN or SKU) and the units it stands for."""
    decoded = decode(text)
    codes = [text]
    if decoded.gtin:
        codes += [decoded.gtin, decoded.gtin.lstrip("0"), decoded.gtin[1:]]
    hit = s.execute(
        select(Product, ProductBarcode.units)
        .join(ProductBarcode, ProductBarcode.product_id == Product.id)
        .where(ProductBarcode.code.in_(codes))
    ).first()
    if hit is not None:
        return hit[0], int(hit[1])
    product = s.scalar(select(Product).where(Product.sku == text))
    return (product, 1) if product is not None else None


def _shipped_at(s: Session, order: Order) -> datetime | None:
    at = s.scalar(
        select(func.max(Shipment.shipped_at)).where(Shipment.order_number == order.number)
    )
    if at is None and order.fulfilled_elsewhere:
        return order.placed_at  # shipped by the channel: the order's own date is the one known
    return at


def _lines(s: Session, order: Order, ret: ReturnRecord | None = None) -> tuple[LineView, ...]:
    receiving: dict[int, int] = {}
    if ret is not None and ret.state == OPEN:
        for u in ret.units:
            if u.line_no is not None:
                receiving[u.line_no] = receiving.get(u.line_no, 0) + u.units
    bins = _bins_of(s, order, _warehouse_of(s, order, ret))
    return tuple(
        LineView(
            line.line_no,
            line.sku,
            line.name,
            line.quantity_ordered,
            line.quantity_shipped,
            line.quantity_returned,
            receiving.get(line.line_no, 0),
            bins.get(line.product_id, ()),
        )
        for line in sorted(order.lines, key=lambda ln: ln.line_no)
    )


def _bins_of(s: Session, order: Order, warehouse_id: int) -> dict[int, tuple[str, ...]]:
    """Per product, the bins of warehouse ``warehouse_id`` it is stocked in (walk order): the
    bin a restocked unit goes back into unless the clerk scans another. Bin codes are unique
    only within a warehouse, so every bin here is of that one warehouse."""
    products = [line.product_id for line in order.lines]
    rows = s.execute(
        select(StockLevel.product_id, Bin.code)
        .join(Bin, Bin.id == StockLevel.bin_id)
        .where(StockLevel.product_id.in_(products), Bin.warehouse_id == warehouse_id)
        .order_by(Bin.walk_sequence, Bin.code)
    ).all()
    out: dict[int, list[str]] = {}
    for product_id, code in rows:
        out.setdefault(product_id, []).append(code)
    return {k: tuple(v) for k, v in out.items()}


def _station_warehouse(s: Session, station: StationContext) -> str:
    """The code of the warehouse this station is in (``[station] warehouse``; empty: MAIN):
    a return received here restocks into its bins."""
    conn = s.connection()
    return code_of(conn, station_warehouse_id(conn, station.config.warehouses.code))


def _warehouse_of(s: Session, order: Order, ret: ReturnRecord | None) -> int:
    """The warehouse whose bins a return's restocked units go into: the one it is received
    in; for a return from before warehouses (or none yet), the order's."""
    if ret is not None and ret.warehouse:
        return by_code(s.connection(), ret.warehouse).id
    return order.warehouse_id


def _candidate(s: Session, order: Order, how: str, window_days: int, now: datetime) -> Candidate:
    shipped_at = _shipped_at(s, order)
    open_ret = s.scalar(
        select(ReturnRecord.number).where(
            ReturnRecord.order_number == order.number, ReturnRecord.state == OPEN
        )
    )
    return Candidate(
        order.number,
        _customer(order),
        order.status.value,
        shipped_at,
        order.fulfilled_elsewhere,
        window_ends(shipped_at, window_days) if shipped_at else None,
        is_late(shipped_at, now, window_days),
        how,
        _lines(s, order),
        open_ret,
    )


def _customer(order: Order) -> str:
    if order.customer is not None:
        return order.customer.name
    return order.ship_to.name if order.ship_to is not None else ""


# --- opening and resuming -------------------------------------------------------------------


def open_return(
    station: StationContext, actor: Actor, order_number: str, late_reason: str | None = None
) -> ReturnView:
    """Open a return for the order (its RA number taken now), or resume its open one.

    Outside the return window only a person with ``accept_late_returns`` opens it, saying
    why (``LateReturn`` otherwise); the acceptance is audited."""
    _may_return(actor)
    config = station.config
    with station.local(readonly=True) as uow:
        number = _order(uow.session, order_number.strip()).number
        here = uow.session.scalar(
            select(ReturnRecord.number).where(
                ReturnRecord.order_number == number, ReturnRecord.state == OPEN
            )
        )
    if here is None:
        taken = _take_over(station, actor, order_number=number)
        if taken is not None:
            return taken
    with station.local() as uow:
        s = uow.session
        order = _order(s, order_number.strip())
        existing = s.scalar(
            select(ReturnRecord).where(
                ReturnRecord.order_number == order.number, ReturnRecord.state == OPEN
            )
        )
        if existing is not None:
            return _view(s, existing)
        if not any(line.quantity_shipped for line in order.lines):
            raise DomainError(
                f"Nothing of order {order.number} has shipped; there is nothing to return."
            )
        now = datetime.now(UTC)
        shipped_at = _shipped_at(s, order)
        policy = config.returns.policy
        check_window(
            order.number,
            shipped_at,
            now,
            policy.window_days,
            may_accept_late=actor.may(Permission.ACCEPT_LATE_RETURNS),
            late_reason=late_reason,
            who=f"{actor.name} ({actor.role.label})",
        )
        late = is_late(shipped_at, now, policy.window_days)
        ret = ReturnRecord(
            number=_next_number(s, config),
            order_number=order.number,
            station=config.station_id,
            user_name=actor.name,
            state=OPEN,
            opened_at=now,
            late_reason=late_reason.strip() if late and late_reason else None,
            late_accepted_by=actor.name if late else None,
            credit_notes=[],
            refund={},
            held_by=config.station_id,
            warehouse=_station_warehouse(s, station),
        )
        s.add(ret)
        _saved(uow, ret)
        uow.audit(
            config.station_id,
            "return.open",
            actor=actor,
            subject=f"order:{order.number}",
            detail=f"{ret.number} opened"
            + (f"; accepted late by {actor.name}: {ret.late_reason}" if late else ""),
        )
        view = _view(s, ret)
        uow.commit()
        return view


def _next_number(s: Session, config: Config) -> str:
    prefix = config.returns.ra_prefix.format(station=config.station_id, year=date.today().year)
    return f"{prefix}{take_number(s, f'return:{prefix}', 1):06d}"


def resume(station: StationContext, actor: Actor, ra_number: str) -> ReturnView:
    """A return as it was saved: on this station, or (taken over through the central store)
    an open one another station saved."""
    _may_return(actor)
    with station.local(readonly=True) as uow:
        ret = uow.session.scalar(
            select(ReturnRecord).where(ReturnRecord.number == ra_number.strip())
        )
        if ret is not None:
            return _view(uow.session, ret)
    taken = _take_over(station, actor, ra_number=ra_number.strip())
    if taken is None:
        raise NotFound(
            f"There is no open return {ra_number.strip()} here or in the central store "
            "(when it cannot be reached, finish the return at the station that opened it)."
        )
    return taken


def _saved(uow: UnitOfWork, ret: ReturnRecord) -> None:
    """The open return as it now stands, to the central store (``return.saved``), in the
    transaction of the change: another station may take it over from there."""
    uow.session.flush()
    uow.command(SAVED, payload_of(ret).as_json())


def _take_over(
    station: StationContext,
    actor: Actor,
    *,
    order_number: str | None = None,
    ra_number: str | None = None,
) -> ReturnView | None:
    """An open return saved at another station, taken over for this one: marked held here in
    the central store (its first station's later changes are then refused there) and copied
    into this station's file. None when there is none, or the central store is away."""
    wanted = (
        ReturnRecord.number == ra_number if ra_number else ReturnRecord.order_number == order_number
    )
    try:
        with central_errors(), station.central()() as central:
            found = central.session.scalar(
                select(ReturnRecord).where(wanted, ReturnRecord.state == OPEN).with_for_update()
            )
            if found is None:
                return None
            record, before = payload_of(found), found.held_by
            found.held_by = station.station_id
            central.audit(
                station.station_id,
                "return.taken_over",
                actor=actor,
                subject=f"order:{found.order_number}",
                detail=f"{found.number} taken over from {before or found.station}",
            )
            central.commit()
    except CentralUnreachable:
        return None
    with station.local() as uow:
        s = uow.session
        ret = s.scalar(select(ReturnRecord).where(ReturnRecord.number == record.number))
        ret = write_copy(s, record, station.station_id, ret)
        ret.warehouse = _station_warehouse(s, station)  # received here: restocked here
        uow.audit(
            station.station_id,
            "return.taken_over",
            actor=actor,
            subject=f"order:{record.order_number}",
            detail=f"{record.number} taken over from {before or record.station}",
        )
        s.flush()
        view = _view(s, ret)
        uow.commit()
        return view


def open_returns(station: StationContext, actor: Actor) -> list[ReturnView]:
    """Returns saved and not confirmed yet, oldest first: the desk offers to finish them."""
    _may_return(actor)
    with station.local(readonly=True) as uow:
        s = uow.session
        rows = s.scalars(
            select(ReturnRecord).where(ReturnRecord.state == OPEN).order_by(ReturnRecord.id)
        ).all()
        return [_view(s, r) for r in rows]


# --- receiving ------------------------------------------------------------------------------


def receive(
    station: StationContext,
    actor: Actor,
    ra_number: str,
    scan: str,
    *,
    serial: str | None = None,
    unexpected: bool = False,
) -> ReturnView:
    """One unit (or a case) of ``scan`` back into the open return, saved at once.

    Refused (``ReturnRefused``, nothing saved): an item not in the order ("not in order N",
    unless ``unexpected``: then kept for quarantine only), more than returnable (with the
    count), a serial-tracked item without its serial, a serial that did not ship in the
    order or came back already. The unit gets the default reason and its disposition."""
    _may_return(actor)
    policy = station.config.returns.policy
    with station.local() as uow:
        s = uow.session
        ret = _open(s, ra_number)
        order = _order(s, ret.order_number)
        hit = _product_of(s, scan.strip())
        if hit is None:
            raise ReturnRefused(
                f"{scan.strip()} is not an item we know. Scan the item's barcode or type its SKU."
            )
        product, units = hit
        decoded = decode(scan.strip())
        serial = (serial or _item_serial(decoded) or "").strip() or None
        reason = policy.default_reason
        if unexpected:
            if any(line.product_id == product.id for line in order.lines):
                raise ReturnRefused(
                    f"{product.sku} is in order {order.number}: scan it as a returned item."
                )
            unit = ReturnUnit(
                line_no=None,
                sku=product.sku,
                units=units,
                serial=serial,
                reason=Reason.WRONG_ITEM.value,
                disposition=Disposition.QUARANTINE.value,
                unexpected=True,
                raw_scan=scan,
            )
        else:
            lines = _returnable(s, order, ret)
            line = check_receive(
                order.number,
                lines,
                product.sku,
                units,
                serial,
                [u.serial for u in _all_units_of(s, order.number) if u.serial],
            )
            disposition = policy.disposition_for(reason)
            unit = ReturnUnit(
                line_no=line.line_no,
                sku=product.sku,
                units=units,
                serial=serial,
                reason=reason.value,
                disposition=disposition.value,
                bin_code=(
                    _original_bin(s, order, line.line_no, _warehouse_of(s, order, ret))
                    if disposition.restocks
                    else None
                ),
                unexpected=False,
                raw_scan=scan,
            )
        ret.units.append(unit)
        _saved(uow, ret)
        pause_at("return-receive", len(ret.units))  # the crash tests kill the process here
        view = _view(s, ret)
        uow.commit()
        return view


def _returnable(s: Session, order: Order, ret: ReturnRecord) -> list[ReturnableLine]:
    views = _lines(s, order, ret)
    serials = _shipped_serials(s, order.number)
    tracked = {line.line_no: line.product.serial_tracked for line in order.lines}
    return [
        ReturnableLine(
            v.line_no,
            v.sku,
            v.name,
            v.shipped,
            v.returned,
            v.receiving,
            tuple(serials.get(v.line_no, ())),
            tracked.get(v.line_no, False),
        )
        for v in views
    ]


def _shipped_serials(s: Session, order_number: str) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    rows = s.execute(
        select(ShipmentItem.line_no, ShipmentItem.serials)
        .join(ShipmentParcel, ShipmentParcel.id == ShipmentItem.parcel_id)
        .join(Shipment, Shipment.id == ShipmentParcel.shipment_id)
        .where(Shipment.order_number == order_number)
    ).all()
    for line_no, serials in rows:
        out.setdefault(line_no, []).extend(serials or [])
    return out


def _all_units_of(s: Session, order_number: str) -> list[ReturnUnit]:
    """Every unit taken back for the order, in any return (open or confirmed)."""
    return list(
        s.scalars(
            select(ReturnUnit)
            .join(ReturnRecord, ReturnRecord.id == ReturnUnit.return_id)
            .where(ReturnRecord.order_number == order_number)
        ).all()
    )


def _original_bin(s: Session, order: Order, line_no: int, warehouse_id: int) -> str | None:
    """The default bin a restocked unit of the line goes into: the first bin (walk order) of
    the receiving warehouse that stocks the product; None: the clerk scans one."""
    line = next(ln for ln in order.lines if ln.line_no == line_no)
    bins = _bins_of(s, order, warehouse_id).get(line.product_id, ())
    return bins[0] if bins else None


# --- reasons, conditions, dispositions ------------------------------------------------------


def set_unit(
    station: StationContext,
    actor: Actor,
    ra_number: str,
    unit_id: int | None = None,
    *,
    reason: Reason | None = None,
    reason_text: str | None = None,
    condition: Condition | None = None,
    disposition: Disposition | None = None,
    bin_code: str | None = None,
) -> ReturnView:
    """Say why a unit came back, its state and where it goes (``unit_id`` None: the last one).

    A new reason proposes its default disposition unless one is given; "other" needs its text;
    an unexpected item is quarantined only; restocking goes to the line's original bin unless
    a bin is scanned (which must exist)."""
    _may_return(actor, "sort returned items")
    policy = station.config.returns.policy
    with station.local() as uow:
        s = uow.session
        ret = _open(s, ra_number)
        unit = _unit(ret, unit_id)
        if reason is not None:
            if reason is Reason.OTHER and not (reason_text or unit.reason_text or "").strip():
                raise ReturnRefused("Say what the other reason is.")
            unit.reason = reason.value
            if disposition is None and not unit.unexpected:
                disposition = policy.disposition_for(reason, condition)
        if reason_text is not None:
            unit.reason_text = reason_text.strip() or None
        if condition is not None:
            unit.condition = condition.value
            if (
                condition is Condition.DAMAGED
                and disposition is None
                and unit.disposition == (Disposition.RESTOCK.value)
            ):
                disposition = Disposition.QUARANTINE
        if disposition is not None:
            _dispose(s, ret, unit, disposition, bin_code)
        elif bin_code is not None:
            _dispose(s, ret, unit, Disposition(unit.disposition or "restock"), bin_code)
        _saved(uow, ret)
        view = _view(s, ret)
        uow.commit()
        return view


def confirm_disposition(
    station: StationContext, actor: Actor, ra_number: str, command: Command | str
) -> ReturnView:
    """The command sheet's one scan (``%PB:RESTOCK``, ``%PB:QUARANTINE``, ``%PB:SCRAP``): the
    last unit's disposition, confirmed."""
    try:
        chosen = DISPOSITION_COMMANDS[Command(command)]
    except (KeyError, ValueError):
        raise DomainError(
            f"{command} is not a disposition: scan RESTOCK, QUARANTINE or SCRAP."
        ) from None
    return set_unit(station, actor, ra_number, None, disposition=chosen)


def _dispose(
    s: Session, ret: ReturnRecord, unit: ReturnUnit, disposition: Disposition, bin_code: str | None
) -> None:
    if unit.unexpected and disposition is not Disposition.QUARANTINE:
        raise ReturnRefused(
            f"{unit.sku} was not in order {ret.order_number}: it can only be quarantined."
        )
    if disposition.restocks:
        order = _order(s, ret.order_number)
        warehouse_id = _warehouse_of(s, order, ret)
        code = (bin_code or "").strip() or unit.bin_code
        if code is None and unit.line_no is not None:
            code = _original_bin(s, order, unit.line_no, warehouse_id)
        if code is None:
            raise ReturnRefused(f"Scan the bin {unit.sku} goes back into.")
        # Bin codes repeat across warehouses: only a bin of the receiving warehouse will do.
        found = select(Bin.id).where(Bin.code == code, Bin.warehouse_id == warehouse_id)
        if s.scalar(found) is None:
            where = code_of(s.connection(), warehouse_id)
            raise ReturnRefused(
                f"There is no bin {code} in warehouse {where}: scan the label of a bin here."
            )
        unit.bin_code = code
    else:
        unit.bin_code = None
    unit.disposition = disposition.value


def _unit(ret: ReturnRecord, unit_id: int | None) -> ReturnUnit:
    if not ret.units:
        raise ReturnRefused(f"Nothing was scanned into {ret.number} yet: scan an item first.")
    if unit_id is None:
        return ret.units[-1]
    for u in ret.units:
        if u.id == unit_id:
            return u
    raise NotFound(f"{ret.number} has no unit {unit_id}.")


def remove_unit(station: StationContext, actor: Actor, ra_number: str, unit_id: int) -> ReturnView:
    """Take a unit scanned by mistake out of the open return."""
    _may_return(actor)
    with station.local() as uow:
        s = uow.session
        ret = _open(s, ra_number)
        ret.units.remove(_unit(ret, unit_id))
        _saved(uow, ret)
        view = _view(s, ret)
        uow.commit()
        return view


# --- the refund and confirming --------------------------------------------------------------


def preview_refund(station: StationContext, actor: Actor, ra_number: str) -> Refund:
    """What confirming would refund and credit; nothing is written."""
    _may_return(actor, "see a return's refund")
    with station.local(readonly=True) as uow:
        s = uow.session
        ret = _open(s, ra_number)
        refund, _ = _refund(s, station.config, ret)
        return refund


def _refund(
    s: Session, config: Config, ret: ReturnRecord
) -> tuple[Refund, list[tuple[str, dict[str, int]]]]:
    """The refund, and per invoice (earliest first) the units per SKU to credit."""
    order = _order(s, ret.order_number)
    # the billing rules' own view of the lines: invoiced counts this station's documents
    # still in the outbox, and none the central store refused
    terms = {t.line_no: t for t in Billing.read(s, order).terms}
    accepted = [
        AcceptedUnits(
            terms[u.line_no], u.units, Reason(u.reason or config.returns.policy.default_reason)
        )
        for u in ret.units
        if u.line_no is not None
    ]
    wanted: dict[int, int] = {}
    for a in accepted:
        wanted[a.line.line_no] = wanted.get(a.line.line_no, 0) + a.units
    invoices = creditable_lines(s, order.number)
    creditable: dict[int, int] = {}
    for _, lines in invoices:
        for il in lines:
            if il.line_no is not None:
                creditable[il.line_no] = creditable.get(il.line_no, 0) + il.creditable
    # Units to credit per line, taken from the earliest invoices first, priced by the
    # invoicing code as the credit notes will be.
    left = {n: credit_units(w, creditable.get(n, 0)) for n, w in wanted.items()}
    plan: list[tuple[str, dict[str, int]]] = []
    price: dict[int, tuple[Decimal, Decimal]] = {}
    for number, lines in invoices:
        picks = []
        per_sku: dict[str, int] = {}
        for il in lines:
            if il.line_no is None or not left.get(il.line_no):
                continue
            take = min(left[il.line_no], il.creditable)
            if take:
                picks.append((il, take))
                left[il.line_no] -= take
                per_sku[il.sku] = per_sku.get(il.sku, 0) + take
        if picks:
            draft = price_credit(order.currency, picks, rounding=config.invoicing.rounding)
            for dl in draft.lines:
                if dl.line_no is not None:
                    net, tax = price.get(dl.line_no, (Decimal(0), Decimal(0)))
                    price[dl.line_no] = (net + dl.net, tax + dl.tax)
            plan.append((number, per_sku))
    refund = price_refund(
        order.currency,
        accepted,
        creditable,
        price,
        config.returns.policy,
        shipping=order.shipping_total or Decimal(0),
        shipping_tax_rate=shipping_rate(terms.values()),
        shipping_refunded_before=_shipping_refunded(s, order.number),
    )
    return refund, plan


def _shipping_refunded(s: Session, order_number: str) -> bool:
    refunds = s.scalars(
        select(ReturnRecord.refund).where(
            ReturnRecord.order_number == order_number, ReturnRecord.state == CONFIRMED
        )
    ).all()
    return any(Decimal(r.get("shipping", "0")) > 0 for r in refunds if r)


def refund_json(refund: Refund) -> dict[str, Any]:
    return {
        "currency": refund.currency,
        "goods": str(refund.goods),
        "shipping": str(refund.shipping),
        "shipping_tax": str(refund.shipping_tax),
        "fees": str(refund.fees),
        "total": str(refund.total),
        "credit": dict(refund.credit),
        "lines": [
            {
                "line": x.line_no,
                "sku": x.sku,
                "units": x.units,
                "invoiced_units": x.invoiced_units,
                "net": str(x.net),
                "tax": str(x.tax),
                "fee": str(x.fee),
            }
            for x in refund.lines
        ],
    }


def confirm(station: StationContext, actor: Actor, ra_number: str) -> Confirmed:
    """Take the return's units back, all in one transaction: stock per disposition, the
    order's status, a credit note per invoice for exactly the invoiced units that came back
    (never more than it billed), and the ``return.record`` with the refund request into the
    outbox for the central store. Nothing is written when anything refuses. The credit notes
    are then queued for the documents printer (the caller wakes the spooler)."""
    _may_return(actor, "confirm returns")
    config = station.config
    with station.local() as uow:
        s = uow.session
        ret = _open(s, ra_number)
        if not ret.units:
            raise ReturnRefused(f"Nothing was scanned into {ret.number}; scan the items first.")
        for u in ret.units:
            if not u.disposition:
                raise ReturnRefused(f"Say where {u.sku} goes (restock, quarantine, scrap).")
            if u.disposition == Disposition.RESTOCK.value and not u.bin_code:
                raise ReturnRefused(f"Scan the bin {u.sku} goes back into.")
        order = _order(s, ret.order_number)
        ret.warehouse = _station_warehouse(s, station)  # received here: restocked here
        refund, plan = _refund(s, config, ret)
        notes = [
            credit_in(uow, config, actor, number, quantities).number for number, quantities in plan
        ]
        now = datetime.now(UTC)
        ret.state = CONFIRMED
        ret.confirmed_at = now
        ret.confirmed_by = actor.name
        ret.credit_notes = notes
        ret.refund = refund_json(refund)
        s.flush()
        record = payload_of(ret)
        target = take_back(s, order, record.units, record.warehouse)
        ret.command_id = uow.command(COMMAND, record.as_json())
        uow.audit(
            config.station_id,
            "return.confirm",
            actor=actor,
            subject=f"order:{order.number}",
            detail=f"{ret.number}: {count(sum(u.units for u in record.units), 'unit')} back, "
            f"refund {refund.total} {refund.currency}"
            + (f"; credit notes {', '.join(notes)}" if notes else "")
            + (f"; order {target.value}" if target else ""),
        )
        s.flush()
        pause_at("return-confirm", 1)  # the crash tests kill the process here
        view = _view(s, ret)
        uow.commit()
    for note in notes:  # printed as the invoicing code prints any (the spooler sends it)
        queue_print(station, actor.name, note)
    return Confirmed(view, refund, tuple(notes), target.value if target else None)


# --- reading --------------------------------------------------------------------------------


def _order(s: Session, number: str) -> Order:
    order = s.scalar(select(Order).where(Order.number == number))
    if order is None:
        raise NotFound(f"There is no order {number} at this station. Check the number or sync.")
    return order


def _return(s: Session, number: str) -> ReturnRecord:
    ret = s.scalar(select(ReturnRecord).where(ReturnRecord.number == number.strip()))
    if ret is None:
        raise NotFound(f"There is no return {number.strip()} at this station.")
    return ret


def _open(s: Session, number: str) -> ReturnRecord:
    ret = _return(s, number)
    if ret.state != OPEN:
        raise ReturnRefused(f"{ret.number} was confirmed already; open a new return.")
    return ret


def _view(s: Session, ret: ReturnRecord) -> ReturnView:
    order = _order(s, ret.order_number)
    return ReturnView(
        ret.number,
        ret.order_number,
        _customer(order),
        ret.state,
        ret.opened_at,
        ret.confirmed_at,
        ret.late_reason,
        ret.late_accepted_by,
        _lines(s, order, ret),
        tuple(
            UnitView(
                u.id,
                u.line_no,
                u.sku,
                u.units,
                u.serial,
                Reason(u.reason) if u.reason else None,
                u.reason_text,
                Condition(u.condition) if u.condition else None,
                Disposition(u.disposition) if u.disposition else None,
                u.bin_code,
                u.unexpected,
            )
            for u in ret.units
        ),
        tuple(ret.credit_notes or ()),
        dict(ret.refund or {}),
    )


# --- the report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    """Units confirmed back in a date range, grouped by reason, product and disposition."""

    reason: str
    sku: str
    disposition: str
    units: int
    returns: int


def report(station: StationContext, actor: Actor, start: date, end: date) -> list[ReportRow]:
    """Returns confirmed from ``start`` to ``end`` (both days included), by reason, product
    and disposition, most units first."""
    _may_return(actor, "see the returns report")
    if end < start:
        raise DomainError(f"The report ends ({end}) before it starts ({start}): swap the dates.")
    lo = datetime.combine(start, time(), UTC)
    hi = datetime.combine(end + timedelta(days=1), time(), UTC)
    with station.local(readonly=True) as uow:
        rows = uow.session.execute(
            select(
                ReturnUnit.reason,
                ReturnUnit.sku,
                ReturnUnit.disposition,
                func.sum(ReturnUnit.units),
                func.count(func.distinct(ReturnUnit.return_id)),
            )
            .join(ReturnRecord, ReturnRecord.id == ReturnUnit.return_id)
            .where(
                ReturnRecord.state == CONFIRMED,
                ReturnRecord.confirmed_at >= lo,
                ReturnRecord.confirmed_at < hi,
            )
            .group_by(ReturnUnit.reason, ReturnUnit.sku, ReturnUnit.disposition)
        ).all()
    out = [ReportRow(r or "", sku, d or "", int(n), int(k)) for r, sku, d, n, k in rows]
    return sorted(out, key=lambda x: (-x.units, x.reason, x.sku, x.disposition))


def record_of(ret: ReturnView) -> list[UnitRecord]:
    """The units of a return view as they travel (for labels and tests)."""
    return [
        UnitRecord(
            u.line_no,
            u.sku,
            u.units,
            u.serial,
            u.reason.value if u.reason else "",
            u.reason_text,
            u.condition.value if u.condition else None,
            u.disposition.value if u.disposition else Disposition.QUARANTINE.value,
            u.bin_code,
            u.unexpected,
        )
        for u in ret.units
    ]


REPORT_COLUMNS = ("reason", "sku", "disposition", "units", "returns")


def report_csv(rows: Sequence[ReportRow]) -> str:
    """The report as CSV (a header, then one row per reason, product and disposition)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    for r in rows:
        writer.writerow((r.reason, r.sku, r.disposition, r.units, r.returns))
    return out.getvalue()


# --- labels ---------------------------------------------------------------------------------


def return_labels(station: StationContext, actor: Actor, ra_number: str) -> list[ReturnLabel]:
    """A label per unit scanned (a case is one): a bin label for what is restocked, a
    quarantine (scrap, vendor) label for the rest."""
    _may_return(actor, "print return labels")
    with station.local(readonly=True) as uow:
        s = uow.session
        ret = _return(s, ra_number)
        names = {line.line_no: line.name for line in _order(s, ret.order_number).lines}
        rows = s.execute(
            select(Product.sku, Product.name).where(Product.sku.in_([u.sku for u in ret.units]))
        ).all()
        products = {str(sku): str(name) for sku, name in rows}
        if not ret.units:
            raise ReturnRefused(f"Nothing was scanned into {ret.number}: no labels to print.")
        return [
            ReturnLabel(
                ret.number,
                ret.order_number,
                u.sku,
                names.get(u.line_no or 0) or products.get(u.sku, u.sku),
                u.units,
                u.disposition or Disposition.QUARANTINE.value,
                Reason(u.reason).label if u.reason else "",
                u.bin_code,
                u.serial,
            )
            for u in ret.units
        ]
