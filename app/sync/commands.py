"""Applying a station's commands to the central store: one handler per command kind.

A handler runs inside the central transaction that also records the command's id (see
app/sync/push.py). It either changes the central rows and returns (applied), or raises
``CommandRejected`` with a reason a supervisor can act on, having changed nothing. The
central store decides on its own current state, never on the station's copy: a station
that was offline may have acted on an order that was voided, held or packed elsewhere
meanwhile, and then its command is rejected, said why, and shown in the Sync workspace.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.fulfilment import ShipmentRecord, write_shipment
from app.db.invoices import CREDIT_NOTE, Billing, invoice_from_record
from app.db.lifecycle import move_order
from app.db.models import (
    AuditEvent,
    Invoice,
    InvoiceLineRow,
    Order,
    PickList,
    PickListLine,
    PickListOrder,
    PickListSplit,
    Product,
    ProductBarcode,
    ReturnRecord,
    Setting,
    Shipment,
    ShortPick,
    User,
)
from app.db.returns import ReturnPayload, take_back, write_copy
from app.db.stock import pick_line, ship_order, short_pick_line
from app.domain.barcodes import BarcodeKind
from app.domain.errors import DomainError, InvalidQuantities
from app.domain.invoicing import ParcelUnits, check_within
from app.domain.status import OrderStatus, check_transition
from app.domain.users import (
    DOING,
    Actor,
    Permission,
    Role,
    change_role_right,
    permissions_of,
    role_rights_from,
    role_rights_stored,
)
from app.sync import outgoing
from app.sync.claims import central_now, claim_held_elsewhere, describe_claim, drop_claim


class CommandRejected(DomainError):
    """The central store refuses the command; the message says why, for a person."""


@dataclass(frozen=True)
class Outcome:
    """The central store's answer to one command."""

    applied: bool
    reason: str | None = None

    @property
    def state(self) -> str:
        return "applied" if self.applied else "rejected"


@dataclass(frozen=True)
class CommandContext:
    """Who sent the command: the pushing station."""

    station: str
    command_id: str


Handler = Callable[[Session, CommandContext, dict[str, Any]], str | None]


def apply_command(
    session: Session, context: CommandContext, kind: str, payload: dict[str, Any]
) -> Outcome:
    """Apply one command in the caller's transaction; rejections change nothing.

    Commit with a unit of work that stamps changes (``clock.stamp_changes``) right after.
    """
    handler = HANDLERS.get(kind)
    if handler is None:
        return Outcome(
            False,
            f"This version of Packbench cannot apply {kind!r} commands to the central store. "
            "Update it on this station; the change stays recorded here.",
        )
    # A savepoint, so a rejection half-way leaves nothing behind. On success it is released
    # at once (clock.track_changes remembers the rows it flushed): savepoints left open
    # would all be released at the commit, while the change number's lock is held.
    savepoint = session.begin_nested()
    try:
        with session.no_autoflush:
            note = handler(session, context, payload)
    except DomainError as refusal:
        savepoint.rollback()
        return Outcome(False, refusal.message)
    savepoint.commit()
    return Outcome(True, note)


# --- order.status ------------------------------------------------------------------------

# Moves at the packing bench: only the station holding the order's claim may make them.
PACKING_TARGETS = frozenset(
    {OrderStatus.PACKING, OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED}
)
# After these the order is no longer at a bench: its claim ends.
CLAIM_ENDS = frozenset(
    {
        OrderStatus.PARTIALLY_SHIPPED,
        OrderStatus.SHIPPED,
        OrderStatus.VOID,
        OrderStatus.ON_HOLD,
    }
)


def _order_status(session: Session, context: CommandContext, payload: dict[str, Any]) -> str | None:
    try:
        number = str(payload["number"])
        seen, target = OrderStatus(payload["from"]), OrderStatus(payload["to"])
        reason = payload.get("reason")
        version = int(payload.get("version") or 0)
    except (KeyError, ValueError, TypeError) as error:
        raise CommandRejected(
            f"The command is malformed ({error!r}); nothing was changed."
        ) from error
    order = session.scalar(select(Order).where(Order.number == number).with_for_update())
    if order is None:
        raise CommandRejected(f"There is no order {number} in the central store.")
    change = f"{seen.label.lower()} → {target.label.lower()}"
    current = order.status
    if current is OrderStatus.VOID and target is OrderStatus.VOID:
        return "already void in the central store"
    if current is OrderStatus.VOID:
        who, when = _last_change(session, number, OrderStatus.VOID)
        said = f": '{order.void_reason}'" if order.void_reason else ""
        raise CommandRejected(
            f"Order {number} was voided centrally{who}{when}{said}. "
            f"This station's change ({change}) was not applied."
        )
    if target in PACKING_TARGETS:
        other = claim_held_elsewhere(session, order.id, context.station, central_now(session))
        if other is not None:
            raise CommandRejected(
                f"{describe_claim(number, other)}; this station's change ({change}) was not "
                "applied."
            )
    if current is target:  # another window or station got there first: nothing to do
        return f"already {target.label.lower()} in the central store"
    if current is not seen:
        who, when = _last_change(session, number, current)
        raise CommandRejected(
            f"Order {number} is {current.label.lower()} in the central store (changed{who}"
            f"{when}), not {seen.label.lower()} as this station saw it; this station's change "
            f"({change}) was not applied."
        )
    note = None
    if version and order.version != version:  # same status, other fields changed meanwhile
        note = (
            f"applied to a newer central copy of order {number} (version {order.version}; "
            f"this station had {version})"
        )
    move_order(session, order, target, reason)  # ForbiddenTransition is a rejection too
    if target is OrderStatus.VOID:
        outgoing.void_news(session, order, reason)
    elif target is OrderStatus.FULFILLED:  # completed by hand: the store completes it too
        outgoing.completion_news(session, order, reason)
    if target in CLAIM_ENDS:
        drop_claim(session, order.id)
    session.add(
        AuditEvent(
            station=context.station,
            action="order.status",
            subject=f"order:{number}",
            detail=f"{seen.value} -> {order.status.value}" + (f": {reason}" if reason else ""),
        )
    )
    return note


def _last_change(session: Session, number: str, status: OrderStatus) -> tuple[str, str]:
    """(" by ST-01", " at 10:42") from the central audit trail, or blanks if it says nothing."""
    event = session.scalar(
        select(AuditEvent)
        .where(
            AuditEvent.subject == f"order:{number}",
            AuditEvent.action == "order.status",
            AuditEvent.detail.like(f"% -> {status.value}%"),
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(1)
    )
    if event is None:
        return "", ""
    return f" by {event.station}", f" at {_clock(event.at)}"


def _clock(moment: datetime) -> str:
    local = moment.astimezone()
    if local.date() == datetime.now(local.tzinfo).date():
        return f"{local:%H:%M}"
    return f"{local:%H:%M} on {local:%d %b}"


# --- shipment.record -----------------------------------------------------------------------


def _shipment_record(
    session: Session, context: CommandContext, payload: dict[str, Any]
) -> str | None:
    """A station shipped (part of) an order: the same rows change here, or nothing does."""
    try:
        record = ShipmentRecord.from_json(payload)
    except (KeyError, ValueError, TypeError) as error:
        raise CommandRejected(
            f"The shipment command is malformed ({error!r}); nothing was changed."
        ) from error
    number = record.order_number
    if session.scalar(select(Shipment.id).where(Shipment.number == record.number)) is not None:
        return f"shipment {record.number} was already recorded"
    order = session.scalar(select(Order).where(Order.number == number).with_for_update())
    if order is None:
        raise CommandRejected(f"There is no order {number} in the central store.")
    what = f"shipment {record.number} ({sum(record.quantities().values())} units)"
    if order.status is OrderStatus.VOID:
        who, when = _last_change(session, number, OrderStatus.VOID)
        said = f": '{order.void_reason}'" if order.void_reason else ""
        raise CommandRejected(
            f"Order {number} was voided centrally{who}{when}{said}; {what} from this station "
            "was not recorded. Take the parcels back off the dock."
        )
    other = claim_held_elsewhere(session, order.id, context.station, central_now(session))
    if other is not None:
        raise CommandRejected(f"{describe_claim(number, other)}; {what} was not recorded.")
    current = order.status
    if current not in SHIPPABLE:
        raise CommandRejected(
            f"Order {number} is {current.label.lower()} in the central store; {what} from "
            "this station was not recorded."
        )
    ship_order(session, order.id, number, record.quantities())  # InvalidQuantities rejects
    done = all(line.quantity_shipped >= line.quantity_ordered for line in order.lines)
    target = OrderStatus.SHIPPED if done else OrderStatus.PARTIALLY_SHIPPED
    if current in (OrderStatus.ALLOCATED, OrderStatus.PICKED):
        current = OrderStatus.PACKING  # packed offline: the packing step is implied
    if current is not target:
        check_transition(number, current, target)
    before = order.status
    order.status = target
    write_shipment(session, record)
    outgoing.shipment_news(session, order, record)  # the channel hears it (same transaction)
    drop_claim(session, order.id)
    session.add(
        AuditEvent(
            station=context.station,
            user_name=record.user_name,
            action="shipment.record",
            subject=f"order:{number}",
            detail=f"{record.number}: {before.value} -> {target.value}"
            + (f"; partial: {record.partial_reason}" if record.partial else ""),
        )
    )
    return None


SHIPPABLE = frozenset(
    {
        OrderStatus.ALLOCATED,
        OrderStatus.PICKED,
        OrderStatus.PACKING,
        OrderStatus.PARTIALLY_SHIPPED,
    }
)


# --- invoice.record ------------------------------------------------------------------------


def _invoice_record(
    session: Session, context: CommandContext, payload: dict[str, Any]
) -> str | None:
    """A station issued an invoice or credit note: kept here unless it bills twice.

    The central store decides on its own counts (every station's invoices and the
    shipments it holds): an invoice that would bill more than was shipped and not billed
    yet (two stations billing the same shipment) is refused, and the station shows it.
    """
    try:
        invoice = invoice_from_record(payload)
    except (KeyError, ValueError, TypeError) as error:
        raise CommandRejected(
            f"The invoice command is malformed ({error!r}); nothing was changed."
        ) from error
    what = "Credit note" if invoice.kind == CREDIT_NOTE else "Invoice"
    kept = session.scalar(select(Invoice).where(Invoice.number == invoice.number))
    if kept is not None:
        if kept.station == invoice.station and kept.order_number == invoice.order_number:
            return f"{what.lower()} {invoice.number} was already recorded"
        raise CommandRejected(
            f"{what} number {invoice.number} is taken in the central store by station "
            f"{kept.station}; give each station its own [invoicing] prefix."
        )
    number = invoice.order_number
    order = session.scalar(select(Order).where(Order.number == number).with_for_update())
    if order is None:
        raise CommandRejected(f"There is no order {number} in the central store.")
    units: dict[int, int] = {}
    for line in invoice.lines:
        if line.line_no is not None:
            units[line.line_no] = units.get(line.line_no, 0) + line.quantity
    if invoice.kind == CREDIT_NOTE:
        _check_credit(session, invoice)
        sign = -1
    else:
        _check_invoice(session, order, invoice)
        sign = 1
    lines = {line.line_no: line for line in order.lines}
    for line_no, quantity in units.items():
        lines[line_no].quantity_invoiced += sign * quantity
    session.add(invoice)
    session.add(
        AuditEvent(
            station=context.station,
            user_name=invoice.user_name,
            action=f"{invoice.kind}.record",
            subject=f"order:{number}",
            detail=f"{invoice.number}: {invoice.gross} {invoice.currency}"
            + (f"; corrects {invoice.corrects}" if invoice.corrects else ""),
        )
    )
    return None


def _check_invoice(session: Session, order: Order, invoice: Invoice) -> None:
    billing = Billing.read(session, order, central=True)  # no outbox there
    picks = [
        ParcelUnits(line.shipment_number or "", line.sscc or "", line.line_no, line.quantity)
        for line in invoice.lines
        if line.line_no is not None
    ]
    problem = check_within(billing.view, picks)
    if problem is not None:
        raise CommandRejected(
            f"Invoice {invoice.number} would bill more than was shipped: {problem}. Another "
            f"station may have invoiced the same shipment; nothing was billed. Credit "
            f"{invoice.number} at {invoice.station}, and check order {order.number}'s "
            "invoices."
        )
    if billing.shipping_billed and any(line.line_no is None for line in invoice.lines):
        raise CommandRejected(
            f"Invoice {invoice.number} charges order {order.number}'s shipping, which another "
            f"invoice charged already; nothing was billed. Credit {invoice.number} at "
            f"{invoice.station}."
        )


def _check_credit(session: Session, credit: Invoice) -> None:
    corrected = session.scalar(select(Invoice).where(Invoice.number == credit.corrects))
    if corrected is None:
        raise CommandRejected(
            f"Credit note {credit.number} corrects invoice {credit.corrects}, which the central "
            "store does not hold (it was refused, or has not arrived)."
        )
    credited: dict[int, int] = {}
    earlier = session.scalars(
        select(InvoiceLineRow)
        .join(Invoice, Invoice.id == InvoiceLineRow.invoice_id)
        .where(Invoice.corrects == corrected.number)
    )
    for line in [*earlier, *credit.lines]:
        if line.credits is not None:
            credited[line.credits] = credited.get(line.credits, 0) + line.quantity
    for line in corrected.lines:
        if credited.get(line.position, 0) > line.quantity:
            raise CommandRejected(
                f"Credit note {credit.number} would credit more {line.sku} than invoice "
                f"{corrected.number} billed ({line.quantity}, credited before included)."
            )


# --- return.record -------------------------------------------------------------------------


def _return_payload(payload: dict[str, Any]) -> ReturnPayload:
    try:
        return ReturnPayload.from_json(payload)
    except (KeyError, ValueError, TypeError) as error:
        raise CommandRejected(
            f"The return command is malformed ({error!r}); nothing was changed."
        ) from error


def _central_return(session: Session, number: str, station: str) -> ReturnRecord | None:
    """The central copy of return ``number``; refused when another station took it over."""
    ret = session.scalar(
        select(ReturnRecord).where(ReturnRecord.number == number).with_for_update()
    )
    if ret is not None and ret.state == "open" and ret.held_by not in (None, station):
        raise CommandRejected(
            f"Return {number} was taken over by station {ret.held_by}, which finishes it; "
            "this station's change to it was not applied."
        )
    return ret


def _return_saved(session: Session, context: CommandContext, payload: dict[str, Any]) -> str | None:
    """A station saved an open return: the central copy follows it, so that another station
    can take it over and finish it (``app.services.returns``)."""
    record = _return_payload(payload)
    ret = _central_return(session, record.number, context.station)
    if ret is not None and ret.state == "confirmed":
        if ret.held_by not in (None, context.station):
            raise CommandRejected(
                f"Return {record.number} was taken over and confirmed by station "
                f"{ret.held_by}; this station's change to it was not applied."
            )
        return f"return {record.number} was confirmed already"
    write_copy(session, record, context.station, ret)
    return None


def _return_record(
    session: Session, context: CommandContext, payload: dict[str, Any]
) -> str | None:
    """A station confirmed a return: the same stock and status change here (``take_back``),
    and the central copy of the return with its refund request, or nothing at all."""
    record = _return_payload(payload)
    number = record.order_number
    ret = _central_return(session, record.number, context.station)
    if ret is not None and ret.state == "confirmed":
        return f"return {record.number} was already recorded"
    order = session.scalar(select(Order).where(Order.number == number).with_for_update())
    if order is None:
        raise CommandRejected(f"There is no order {number} in the central store.")
    if order.status is OrderStatus.VOID:
        raise CommandRejected(
            f"Order {number} was voided centrally; return {record.number} was not recorded."
        )
    before = order.status
    # Restocked into the receiving station's warehouse (InvalidQuantities rejects).
    target = take_back(session, order, record.units, record.warehouse)
    write_copy(session, record, context.station, ret)
    outgoing.refund_news(session, order, record)  # the channel hears it (same transaction)
    units = sum(u.units for u in record.units)
    session.add(
        AuditEvent(
            station=context.station,
            user_name=record.confirmed_by,
            action="return.record",
            subject=f"order:{number}",
            detail=f"{record.number}: {units} units back, refund "
            f"{record.refund.get('total', '0')} {record.refund.get('currency', '')}"
            + (f"; {before.value} -> {target.value}" if target else "")
            + (f"; accepted late: {record.late_reason}" if record.late_reason else ""),
        )
    )
    return None


# --- picking -----------------------------------------------------------------------------------

_ACTIVE_LISTS = ("open", "picking", "paused")


def _picklist_record(
    session: Session, context: CommandContext, payload: dict[str, Any]
) -> str | None:
    """A station built a pick list: the central store keeps a copy, unless one of its orders
    is on another station's list that is not finished (the first list wins, and the station
    is told whose list has the order, like a pack claim)."""
    try:
        number = str(payload["number"])
        orders = [(str(n), int(slot)) for n, slot in payload["orders"]]
        lines = payload["lines"]
    except (KeyError, ValueError, TypeError) as error:
        raise CommandRejected(f"The pick list command is malformed ({error!r}).") from error
    if session.scalar(select(PickList.id).where(PickList.number == number)) is not None:
        return f"pick list {number} was recorded already"
    for order_number, _ in orders:
        order = session.scalar(select(Order).where(Order.number == order_number).with_for_update())
        if order is None:
            raise CommandRejected(f"There is no order {order_number} in the central store.")
        if order.status in (OrderStatus.VOID, OrderStatus.ON_HOLD):
            raise CommandRejected(
                f"Order {order_number} is {order.status.label.lower()} in the central store; "
                f"pick list {number} was not recorded. Do not pick it."
            )
        other = session.execute(
            select(PickList.number, PickList.station, PickList.created_by)
            .join(PickListOrder, PickListOrder.pick_list_id == PickList.id)
            .where(
                PickListOrder.order_number == order_number,
                PickList.state.in_(_ACTIVE_LISTS),
                PickList.station != context.station,
            )
        ).first()
        if other is not None:
            by = f" by {other.created_by}" if other.created_by else ""
            raise CommandRejected(
                f"Order {order_number} is on pick list {other.number}, built at {other.station}"
                f"{by} first; pick list {number} was not recorded. Do not pick it here."
            )
    copy = PickList(
        number=number,
        station=str(payload.get("station") or context.station),
        warehouse=payload.get("warehouse"),
        kind=str(payload.get("kind") or "single"),
        grouping=payload.get("grouping"),
        zone=payload.get("zone"),
        state="open",
        created_by=payload.get("created_by"),
        command_id=context.command_id,
    )
    copy.orders = [PickListOrder(order_number=n, slot=slot) for n, slot in orders]
    for position, row in enumerate(lines, start=1):
        bin_code, zone, walk, sku, name, barcode, *splits = row
        line = PickListLine(
            position=position,
            bin_code=bin_code,
            zone=zone,
            walk_sequence=int(walk),
            sku=sku,
            name=name,
            barcode=barcode,
            quantity=sum(int(sp[3]) for sp in splits),
        )
        line.splits = [
            PickListSplit(order_number=n, line_no=int(ln), slot=int(slot), quantity=int(q))
            for n, ln, slot, q in splits
        ]
        copy.lines.append(line)
    session.add(copy)
    return None


def _picklist_state(
    session: Session, context: CommandContext, payload: dict[str, Any]
) -> str | None:
    """A station started, paused or finished a list: its central copy follows."""
    number, state = str(payload.get("number")), str(payload.get("state"))
    copy = session.scalar(select(PickList).where(PickList.number == number).with_for_update())
    if copy is None:
        return f"no central copy of pick list {number}"
    copy.state, copy.picker = state, payload.get("picker") or copy.picker
    copy.at_line = payload.get("at_line")
    copy.picking_at = payload.get("picking_at")
    copy.in_hand = int(payload.get("in_hand") or 0)
    return None


def _copy_counts(
    session: Session, payload: dict[str, Any], *, picked: int = 0, short: int = 0
) -> None:
    """The central copy of the list counts the units too, so another station resumes it."""
    copy = session.scalar(
        select(PickList).where(PickList.number == str(payload.get("list"))).with_for_update()
    )
    position = payload.get("position")
    if copy is None or position is None:
        return
    line = next((ln for ln in copy.lines if ln.position == int(position)), None)
    if line is None:
        return
    line.picked += picked
    line.short += short
    for sp in line.splits:
        if sp.order_number == str(payload["number"]) and sp.line_no == int(payload["line_no"]):
            sp.picked += picked
            sp.short += short
            break
    tote = payload.get("tote")
    if tote:
        for o in copy.orders:
            if o.order_number == str(payload["number"]):
                o.tote = str(tote)


def _picked(session: Session, payload: dict[str, Any]) -> Order:
    number = str(payload.get("number"))
    order = session.scalar(select(Order).where(Order.number == number).with_for_update())
    if order is None:
        raise CommandRejected(f"There is no order {number} in the central store.")
    if order.status is OrderStatus.VOID:
        raise CommandRejected(f"Order {number} was voided centrally; the pick was not recorded.")
    return order


def _pick_record(session: Session, context: CommandContext, payload: dict[str, Any]) -> str | None:
    """Units a station picked: the same stock step here (``pick_line``)."""
    order = _picked(session, payload)
    try:
        pick_line(session, order.id, int(payload["line_no"]), int(payload["units"]))
    except InvalidQuantities as error:
        raise CommandRejected(f"Pick on {payload.get('list')}: {error.message}") from error
    _copy_counts(session, payload, picked=int(payload["units"]))
    return None


def _pick_short(session: Session, context: CommandContext, payload: dict[str, Any]) -> str | None:
    """Units a station's picker did not find: written off here too (``short_pick_line``)."""
    order = _picked(session, payload)
    try:
        short_pick_line(
            session,
            order.id,
            int(payload["line_no"]),
            str(payload["bin"]),
            int(payload["missing"]),
            str(payload.get("reason") or "") or None,
        )
    except InvalidQuantities as error:
        raise CommandRejected(f"Short pick on {payload.get('list')}: {error.message}") from error
    _copy_counts(session, payload, short=int(payload["missing"]))
    # The record the floor's short-pick report reads, every station's in one place.
    session.add(
        ShortPick(
            pick_list_number=str(payload.get("list")),
            order_number=order.number,
            line_no=int(payload["line_no"]),
            sku=str(payload.get("sku") or _sku_of(order, int(payload["line_no"]))),
            bin_code=str(payload["bin"]),
            missing=int(payload["missing"]),
            reason=str(payload.get("reason") or ""),
            user_name=payload.get("user"),
        )
    )
    session.add(
        AuditEvent(
            station=context.station,
            user_name=payload.get("user"),
            action="pick.short",
            subject=f"order:{order.number}",
            detail=f"{payload.get('list')}: {payload.get('missing')} short in "
            f"{payload.get('bin')} ({payload.get('reason')})",
        )
    )
    return None


def _sku_of(order: Order, line_no: int) -> str:
    """The product of an order line (a pick.short sent before its payload named it)."""
    return next((line.sku for line in order.lines if line.line_no == line_no), "?")


def _product_barcode(
    session: Session, context: CommandContext, payload: dict[str, Any]
) -> str | None:
    """A station gave a product with no barcode its internal GTIN: the central store keeps
    it (the product is stamped, so every station pulls it)."""
    sku, code = str(payload.get("sku")), str(payload.get("code"))
    product = session.scalar(select(Product).where(Product.sku == sku).with_for_update())
    if product is None:
        raise CommandRejected(f"There is no product {sku} in the central store.")
    holder = session.scalar(select(ProductBarcode).where(ProductBarcode.code == code))
    if holder is not None:
        if holder.product_id == product.id:
            return f"{sku} has {code} already"
        raise CommandRejected(f"Barcode {code} belongs to another product centrally.")
    product.barcodes.append(ProductBarcode(code=code, kind=BarcodeKind.GTIN, units=1))
    product.updated_at = datetime.now(UTC)
    return None


# --- user.change -------------------------------------------------------------------------------

_ROLE_RIGHTS = "role_rights"  # the central setting every station pulls (app.services.auth)


def _central_rights(session: Session) -> Any:
    row = session.get(Setting, _ROLE_RIGHTS)
    return role_rights_from(json.loads(row.value) if row is not None else None)


def _user_rights(session: Session, user: User) -> frozenset[Permission]:
    known = {p.value for p in Permission}
    grants = frozenset(Permission(g) for g in user.grants if g in known)
    return permissions_of(user.role, grants, _central_rights(session))


def _central_actor(session: Session, context: CommandContext, name: str) -> Actor:
    """Who made the change, with the rights the central store knows them by (a right
    withdrawn elsewhere, or a deactivation, counts here before the station heard of it)."""
    user = session.scalar(select(User).where(User.name == name))
    if user is None or not user.active:
        state = "not a user" if user is None else "no longer active"
        raise CommandRejected(
            f"{name} is {state} in the central store, so their change to users was not "
            "applied. Ask a supervisor to make it again."
        )
    return Actor(user.id, user.name, user.role, _user_rights(session, user), context.station)


def _user_change(session: Session, context: CommandContext, payload: dict[str, Any]) -> str | None:
    """A user or a role's rights changed at a station: the same checks here, on the central
    store's copy (users are shared by every warehouse), then the change; the last one in
    the central store's order wins, and the central audit trail keeps each of them."""
    try:
        op, name, by_name = str(payload["op"]), str(payload["name"]), str(payload["by"])
    except (KeyError, TypeError) as error:
        raise CommandRejected(f"The user command is malformed ({error!r}).") from error
    by = _central_actor(session, context, by_name)
    try:
        if op == "role_right":
            detail = _role_right(session, by, payload)
            subject = f"role:{payload['role']}"
        else:
            detail = _user_op(session, by, op, name, payload)
            subject = f"user:{name}"
    except (KeyError, ValueError, TypeError) as error:
        raise CommandRejected(f"The user command is malformed ({error!r}).") from error
    session.add(
        AuditEvent(
            station=context.station,
            user_id=by.user_id,
            user_name=by.name,
            action=f"user.change.{op}",
            subject=subject,
            detail=detail,
        )
    )
    return None


def _user_op(session: Session, by: Actor, op: str, name: str, payload: dict[str, Any]) -> str:
    user = session.scalar(select(User).where(User.name == name).with_for_update())
    if op == "add":
        role = Role(payload["role"])
        grants = frozenset(Permission(g) for g in payload.get("grants") or [])
        by.require(Permission.MANAGE_USERS, "add users")
        by.require_over(name, role, permissions_of(role, grants, _central_rights(session)), "add")
        if user is not None:
            if user.pin_hash == payload["pin_hash"]:
                return f"{name} as {role.value} (there already)"
            raise CommandRejected(
                f"There is already a user called {name!r} in the central store (added at "
                "another station); this station's copy gives way to it at the next sync. "
                "Add the new person under another name."
            )
        badge = payload.get("badge_hash")
        if badge and session.scalar(select(User.id).where(User.badge_hash == badge)):
            raise CommandRejected(
                f"{name}'s badge belongs to another user in the central store; {name} was "
                "not added. Register another badge."
            )
        session.add(
            User(
                name=name,
                role=role,
                pin_hash=str(payload["pin_hash"]),
                badge_hash=badge,
                grants=sorted(g.value for g in grants),
            )
        )
        session.flush()
        return f"{name} as {role.value}"
    if user is None:
        raise CommandRejected(
            f"There is no user {name!r} in the central store (their addition was refused "
            "or has not arrived); the change to them was not applied."
        )
    rights = _user_rights(session, user)
    if op == "role":
        role = Role(payload["role"])
        by.require(Permission.MANAGE_USERS, "change a user's role")
        by.require_over(user.name, user.role, rights, "change the role of")
        grants = frozenset(Permission(g) for g in user.grants if g in {p.value for p in Permission})
        by.require_over(user.name, role, permissions_of(role, grants, _central_rights(session)),
                        "make")  # fmt: skip
        before, user.role = user.role, role
        return f"{before.value} -> {role.value}"
    if op == "active":
        active = bool(payload["active"])
        by.require(Permission.MANAGE_USERS, "reactivate users" if active else "deactivate users")
        by.require_over(user.name, user.role, rights, "reactivate" if active else "deactivate")
        was, user.active = user.active, active
        return f"active {was} -> {active}"
    if op in ("grant", "revoke"):
        permission = Permission(payload["permission"])
        verb = "grant" if op == "grant" else "withdraw"
        by.require(Permission.GRANT_RIGHTS)
        by.require(permission, f"{verb} the right to {DOING[permission]}")
        by.require_over(user.name, user.role, rights, f"{verb} rights of")
        grants_now = set(user.grants)
        if op == "grant":
            grants_now.add(permission.value)
        else:
            grants_now.discard(permission.value)
        user.grants = sorted(grants_now)
        return permission.value
    if op == "pin":
        by.require(Permission.RESET_PINS, "set a new PIN for a user")
        by.require_over(user.name, user.role, rights, "set a new PIN for")
        user.pin_hash = str(payload["pin_hash"])  # the hash only: no PIN ever travels
        return "new PIN"
    if op == "badge":
        by.require(Permission.MANAGE_USERS, "register badges")
        by.require_over(user.name, user.role, rights, "register a badge for")
        badge = payload.get("badge_hash")
        if badge:
            owner = session.scalar(select(User.id).where(User.badge_hash == badge))
            if owner is not None and owner != user.id:
                raise CommandRejected(
                    f"That badge belongs to another user in the central store; {user.name}'s "
                    "badge was not registered."
                )
        user.badge_hash = badge
        return "badge registered" if badge else "badge removed"
    raise CommandRejected(f"This version of Packbench does not know the user change {op!r}.")


def _role_right(session: Session, by: Actor, payload: dict[str, Any]) -> str:
    role, permission = Role(payload["role"]), Permission(payload["permission"])
    granted = bool(payload["granted"])
    changed = change_role_right(by, _central_rights(session), role, permission, granted=granted)
    value = json.dumps(role_rights_stored(changed), sort_keys=True)
    row = session.get(Setting, _ROLE_RIGHTS, with_for_update=True)
    if row is None:
        session.add(Setting(key=_ROLE_RIGHTS, value=value))
    else:
        row.value = value
    return f"{'granted' if granted else 'withdrew'} {permission.value}"


HANDLERS: dict[str, Handler] = {
    "user.change": _user_change,
    "product.barcode": _product_barcode,
    "picklist.record": _picklist_record,
    "picklist.state": _picklist_state,
    "pick.record": _pick_record,
    "pick.short": _pick_short,
    "order.status": _order_status,
    "shipment.record": _shipment_record,
    "invoice.record": _invoice_record,
    "return.saved": _return_saved,
    "return.record": _return_record,
}
