"""Label printer, documents and scale, brought onto the GUI thread as Qt signals.

The device code (devices/) and the print queue (app.services.printjobs) know nothing of Qt;
here a background thread runs the spooler and the scale's own thread reports weights, and
each re-emits what it learns as a signal, so widgets only ever touch it on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from app.bootstrap import Station
from app.services import printjobs
from devices.label_printer import PrinterStatus
from devices.scale import Reading, ScaleState, SicsScale

log = logging.getLogger(__name__)

SPOOL_EVERY_S = 2.0
"""How often the spooler looks at the queue and the printer when nobody asks it to."""


@dataclass(frozen=True)
class PrintState:
    """What the bench shows of its printing: jobs waiting and why, the printer's state, and
    ``unsure``: each document not known to have printed since the bench started, with why
    ("label-ST-01-S000001-1of1 (the printer dropped the connection ...)")."""

    waiting: int
    problem: str | None
    status: PrinterStatus | None
    sent: int = 0
    configured: bool = True
    unsure: tuple[str, ...] = ()


class StationPrinting(QObject):
    """Sends queued labels and slips in the background; says what waits and why.

    Signals:
        changed: a ``PrintState`` after each pass of the spooler.
    """

    changed = Signal(PrintState)

    def __init__(self, station: Station, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self._kick = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsure: tuple[str, ...] = ()
        self.last: PrintState | None = None
        self.changed.connect(self._remember)

    def start(self) -> None:
        if self._thread is None:
            stuck = printjobs.recover_interrupted(self._station.local)
            self._unsure = tuple(_unsure(job) for job in stuck)
            self._thread = threading.Thread(target=self._run, name="print-spooler", daemon=True)
            self._thread.start()

    def kick(self) -> None:
        """Look at the queue now (a shipment was just made, a reprint asked for)."""
        self._kick.set()

    def close(self) -> None:
        self._stop.set()
        self._kick.set()
        if self._thread is not None:
            self._thread.join(timeout=3)
            self._thread = None

    def _remember(self, state: PrintState) -> None:
        self.last = state

    def _run(self) -> None:
        station = self._station
        while not self._stop.is_set():
            try:
                self.changed.emit(self.pass_once())
            except Exception:  # a bug: logged, and the spooler goes on
                log.exception("print spooler pass failed")
            self._kick.wait(SPOOL_EVERY_S)
            self._kick.clear()
        del station

    def pass_once(self) -> PrintState:
        station = self._station
        try:
            printer = station.label_printer()
        except ValueError as error:  # a bad [printer] address: say so, keep the jobs
            return PrintState(0, f"{error}. Correct [printer] in config.toml.", None)
        report = printjobs.send_queued(station.local, printer, station.document_sink())
        self._unsure += tuple(_unsure(job) for job in report.unsure)
        status = report.status
        if status is None and printer is not None and printer.two_way:
            status = printer.query_status(timeout=1.0)
        return PrintState(
            report.waiting,
            report.problem,
            status,
            len(report.sent),
            configured=printer is not None,
            unsure=self._unsure,
        )


def _unsure(job: printjobs.JobRow) -> str:
    return f"{job.name} ({job.waiting_for})" if job.waiting_for else job.name


class StationScale(QObject):
    """The bench scale's readings and state as signals; ``stable_grams`` for closing parcels.

    Signals:
        reading: each ``Reading`` (about five a second).
        state_changed: (state, sentence) when the scale connects or drops.
    """

    reading = Signal(Reading)
    state_changed = Signal(str, str)

    def __init__(self, station: Station, parent: QObject | None = None) -> None:
        super().__init__(parent)
        settings = station.config.scale
        self.port = settings.port
        self._scale: SicsScale | None = None
        self._last: Reading | None = None
        self.state = ScaleState.STOPPED.value
        self.reason = "not configured"
        self.state_changed.connect(self._remember_state)
        if settings.port:
            self._scale = SicsScale(
                settings.port,
                settings.baudrate,
                on_reading=self._on_reading,
                on_state=lambda state, why: self.state_changed.emit(state.value, why),
            )

    @property
    def configured(self) -> bool:
        return self._scale is not None

    def start(self) -> None:
        if self._scale is not None:
            self._scale.start()

    def close(self) -> None:
        if self._scale is not None:
            self._scale.stop()

    @property
    def last(self) -> Reading | None:
        return self._last

    def stable_grams(self, max_age_s: float = 2.0) -> int | None:
        """The last stable weight, if it is fresh (the parcel is still on the scale)."""
        last = self._last
        if last is None or not last.stable or time.monotonic() - last.at > max_age_s:
            return None
        return last.grams

    def zero(self) -> None:
        if self._scale is not None:
            self._scale.zero()

    def _on_reading(self, reading: Reading) -> None:
        # On the scale's thread: kept at once (one reference, set atomically), so a weight
        # is current even while the GUI thread is busy; the signal is for the display.
        self._last = reading
        self.reading.emit(reading)

    def _remember_state(self, state: str, reason: str) -> None:
        self.state, self.reason = state, reason
