"""Catalogue import benchmark: ``packbench import products FILE`` next to a bare executemany.

``-n`` is the number of products (default 10,000): one row each, with a name, an EAN-13
barcode, a weight, a price, a bin (200 bins) and the stock in it. The file is imported by the
real command (``packbench import products FILE --json``) in a process of its own on a fresh
PACKBENCH_HOME, then imported again (every row unchanged). The floor is the barest write of
the same products: one ``executemany`` INSERT of their sku, name, price, currency and weight
into the products table of another fresh store of the same kind, in one transaction (no
barcodes, bins or stock, no reading, no process start): what no import can beat.

It runs on the embedded store (SQLite) and, when ``PACKBENCH_BENCH_CENTRAL_URL`` names a
PostgreSQL server on this machine, on a fresh database there too (dropped afterwards).

Lines printed (one JSON object each), per store: ``catalogue-floor`` (rows/s of the bare
INSERT), ``import-products`` (the first import; ``ratio_time`` to the floor) and
``import-products-again`` (the re-import, every row unchanged; its ratio to the floor).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert

from app.db import migrate
from app.db.models import Product
from app.db.session import create_db_engine

DEFAULT_PRODUCTS = 10_000
PRODUCTS = cast(Table, Product.__table__)


def run(n: int | None, emit: Callable[[dict[str, object]], None]) -> None:
    products = n or DEFAULT_PRODUCTS
    stores: list[tuple[str, Callable[[], AbstractContextManager[str | None]]]] = [
        ("sqlite", lambda: nullcontext(None))
    ]
    if os.environ.get("PACKBENCH_BENCH_CENTRAL_URL"):
        from app.benchmarks.fleet import fresh_database, server_url

        server = server_url()
        stores.append(("postgresql", lambda: fresh_database(server)))
    with tempfile.TemporaryDirectory(prefix="packbench-bench-catalogue-") as tmp:
        folder = Path(tmp)
        path = _file(folder / "catalogue.csv", products)
        for store, fresh in stores:
            with fresh() as url:
                floor = _floor(url or f"sqlite:///{folder / f'floor-{store}.db'}", products)
            emit({"bench": "catalogue-floor", "store": store, "rows": products, **floor})
            with fresh() as url:
                home = folder / f"home-{store}"
                for bench in ("import-products", "import-products-again"):
                    ours = _import(home, url, path)
                    emit(
                        {
                            "bench": bench,
                            "store": store,
                            "rows": products,
                            **ours,
                            "ratio_time": round(ours["seconds"] / floor["seconds"], 1),
                        }
                    )


def ean13(n: int) -> str:
    """A valid EAN-13 barcode, one per n."""
    body = f"50{n:010d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _rows(products: int) -> list[dict[str, Any]]:
    return [
        {
            "sku": f"SKU-{i:06d}",
            "name": f"Widget {i}",
            "price": Decimal(f"{i % 90}.50"),
            "currency": "GBP",
            "weight_g": 100 + i % 50,
            "incomplete": False,
        }
        for i in range(products)
    ]


def _file(path: Path, products: int) -> Path:
    lines = ["sku,name,barcodes,weight_g,price,bin,on_hand\n"]
    for i, row in enumerate(_rows(products)):
        bin_code = f"{'AB'[i % 2]}-{i % 100:02d}-1"
        lines.append(
            f"{row['sku']},{row['name']},{ean13(i)},{row['weight_g']},{row['price']},"
            f"{bin_code},{i % 7}\n"
        )
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _floor(url: str, products: int) -> dict[str, float]:
    """One executemany INSERT of the products into a fresh store's table, one transaction."""
    engine = create_db_engine(url)
    try:
        migrate.ensure_schema(engine)
        rows = _rows(products)
        started = time.perf_counter()
        with engine.begin() as c:
            c.execute(insert(PRODUCTS), rows)
        seconds = time.perf_counter() - started
    finally:
        engine.dispose()
    return {"seconds": round(seconds, 3), "rows_per_s": round(products / seconds)}


def _import(home: Path, url: str | None, path: Path) -> dict[str, Any]:
    """``packbench import products`` in its own process: wall time and the summary."""
    env = {**os.environ, "PACKBENCH_HOME": str(home)}
    env.pop("PACKBENCH_CONFIG", None)
    if url is None:
        env.pop("PACKBENCH_CENTRAL_URL", None)  # the embedded store
    else:
        env["PACKBENCH_CENTRAL_URL"] = url
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "app", "import", "products", str(path), "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"packbench import products ended with {done.returncode}: {done.stderr}")
    summary = json.loads(done.stdout)
    rows = sum(summary[k] for k in ("imported", "updated", "unchanged", "rejected"))
    return {
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
        **{k: summary[k] for k in ("imported", "updated", "unchanged", "rejected")},
    }
