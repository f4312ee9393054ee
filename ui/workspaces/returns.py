"""The Returns desk: what came back scanned in, sorted, refunded and credited (docs/returns.md).

A scan-driven bench like Pack (``ui/workspaces/bench.py``). Anything that came back finds
its order (``returns.find``): a parcel's SSCC, the order or its packing slip, an RA, a
serial, or an item's barcode (then the recent orders that shipped it, newest first, to scan
or pick). Each item scan takes one unit (or a case) back with its reason's default
disposition; RESTOCK / QUARANTINE / SCRAP or a bin's label change the last one; OK shows
the refund, OK again confirms, prints the credit note and the bin and quarantine labels.
Every command has a key. ``ReturnsController`` keeps the desk's small state and calls one
service per intent; the rules are in ``app/services/returns.py`` and ``app/domain/returns.py``.
A report of what came back (by reason, product, disposition) is one key away (F10).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import Station
from app.domain.bench import HIDDEN, Awaiting, BenchResult, Need, Prompt, Tone
from app.domain.decode import Command, ProductHit, ScanKind, ScanMeaning
from app.domain.errors import DomainError
from app.domain.returns import (
    Condition,
    Disposition,
    LateReturn,
    NotInOrder,
    Reason,
    Refund,
)
from app.domain.users import Actor, Permission, Workspace
from app.domain.wording import count, sentences
from app.services import returns
from app.services.printouts import print_return_labels, write_file
from app.services.returns import Candidate, Confirmed, LineView, ReportRow, ReturnView, UnitView
from ui.devices_bridge import StationPrinting
from ui.domain_text import disposition_name, reason_name
from ui.tables import FlashingRowsModel, ModelIndex, RowsModel, aligned, bold, read_only_table
from ui.theme import tint
from ui.widgets import MessageBand, styled_label
from ui.workspaces.base import PageContext, WorkspacePage
from ui.workspaces.bench import BenchController, BenchPage, Key

log = logging.getLogger(__name__)

PURPOSE = (
    "Scan what came back: the parcel's label, the order or its packing slip, the RA, a serial "
    "or just an item. Then scan each item back, OK the refund, and OK again to print the "
    "credit note and the labels."
)
REASONS = tuple(Reason)
ROW_HEIGHT = 32
CONDITIONS = tuple(Condition)


def _day(moment: datetime | None) -> str:
    return f"{moment.astimezone():%Y-%m-%d}" if moment is not None else "—"


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:.2f} {currency}"


# --- tables -------------------------------------------------------------------------------


class LinesModel(FlashingRowsModel[LineView]):
    """The order's lines: what shipped, came back before, comes back now, may still come."""

    COLUMNS = (
        str(QT_TRANSLATE_NOOP("LinesModel", "SKU")),
        str(QT_TRANSLATE_NOOP("LinesModel", "Item")),
        str(QT_TRANSLATE_NOOP("LinesModel", "Shipped")),
        str(QT_TRANSLATE_NOOP("LinesModel", "Returned")),
        str(QT_TRANSLATE_NOOP("LinesModel", "Now")),
        str(QT_TRANSLATE_NOOP("LinesModel", "Returnable")),
    )

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self.row_at(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                line.sku,
                line.name,
                line.shipped,
                line.returned,
                line.receiving,
                line.returnable,
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(aligned(column >= 2))
        if role == Qt.ItemDataRole.FontRole and column in (0, 5):
            return bold()
        if role == Qt.ItemDataRole.BackgroundRole:
            if line.line_no == self.flash_line:
                return tint(Tone.DONE)
            if line.receiving:
                return tint(Tone.DONE).lighter(112)
        return None


class UnitsModel(FlashingRowsModel[UnitView]):
    """The units of the open return: each with its reason, condition and where it goes."""

    COLUMNS = (
        "#",
        str(QT_TRANSLATE_NOOP("UnitsModel", "SKU")),
        str(QT_TRANSLATE_NOOP("UnitsModel", "Serial")),
        str(QT_TRANSLATE_NOOP("UnitsModel", "Reason")),
        str(QT_TRANSLATE_NOOP("UnitsModel", "Condition")),
        str(QT_TRANSLATE_NOOP("UnitsModel", "Goes to")),
    )

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        unit = self.row_at(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f"{index.row() + 1}" + (f" ×{unit.units}" if unit.units > 1 else "")
            if column == 1:
                return unit.sku + ("  (not in the order)" if unit.unexpected else "")
            if column == 2:
                return unit.serial or ""
            if column == 3:
                if unit.reason is None:
                    return "?"
                return reason_name(unit.reason) + (
                    f": {unit.reason_text}" if unit.reason_text else ""
                )
            if column == 4:
                return unit.condition.value.capitalize() if unit.condition else "—"
            if unit.disposition is None:
                return "?"
            where = f" → {unit.bin_code}" if unit.bin_code else ""
            return disposition_name(unit.disposition) + where
        if role == Qt.ItemDataRole.BackgroundRole:
            if unit.id == self.flash_line:
                return tint(Tone.DONE)
            if unit.unexpected or unit.disposition is not Disposition.RESTOCK:
                return tint(Tone.WAITING) if column == 5 else None
        return None


class CandidatesModel(RowsModel[Candidate]):
    """Orders a scan may belong to, newest first: the clerk scans or picks one."""

    COLUMNS = (
        str(QT_TRANSLATE_NOOP("CandidatesModel", "Order")),
        str(QT_TRANSLATE_NOOP("CandidatesModel", "Customer")),
        str(QT_TRANSLATE_NOOP("CandidatesModel", "Shipped")),
        str(QT_TRANSLATE_NOOP("CandidatesModel", "Returnable")),
        str(QT_TRANSLATE_NOOP("CandidatesModel", "Window")),
        str(QT_TRANSLATE_NOOP("CandidatesModel", "Found by")),
    )

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        c = self.row_at(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            window = "LATE" if c.late else f"until {_day(c.window_ends)}"
            return (
                c.order_number,
                c.customer,
                _day(c.shipped_at),
                c.returnable,
                window,
                c.found_by + (f" · {c.open_return} open" if c.open_return else ""),
            )[column]
        if role == Qt.ItemDataRole.BackgroundRole and column == 4 and c.late:
            return tint(Tone.WAITING)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(aligned(column == 3))
        return None


class SummaryModel(RowsModel[tuple[str, int]]):
    """One grouping of the report: a key and the units that came back under it."""

    def __init__(self, heading: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.COLUMNS = (heading, str(QT_TRANSLATE_NOOP("SummaryModel", "Units")))  # type: ignore[misc]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return row[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(aligned(index.column() > 0))
        return None


def summed(rows: list[ReportRow], key: Callable[[ReportRow], str]) -> list[tuple[str, int]]:
    """The report's units added up by one of its keys, most first (what is on screen; the
    CSV keeps the service's rows, with how many returns each came in)."""
    units: dict[str, int] = {}
    for r in rows:
        units[key(r)] = units.get(key(r), 0) + r.units
    return sorted(units.items(), key=lambda x: (-x[1], x[0]))


# --- what the desk waits for ---------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SerialAwaited(Awaiting):
    """A serial-tracked item scanned: it is taken back when its serial comes."""

    hit: ProductHit
    scan: str

    @classmethod
    def of(cls, hit: ProductHit, scan: str) -> SerialAwaited:
        return cls(
            need=Need.SERIAL,
            prompt=f"NEXT  scan the serial number of the {hit.sku} that came back",
            refusal=f"Scan the serial number of {hit.sku} first (or CANCEL).",
            hit=hit,
            scan=scan,
        )


@dataclass(frozen=True, kw_only=True)
class UnexpectedAwaited(Awaiting):
    """An item not in the order: OK takes it in as unexpected (quarantine only)."""

    scan: str
    serial: str | None = None

    @classmethod
    def of(cls, scan: str, why: str, serial: str | None = None) -> UnexpectedAwaited:
        return cls(
            need=Need.CONFIRMATION,
            prompt=sentences(
                why,
                "OK takes it in as an unexpected item, to quarantine only; CANCEL puts it aside",
            ),
            refusal="Scan OK to take the unexpected item in for quarantine, or CANCEL.",
            scan=scan,
            serial=serial,
        )


@dataclass(frozen=True, kw_only=True)
class LateAwaited(Awaiting):
    """A late return a supervisor accepts: the reason is typed, Enter opens it."""

    order_number: str
    scan: str | None = None  # the item scanned that opened it, taken in once it is open


@dataclass(frozen=True, kw_only=True)
class OpeningAwaited(Awaiting):
    """The order's return (or a scanned RA) being opened off the GUI thread; the scan that
    opened it waits. ``key``: the order number or RA asked for."""

    key: str
    scan: str | None = None
    late_reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class OtherAwaited(Awaiting):
    """The last unit's reason is "other": the words are typed, Enter sets them."""


@dataclass(frozen=True, kw_only=True)
class RefundAwaited(Awaiting):
    """The refund shown: OK confirms the return, CANCEL goes back to scanning."""

    refund: Refund


@dataclass(frozen=True)
class Found:
    """The orders a scan may belong to: one to show, or several to pick from."""

    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class Opened:
    """What opening an order's return (or resuming an RA) did, off the GUI thread: the
    ``view``, or why not (``late``: outside the window, in the service's words;
    ``refusal``: anything else). ``key``: the order number or RA asked for."""

    key: str
    view: ReturnView | None = None
    late: str | None = None
    refusal: str | None = None
    late_reason: str | None = None


@dataclass(frozen=True)
class ConfirmOutcome:
    """What confirming a return did, off the GUI thread: ``done`` when it was confirmed
    (else ``refusal`` says why, nothing changed), and what printing it did, in words."""

    ra_number: str
    done: Confirmed | None = None
    refusal: str | None = None
    printed: str = ""
    print_failed: bool = False


@dataclass(frozen=True)
class Report:
    """The report as read for a date range, or why it could not be."""

    start: date
    end: date
    rows: list[ReportRow] = field(default_factory=list)
    error: str | None = None


class Worker(QObject):
    """Runs the slow steps (opening a return, which may take over one another station saved
    from the central store; confirming a return, which renders and queues its credit notes,
    then its labels; reading the report) on a daemon thread and hands the answer to the GUI
    thread; the clerk scans the next parcel meanwhile.

    Signals:
        opened: an ``Opened``.
        confirmed: a ``ConfirmOutcome``.
        reported: a ``Report``.
    """

    opened = Signal(Opened)
    confirmed = Signal(ConfirmOutcome)
    reported = Signal(Report)

    def open_return(
        self, station: Station, actor: Actor, number: str, late_reason: str | None
    ) -> None:
        threading.Thread(
            target=self._open,
            args=(station, actor, number, late_reason),
            name=f"open-return-{number}",
            daemon=True,
        ).start()

    def resume(self, station: Station, actor: Actor, ra_number: str) -> None:
        threading.Thread(
            target=self._resume,
            args=(station, actor, ra_number),
            name=f"resume-{ra_number}",
            daemon=True,
        ).start()

    def _resume(self, station: Station, actor: Actor, ra_number: str) -> None:
        try:
            outcome = Opened(ra_number, returns.resume(station, actor, ra_number))
        except DomainError as refused:
            outcome = Opened(ra_number, refusal=refused.message)
        except Exception:
            log.exception("resuming return %s failed", ra_number)
            outcome = Opened(ra_number, refusal="The return could not be resumed (see the log).")
        with suppress(RuntimeError):
            self.opened.emit(outcome)

    def _open(self, station: Station, actor: Actor, number: str, late_reason: str | None) -> None:
        try:
            view = returns.open_return(station, actor, number, late_reason)
            outcome = Opened(number, view, late_reason=late_reason)
        except LateReturn as late:
            outcome = Opened(number, late=late.message)
        except DomainError as refused:
            outcome = Opened(number, refusal=refused.message)
        except Exception:  # a bug: logged; nothing was opened (one transaction)
            log.exception("opening a return for order %s failed", number)
            outcome = Opened(number, refusal="The return could not be opened (see the log).")
        with suppress(RuntimeError):  # the desk was closed meanwhile
            self.opened.emit(outcome)

    def confirm(self, station: Station, actor: Actor, ra_number: str) -> None:
        threading.Thread(
            target=self._confirm, args=(station, actor, ra_number), name="return", daemon=True
        ).start()

    def report(self, station: Station, actor: Actor, start: date, end: date) -> None:
        threading.Thread(
            target=self._report, args=(station, actor, start, end), name="report", daemon=True
        ).start()

    def _confirm(self, station: Station, actor: Actor, ra_number: str) -> None:
        try:
            done = returns.confirm(station, actor, ra_number)  # queues its credit notes too
        except DomainError as refused:
            outcome = ConfirmOutcome(ra_number, refusal=refused.message)
        except Exception:  # a bug: logged; nothing was confirmed (one transaction)
            log.exception("confirming return %s failed", ra_number)
            outcome = ConfirmOutcome(ra_number, refusal="It could not be confirmed (see the log).")
        else:
            try:
                printed = print_return_labels(station, station.spooler, actor, ra_number).line
                outcome = ConfirmOutcome(ra_number, done, printed=printed)
            except DomainError as error:
                outcome = ConfirmOutcome(
                    ra_number,
                    done,
                    printed=self.tr("labels not printed: %s") % error.message,
                    print_failed=True,
                )
            except Exception:
                log.exception("printing the labels of return %s failed", ra_number)
                outcome = ConfirmOutcome(
                    ra_number, done, printed="labels not printed (see the log)", print_failed=True
                )
        with suppress(RuntimeError):  # the desk was closed meanwhile
            self.confirmed.emit(outcome)

    def _report(self, station: Station, actor: Actor, start: date, end: date) -> None:
        try:
            found = Report(start, end, returns.report(station, actor, start, end))
        except DomainError as error:
            found = Report(start, end, error=error.message)
        except Exception:
            log.exception("the returns report failed")
            found = Report(start, end, error="The report could not be read (see the log).")
        with suppress(RuntimeError):
            self.reported.emit(found)


# --- the controller ------------------------------------------------------------------------


class ReturnsController(BenchController):
    """The desk's state (orders found, the open return, what it waits for) and one service
    call per intent.

    Signals:
        found: the orders the last scan may belong to (several: pick one).
        view_changed: the ``ReturnView`` now open (units taken back so far).
        closed: the open return was put down or confirmed; the desk is empty again.
        refund_shown: the refund that OK would confirm.
        reason_asked: a typed reason is wanted (late return, "other"); the field's hint.
    """

    found = Signal(Found)
    view_changed = Signal(ReturnView)
    closed = Signal()
    refund_shown = Signal(Refund)
    reason_asked = Signal(str)

    doing = "taking returns back"

    def __init__(
        self, context: PageContext, printing: StationPrinting | None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.station = context.station
        self.actor = context.actor
        self.printing = printing
        self.candidates: list[Candidate] = []
        self.candidate: Candidate | None = None
        self.view: ReturnView | None = None
        self.last_confirmed: Confirmed | None = None
        self.confirming: set[str] = set()  # returns whose confirm has not answered yet
        self.worker = Worker(self)
        self.worker.confirmed.connect(self.on_confirmed)
        self.worker.opened.connect(self.on_opened)
        self.opening = False  # a return being opened off the GUI thread
        self._then: Callable[[], BenchResult] | None = None

    # --- entries --------------------------------------------------------------------------

    def take(self, meaning: ScanMeaning) -> BenchResult:
        decoded = meaning.decoded
        text = decoded.data.strip()
        if self.view is not None or self.candidate is not None:
            if meaning.kind is ScanKind.PRODUCT and meaning.product is not None:
                return self.item(meaning.product, text)
            if meaning.kind is ScanKind.BIN and self.view is not None:
                return self.to_bin(decoded.reference or text)
        if meaning.kind is ScanKind.ORDER and self.candidates:
            number = decoded.reference or text
            picked = next((c for c in self.candidates if c.order_number == number), None)
            if picked is not None:
                return self.pick(picked)
        return self.find(text, meaning.kind)

    def take_awaited(self, meaning: ScanMeaning, awaiting: Awaiting) -> BenchResult:
        if isinstance(awaiting, SerialAwaited):
            serial = meaning.decoded.serial or meaning.decoded.data.strip()
            self.awaiting = None
            try:
                return self._receive(awaiting.scan, serial=serial)
            except DomainError:
                self.awaiting = awaiting
                raise
        return self.refused(awaiting.refusal)

    def command(self, command: Command, argument: str, quantity: int | None) -> BenchResult:
        if command is Command.OK:
            return self.show_refund()
        if command in returns.DISPOSITION_COMMANDS:
            return self.dispose(returns.DISPOSITION_COMMANDS[command])
        if command is Command.UNDO:
            return self.undo()
        if command is Command.CANCEL:
            return self.cancel()
        return self.refused(
            self.tr(
                "%s does nothing at the returns desk: scan an item, RESTOCK, QUARANTINE, "
                "SCRAP, OK or CANCEL."
            )
            % command.value
        )

    def command_awaited(self, command: Command, awaiting: Awaiting) -> BenchResult:
        if command is Command.OK and isinstance(awaiting, RefundAwaited):
            return self.confirm()
        if command is Command.OK and isinstance(awaiting, UnexpectedAwaited):
            self.awaiting = None
            try:
                return self._receive(awaiting.scan, serial=awaiting.serial, unexpected=True)
            except DomainError:
                self.awaiting = awaiting
                raise
        return super().command_awaited(command, awaiting)

    def cancel(self) -> BenchResult:
        awaited = self.awaiting
        self.awaiting = None
        if isinstance(awaited, RefundAwaited):
            return self.done(
                self.tr("Not confirmed yet: scan more items, or OK to see the refund again")
            )
        if isinstance(awaited, UnexpectedAwaited):
            return self.done(self.tr("Unexpected item put aside, not taken in"))
        if awaited is not None:
            return self.done(self.tr("Cancelled"))
        if self.view is None and (self.candidate is not None or self.candidates):
            self._clear()
            return self.done(self.tr("Nothing opened; scan what came back"), prompt=HIDDEN)
        return self.done(self.tr("Nothing to cancel"), keep_prompt=True)

    def units(self, n: int) -> str:
        """``n`` units in words: "1 unit", "3 units"."""
        return self.tr("1 unit") if n == 1 else self.tr("%d units") % n

    def prompt(self) -> Prompt:
        if self.awaiting is not None:
            return super().prompt()
        if self.view is not None:
            if not self.view.units:
                return Prompt(self.tr("NEXT  scan each item that came back"))
            return Prompt(
                self.tr(
                    "NEXT  the next item · a disposition or a bin for the last one · OK: refund"
                )
            )
        if self.candidate is not None:
            return Prompt(
                self.tr("NEXT  scan each item of order %s that came back")
                % self.candidate.order_number
            )
        if self.candidates:
            return Prompt(
                self.tr("NEXT  scan the order number or packing slip, or pick one (↑↓ Enter)")
            )
        return HIDDEN

    # --- finding ---------------------------------------------------------------------------

    def find(self, text: str, kind: ScanKind | None = None) -> BenchResult:
        found = returns.find(self.station, self.actor, text)
        if not found and kind is ScanKind.RETURN_AUTHORISATION:
            return self.take_over(text)
        if not found:
            return self.refused(
                self.tr(
                    "No shipped order matches %s. Scan the parcel's label, the order number, "
                    "the RA or an item."
                )
                % text
            )
        if self.view is not None:  # the open return is saved; the desk turns to what was found
            self._close()
        if len(found) == 1:
            return self.pick(found[0])
        self.candidate = None
        self.candidates = found
        self.found.emit(Found(tuple(found)))
        return self.done(
            self.tr("%s: %d recent orders shipped it; scan or pick the one it came from")
            % (text, len(found))
        )

    def pick(self, candidate: Candidate) -> BenchResult:
        """The order it came from: its open return resumed, or shown until an item comes."""
        self.candidates = []
        if candidate.open_return is not None:
            view = returns.open_return(self.station, self.actor, candidate.order_number)
            self.candidate = candidate
            self._show(view)
            return self.done(
                self.tr("%s (order %s) resumed: %s already taken back")
                % (view.number, view.order_number, self.units(view.received))
            )
        self.candidate = candidate
        self.found.emit(Found((candidate,)))
        said = self.tr("Order %s (%s), shipped %s: %d returnable") % (
            candidate.order_number,
            candidate.customer,
            _day(candidate.shipped_at),
            candidate.returnable,
        )
        if candidate.late:
            said += "; LATE: outside the return window"
            if not self.actor.may(Permission.ACCEPT_LATE_RETURNS):
                said += " (a supervisor accepts it)"
        return self.done(said)

    def take_over(self, ra_number: str) -> BenchResult:
        """An RA this station does not hold: asked of the central store off the GUI thread
        (another station saved it open; it is finished here from then on)."""
        if self.view is not None:
            self._close()
        self._clear()
        self.awaiting = OpeningAwaited(
            need=Need.CONFIRMATION,
            prompt=self.tr("Asking the central store for %s…") % ra_number,
            refusal=self.tr("Asking the central store for %s: scan that again in a moment.")
            % ra_number,
            key=ra_number,
        )
        self.opening = True
        self.worker.resume(self.station, self.actor, ra_number)
        return self.done(
            self.tr("%s is not at this station: asking the central store…") % ra_number
        )

    def resume_saved(self) -> BenchResult:
        """The oldest return saved and not confirmed, as it was left (on any station)."""
        saved = returns.open_returns(self.station, self.actor)
        if not saved:
            return self.refused(self.tr("No return is waiting to be finished."))
        if self.view is not None:
            self._close()
        view = saved[0]
        self.candidates = []
        self.candidate = None
        self._show(view)
        return self.done(
            self.tr("%s (order %s) resumed: %s already taken back")
            % (view.number, view.order_number, self.units(view.received))
        )

    # --- receiving ------------------------------------------------------------------------

    def item(self, hit: ProductHit, scan: str) -> BenchResult:
        if hit.serial_tracked:
            if self.view is None:
                return self._open(lambda: self._await_serial(hit, scan), scan)
            return self._await_serial(hit, scan)
        return self._receive(scan)

    def _await_serial(self, hit: ProductHit, scan: str) -> BenchResult:
        self.awaiting = SerialAwaited.of(hit, scan)
        return self.done(self.tr("%s: now scan its serial number") % hit.sku)

    def _open(
        self,
        then: Callable[[], BenchResult] | None,
        scan: str | None,
        late_reason: str | None = None,
    ) -> BenchResult:
        """Open the picked order's return off the GUI thread (it may ask the central store
        for one another station saved: ``on_opened``), then ``then`` (the item taken in)."""
        assert self.candidate is not None
        number = self.candidate.order_number
        self.awaiting = OpeningAwaited(
            need=Need.CONFIRMATION,
            prompt=self.tr("Opening a return for order %s…") % number,
            refusal=self.tr("Opening the return of order %s: scan that again in a moment.")
            % number,
            key=number,
            scan=scan,
            late_reason=late_reason,
        )
        self._then = then
        self.opening = True
        self.worker.open_return(self.station, self.actor, number, late_reason)
        return self.done(self.tr("Order %s: opening its return…") % number)

    def on_opened(self, opened: Opened) -> None:
        """The return opened (or refused) off the GUI thread: shown, and the item that
        opened it taken in; a late one waits for a supervisor's reason."""
        self.opening = False
        awaited = self.awaiting
        then, self._then = self._then, None
        if not isinstance(awaited, OpeningAwaited) or awaited.key != opened.key:
            return  # cancelled or moved on meanwhile: an opened return is saved, listed
        self.awaiting = None
        number = opened.key
        if opened.view is not None:
            self._show(opened.view)
            result = (
                self.run(then)
                if then is not None
                else self.done(
                    self.tr("%s (order %s) resumed: %s already taken back")
                    % (
                        opened.view.number,
                        opened.view.order_number,
                        self.units(opened.view.received),
                    )
                )
            )
            if opened.late_reason:
                said = self.tr("%s opened late, accepted by %s: %s") % (
                    opened.view.number,
                    self.actor.name,
                    opened.late_reason,
                )
                result = replace_said(result, sentences(said, result.said or ""))
            self.answered.emit(result)
            return
        if opened.late is not None and self.actor.may(Permission.ACCEPT_LATE_RETURNS):
            self.awaiting = LateAwaited(
                need=Need.REASON,
                prompt=sentences(opened.late, "Type why it is accepted and press Enter"),
                refusal="Type why this late return is accepted and press Enter, or CANCEL.",
                order_number=number,
                scan=awaited.scan,
            )
            self.reason_asked.emit(
                self.tr("Why this late return is accepted, e.g. 'courier delay'")
            )
            self.answered.emit(self.done(self.tr("Order %s is outside the return window") % number))
            return
        self.answered.emit(self.refused(opened.refusal or opened.late or self.tr("Not opened.")))

    @property
    def busy(self) -> bool:
        """A return is being opened or confirmed off the GUI thread."""
        return self.opening or bool(self.confirming)

    def accept_late(self, reason: str) -> BenchResult:
        """The supervisor's reason typed: the late return opens, with the item scanned."""
        awaited = self.awaiting
        if not isinstance(awaited, LateAwaited):
            return self.refused(self.tr("No late return is waiting for a reason."))
        if not reason.strip():
            return self.refused(self.tr("Type why this late return is accepted, then press Enter."))
        scan = awaited.scan
        then = (lambda: self._receive(scan)) if scan is not None else None
        return self._open(then, scan, reason.strip())

    def _receive(
        self, scan: str, *, serial: str | None = None, unexpected: bool = False
    ) -> BenchResult:
        if self.view is None:
            return self._open(
                lambda: self._receive(scan, serial=serial, unexpected=unexpected), scan
            )
        try:
            view = returns.receive(
                self.station,
                self.actor,
                self.view.number,
                scan,
                serial=serial,
                unexpected=unexpected,
            )
        except NotInOrder as not_in:
            self.awaiting = UnexpectedAwaited.of(scan, not_in.message, serial)
            return BenchResult(not_in.message, Tone.REFUSED, None, self.awaiting, self.prompt())
        self._show(view)
        unit = view.last_unit
        assert unit is not None
        return self.done(self._unit_words(unit), flash_line=unit.line_no)

    def _unit_words(self, unit: UnitView) -> str:
        assert self.view is not None
        line = next((x for x in self.view.lines if x.line_no == unit.line_no), None)
        what = f"{unit.sku}" + (f" ×{unit.units}" if unit.units > 1 else "")
        if unit.serial:
            what += self.tr(" serial %s") % unit.serial
        back = (
            self.tr(": %d of %d back") % (line.receiving, line.shipped)
            if line is not None
            else self.tr(" (unexpected)")
        )
        reason = reason_name(unit.reason).lower() if unit.reason else self.tr("no reason")
        where = disposition_name(unit.disposition).lower() if unit.disposition else "?"
        if unit.bin_code:
            where += self.tr(" to %s") % unit.bin_code
        return f"{what}{back}, {reason} → {where}"

    def to_bin(self, code: str) -> BenchResult:
        """A bin's label: the last unit is restocked there instead."""
        view = self._need_view()
        view = returns.set_unit(
            self.station,
            self.actor,
            view.number,
            disposition=Disposition.RESTOCK,
            bin_code=code,
        )
        return self._changed(view)

    def dispose(self, disposition: Disposition) -> BenchResult:
        view = self._need_view()
        if disposition in returns.DISPOSITION_COMMANDS.values():
            command = next(c for c, d in returns.DISPOSITION_COMMANDS.items() if d is disposition)
            view = returns.confirm_disposition(self.station, self.actor, view.number, command)
        else:
            view = returns.set_unit(self.station, self.actor, view.number, disposition=disposition)
        return self._changed(view)

    def next_reason(self) -> BenchResult:
        """The last unit's reason, moved on to the next (its default disposition with it)."""
        view = self._need_view()
        unit = self._last(view)
        reason = (
            REASONS[(REASONS.index(unit.reason) + 1) % len(REASONS)] if unit.reason else REASONS[0]
        )
        if reason is Reason.OTHER:
            self.awaiting = OtherAwaited(
                need=Need.REASON,
                prompt="Type the other reason and press Enter (CANCEL keeps the one it has).",
                refusal="Type the other reason and press Enter, or CANCEL.",
            )
            self.reason_asked.emit(self.tr("The other reason, e.g. 'gift, duplicate'"))
            return self.done(self.tr("%s: other reason") % unit.sku)
        view = returns.set_unit(self.station, self.actor, view.number, reason=reason)
        return self._changed(view)

    def other_reason(self, text: str) -> BenchResult:
        view = self._need_view()
        awaited = self.awaiting
        self.awaiting = None
        try:
            view = returns.set_unit(
                self.station, self.actor, view.number, reason=Reason.OTHER, reason_text=text
            )
        except DomainError:
            self.awaiting = awaited
            raise
        return self._changed(view)

    def next_condition(self) -> BenchResult:
        view = self._need_view()
        unit = self._last(view)
        condition = (
            CONDITIONS[(CONDITIONS.index(unit.condition) + 1) % len(CONDITIONS)]
            if unit.condition
            else CONDITIONS[0]
        )
        view = returns.set_unit(self.station, self.actor, view.number, condition=condition)
        return self._changed(view)

    def undo(self) -> BenchResult:
        view = self._need_view()
        unit = self._last(view)
        view = returns.remove_unit(self.station, self.actor, view.number, unit.id)
        self._show(view)
        return self.done(self.tr("%s taken out of %s") % (unit.sku, view.number))

    # --- refund and confirming ------------------------------------------------------------

    def show_refund(self) -> BenchResult:
        view = self._need_view()
        refund = returns.preview_refund(self.station, self.actor, view.number)
        self.awaiting = RefundAwaited(
            need=Need.CONFIRMATION,
            prompt=self.tr("Refund %s: OK confirms and prints · CANCEL goes back")
            % _money(refund.total, refund.currency),
            refusal=self.tr("OK confirms the return, CANCEL goes back to scanning."),
            refund=refund,
        )
        self.refund_shown.emit(refund)
        return self.done(
            self.tr("Refund %s for %s") % (_money(refund.total, refund.currency), view.number)
        )

    def confirm(self) -> BenchResult:
        """OK on the refund: confirmed off the GUI thread (the credit notes are drawn and
        queued), answered by ``on_confirmed``; the desk is free for the next parcel."""
        view = self._need_view()
        self.confirming.add(view.number)
        self._close()
        self.worker.confirm(self.station, self.actor, view.number)
        return self.done(
            self.tr("%s: confirming and printing…") % view.number,
            prompt=Prompt(
                self.tr("%s confirming. Scan the next parcel that came back.") % view.number
            ),
        )

    def on_confirmed(self, outcome: ConfirmOutcome) -> None:
        self.confirming.discard(outcome.ra_number)
        if self.printing is not None:
            self.printing.kick()
        done = outcome.done
        if done is None:  # refused, nothing changed: back to it when the desk is free
            said = self.tr("%s not confirmed: %s") % (outcome.ra_number, outcome.refusal)
            if self.view is None and not self.candidates and self.candidate is None:
                with suppress(DomainError):
                    self._show(returns.resume(self.station, self.actor, outcome.ra_number))
                    self.awaiting = None
                    self.answered.emit(BenchResult(said, Tone.REFUSED, None, None, self.prompt()))
                    return
            self.answered.emit(BenchResult.refusal(said, self.awaiting))
            return
        self.last_confirmed = done
        if self.view is None and not self.candidates and self.candidate is None:
            self.closed.emit()  # the empty desk says what was done last
        notes = ", ".join(done.credit_notes) or "no credit note (nothing was invoiced)"
        said = self.tr("%s confirmed: refund %s; %s; %s") % (
            done.ret.number,
            _money(done.refund.total, done.refund.currency),
            notes,
            outcome.printed,
        )
        idle = self.view is None and not self.candidates and self.candidate is None
        following = (
            Prompt(self.tr("%s confirmed. Scan the next parcel that came back.") % done.ret.number)
            if idle
            else None  # the clerk is on the next parcel already: its NEXT line stays
        )
        tone = Tone.REFUSED if outcome.print_failed else Tone.DONE
        self.answered.emit(BenchResult(said, tone, None, self.awaiting, following))

    def leave(self) -> BenchResult:
        """Put the open return down, saved: scanning its RA or order (here or on any
        station) carries on."""
        if self.view is None:
            if self.candidate is not None or self.candidates:
                return self.cancel()
            return self.refused(self.tr("No return is open."))
        number = self.view.number
        self._close()
        return self.done(
            self.tr("%s saved") % number,
            prompt=Prompt(self.tr("%s saved; scan it (or its order) to carry on.") % number),
        )

    # --- plumbing -------------------------------------------------------------------------

    def _need_view(self) -> ReturnView:
        if self.view is None:
            raise DomainError(self.tr("No return is open: scan what came back first."))
        return self.view

    def _last(self, view: ReturnView) -> UnitView:
        if view.last_unit is None:
            raise DomainError(
                self.tr("Nothing was scanned into %s yet: scan an item first.") % view.number
            )
        return view.last_unit

    def _changed(self, view: ReturnView) -> BenchResult:
        self._show(view)
        unit = self._last(view)
        return self.done(self._unit_words(unit), flash_line=unit.line_no)

    def _show(self, view: ReturnView) -> None:
        self.view = view
        self.view_changed.emit(view)

    def _clear(self) -> None:
        self.awaiting = None
        self.candidates = []
        self.candidate = None

    def _close(self) -> None:
        self._clear()
        self.view = None
        self.closed.emit()


def replace_said(result: BenchResult, said: str) -> BenchResult:
    return BenchResult(said, result.tone, result.flash_line, result.awaiting, result.next)


# --- the report panel -----------------------------------------------------------------------


class ReportPanel(QWidget):
    """Returns by reason, by product and by disposition over a date range; Save as CSV."""

    def __init__(self, station: Station, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.actor = actor
        self.report: Report | None = None
        self.worker = Worker(self)
        self.worker.reported.connect(self.on_reported)
        self.ask_path: Callable[[str], str] = self._ask_path

        today = QDate.currentDate()
        self.start = QDateEdit(today.addDays(-30))
        self.end = QDateEdit(today)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.run_button = QPushButton("Enter  " + self.tr("Show"))
        self.run_button.clicked.connect(self.run)
        self.save_button = QPushButton("Ctrl+S  " + self.tr("Save as CSV…"))
        self.save_button.clicked.connect(self.save_csv)
        self.save_button.setEnabled(False)
        for button in (self.run_button, self.save_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("From")))
        top.addWidget(self.start)
        top.addWidget(QLabel(self.tr("to")))
        top.addWidget(self.end)
        top.addWidget(self.run_button)
        top.addWidget(self.save_button)
        top.addStretch(1)
        self.band = MessageBand()
        self.band.setAccessibleName(self.tr("Report"))

        self.models = {
            "reason": SummaryModel(str(QT_TRANSLATE_NOOP("SummaryModel", "Reason")), self),
            "product": SummaryModel(str(QT_TRANSLATE_NOOP("SummaryModel", "Product")), self),
            "disposition": SummaryModel(
                str(QT_TRANSLATE_NOOP("SummaryModel", "Disposition")), self
            ),
        }
        titles = {
            "reason": (self.tr("By reason"), self.tr("Returns by reason")),
            "product": (self.tr("By product"), self.tr("Returns by product")),
            "disposition": (self.tr("By disposition"), self.tr("Returns by disposition")),
        }
        tables = QHBoxLayout()
        self.tables: dict[str, QTableView] = {}
        for name, model in self.models.items():
            table = read_only_table(model, titles[name][1])
            header = table.horizontalHeader()
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
            box = QVBoxLayout()
            box.addWidget(styled_label(titles[name][0], "section"))
            box.addWidget(table, 1)
            tables.addLayout(box, 1)
            self.tables[name] = table

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.band)
        layout.addLayout(tables, 1)
        for key, action in (("Return", self.run), ("Enter", self.run), ("Ctrl+S", self.save_csv)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)

    def run(self) -> None:
        start = self.start.date().toPython()
        end = self.end.date().toPython()
        assert isinstance(start, date) and isinstance(end, date)
        self.band.show_message(
            self.tr("Reading returns from %s to %s…") % (start, end), Tone.WAITING
        )
        self.worker.report(self.station, self.actor, start, end)

    def on_reported(self, report: Report) -> None:
        if report.error is not None:
            self.band.show_refused(report.error)
            return
        self.report = report
        rows = report.rows
        self.models["reason"].show_rows(summed(rows, lambda r: _reason_words(r.reason)))
        self.models["product"].show_rows(summed(rows, lambda r: r.sku))
        self.models["disposition"].show_rows(
            summed(
                rows,
                lambda r: disposition_name(Disposition(r.disposition)) if r.disposition else "?",
            )
        )
        units = sum(r.units for r in rows)
        self.band.show_message(
            f"{count(units, 'unit')} came back from {report.start} to {report.end}",
            Tone.DONE if rows else Tone.NEUTRAL,
        )
        self.save_button.setEnabled(True)

    def save_csv(self) -> None:
        if self.report is None:
            self.band.show_refused(self.tr("Show the report first (Enter), then save it."))
            return
        name = f"returns-{self.report.start}-{self.report.end}.csv"
        chosen = self.ask_path(name)
        if not chosen:
            return
        try:
            path = write_file(Path(chosen), returns.report_csv(self.report.rows).encode())
        except DomainError as error:
            self.band.show_refused(error.message)
            return
        self.band.show_message(
            self.tr("Saved %d rows to %s") % (len(self.report.rows), path), Tone.DONE
        )

    def _ask_path(self, name: str) -> str:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save the returns report", name, "CSV (*.csv)"
        )
        return chosen


def _reason_words(value: str) -> str:
    try:
        return reason_name(Reason(value))
    except ValueError:
        return value or "?"


# --- the page -------------------------------------------------------------------------------


class ReturnsPage(BenchPage):
    """The desk: what was found, the order's lines, the units back, the refund, the keys."""

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(Workspace.RETURNS, parent)
        self.context = context
        self.controller = ReturnsController(context, context.printing, self)
        self.drive(self.controller)
        self.controller.found.connect(self.on_found)
        self.controller.view_changed.connect(self.show_view)
        self.controller.closed.connect(self.on_closed)
        self.controller.refund_shown.connect(self.show_refund)
        self.controller.reason_asked.connect(self.on_reason_asked)

        self.candidates = CandidatesModel(self)
        self.candidates_table = read_only_table(self.candidates, "Orders found")
        self.candidates_table.activated.connect(self._picked)
        header = self.candidates_table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2, 3, 4, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.lines_model = LinesModel(self)
        self.lines_table = read_only_table(self.lines_model, "Order lines")
        self.lines_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.units_model = UnitsModel(self)
        self.units_table = read_only_table(self.units_model, "Units back")
        self.units_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lines = self.lines_model
        for table, stretch in ((self.lines_table, 1), (self.units_table, 3)):
            header = table.horizontalHeader()
            for column in range(table.model().columnCount()):
                header.setSectionResizeMode(
                    column,
                    QHeaderView.ResizeMode.Stretch
                    if column == stretch
                    else QHeaderView.ResizeMode.ResizeToContents,
                )
            table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)

        panel = QWidget()
        panel.setProperty("role", "panel")
        grid = QVBoxLayout(panel)
        grid.setContentsMargins(0, 0, 0, 0)
        self.window_label = styled_label("", "section")
        self.window_label.setWordWrap(True)
        self.refund_label = styled_label("", "title")
        self.refund_label.setWordWrap(True)
        self.refund_lines = styled_label("", "hint")
        self.refund_lines.setWordWrap(True)
        grid.addWidget(self.window_label)
        grid.addWidget(self.refund_label)
        grid.addWidget(self.refund_lines)
        grid.addStretch(1)
        panel.setMinimumWidth(320)
        panel.setMaximumWidth(460)

        left = QVBoxLayout()
        left.addWidget(styled_label(self.tr("Shipped in the order"), "section"))
        left.addWidget(self.lines_table, 2)
        left.addWidget(styled_label(self.tr("Taken back in this return"), "section"))
        left.addWidget(self.units_table, 3)
        self.order_box = QWidget()
        middle = QHBoxLayout(self.order_box)
        middle.setContentsMargins(0, 0, 0, 0)
        middle.addLayout(left, 3)
        middle.addWidget(panel, 1)

        self.idle = styled_label(PURPOSE, "notice")
        self.idle.setWordWrap(True)
        self.idle.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        self.report = ReportPanel(context.station, context.actor)
        self.stack = QStackedWidget()
        for widget in (self.idle, self.candidates_table, self.order_box, self.report):
            self.stack.addWidget(widget)

        self.reason = QLineEdit()
        self.reason.setProperty("role", "big")
        self.reason.returnPressed.connect(self._reason_entered)
        self.reason.hide()

        actions: list[Key] = [
            ("F2", self.tr("OK"), lambda: self._do(Command.OK)),
            ("F3", self.tr("Restock"), lambda: self._do(Command.RESTOCK)),
            ("F4", self.tr("Quarantine"), lambda: self._do(Command.QUARANTINE)),
            ("F5", self.tr("Scrap"), lambda: self._do(Command.SCRAP)),
            ("F6", self.tr("Vendor"), lambda: self.act(self._to_vendor)),
            ("F7", self.tr("Reason"), lambda: self.act(self.controller.next_reason)),
            ("F8", self.tr("Condition"), lambda: self.act(self.controller.next_condition)),
            ("F9", self.tr("Undo"), lambda: self._do(Command.UNDO)),
            ("F10", self.tr("Report"), self.toggle_report),
            ("F11", self.tr("Resume"), lambda: self.act(self.controller.resume_saved)),
            ("Esc", self.tr("Leave"), self._leave),
        ]
        keys = self.key_grid(actions, 6, compact=True)  # eleven keys in two rows

        self.body.addWidget(self.stack, 1)
        self.body.addWidget(self.reason)
        self.body.addWidget(self.next_band)
        self.body.addLayout(keys)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.on_closed()

    # WorkspacePage
    def activate(self) -> None:
        if self.controller.view is None and not self.controller.candidates:
            self.on_closed()

    def on_result(self, result: BenchResult) -> None:
        self._enable_keys()
        typing = (
            self.controller.awaiting is not None and self.controller.awaiting.need is Need.REASON
        )
        self.reason.setVisible(typing)
        if typing:
            self.reason.setMinimumHeight(self.reason.sizeHint().height())
            self.reason.setFocus()
        else:
            self.reason.clear()
            if self.reason.hasFocus():
                self.setFocus()
        if not isinstance(self.controller.awaiting, RefundAwaited) and self.controller.view:
            self.refund_label.setText("")
            self.refund_lines.setText("")

    # showing
    def on_found(self, found: Found) -> None:
        rows = found.candidates
        if len(rows) == 1:
            self._show_order(rows[0].order_number, rows[0].customer, rows[0].lines, rows[0])
            self.units_model.show_rows([])
            return
        self.subject.setText(self.tr("%d orders shipped it: scan or pick one") % len(rows))
        self.candidates.show_rows(list(rows))
        self.stack.setCurrentWidget(self.candidates_table)
        self.candidates_table.selectRow(0)
        self.candidates_table.setFocus()

    def show_view(self, view: ReturnView) -> None:
        self._show_order(view.order_number, view.customer, view.lines, self.controller.candidate)
        self.subject.setText(
            self.tr("%s  ·  ORDER %s  ·  %s back")
            % (view.number, view.order_number, self.controller.units(view.received))
            + (
                self.tr("  ·  accepted late by %s") % view.late_accepted_by
                if view.late_accepted_by
                else ""
            )
        )
        self.units_model.flash_line = None
        self.units_model.show_rows(list(view.units))
        if view.units:
            self.units_table.scrollToBottom()

    def _show_order(
        self, number: str, customer: str, lines: tuple[LineView, ...], found: Candidate | None
    ) -> None:
        self.subject.setText(self.tr("ORDER %s  ·  no return opened yet: scan an item") % number)
        self.lines_model.show_rows(list(lines))
        rows = min(max(len(lines), 1), 4)  # the lines fit (up to 4); the units get the rest
        self.lines_table.setFixedHeight(
            self.lines_table.horizontalHeader().sizeHint().height() + rows * ROW_HEIGHT + 4
        )
        window = customer
        if found is not None:
            window += (
                f"\nShipped {_day(found.shipped_at)}\nReturn window until {_day(found.window_ends)}"
            )
            if found.late:
                window += "\nLATE: outside the window"
            if found.fulfilled_elsewhere:
                window += f"\nFulfilled by {found.fulfilled_elsewhere}"
        self.window_label.setText(window)
        self.refund_label.setText("")
        self.refund_lines.setText("")
        self.stack.setCurrentWidget(self.order_box)

    def show_refund(self, refund: Refund) -> None:
        self.refund_label.setText(self.tr("Refund %s") % _money(refund.total, refund.currency))
        parts = [
            f"{x.units} × {x.sku}: {_money(x.net + x.tax, refund.currency)}"
            + (f" (fee {_money(x.fee, refund.currency)})" if x.fee else "")
            for x in refund.lines
        ]
        parts.append(f"Goods {_money(refund.goods, refund.currency)}")
        if refund.shipping:
            parts.append(
                f"Shipping {_money(refund.shipping + refund.shipping_tax, refund.currency)}"
            )
        if refund.fees:
            parts.append(f"Restocking fees −{_money(refund.fees, refund.currency)}")
        credit = ", ".join(f"{n} × {sku}" for sku, n in refund.credit.items())
        parts.append(f"Credit note for {credit}" if credit else "Nothing invoiced: no credit note")
        self.refund_lines.setText("\n".join(parts))

    def on_closed(self) -> None:
        self.subject.setText(self.tr("No return open"))
        done = self.controller.last_confirmed
        last = (
            f"Last: {done.ret.number} (order {done.ret.order_number}) confirmed, "
            f"{', '.join(done.credit_notes) or 'no credit note'}.\n\n"
            if done is not None
            else ""
        )
        try:
            saved = returns.open_returns(self.context.station, self.context.actor)
        except DomainError:
            saved = []
        waiting = (
            "\n\nSaved, to finish (F11 or scan the RA): "
            + ", ".join(f"{v.number} (order {v.order_number}, {v.received} back)" for v in saved)
            if saved
            else ""
        )
        self.idle.setText(last + PURPOSE + waiting)
        self.lines_model.show_rows([])
        self.units_model.show_rows([])
        self.stack.setCurrentWidget(self.idle)
        self._enable_keys()

    def _enable_keys(self) -> None:
        """The unit's keys only while a return is open (Pack's habit): a greyed key says
        there is nothing for it yet; OK also shows the refund only then."""
        has = self.controller.view is not None
        for key in ("F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9"):
            self.buttons[key].setEnabled(has)

    def on_reason_asked(self, hint: str) -> None:
        self.reason.setPlaceholderText(hint)

    # keys and typed fields
    def _do(self, command: Command) -> BenchResult:
        return self.act(lambda: self.controller.on_key(command))

    def _to_vendor(self) -> BenchResult:
        return self.controller.dispose(Disposition.RETURN_TO_VENDOR)

    def _picked(self, index: ModelIndex) -> None:
        candidate = self.candidates.row_at(index.row())
        self.act(lambda: self.controller.pick(candidate))

    def _reason_entered(self) -> None:
        text = self.reason.text()
        if isinstance(self.controller.awaiting, LateAwaited):
            self.act(lambda: self.controller.accept_late(text))
        elif isinstance(self.controller.awaiting, OtherAwaited):
            self.act(lambda: self.controller.other_reason(text))

    def _leave(self) -> None:
        if self.stack.currentWidget() is self.report:
            self.toggle_report()
            return
        if self.controller.awaiting is not None:
            self._do(Command.CANCEL)
            return
        self.act(self.controller.leave)

    def toggle_report(self) -> None:
        if self.stack.currentWidget() is self.report:
            self._back_from_report()
            return
        self.subject.setText(self.tr("Returns report: by reason, product and disposition"))
        self.stack.setCurrentWidget(self.report)
        self.report.start.setFocus()
        self.report.run()

    def _back_from_report(self) -> None:
        view = self.controller.view
        if view is not None:
            self.show_view(view)
        elif self.controller.candidates:
            self.on_found(Found(tuple(self.controller.candidates)))
        elif self.controller.candidate is not None:
            self.on_found(Found((self.controller.candidate,)))
        else:
            self.on_closed()
        self.setFocus()

    def on_scan(self, meaning: ScanMeaning) -> BenchResult:
        if self.stack.currentWidget() is self.report:
            self._back_from_report()
        return super().on_scan(meaning)


def create_page(context: PageContext) -> WorkspacePage:
    return ReturnsPage(context)
