"""Reading a store back the way the stock rules see it: every line's quantity chain, every
bin's stock, and committed stock that adds up to what the lines hold (app/domain/stock.py)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Connection, Engine, func, select

from app.db.models import Allocation, Order, OrderLine, Product, StockLevel
from app.domain.orders import LineQuantities


def stock_problems(engine: Engine | Connection) -> list[str]:
    """Everything that does not add up, in words; empty when the store is consistent."""
    if isinstance(engine, Connection):
        return _problems(engine)
    with engine.connect() as conn:
        return _problems(conn)


def _problems(conn: Connection) -> list[str]:
    problems: list[str] = []
    held_in_bin: Counter[tuple[int, int]] = Counter()
    held_by_line: Counter[int] = Counter()
    for line_id, product_id, bin_id, quantity in conn.execute(
        select(
            Allocation.order_line_id,
            Allocation.product_id,
            Allocation.bin_id,
            Allocation.quantity,
        )
    ):
        held_in_bin[(product_id, bin_id)] += quantity
        held_by_line[line_id] += quantity
    for product_id, bin_id, on_hand, committed in conn.execute(
        select(StockLevel.product_id, StockLevel.bin_id, StockLevel.on_hand, StockLevel.committed)
    ):
        if not on_hand >= committed >= 0:
            problems.append(
                f"bin {bin_id} product {product_id}: {on_hand} on hand, {committed} committed"
            )
        if committed != held_in_bin[(product_id, bin_id)]:
            problems.append(
                f"bin {bin_id} product {product_id}: {committed} committed, the lines "
                f"hold {held_in_bin[(product_id, bin_id)]}"
            )
    for row in conn.execute(select(Order.number, *_QUANTITIES, OrderLine.id).join(Order)):
        quantities = LineQuantities(*row[1:8])  # raises on a broken chain
        if quantities.committed != held_by_line[row.id]:
            problems.append(
                f"order {row.number} line {row.id}: {quantities.committed} committed, "
                f"{held_by_line[row.id]} held in bins"
            )
    return problems


_QUANTITIES = (
    OrderLine.quantity_ordered,
    OrderLine.quantity_allocated,
    OrderLine.quantity_picked,
    OrderLine.quantity_packed,
    OrderLine.quantity_shipped,
    OrderLine.quantity_invoiced,
    OrderLine.quantity_returned,
)


def line_chains(engine: Engine, number: str) -> list[tuple[int, ...]]:
    """(ordered, allocated, picked, packed, shipped) of each line of an order."""
    with engine.connect() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                select(*_QUANTITIES[:5])
                .join(Order)
                .where(Order.number == number)
                .order_by(OrderLine.line_no)
            )
        ]


def on_hand_of(engine: Engine, sku: str) -> tuple[int, int]:
    """(on hand, committed) of a product over all its bins."""
    with engine.connect() as conn:
        on_hand, committed = conn.execute(
            select(func.sum(StockLevel.on_hand), func.sum(StockLevel.committed))
            .join(Product, Product.id == StockLevel.product_id)
            .where(Product.sku == sku)
        ).one()
    return int(on_hand or 0), int(committed or 0)
