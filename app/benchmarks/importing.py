"""Import benchmark: a retail CSV file whose rows are shuffled, next to the same file grouped.

``-n`` is the number of rows (default 100,000; the README's figure is ``-n 1000000``). The
rows are made up in the retail layout from the demo catalogue: invoices of one to six lines,
each invoice's rows stamped with one time, a customer and a country. Each file is imported by
the real command (``packbench import csv FILE --json``) in a process of its own on a fresh
PACKBENCH_HOME (the embedded central store, default review rules), and that process's peak
resident memory is read from the operating system when it ends.

Lines printed (one JSON object each):

- ``csv-index``: the checking pass that also records where each order's rows are, on the
  shuffled file; the floor is ``csv.reader`` reading the same file and doing nothing.
- ``import-csv-grouped``: the file with each invoice's rows together, as today's exports
  sorted by invoice come; this is the floor of the next line.
- ``import-csv-shuffled``: the same rows in random order; ratios of time and peak memory to
  the grouped file.
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from app.channels.csv_orders import RETAIL_COLUMNS, CsvOrders

DEFAULT_ROWS = 100_000
CATALOGUE = Path(__file__).resolve().parents[2] / "resources" / "demo" / "products.csv"
COUNTRIES = ("United Kingdom", "France", "Germany", "EIRE", "Spain", "Netherlands", "Norway")


def run(n: int | None, emit: Callable[[dict[str, object]], None]) -> None:
    rows = n or DEFAULT_ROWS
    with tempfile.TemporaryDirectory(prefix="packbench-bench-import-") as tmp:
        folder = Path(tmp)
        grouped, shuffled, invoices = _files(folder, rows)
        _index(shuffled, rows, invoices, emit)
        floor = _import(folder / "home-grouped", grouped)
        emit({"bench": "import-csv-grouped", "rows": rows, "orders": invoices, **floor})
        ours = _import(folder / "home-shuffled", shuffled)
        emit(
            {
                "bench": "import-csv-shuffled",
                "rows": rows,
                "orders": invoices,
                **ours,
                "ratio_time": round(ours["seconds"] / floor["seconds"], 2),
                "ratio_peak_rss": round(ours["peak_rss_mb"] / floor["peak_rss_mb"], 2),
            }
        )


def _files(folder: Path, rows: int) -> tuple[Path, Path, int]:
    """The grouped and the shuffled file (same rows), and how many invoices they hold."""
    with CATALOGUE.open(newline="", encoding="utf-8") as f:
        products = [(r["sku"], r["name"], r["price"]) for r in csv.DictReader(f)]
    pick = random.Random(2010)
    body: list[list[str]] = []
    moment = datetime(2010, 12, 1, 8, 26)
    invoice = 536000
    while len(body) < rows:
        invoice += 1
        moment += timedelta(minutes=pick.randint(0, 7))
        customer = "" if pick.random() < 0.2 else str(pick.randint(12346, 18287))
        place = pick.choice(COUNTRIES)
        for sku, name, price in pick.sample(products, min(pick.randint(1, 6), rows - len(body))):
            quantity = str(pick.choice((1, 2, 3, 4, 6, 12, 24)))
            stamp = f"{moment:%Y-%m-%d %H:%M:%S}"
            body.append([str(invoice), sku, name.upper(), quantity, stamp, price, customer, place])
    grouped, shuffled = folder / "grouped.csv", folder / "shuffled.csv"
    _write(grouped, body)
    pick.shuffle(body)
    _write(shuffled, body)
    return grouped, shuffled, invoice - 536000


def _write(path: Path, body: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(RETAIL_COLUMNS)
        out.writerows(body)


def _index(path: Path, rows: int, invoices: int, emit: Callable[[dict[str, object]], None]) -> None:
    started = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as f:
        counted = sum(1 for _ in csv.reader(f))
    floor = time.perf_counter() - started
    started = time.perf_counter()
    with path.open("rb") as data, CsvOrders(data, path.name) as orders:
        found = orders.shape.orders
    ours = time.perf_counter() - started
    assert counted == rows + 1 and found == invoices, (counted, found, invoices)
    emit(
        {
            "bench": "csv-index",
            "rows": rows,
            "orders": found,
            "seconds": round(ours, 2),
            "floor_seconds": round(floor, 2),
            "ratio": round(ours / floor, 2),
        }
    )


def _import(home: Path, path: Path) -> dict[str, float]:
    """``packbench import csv`` in its own process: wall time, peak RSS, the summary."""
    env = {**os.environ, "PACKBENCH_HOME": str(home)}
    env.pop("PACKBENCH_CENTRAL_URL", None)  # the embedded store, whatever the caller uses
    env.pop("PACKBENCH_CONFIG", None)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "import", "csv", str(path), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise RuntimeError(f"packbench import csv {path.name} ended with {process.returncode}")
    summary = json.loads(output)
    rows = sum(1 for _ in path.open(encoding="utf-8")) - 1
    return {
        "seconds": round(seconds, 1),
        "rows_per_s": round(rows / seconds),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux reports KiB
        "imported": summary["imported"],
        "held": summary["held"],
        "rejected": summary["rejected"],
    }
