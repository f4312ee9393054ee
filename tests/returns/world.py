"""Orders shipped (with serials) and people for the returns tests, on the packing world."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from app.bootstrap import Station
from app.db.fulfilment import ItemRecord, ParcelRecord, ShipmentRecord, write_shipment
from app.db.models import Bin, Order, Product, StockLevel, Warehouse
from app.db.session import unit_of_work_factory
from app.db.stock import allocate_order, release_order, ship_order
from app.domain.status import OrderStatus
from app.domain.users import Actor, Role, permissions_of
from app.services.packing import next_shipment_number, next_sscc
from app.sync.clock import stamp_changes, track_changes


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


def second_warehouse(
    engine: Engine, code: str, stock: dict[str, int], extra_bin: str | None = None
) -> int:
    """Warehouse ``code`` in a central store, laid out as the demo lays out its warehouses:
    the same bin codes as MAIN (A-0n-1 for product n), with ``stock`` (SKU → units) in them,
    and ``extra_bin`` (empty) that only this warehouse has. Its id."""
    uows = unit_of_work_factory(engine, before_commit=stamp_changes, on_open=track_changes)
    with uows() as uow:
        s = uow.session
        wh = Warehouse(code=code, name=f"Warehouse {code}", country="DE")
        s.add(wh)
        s.flush()
        for product in s.scalars(select(Product).order_by(Product.id)).all():
            b = Bin(
                warehouse_id=wh.id, code=f"A-0{product.id}-1", zone="A", walk_sequence=product.id
            )
            s.add(b)
            s.flush()
            units = stock.get(product.sku, 0)
            s.add(StockLevel(product_id=product.id, bin_id=b.id, warehouse_id=wh.id, on_hand=units))
        if extra_bin:
            s.add(Bin(warehouse_id=wh.id, code=extra_bin, zone="Z", walk_sequence=99))
        uow.commit()
        return wh.id


def move_order(engine: Engine, number: str, warehouse_id: int) -> None:
    """Order ``number`` given to another warehouse centrally: its stock released where it was
    and allocated there (as ``packbench order move`` does)."""
    uows = unit_of_work_factory(engine, before_commit=stamp_changes, on_open=track_changes)
    with uows() as uow:
        s = uow.session
        order = s.scalar(select(Order).where(Order.number == number))
        assert order is not None
        release_order(s, order.id, number)
        order.warehouse_id = warehouse_id
        s.flush()
        allocate_order(s, order.id, number)
        uow.commit()


def stock_by_warehouse(engine: Engine, sku: str) -> dict[tuple[str, str], tuple[int, int]]:
    """The product's (on hand, committed) per (warehouse code, bin code) in a database."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Warehouse.code, Bin.code, StockLevel.on_hand, StockLevel.committed)
            .join(StockLevel, StockLevel.bin_id == Bin.id)
            .join(Warehouse, Warehouse.id == Bin.warehouse_id)
            .join(Product, Product.id == StockLevel.product_id)
            .where(Product.sku == sku)
        ).all()
    return {(str(w), str(b)): (int(n), int(c)) for w, b, n, c in rows}


def add_bin(engine: Engine, warehouse_id: int, code: str, walk: int, stock: dict[str, int]) -> None:
    """Bin ``code`` in a warehouse of the central store, holding ``stock`` (SKU → units)."""
    uows = unit_of_work_factory(engine, before_commit=stamp_changes, on_open=track_changes)
    with uows() as uow:
        s = uow.session
        b = Bin(warehouse_id=warehouse_id, code=code, zone="B", walk_sequence=walk)
        s.add(b)
        s.flush()
        for sku, units in stock.items():
            product = s.scalar(select(Product).where(Product.sku == sku))
            assert product is not None
            s.add(
                StockLevel(
                    product_id=product.id, bin_id=b.id, warehouse_id=warehouse_id, on_hand=units
                )
            )
        uow.commit()
