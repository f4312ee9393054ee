"""Reading orders for the screens, and moving an order through its lifecycle."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.context import StationContext
from app.db.lifecycle import move_order, record_move
from app.db.models import Address, Customer, Order, OrderLine
from app.db.session import UnitOfWorkFactory
from app.domain.errors import DomainError, NotFound
from app.domain.money import goods_total
from app.domain.status import VOIDABLE_STATUSES, OrderStatus, check_transition
from app.domain.users import Actor, Permission
from app.sync.pull import watermark_of

if TYPE_CHECKING:
    from app.services.importing import ImportSummary


@dataclass(frozen=True)
class OrderRow:
    """One row of the orders table: plain values, cheap to hold 100,000 of."""

    id: int
    number: str
    channel: str
    status: OrderStatus
    priority: int
    customer: str
    country: str
    city: str
    lines: int
    units: int
    total: Decimal
    currency: str
    carrier: str
    placed_at: datetime
    hold_reasons: tuple[str, ...]
    fulfilled_elsewhere: str | None = None  # "completed in WooCommerce": shipped by the channel
    warehouse: str = ""  # the code of the warehouse that ships it (the Orders table)

    @property
    def status_label(self) -> str:
        """The status as the table shows it: "Fulfilled elsewhere" for the channel's own."""
        return "Fulfilled elsewhere" if self.fulfilled_elsewhere else self.status.label


def list_orders(uows: UnitOfWorkFactory, *, changed_since: int | None = None) -> list[OrderRow]:
    """Every order with its headline figures, newest first (one query, no ORM entities).

    With ``changed_since`` (a sync watermark, see ``synced_up_to``), only the orders sync
    brought or changed after it.
    """
    changed = None
    if changed_since is not None:
        changed = select(Order.id).where(Order.change_seq > changed_since)
    line_query = select(
        OrderLine.order_id,
        func.count().label("lines"),
        func.sum(OrderLine.quantity_ordered).label("units"),
    )
    if changed is not None:
        line_query = line_query.where(OrderLine.order_id.in_(changed))
    line_totals = line_query.group_by(OrderLine.order_id).subquery()
    query = (
        select(
            Order.id,
            Order.number,
            Order.channel,
            Order.status,
            Order.priority,
            Customer.name,
            Address.country,
            Address.city,
            line_totals.c.lines,
            line_totals.c.units,
            Order.currency,
            Order.carrier,
            Order.placed_at,
            Order.hold_reasons,
            Order.fulfilled_elsewhere,
        )
        .outerjoin(Customer, Customer.id == Order.customer_id)
        .outerjoin(Address, Address.id == Order.ship_to_id)
        .outerjoin(line_totals, line_totals.c.order_id == Order.id)
        .order_by(Order.placed_at.desc(), Order.id.desc())
    )
    if changed_since is not None:
        query = query.where(Order.change_seq > changed_since)
    with uows(readonly=True) as uow:
        totals = _order_totals(uow.session, changed)
        return [
            OrderRow(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5] or "",
                r[6] or "",
                r[7] or "",
                r[8] or 0,
                r[9] or 0,
                totals.get(r[0], Decimal(0)),
                r[10],
                r[11] or "",
                r[12],
                tuple(r[13] or ()),
                r[14],
            )
            for r in uow.session.execute(query)
        ]


def _order_totals(session: Session, of: Select[Any] | None = None) -> dict[int, Decimal]:
    """Each order's goods, gross, as ``app.domain.money.goods_total`` adds them (money is
    exact text on SQLite, so it is added here, not in SQL)."""
    query = select(
        OrderLine.order_id,
        Order.currency,
        OrderLine.quantity_ordered,
        OrderLine.unit_price,
        OrderLine.tax_rate,
    ).join(Order, Order.id == OrderLine.order_id)
    if of is not None:
        query = query.where(OrderLine.order_id.in_(of))
    lines: dict[int, tuple[str, list[tuple[int, Decimal, Decimal]]]] = {}
    for order_id, currency, qty, price, tax in session.execute(query):
        lines.setdefault(order_id, (currency, []))[1].append((qty, price, tax))
    return {
        order_id: goods_total(its_lines, currency)
        for order_id, (currency, its_lines) in lines.items()
    }


def synced_up_to(uows: UnitOfWorkFactory) -> int:
    """The station's sync watermark: read it before the orders, and pass it as
    ``changed_since`` next time to get only what sync changed in between."""
    with uows(readonly=True) as uow:
        return watermark_of(uow.session)


def count_orders(uows: UnitOfWorkFactory) -> int:
    with uows(readonly=True) as uow:
        return uow.session.scalar(select(func.count()).select_from(Order)) or 0


def status_counts(uows: UnitOfWorkFactory) -> Counter[OrderStatus]:
    with uows(readonly=True) as uow:
        rows = uow.session.execute(select(Order.status, func.count()).group_by(Order.status))
        return Counter({row[0]: row[1] for row in rows})


_PERMISSION_FOR = {
    OrderStatus.VOID: (Permission.VOID_ORDERS, "void orders"),
    OrderStatus.ON_HOLD: (Permission.RELEASE_HOLDS, "put orders on hold"),
    OrderStatus.FINALIZED: (Permission.RELEASE_HOLDS, "release or finalize orders"),
}


def change_status(
    uows: UnitOfWorkFactory,
    actor: Actor,
    number: str,
    target: OrderStatus,
    reason: str | None = None,
) -> OrderStatus:
    """Move an order to ``target`` if the lifecycle and the user's role allow it; returns the
    status it ends in (a released hold is ``allocated`` when stock was there for it)."""
    needed, doing = _PERMISSION_FOR.get(target, (Permission.EDIT_ORDERS, "change order status"))
    actor.require(needed, doing)
    if target in (OrderStatus.VOID, OrderStatus.ON_HOLD) and not (reason and reason.strip()):
        raise DomainError(
            f"Say why the order is {'voided' if target is OrderStatus.VOID else 'held'}: "
            "the reason is kept with the order and shown to whoever opens it."
        )
    with uows() as uow:
        order = uow.session.scalar(select(Order).where(Order.number == number))
        if order is None:
            raise NotFound(f"There is no order {number}. Check the number on the slip.")
        before = order.status
        record_move(uow, order, target, reason)
        uow.audit(
            actor.station,
            "order.status",
            actor=actor,
            subject=f"order:{number}",
            detail=f"{before.value} -> {order.status.value}" + (f": {reason}" if reason else ""),
        )
        uow.commit()
        return order.status


def get_order_status(uows: UnitOfWorkFactory, number: str) -> OrderStatus:
    with uows(readonly=True) as uow:
        status = uow.session.scalar(select(Order.status).where(Order.number == number))
        if status is None:
            raise NotFound(f"There is no order {number}.")
        return status


@dataclass(frozen=True)
class HoldReleased:
    """The answer to a supervisor's release: where the order stands now."""

    number: str
    status: OrderStatus
    allocated: int  # units allocated now
    short: int  # units still waiting for stock


def release_hold(station: StationContext, actor: Actor, number: str) -> HoldReleased:
    """A supervisor releases a held order in the central store: it is finalized and stock is
    allocated to it (``app.db.lifecycle.move_order``, as a station's release is applied)."""
    actor.require(Permission.RELEASE_HOLDS, "release held orders")
    with station.central()() as uow:
        order = uow.session.scalar(select(Order).where(Order.number == number).with_for_update())
        if order is None:
            raise NotFound(f"There is no order {number}. Check the number on the slip.")
        before, reasons = order.status, list(order.hold_reasons or [])
        allocated = move_order(uow.session, order, OrderStatus.FINALIZED)
        assert allocated is not None
        uow.audit(
            station.station_id,
            "order.hold_released",
            actor=actor,
            subject=f"order:{number}",
            detail=f"{before.value} -> {order.status.value}; released: "
            f"{'; '.join(reasons) or '-'}; allocated {allocated.units}, short {allocated.short}",
        )
        uow.commit()
        return HoldReleased(number, order.status, allocated.units, allocated.short)


def _note_required(note: str | None, doing: str) -> str:
    if not (note and note.strip()):
        raise DomainError(
            f"Write a note saying why you {doing}: it is kept with the order and shown to "
            "whoever opens it."
        )
    return note.strip()


def release_order(uows: UnitOfWorkFactory, actor: Actor, number: str, note: str) -> HoldReleased:
    """A supervisor releases a held order at this station: it is finalized and stock is
    allocated to it through the one stock domain (``record_move``); the central store hears
    of it through the outbox and refuses it if the order moved there meanwhile."""
    actor.require(Permission.RELEASE_HOLDS, "release held orders")
    note = _note_required(note, "release it")
    with uows() as uow:
        order = uow.session.scalar(select(Order).where(Order.number == number))
        if order is None:
            raise NotFound(f"There is no order {number} on this station.")
        before, reasons = order.status, list(order.hold_reasons or [])
        if before is not OrderStatus.ON_HOLD:
            raise DomainError(
                f"Order {number} is {before.label.lower()}, not on hold: there is nothing to "
                "release."
            )
        allocated = record_move(uow, order, OrderStatus.FINALIZED)
        assert allocated is not None
        uow.audit(
            actor.station,
            "order.hold_released",
            actor=actor,
            subject=f"order:{number}",
            detail=f"{before.value} -> {order.status.value}: {note}; released: "
            f"{'; '.join(reasons) or '-'}; allocated {allocated.units}, short {allocated.short}",
        )
        uow.commit()
        return HoldReleased(number, order.status, allocated.units, allocated.short)


def void_order(uows: UnitOfWorkFactory, actor: Actor, number: str, reason: str) -> OrderStatus:
    """A supervisor or admin voids an order that has not shipped: the stock it holds is
    released (``record_move``), and the void goes to the central store through the outbox,
    where it is refused if another station shipped the order meanwhile."""
    actor.require(Permission.VOID_ORDERS, "void orders")
    reason = _note_required(reason, "void it")
    with uows() as uow:
        order = uow.session.scalar(select(Order).where(Order.number == number))
        if order is None:
            raise NotFound(f"There is no order {number} on this station.")
        before = order.status
        if before not in VOIDABLE_STATUSES:
            check_transition(number, before, OrderStatus.VOID)  # says why, with advice
            raise DomainError(
                f"Order {number} is {before.label.lower()}: part of it has left the building, "
                "so it can no longer be voided. Take back what comes back at the Returns desk."
            )
        record_move(uow, order, OrderStatus.VOID, reason)
        uow.audit(
            actor.station,
            "order.status",
            actor=actor,
            subject=f"order:{number}",
            detail=f"{before.value} -> {order.status.value}: {reason}",
        )
        uow.commit()
        return order.status


def create_orders(station: StationContext, actor: Actor, path: Path) -> ImportSummary:
    """Orders typed in by hand (``app/channels/manual.py``'s JSON), written into the central
    store by the one order writer with the import's rules: review holds, allocation. The
    same reference again updates the order (before picking), as a re-import does."""
    from app.services.importing import import_file

    actor.require(Permission.EDIT_ORDERS, "create orders")
    return import_file(station, "manual", path)
