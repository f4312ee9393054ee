"""What shipping (and voiding) does to the rows, the same on a station and centrally.

A station ships an order when its last parcel closes (app/services/packing.py) and tells the
central store with a ``shipment.record`` command, whose handler (app/sync/commands.py) makes
the same change there. Both call ``ship_units`` and ``write_shipment``, so the two copies
cannot drift apart by a rule written twice.

Units that ship leave the stock: the bins they were committed in lose them from ``on_hand``
and ``committed`` alike, bins in walk order, and the order line's allocation shrinks by as
much. A line's ``allocated`` keeps counting shipped units (committed = allocated - shipped).
Lines not packed before are marked picked and packed as they ship: a bench that picks while
it packs skips the separate pick step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.db.models import (
    Allocation,
    Bin,
    Order,
    OrderLine,
    Shipment,
    ShipmentItem,
    ShipmentParcel,
    StockLevel,
)
from app.domain.errors import InvalidQuantities


@dataclass(frozen=True)
class ItemRecord:
    line_no: int
    sku: str
    quantity: int
    serials: tuple[str, ...] = ()
    lots: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParcelRecord:
    parcel_no: int
    sscc: str
    box_code: str | None
    weight_g: int | None
    items: tuple[ItemRecord, ...]


@dataclass(frozen=True)
class ShipmentRecord:
    """A shipment as it travels from the station to the central store (JSON-able)."""

    number: str
    order_number: str
    station: str
    user_name: str | None
    shipped_at: datetime
    partial: bool
    partial_reason: str | None
    carrier: str | None
    service: str | None
    parcels: tuple[ParcelRecord, ...]

    def quantities(self) -> dict[int, int]:
        """Units per order line across all parcels."""
        totals: dict[int, int] = {}
        for parcel in self.parcels:
            for item in parcel.items:
                totals[item.line_no] = totals.get(item.line_no, 0) + item.quantity
        return totals

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "order_number": self.order_number,
            "station": self.station,
            "user_name": self.user_name,
            "shipped_at": self.shipped_at.isoformat(),
            "partial": self.partial,
            "partial_reason": self.partial_reason,
            "carrier": self.carrier,
            "service": self.service,
            "parcels": [
                {
                    "parcel_no": p.parcel_no,
                    "sscc": p.sscc,
                    "box_code": p.box_code,
                    "weight_g": p.weight_g,
                    "items": [
                        {
                            "line_no": i.line_no,
                            "sku": i.sku,
                            "quantity": i.quantity,
                            "serials": list(i.serials),
                            "lots": list(i.lots),
                        }
                        for i in p.items
                    ],
                }
                for p in self.parcels
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ShipmentRecord:
        """Raises KeyError, TypeError or ValueError on a malformed payload."""
        return cls(
            number=str(data["number"]),
            order_number=str(data["order_number"]),
            station=str(data["station"]),
            user_name=data.get("user_name"),
            shipped_at=datetime.fromisoformat(data["shipped_at"]),
            partial=bool(data["partial"]),
            partial_reason=data.get("partial_reason"),
            carrier=data.get("carrier"),
            service=data.get("service"),
            parcels=tuple(
                ParcelRecord(
                    parcel_no=int(p["parcel_no"]),
                    sscc=str(p["sscc"]),
                    box_code=p.get("box_code"),
                    weight_g=None if p.get("weight_g") is None else int(p["weight_g"]),
                    items=tuple(
                        ItemRecord(
                            int(i["line_no"]),
                            str(i["sku"]),
                            int(i["quantity"]),
                            tuple(i.get("serials") or ()),
                            tuple(i.get("lots") or ()),
                        )
                        for i in p["items"]
                    ),
                )
                for p in data["parcels"]
            ),
        )


def ship_units(session: Session, order: Order, quantities: dict[int, int]) -> None:
    """Move ``quantities`` (line number → units) of ``order`` out of the building.

    Raises InvalidQuantities, naming the line, when a line would ship more than is ordered
    or than stock was committed for it; the caller's transaction then changes nothing.
    """
    lines = {line.line_no: line for line in order.lines}
    lock_stock(session, [line.id for line in lines.values() if line.line_no in quantities])
    for line_no, units in sorted(quantities.items()):
        line = lines.get(line_no)
        if line is None:
            raise InvalidQuantities(f"Order {order.number} has no line {line_no}.")
        _ship_line(session, order.number, line, units)


def _ship_line(session: Session, number: str, line: OrderLine, units: int) -> None:
    if units <= 0:
        raise InvalidQuantities(f"Order {number} line {line.line_no}: ships {units} units.")
    shipped = line.quantity_shipped + units
    if shipped > line.quantity_ordered:
        raise InvalidQuantities(
            f"Order {number} line {line.line_no} ({line.sku}): {shipped} would have shipped "
            f"of {line.quantity_ordered} ordered."
        )
    if shipped > line.quantity_allocated:
        raise InvalidQuantities(
            f"Order {number} line {line.line_no} ({line.sku}): only {line.quantity_allocated} "
            f"are allocated, {shipped} would have shipped. Allocate stock first."
        )
    held = session.execute(
        select(Allocation, Bin.walk_sequence)
        .join(Bin, Bin.id == Allocation.bin_id)
        .where(Allocation.order_line_id == line.id)
        .order_by(Bin.walk_sequence, Bin.id)
    ).all()
    left = units
    for allocation, _ in held:
        if left == 0:
            break
        take = min(allocation.quantity, left)
        stock = session.get(StockLevel, (line.product_id, allocation.bin_id))
        if stock is not None:
            stock.committed = max(stock.committed - take, 0)
            stock.on_hand = max(stock.on_hand - take, 0)
        if take == allocation.quantity:
            session.execute(
                delete(Allocation).where(
                    Allocation.order_line_id == line.id, Allocation.bin_id == allocation.bin_id
                )
            )
        else:
            allocation.quantity -= take
        left -= take
    # Quantities in their chain order: picked >= packed >= shipped.
    line.quantity_picked = max(line.quantity_picked, shipped)
    line.quantity_packed = max(line.quantity_packed, shipped)
    line.quantity_shipped = shipped


def write_shipment(session: Session, record: ShipmentRecord) -> Shipment:
    shipment = Shipment(
        number=record.number,
        order_number=record.order_number,
        station=record.station,
        user_name=record.user_name,
        shipped_at=record.shipped_at,
        partial=record.partial,
        partial_reason=record.partial_reason,
        carrier=record.carrier,
        service=record.service,
        parcels=[
            ShipmentParcel(
                parcel_no=p.parcel_no,
                sscc=p.sscc,
                box_code=p.box_code,
                weight_g=p.weight_g,
                items=[
                    ShipmentItem(
                        line_no=i.line_no,
                        sku=i.sku,
                        quantity=i.quantity,
                        serials=list(i.serials),
                        lots=list(i.lots),
                    )
                    for i in p.items
                ],
            )
            for p in record.parcels
        ],
    )
    session.add(shipment)
    return shipment


def lock_stock(session: Session, line_ids: list[int]) -> None:
    """Lock (and read afresh) the stock rows allocated to these order lines, in key order.

    Two stations shipping the same product at once both change its stock rows; without the
    lock each would write back what it read before the other committed, and stock units
    would be lost centrally. Always (product, bin) order, so two shipments wait for each
    other instead of deadlocking. SQLite locks the whole file at BEGIN IMMEDIATE instead.
    """
    if not line_ids:
        return
    session.flush()  # the rows are read afresh: nothing of this session's may be waiting
    session.execute(
        select(StockLevel)
        .join(
            Allocation,
            (Allocation.product_id == StockLevel.product_id)
            & (Allocation.bin_id == StockLevel.bin_id),
        )
        .where(Allocation.order_line_id.in_(line_ids))
        .order_by(StockLevel.product_id, StockLevel.bin_id)
        .with_for_update(of=StockLevel)
        .execution_options(populate_existing=True)
    ).all()


def release_allocations(session: Session, order: Order) -> None:
    """Give the stock held for an order's open lines back to the bins (void).

    Used by the station's own void (app.services.orders) and by the central store's
    ``order.status`` handler; stock rows change as ORM objects, so a central commit stamps
    them and stations pull the freed stock.
    """
    lock_stock(session, [line.id for line in order.lines])
    for line in order.lines:
        held = session.execute(
            select(Allocation.bin_id, Allocation.quantity).where(
                Allocation.order_line_id == line.id
            )
        ).all()
        for bin_id, quantity in held:
            stock = session.get(StockLevel, (line.product_id, bin_id))
            if stock is not None:
                stock.committed -= quantity
        session.execute(delete(Allocation).where(Allocation.order_line_id == line.id))
        line.quantity_allocated = line.quantity_shipped
        line.quantity_picked = min(line.quantity_picked, line.quantity_allocated)
        line.quantity_packed = min(line.quantity_packed, line.quantity_picked)
