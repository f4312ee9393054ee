"""The station's background sync, as the window sees it: how far a round has got, and its outcome.

The loop itself is ``app.sync.loop.SyncLoop`` (plain Python, built by ``app.bootstrap``, run
by the station); this thin link re-emits its events as signals handled on the GUI thread, and
holds back the progress of a quick round so that it does not flicker.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from app.sync.engine import SyncProgress, SyncReport
from app.sync.loop import SyncLoop


class StationSync(QObject):
    """The station's sync loop as signals; ``sync_now`` asks for a round.

    Signals:
        progressed: a ``SyncProgress`` of a round that has run for ``show_after_s`` or more:
            long work shows that it is working, a quick round does not flicker.
        synced: a ``SyncReport`` (online or not) after each attempt.
    """

    progressed = Signal(SyncProgress)
    synced = Signal(SyncReport)
    _started = Signal()
    _progressed = Signal(SyncProgress)
    _finished = Signal(SyncReport)

    def __init__(
        self, loop: SyncLoop, parent: QObject | None = None, show_after_s: float = 0.5
    ) -> None:
        super().__init__(parent)
        self._loop = loop
        self.last: SyncReport | None = loop.last
        self.progress: SyncProgress | None = None
        """How far the round under way has got, once it is shown (None: none shown)."""
        self.show_after_s = show_after_s
        self._busy = False
        self._began = 0.0
        self._latest: SyncProgress | None = None
        self._started.connect(self._on_started)
        self._progressed.connect(self._on_progressed)
        self._finished.connect(self._on_finished)
        loop.started.connect(self._relay_started)
        loop.progressed.connect(self._relay_progress)
        loop.synced.connect(self._relay_report)

    @Slot()
    def sync_now(self) -> None:
        """A round now (nothing while one runs: its report comes anyway)."""
        self._loop.sync_now()

    @property
    def busy(self) -> bool:
        return self._busy

    def close(self) -> None:
        self._loop.started.disconnect(self._relay_started)
        self._loop.progressed.disconnect(self._relay_progress)
        self._loop.synced.disconnect(self._relay_report)

    # On the sync thread: straight on to the GUI thread (queued, as the emitter is elsewhere).
    def _relay_started(self) -> None:
        self._started.emit()

    def _relay_progress(self, progress: SyncProgress) -> None:
        self._progressed.emit(progress)

    def _relay_report(self, report: SyncReport) -> None:
        self._finished.emit(report)

    @Slot()
    def _on_started(self) -> None:
        self._busy = True
        self._began, self._latest = time.monotonic(), None
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
            and time.monotonic() - self._began >= self.show_after_s
        ):
            self.progress = self._latest
            self.progressed.emit(self._latest)

    @Slot(SyncReport)
    def _on_finished(self, report: SyncReport) -> None:
        self._busy = False
        self.progress = None
        self.last = report
        self.synced.emit(report)
