"""The station's background sync: a round every few seconds and when asked, on its own thread.

Plain Python, built by ``app.bootstrap`` and started with the station; the window shows its
events through a thin Qt link (``ui.sync.StationSync``). The central store being away is not
an error here: ``sync_once`` says so in its report. A bug in a round is told to ``failed``
and the loop goes on with the next round.
"""

from __future__ import annotations

import logging
import threading

from app.context import StationContext
from app.events import Event
from app.sync.engine import SyncProgress, SyncReport, sync_once

log = logging.getLogger(__name__)


class SyncLoop:
    """Runs ``sync_once`` every ``interval_s`` seconds, and at once on ``sync_now``.

    Events (called on the sync thread):
        started: a round begins.
        progressed: a ``SyncProgress`` as the round gets on.
        synced: the ``SyncReport`` of each round, online or not.
        failed: an exception a round raised (a bug, not the network).
    """

    def __init__(self, station: StationContext, interval_s: float) -> None:
        self._station = station
        self.interval_s = interval_s
        self.started: Event[[]] = Event("sync round started")
        self.progressed: Event[[SyncProgress]] = Event("sync progress")
        self.synced: Event[[SyncReport]] = Event("sync report")
        self.failed: Event[[BaseException]] = Event("sync failure")
        self.last: SyncReport | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._busy = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    @property
    def busy(self) -> bool:
        """A round is under way."""
        return self._busy.is_set()

    def start(self, first_after_s: float = 1.0) -> None:
        """The first round after ``first_after_s`` (sooner on ``sync_now``), then every
        ``interval_s`` seconds."""
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._run, args=(first_after_s,), name="packbench-sync", daemon=True
            )
            self._thread.start()

    def sync_now(self) -> None:
        """A round now (nothing more while one runs: its report comes anyway)."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the round in flight (a dead central store gives up after its timeout)."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        self._wake.set()
        thread.join(timeout)
        if thread.is_alive():
            log.warning("the sync thread did not stop within %.0f s", timeout)

    def _run(self, first_after_s: float) -> None:
        self._sleep(first_after_s)
        while not self._stop.is_set():
            self._round()
            self._sleep(self.interval_s)

    def _sleep(self, seconds: float) -> None:
        self._wake.wait(seconds)
        self._wake.clear()

    def _round(self) -> None:
        self._busy.set()
        try:
            self.started.emit()
            report = sync_once(self._station, self.progressed.emit)
        except Exception as error:  # a bug, not the network: told, and the bench works on
            log.exception("sync failed")
            self.failed.emit(error)
            return
        finally:
            self._busy.clear()
        self.last = report
        self.synced.emit(report)
