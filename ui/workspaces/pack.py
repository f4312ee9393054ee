"""The Pack workspace: an order's items scanned into parcels, weighed, closed and labelled.

Driven by scans: an order (or its packing slip) opens it, each item scan counts on its line,
command barcodes do the rest (CLOSE, NEW-PARCEL, BOX:M, UNDO, REOPEN, SHIP-PARTIAL, OK,
CANCEL, REPRINT, QTY:n). Every command also has a key. ``PackController`` holds the bench's
small state (an item waiting for its serial, a weight waiting to be confirmed, a reason
being typed) and calls one service per intent; the page only shows what it is told.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QWidget,
)

from app.bootstrap import Station
from app.domain.bench import HIDDEN, Awaiting, BenchResult, Need, Prompt, Tone
from app.domain.decode import Command, Decoded, ProductHit, ScanKind, ScanMeaning
from app.domain.errors import DomainError
from app.domain.packing import kg, looks_like_gtin, parse_typed_weight
from app.domain.users import Actor, Permission, Workspace
from app.domain.wording import sentences
from app.services import packing, picking, printjobs
from app.services.packing import (
    ClaimOutcome,
    LineView,
    PackView,
    ShipmentDone,
    Weighing,
    WeightOutOfRange,
)
from devices.scale import Reading
from ui.devices_bridge import PrintState, StationPrinting, StationScale
from ui.tables import FlashingRowsModel, ModelIndex, bold, read_only_table
from ui.theme import tint, tint_ink
from ui.widgets import MessageBand, styled_label
from ui.workspaces.base import PageContext, WorkspacePage
from ui.workspaces.bench import BenchController, BenchPage, Key

log = logging.getLogger(__name__)


def purpose(actor: Actor) -> str:
    """What the workspace does for this person, in one sentence."""
    text = (
        "Scan an order or its packing slip, scan every item into the parcel, let the scale "
        "fill in the weight, and close the parcel with one scan so its label and packing "
        "slip print"
    )
    if actor.may(Permission.SHIP_PARTIAL):
        text += ", or ship part of an order when stock is short"
    return text + "."


# --- the lines table -----------------------------------------------------------------------


class LinesModel(FlashingRowsModel[LineView]):
    COLUMNS = (
        "",
        str(QT_TRANSLATE_NOOP("LinesModel", "SKU")),
        str(QT_TRANSLATE_NOOP("LinesModel", "Item")),
        str(QT_TRANSLATE_NOOP("LinesModel", "Bin")),
        str(QT_TRANSLATE_NOOP("LinesModel", "Packed")),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.next_line: int | None = None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self.row_at(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return "✔" if line.done else ("▶" if line.line_no == self.next_line else "")
            if column == 1:
                return line.sku
            if column == 2:
                extra = []
                if line.serial_tracked:
                    extra.append("serials " + ", ".join(line.serials) if line.serials else "serial")
                if line.lots:
                    extra.append("lot " + ", ".join(line.lots))
                if line.short_of_stock:
                    extra.append(f"only {line.packable} in stock")
                return line.name + (f"  ({'; '.join(extra)})" if extra else "")
            if column == 3:
                return line.bin_code
            if column == 4:
                return f"{line.packed} / {line.expected}"
        if role == Qt.ItemDataRole.DecorationRole and column == 2:
            return QColor("#c9ced4")  # the image placeholder: a grey swatch until photos come
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 4):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole and column in (0, 1, 4):
            return bold()
        if role == Qt.ItemDataRole.BackgroundRole:
            if line.line_no == self.flash_line:
                return tint(Tone.DONE)
            if line.done:
                return tint(Tone.DONE).lighter(112)
            if line.short_of_stock and line.packed >= line.packable:
                return tint(Tone.WAITING)
        if role == Qt.ItemDataRole.ForegroundRole and line.done:
            return tint_ink(Tone.DONE)
        return None


# --- the controller ------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SerialAwaited(Awaiting):
    """An item scanned that needs its serial number: it counts when the serial comes."""

    hit: ProductHit
    units: int
    lot: str | None
    expiry: date | None
    raw: str

    @classmethod
    def of(cls, hit: ProductHit, units: int, decoded: Decoded) -> SerialAwaited:
        return cls(
            need=Need.SERIAL,
            prompt=QCoreApplication.translate(
                "PackController", "NEXT  scan the serial number of %s"
            )
            % hit.sku,
            refusal=QCoreApplication.translate(
                "PackController", "Scan the serial number of %s first (or CANCEL)."
            )
            % hit.sku,
            hit=hit,
            units=units,
            lot=decoded.lot,
            expiry=decoded.expiry,
            raw=decoded.raw,
        )


WEIGHT_FIRST = str(
    QT_TRANSLATE_NOOP(
        "PackController", "Confirm the weight first: scan OK to accept it or CANCEL to weigh again."
    )
)
REASON_FIRST = str(
    QT_TRANSLATE_NOOP("PackController", "Type why only part ships and press Enter, or scan CANCEL.")
)
ASK_REASON = str(
    QT_TRANSLATE_NOOP(
        "PackController", "Type why only part ships, then press Enter (CANCEL to go back)."
    )
)


@dataclass(frozen=True, kw_only=True)
class WeightAwaited(Awaiting):
    """A weight outside the expected range, waiting for OK (accept) or CANCEL (weigh again).

    ``partial_reason`` is set when the parcel is the last of a partial shipment: the reason
    the packer typed travels with the weight, so OK ships part as it closes a parcel.
    """

    out: WeightOutOfRange
    partial_reason: str | None = None

    @classmethod
    def of(cls, out: WeightOutOfRange, partial_reason: str | None = None) -> WeightAwaited:
        prompt = out.message
        if partial_reason is not None:
            prompt = sentences(
                out.message,
                QCoreApplication.translate(
                    "PackController", "OK ships what is packed with this weight"
                ),
            )
        return cls(
            need=Need.CONFIRMATION,
            prompt=prompt,
            refusal=QCoreApplication.translate("PackController", WEIGHT_FIRST),
            out=out,
            partial_reason=partial_reason,
        )


def reason_awaited(prompt: str) -> Awaiting:
    """The reason of a partial shipment, typed in the reason field (Enter ships)."""
    return Awaiting(Need.REASON, prompt, QCoreApplication.translate("PackController", REASON_FIRST))


class ClaimAsker(QObject):
    """Claims an opened order in the central store, and gives up a put down order's claim, on
    a daemon thread: never on the GUI thread.

    A daemon thread, as the status bar's probe: a central store that does not answer holds
    it until the connect timeout, and the application must be able to quit meanwhile. One
    thread at a time, taking the jobs in the order asked, so an order put down and scanned
    again is released before it is claimed again. A claim's answer is recorded at the station
    by ``packing.claim`` on that thread (so it is kept even if the bench is gone by then) and
    handed to the GUI thread by ``answered``; a release is ``packing.release``, whose claim
    simply runs out when the store is away. A bug on that thread goes to the station's one
    fault path (``Station.report``: the window's band, a crash report), as the loops' do.

    Signals:
        answered: the ``ClaimOutcome``.
        released: the number of an order whose release was tried (given up, or not).
    """

    answered = Signal(ClaimOutcome)
    released = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: deque[Callable[[], None]] = deque()
        self._lock = threading.Lock()
        self._running = False

    def ask(self, station: Station, actor: Actor, session_id: int, number: str) -> None:
        self._submit(lambda: self._claim(station, actor, session_id, number))

    def release(self, station: Station, actor: Actor, number: str) -> None:
        self._submit(lambda: self._release(station, actor, number))

    def _submit(self, job: Callable[[], None]) -> None:
        with self._lock:
            self._jobs.append(job)
            if self._running:
                return
            self._running = True
        threading.Thread(target=self._drain, name="claims", daemon=True).start()

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._jobs:
                    self._running = False
                    return
                job = self._jobs.popleft()
            job()

    def _claim(self, station: Station, actor: Actor, session_id: int, number: str) -> None:
        try:
            outcome = packing.claim(station, actor, session_id)
        except DomainError as refused:  # put down meanwhile: nothing to claim
            log.info("order %s was not claimed: %s", number, refused.message)
            outcome = ClaimOutcome(session_id, number, claimed=False)
        except Exception as error:  # a bug or the local disk: told, and packing goes on
            station.report(error, f"while claiming order {number} in the central store")
            outcome = ClaimOutcome(session_id, number, claimed=False)
        with suppress(RuntimeError):  # the bench was closed while the claim waited
            self.answered.emit(outcome)

    def _release(self, station: Station, actor: Actor, number: str) -> None:
        try:
            packing.release(station, actor, number)  # the store away: the claim runs out
        except Exception as error:
            station.report(error, f"while giving up the claim on order {number}")
        with suppress(RuntimeError):
            self.released.emit(number)


class PackController(BenchController):
    """The bench's state (the open order, what it waits for, QTY) and one service per intent.

    Signals:
        view_changed: the ``PackView`` now open, or None (nothing open).
        shipped: a ``ShipmentDone``.
        reason_asked: the bench wants the partial shipment's reason typed; the text to
            start from (empty, or the reason already typed when the packer weighs again).
    """

    view_changed = Signal(PackView)
    shipped = Signal(ShipmentDone)
    reason_asked = Signal(str)

    doing = "packing"

    def __init__(
        self,
        context: PageContext,
        printing: StationPrinting | None,
        scale: StationScale | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.station = context.station
        self.actor = context.actor
        self.printing = printing
        self.scale = scale
        self.sync = context.sync
        self.view: PackView | None = None
        self.quantity = 1
        self.last_shipment: ShipmentDone | None = None
        self.claiming: set[int] = set()  # sessions whose claim has not answered yet
        self._claims = ClaimAsker(self)
        self.releasing: set[str] = set()  # orders put down whose release has not ended yet
        self._claims.answered.connect(self.on_claim_answered)
        self._claims.released.connect(self.on_released)

    def take(self, meaning: ScanMeaning) -> BenchResult:
        decoded = meaning.decoded
        if meaning.kind is ScanKind.ORDER:
            return self.open_order(decoded.reference or decoded.data)
        if meaning.kind is ScanKind.TOTE:  # a picked tote: the order it holds
            return self.open_order(picking.tote_order(self.station, decoded.reference or ""))
        if meaning.kind is ScanKind.PICK_LIST:
            return self.refused(
                self.tr(
                    "%s: a pick list holds several orders. Scan a tote, the order number or its "
                    "packing slip."
                )
                % meaning.message
            )
        if meaning.kind is ScanKind.PRODUCT and meaning.product is not None:
            return self._item(meaning, meaning.product)
        if meaning.kind is ScanKind.SSCC:
            return self.refused(
                self.tr(
                    "%s: that is a parcel label. Scan an item, or the order's packing slip to "
                    "open an order."
                )
                % meaning.message
            )
        if meaning.kind is ScanKind.UNKNOWN:
            return self.refused(meaning.message)
        return self.refused(
            self.tr("%s: not something to pack. Scan an order, an item or a command.")
            % meaning.message
        )

    def take_awaited(self, meaning: ScanMeaning, awaiting: Awaiting) -> BenchResult:
        if isinstance(awaiting, SerialAwaited):
            return self._serial(awaiting, meaning.decoded.serial or meaning.decoded.data)
        return self.refused(awaiting.refusal)

    def command_awaited(self, command: Command, awaiting: Awaiting) -> BenchResult:
        if isinstance(awaiting, WeightAwaited) and command is Command.OK:
            return self.confirm_weight(awaiting)
        if isinstance(awaiting, SerialAwaited) and command is Command.UNDO:
            return self.cancel()
        return super().command_awaited(command, awaiting)

    def prompt(self) -> Prompt:
        if self.awaiting is not None:
            return super().prompt()
        if self.view is None:
            return HIDDEN
        return Prompt("NEXT  " + self.view.next_action())

    @property
    def weight_awaited(self) -> WeightAwaited | None:
        return self.awaiting if isinstance(self.awaiting, WeightAwaited) else None

    @property
    def reason_awaited(self) -> bool:
        return self.awaiting is not None and self.awaiting.need is Need.REASON

    # --- orders ------------------------------------------------------------------------

    def resume(self) -> BenchResult:
        """The order this station was packing when it stopped, as it was left (on showing)."""
        if self.view is not None:
            return self.done(keep_prompt=True)
        view = packing.resume(self.station, self.actor)
        if view is None:
            return self.done(keep_prompt=True)
        if not view.claimed and self._online():
            self._ask_claim(view)
        self._show(view)
        said = sentences(
            self.tr("Order %s reopened as it was left: %s already packed")
            % (view.order_number, self.items(view.units_packed)),
            view.next_action(),
        )
        return self.done(prompt=Prompt(said, Tone.WAITING))

    def open_order(self, number: str) -> BenchResult:
        if self.view is not None and self.view.order_number == number:
            return self.done(self.tr("Order %s is already open") % number, keep_prompt=True)
        online = self._online()
        if online:  # the claim is asked off the GUI thread: the packer scans meanwhile
            view = packing.begin_order(self.station, self.actor, number)
        else:
            view = packing.open_order(self.station, self.actor, number, claim=False)
        self._reset()
        if online:
            self._ask_claim(view)  # answered on the GUI thread after the view is shown
        self._show(view)
        claim = "" if view.claimed or online else self.tr(" (central store offline: not claimed)")
        packed = self.tr(", %d already packed") % view.units_packed if view.units_packed else ""
        return self.done(self.tr("Order %s open") % number + packed + claim)

    def leave(self) -> BenchResult:
        if self.view is None:
            return self.refused(self.tr("No order is open."))
        number = packing.put_down(self.station, self.actor, self.view.session_id)
        self._reset()
        self._show(None)
        # The claim is given up off the GUI thread: a store that just died holds only that.
        self.releasing.add(number)
        self._claims.release(self.station, self.actor, number)
        return self.done(
            self.tr("Order %s put down") % number,
            prompt=Prompt(self.tr("Order %s put down; scan it again to carry on.") % number),
        )

    def _online(self) -> bool:
        last_sync = self.sync.last if self.sync is not None else None
        return last_sync is None or last_sync.online

    def _ask_claim(self, view: PackView) -> None:
        self.claiming.add(view.session_id)
        self._claims.ask(self.station, self.actor, view.session_id, view.order_number)

    @property
    def claim_pending(self) -> bool:
        """The open order's claim has not been answered yet."""
        return self.view is not None and self.view.session_id in self.claiming

    def on_released(self, number: str) -> None:
        self.releasing.discard(number)

    def on_claim_answered(self, outcome: ClaimOutcome) -> None:
        """The central store's answer, already recorded at the station by ``packing.claim``."""
        self.claiming.discard(outcome.session_id)
        current = self.view is not None and self.view.session_id == outcome.session_id
        if not current:
            return  # another order is open now; a refused one was put down and is kept
        assert self.view is not None
        if outcome.refusal is None:  # claimed, or unclaimed (offline): the header says which
            self._show(replace(self.view, claimed=self.view.claimed or outcome.claimed))
            return
        self._reset()
        self._show(None)
        self.answered.emit(BenchResult(outcome.refusal, Tone.REFUSED, next=HIDDEN))

    # --- items -------------------------------------------------------------------------

    def _item(self, meaning: ScanMeaning, hit: ProductHit) -> BenchResult:
        if self.view is None:
            return self.refused(
                self.tr("%s: no order is open. Scan the order number or its packing slip first.")
                % meaning.message
            )
        units = meaning.units * self.quantity
        decoded = meaning.decoded
        if packing.needs_serial(self.view, hit.product_id) and decoded.serial is None:
            # Check the item counts at all before asking for its serial.
            packing.check_in_view(self.view, hit.product_id, units, hit.sku)
            self.awaiting = SerialAwaited.of(hit, units, decoded)
            return self.done(self.tr("%s %s: now scan its serial number") % (hit.sku, hit.name))
        return self._pack(hit, units, decoded.serial, decoded.lot, decoded.expiry, decoded.raw)

    def _serial(self, awaiting: SerialAwaited, serial: str) -> BenchResult:
        if serial == awaiting.raw or looks_like_gtin(serial):
            return self.refused(
                self.tr(
                    "That is a product barcode, not the serial of %s: scan the serial number "
                    "(S/N) barcode."
                )
                % awaiting.hit.sku
            )
        return self._pack(
            awaiting.hit,
            awaiting.units,
            serial,
            awaiting.lot,
            awaiting.expiry,
            awaiting.raw + " / " + serial,
        )

    def _pack(
        self,
        hit: ProductHit,
        units: int,
        serial: str | None,
        lot: str | None,
        expiry: date | None,
        raw: str,
    ) -> BenchResult:
        assert self.view is not None
        result = packing.pack_item(
            self.station,
            self.actor,
            self.view.session_id,
            hit.product_id,
            units,
            shown=hit.sku,
            serial=serial,
            lot=lot,
            expiry=expiry,
            raw=raw,
        )
        self.quantity = 1
        self.awaiting = None  # the serial, if one was awaited, came
        self._show(result.view)
        return self.done(result.message, flash_line=result.line_no)

    # --- commands ----------------------------------------------------------------------

    def command(self, command: Command, argument: str, quantity: int | None) -> BenchResult:
        if command is Command.QTY:
            self.quantity = quantity or 1
            return self.done(
                self.tr("Quantity %d: the next item counts %d times")
                % (self.quantity, self.quantity),
                keep_prompt=True,
            )
        if command is Command.REPRINT:
            return self.reprint()
        if command is Command.CANCEL:
            return self.cancel()
        if self.view is None:
            return self.refused(
                self.tr("%s: no order is open. Scan an order first.") % command.value
            )
        session = self.view.session_id
        if command is Command.UNDO:
            result = packing.undo_last(self.station, self.actor, session)
            self._show(result.view)
            return self.done(result.message, flash_line=result.line_no)
        if command is Command.BOX:
            view = packing.choose_box(self.station, self.actor, session, argument)
            self._show(view)
            return self.done(self.tr("%s, tare %s") % (view.box.label, kg(view.box.tare_g)))
        if command in (Command.CLOSE, Command.NEW_PARCEL):
            if command is Command.NEW_PARCEL and self.view.all_packed:
                return self.refused(
                    self.tr(
                        "Everything is packed: scan CLOSE to close the parcel and ship the order."
                    )
                )
            return self.close_parcel()
        if command is Command.REOPEN:
            view = packing.reopen_parcel(self.station, self.actor, session)
            self._show(view)
            return self.done(self.tr("Parcel %d reopened (recorded)") % view.current.parcel_no)
        if command is Command.SHIP_PARTIAL:
            return self.ask_partial()
        if command is Command.OK:
            return self.refused(self.tr("OK: nothing is waiting for a confirmation."))
        return self.refused(self.tr("%s does nothing at the packing bench.") % command.value)

    def cancel(self) -> BenchResult:
        awaiting = self.awaiting
        if awaiting is None:
            if self.quantity != 1:
                self.quantity = 1
                return self.done(self.tr("Quantity cancelled"), keep_prompt=True)
            return self.refused(self.tr("Nothing to cancel."))
        if isinstance(awaiting, WeightAwaited) and awaiting.partial_reason is not None:
            # Weigh again without losing the reason: back to it, typed as it was.
            return self._ask_reason(
                awaiting.partial_reason,
                self.tr("Weigh the parcel again, then press Enter to ship part (CANCEL to stop)."),
            )
        self._reset()
        self._show(self.view)
        return self.done(self.tr("Cancelled"))

    def _weighing(self) -> Weighing | None:
        grams = self.scale.stable_grams() if self.scale is not None else None
        return Weighing(grams, "scale") if grams is not None else None

    def close_parcel(self, *, accept: bool = False, weight: Weighing | None = None) -> BenchResult:
        assert self.view is not None
        weight = weight or self._weighing()
        try:
            result = packing.close_parcel(
                self.station,
                self.actor,
                self.view.session_id,
                weight,
                accept_out_of_range=accept,
                render=printjobs.ShipmentDocuments(self.station.config),
            )
        except WeightOutOfRange as out:
            return self._confirm(WeightAwaited.of(out))
        self.awaiting = None
        if result.shipment is not None:
            return self._shipped(result.shipment)
        assert result.view is not None
        self._show(result.view)
        return self.done(
            self.tr("Parcel %d closed (SSCC %s); parcel %d is open")
            % (result.closed_parcel, result.sscc, result.view.current.parcel_no)
        )

    def _confirm(self, awaiting: WeightAwaited) -> BenchResult:
        """Ask for OK on a weight outside the expected range (closing or shipping part)."""
        self.awaiting = awaiting
        return self.done(
            self.tr("Weight %s: confirm it (OK) or weigh again") % kg(awaiting.out.grams)
        )

    def confirm_weight(self, awaiting: WeightAwaited) -> BenchResult:
        """OK on the weight waiting: the very weight that was judged, now accepted."""
        weight = awaiting.out.weighing
        if awaiting.partial_reason is not None:
            return self._ship_partial(awaiting.partial_reason, weight, accept=True)
        return self.close_parcel(accept=True, weight=weight)

    def ask_partial(self) -> BenchResult:
        assert self.view is not None
        self.actor.require(Permission.SHIP_PARTIAL, "ship part of an order")
        if self.view.all_packed:
            return self.refused(
                self.tr("Everything is packed: scan CLOSE to ship the whole order.")
            )
        return self._ask_reason("", self.tr(ASK_REASON))

    def _ask_reason(self, typed: str, prompt: str) -> BenchResult:
        self.awaiting = reason_awaited(prompt)
        self.reason_asked.emit(typed)
        return self.done(self.tr("Ship partial: type the reason"))

    def ship_partial(self, reason: str) -> BenchResult:
        """The reason typed: ship what is packed, weighed by the scale (or a typed weight)."""
        return self._ship_partial(reason, self._weighing())

    def _ship_partial(
        self, reason: str, weight: Weighing | None, *, accept: bool = False
    ) -> BenchResult:
        assert self.view is not None
        awaited = self.awaiting
        self.awaiting = None
        try:
            done = packing.ship_partial(
                self.station,
                self.actor,
                self.view.session_id,
                reason,
                weight,
                accept_out_of_range=accept,
                render=printjobs.ShipmentDocuments(self.station.config),
            )
        except WeightOutOfRange as out:
            return self._confirm(WeightAwaited.of(out, reason))
        except DomainError:
            if isinstance(awaited, WeightAwaited):  # OK refused: the weight still waits
                self.awaiting = awaited
            else:  # back to the reason as typed: put right what the refusal says, Enter again
                self.awaiting = reason_awaited(awaited.prompt if awaited else self.tr(ASK_REASON))
                self.reason_asked.emit(reason)
            raise
        return self._shipped(done)

    def type_weight(self, text: str) -> BenchResult:
        if self.view is None:
            return self.refused(self.tr("No order is open."))
        grams = parse_typed_weight(text)
        view = packing.set_weight(self.station, self.actor, self.view.session_id, grams)
        pending = self.weight_awaited
        self._show(view)
        said = self.tr("Parcel %d: %s typed") % (view.current.parcel_no, kg(grams))
        if pending is None:
            return self.done(said)
        # A typed weight instead of OK: judged again, for whatever was waiting.
        self.awaiting = None
        typed = Weighing(grams, "typed")
        if pending.partial_reason is not None:
            return self._ship_partial(pending.partial_reason, typed)
        return self.close_parcel(weight=typed)

    def reprint(self) -> BenchResult:
        subject = self.last_shipment.number if self.last_shipment else None
        if subject is None:
            return self.refused(
                self.tr(
                    "Nothing to reprint: no shipment was made at this bench since you signed in."
                )
            )
        made = printjobs.reprint(self.station.local, self.actor, self.station.station_id, subject)
        if self.printing is not None:
            self.printing.kick()
        return self.done(
            self.tr("Reprinting 1 label of %s (recorded)") % subject
            if len(made) == 1
            else self.tr("Reprinting %d labels of %s (recorded)") % (len(made), subject),
            keep_prompt=True,
        )

    # --- plumbing ----------------------------------------------------------------------

    def items(self, n: int) -> str:
        return self.tr("1 item") if n == 1 else self.tr("%d items") % n

    def _shipped(self, done: ShipmentDone) -> BenchResult:
        self.last_shipment = done
        self._reset()
        self._show(None)
        if self.printing is not None:
            self.printing.kick()
        self.shipped.emit(done)
        parcels = len(done.ssccs)
        counted = self.tr("1 parcel") if parcels == 1 else self.tr("%d parcels") % parcels
        what = (
            self.tr(
                "Order %s part-shipped (backorder stays open): %s, %s; labels and slip printing"
            )
            if done.partial
            else self.tr("Order %s shipped: %s, %s; labels and slip printing")
        )
        return self.done(what % (done.order_number, done.number, counted))

    def _reset(self) -> None:
        self.awaiting = None
        self.quantity = 1

    def _show(self, view: PackView | None) -> None:
        self.view = view
        self.view_changed.emit(view)


# --- the page -----------------------------------------------------------------------------


class PackPage(BenchPage):
    """The bench screen: header, lines, parcel panel, next action, keys."""

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(Workspace.PACK, parent)
        self.context = context
        self.controller = PackController(context, context.printing, context.scale, self)
        self.drive(self.controller)
        self.controller.view_changed.connect(self.show_view)
        self.controller.shipped.connect(self.on_shipped)
        self.controller.reason_asked.connect(self.on_reason_asked)

        self.model = LinesModel(self)
        self.lines = self.model
        self.table = read_only_table(self.model, self.tr("Order lines"))
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column in (0, 1, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(44)

        panel = QWidget()
        panel.setProperty("role", "panel")
        grid = QGridLayout(panel)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(4)
        self.parcel_label = styled_label("", "title")
        self.box_label = styled_label("", "subject")
        self.weight_label = styled_label("", "prompt")
        self.weight_note = styled_label("", "hint")
        self.expected_label = styled_label("", "hint")
        self.parcels_label = styled_label("", "hint")
        self.parcels_label.setWordWrap(True)
        self.expected_label.setWordWrap(True)
        self.weight_note.setWordWrap(True)
        # The weight and where it came from share a row: on a 1280x800 screen the reason
        # field of a partial shipment needs the height a row of its own would take.
        weight_row = QHBoxLayout()
        weight_row.setSpacing(14)
        weight_row.addWidget(self.weight_label)
        weight_row.addWidget(self.weight_note, 1, Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.parcel_label, 0, 0)
        grid.addWidget(self.box_label, 1, 0)
        grid.addLayout(weight_row, 2, 0)
        grid.addWidget(self.expected_label, 3, 0)
        grid.addWidget(self.parcels_label, 4, 0)
        grid.setRowStretch(5, 1)
        panel.setMinimumWidth(340)

        middle = QHBoxLayout()
        middle.addWidget(self.table, 3)
        middle.addWidget(panel, 1)

        self.print_band = MessageBand()
        self.print_band.setAccessibleName(self.tr("Printing"))

        self.reason = QLineEdit()
        self.reason.setPlaceholderText(
            self.tr("Why only part ships, e.g. 'TEA-EARL-100 out of stock'")
        )
        self.reason.setProperty("role", "big")
        self.reason.returnPressed.connect(self._reason_entered)
        self.reason.hide()
        self.weight_input = QLineEdit()
        self.weight_input.setPlaceholderText(
            self.tr("Weight, e.g. 1.25 (kg) or 1250 g, then Enter")
        )
        self.weight_input.setProperty("role", "big")
        self.weight_input.returnPressed.connect(self._weight_entered)
        self.weight_input.hide()

        actions: list[Key] = [
            ("F2", self.tr("Close parcel"), lambda: self._do(Command.CLOSE)),
            ("F3", self.tr("New parcel"), lambda: self._do(Command.NEW_PARCEL)),
            ("F4", self.tr("Next box"), self._next_box),
            ("F6", self.tr("Weight"), self._ask_weight),
            ("F8", self.tr("Ship partial…"), lambda: self._do(Command.SHIP_PARTIAL)),
            ("F9", self.tr("Undo"), lambda: self._do(Command.UNDO)),
            ("F10", self.tr("Reopen"), lambda: self._do(Command.REOPEN)),
            ("F11", self.tr("Reprint"), lambda: self._do(Command.REPRINT)),
            ("Esc", self.tr("Leave"), self._leave),
        ]
        keys = self.key_grid(actions, 5)

        self.idle = styled_label("", "notice")
        self.idle.setWordWrap(True)

        self.body.addWidget(self.idle)
        self.body.addLayout(middle, 1)
        self.body.addWidget(self.reason)
        self.body.addWidget(self.weight_input)
        self.body.addWidget(self.next_band)
        self.body.addWidget(self.print_band)
        self.body.addLayout(keys)
        self.table_widgets = (self.table, panel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        if context.scale is not None:
            context.scale.reading.connect(self.on_reading)
        if context.printing is not None:
            context.printing.changed.connect(self.on_print_state)
            if context.printing.last is not None:
                self.on_print_state(context.printing.last)
        self.show_view(None)

    # WorkspacePage
    def activate(self) -> None:
        result = self.controller.run(self.controller.resume)
        if result.refused:
            self.next_band.show_refused(result.said or "")
        else:
            self.show_result(result)

    def on_result(self, result: BenchResult) -> None:
        partial = self.controller.reason_awaited
        self.reason.setVisible(partial)
        if partial:
            # Its full height, or a short window squeezes the text out of sight.
            self.reason.setMinimumHeight(self.reason.sizeHint().height())
            self.reason.setFocus()
        elif self.reason.hasFocus():
            self.setFocus()

    # showing
    def show_view(self, view: PackView | None) -> None:
        has = view is not None
        for widget in self.table_widgets:
            widget.setVisible(has)
        self.idle.setVisible(not has)
        for key in ("F2", "F3", "F4", "F6", "F8", "F9", "F10", "Esc"):
            self.buttons[key].setEnabled(has)
        partial_ok = self.context.actor.may(Permission.SHIP_PARTIAL)
        self.buttons["F8"].setVisible(partial_ok)
        if view is None:
            self.subject.setText(self.tr("No order open"))
            last = self.controller.last_shipment
            done = (
                self.tr("Last: order {order} → {shipment}.").format(
                    order=last.order_number, shipment=last.number
                )
                + "\n\n"
                if last is not None
                else ""
            )
            self.idle.setText(done + purpose(self.context.actor))
            self.model.show_rows([])
            return
        parcels = len(view.parcels)
        n = len(view.lines)
        lines = self.tr("1 line") if n == 1 else self.tr("%d lines") % n
        unclaimed = not view.claimed and view.session_id not in self.controller.claiming
        self.subject.setText(
            self.tr("ORDER {order}  ·  {lines}  ·  {carrier}  ·  ship to: {destination}").format(
                order=view.order_number,
                lines=lines,
                carrier=view.carrier,
                destination=view.destination,
            )
            + ("  ·  " + self.tr("not claimed (offline)") if unclaimed else "")
        )
        current = view.current
        self.parcel_label.setText(
            self.tr("Parcel {n} of {count}").format(n=current.parcel_no, count=parcels)
        )
        self.box_label.setText(
            view.box.label + "\n" + self.tr("tare {weight}").format(weight=kg(view.box.tare_g))
        )
        self.expected_label.setText(
            self.tr("%s in this parcel") % self.controller.items(current.units)
            + "\n"
            + current.expected.words
        )
        closed = [p for p in view.parcels if p.state == "closed"]
        self.parcels_label.setText(
            "\n".join(
                self.tr("Parcel %d: closed, %s, %s, SSCC %s")
                % (p.parcel_no, self.controller.items(p.units), kg(p.weight_g or 0), p.sscc)
                for p in closed
            )
        )
        self._show_weight()
        self.model.next_line = next((line.line_no for line in view.lines if not line.done), None)
        self.model.show_rows(list(view.lines))

    def _show_weight(self) -> None:
        view = self.controller.view
        scale = self.context.scale
        if view is None:
            return
        current = view.current
        if scale is not None and scale.configured:
            grams = scale.stable_grams()
            last = scale.last
            if last is not None:
                self.weight_label.setText(kg(last.grams))
                self.weight_note.setText(self.tr("stable") if last.stable else self.tr("settling…"))
                return
            self.weight_label.setText("— kg")
            self.weight_note.setText(self.tr("scale %s") % scale.state if grams is None else "")
            return
        if current.weight_g is not None:
            self.weight_label.setText(kg(current.weight_g))
            self.weight_note.setText(self.tr("typed"))
        else:
            self.weight_label.setText("— kg")
            self.weight_note.setText(self.tr("no scale: F6 to type the weight"))

    def on_reading(self, reading: Reading) -> None:
        if self.controller.view is not None:
            self._show_weight()

    def on_shipped(self, done: ShipmentDone) -> None:
        self.show_view(None)

    def on_print_state(self, state: PrintState) -> None:
        if state.unsure:
            names = ", ".join(state.unsure)
            self.print_band.show_message(
                self.tr(
                    "Not known to have printed: %s. Check the printer; reprint a missing one "
                    "with: packbench print label SHIPMENT-OR-SSCC --reprint"
                )
                % names,
                Tone.WAITING,
            )
        elif state.waiting:
            why = state.problem or self.tr("sending…")
            waiting = (
                self.tr("1 document waiting to print: %s")
                if state.waiting == 1
                else self.tr("%d documents waiting to print: %%s") % state.waiting
            )
            self.print_band.show_message(waiting % why, Tone.WAITING)
        else:
            self.print_band.clear_message()

    # keys and typed fields
    def _do(self, command: Command) -> BenchResult:
        return self.act(lambda: self.controller.on_key(command))

    def _next_box(self) -> None:
        view = self.controller.view
        if view is None:
            return
        boxes = self.context.station.packing.boxes
        codes = [b.code for b in boxes]
        following = codes[(codes.index(view.box.code) + 1) % len(codes)]
        self.act(lambda: self.controller.on_key(Command.BOX, following))

    def _ask_weight(self) -> None:
        if self.controller.view is None:
            return
        self.weight_input.show()
        self.weight_input.setMinimumHeight(self.weight_input.sizeHint().height())
        self.weight_input.setFocus()

    def _weight_entered(self) -> None:
        text = self.weight_input.text()
        result = self.controller.run(lambda: self.controller.type_weight(text))
        if not result.refused:
            self.weight_input.clear()
            self.weight_input.hide()
            self.setFocus()
        self.present(result)

    def _reason_entered(self) -> None:
        text = self.reason.text()
        result = self.controller.run(lambda: self.controller.ship_partial(text))
        if not self.controller.reason_awaited:
            self.reason.clear()
        self.present(result)

    def on_reason_asked(self, typed: str) -> None:
        self.reason.setText(typed)

    def _leave(self) -> None:
        if self.weight_input.isVisible():
            self.weight_input.hide()
            self.setFocus()
            return
        self.act(self.controller.leave)


def create_page(context: PageContext) -> WorkspacePage:
    return PackPage(context)
