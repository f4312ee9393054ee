"""The GUI half of ``packbench bench scan``: scans across the thread hop, one at a time.

The measured path is the station's own: a ``Scan`` emitted on a reader thread (as
``SerialScannerLink`` does), queued to the GUI thread into the ``ScanHub``, queued again to
the window's handler (as ``MainWindow`` connects it), decoded and classified, and handed to
a workspace's ``on_scan``. The floor is a bare Qt signal carrying the text across the same
thread hop to a Python slot that looks it up in a dict. Scans go one at a time (the next
leaves when the last was handled), so each is a latency. ``app.benchmarks.scan`` prepares the
scans and reports the figures; the Qt lives here, under ``ui/``.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, SignalInstance, Slot
from PySide6.QtWidgets import QApplication

from app.domain.decode import ScanMeaning
from app.domain.scans import Scan
from ui.scanning import ScanHub


@dataclass(frozen=True)
class ScanTimings:
    """Seconds from leaving the reader thread to being handled, one per scan."""

    floor: list[float]
    ours: list[float]
    meanings: list[ScanMeaning]


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


def measure_scans(texts: list[str], interpret: Callable[[Scan], ScanMeaning]) -> ScanTimings:
    """The floor, then our path, over the same ``texts``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([])
    done = threading.Event()

    # Floor: the bare signal hop to a Python slot doing one dict lookup.
    lookup = {t: i for i, t in enumerate(texts)}
    handled: list[float] = []
    receiver = _FloorReceiver(lookup, handled, done)  # lives on this (the GUI) thread
    floor = _measure(list(texts), lambda s: s.connect(receiver.on_text), handled, done, app)

    # Ours: hub, queued handler, decode + classify, a workspace's on_scan.
    hub = ScanHub()
    handled_ours: list[float] = []
    meanings: list[ScanMeaning] = []

    def on_scan(meaning: ScanMeaning) -> None:  # what a workspace page receives
        meanings.append(meaning)
        handled_ours.append(time.perf_counter())
        done.set()

    hub.scan_read.connect(lambda scan: on_scan(interpret(scan)), Qt.ConnectionType.QueuedConnection)
    scans: list[object] = [Scan(t, None, "bench", 0.0) for t in texts]
    ours = _measure(scans, lambda s: s.connect(hub.deliver), handled_ours, done, app)
    return ScanTimings(floor, ours, meanings)
