"""Invoices in the database, the same on a station and centrally.

A station issues an invoice (app/services/invoicing.py) and tells the central store with an
``invoice.record`` command, whose handler (app/sync/commands.py) keeps the same rows there
after checking, on its own counts, that nothing is billed twice. Both read what an order
shipped and billed with ``Billing.read`` and move documents as ``record_of`` /
``invoice_from_record``, so the two copies cannot drift apart by a rule written twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from app.db.models import (
    Invoice,
    InvoiceLineRow,
    Order,
    OutboxCommand,
    Shipment,
    ShipmentItem,
    ShipmentParcel,
)
from app.domain.invoicing import BillableView, LineTerms, ParcelUnits, billable_view

INVOICE = "invoice"
CREDIT_NOTE = "credit_note"


@dataclass(frozen=True)
class Billing:
    """What a database knows of an order's billing: the view, the line terms, shipping.

    On a station, units of documents still in the outbox count as invoiced on top of the
    pulled ``quantity_invoiced``, and documents the central store refused count not at all;
    the central store has no outbox, so there every document it keeps counts: read with
    ``central=True``, billing never touches the (empty) ``outbox`` table there, which a
    station's role may not read (docs/sync.md).
    """

    view: BillableView
    terms: tuple[LineTerms, ...]
    shipping_billed: bool
    invoices: int

    @classmethod
    def read(cls, s: Session, order: Order, *, central: bool = False) -> Billing:
        shipped = shipped_parcels(s, order.number)
        billed, pending, shipping_lines, invoices = billed_parcels(s, order.number, central)
        terms = tuple(
            LineTerms(
                line.line_no,
                line.sku,
                line.name,
                line.quantity_ordered,
                line.quantity_shipped,
                line.unit_price,
                line.tax_rate,
                line.discount,
                line.quantity_invoiced + pending.get(line.line_no, 0),
                line.quantity_returned,
            )
            for line in order.lines
        )
        view = billable_view(order.number, order.currency, terms, shipped, billed)
        return cls(view, terms, shipping_lines > 0, invoices)


def shipped_parcels(s: Session, order_number: str) -> list[ParcelUnits]:
    rows = s.execute(
        select(Shipment.number, ShipmentParcel.sscc, ShipmentItem.line_no, ShipmentItem.quantity)
        .join(ShipmentParcel, ShipmentParcel.shipment_id == Shipment.id)
        .join(ShipmentItem, ShipmentItem.parcel_id == ShipmentParcel.id)
        .where(Shipment.order_number == order_number)
        .order_by(Shipment.shipped_at, Shipment.id, ShipmentParcel.parcel_no, ShipmentItem.id)
    ).all()
    return [ParcelUnits(*row) for row in rows]


def billed_parcels(
    s: Session, order_number: str, central: bool = False
) -> tuple[list[ParcelUnits], dict[int, int], int, int]:
    """This station's billing of an order, refused documents left out.

    Returns units billed per parcel (net of credit notes), units per line still waiting to
    reach the central store (which the pulled ``quantity_invoiced`` does not count yet),
    shipping charges net of credits, and how many invoices were issued.
    """
    state = literal("applied") if central else OutboxCommand.state
    query = (
        select(
            Invoice.kind,
            state,
            InvoiceLineRow.shipment_number,
            InvoiceLineRow.sscc,
            InvoiceLineRow.line_no,
            InvoiceLineRow.quantity,
            Invoice.id,
        )
        .join(InvoiceLineRow, InvoiceLineRow.invoice_id == Invoice.id)
        .where(Invoice.order_number == order_number)
    )
    if not central:
        query = query.outerjoin(OutboxCommand, OutboxCommand.command_id == Invoice.command_id)
    rows = s.execute(query).all()
    billed: list[ParcelUnits] = []
    pending: dict[int, int] = {}
    shipping = 0
    invoices: set[int] = set()
    for kind, state, shipment, sscc, line_no, quantity, invoice_id in rows:
        if state == "rejected":
            continue
        sign = 1 if kind == INVOICE else -1
        if kind == INVOICE:
            invoices.add(invoice_id)
        if line_no is None:
            shipping += sign
            continue
        if shipment is not None and sscc is not None:
            billed.append(ParcelUnits(shipment, sscc, line_no, sign * quantity))
        if state == "pending":
            pending[line_no] = pending.get(line_no, 0) + sign * quantity
    return billed, pending, shipping, len(invoices)


def record_of(invoice: Invoice) -> dict[str, Any]:
    """The ``invoice.record`` command's payload: the whole document, JSON-able."""
    return {
        "number": invoice.number,
        "kind": invoice.kind,
        "order_number": invoice.order_number,
        "customer_name": invoice.customer_name,
        "station": invoice.station,
        "user_name": invoice.user_name,
        "issued_at": invoice.issued_at.isoformat(),
        "currency": invoice.currency,
        "locale": invoice.locale,
        "rounding": invoice.rounding,
        "net": str(invoice.net),
        "tax": str(invoice.tax),
        "gross": str(invoice.gross),
        "corrects": invoice.corrects,
        "partial_index": invoice.partial_index,
        "document": invoice.document,
        "lines": [
            {
                "position": line.position,
                "line_no": line.line_no,
                "sku": line.sku,
                "name": line.name,
                "shipment": line.shipment_number,
                "sscc": line.sscc,
                "quantity": line.quantity,
                "unit_price": str(line.unit_price),
                "discount": str(line.discount),
                "tax_rate": str(line.tax_rate),
                "net": str(line.net),
                "tax": str(line.tax),
                "credits": line.credits,
            }
            for line in invoice.lines
        ],
    }


def invoice_from_record(data: dict[str, Any]) -> Invoice:
    """The rows of an ``invoice.record`` payload (the central store's copy).

    Raises KeyError, TypeError or ValueError on a malformed payload.
    """
    return Invoice(
        number=str(data["number"]),
        kind=str(data["kind"]),
        order_number=str(data["order_number"]),
        customer_name=str(data["customer_name"]),
        station=str(data["station"]),
        user_name=data.get("user_name"),
        issued_at=datetime.fromisoformat(data["issued_at"]),
        currency=str(data["currency"]),
        locale=str(data["locale"]),
        rounding=str(data["rounding"]),
        net=Decimal(data["net"]),
        tax=Decimal(data["tax"]),
        gross=Decimal(data["gross"]),
        corrects=data.get("corrects"),
        partial_index=data.get("partial_index"),
        document=dict(data["document"]),
        lines=[
            InvoiceLineRow(
                position=int(line["position"]),
                line_no=None if line["line_no"] is None else int(line["line_no"]),
                sku=str(line["sku"]),
                name=str(line["name"]),
                shipment_number=line.get("shipment"),
                sscc=line.get("sscc"),
                quantity=int(line["quantity"]),
                unit_price=Decimal(line["unit_price"]),
                discount=Decimal(line["discount"]),
                tax_rate=Decimal(line["tax_rate"]),
                net=Decimal(line["net"]),
                tax=Decimal(line["tax"]),
                credits=line.get("credits"),
            )
            for line in data["lines"]
        ],
    )
