"""A small warehouse for the packing tests: real central store, real station, real sync.

Order 100234 for Jürgen Müller in Berlin: 2 blue mugs, 3 Earl Grey (a case of 6 exists too),
1 serial-tracked spoon set. Order 100240 holds Earl Grey as well, and 100250 mugs and Earl
Grey with only one tea in stock (for partial shipments). ``add_orders`` adds more.
Everything is written to a central SQLite store and pulled by the station, as in a warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.bootstrap import Station
from app.db.models import (
    Address,
    Allocation,
    Bin,
    Customer,
    Order,
    OrderLine,
    Product,
    ProductBarcode,
    StockLevel,
)
from app.db.session import unit_of_work_factory
from app.domain.barcodes import BarcodeKind
from app.domain.status import OrderStatus
from app.domain.users import Actor, Role, permissions_of
from app.sync.clock import stamp_changes, track_changes
from app.sync.engine import sync_once

MUG = "5012345678900"
TEA = "4006381333931"
TEA_CASE = "14006381333938"
SPOON = "5901234123457"
UNKNOWN = "9501101530003"
CUP = "9501101530010"


@dataclass(frozen=True)
class Item:
    sku: str
    name: str
    gtin: str
    weight_g: int | None
    serial: bool = False


MUG_ITEM = Item("MUG-BLUE-350", "Blue mug 350 ml", MUG, 380)
TEA_ITEM = Item("TEA-EARL-100", "Earl Grey 100 g", TEA, 110)
SPOON_ITEM = Item("SPOON-SET-4", "Spoon set", SPOON, 240, serial=True)
CUP_ITEM = Item("CUP-RED-200", "Red cup", CUP, 200)  # on no order of the world: add_orders


def build_central(engine: Engine) -> None:
    """The catalogue, stock and the two orders, in the central store."""
    uows = unit_of_work_factory(engine, before_commit=stamp_changes, on_open=track_changes)
    with uows() as uow:
        s = uow.session
        products = {
            item.sku: _product(s, item, n)
            for n, item in enumerate((MUG_ITEM, TEA_ITEM, SPOON_ITEM), start=1)
        }
        _order(s, "100234", [(MUG_ITEM, 2, 2), (TEA_ITEM, 3, 3), (SPOON_ITEM, 1, 1)], products)
        _order(s, "100240", [(TEA_ITEM, 2, 2)], products)
        _order(s, "100250", [(MUG_ITEM, 2, 2), (TEA_ITEM, 3, 1)], products)  # tea short
        uow.commit()


def add_orders(engine: Engine, orders: list[tuple[str, list[tuple[Item, int, int]]]]) -> None:
    """More allocated orders in the central store: (number, [(item, ordered, allocated)])."""
    uows = unit_of_work_factory(engine, before_commit=stamp_changes, on_open=track_changes)
    with uows() as uow:
        s = uow.session
        products = {p.sku: p for p in s.scalars(select(Product))}
        for _, lines in orders:
            for item, _, _ in lines:
                if item.sku not in products:
                    products[item.sku] = _product(s, item, len(products) + 1)
        for number, lines in orders:
            _order(s, number, lines, products)
        uow.commit()


def _product(s: Session, item: Item, n: int) -> Product:
    """The item in the catalogue, with 20 in stock in bin A-0n-1 (bin n, as product n)."""
    product = Product(
        sku=item.sku,
        name=item.name,
        weight_g=item.weight_g,
        price=Decimal("5.00"),
        serial_tracked=item.serial,
    )
    product.barcodes.append(
        ProductBarcode(code=item.gtin.zfill(14), kind=BarcodeKind.GTIN, units=1)
    )
    if item is TEA_ITEM:
        product.barcodes.append(ProductBarcode(code=TEA_CASE, kind=BarcodeKind.GTIN, units=6))
    s.add(product)
    s.flush()
    bin_ = Bin(code=f"A-0{n}-1", zone="A", walk_sequence=n)
    s.add(bin_)
    s.flush()
    s.add(StockLevel(product_id=product.id, bin_id=bin_.id, on_hand=20, committed=0))
    s.flush()
    return product


def _order(s, number, lines, products) -> None:  # type: ignore[no-untyped-def]
    customer = Customer(name="Jürgen Müller")
    s.add(customer)
    s.flush()
    address = Address(
        customer_id=customer.id,
        name="Jürgen Müller",
        line1="Friedrichstraße 43",
        city="Berlin",
        postcode="10117",
        country="DE",
    )
    s.add(address)
    s.flush()
    order = Order(
        number=number,
        channel="shopify",
        external_id=f"ext-{number}",
        currency="EUR",
        customer_id=customer.id,
        ship_to_id=address.id,
        bill_to_id=address.id,
        carrier="DHL",
        service="Paket",
        status=OrderStatus.ALLOCATED,
    )
    for n, (item, ordered, allocated) in enumerate(lines, start=1):
        product = products[item.sku]
        order.lines.append(
            OrderLine(
                line_no=n,
                product_id=product.id,
                sku=item.sku,
                name=item.name,
                quantity_ordered=ordered,
                quantity_allocated=allocated,
                unit_price=Decimal("5.00"),
            )
        )
    s.add(order)
    s.flush()
    for line in order.lines:
        stock = s.get(StockLevel, (line.product_id, line.product_id))
        stock.committed += line.quantity_allocated
        s.add(
            Allocation(
                order_line_id=line.id,
                bin_id=line.product_id,
                product_id=line.product_id,
                quantity=line.quantity_allocated,
            )
        )


def packer(station: Station, role: Role = Role.PACKER, name: str = "Tomasz Nowak") -> Actor:
    return Actor(2, name, role, permissions_of(role), station.station_id)


def ready(station: Station, central: Engine) -> None:
    build_central(central)
    sync_once(station)


def home_of(tmp_path: Path, name: str) -> Path:
    return tmp_path / name
