"""Move to warehouse…: a supervisor moves the selected order (or split part) before picking.

The dialog shows the order's warehouse and the reason it went there (the assignment's words,
or the last move's), and the warehouses it could go to; the move itself is the service's
(app/services/warehouses.move_order), which checks the right and audits it.
``install_move_action`` adds the button to the Orders workspace for those who hold the right.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from app.bootstrap import Station
from app.domain.errors import DomainError
from app.domain.users import Actor, Permission
from app.services.warehouses import list_warehouses, move_order, placement_of
from ui.widgets import MessageBand


class MoveOrderDialog(QDialog):
    def __init__(
        self, station: Station, actor: Actor, number: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._station, self._actor, self.number = station, actor, number
        self.setWindowTitle(self.tr("Move order %1 to another warehouse").replace("%1", number))
        self.message = MessageBand()
        self.where = QLabel()
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.target = QComboBox()
        self.target.setAccessibleName(self.tr("Warehouse"))
        form = QFormLayout(self)
        form.addRow(self.message)
        form.addRow(self.tr("Order:"), QLabel(number))
        form.addRow(self.tr("Warehouse now:"), self.where)
        form.addRow(self.tr("Why there:"), self.reason)
        form.addRow(self.tr("Move to:"), self.target)
        self.buttons = QDialogButtonBox()
        self.move_button = self.buttons.addButton(
            self.tr("&Move"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.move_order)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.done_text = ""
        self._load()

    def _load(self) -> None:
        try:
            placed = placement_of(self._station, self.number)
            codes = [w.code for w in list_warehouses(self._station)]
        except DomainError as error:
            self.message.show_refused(error.message)
            self.move_button.setEnabled(False)
            return
        self.where.setText(placed.warehouse)
        self.reason.setText(placed.reason or self.tr("(none recorded)"))
        for code in codes:
            if code != placed.warehouse:
                self.target.addItem(code, code)
        if not placed.movable:
            self.message.show_refused(
                self.tr("Some of this order is picked, or it is past picking: it cannot move.")
            )
            self.move_button.setEnabled(False)

    def move_order(self) -> None:
        code = self.target.currentData()
        if not code:
            return
        try:
            self.done_text = move_order(self._station, self._actor, self.number, code)
        except DomainError as error:
            self.message.show_refused(error.message)
            return
        self.accept()


def install_move_action(page: QWidget, station: Station, actor: Actor) -> QPushButton | None:
    """Add "Move to warehouse…" under the Orders table for a person who may move orders."""
    if Permission.MOVE_ORDERS not in actor.permissions:
        return None
    button = QPushButton(page.tr("Move to &warehouse…"))
    button.setObjectName("move-to-warehouse")

    def open_dialog() -> None:
        # The Orders page (ui/workspaces/orders.py) says which order is selected and reads
        # its rows again; this module is imported by it, so it is not imported back here.
        row = page.selected()  # type: ignore[attr-defined]
        if row is None:
            return
        dialog = MoveOrderDialog(station, actor, row.number, page)
        page.move_dialog = dialog  # type: ignore[attr-defined]
        if dialog.exec():
            page.refresh()  # type: ignore[attr-defined]

    button.clicked.connect(open_dialog)
    body = getattr(page, "body", None)
    if body is not None:
        body.addWidget(button)
    return button
