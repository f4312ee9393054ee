"""The print spooler: one thread per station that sends queued labels and slips.

Plain Python, built by ``app.bootstrap`` with the printer and the documents destination it
opens, and run by whoever runs the station: the window (which shows each ``PrintState``
through a thin Qt link) or ``packbench spool`` headless. Two spoolers on one station (the
app and a headless one) never send a job twice: a job is taken ``queued -> sending`` in its
own transaction (``printjobs.send_queued``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from app.db.session import UnitOfWorkFactory
from app.domain.wording import count, listing, statement
from app.events import Event
from app.faults import deliberate
from app.services import printjobs
from app.services.printjobs import DocumentDestination, JobRow, LabelPrinter
from devices.label_printer import PrinterStatus, PrinterUnreachable

log = logging.getLogger(__name__)

SPOOL_EVERY_S = 2.0
"""How often the spooler looks at the queue and the printer when nobody asks it to."""


@dataclass(frozen=True)
class PrintState:
    """What the bench shows of its printing: jobs waiting and why, the printer's state, and
    ``unsure``: each document not known to have printed since the spooler started, with why
    ("label-ST-01-S000001-1of1 (the printer dropped the connection ...)")."""

    waiting: int
    problem: str | None
    status: PrinterStatus | None
    sent: int = 0
    configured: bool = True
    unsure: tuple[str, ...] = ()

    def line(self) -> str:
        """The state in one line, for ``packbench spool``."""
        said = [f"sent {count(self.sent, 'document')}"] if self.sent else []
        if self.waiting:
            why = statement(self.problem or "the printer is busy")
            said.append(f"{count(self.waiting, 'document')} waiting: {why}")
        elif self.problem:
            said.append(f"nothing waits, but the label printer: {statement(self.problem)}")
        else:
            said.append("nothing waits")
        if self.unsure:
            said.append(
                f"may not have printed: {listing(self.unsure, 5)}. Check the printer; a label "
                "that is not there prints again with packbench print label <its SSCC> --reprint"
            )
        return "; ".join(said)


class PrintSpooler:
    """Sends the station's queued documents, on a thread or one pass at a time.

    ``printer`` and ``documents`` open the destinations the configuration names (None: none
    set up); they are asked again on every pass, so a corrected address or a printer
    plugged in later is used without a restart. A bad address (``ValueError``) is reported
    in the state, and the jobs wait.

    Events (called on the spooler's thread):
        changed: a ``PrintState`` after each pass.
        failed: an exception a pass raised that is not the printer's (a bug); the spooler
            goes on with the next pass.
    """

    def __init__(
        self,
        local: UnitOfWorkFactory,
        printer: Callable[[], LabelPrinter | None],
        documents: Callable[[], DocumentDestination | None],
        every_s: float = SPOOL_EVERY_S,
    ) -> None:
        self._local = local
        self._printer = printer
        self._documents = documents
        self.every_s = every_s
        self.changed: Event[[PrintState]] = Event("print spooler state")
        self.failed: Event[[BaseException]] = Event("print spooler failure")
        self.last: PrintState | None = None
        self._unsure: tuple[str, ...] = ()
        self._recovered = False
        self._kick = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, *, recover: bool = True) -> None:
        """Send in the background until ``stop``: at once, on ``kick``, and every few seconds.

        ``recover``: first mark what a crash left half-sent (not while another spooler of
        the station may be sending: ``packbench spool`` beside the app).
        """
        if self._thread is None:
            if recover:
                self.recover()
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="print-spooler", daemon=True)
            self._thread.start()

    def kick(self) -> None:
        """Look at the queue now (a shipment was just made, a reprint asked for)."""
        self._kick.set()

    def stop(self, timeout: float = 3.0) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        self._kick.set()
        thread.join(timeout)

    def recover(self) -> None:
        """Once per station start, before anything is sent: jobs a crash left half-sent are
        marked unsure (``printjobs.recover_interrupted``), never resent by themselves."""
        if not self._recovered:
            stuck = printjobs.recover_interrupted(self._local)
            self._unsure += tuple(_unsure(job) for job in stuck)
            self._recovered = True

    def send_now(self) -> printjobs.SpoolReport:
        """Send what waits, on the caller's thread (``packbench print``), without asking an
        idle printer for its state; a bad ``[printer]`` address raises ``ValueError``."""
        report = printjobs.send_queued(self._local, self._printer(), self._documents())
        self._unsure += tuple(_unsure(job) for job in report.unsure)
        return report

    def pass_once(self) -> PrintState:
        """Send what can go now; the state it leaves (also told to ``changed``)."""
        state = self._pass()
        self.last = state
        self.changed.emit(state)
        return state

    def _pass(self) -> PrintState:
        deliberate("spooler")  # PACKBENCH_FAULT=spooler (app.faults)
        try:
            printer = self._printer()
        except ValueError as error:  # a bad [printer] address: say so, keep the jobs
            return PrintState(0, f"{error}. Correct [printer] in config.toml.", None)
        report = printjobs.send_queued(self._local, printer, self._documents())
        self._unsure += tuple(_unsure(job) for job in report.unsure)
        status = report.status
        if status is None and printer is not None and printer.two_way:
            try:
                status = printer.query_status(timeout=1.0)
            except PrinterUnreachable as error:  # nothing waits, but the packer should know
                return PrintState(
                    report.waiting, error.message, None, len(report.sent), unsure=self._unsure
                )
        return PrintState(
            report.waiting,
            report.problem,
            status,
            len(report.sent),
            configured=printer is not None,
            unsure=self._unsure,
        )

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.pass_once()
            except Exception as error:  # a bug: reported, and the spooler goes on
                log.exception("print spooler pass failed")
                self.failed.emit(error)
            self._kick.wait(self.every_s)
            self._kick.clear()


def _unsure(job: JobRow) -> str:
    return f"{job.name} ({job.waiting_for})" if job.waiting_for else job.name
