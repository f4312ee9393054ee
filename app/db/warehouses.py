"""Warehouses read from the store for the assignment rule (app/domain/warehouses.py) and for
the station's own warehouse; the rule itself is not here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Connection, Table, func, select

from app.db.models import DEFAULT_WAREHOUSE_ID, StockLevel, Warehouse
from app.domain.errors import DomainError
from app.domain.warehouses import WarehouseInfo

WAREHOUSES = cast(Table, Warehouse.__table__)
STOCK = cast(Table, StockLevel.__table__)


class UnknownWarehouse(DomainError):
    """A warehouse code the store does not know."""


@dataclass(frozen=True)
class WarehouseRow:
    id: int
    code: str
    name: str
    address_lines: tuple[str, ...]
    country: str
    info: WarehouseInfo


def load(conn: Connection) -> list[WarehouseRow]:
    """The active warehouses, by code."""
    rows = conn.execute(
        select(
            WAREHOUSES.c.id,
            WAREHOUSES.c.code,
            WAREHOUSES.c.name,
            WAREHOUSES.c.address_lines,
            WAREHOUSES.c.country,
            WAREHOUSES.c.serves,
            WAREHOUSES.c.priority,
        )
        .where(WAREHOUSES.c.active.is_(True))
        .order_by(WAREHOUSES.c.code)
    )
    return [
        WarehouseRow(
            r.id,
            r.code,
            r.name,
            tuple(r.address_lines or ()),
            r.country,
            WarehouseInfo(r.code, frozenset(r.serves or ()), r.priority),
        )
        for r in rows
    ]


def by_code(conn: Connection, code: str) -> WarehouseRow:
    """The warehouse ``code`` names; UnknownWarehouse lists the ones there are."""
    found = load(conn)
    for row in found:
        if row.code == code.strip().upper():
            return row
    known = ", ".join(r.code for r in found) or "none"
    raise UnknownWarehouse(
        f"There is no warehouse {code!r}: the warehouses are {known} (packbench warehouse list)."
    )


def station_warehouse_id(conn: Connection, code: str) -> int:
    """The station's warehouse: ``[station] warehouse``, or MAIN when that is empty."""
    return by_code(conn, code).id if code else DEFAULT_WAREHOUSE_ID


def code_of(conn: Connection, warehouse_id: int) -> str:
    found = conn.execute(select(WAREHOUSES.c.code).where(WAREHOUSES.c.id == warehouse_id)).scalar()
    return str(found) if found else f"#{warehouse_id}"


def available(
    conn: Connection, product_ids: Iterable[int], warehouses: dict[int, str]
) -> dict[tuple[str, int], int]:
    """Units available (on hand - committed) by (warehouse code, product id)."""
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    rows = conn.execute(
        select(
            STOCK.c.warehouse_id,
            STOCK.c.product_id,
            func.sum(STOCK.c.on_hand - STOCK.c.committed),
        )
        .where(STOCK.c.product_id.in_(ids))
        .group_by(STOCK.c.warehouse_id, STOCK.c.product_id)
    )
    return {(warehouses[w], p): int(n or 0) for w, p, n in rows if w in warehouses}
