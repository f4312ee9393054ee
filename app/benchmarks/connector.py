"""Connector benchmark: orders pulled page by page from a local WooCommerce-shaped server and
imported, next to the same orders imported from a file, in the same run.

``-n`` is the number of orders (default 10,000). The orders are made up in the WooCommerce
REST API v3 order shape (the fields the mapping reads; docs/import-formats.md) from the demo
catalogue. Each side runs the real command in a process of its own on a fresh PACKBENCH_HOME
(the embedded central store, default review rules):

- ``connector-file-floor``: ``packbench import woocommerce FILE --json``, the orders as one
  list in a file; the floor;
- ``connector-pull``: ``packbench connector run --once --json`` against a server on
  127.0.0.1 answering ``GET /wp-json/wc/v3/orders`` 100 orders a page (WooCommerce's most)
  with X-WP-TotalPages; ``ratio`` is its time over the floor's (goal ≤ 1.5).
"""

from __future__ import annotations

import base64
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

DEFAULT_ORDERS = 10_000
PAGE = 100
CATALOGUE = Path(__file__).resolve().parents[2] / "resources" / "demo" / "products.csv"
SECRET = "ck_bench:cs_bench"


def run(n: int | None, emit: Callable[[dict[str, object]], None]) -> None:
    count = n or DEFAULT_ORDERS
    orders = _orders(count)
    with tempfile.TemporaryDirectory(prefix="packbench-bench-connector-") as tmp:
        folder = Path(tmp)
        file = folder / "orders.json"
        file.write_text(json.dumps(orders), encoding="utf-8")
        floor = _timed(folder / "home-file", ["import", "woocommerce", str(file), "--json"])
        emit({"bench": "connector-file-floor", "orders": count, **floor})
        server = _serve(orders)
        try:
            home = folder / "home-pull"
            _config(home, f"http://127.0.0.1:{server.server_address[1]}")
            ours = _timed(home, ["connector", "run", "--once", "--json"])
        finally:
            server.shutdown()
            server.server_close()
        emit(
            {
                "bench": "connector-pull",
                "orders": count,
                "page": PAGE,
                **ours,
                "ratio": round(ours["seconds"] / floor["seconds"], 2),
            }
        )


def _orders(count: int) -> list[dict[str, Any]]:
    with CATALOGUE.open(newline="", encoding="utf-8") as f:
        products = [(r["sku"], r["name"], r["price"]) for r in csv.DictReader(f)]
    pick = random.Random(2024)
    start = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    orders = []
    for i in range(count):
        oid = 10_000 + i
        moment = f"{start + timedelta(minutes=i):%Y-%m-%dT%H:%M:%S}"
        person = {
            "first_name": f"Customer{i % 3000}",
            "last_name": "Bench",
            "address_1": f"{i % 200 + 1} High Street",
            "city": "Leeds",
            "postcode": "LS1 4AB",
            "country": "GB",
        }
        lines = []
        for j, (sku, name, price) in enumerate(pick.sample(products, pick.randint(1, 4))):
            quantity = pick.randint(1, 3)
            lines.append(
                {
                    "id": oid * 10 + j,
                    "name": name,
                    "sku": sku,
                    "quantity": quantity,
                    "total": f"{float(price) * quantity:.2f}",
                    "total_tax": f"{float(price) * quantity * 0.2:.2f}",
                }
            )
        orders.append(
            {
                "id": oid,
                "number": str(oid),
                "status": "processing",
                "currency": "GBP",
                "date_created_gmt": moment,
                "date_modified_gmt": moment,
                "shipping_total": "4.95",
                "billing": {**person, "email": f"c{i % 3000}@example.com"},
                "shipping": person,
                "line_items": lines,
                "shipping_lines": [{"method_title": "Royal Mail Tracked 48"}],
            }
        )
    return orders


def _serve(orders: list[dict[str, Any]]) -> ThreadingHTTPServer:
    """GET /wp-json/wc/v3/orders?page=N&per_page=M, as WooCommerce pages (X-WP-TotalPages)."""
    pages = [json.dumps(orders[i : i + PAGE]).encode() for i in range(0, len(orders), PAGE)]
    expected = "Basic " + base64.b64encode(SECRET.encode()).decode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            query = parse_qs(urlsplit(self.path).query)
            page = int(query.get("page", ["1"])[0])
            ok = self.headers.get("Authorization") == expected
            body = (pages[page - 1] if page <= len(pages) else b"[]") if ok else b"{}"
            self.send_response(200 if ok else 401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-WP-Total", str(len(orders)))
            self.send_header("X-WP-TotalPages", str(max(1, len(pages))))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _config(home: Path, url: str) -> None:
    folder = home / "config"
    folder.mkdir(parents=True)
    path = folder / "config.toml"
    path.write_text(
        f'[channels.bench]\nkind = "woocommerce"\nurl = "{url}"\n'
        f'secret_env = "PACKBENCH_BENCH_WOO_SECRET"\npage_size = {PAGE}\n',
        encoding="utf-8",
    )
    path.chmod(0o600)


def _timed(home: Path, args: list[str]) -> dict[str, Any]:
    env = {**os.environ, "PACKBENCH_HOME": str(home), "PACKBENCH_BENCH_WOO_SECRET": SECRET}
    env.pop("PACKBENCH_CENTRAL_URL", None)  # the embedded store, whatever the caller uses
    env.pop("PACKBENCH_CONFIG", None)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env
    )
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(
            f"packbench {' '.join(args[:2])} ended with {done.returncode}: "
            f"{done.stderr.strip()[-300:]}"
        )
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    if "accounts" in summary:
        summary = summary["accounts"][0]
    return {
        "seconds": round(seconds, 2),
        "orders_per_s": round((summary["imported"] + summary["held"]) / seconds),
        "imported": summary["imported"],
        "held": summary["held"],
        "rejected": summary["rejected"],
    }
