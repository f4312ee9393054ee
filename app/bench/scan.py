"""Scan benchmark: from scan text arriving on a scanner thread to a workspace handler.

The measured path is the station's own: a ``Scan`` emitted on a reader thread (as
``SerialScannerLink`` does), queued to the GUI thread into the ``ScanHub``, queued again to
the window's handler (as ``MainWindow`` connects it), decoded and classified against the
demo catalogue, and handed to a workspace's ``on_scan``. The floor is a bare Qt signal
carrying the text across the same thread hop to a Python slot that looks it up in a dict.
Scans go one at a time (the next leaves when the last was handled), so each is a latency.
"""

from __future__ import annotations

import os
import random
import tempfile
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, SignalInstance, Slot

from app.bench import percentiles_ms
from app.domain.barcodes import gs1_check_digit
from app.domain.decode import ScanMeaning
from app.domain.scans import GS, Scan

DEFAULT_N = 10_000


class _Feeder(QObject):
    """Lives on a worker thread; sends the scans one by one, like a scanner's reader thread."""

    sent = Signal(object)

    def __init__(self, items: list[object], done: threading.Event) -> None:
        super().__init__()
        self.items = items
        self.done = done
        self.started_at: list[float] = []

    def feed(self) -> None:
        for item in self.items:
            self.done.clear()
            self.started_at.append(time.perf_counter())
            self.sent.emit(item)
            self.done.wait(5)


class _FloorReceiver(QObject):
    def __init__(self, lookup: dict[str, int], handled: list[float], done: threading.Event):
        super().__init__()
        self.lookup, self.handled, self.done = lookup, handled, done

    @Slot(object)
    def on_text(self, text: object) -> None:
        self.lookup.get(str(text))
        self.handled.append(time.perf_counter())
        self.done.set()


def _measure(
    items: list[object],
    connect: Callable[[SignalInstance], object],
    handled: list[float],
    done: threading.Event,
    app: QCoreApplication,
) -> list[float]:
    feeder = _Feeder(items, done)
    thread = QThread()
    feeder.moveToThread(thread)
    connect(feeder.sent)
    thread.started.connect(feeder.feed)
    thread.start()
    while len(handled) < len(items):
        app.processEvents()
    thread.quit()
    thread.wait()
    return [end - start for start, end in zip(feeder.started_at, handled, strict=True)]


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
    from PySide6.QtWidgets import QApplication

    from app.bootstrap import open_station
    from app.config import load_config
    from app.services import demo
    from app.services.scanning import ScanInterpreter
    from ui.scanning import ScanHub

    n = n or DEFAULT_N
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="packbench-bench-") as home:
        station = open_station(load_config({"PACKBENCH_HOME": home}))
        dataset = demo.build_demo_dataset()
        demo.load_demo(station.local_engine, dataset)
        interpreter = ScanInterpreter(station.local)
        catalogue = interpreter.catalogue
        gtins = [str(r["code"]) for r in dataset.product_barcodes if str(r["code"]).isdigit()]
        orders = [str(r["number"]) for r in dataset.orders]
        bins = [str(r["code"]) for r in dataset.bins]
        texts = _scan_texts(n, gtins, orders, bins)

        # Floor: the bare signal hop to a Python slot doing one dict lookup.
        lookup = {t: i for i, t in enumerate(texts)}
        done = threading.Event()
        handled: list[float] = []

        receiver = _FloorReceiver(lookup, handled, done)  # lives on this (the GUI) thread
        floor = _measure(list(texts), lambda s: s.connect(receiver.on_text), handled, done, app)

        # Ours: hub, queued handler, decode + classify, a workspace's on_scan.
        hub = ScanHub()
        handled2: list[float] = []
        meanings: list[ScanMeaning] = []

        def on_scan(meaning: ScanMeaning) -> None:  # what a workspace page receives
            meanings.append(meaning)
            handled2.append(time.perf_counter())
            done.set()

        hub.scan_read.connect(
            lambda scan: on_scan(interpreter.interpret(scan)), Qt.ConnectionType.QueuedConnection
        )
        scans: list[object] = [Scan(t, None, "bench", 0.0) for t in texts]
        ours = _measure(scans, lambda s: s.connect(hub.deliver), handled2, done, app)
        station.close()
        del catalogue

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
