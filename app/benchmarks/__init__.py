"""``packbench bench NAME``: a measured path next to its floor, in the same run.

Each benchmark prints one JSON object per line on stdout: the floor (the same work done the
barest way: raw sqlite3, a bare Qt signal, bare reportlab) and our path with its ratio to
the floor. Absolute times depend on the machine; the ratios are what to compare.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence

from app.domain.errors import DomainError

BENCHMARKS: dict[str, str] = {
    "catalogue": "app.benchmarks.catalogue",
    "connector": "app.benchmarks.connector",
    "fleet": "app.benchmarks.fleet",
    "import": "app.benchmarks.importing",
    "invoice": "app.benchmarks.invoice",
    "orders": "app.benchmarks.orders",
    "pack": "app.benchmarks.pack",
    "pick": "app.benchmarks.picking",
    "replug": "app.benchmarks.replug",
    "scan": "app.benchmarks.scan",
    "sync": "app.benchmarks.sync",
}


def percentiles_ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50 and p99 of durations given in seconds, as milliseconds."""
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 4),
        "p99_ms": round(p99 * 1000, 4),
    }


def run(
    name: str,
    n: int | None,
    emit: Callable[[dict[str, object]], None],
    **options: object,
) -> None:
    """Run benchmark ``name``; ``options`` (``stations``, ``minutes``) are the fleet's own."""
    import importlib

    module = importlib.import_module(BENCHMARKS[name])
    given = {key: value for key, value in options.items() if value is not None}
    if given:
        if name != "fleet":
            flags = ", ".join(f"--{key}" for key in sorted(given))
            raise BenchmarkRefused(f"{flags}: only the fleet benchmark takes these.")
        module.run(n, emit, **given)
        return
    module.run(n, emit)


class BenchmarkRefused(DomainError):
    """The benchmark cannot run as asked; the message says what to do."""
