"""Shipments for the invoicing tests, made as the bench makes them (same rows, same command).

The packing world (tests/packing/world.py) gives the central store and a station that has
pulled it; ``ship`` records a shipment at the station with the functions the bench's own
``_ship`` calls, and queues its ``shipment.record`` for the central store.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from app.bootstrap import Station
from app.db.fulfilment import ItemRecord, ParcelRecord, ShipmentRecord, write_shipment
from app.db.models import Order
from app.db.stock import ship_order
from app.domain.status import OrderStatus
from app.domain.users import Actor, Role, permissions_of
from app.services.packing import next_shipment_number, next_sscc


def ship(station: Station, order_number: str, *parcels: dict[int, int]) -> str:
    """Ship parcels of ``order_number`` ({line_no: units} each); the shipment's number."""
    with station.local() as uow:
        s = uow.session
        order = s.scalar(select(Order).where(Order.number == order_number))
        assert order is not None
        skus = {line.line_no: line.sku for line in order.lines}
        record = ShipmentRecord(
            number=next_shipment_number(s, station.station_id),
            order_number=order_number,
            station=station.station_id,
            user_name="Tomasz Nowak",
            shipped_at=datetime.now(UTC),
            partial=True,
            partial_reason="rest to follow",
            carrier=order.carrier,
            service=order.service,
            parcels=tuple(
                ParcelRecord(
                    n,
                    next_sscc(s, station.packing),
                    None,
                    None,
                    tuple(ItemRecord(line_no, skus[line_no], q) for line_no, q in items.items()),
                )
                for n, items in enumerate(parcels, start=1)
            ),
        )
        ship_order(s, order.id, order.number, record.quantities())
        done = all(line.quantity_shipped >= line.quantity_ordered for line in order.lines)
        order.status = OrderStatus.SHIPPED if done else OrderStatus.PARTIALLY_SHIPPED
        write_shipment(s, record)
        uow.command("shipment.record", record.as_json())
        uow.commit()
        return record.number


def price(station: Station, order_number: str, unit_price: str, tax_rate: str) -> None:
    """Give every line of the order this price and rate at the station (the world's are 5.00)."""
    with station.local() as uow:
        order = uow.session.scalar(select(Order).where(Order.number == order_number))
        assert order is not None
        for line in order.lines:
            line.unit_price, line.tax_rate = Decimal(unit_price), Decimal(tax_rate)
        uow.commit()


def person(station: Station, role: Role, name: str = "Maria Keller") -> Actor:
    return Actor(7, name, role, permissions_of(role), station.station_id)
