"""Pick benchmark: a wave built from N allocated orders, and its pick lists printed.

``-n`` is the number of orders (default 10,000), three lines each (30,000 order lines),
over N products in N bins in four zones, every order allocated and on one carrier, so the
wave is one group split into four zone lists. The data is written with Core straight into
a fresh station's own database; then, timed:

- ``pick-build``: ``app.services.picking.build_lists(wave=carrier)``, the service the
  command line calls, in one transaction (read, plan, number, write, audit, outbox);
- ``pick-pdf``: each list read back and rendered to PDF (printing/picklist.py), against
  ``pick-pdf-floor``: a bare reportlab canvas document with the same number of table rows
  (five strings and a rule a row in the list's font, page breaks, no barcodes, nothing
  measured or fitted), in the same run. ``ratio`` is our CPU seconds per page over the
  floor's (the machine is shared: wall time is what other work leaves).

Goal (README): building within 2 s; the PDF within 2x of the bare document.
"""

from __future__ import annotations

import io
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import Table, insert, select

from app.bootstrap import open_station
from app.config import load_config
from app.db.models import (
    Allocation,
    Bin,
    Order,
    OrderLine,
    Product,
    ProductBarcode,
    StockLevel,
)
from app.domain.barcodes import BarcodeKind
from app.domain.picking import WaveBy
from app.domain.status import OrderStatus
from app.domain.users import Actor, Role, permissions_of
from app.services import picking
from printing.fonts import BOLD, REGULAR, registered
from printing.picklist import pick_list_pdf

DEFAULT_ORDERS = 10_000
LINES_PER_ORDER = 3
ZONES = ("A", "B", "C", "D")


def run(n: int | None, emit: Callable[[dict[str, object]], None]) -> None:
    orders = n or DEFAULT_ORDERS
    with tempfile.TemporaryDirectory(prefix="packbench-bench-pick-") as tmp:
        config = load_config({"PACKBENCH_HOME": str(Path(tmp) / "home")})
        station = open_station(config)
        try:
            lines = _world(station.local_engine, orders)
            boss = Actor(
                0,
                "Bench Supervisor",
                Role.SUPERVISOR,
                permissions_of(Role.SUPERVISOR),
                station.station_id,
            )
            started, cpu = time.perf_counter(), time.process_time()
            built = picking.build_lists(station, boss, wave=WaveBy.CARRIER)
            build_s, build_cpu = time.perf_counter() - started, time.process_time() - cpu
            emit(
                {
                    "bench": "pick-build",
                    "orders": orders,
                    "order_lines": lines,
                    "lists": len(built.lists),
                    "list_lines": sum(x.lines for x in built.lists),
                    "units": sum(x.units for x in built.lists),
                    "seconds": round(build_s, 3),
                    "cpu_s": round(build_cpu, 3),
                    "goal_s": 2.0,
                }
            )
            started, cpu = time.perf_counter(), time.process_time()
            pages = rows = 0
            for made in built.lists:
                document = picking.list_document(station, made.number)
                data = pick_list_pdf(document)
                pages += _pages(data)
                rows += len(document.lines)
            pdf_s, pdf_cpu = time.perf_counter() - started, time.process_time() - cpu
        finally:
            station.close()
    cpu = time.process_time()
    floor_s, floor_pages = _floor(rows)
    floor_cpu = time.process_time() - cpu
    emit(
        {
            "bench": "pick-pdf-floor",
            "rows": rows,
            "pages": floor_pages,
            "seconds": round(floor_s, 3),
            "cpu_s": round(floor_cpu, 3),
            "pages_per_s": round(floor_pages / floor_cpu, 1),
        }
    )
    # On a machine shared with other work, wall time is whatever the others leave: the
    # ratio is taken on this process's CPU time, per page.
    ours, floor = pdf_cpu / max(pages, 1), floor_cpu / max(floor_pages, 1)
    emit(
        {
            "bench": "pick-pdf",
            "rows": rows,
            "pages": pages,
            "seconds": round(pdf_s, 3),
            "cpu_s": round(pdf_cpu, 3),
            "pages_per_s": round(pages / pdf_cpu, 1),
            "ratio": round(ours / floor, 2),
            "ratio_time": round(pdf_cpu / floor_cpu, 2),
            "goal_ratio": 2.0,
        }
    )


def _pages(data: bytes) -> int:
    return data.count(b"/Type /Page\n") or data.count(b"/Type /Page\r")


def _floor(rows: int) -> tuple[float, int]:
    """The same number of table rows in the barest reportlab document: drawString and a
    rule, a new page when the page is full."""
    started = time.perf_counter()
    buffer = io.BytesIO()
    canvas: Any = Canvas(buffer, pagesize=A4, pageCompression=1)
    width, height = A4
    y, pages = height - 120, 1
    regular, bold = registered(REGULAR), registered(BOLD)
    canvas.setFont(bold, 12)
    canvas.drawString(36, height - 60, "Pick list")
    for i in range(rows):
        if y < 60:
            canvas.showPage()
            pages += 1
            y = height - 120
        canvas.setFont(regular, 10)
        canvas.drawString(36, y, f"A-{i % 100:02d}-{i % 9}")
        canvas.drawString(132, y, f"Widget {i}")
        canvas.drawString(132, y - 12, f"SKU-{i:06d}")
        canvas.drawRightString(428, y, str(1 + i % 5))
        canvas.drawString(438, y, f"{1 + i % 3} in slot {1 + i % 9} / {100000 + i}")
        canvas.line(36, y - 18, width - 36, y - 18)
        y -= 44
    canvas.showPage()
    canvas.save()
    buffer.getvalue()
    return time.perf_counter() - started, pages


def _world(engine: Any, orders: int) -> int:
    """N products in N bins over four zones, 20 on hand each; N allocated orders of three
    lines each, with their allocations; returns the order lines written."""
    rng = random.Random(7)
    products = max(orders, 10)
    tables = {
        m: cast(Table, m.__table__)
        for m in (Product, ProductBarcode, Bin, StockLevel, Order, OrderLine, Allocation)
    }
    now = datetime.now(UTC)
    with engine.begin() as c:
        c.execute(
            insert(tables[Product]),
            [
                {
                    "id": i,
                    "sku": f"SKU-{i:06d}",
                    "name": f"Widget {i}",
                    "price": Decimal("5.00"),
                    "currency": "GBP",
                    "serial_tracked": False,
                    "lot_tracked": False,
                    "incomplete": False,
                    "updated_at": now,
                }
                for i in range(1, products + 1)
            ],
        )
        c.execute(
            insert(tables[ProductBarcode]),
            [
                {"product_id": i, "code": _gtin(i), "kind": BarcodeKind.GTIN.value, "units": 1}
                for i in range(1, products + 1)
            ],
        )
        per_zone = -(-products // len(ZONES))
        c.execute(
            insert(tables[Bin]),
            [
                {
                    "id": i,
                    "code": _bin_code(i, per_zone),
                    "zone": ZONES[(i - 1) // per_zone],
                    "walk_sequence": i,
                }
                for i in range(1, products + 1)
            ],
        )
        committed = [0] * (products + 1)
        order_rows, line_rows, alloc_rows = [], [], []
        line_id = 0
        for o in range(1, orders + 1):
            order_rows.append(
                {
                    "id": o,
                    "number": f"{100000 + o}",
                    "channel": "csv",
                    "external_id": f"B-{o}",
                    "currency": "GBP",
                    "priority": 0,
                    "carrier": "DPD",
                    "service": "next-day",
                    "status": OrderStatus.ALLOCATED.value,
                    "hold_reasons": [],
                    "shipping_total": Decimal("0"),
                    "placed_at": now - timedelta(minutes=o),
                    "updated_at": now,
                    "version": 1,
                }
            )
            for line_no, product in enumerate(
                rng.sample(range(1, products + 1), LINES_PER_ORDER), start=1
            ):
                line_id += 1
                units = 1 + rng.randrange(2)
                committed[product] += units
                line_rows.append(
                    {
                        "id": line_id,
                        "order_id": o,
                        "line_no": line_no,
                        "product_id": product,
                        "sku": f"SKU-{product:06d}",
                        "name": f"Widget {product}",
                        "quantity_ordered": units,
                        "quantity_allocated": units,
                        "quantity_picked": 0,
                        "quantity_packed": 0,
                        "quantity_shipped": 0,
                        "quantity_invoiced": 0,
                        "quantity_returned": 0,
                        "unit_price": Decimal("5.00"),
                        "tax_rate": Decimal("0"),
                        "discount": Decimal("0"),
                        "personalised": False,
                    }
                )
                alloc_rows.append(
                    {
                        "order_line_id": line_id,
                        "bin_id": product,
                        "product_id": product,
                        "quantity": units,
                    }
                )
        c.execute(
            insert(tables[StockLevel]),
            [
                {
                    "product_id": i,
                    "bin_id": i,
                    "on_hand": max(20, committed[i]),
                    "committed": committed[i],
                }
                for i in range(1, products + 1)
            ],
        )
        c.execute(insert(tables[Order]), order_rows)
        c.execute(insert(tables[OrderLine]), line_rows)
        c.execute(insert(tables[Allocation]), alloc_rows)
        c.execute(select(1))
    return len(line_rows)


def _bin_code(i: int, per_zone: int) -> str:
    zone = ZONES[(i - 1) // per_zone]
    return f"{zone}-{((i - 1) % per_zone) // 10:02d}-{i % 10}"


def _gtin(i: int) -> str:
    body = f"50{i:010d}"
    total = sum(int(d) * (3 if k % 2 else 1) for k, d in enumerate(body))
    return (body + str((10 - total % 10) % 10)).zfill(14)
