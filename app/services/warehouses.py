"""Warehouses: list them, add or change one, and move an order to another before picking.

The move is one central transaction: the order's stock is released in its old warehouse and
allocated in the new one by the one stock domain (app/db/stock.py), the order row names the
new warehouse, an ``order_departures`` row tells the old warehouse's stations it left, and
the audit trail says who moved it from where to where. The service checks the mover's
right itself (``move_orders``: supervisors and admins).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from app.context import StationContext
from app.db import warehouses as stored
from app.db.models import AuditEvent, Order, OrderDeparture, Product, StockLevel, Warehouse
from app.db.stock import allocate_order, release_order
from app.domain.errors import DomainError
from app.domain.status import OrderStatus
from app.domain.users import Actor, Permission
from app.domain.warehouses import WAREHOUSE_CODE
from app.services.transfers import in_transit_to
from app.sync.claims import central_errors

S = OrderStatus
# Before picking: nothing of it has left a bin yet.
MOVABLE = frozenset({S.IMPORTED, S.ON_HOLD, S.FINALIZED, S.ALLOCATED})


class CannotMove(DomainError):
    """The order cannot go to that warehouse (the message says why and what to do)."""


@dataclass(frozen=True)
class WarehouseView:
    code: str
    name: str
    address_lines: tuple[str, ...]
    country: str
    serves: tuple[str, ...]
    priority: int

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "address": list(self.address_lines),
            "country": self.country,
            "serves": list(self.serves),
            "priority": self.priority,
        }


def list_warehouses(station: StationContext) -> list[WarehouseView]:
    with station.central()() as uow:
        rows = uow.session.scalars(select(Warehouse).order_by(Warehouse.code)).all()
        return [
            WarehouseView(
                w.code,
                w.name,
                tuple(w.address_lines),
                w.country,
                tuple(w.serves),
                w.priority,
            )
            for w in rows
        ]


@dataclass(frozen=True)
class StockInWarehouse:
    """In hand and committed in one warehouse's bins; ``in_transit``: on its way there
    (transfers not yet received), counted in no bin."""

    code: str
    on_hand: int
    committed: int
    in_transit: int = 0

    @property
    def available(self) -> int:
        return self.on_hand - self.committed


@dataclass(frozen=True)
class ProductStock:
    """A product's stock in hand and committed, per warehouse and in total."""

    sku: str
    name: str
    warehouses: tuple[StockInWarehouse, ...]

    @property
    def on_hand(self) -> int:
        return sum(w.on_hand for w in self.warehouses)

    @property
    def committed(self) -> int:
        return sum(w.committed for w in self.warehouses)

    @property
    def in_transit(self) -> int:
        return sum(w.in_transit for w in self.warehouses)

    @property
    def total(self) -> StockInWarehouse:
        return StockInWarehouse("all", self.on_hand, self.committed, self.in_transit)

    def as_json(self) -> dict[str, Any]:
        def one(w: StockInWarehouse) -> dict[str, Any]:
            return {
                "warehouse": w.code,
                "on_hand": w.on_hand,
                "committed": w.committed,
                "available": w.available,
                "in_transit": w.in_transit,
            }

        return {
            "sku": self.sku,
            "name": self.name,
            "warehouses": [one(w) for w in self.warehouses],
            "total": one(self.total),
        }


def stock_of(station: StationContext, sku: str) -> ProductStock:
    """The central store's stock of ``sku`` in every warehouse (0 where it has none)."""
    with station.central()(readonly=True) as uow:
        s = uow.session
        product = s.scalar(select(Product).where(Product.sku == sku.strip()))
        if product is None:
            raise DomainError(
                f"There is no product {sku!r}: check the SKU (packbench import products)."
            )
        return _stock(s, [product])[0]


def stock_overview(station: StationContext, actor: Actor, search: str = "") -> list[ProductStock]:
    """Every product (or those whose SKU or name holds ``search``) with its stock in hand,
    committed, available and in transit per warehouse and in total (supervisors)."""
    actor.require(Permission.TRANSFER_STOCK, "see the stock of every warehouse")
    with central_errors(), station.central()(readonly=True) as uow:
        s = uow.session
        query = select(Product).order_by(Product.sku).limit(500)
        if search.strip():
            like = f"%{search.strip()}%"
            query = query.where(Product.sku.ilike(like) | Product.name.ilike(like))
        return _stock(s, s.scalars(query).all())


def _stock(s: Session, products: Sequence[Product]) -> list[ProductStock]:
    ids = [p.id for p in products]
    codes: dict[int, str] = {r.id: r.code for r in s.execute(select(Warehouse.id, Warehouse.code))}
    rows: dict[tuple[int, int], tuple[int, int]] = {}
    if ids:
        for w, p, on_hand, committed in s.execute(
            select(
                StockLevel.warehouse_id,
                StockLevel.product_id,
                func.sum(StockLevel.on_hand),
                func.sum(StockLevel.committed),
            )
            .where(StockLevel.product_id.in_(ids))
            .group_by(StockLevel.warehouse_id, StockLevel.product_id)
        ):
            rows[(w, p)] = (int(on_hand or 0), int(committed or 0))
    transit = in_transit_to(s, ids)
    return [
        ProductStock(
            p.sku,
            p.name,
            tuple(
                StockInWarehouse(code, *rows.get((w, p.id), (0, 0)), transit.get((w, p.id), 0))
                for w, code in sorted(codes.items(), key=lambda kv: kv[1])
            ),
        )
        for p in products
    ]


def save_warehouse(
    station: StationContext,
    code: str,
    *,
    name: str,
    address_lines: list[str],
    country: str,
    serves: list[str],
    priority: int = 0,
) -> str:
    """Add the warehouse ``code``, or change the one with that code; what was done, in words."""
    code = code.strip().upper()
    if not WAREHOUSE_CODE.fullmatch(code):
        raise DomainError(
            f"{code!r} is not a warehouse code: 1-16 capital letters, digits and - _, e.g. MAN."
        )
    countries = [country.strip().upper(), *(c.strip().upper() for c in serves)]
    bad = [c for c in countries if len(c) != 2 or not c.isalpha()]
    if bad:
        raise DomainError(
            f"{', '.join(bad)}: not a two-letter ISO country code (write e.g. GB, DE)."
        )
    if not name.strip():
        raise DomainError('A warehouse needs a name: --name "Manchester".')
    with station.central()() as uow:
        s = uow.session
        found = s.scalar(select(Warehouse).where(Warehouse.code == code))
        made = found is None
        w = found or Warehouse(code=code)
        w.name, w.address_lines, w.country = name.strip(), address_lines, countries[0]
        w.serves, w.priority, w.active = countries[1:], priority, True
        s.add(w)
        s.add(
            AuditEvent(
                station=station.station_id,
                action="warehouse.added" if made else "warehouse.changed",
                subject=f"warehouse:{code}",
                detail=f"{name}; serves {','.join(countries[1:]) or '-'}; priority {priority}",
            )
        )
        uow.commit()
    return f"warehouse {code} {'added' if made else 'changed'}"


def move_order(station: StationContext, actor: Actor, number: str, to: str) -> str:
    """Move order ``number`` (or a split part) to warehouse ``to`` before picking."""
    actor.require(Permission.MOVE_ORDERS, "move an order to another warehouse")
    with station.central()() as uow:
        s = uow.session
        conn = s.connection()
        target = stored.by_code(conn, to)
        order = s.scalar(select(Order).where(Order.number == number.strip()).with_for_update())
        if order is None:
            raise CannotMove(f"There is no order {number!r}: check the number on the slip.")
        was_id = order.warehouse_id
        was = stored.code_of(conn, was_id)
        if order.warehouse_id == target.id:
            raise CannotMove(f"Order {order.number} is already in {target.code}.")
        if order.status not in MOVABLE or any(line.quantity_picked for line in order.lines):
            raise CannotMove(
                f"Order {order.number} is {order.status.label.lower()}: only an order nothing "
                "of which is picked yet can move to another warehouse."
            )
        release_order(s, order.id, order.number)
        s.refresh(order)
        order.warehouse_id = target.id
        order.warehouse_reason = f"moved from {was} to {target.code} by {actor.name}"
        # The customer and addresses travel with the order to the new warehouse's stations:
        # a fresh change number, so a station that pulled past their last one gets them.
        for row in (order.customer, order.ship_to, order.bill_to):
            if row is not None:
                flag_modified(row, "name")
        s.flush()
        allocation = "held: stays on hold" if order.status is S.ON_HOLD else ""
        if order.status in (S.FINALIZED, S.ALLOCATED):
            if order.status is S.ALLOCATED:
                order.status = S.FINALIZED  # allocated again below, in the new warehouse
                s.flush()
            done = allocate_order(s, order.id, order.number)
            order.status = done.status
            allocation = f"allocated {done.units}, short {done.short}"
        s.add(
            OrderDeparture(
                order_id=order.id,
                order_number=order.number,
                from_warehouse_id=was_id,
                to_warehouse_id=target.id,
                user_name=actor.name,
            )
        )
        s.add(
            AuditEvent(
                user_id=actor.user_id,
                user_name=actor.name,
                station=station.station_id,
                action="order.moved",
                subject=f"order:{order.number}",
                detail=f"{was} -> {target.code}; {allocation}",
            )
        )
        uow.commit()
    return f"order {number} moved from {was} to {target.code}: {allocation}"


@dataclass(frozen=True)
class Placement:
    """Which warehouse an order is in, and why (the assignment's or the move's words)."""

    number: str
    warehouse: str
    reason: str
    movable: bool


def placement_of(station: StationContext, number: str) -> Placement:
    """The central store's word on order ``number``'s warehouse and the reason for it."""
    with central_errors(), station.central()(readonly=True) as uow:
        s = uow.session
        order = s.scalar(select(Order).where(Order.number == number.strip()))
        if order is None:
            raise CannotMove(f"There is no order {number!r} in the central store.")
        code = stored.code_of(s.connection(), order.warehouse_id)
        picked = any(line.quantity_picked for line in order.lines)
        return Placement(
            order.number,
            code,
            order.warehouse_reason or "",
            order.status in MOVABLE and not picked,
        )
