"""Sync with the central store in the background, so the bench never waits for the network.

A worker on its own thread runs ``app.sync.engine.sync_once`` every ``interval`` seconds (and
on request); the window learns how far a round has got and its outcome through signals handled
on the GUI thread.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from app.bootstrap import Station
from app.sync.engine import SyncProgress, SyncReport, sync_once

log = logging.getLogger(__name__)


class SyncWorker(QObject):
    """Lives on the sync thread; one sync per request.

    Signals:
        progressed: a ``SyncProgress`` as the round gets on (emitted on the sync thread).
        finished: the ``SyncReport`` of one pull and push.
    """

    progressed = Signal(SyncProgress)
    finished = Signal(SyncReport)

    def __init__(self, station: Station) -> None:
        super().__init__()
        self._station = station

    @Slot()
    def run_once(self) -> None:
        try:
            report = sync_once(self._station, self.progressed.emit)
        except Exception:  # a bug, not the network: log it and keep the bench working
            log.exception("sync failed")
            return
        self.finished.emit(report)


class StationSync(QObject):
    """The station's background sync: every ``interval_s`` seconds, and ``sync_now``.

    Signals:
        progressed: a ``SyncProgress`` of a round that has run for ``show_after_s`` or more:
            long work shows that it is working, a quick round does not flicker.
        synced: a ``SyncReport`` (online or not) after each attempt.
        requested: internal, queued to the worker's thread.
    """

    progressed = Signal(SyncProgress)
    synced = Signal(SyncReport)
    requested = Signal()

    def __init__(
        self,
        station: Station,
        interval_s: float,
        parent: QObject | None = None,
        show_after_s: float = 0.5,
    ):
        super().__init__(parent)
        self.last: SyncReport | None = None
        self.progress: SyncProgress | None = None
        """How far the round under way has got, once it is shown (None: none shown)."""
        self.show_after_s = show_after_s
        self._busy = False
        self._started = 0.0
        self._latest: SyncProgress | None = None
        self._thread = QThread(self)
        self._thread.setObjectName("packbench-sync")
        self._worker = SyncWorker(station)
        self._worker.moveToThread(self._thread)
        self.requested.connect(self._worker.run_once)
        self._worker.progressed.connect(self._on_progressed)
        self._worker.finished.connect(self._on_finished)
        self._thread.finished.connect(self._worker.deleteLater)
        self._timer = QTimer(self)
        self._timer.setInterval(int(interval_s * 1000))
        self._timer.timeout.connect(self.sync_now)

    def start(self, first_after_s: float = 1.0) -> None:
        self._thread.start()
        self._timer.start()
        QTimer.singleShot(int(first_after_s * 1000), self.sync_now)

    @Slot()
    def sync_now(self) -> None:
        if self._busy or not self._thread.isRunning():
            return
        self._busy = True
        self._started, self._latest = time.monotonic(), None
        self.requested.emit()
        # A round stuck connecting says so too, though no progress comes meanwhile.
        QTimer.singleShot(int(self.show_after_s * 1000) + 10, self._show_latest)

    @Slot(SyncProgress)
    def _on_progressed(self, progress: SyncProgress) -> None:
        self._latest = progress
        self._show_latest()

    @Slot()
    def _show_latest(self) -> None:
        if (
            self._busy
            and self._latest is not None
            and time.monotonic() - self._started >= self.show_after_s
        ):
            self.progress = self._latest
            self.progressed.emit(self._latest)

    @Slot(SyncReport)
    def _on_finished(self, report: SyncReport) -> None:
        self._busy = False
        self.progress = None
        self.last = report
        self.synced.emit(report)

    @property
    def busy(self) -> bool:
        return self._busy

    def close(self) -> None:
        self._timer.stop()
        if not self._thread.isRunning():
            return
        self._thread.quit()
        # A sync in flight finishes first; a dead central store gives up after its timeout.
        self._thread.wait(10_000)
