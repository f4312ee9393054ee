"""Orders benchmark: the Orders workspace over 100,000 orders, next to bare floors.

``-n`` is the number of repetitions (default 5). A station in a temporary PACKBENCH_HOME
gets 100,000 orders (``app.benchmarks.order_data``); the search words are folded first, as
the workspace does in the background once it has shown its first page. The Qt half, and
what each floor is, is in ``ui.orders_benchmark``.

Lines printed (one JSON object each): ``orders-open`` (building the page to its first rows
painted, next to a bare sqlite3 query of the same page into a bare QTableView),
``orders-filter`` once per filter text (asking for the filter to the table repainted, next
to a list filter of the same rows with a model reset), and ``orders-memory`` (the resident
memory of this process with the 100,000 orders in the store and the workspace open). Each
timed line has ``ratio``: the median of ours over the median of the floor.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable

from app.benchmarks.order_data import fill_orders, number_of

ORDERS = 100_000
DEFAULT_N = 5
# A frequent name, one order's number, one product: a common, a rare and a middling hit.
FILTERS = ("muller", number_of(51_234), "SKU-0042")


def run(n: int | None, emit: Callable[[dict[str, object]], None]) -> None:
    from app.bootstrap import open_station
    from app.config import load_config
    from app.domain.users import Actor, Role, permissions_of
    from app.services.order_search import prepare_search
    from ui.orders_benchmark import measure_filter, measure_opening, resident_mb

    n = n or DEFAULT_N
    with tempfile.TemporaryDirectory(prefix="packbench-bench-orders-") as home:
        station = open_station(load_config({"PACKBENCH_HOME": home}))
        try:
            started = time.perf_counter()
            fill_orders(station.local_engine, ORDERS)
            made = time.perf_counter() - started
            started = time.perf_counter()
            prepare_search(station.local)
            folded = time.perf_counter() - started
            emit(
                {
                    "bench": "orders-data",
                    "orders": ORDERS,
                    "made_s": round(made, 2),
                    "search_words_s": round(folded, 2),
                }
            )
            actor = Actor(
                0, "bench", Role.SUPERVISOR, permissions_of(Role.SUPERVISOR), station.station_id
            )
            path = str(station.local_engine.url.database)
            opening = measure_opening(station, actor, path, n)
            emit(_line("orders-open", opening.floor, opening.ours, rows=opening.shown))
            for text in FILTERS:
                timings = measure_filter(station, actor, path, text, n)
                emit(
                    _line("orders-filter", timings.floor, timings.ours, text=text,
                          rows=timings.shown)
                )  # fmt: skip
            emit({"bench": "orders-memory", "orders": ORDERS, "rss_mb": resident_mb()})
        finally:
            station.close()


def _line(name: str, floor: list[float], ours: list[float], **extra: object) -> dict[str, object]:
    floor_ms = statistics.median(floor) * 1000
    ours_ms = statistics.median(ours) * 1000
    return {
        "bench": name,
        **extra,
        "n": len(ours),
        "floor_ms": round(floor_ms, 2),
        "ours_ms": round(ours_ms, 2),
        "ratio": round(ours_ms / floor_ms, 2) if floor_ms else None,
    }
