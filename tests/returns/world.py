"""Orders shipped (with serials) and people for the returns tests, on the packing world."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from app.bootstrap import Station
from app.db.fulfilment import ItemRecord, ParcelRecord, ShipmentRecord, write_shipment
from app.db.models import Bin, Order, Product, StockLevel
from app.db.stock import ship_order
from app.domain.status import OrderStatus
from app.domain.users import Actor, Role, permissions_of
from app.services.packing import next_shipment_number, next_sscc


def person(station: Station, role: Role, name: str = "Rosa Lind") -> Actor:
    return Actor(9, name, role, permissions_of(role), station.station_id)


def ship(
    station: Station,
    order_number: str,
    items: dict[int, int],
    serials: dict[int, tuple[str, ...]] | None = None,
    *,
    days_ago: int = 1,
) -> tuple[str, str]:
    """Ship one parcel of ``order_number`` as the bench does; (shipment number, SSCC)."""
    with station.local() as uow:
        s = uow.session
        order = s.scalar(select(Order).where(Order.number == order_number))
        assert order is not None
        skus = {line.line_no: line.sku for line in order.lines}
        sscc = next_sscc(s, station.packing)
        record = ShipmentRecord(
            number=next_shipment_number(s, station.station_id),
            order_number=order_number,
            station=station.station_id,
            user_name="Tomasz Nowak",
            shipped_at=datetime.now(UTC) - timedelta(days=days_ago),
            partial=False,
            partial_reason=None,
            carrier=order.carrier,
            service=order.service,
            parcels=(
                ParcelRecord(
                    1,
                    sscc,
                    None,
                    None,
                    tuple(
                        ItemRecord(n, skus[n], q, (serials or {}).get(n, ()))
                        for n, q in items.items()
                    ),
                ),
            ),
        )
        ship_order(s, order.id, order.number, record.quantities())
        done = all(line.quantity_shipped >= line.quantity_ordered for line in order.lines)
        order.status = OrderStatus.SHIPPED if done else OrderStatus.PARTIALLY_SHIPPED
        write_shipment(s, record)
        uow.command("shipment.record", record.as_json())
        uow.commit()
        return record.number, sscc


def on_hand(station: Station, sku: str) -> dict[str, int]:
    """The product's stock per bin at the station."""
    return stock_in(station.local_engine, sku)


def stock_in(engine: Engine, sku: str) -> dict[str, int]:
    """The product's stock per bin in a database (a station's or the central store)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Bin.code, StockLevel.on_hand)
            .join(StockLevel, StockLevel.bin_id == Bin.id)
            .join(Product, Product.id == StockLevel.product_id)
            .where(Product.sku == sku)
        ).all()
    return {str(code): int(n) for code, n in rows}
