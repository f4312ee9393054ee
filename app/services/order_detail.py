"""One order as a supervisor opens it: its head, then sections of plain rows.

The detail is a list of ``DetailSection`` s, each read by one function of ``SECTIONS``:
lines with every quantity, allocations by bin, parcels with their SSCCs, shipments, invoices,
returns and the timeline from the audit trail (with what the central store said about this
station's changes). Another feature adds a section by adding a reader (pick lists, short-pick
choices), and the Orders workspace shows it without a change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import (
    Address,
    Allocation,
    AuditEvent,
    Bin,
    Invoice,
    Order,
    OrderLine,
    OutboxCommand,
    PackParcel,
    PackSession,
    ReturnRecord,
    Shipment,
    ShipmentParcel,
    Warehouse,
)
from app.db.session import UnitOfWorkFactory
from app.domain.errors import NotFound
from app.domain.money_format import format_money
from app.domain.status import OPEN_STATUSES, OrderStatus

Cell = str


@dataclass(frozen=True)
class DetailSection:
    """A titled table: ``columns`` headings, ``rows`` of text, ``empty`` when it has none.
    ``numeric`` names the columns aligned right."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    empty: str = "None."
    numeric: frozenset[int] = frozenset()


@dataclass(frozen=True)
class OrderHead:
    id: int
    number: str
    status: OrderStatus
    channel: str
    placed_at: datetime
    customer: str
    email: str
    phone: str
    ship_to: str
    bill_to: str
    carrier: str
    service: str
    hold_reasons: tuple[str, ...]
    void_reason: str | None
    version: int

    @property
    def editable(self) -> bool:
        """Before picking: its lines, addresses and carrier may still change."""
        return self.status in EDITABLE_STATUSES

    @property
    def voidable(self) -> bool:
        return self.status in OPEN_STATUSES


EDITABLE_STATUSES = frozenset(
    {
        OrderStatus.DRAFT,
        OrderStatus.IMPORTED,
        OrderStatus.ON_HOLD,
        OrderStatus.FINALIZED,
        OrderStatus.ALLOCATED,
    }
)


@dataclass(frozen=True)
class OrderDetail:
    head: OrderHead
    sections: tuple[DetailSection, ...]

    def section(self, key: str) -> DetailSection:
        return next(s for s in self.sections if s.key == key)


SectionReader = Callable[[Session, OrderHead], DetailSection]


def _address(address: Address | None) -> str:
    if address is None:
        return ""
    parts = [
        address.name,
        address.company,
        address.line1,
        address.line2,
        " ".join(p for p in (address.postcode, address.city) if p),
        address.region,
        address.country,
    ]
    return "\n".join(p for p in parts if p)


def _when(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


def _lines(session: Session, head: OrderHead) -> DetailSection:
    rows = session.execute(
        select(
            OrderLine.line_no,
            OrderLine.sku,
            OrderLine.name,
            OrderLine.quantity_ordered,
            OrderLine.quantity_allocated,
            OrderLine.quantity_picked,
            OrderLine.quantity_packed,
            OrderLine.quantity_shipped,
            OrderLine.quantity_invoiced,
            OrderLine.quantity_returned,
            OrderLine.unit_price,
            Order.currency,
        )
        .join(Order, Order.id == OrderLine.order_id)
        .where(OrderLine.order_id == head.id)
        .order_by(OrderLine.line_no)
    ).all()
    return DetailSection(
        "lines",
        "Lines",
        (
            "#",
            "SKU",
            "Item",
            "Ordered",
            "Allocated",
            "Picked",
            "Packed",
            "Shipped",
            "Invoiced",
            "Returned",
            "Unit price",
        ),
        tuple(
            (str(r[0]), r[1], r[2], *(str(q) for q in r[3:10]), format_money(r[10], r[11]))
            for r in rows
        ),
        "No lines.",
        frozenset({0, 3, 4, 5, 6, 7, 8, 9, 10}),
    )


def _allocations(session: Session, head: OrderHead) -> DetailSection:
    rows = session.execute(
        select(OrderLine.line_no, OrderLine.sku, Bin.code, Bin.zone, Allocation.quantity)
        .join(OrderLine, OrderLine.id == Allocation.order_line_id)
        .join(Bin, Bin.id == Allocation.bin_id)
        .where(OrderLine.order_id == head.id)
        .order_by(Bin.walk_sequence, OrderLine.line_no)
    ).all()
    return DetailSection(
        "allocations",
        "Allocated by bin",
        ("#", "SKU", "Bin", "Zone", "Units"),
        tuple((str(r[0]), r[1], r[2], r[3], str(r[4])) for r in rows),
        "Nothing allocated.",
        frozenset({0, 4}),
    )


def _parcels(session: Session, head: OrderHead) -> DetailSection:
    shipped = session.execute(
        select(
            ShipmentParcel.sscc,
            Shipment.number,
            ShipmentParcel.parcel_no,
            ShipmentParcel.weight_g,
        )
        .join(Shipment, Shipment.id == ShipmentParcel.shipment_id)
        .where(Shipment.order_number == head.number)
        .order_by(Shipment.id, ShipmentParcel.parcel_no)
    ).all()
    rows = [(r[0], r[1], str(r[2]), f"{r[3]:,} g" if r[3] else "", "shipped") for r in shipped]
    open_parcels = session.execute(
        select(PackParcel.sscc, PackParcel.parcel_no)
        .join(PackSession, PackSession.id == PackParcel.session_id)
        .where(PackSession.order_number == head.number, PackParcel.sscc.is_not(None))
    ).all()
    seen = {r[0] for r in rows}
    rows += [(r[0], "", str(r[1]), "", "at the bench") for r in open_parcels if r[0] not in seen]
    return DetailSection(
        "parcels",
        "Parcels",
        ("SSCC", "Shipment", "Parcel", "Weight", "State"),
        tuple(rows),
        "No parcels yet.",
        frozenset({2, 3}),
    )


def _shipments(session: Session, head: OrderHead) -> DetailSection:
    rows = session.scalars(
        select(Shipment).where(Shipment.order_number == head.number).order_by(Shipment.id)
    ).all()
    return DetailSection(
        "shipments",
        "Shipments",
        ("Number", "Shipped", "Station", "By", "Carrier", "Partial"),
        tuple(
            (
                s.number,
                _when(s.shipped_at),
                s.station,
                s.user_name or "",
                " ".join(p for p in (s.carrier, s.service) if p),
                s.partial_reason or ("yes" if s.partial else ""),
            )
            for s in rows
        ),
        "Not shipped.",
    )


def _invoices(session: Session, head: OrderHead) -> DetailSection:
    rows = session.scalars(
        select(Invoice).where(Invoice.order_number == head.number).order_by(Invoice.id)
    ).all()
    return DetailSection(
        "invoices",
        "Invoices",
        ("Number", "Kind", "Issued", "Station", "Gross"),
        tuple(
            (
                i.number,
                "credit note" if i.kind == "credit_note" else "invoice",
                _when(i.issued_at),
                i.station,
                format_money(i.gross, i.currency),
            )
            for i in rows
        ),
        "No invoices.",
        frozenset({4}),
    )


def _returns(session: Session, head: OrderHead) -> DetailSection:
    rows = session.scalars(
        select(ReturnRecord)
        .where(ReturnRecord.order_number == head.number)
        .order_by(ReturnRecord.id)
    ).all()
    return DetailSection(
        "returns",
        "Returns",
        ("Number", "State", "Opened", "Station", "Credit notes"),
        tuple(
            (r.number, r.state, _when(r.opened_at), r.station, ", ".join(r.credit_notes or []))
            for r in rows
        ),
        "No returns.",
    )


def _timeline(session: Session, head: OrderHead) -> DetailSection:
    events = session.execute(
        select(AuditEvent.at, AuditEvent.station, AuditEvent.user_name, AuditEvent.action,
               AuditEvent.detail)
        .where(AuditEvent.subject == f"order:{head.number}")
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()  # fmt: skip
    rows = [(_when(e[0]), e[1], e[2] or "", e[3], e[4] or "") for e in events]
    # What the central store answered about this station's changes to the order.
    for command in session.scalars(
        select(OutboxCommand).where(OutboxCommand.kind == "order.status").order_by(OutboxCommand.id)
    ):
        payload = command.payload or {}
        if payload.get("number") != head.number:
            continue
        change = f"{payload.get('from')} -> {payload.get('to')}"
        if command.state == "rejected":
            said = f"REFUSED by the central store: {command.reason or ''}"
        elif command.state == "pending":
            said = "waiting to reach the central store"
        else:
            said = "recorded by the central store"
        rows.append((_when(command.answered_at or command.created_at), "", "", change, said))
    rows.sort(key=lambda row: row[0])
    return DetailSection(
        "timeline",
        "Timeline",
        ("When", "Station", "Who", "What", "Detail"),
        tuple(rows),
        "Nothing recorded.",
    )


def _warehouse(session: Session, head: OrderHead) -> DetailSection:
    """The warehouse that ships the order, and why the assignment rule chose it."""
    rows = session.execute(
        select(Warehouse.code, Warehouse.name, Order.warehouse_reason)
        .join(Order, Order.warehouse_id == Warehouse.id)
        .where(Order.id == head.id)
    ).all()
    return DetailSection(
        "warehouse",
        "Warehouse",
        ("Code", "Warehouse", "Why this one"),
        tuple((r[0], r[1], r[2] or "") for r in rows),
        "No warehouse.",
    )


# The detail's sections, in the order shown. Add a reader here to add a section.
SECTIONS: list[SectionReader] = [
    _lines,
    _allocations,
    _warehouse,
    _parcels,
    _shipments,
    _invoices,
    _returns,
    _timeline,
]


def order_detail(uows: UnitOfWorkFactory, number: str) -> OrderDetail:
    """Order ``number`` with every section; NotFound when this station does not hold it."""
    with uows(readonly=True) as uow:
        order = uow.session.scalar(select(Order).where(Order.number == number))
        if order is None:
            raise NotFound(f"There is no order {number} on this station.")
        customer = order.customer
        head = OrderHead(
            order.id,
            order.number,
            order.status,
            order.channel,
            order.placed_at,
            customer.name if customer else "",
            (customer.email or "") if customer else "",
            (customer.phone or "") if customer else "",
            _address(order.ship_to),
            _address(order.bill_to),
            order.carrier or "",
            order.service or "",
            tuple(order.hold_reasons or ()),
            order.void_reason,
            order.version,
        )
        return OrderDetail(head, tuple(read(uow.session, head) for read in SECTIONS))
