"""A shipment as the rows record it, the same on a station and centrally.

A station ships an order when its last parcel closes (app/services/packing.py) and tells the
central store with a ``shipment.record`` command, whose handler (app/sync/commands.py) makes
the same change there. Both move the units with ``app.db.stock.ship_order`` (the stock rule
in app/domain/stock.py) and record the shipment with ``write_shipment``, so the two copies
cannot drift apart by a rule written twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.db.models import Shipment, ShipmentItem, ShipmentParcel


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
