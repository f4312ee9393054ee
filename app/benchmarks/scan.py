"""Scan benchmark: from scan text arriving on a scanner thread to a workspace handler.

The path measured (and its floor, a bare Qt signal across the same thread hop) is described
in ``ui.scan_benchmark``, where the Qt half lives; here the scans are prepared from the demo
catalogue and the figures reported.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable

from app.benchmarks import percentiles_ms
from app.domain.barcodes import gs1_check_digit
from app.domain.scans import GS

DEFAULT_N = 10_000


def _scan_texts(n: int, gtins: list[str], orders: list[str], bins: list[str]) -> list[str]:
    rng = random.Random(3)
    texts: list[str] = []
    for _ in range(n):
        roll = rng.random()
        gtin = rng.choice(gtins)
        if roll < 0.55:
            texts.append(gtin.lstrip("0") if len(gtin.lstrip("0")) == 13 else gtin)
        elif roll < 0.70:
            texts.append(f"]C101{gtin}10L{rng.randint(1, 999)}{GS}17261130")
        elif roll < 0.80:
            texts.append(f"ORD-{rng.choice(orders)}")
        elif roll < 0.88:
            texts.append(rng.choice(bins))
        elif roll < 0.94:
            texts.append(rng.choice(["%PB:CLOSE", "%PB:QTY:6", "%PB:UNDO", "%PB:PRINT"]))
        else:
            body = f"{rng.randint(0, 10**11):012d}"
            texts.append(body + gs1_check_digit(body))  # a GTIN nobody has
    return texts


def run(n: int | None, emit: Callable[[dict[str, object]], None]) -> None:
    from app.bootstrap import open_station
    from app.config import load_config
    from app.services import demo
    from app.services.scanning import ScanInterpreter
    from ui.scan_benchmark import measure_scans

    n = n or DEFAULT_N
    with tempfile.TemporaryDirectory(prefix="packbench-bench-") as home:
        station = open_station(load_config({"PACKBENCH_HOME": home}))
        dataset = demo.build_demo_dataset()
        demo.load_demo(station.local_engine, dataset)
        interpreter = ScanInterpreter(station.local)
        assert interpreter.catalogue is not None  # read whole now, not on the first scan
        gtins = [str(r["code"]) for r in dataset.product_barcodes if str(r["code"]).isdigit()]
        orders = [str(r["number"]) for r in dataset.orders]
        bins = [str(r["code"]) for r in dataset.bins]
        texts = _scan_texts(n, gtins, orders, bins)
        timings = measure_scans(texts, interpreter.interpret)
        station.close()
    floor, ours, meanings = timings.floor, timings.ours, timings.meanings

    floor_figures = percentiles_ms(floor)
    figures = percentiles_ms(ours)
    emit(
        {
            "bench": "scan-floor",
            "n": n,
            **floor_figures,
            "what": "bare Qt signal across threads to a Python slot + dict lookup",
        }
    )
    emit(
        {
            "bench": "scan",
            "n": n,
            **figures,
            "floor_p50_ms": floor_figures["p50_ms"],
            "floor_p99_ms": floor_figures["p99_ms"],
            "ratio_p50": round(figures["p50_ms"] / floor_figures["p50_ms"], 2),
            "ratio_p99": round(figures["p99_ms"] / floor_figures["p99_ms"], 2),
            "recognised": sum(1 for m in meanings if m.kind.value != "unknown"),
            "what": "reader thread -> ScanHub -> queued handler -> decode + classify -> on_scan",
        }
    )
