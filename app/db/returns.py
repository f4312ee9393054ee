"""What a confirmed return does to the rows, the same on a station and centrally.

A station confirms a return in one transaction (app/services/returns.py) and tells the central
store with a ``return.record`` command, whose handler (app/sync/commands.py) makes the same
change there. Both call ``take_back``: the units move through the one stock implementation
(``app.db.stock.restock_line``: on hand up in the bin, a bin of the warehouse the return
was received in, which need not be the one that shipped the order; ``quarantine_line``:
counted returned, kept out of stock, also for scrap and return to vendor), and the order's
status follows
``app.domain.returns.status_after_return``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.db.models import Order, ReturnRecord, ReturnUnit
from app.db.stock import quarantine_line, restock_line
from app.db.warehouses import UnknownWarehouse, by_code
from app.domain.errors import InvalidQuantities
from app.domain.returns import Disposition, status_after_return
from app.domain.status import OrderStatus

COMMAND = "return.record"
SAVED = "return.saved"  # an open return as it stands, so another station may finish it


@dataclass(frozen=True)
class UnitRecord:
    line_no: int | None  # None: an item not in the order (quarantined, no stock of the order)
    sku: str
    units: int
    serial: str | None
    reason: str
    reason_text: str | None
    condition: str | None
    disposition: str
    bin_code: str | None
    unexpected: bool

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ReturnPayload:
    """A confirmed return as it travels to the central store (JSON-able)."""

    number: str
    order_number: str
    station: str
    user_name: str | None
    opened_at: datetime
    confirmed_at: datetime | None
    confirmed_by: str | None
    late_reason: str | None
    late_accepted_by: str | None
    credit_notes: tuple[str, ...]
    refund: dict[str, Any]
    units: tuple[UnitRecord, ...]
    # The warehouse (code) it was received in: restocked units go into its bins. None (a
    # command from before warehouses): the order's warehouse.
    warehouse: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            **{k: v for k, v in self.__dict__.items() if k not in ("units", "credit_notes")},
            "opened_at": self.opened_at.isoformat(),
            "confirmed_at": self.confirmed_at.isoformat() if self.confirmed_at else None,
            "credit_notes": list(self.credit_notes),
            "units": [u.as_json() for u in self.units],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReturnPayload:
        return cls(
            number=str(data["number"]),
            order_number=str(data["order_number"]),
            station=str(data["station"]),
            user_name=data.get("user_name"),
            opened_at=datetime.fromisoformat(data["opened_at"]),
            confirmed_at=(
                datetime.fromisoformat(data["confirmed_at"]) if data.get("confirmed_at") else None
            ),
            confirmed_by=data.get("confirmed_by"),
            late_reason=data.get("late_reason"),
            late_accepted_by=data.get("late_accepted_by"),
            credit_notes=tuple(data.get("credit_notes") or ()),
            refund=dict(data.get("refund") or {}),
            units=tuple(UnitRecord(**u) for u in data["units"]),
            warehouse=data.get("warehouse") or None,
        )


def payload_of(ret: ReturnRecord) -> ReturnPayload:
    """The return as it travels: confirmed (``return.record``) or open (``return.saved``)."""
    return ReturnPayload(
        number=ret.number,
        order_number=ret.order_number,
        station=ret.station,
        user_name=ret.user_name,
        opened_at=ret.opened_at,
        confirmed_at=ret.confirmed_at,
        confirmed_by=ret.confirmed_by,
        late_reason=ret.late_reason,
        late_accepted_by=ret.late_accepted_by,
        credit_notes=tuple(ret.credit_notes),
        refund=dict(ret.refund),
        units=tuple(
            UnitRecord(
                u.line_no,
                u.sku,
                u.units,
                u.serial,
                u.reason or "",
                u.reason_text,
                u.condition,
                u.disposition or Disposition.QUARANTINE.value,
                u.bin_code,
                u.unexpected,
            )
            for u in ret.units
        ),
        warehouse=ret.warehouse,
    )


def take_back(
    session: Session, order: Order, units: Iterable[UnitRecord], warehouse: str | None = None
) -> OrderStatus | None:
    """Move the units' stock and the order's status; returns the new status (None: kept).

    Restocked units go into bins of ``warehouse`` (a code: the warehouse the return was
    received in, whichever shipped the order; None: the order's own).

    Raises ``InvalidQuantities`` (a line would have more back than shipped, a bin the
    warehouse has not) having changed nothing the caller's transaction keeps."""
    warehouse_id = _receiving(session, warehouse)
    for u in units:
        if u.line_no is None:
            continue  # not the order's: quarantined aside, no line or bin of the order moves
        if Disposition(u.disposition).restocks:
            assert u.bin_code, "a restocked unit names its bin"
            restock_line(session, order.id, u.line_no, u.bin_code, u.units, warehouse_id)
        else:
            quarantine_line(session, order.id, u.line_no, u.units)
    session.refresh(order)
    order.updated_at = datetime.now(UTC)  # its lines changed: the order is stamped and pulled
    target = status_after_return(
        order.status,
        ((ln.quantity_ordered, ln.quantity_shipped, ln.quantity_returned) for ln in order.lines),
    )
    if target is not None:
        order.status = target
    return target


def _receiving(session: Session, warehouse: str | None) -> int | None:
    if not warehouse:
        return None
    try:
        return by_code(session.connection(), warehouse).id
    except UnknownWarehouse as error:
        raise InvalidQuantities(
            f"The return was received in warehouse {warehouse}, which this store does not "
            "know; add the warehouse (packbench warehouse) or sync first."
        ) from error


def write_copy(
    session: Session, record: ReturnPayload, held_by: str, existing: ReturnRecord | None = None
) -> ReturnRecord:
    """The central store's copy of a return (open or confirmed), written or brought up to
    date; a station that copied an open return from it writes its own copy the same way."""
    ret = existing if existing is not None else ReturnRecord(number=record.number)
    ret.order_number = record.order_number
    ret.station = record.station
    ret.user_name = record.user_name
    ret.state = "confirmed" if record.confirmed_at else "open"
    ret.opened_at = record.opened_at
    ret.confirmed_at = record.confirmed_at
    ret.confirmed_by = record.confirmed_by
    ret.late_reason = record.late_reason
    ret.late_accepted_by = record.late_accepted_by
    ret.credit_notes = list(record.credit_notes)
    ret.refund = record.refund
    ret.held_by = held_by
    ret.warehouse = record.warehouse
    ret.units = [
        ReturnUnit(
            line_no=u.line_no,
            sku=u.sku,
            units=u.units,
            serial=u.serial,
            reason=u.reason or None,
            reason_text=u.reason_text,
            condition=u.condition,
            disposition=u.disposition,
            bin_code=u.bin_code,
            unexpected=u.unexpected,
        )
        for u in record.units
    ]
    if existing is None:
        session.add(ret)
    return ret
