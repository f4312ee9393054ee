"""The Pack workspace: an order's items scanned into parcels, weighed, closed and labelled.

Driven by scans: an order (or its packing slip) opens it, each item scan counts on its line,
command barcodes do the rest (CLOSE, NEW-PARCEL, BOX:M, UNDO, REOPEN, SHIP-PARTIAL, OK,
CANCEL, REPRINT, QTY:n). Every command also has a key. ``PackController`` holds the bench's
small state (an item waiting for its serial, a weight waiting to be confirmed, a reason
being typed) and calls one service per intent; the page only shows what it is told.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.domain.decode import Command, ProductHit, ScanKind, ScanMeaning
from app.domain.errors import DomainError
from app.domain.packing import kg, looks_like_gtin, parse_typed_weight
from app.domain.users import Actor, Permission, Workspace
from app.domain.wording import count, sentences
from app.services import packing, printjobs
from app.services.packing import LineView, PackView, ShipmentDone, Weighing, WeightOutOfRange
from devices.scale import Reading
from ui.devices_bridge import PrintState, StationPrinting, StationScale
from ui.tables import ModelIndex, RowsModel, read_only_table
from ui.theme import Tone, tint, tint_ink
from ui.widgets import MessageBand, styled_label
from ui.workspaces.base import PageContext, WorkspacePage


def purpose(actor: Actor) -> str:
    """What the workspace does for this person, in one sentence."""
    text = (
        "Scan an order or its packing slip, scan every item into the parcel, let the scale "
        "fill in the weight, and close the parcel with one scan so its label and packing "
        "slip print"
    )
    if Permission.SHIP_PARTIAL in actor.permissions:
        text += ", or ship part of an order when stock is short"
    return text + "."


# --- the lines table -----------------------------------------------------------------------


class LinesModel(RowsModel[LineView]):
    COLUMNS = ("", "SKU", "Item", "Bin", "Packed")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.flash_line: int | None = None
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
            font = QFont()
            font.setBold(True)
            return font
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


@dataclass(frozen=True)
class PendingSerial:
    hit: ProductHit
    units: int
    lot: str | None
    expiry: Any
    raw: str


@dataclass(frozen=True)
class WeightToConfirm:
    """A weight outside the expected range, waiting for OK (accept) or CANCEL (weigh again).

    ``partial_reason`` is set when the parcel is the last of a partial shipment: the reason
    the packer typed travels with the weight, so OK ships part as it closes a parcel.
    """

    refusal: WeightOutOfRange
    partial_reason: str | None = None


class PackController(QObject):
    """The bench's state and its one service call per intent; the page shows the signals.

    Signals:
        view_changed: the ``PackView`` now open, or None (nothing open).
        said: (text, tone) for the page's own band (next action, waiting prompts).
        shipped: a ``ShipmentDone``.
        reason_asked: the bench wants the partial shipment's reason typed; the text to
            start from (empty, or the reason already typed when the packer weighs again).
    """

    view_changed = Signal(object)
    said = Signal(str, str)
    shipped = Signal(object)
    reason_asked = Signal(str)

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
        self.pending_serial: PendingSerial | None = None
        self.pending_weight: WeightToConfirm | None = None
        self.pending_partial = False
        self.quantity = 1
        self.last_shipment: ShipmentDone | None = None
        self.done_message: str | None = None
        self.flash_line: int | None = None

    # The one entry for scans: None when taken, else the refusal in words.
    def on_scan(self, meaning: ScanMeaning) -> str | None:
        self.done_message = None
        self.flash_line = None
        try:
            return self._on_scan(meaning)
        except DomainError as refusal:
            return refusal.message

    def _on_scan(self, meaning: ScanMeaning) -> str | None:
        decoded = meaning.decoded
        if meaning.kind is ScanKind.COMMAND and decoded.command is not None:
            return self.handle_command(decoded.command, decoded.reference or "", decoded.quantity)
        if decoded.kind is ScanKind.BADGE:  # a credential: never taken for a serial, never kept
            return "A badge: sign out first (Ctrl+L) to change who is packing."
        if self.pending_weight is not None:
            return "Confirm the weight first: scan OK to accept it or CANCEL to weigh again."
        if self.pending_partial:
            return "Type why only part ships and press Enter, or scan CANCEL."
        if self.pending_serial is not None:
            return self._serial(decoded.serial or decoded.data)
        if meaning.kind is ScanKind.ORDER:
            return self.open_order(decoded.reference or decoded.data)
        if meaning.kind in (ScanKind.PICK_LIST, ScanKind.TOTE):
            return (
                f"{meaning.message} is not linked to an order at this station yet (totes and "
                "pick lists come with picking): scan the order number or its packing slip."
            )
        if meaning.kind is ScanKind.PRODUCT and meaning.product is not None:
            return self._item(meaning)
        if meaning.kind is ScanKind.SSCC:
            return (
                f"{meaning.message}: that is a parcel label. Scan an item, or the order's "
                "packing slip to open an order."
            )
        if meaning.kind is ScanKind.UNKNOWN:
            return meaning.message
        return f"{meaning.message}: not something to pack. Scan an order, an item or a command."

    @property
    def is_waiting(self) -> bool:
        """Something must come next before anything else: a serial, OK, a reason."""
        return (
            self.pending_serial is not None
            or self.pending_weight is not None
            or self.pending_partial
        )

    def guard(self, action: Callable[[], str | None]) -> str | None:
        """Run a key's action like a scan: None when done, else the refusal in words."""
        self.done_message = None
        self.flash_line = None
        try:
            return action()
        except DomainError as refusal:
            return refusal.message

    def on_key(self, command: Command, argument: str = "") -> str | None:
        return self.guard(lambda: self.handle_command(command, argument, None))

    def handle_command(
        self, command: Command, argument: str = "", quantity: int | None = None
    ) -> str | None:
        """A command barcode or its key, in whatever the bench is waiting for."""
        if self.pending_weight is not None:
            if command is Command.OK:
                return self.confirm_weight()
            if command is Command.CANCEL:
                return self.cancel()
            return "Confirm the weight first: scan OK to accept it or CANCEL to weigh again."
        if self.pending_partial:
            if command is Command.CANCEL:
                return self.cancel()
            return "Type why only part ships and press Enter, or scan CANCEL."
        if self.pending_serial is not None:
            if command in (Command.CANCEL, Command.UNDO):
                return self.cancel()
            return f"Scan the serial number of {self.pending_serial.hit.sku} first (or CANCEL)."
        return self.command(command, argument, quantity)

    # --- orders ------------------------------------------------------------------------

    def resume(self) -> None:
        if self.view is None:
            view = packing.resume(self.station, self.actor)
            if view is not None:
                self._show(view)
                self.say(
                    sentences(
                        f"Order {view.order_number} reopened as it was left: "
                        f"{count(view.units_packed, 'item')} already packed",
                        view.next_action(),
                    ),
                    Tone.WAITING,
                )

    def open_order(self, number: str) -> str | None:
        if self.view is not None and self.view.order_number == number:
            self.done_message = f"Order {number} is already open"
            return None
        last_sync = self.sync.last if self.sync is not None else None
        online = last_sync is None or last_sync.online
        view = packing.open_order(self.station, self.actor, number, claim=online)
        self._reset_pending()
        self._show(view)
        claim = "" if view.claimed else " (central store offline: not claimed)"
        packed = f", {view.units_packed} already packed" if view.units_packed else ""
        self.done_message = f"Order {number} open{packed}{claim}"
        return None

    def leave(self) -> str | None:
        if self.view is None:
            return "No order is open."
        if self.view is not None:
            packing.leave(self.station, self.actor, self.view.session_id)
            number = self.view.order_number
            self._reset_pending()
            self._show(None)
            self.say(f"Order {number} put down; scan it again to carry on.", Tone.NEUTRAL)
            self.done_message = f"Order {number} put down"
        return None

    # --- items -------------------------------------------------------------------------

    def _item(self, meaning: ScanMeaning) -> str | None:
        if self.view is None:
            return (
                f"{meaning.message}: no order is open. Scan the order number or its packing "
                "slip first."
            )
        hit = meaning.product
        assert hit is not None
        units = meaning.units * self.quantity
        decoded = meaning.decoded
        if packing.needs_serial(self.view, hit.product_id) and decoded.serial is None:
            # Check the item counts at all before asking for its serial.
            packing.check_in_view(self.view, hit.product_id, units, hit.sku)
            self.pending_serial = PendingSerial(
                hit, units, decoded.lot, decoded.expiry, decoded.raw
            )
            self.done_message = f"{hit.sku} {hit.name}: now scan its serial number"
            self.say(f"NEXT  scan the serial number of {hit.sku}", Tone.WAITING)
            return None
        return self._pack(hit, units, decoded.serial, decoded.lot, decoded.expiry, decoded.raw)

    def _serial(self, serial: str) -> str | None:
        pending = self.pending_serial
        assert pending is not None
        if serial == pending.raw or looks_like_gtin(serial):
            return (
                f"That is a product barcode, not the serial of {pending.hit.sku}: scan the "
                "serial number (S/N) barcode."
            )
        refusal = self._pack(
            pending.hit,
            pending.units,
            serial,
            pending.lot,
            pending.expiry,
            pending.raw + " / " + serial,
        )
        if refusal is None:
            self.pending_serial = None
        return refusal

    def _pack(
        self,
        hit: ProductHit,
        units: int,
        serial: str | None,
        lot: str | None,
        expiry: Any,
        raw: str,
    ) -> str | None:
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
        self.flash_line = result.line_no
        self.done_message = result.message
        self._show(result.view)
        return None

    # --- commands ----------------------------------------------------------------------

    def command(
        self, command: Command, argument: str = "", quantity: int | None = None
    ) -> str | None:
        if command is Command.QTY:
            self.quantity = quantity or 1
            self.done_message = (
                f"Quantity {self.quantity}: the next item counts {self.quantity} times"
            )
            return None
        if command is Command.REPRINT:
            return self.reprint()
        if command is Command.CANCEL:
            return self.cancel()
        if self.view is None:
            return f"{command.value}: no order is open. Scan an order first."
        session = self.view.session_id
        if command is Command.UNDO:
            result = packing.undo_last(self.station, self.actor, session)
            self.flash_line = result.line_no
            self.done_message = result.message
            self._show(result.view)
            return None
        if command is Command.BOX:
            view = packing.choose_box(self.station, self.actor, session, argument)
            self._show(view)
            self.done_message = f"{view.box.label}, tare {kg(view.box.tare_g)}"
            return None
        if command in (Command.CLOSE, Command.NEW_PARCEL):
            if command is Command.NEW_PARCEL and self.view.all_packed:
                return "Everything is packed: scan CLOSE to close the parcel and ship the order."
            return self.close_parcel()
        if command is Command.REOPEN:
            view = packing.reopen_parcel(self.station, self.actor, session)
            self._show(view)
            self.done_message = f"Parcel {view.current.parcel_no} reopened (recorded)"
            return None
        if command is Command.SHIP_PARTIAL:
            return self.ask_partial()
        if command is Command.OK:
            return "OK: nothing is waiting for a confirmation."
        return f"{command.value} does nothing at the packing bench."

    def cancel(self) -> str | None:
        if self.pending_serial is None and self.pending_weight is None and not self.pending_partial:
            if self.quantity != 1:
                self.quantity = 1
                self.done_message = "Quantity cancelled"
                return None
            return "Nothing to cancel."
        weighed = self.pending_weight
        if weighed is not None and weighed.partial_reason is not None:
            # Weigh again without losing the reason: back to it, typed as it was.
            self.pending_weight = None
            self._ask_reason(
                weighed.partial_reason,
                "Weigh the parcel again, then press Enter to ship part (CANCEL to stop).",
            )
            return None
        self._reset_pending()
        self.done_message = "Cancelled"
        self._show(self.view)
        return None

    def _weighing(self) -> Weighing | None:
        grams = self.scale.stable_grams() if self.scale is not None else None
        return Weighing(grams, "scale") if grams is not None else None

    def close_parcel(self, *, accept: bool = False, weight: Weighing | None = None) -> str | None:
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
            self._confirm(WeightToConfirm(out))
            return None
        self.pending_weight = None
        if result.shipment is not None:
            self._shipped(result.shipment)
            return None
        assert result.view is not None
        self._show(result.view)
        self.done_message = (
            f"Parcel {result.closed_parcel} closed (SSCC {result.sscc}); parcel "
            f"{result.view.current.parcel_no} is open"
        )
        return None

    def _confirm(self, waiting: WeightToConfirm) -> None:
        """Ask for OK on a weight outside the expected range (closing or shipping part)."""
        self.pending_weight = waiting
        if waiting.partial_reason is None:
            self.say(waiting.refusal.message, Tone.WAITING)
        else:
            after = "OK ships what is packed with this weight"
            self.say(sentences(waiting.refusal.message, after), Tone.WAITING)
        self.done_message = f"Weight {kg(waiting.refusal.grams)}: confirm it (OK) or weigh again"

    def confirm_weight(self) -> str | None:
        """OK on the weight waiting: the very weight that was judged, now accepted."""
        pending = self.pending_weight
        assert pending is not None
        weight = pending.refusal.weighing
        if pending.partial_reason is not None:
            return self._ship_partial(pending.partial_reason, weight, accept=True)
        return self.close_parcel(accept=True, weight=weight)

    def ask_partial(self) -> str | None:
        assert self.view is not None
        self.actor.require(Permission.SHIP_PARTIAL, "ship part of an order")
        if self.view.all_packed:
            return "Everything is packed: scan CLOSE to ship the whole order."
        self._ask_reason("", "Type why only part ships, then press Enter (CANCEL to go back).")
        return None

    def _ask_reason(self, typed: str, prompt: str) -> None:
        self.pending_partial = True
        self.reason_asked.emit(typed)
        self.say(prompt, Tone.WAITING)
        self.done_message = "Ship partial: type the reason"

    def ship_partial(self, reason: str) -> str | None:
        """The reason typed: ship what is packed, weighed by the scale (or a typed weight)."""
        return self._ship_partial(reason, self._weighing())

    def _ship_partial(
        self, reason: str, weight: Weighing | None, *, accept: bool = False
    ) -> str | None:
        assert self.view is not None
        self.pending_partial = False
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
            self._confirm(WeightToConfirm(out, reason))
            return None
        except DomainError:
            if self.pending_weight is None:
                # Back to the reason as typed: put right what the refusal says, Enter again.
                self.pending_partial = True
                self.reason_asked.emit(reason)
            raise
        self._shipped(done)
        return None

    def type_weight(self, text: str) -> str | None:
        if self.view is None:
            return "No order is open."
        grams = parse_typed_weight(text)
        view = packing.set_weight(self.station, self.actor, self.view.session_id, grams)
        self._show(view)
        self.done_message = f"Parcel {view.current.parcel_no}: {kg(grams)} typed"
        pending = self.pending_weight
        if pending is not None:
            # A typed weight instead of OK: judged again, for whatever was waiting.
            self.pending_weight = None
            typed = Weighing(grams, "typed")
            if pending.partial_reason is not None:
                return self._ship_partial(pending.partial_reason, typed)
            return self.close_parcel(weight=typed)
        return None

    def reprint(self) -> str | None:
        subject = self.last_shipment.number if self.last_shipment else None
        if subject is None:
            return "Nothing to reprint: no shipment was made at this bench since you signed in."
        made = printjobs.reprint(self.station.local, self.actor, self.station.station_id, subject)
        if self.printing is not None:
            self.printing.kick()
        self.done_message = f"Reprinting {count(len(made), 'label')} of {subject} (recorded)"
        return None

    # --- plumbing ----------------------------------------------------------------------

    def _shipped(self, done: ShipmentDone) -> None:
        self.last_shipment = done
        self._reset_pending()
        self._show(None)
        if self.printing is not None:
            self.printing.kick()
        what = "part-shipped (backorder stays open)" if done.partial else "shipped"
        self.done_message = (
            f"Order {done.order_number} {what}: {done.number}, "
            f"{count(len(done.ssccs), 'parcel')}; labels and slip printing"
        )
        self.shipped.emit(done)

    def _reset_pending(self) -> None:
        self.pending_serial = None
        self.pending_weight = None
        self.pending_partial = False
        self.quantity = 1

    def _show(self, view: PackView | None) -> None:
        self.view = view
        self.view_changed.emit(view)
        if view is not None and self.pending_weight is None and not self.pending_partial:
            awaiting = self.pending_serial.hit.sku if self.pending_serial else None
            self.say("NEXT  " + view.next_action(awaiting), Tone.NEUTRAL)

    def say(self, text: str, tone: Tone) -> None:
        self.said.emit(text, tone.value)


# --- the page -----------------------------------------------------------------------------


class PackPage(WorkspacePage):
    """The bench screen: header, lines, parcel panel, next action, keys."""

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(Workspace.PACK, parent)
        self.context = context
        self.controller = PackController(context, context.printing, context.scale, self)
        self.controller.view_changed.connect(self.show_view)
        self.controller.said.connect(self.on_said)
        self.controller.shipped.connect(self.on_shipped)
        self.controller.reason_asked.connect(self.on_reason_asked)

        self.model = LinesModel(self)
        self.table = read_only_table(self.model, "Order lines")
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

        self.next_band = MessageBand()
        self.next_band.setAccessibleName("Next action")
        self.print_band = MessageBand()
        self.print_band.setAccessibleName("Printing")

        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Why only part ships, e.g. 'TEA-EARL-100 out of stock'")
        self.reason.setProperty("role", "big")
        self.reason.returnPressed.connect(self._reason_entered)
        self.reason.hide()
        self.weight_input = QLineEdit()
        self.weight_input.setPlaceholderText("Weight, e.g. 1.25 (kg) or 1250 g, then Enter")
        self.weight_input.setProperty("role", "big")
        self.weight_input.returnPressed.connect(self._weight_entered)
        self.weight_input.hide()

        keys = QGridLayout()
        keys.setHorizontalSpacing(10)
        keys.setVerticalSpacing(8)
        self.buttons: dict[str, QPushButton] = {}
        actions: list[tuple[str, str, Callable[[], None]]] = [
            ("F2", "Close parcel", lambda: self._do(Command.CLOSE)),
            ("F3", "New parcel", lambda: self._do(Command.NEW_PARCEL)),
            ("F4", "Next box", self._next_box),
            ("F6", "Weight", self._ask_weight),
            ("F8", "Ship partial…", lambda: self._do(Command.SHIP_PARTIAL)),
            ("F9", "Undo", lambda: self._do(Command.UNDO)),
            ("F10", "Reopen", lambda: self._do(Command.REOPEN)),
            ("F11", "Reprint", lambda: self._do(Command.REPRINT)),
            ("Esc", "Leave", self._leave),
        ]
        for index, (key, words, action) in enumerate(actions):
            button = QPushButton(f"{key}  {words}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setToolTip(f"{words} ({key})")
            button.clicked.connect(action)
            keys.addWidget(button, index // 5, index % 5)
            self.buttons[key] = button
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)

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

        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.setInterval(700)
        self._flash_timer.timeout.connect(self._end_flash)
        if context.scale is not None:
            context.scale.reading.connect(self.on_reading)
        if context.printing is not None:
            context.printing.changed.connect(self.on_print_state)
            if context.printing.last is not None:
                self.on_print_state(context.printing.last)
        self.show_view(None)

    # WorkspacePage
    def activate(self) -> None:
        try:
            self.controller.resume()
        except DomainError as error:
            self.on_said(error.message, Tone.REFUSED.value)

    def on_scan(self, meaning: ScanMeaning) -> str | None:
        refusal = self.controller.on_scan(meaning)
        self.done_message = self.controller.done_message
        self.waiting = self.controller.is_waiting
        if refusal is None and self.controller.flash_line is not None:
            self.model.flash_line = self.controller.flash_line
            self._refresh_table()
            self._flash_timer.start()
        self._sync_inputs()
        return refusal

    # showing
    def show_view(self, view: PackView | None) -> None:
        has = view is not None
        for widget in self.table_widgets:
            widget.setVisible(has)
        self.idle.setVisible(not has)
        for key in ("F2", "F3", "F4", "F6", "F8", "F9", "F10", "Esc"):
            self.buttons[key].setEnabled(has)
        partial_ok = Permission.SHIP_PARTIAL in self.context.actor.permissions
        self.buttons["F8"].setVisible(partial_ok)
        if view is None:
            self.subject.setText("No order open")
            last = self.controller.last_shipment
            done = (
                f"Last: order {last.order_number} → {last.number}.\n\n" if last is not None else ""
            )
            self.idle.setText(done + purpose(self.context.actor))
            self.model.show_rows([])
            self.next_band.clear_message()
            return
        parcels = len(view.parcels)
        lines = count(len(view.lines), "line")
        self.subject.setText(
            f"ORDER {view.order_number}  ·  {lines}  ·  {view.carrier}  ·  "
            f"ship to: {view.destination}" + ("" if view.claimed else "  ·  not claimed (offline)")
        )
        current = view.current
        self.parcel_label.setText(f"Parcel {current.parcel_no} of {parcels}")
        self.box_label.setText(f"{view.box.label}\ntare {kg(view.box.tare_g)}")
        self.expected_label.setText(
            f"{count(current.units, 'item')} in this parcel\n{current.expected.words}"
        )
        closed = [p for p in view.parcels if p.state == "closed"]
        self.parcels_label.setText(
            "\n".join(
                f"Parcel {p.parcel_no}: closed, {count(p.units, 'item')}, {kg(p.weight_g or 0)}, "
                f"SSCC {p.sscc}"
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
                self.weight_note.setText("stable" if last.stable else "settling…")
                return
            self.weight_label.setText("— kg")
            self.weight_note.setText(f"scale {scale.state}" if grams is None else "")
            return
        if current.weight_g is not None:
            self.weight_label.setText(kg(current.weight_g))
            self.weight_note.setText("typed")
        else:
            self.weight_label.setText("— kg")
            self.weight_note.setText("no scale: F6 to type the weight")

    def on_reading(self, reading: Reading) -> None:
        if self.controller.view is not None:
            self._show_weight()

    def on_said(self, text: str, tone: str) -> None:
        self.next_band.show_message(text, Tone(tone))

    def on_shipped(self, done: ShipmentDone) -> None:
        self.show_view(None)

    def on_print_state(self, state: PrintState) -> None:
        if state.unsure:
            names = ", ".join(state.unsure)
            self.print_band.show_message(
                f"Not known to have printed: {names}. Check the printer; reprint a missing "
                "one with: packbench print label SHIPMENT-OR-SSCC --reprint",
                Tone.WAITING,
            )
        elif state.waiting:
            why = state.problem or "sending…"
            self.print_band.show_message(
                f"{count(state.waiting, 'document')} waiting to print: {why}", Tone.WAITING
            )
        else:
            self.print_band.clear_message()

    # keys
    def _do(self, command: Command) -> None:
        self._report(self.controller.on_key(command))

    def _report(self, refusal: str | None) -> None:
        band = self._window_band()
        feedback = self.context.scanning.feedback
        if refusal is None:
            if band is not None and self.controller.done_message:
                tone = Tone.WAITING if self.controller.is_waiting else Tone.DONE
                band.show_message(self.controller.done_message, tone)
        elif band is not None:
            band.show_refused(refusal)
            feedback.bad(band)
        self._sync_inputs()

    def _window_band(self) -> MessageBand | None:
        widget = self.parentWidget()
        while widget is not None:
            band = getattr(widget, "scan_band", None)
            if isinstance(band, MessageBand):
                return band
            widget = widget.parentWidget()
        return None

    def _next_box(self) -> None:
        view = self.controller.view
        if view is None:
            return
        boxes = self.context.station.packing.boxes
        codes = [b.code for b in boxes]
        following = codes[(codes.index(view.box.code) + 1) % len(codes)]
        self._report(self.controller.on_key(Command.BOX, following))

    def _ask_weight(self) -> None:
        if self.controller.view is None:
            return
        self.weight_input.show()
        self.weight_input.setMinimumHeight(self.weight_input.sizeHint().height())
        self.weight_input.setFocus()

    def _weight_entered(self) -> None:
        text = self.weight_input.text()
        refusal = self.controller.guard(lambda: self.controller.type_weight(text))
        if refusal is None:
            self.weight_input.clear()
            self.weight_input.hide()
            self.setFocus()
        self._report(refusal)

    def _reason_entered(self) -> None:
        text = self.reason.text()
        refusal = self.controller.guard(lambda: self.controller.ship_partial(text))
        if not self.controller.pending_partial:
            self.reason.clear()
        self._report(refusal)

    def on_reason_asked(self, typed: str) -> None:
        self.reason.setText(typed)

    def _leave(self) -> None:
        if self.weight_input.isVisible():
            self.weight_input.hide()
            self.setFocus()
            return
        self._report(self.controller.guard(self.controller.leave))

    def _sync_inputs(self) -> None:
        partial = self.controller.pending_partial
        self.reason.setVisible(partial)
        if partial:
            # Its full height, or a short window squeezes the text out of sight.
            self.reason.setMinimumHeight(self.reason.sizeHint().height())
            self.reason.setFocus()
        elif self.reason.hasFocus():
            self.setFocus()

    def _refresh_table(self) -> None:
        top = self.model.index(0, 0)
        bottom = self.model.index(self.model.rowCount() - 1, self.model.columnCount() - 1)
        self.model.dataChanged.emit(top, bottom)

    def _end_flash(self) -> None:
        self.model.flash_line = None
        if self.model.rowCount():
            self._refresh_table()


def create_page(context: PageContext) -> WorkspacePage:
    return PackPage(context)
