"""News for the sales channels, recorded by the central store in the transaction that made it.

A shipment, a void or a refund of an order that the connector pulled from a channel account
(``channel_orders``) leaves a ``channel_events`` row in the same transaction, so the news
exists exactly when the change does. The connector (app/services/connector) sends it at
least once; ``key`` names it for the channel (an idempotency key where the API has them).
Orders imported from files have no account: their news stays here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.fulfilment import ShipmentRecord
from app.db.models import ChannelEvent, ChannelOrder, Order


def account_of(session: Session, order: Order) -> str | None:
    return session.scalar(
        select(ChannelOrder.account).where(
            ChannelOrder.channel == order.channel, ChannelOrder.external_id == order.external_id
        )
    )


def record(session: Session, order: Order, kind: str, key: str, payload: dict[str, Any]) -> None:
    """One event for the order's channel account, if it has one (else nothing)."""
    account = account_of(session, order)
    if account is None:
        return
    session.add(
        ChannelEvent(
            key=key,
            account=account,
            kind=kind,
            order_number=order.number,
            external_id=order.external_id,
            payload=payload,
            state="pending",
            attempts=0,
        )
    )


def shipment_news(session: Session, order: Order, shipment: ShipmentRecord) -> None:
    """What the channel needs to mark the order shipped: lines by the channel's ids, units,
    carrier and the parcels' tracking numbers (each parcel's SSCC until a carrier's own
    number is recorded), and whether the order is now shipped whole."""
    by_line = {line.line_no: line for line in order.lines}
    units = shipment.quantities()
    lines = [
        {
            "external_line_id": by_line[n].external_line_id,
            "sku": by_line[n].sku,
            "quantity": q,
        }
        for n, q in sorted(units.items())
        if n in by_line
    ]
    complete = all(line.quantity_shipped >= line.quantity_ordered for line in order.lines)
    record(
        session,
        order,
        "shipment",
        f"packbench-{shipment.number}",
        {
            "shipment": shipment.number,
            "carrier": shipment.carrier,
            "service": shipment.service,
            "tracking": [p.sscc for p in shipment.parcels],
            "shipped_at": shipment.shipped_at.isoformat(),
            "lines": lines,
            "complete": complete,
        },
    )


def void_news(session: Session, order: Order, reason: str | None) -> None:
    record(
        session,
        order,
        "void",
        f"packbench-void-{order.number}",
        {"reason": reason or ""},
    )
