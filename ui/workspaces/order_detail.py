"""An order opened from the Orders workspace (Enter or double-click), and the note dialogs.

The dialog shows the order's head (customer, addresses, carrier, holds or the void reason)
and one tab per section of ``app.services.order_detail`` (lines with every quantity,
allocations by bin, parcels, shipments, invoices, returns, timeline). A section added to
the service appears here as a tab with no change to this file.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.order_detail import DetailSection, OrderDetail
from ui.domain_text import status_name
from ui.theme import Tone
from ui.widgets import MessageBand, styled_label

# The section titles, headings and empty hints the service gives (app/services/order_detail.py),
# marked for lupdate so the catalogue has them.
_MARKED = (
    str(QT_TRANSLATE_NOOP("OrderDetail", "Lines")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "#")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "SKU")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Item")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Ordered")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Allocated")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Picked")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Packed")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Shipped")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Invoiced")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Returned")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Unit price")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Allocated by bin")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Bin")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Zone")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Units")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Parcels")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "SSCC")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Shipment")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Parcel")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Weight")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "State")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Shipments")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Number")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Station")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "By")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Carrier")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Partial")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Invoices")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Kind")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Issued")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Gross")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Returns")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Opened")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Credit notes")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Timeline")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "When")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Who")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "What")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Detail")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Warehouse")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Code")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Why this one")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "None.")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "No lines.")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "No parcels yet.")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "No invoices.")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "No returns.")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "No warehouse.")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Nothing allocated.")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Not shipped.")),
    str(QT_TRANSLATE_NOOP("OrderDetail", "Nothing recorded.")),
)


def _tr(text: str) -> str:
    # Section titles and headings come from the service; the translation has them in the
    # "OrderDetail" context.
    return QCoreApplication.translate("OrderDetail", text)


def section_table(section: DetailSection) -> QTableWidget:
    table = QTableWidget(len(section.rows), len(section.columns))
    table.setAccessibleName(_tr(section.title))
    table.setHorizontalHeaderLabels([_tr(c) for c in section.columns])
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    for r, row in enumerate(section.rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text if len(text) > 30 else "")
            if c in section.numeric:
                item.setTextAlignment(right)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


class OrderDetailDialog(QDialog):
    """One order, read from the local store. Release, void and edit ask the page to act.

    Signals:
        release_asked, void_asked, edit_asked: (the order number) the person chose it here.
    """

    release_asked = Signal(str)
    void_asked = Signal(str)
    edit_asked = Signal(str)

    def __init__(
        self,
        detail: OrderDetail,
        *,
        may_release: bool,
        may_void: bool,
        may_edit: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        head = detail.head
        self.detail = detail
        self.setWindowTitle(self.tr("Order %1").replace("%1", head.number))
        self.setAccessibleName(self.tr("Order detail"))
        layout = QVBoxLayout(self)
        title = styled_label(
            self.tr("Order %1  ·  %2")
            .replace("%1", head.number)
            .replace("%2", status_name(head.status)),
            "subject",
        )
        layout.addWidget(title)
        self.band = MessageBand()
        layout.addWidget(self.band)

        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        facts = [
            (
                self.tr("Customer"),
                "\n".join(p for p in (head.customer, head.email, head.phone) if p),
            ),
            (self.tr("Ship to"), head.ship_to),
            (self.tr("Bill to"), head.bill_to),
            (
                self.tr("Channel and carrier"),
                "\n".join(
                    p
                    for p in (
                        head.channel,
                        " ".join(x for x in (head.carrier, head.service) if x),
                        head.placed_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                    )
                    if p
                ),
            ),
        ]
        for column, (name, value) in enumerate(facts):
            grid.addWidget(styled_label(name, "hint"), 0, column)
            text = QLabel(value or "—")
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(text, 1, column)
        layout.addLayout(grid)
        if head.hold_reasons:
            self.band.show_message(
                self.tr("On hold: %1").replace("%1", "; ".join(head.hold_reasons)),
                Tone.WAITING,
            )
        elif head.void_reason:
            self.band.show_refused(self.tr("Voided: %1").replace("%1", head.void_reason))

        self.tabs = QTabWidget()
        for section in detail.sections:
            label = f"{_tr(section.title)} ({len(section.rows)})"
            if section.rows:
                self.tabs.addTab(section_table(section), label)
            else:
                empty = styled_label(_tr(section.empty), "hint")
                empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
                self.tabs.addTab(empty, label)
        layout.addWidget(self.tabs, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.release_button = self._action(buttons, self.tr("Release hold…"), self.release_asked)
        self.release_button.setVisible(may_release and head.status.value == "on_hold")
        self.edit_button = self._action(buttons, self.tr("Edit…"), self.edit_asked)
        self.edit_button.setVisible(may_edit and head.editable)
        self.void_button = self._action(buttons, self.tr("Void…"), self.void_asked)
        self.void_button.setVisible(may_void and head.voidable)
        layout.addWidget(buttons)
        width = parent.window().width() - 16 if parent is not None else 1264
        self.resize(max(900, min(width, 1500)), 660)

    def _action(self, buttons: QDialogButtonBox, text: str, signal: SignalInstance) -> QPushButton:
        button = buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        number = self.detail.head.number
        button.clicked.connect(lambda: signal.emit(number))
        return button


class NoteDialog(QDialog):
    """Asks for the note a release or a void keeps; OK only once something is written."""

    def __init__(self, title: str, prompt: str, action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        layout.addWidget(styled_label(title, "subject"))
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.note = QPlainTextEdit()
        self.note.setAccessibleName(self.tr("Note"))
        self.note.setPlaceholderText(
            self.tr("Required: kept with the order, shown to whoever opens it")
        )
        layout.addWidget(self.note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(action)
        self.ok.setEnabled(False)
        self.note.textChanged.connect(
            lambda: self.ok.setEnabled(bool(self.note.toPlainText().strip()))
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def text(self) -> str:
        return self.note.toPlainText().strip()
