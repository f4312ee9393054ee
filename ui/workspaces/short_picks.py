"""Short picks for the supervisor: the orders whose pickers found less than the list said,
and the three choices for each (re-allocate from another bin, ship what was picked, hold).

A bar on the Orders page says how many orders wait (``attach``) and opens the
``ShortPicksDialog``. Each choice is one call of ``app.services.picking.resolve_short``,
which checks the person's right for that choice and audits it; a refusal (no other bin has
stock, no right) is shown in the dialog's band in the service's words, nothing changed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.bench import Tone
from app.domain.errors import DomainError
from app.domain.picking import ShortChoice
from app.domain.users import Permission
from app.services import picking
from app.services.picking import ShortView
from ui.tables import ModelIndex, RowsModel, aligned, bold, read_only_table
from ui.widgets import MessageBand, styled_label
from ui.workspaces.base import PageContext, WorkspacePage


def _tr(text: str) -> str:
    return QCoreApplication.translate("ShortPicks", text)


@dataclass(frozen=True)
class OrderShorts:
    """One order's waiting short picks: the supervisor answers them together."""

    order_number: str
    shorts: tuple[ShortView, ...]

    @property
    def missing(self) -> int:
        return sum(s.missing for s in self.shorts)

    @property
    def what(self) -> str:
        return ", ".join(
            f"{s.missing} × {s.sku} in {s.bin_code} ({s.reason.label})" for s in self.shorts
        )


def by_order(shorts: list[ShortView]) -> list[OrderShorts]:
    grouped: dict[str, list[ShortView]] = defaultdict(list)
    for s in shorts:
        grouped[s.order_number].append(s)
    return [OrderShorts(number, tuple(rows)) for number, rows in grouped.items()]


class ShortsModel(RowsModel[OrderShorts]):
    COLUMNS = (
        str(QT_TRANSLATE_NOOP("ShortPicks", "Order")),
        str(QT_TRANSLATE_NOOP("ShortPicks", "Short")),
        str(QT_TRANSLATE_NOOP("ShortPicks", "What is missing")),
        str(QT_TRANSLATE_NOOP("ShortPicks", "Pick list")),
        str(QT_TRANSLATE_NOOP("ShortPicks", "Picker")),
    )

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(self.COLUMNS[section])
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            first = row.shorts[0]
            return (
                row.order_number,
                str(row.missing),
                row.what,
                first.pick_list,
                first.user_name or "",
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(aligned(column == 1))
        if role == Qt.ItemDataRole.FontRole and column in (0, 1):
            return bold()
        return None


class ShortPicksDialog(QDialog):
    """The waiting short picks, one row per order, and the three choices for the chosen one."""

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(self.tr("Short picks"))
        self.setObjectName("short-picks")
        self.resize(1100, 560)
        self.model = ShortsModel(self)
        self.table = read_only_table(self.model, self.tr("Orders with short picks"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column in (0, 1, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(36)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update())

        self.note = QLineEdit()
        self.note.setPlaceholderText(
            self.tr("Why the order is held (for Hold), e.g. 'ask the customer'")
        )
        self.note.setAccessibleName(self.tr("Hold reason"))
        actor = context.actor
        self.buttons: dict[ShortChoice, QPushButton] = {}
        choices = (
            (
                ShortChoice.REALLOCATE,
                self.tr("Re-allocate from another bin"),
                Permission.PLAN_PICKING,
            ),
            (ShortChoice.PARTIAL, self.tr("Ship what was picked"), Permission.SHIP_PARTIAL),
            (ShortChoice.HOLD, self.tr("Hold the order"), Permission.RELEASE_HOLDS),
        )
        row = QHBoxLayout()
        row.setSpacing(10)
        for choice, words, right in choices:
            button = QPushButton(words, self)  # parentless, setVisible would make it a window
            button.setVisible(right in actor.permissions)
            button.clicked.connect(lambda _c=False, ch=choice: self.choose(ch))
            row.addWidget(button)
            self.buttons[choice] = button
        row.addWidget(self.note, 1)
        self.band = MessageBand()
        self.empty = styled_label(self.tr("No short pick waits for a choice."), "notice")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(
            styled_label(
                self.tr(
                    "Pickers found less than these orders need. Choose for each order: "
                    "re-allocate the missing units from another bin with stock (a small "
                    "follow-up list), ship what was picked, or hold the order."
                ),
                "hint",
            )
        )
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.band)
        self.reload()

    def reload(self) -> None:
        try:
            rows = by_order(picking.shorts(self.context.station, self.context.actor))
        except DomainError as error:
            rows = []
            self.band.show_refused(error.message)
        self.model.show_rows(rows)
        self.empty.setVisible(not rows)
        self.table.setVisible(bool(rows))
        if rows:
            self.table.selectRow(0)
        self._update()

    def selected(self) -> OrderShorts | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _update(self) -> None:
        has = self.selected() is not None
        for button in self.buttons.values():
            button.setEnabled(has)

    def choose(self, choice: ShortChoice) -> None:
        row = self.selected()
        if row is None:
            return
        note = self.note.text().strip() or None
        try:
            done = picking.resolve_short(
                self.context.station, self.context.actor, row.order_number, choice, note
            )
        except DomainError as error:
            self.band.show_refused(error.message)
            return
        self.note.clear()
        self.band.show_message(done.said, Tone.DONE)
        self.reload()


class ShortPicksBar(QWidget):
    """A line on the Orders page: how many orders wait with short picks, and the button
    that opens them. Counted again each time the page is shown.

    Signals:
        closed: the dialog was closed (the page it sits on counts its orders again).
    """

    closed = Signal()

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.dialog: ShortPicksDialog | None = None
        self.button = QPushButton()
        self.button.setAccessibleName(self.tr("Short picks"))
        self.button.clicked.connect(self.open_dialog)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.button)
        row.addStretch(1)
        self.count()

    def count(self) -> int:
        try:
            waiting = len(by_order(picking.shorts(self.context.station, self.context.actor)))
        except DomainError:
            waiting = 0
        self.button.setText(
            self.tr("Short picks: 1 order waits for a choice…")
            if waiting == 1
            else self.tr("Short picks: %d orders wait for a choice…") % waiting
        )
        return waiting

    def open_dialog(self) -> None:
        self.dialog = ShortPicksDialog(self.context, self)
        self.dialog.finished.connect(self._on_closed)
        self.dialog.open()

    def _on_closed(self, _result: int) -> None:
        self.count()
        self.closed.emit()

    def showEvent(self, event: QShowEvent) -> None:
        self.count()
        super().showEvent(event)


def attach(page: WorkspacePage, context: PageContext) -> ShortPicksBar | None:
    """Put the short-picks bar on top of ``page`` for a person who may answer them."""
    if Permission.PLAN_PICKING not in context.actor.permissions:
        return None
    bar = ShortPicksBar(context, page)
    page.body.insertWidget(1, bar)  # under the subject line
    return bar


__all__ = ["ShortPicksBar", "ShortPicksDialog", "attach", "by_order"]
