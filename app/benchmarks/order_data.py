"""Many orders in a station's local store, fast: the Orders benchmark's data and its tests'.

Bulk Core inserts of plain tuples in one transaction (100,000 orders in a few seconds): a
spread of statuses, channels, carriers and dates, one or two lines each, customers with
accented names, and a shipment with an SSCC for each shipped order. Nothing here is a rule
of ours; the orders are what an import would leave, written the quickest way.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import cast

from sqlalchemy import Engine, Table, insert

from app.db.models import (
    Address,
    Bin,
    Customer,
    Order,
    OrderLine,
    Product,
    Shipment,
    ShipmentParcel,
    StockLevel,
)
from app.domain.status import OrderStatus

S = OrderStatus
STATUSES = (
    [S.SHIPPED] * 30
    + [S.FULFILLED] * 25
    + [S.ALLOCATED] * 12
    + [S.FINALIZED] * 5
    + [S.ON_HOLD] * 5
    + [S.PICKING] * 4
    + [S.PACKING] * 3
    + [S.PARTIALLY_SHIPPED] * 2
    + [S.VOID] * 4
    + [S.RETURNED] * 2
    + [S.IMPORTED] * 1
)
CHANNELS = ("woocommerce", "shopify", "bigcommerce", "magento", "csv", "manual")
CARRIERS = ("DHL Parcel", "DPD", "Royal Mail", "UPS", "GLS")
FIRST = ("Jürgen", "Ελένη", "Łukasz", "Ana", "Søren", "Chloé", "Tom", "Aoife", "Mia", "Omar")
LAST = ("Müller", "Nowak", "Brontë", "García", "Sørensen", "Dubois", "Smith", "Ó Briain")
CITIES = (("Berlin", "DE"), ("Łódź", "PL"), ("Paris", "FR"), ("Leeds", "GB"), ("Århus", "DK"))
PRICE, TAX = Decimal("9.90"), Decimal("0.2")
HOLDS = ("First order over €500", "Address could not be verified", "Ships to a new country")


@dataclass(frozen=True)
class Made:
    orders: int
    skus: tuple[str, ...]


def number_of(i: int) -> str:
    return f"{500000 + i}"


def sscc_of(i: int) -> str:
    return f"{340123450000000000 + i:018d}"


def fill_orders(engine: Engine, n: int, *, seed: int = 7) -> Made:
    """Write ``n`` orders (and their customers, addresses, lines, stock and shipments)."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    skus = tuple(f"SKU-{k:04d}" for k in range(200))
    customers = max(1, n // 2)
    with engine.begin() as c:
        c.execute(
            insert(cast(Table, Product.__table__)),
            [
                {"id": k + 1, "sku": sku, "name": f"Product {k}", "currency": "EUR"}
                for k, sku in enumerate(skus)
            ],
        )
        c.execute(
            insert(cast(Table, Bin.__table__)),
            [
                {"id": b + 1, "code": f"A-{b:02d}", "zone": "A", "walk_sequence": b}
                for b in range(20)
            ],
        )
        c.execute(
            insert(cast(Table, StockLevel.__table__)),
            [
                {"product_id": k + 1, "bin_id": k % 20 + 1, "on_hand": 10_000, "committed": 0}
                for k in range(len(skus))
            ],
        )
        c.execute(
            insert(cast(Table, Customer.__table__)),
            [
                {
                    "id": i + 1,
                    "name": f"{FIRST[i % len(FIRST)]} {LAST[(i // 10) % len(LAST)]} {i}",
                    "email": f"customer{i}@example.com",
                }
                for i in range(customers)
            ],
        )
        c.execute(
            insert(cast(Table, Address.__table__)),
            [
                {
                    "id": i + 1,
                    "customer_id": i + 1,
                    "name": f"Customer {i}",
                    "line1": f"{i} High Street",
                    "city": CITIES[i % len(CITIES)][0],
                    "postcode": f"{10000 + i % 90000}",
                    "country": CITIES[i % len(CITIES)][1],
                }
                for i in range(customers)
            ],
        )
        orders: list[dict[str, object]] = []
        lines: list[dict[str, object]] = []
        shipments: list[dict[str, object]] = []
        parcels: list[dict[str, object]] = []
        for i in range(n):
            status = STATUSES[rng.randrange(len(STATUSES))]
            customer = rng.randrange(customers) + 1
            number = number_of(i)
            orders.append(
                {
                    "id": i + 1,
                    "number": number,
                    "channel": CHANNELS[i % len(CHANNELS)],
                    "external_id": str(i),
                    "customer_id": customer,
                    "ship_to_id": customer,
                    "bill_to_id": customer,
                    "currency": "EUR",
                    "carrier": CARRIERS[rng.randrange(len(CARRIERS))],
                    "status": status,
                    "hold_reasons": [rng.choice(HOLDS)] if status is S.ON_HOLD else [],
                    "void_reason": "Customer cancelled" if status is S.VOID else None,
                    "placed_at": start + timedelta(minutes=5 * i),
                }
            )
            shipped = status in (S.SHIPPED, S.FULFILLED, S.RETURNED)
            for line_no in range(1 + (i % 2)):
                product = rng.randrange(len(skus))
                quantity = 1 + rng.randrange(3)
                lines.append(
                    {
                        "order_id": i + 1,
                        "line_no": line_no + 1,
                        "product_id": product + 1,
                        "sku": skus[product],
                        "name": f"Product {product}",
                        "quantity_ordered": quantity,
                        "quantity_allocated": quantity if shipped else 0,
                        "quantity_picked": quantity if shipped else 0,
                        "quantity_packed": quantity if shipped else 0,
                        "quantity_shipped": quantity if shipped else 0,
                        "quantity_returned": quantity if status is S.RETURNED else 0,
                        "unit_price": PRICE,
                        "tax_rate": TAX,
                    }
                )
            if shipped:
                shipments.append(
                    {
                        "id": len(shipments) + 1,
                        "number": f"SH-{number}",
                        "order_number": number,
                        "station": "ST-01",
                        "shipped_at": start + timedelta(minutes=5 * i + 60),
                    }
                )
                parcels.append({"shipment_id": len(shipments), "parcel_no": 1, "sscc": sscc_of(i)})
        c.execute(insert(cast(Table, Order.__table__)), orders)
        c.execute(insert(cast(Table, OrderLine.__table__)), lines)
        if shipments:
            c.execute(insert(cast(Table, Shipment.__table__)), shipments)
            c.execute(insert(cast(Table, ShipmentParcel.__table__)), parcels)
    return Made(n, skus)
