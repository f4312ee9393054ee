"""The Pick workspace: a pick list walked bin by bin, with scans only.

The picker scans the list (or OK for the next one), and the screen shows the next bin in
very large type with what to take and how many. Then the bin, the item (a case barcode
counts its units), the tote: the quantity counts down. A wrong bin, a wrong item, one too
many or the wrong tote is refused by the service with its reason and nothing changed.
``%PB:SHORT:<reason>`` (BIN-EMPTY, DAMAGED, NOT-FOUND), or SHORT then the reason, records
a short pick (``QTY:n`` in between says n were found); scanning the list again puts it down
(paused: any station that has it resumes it). ``PickController`` calls one service of
``app.services.picking`` per intent, and the page shows the ``PickView`` it is told.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QVBoxLayout, QWidget

from app.domain.bench import Awaiting, BenchResult, Need, Prompt, Tone
from app.domain.decode import SHORT_REASONS, Command, ScanKind, ScanMeaning
from app.domain.picking import LineState, PickingError, ShortReason, first_open_split
from app.domain.users import Actor, Role, Workspace
from app.domain.wording import sentences
from app.services import picking
from app.services.picking import PickView
from ui.tables import FlashingRowsModel, ModelIndex, bold, read_only_table
from ui.theme import tint, tint_ink
from ui.widgets import styled_label
from ui.workspaces.base import PageContext, WorkspacePage
from ui.workspaces.bench import BenchController, BenchPage, Key


def _tr(text: str) -> str:
    return QCoreApplication.translate("Pick", text)


def purpose(actor: Actor) -> str:
    """What the workspace does for this person, in one sentence."""
    if actor.role in (Role.SUPERVISOR, Role.ADMIN):
        return QCoreApplication.translate(
            "Pick",
            "Pick like a picker does when the floor needs a hand: scan a pick list (or OK for "
            "the next one), then each bin, item and tote; report a short pick on the spot.",
        )
    return QCoreApplication.translate(
        "Pick",
        "Scan a pick list (or OK for the next one), then at each bin scan the bin, the item "
        "and the tote; report a short pick on the spot with its reason.",
    )


# The kinds and states of a pick list as the screen shows them (the domain's words).
_WORDS = (
    QT_TRANSLATE_NOOP("PickKind", "single"),
    QT_TRANSLATE_NOOP("PickKind", "batch"),
    QT_TRANSLATE_NOOP("PickKind", "wave"),
    QT_TRANSLATE_NOOP("PickKind", "follow-up"),
    QT_TRANSLATE_NOOP("PickState", "open"),
    QT_TRANSLATE_NOOP("PickState", "paused"),
    QT_TRANSLATE_NOOP("PickState", "picking"),
)


def reason_of(word: str) -> ShortReason:
    """A short pick's reason as its barcode says it (%PB:SHORT:BIN-EMPTY)."""
    return ShortReason(word.lower().replace("-", "_"))


# --- the lines table -----------------------------------------------------------------------


class PickLinesModel(FlashingRowsModel[LineState]):
    """The list's lines in walk order; the one being walked marked, done ones ticked."""

    COLUMNS = (
        "",
        str(QT_TRANSLATE_NOOP("Pick", "Bin")),
        str(QT_TRANSLATE_NOOP("Pick", "SKU")),
        str(QT_TRANSLATE_NOOP("Pick", "Picked")),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.current: int | None = None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(self.COLUMNS[section]) if self.COLUMNS[section] else ""
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self.row_at(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            short = (
                QCoreApplication.translate("Pick", "  (%d short)") % line.short
                if line.short
                else ""
            )
            values = (
                "✔" if line.done else ("▶" if line.position == self.current else ""),
                line.bin_code,
                line.sku,
                f"{line.picked} / {line.quantity}{short}",
            )
            return values[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return line.name
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole and column in (0, 1, 3):
            return bold()
        if role == Qt.ItemDataRole.BackgroundRole:
            if line.position == self.flash_line:
                return tint(Tone.DONE)
            if line.short:
                return tint(Tone.WAITING)
            if line.done:
                return tint(Tone.DONE).lighter(112)
        if role == Qt.ItemDataRole.ForegroundRole and line.done and not line.short:
            return tint_ink(Tone.DONE)
        return None


# --- the controller ------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ShortAwaited(Awaiting):
    """SHORT was scanned: the reason is awaited; ``found`` units of the line are there."""

    found: int


class PickController(BenchController):
    """The bench's state (the list being picked, a pending QTY, a short pick's reason
    awaited) and one ``app.services.picking`` call per intent.

    Signals:
        view_changed: the ``PickView`` now shown (None: no list open).
    """

    view_changed = Signal(PickView)

    doing = "picking"

    def __init__(self, context: PageContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.station = context.station
        self.actor = context.actor
        self.view: PickView | None = None
        self.quantity = 1

    # --- scans -------------------------------------------------------------------------

    def take(self, meaning: ScanMeaning) -> BenchResult:
        decoded = meaning.decoded
        reference = decoded.reference or decoded.data
        if meaning.kind is ScanKind.PICK_LIST:
            return self.scan_list(reference)
        if self.view is None or self.view.awaiting == "done":
            return self.refused(
                self.tr("%s: no pick list is open. Scan a pick list, or OK for the next one.")
                % meaning.message
            )
        number = self.view.pick_list.number
        if meaning.kind is ScanKind.BIN:
            return self._step(picking.at_bin(self.station, self.actor, number, reference))
        if meaning.kind is ScanKind.PRODUCT and meaning.product is not None:
            hit = meaning.product
            units = meaning.units * self.quantity
            view = picking.pick_item(
                self.station, self.actor, number, hit.product_id, units, hit.sku
            )
            self.quantity = 1
            return self._step(view)
        if meaning.kind is ScanKind.TOTE:
            return self._step(picking.into_tote(self.station, self.actor, number, reference))
        if meaning.kind is ScanKind.UNKNOWN:
            return self.refused(meaning.message)
        return self.refused(
            self.tr("%s: not something to pick. Scan a bin, an item or a tote.") % meaning.message
        )

    def scan_list(self, number: str) -> BenchResult:
        """A list's barcode: open it (or resume it); the open list scanned again is put down."""
        if self.view is not None and self.view.awaiting != "done":
            if self.view.pick_list.number.upper() == number.upper():
                return self.pause()
            return self.refused(
                self.tr("Pick list %s is open: scan it again to put it down first.")
                % self.view.pick_list.number
            )
        self._reset()
        return self._step(picking.open_list(self.station, self.actor, number))

    def next_list(self) -> str | None:
        """The oldest list nobody is picking (open or paused), for OK."""
        for number, state, _picker, _orders, _units in picking.open_lists(self.station):
            if state in ("open", "paused"):
                return number
        return None

    def pause(self) -> BenchResult:
        if self.view is None or self.view.awaiting == "done":
            return self.refused(self.tr("No pick list is being picked."))
        view = picking.pause_list(self.station, self.actor, self.view.pick_list.number)
        self._reset()
        self._show(None)
        return self.done(view.said, prompt=Prompt(view.said))

    def resume(self) -> BenchResult:
        """The list this person was picking at this station, as it was left (on showing)."""
        if self.view is not None:
            return self.done(keep_prompt=True)
        number = picking.picking_here(self.station, self.actor)
        if number is None:
            return self.done(prompt=self.prompt())
        view = picking.step_view(self.station, number)
        self._show(view)
        return self.done(prompt=Prompt(self.tr("Picking %s. ") % number + self._next(view)))

    # --- commands ----------------------------------------------------------------------

    def valued_command_awaited(
        self, command: Command, argument: str, quantity: int | None, awaiting: Awaiting
    ) -> BenchResult:
        # SHORT:<reason> and QTY:n answer an awaited short pick.
        if isinstance(awaiting, ShortAwaited) and command in (Command.SHORT, Command.QTY):
            return self._short_step(awaiting, command, argument, quantity)
        return super().valued_command_awaited(command, argument, quantity, awaiting)

    def command(self, command: Command, argument: str, quantity: int | None) -> BenchResult:
        if command is Command.QTY:
            self.quantity = quantity or 1
            return self.done(
                self.tr("Quantity %d: the next item counts %d times")
                % (self.quantity, self.quantity),
                keep_prompt=True,
            )
        if command is Command.CANCEL:
            return self.cancel()
        if command is Command.OK:
            if self.view is not None and self.view.awaiting != "done":
                return self.refused(
                    self.tr("OK: nothing is waiting for a confirmation. %s") % self._next(self.view)
                )
            number = self.next_list()
            if number is None:
                return self.refused(self.tr("No pick list waits to be picked at this station."))
            return self.scan_list(number)
        if command is Command.SHORT:
            return self.ask_short(argument)
        return self.refused(self.tr("%s does nothing at the pick list.") % command.value)

    def ask_short(self, reason: str = "") -> BenchResult:
        """SHORT: with a reason, recorded now; without, the reason is awaited."""
        view = self._at_a_bin()
        in_hand = view.pick_list.in_hand
        if reason:
            return self._short(view, in_hand, reason_of(reason))
        self.awaiting = self._short_awaited(view, in_hand)
        assert view.line is not None
        return self.done(self.tr("Short pick at %s") % view.line.bin_code)

    def _short_awaited(self, view: PickView, found: int) -> ShortAwaited:
        words = ", ".join(SHORT_REASONS)
        line = view.line
        assert line is not None
        prompt = self.tr(
            "SHORT  %d of %d × %s found. Scan the reason: %s (F6-F8); QTY:n if you found n; "
            "CANCEL to go back."
        ) % (found, line.open, line.sku, words)
        return ShortAwaited(
            need=Need.REASON,
            prompt=prompt,
            refusal=self.tr("Say why %s is short first: scan the reason (%s), or CANCEL.")
            % (line.sku, words),
            found=found,
        )

    def _short_step(
        self, awaiting: ShortAwaited, command: Command, argument: str, quantity: int | None
    ) -> BenchResult:
        view = self._at_a_bin()
        if command is Command.QTY:
            self.awaiting = self._short_awaited(view, quantity or 0)
            return self.done(self.tr("%d found") % (quantity or 0))
        if not argument:
            return self.refused(awaiting.refusal)
        return self._short(view, awaiting.found, reason_of(argument))

    def short_with(self, reason: ShortReason) -> BenchResult:
        """A reason key (F6-F8): the short pick with the units found so far."""
        view = self._at_a_bin()
        found = (
            self.awaiting.found
            if isinstance(self.awaiting, ShortAwaited)
            else view.pick_list.in_hand
        )
        return self._short(view, found, reason)

    def _short(self, view: PickView, found: int, reason: ShortReason) -> BenchResult:
        done = picking.short_pick(self.station, self.actor, view.pick_list.number, found, reason)
        self.awaiting = None
        return self._step(done)

    def _at_a_bin(self) -> PickView:
        """The view while the picker stands at a bin (a short pick is said there)."""
        view = self.view
        if view is None or view.line is None or view.awaiting == "done":
            raise PickingError(self.tr("No pick list is being picked: scan one first."))
        if view.awaiting == "bin":
            raise PickingError(
                self.tr("A short pick is said at the bin: go to %s and scan its label first.")
                % view.line.bin_code
            )
        return view

    def cancel(self) -> BenchResult:
        if self.awaiting is not None:
            self.awaiting = None
            return self.done(self.tr("Short pick cancelled"))
        if self.quantity != 1:
            self.quantity = 1
            return self.done(self.tr("Quantity cancelled"), keep_prompt=True)
        return self.refused(self.tr("Nothing to cancel."))

    # --- showing -----------------------------------------------------------------------

    def prompt(self) -> Prompt:
        if self.awaiting is not None:
            return super().prompt()
        if self.view is None:
            return Prompt(self.tr("NEXT  Scan a pick list, or OK for the next one"))
        if self.view.awaiting == "done":
            return Prompt(
                self.tr("NEXT  Take the totes to packing; scan the next list, or OK"), Tone.DONE
            )
        return Prompt(self.tr("NEXT  ") + self._next(self.view))

    def _next(self, view: PickView) -> str:
        line = view.line
        if line is None:
            return self.tr("List done.")
        if view.awaiting == "bin":
            return self.tr("Go to %s and scan its label") % line.bin_code
        if view.awaiting == "item":
            left = line.open - view.pick_list.in_hand
            return self.tr("Take %d × %s from %s and scan each") % (left, line.sku, line.bin_code)
        tote = view.to_tote or self.tr("a new tote")
        return self.tr("Put %d in slot %d (%s) for order %s: scan the tote") % (
            self._into(view),
            view.to_slot or 0,
            tote,
            view.to_order or "",
        )

    @staticmethod
    def _into(view: PickView) -> int:
        line = view.line
        split = first_open_split(line) if line is not None else None
        in_hand = view.pick_list.in_hand
        return min(in_hand, split.open) if split is not None else in_hand

    def _step(self, view: PickView) -> BenchResult:
        self._show(view)
        if view.awaiting == "done":
            said = sentences(view.said, self.tr("Pick list %s is done") % view.pick_list.number)
            return self.done(said)
        return self.done(view.said, flash_line=view.line.position if view.line else None)

    def _reset(self) -> None:
        self.awaiting = None
        self.quantity = 1

    def _show(self, view: PickView | None) -> None:
        self.view = view
        self.view_changed.emit(view)


# --- the page -----------------------------------------------------------------------------


class PickPage(BenchPage):
    """The pick screen: the next bin in very large type, what to take, where it goes."""

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(Workspace.PICK, parent)
        self.context = context
        self.controller = PickController(context, self)
        self.drive(self.controller)
        self.controller.view_changed.connect(self.show_view)

        self.bin_caption = styled_label(self.tr("BIN"), "section")
        self.bin_label = styled_label("", "bin")
        self.bin_label.setAccessibleName(self.tr("Next bin"))
        self.take_label = styled_label("", "take")
        self.take_label.setAccessibleName(self.tr("What to take"))
        self.name_label = styled_label("", "title")
        self.name_label.setWordWrap(True)
        self.into_label = styled_label("", "title")
        self.into_label.setWordWrap(True)
        self.progress_label = styled_label("", "hint")

        focus = QWidget()
        focus.setProperty("role", "panel")
        column = QVBoxLayout(focus)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addWidget(self.bin_caption)
        column.addWidget(self.bin_label)
        column.addWidget(self.take_label)
        column.addWidget(self.name_label)
        column.addWidget(self.into_label)
        column.addWidget(self.progress_label)
        column.addStretch(1)
        self.progress_label.setWordWrap(True)
        for label in (self.bin_label, self.take_label):  # never squeezed by a long band
            label.ensurePolished()
            label.setText("A-00-0")
            label.setMinimumHeight(label.sizeHint().height())
            label.setText("")

        self.model = PickLinesModel(self)
        self.lines = self.model
        self.table = read_only_table(self.model, self.tr("Pick list lines"))
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for index in (0, 1, 2):
            header.setSectionResizeMode(index, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(36)
        self.table.setMinimumWidth(420)

        middle = QHBoxLayout()
        middle.setSpacing(24)
        middle.addWidget(focus, 3)
        middle.addWidget(self.table, 2)

        self.idle = styled_label("", "notice")
        self.idle.setWordWrap(True)

        # The reason keys show only while a short pick waits for its reason (F5 hides
        # then): five keys at most, readable on a 1280 px screen.
        actions: list[Key] = [
            ("F2", self.tr("Next list"), lambda: self._do(Command.OK)),
            ("F5", self.tr("Short pick…"), lambda: self._do(Command.SHORT)),
            ("F6", self.tr("Bin empty"), lambda: self._short(ShortReason.BIN_EMPTY)),
            ("F7", self.tr("Damaged"), lambda: self._short(ShortReason.DAMAGED)),
            ("F8", self.tr("Not found"), lambda: self._short(ShortReason.NOT_FOUND)),
            ("F9", self.tr("Pause list"), lambda: self.act(self.controller.pause)),
            ("Esc", self.tr("Cancel"), lambda: self._do(Command.CANCEL)),
        ]
        keys = self.key_grid(actions, 7, compact=True)

        self.body.addWidget(self.idle)
        self.body.addLayout(middle, 1)
        self.body.addWidget(self.next_band)
        self.body.addLayout(keys)
        self.picking_widgets = (focus, self.table)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.show_view(None)

    # WorkspacePage
    def activate(self) -> None:
        result = self.controller.run(self.controller.resume)
        if result.refused:
            self.next_band.show_refused(result.said or "")
        else:
            self.show_result(result)
        if self.controller.view is None:
            self.show_view(None)

    def on_result(self, result: BenchResult) -> None:
        self.show_view(self.controller.view)

    # showing
    def show_view(self, view: PickView | None) -> None:
        listing = view is not None
        for widget in self.picking_widgets:
            widget.setVisible(listing)
        self.idle.setVisible(not listing)
        walking = view is not None and view.awaiting != "done"
        short = isinstance(self.controller.awaiting, ShortAwaited)
        for key in ("F5", "F9"):
            self.buttons[key].setEnabled(walking)
        self.buttons["F5"].setVisible(not short)
        for key in ("F6", "F7", "F8"):
            self.buttons[key].setVisible(short)
        if view is None:
            self.subject.setText(self.tr("No pick list open"))
            waiting = self.controller.run(self._waiting_words)
            self.idle.setText((waiting.said or "") + "\n\n" + purpose(self.context.actor))
            self.model.show_rows([])
            return
        pl = view.pick_list
        self.subject.setText(
            self.tr("PICK LIST %s  ·  %s  ·  %s")
            % (
                pl.number,
                QCoreApplication.translate("PickKind", pl.kind),
                self.tr("1 order")
                if len(pl.orders) == 1
                else self.tr("%d orders") % len(pl.orders),
            )
        )
        self.progress_label.setText(
            self.tr("%d of %d units picked, %d short") % (pl.picked, pl.units, pl.short)
        )
        line = view.line
        finished = view.awaiting == "done" or line is None
        self.take_label.setVisible(not finished)
        self.into_label.setVisible(not finished)
        if finished or line is None:
            self.bin_caption.setText(self.tr("PICK LIST %s") % pl.number)
            self.bin_label.setText(self.tr("DONE ✔"))
            self.take_label.setText("")
            self.name_label.setText(self.tr("Take the totes to packing:"))
            self.into_label.setText("")
            totes = ",  ".join(
                self.tr("%s → order %s") % (tote, number)
                for number, _slot, tote in pl.orders
                if tote is not None
            )
            self.progress_label.setText(self.progress_label.text() + "\n" + totes)
        else:
            left = line.open - pl.in_hand
            self.bin_caption.setText(
                self.tr("GO TO BIN") if view.awaiting == "bin" else self.tr("AT BIN")
            )
            self.bin_label.setText(line.bin_code)
            self.take_label.setText(self.tr("Take %d × %s") % (left, line.sku))
            self.name_label.setText(line.name)
            if view.awaiting == "tote":
                tote = view.to_tote or self.tr("a new tote")
                self.into_label.setText(
                    self.tr("%d in hand → slot %d, %s (order %s)")
                    % (pl.in_hand, view.to_slot or 0, tote, view.to_order or "")
                )
            else:
                slots = "\n".join(
                    self.tr("→ slot %d (order %s): %d") % (sp.slot, sp.order_number, sp.open)
                    for sp in line.splits
                    if sp.open
                )
                self.into_label.setText(slots)
        self.model.current = line.position if line is not None else None
        self.model.show_rows(list(pl.lines))

    def _waiting_words(self) -> BenchResult:
        lists = [row for row in picking.open_lists(self.context.station) if row[1] != "picking"]
        if not lists:
            return BenchResult(self.tr("No pick list waits at this station."))
        number, state, _picker, orders, units = lists[0]
        return BenchResult(
            self.tr("Next list: %s (%s, %d orders, %d units). Scan OK to take it.")
            % (number, QCoreApplication.translate("PickState", state), orders, units)
        )

    # keys
    def _do(self, command: Command) -> BenchResult:
        return self.act(lambda: self.controller.on_key(command))

    def _short(self, reason: ShortReason) -> BenchResult:
        return self.act(lambda: self.controller.short_with(reason))


def create_page(context: PageContext) -> WorkspacePage:
    return PickPage(context)
