"""News for the sales channels, recorded by the central store in the transaction that made it.

A shipment, a void or a refund of an order that the connector pulled from a channel account
(``channel_orders``) leaves a ``channel_events`` row in the same transaction, so the news
exists exactly when the change does. The connector (app/services/connector) sends it at
least once; ``key`` names it for the channel (an idempotency key where the API has them).
Orders imported from files have no account: their news stays here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session

from app.db.fulfilment import ShipmentRecord
from app.db.models import ChannelAccount, ChannelEvent, ChannelOrder, Order
from app.db.returns import ReturnPayload

_log = logging.getLogger(__name__)


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


def refund_news(session: Session, order: Order, ret: ReturnPayload) -> None:
    """A confirmed return's refund: the units per line by the channel's line ids, and the
    amounts the returns desk worked out (goods with tax less fees, shipping), in the order's
    currency. Nothing when nothing is refunded."""
    refund = ret.refund
    if not refund or Decimal(str(refund.get("total") or 0)) <= 0:
        return
    by_line = {line.line_no: line for line in order.lines}
    lines = []
    for x in refund.get("lines") or []:
        line = by_line.get(x.get("line"))
        if line is None or not x.get("units"):
            continue
        amount = Decimal(x["net"]) + Decimal(x["tax"]) - Decimal(x.get("fee") or 0)
        lines.append(
            {
                "external_line_id": line.external_line_id,
                "sku": line.sku,
                "quantity": int(x["units"]),
                "amount": str(amount),
            }
        )
    shipping = Decimal(refund.get("shipping") or 0) + Decimal(refund.get("shipping_tax") or 0)
    record(
        session,
        order,
        "refund",
        f"packbench-{ret.number}",
        {
            "return": ret.number,
            "total": str(refund["total"]),
            "currency": refund.get("currency"),
            "shipping": str(shipping),
            "lines": lines,
        },
    )


def completion_news(session: Session, order: Order, reason: str | None) -> None:
    """A supervisor marked the order fulfilled by hand: the store marks it complete too."""
    record(
        session,
        order,
        "complete",
        f"packbench-complete-{order.number}",
        {"reason": reason or ""},
    )


def void_news(session: Session, order: Order, reason: str | None) -> None:
    record(
        session,
        order,
        "void",
        f"packbench-void-{order.number}",
        {"reason": reason or ""},
    )


@dataclass(frozen=True)
class ChannelProblem:
    """Something the connector could not do yet, for the Sync workspace: an account it could
    not pull (``event`` empty) or news the store has not taken, with the store's reason."""

    account: str
    event: str  # "shipment of order 1001", or "" for the account itself
    reason: str
    attempts: int
    since: datetime | None


def channel_problems(central: Engine, limit: int = 200) -> list[ChannelProblem]:
    """Accounts whose last pass stopped, then news not sent yet that failed, oldest first.

    Only shown, never needed for sync: a station's role without the grants to read them (a
    store upgraded before its grants) sees none, and its sync goes on."""
    try:
        return _problems(central, limit)
    except ProgrammingError as error:
        _log.info("channel problems not shown: %s", str(error.orig).strip().splitlines()[0])
        return []


def _problems(central: Engine, limit: int) -> list[ChannelProblem]:
    with central.connect() as c:
        accounts = c.execute(
            select(ChannelAccount.name, ChannelAccount.last_error, ChannelAccount.last_pull_at)
            .where(ChannelAccount.last_error.is_not(None))
            .order_by(ChannelAccount.name)
        ).all()
        events = c.execute(
            select(
                ChannelEvent.account,
                ChannelEvent.kind,
                ChannelEvent.order_number,
                ChannelEvent.last_error,
                ChannelEvent.attempts,
                ChannelEvent.created_at,
            )
            .where(ChannelEvent.state == "pending", ChannelEvent.attempts > 0)
            .order_by(ChannelEvent.id)
            .limit(limit)
        ).all()
    return [ChannelProblem(a.name, "", a.last_error or "", 0, a.last_pull_at) for a in accounts] + [
        ChannelProblem(
            e.account,
            f"{e.kind} of order {e.order_number}",
            e.last_error or "",
            e.attempts,
            e.created_at,
        )
        for e in events
    ]
