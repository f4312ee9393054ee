"""The Invoices workspace's pieces: the billable table, the list, the preview, the credit form.

The page (``ui/workspaces/invoices.py``) puts them together; none of them calls a service.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QBuffer,
    QByteArray,
    QIODevice,
    QModelIndex,
    QObject,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.invoicing import SHIPPING_SKU, BillableLine, BillableParcel, BillableView
from app.domain.money_format import format_money
from app.domain.wording import count
from app.services.invoicing import InvoiceState, Issued, IssuedSummary
from ui.tables import ModelIndex, RowsModel, aligned, toned
from ui.theme import MUTED_INK, Tone, tint, tint_ink
from ui.widgets import styled_label

STATE_TONES = {
    InvoiceState.WAITING: Tone.WAITING,
    InvoiceState.RECORDED: Tone.DONE,
    InvoiceState.REFUSED: Tone.REFUSED,
}


def state_text(summary: IssuedSummary) -> str:
    if summary.state is InvoiceState.REFUSED and summary.reason:
        return f"{summary.state.label}: {summary.reason}"
    return summary.state.label


def kind_text(summary: IssuedSummary) -> str:
    if summary.is_credit_note:
        return f"Credit note for {summary.corrects}" if summary.corrects else "Credit note"
    return "Invoice"


# --- what to bill --------------------------------------------------------------------------


class Choice(StrEnum):
    """How much of an order the next invoice bills."""

    EVERYTHING = "everything"
    SHIPMENT = "shipment"
    QUANTITIES = "quantities"


@dataclass(frozen=True)
class BillRow:
    """A row of the billable table: an order line, or one parcel's units of it under it."""

    line: BillableLine
    parcel: BillableParcel | None = None


class BillableModel(RowsModel[BillRow]):
    """Per line and, under it, per shipment and parcel: shipped, invoiced, billable, and
    what the invoice would bill. In ``Choice.QUANTITIES`` the Bill cells of lines are edited
    (spin boxes bounded by what is billable)."""

    COLUMNS = (
        str(QT_TRANSLATE_NOOP("BillableModel", "Line · shipment, parcel")),
        str(QT_TRANSLATE_NOOP("BillableModel", "Item")),
        str(QT_TRANSLATE_NOOP("BillableModel", "Shipped")),
        str(QT_TRANSLATE_NOOP("BillableModel", "Invoiced")),
        str(QT_TRANSLATE_NOOP("BillableModel", "Billable")),
        str(QT_TRANSLATE_NOOP("BillableModel", "Bill")),
    )
    BILL = 5
    _RIGHT = frozenset({2, 3, 4, 5})

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view: BillableView | None = None
        self.choice = Choice.EVERYTHING
        self.shipment: str | None = None
        self.chosen: dict[int, int] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    def set_view(self, view: BillableView | None) -> None:
        self.view = view
        self.chosen = {}
        rows: list[BillRow] = []
        for line in view.lines if view is not None else ():
            rows.append(BillRow(line))
            rows.extend(BillRow(line, parcel) for parcel in line.parcels)
        self.show_rows(rows)

    def choose(self, choice: Choice, shipment: str | None = None) -> None:
        self.choice, self.shipment = choice, shipment
        self._bill_column_changed()

    def line_rows(self) -> list[int]:
        return [n for n, row in enumerate(self._rows) if row.parcel is None]

    def billed(self, row: BillRow) -> int:
        """Units of this row the invoice bills under the current choice."""
        if self.choice is Choice.QUANTITIES:
            return self.chosen.get(row.line.line_no, 0) if row.parcel is None else 0
        parcels = (row.parcel,) if row.parcel is not None else row.line.parcels
        if self.choice is Choice.SHIPMENT:
            return sum(p.billable for p in parcels if p.shipment == self.shipment)
        return sum(p.billable for p in parcels)

    def billed_parcel(self, parcel: BillableParcel) -> int:
        """Units of this parcel the invoice bills (chosen units come from the earliest)."""
        row = next((r for r in self._rows if r.parcel == parcel), None)
        if row is None:  # not a parcel of the order shown
            return 0
        if self.choice is not Choice.QUANTITIES:
            return self.billed(row)
        left = self.chosen.get(parcel.line_no, 0)
        for p in row.line.parcels:
            take = min(left, p.billable)
            if p == parcel:
                return take
            left -= take
        return 0

    def quantities(self) -> dict[str, int]:
        """The chosen units per SKU (lines of one SKU added up), zeros left out."""
        wanted: dict[str, int] = {}
        for row in self._rows:
            units = self.chosen.get(row.line.line_no, 0) if row.parcel is None else 0
            if units:
                wanted[row.line.sku] = wanted.get(row.line.sku, 0) + units
        return wanted

    def total_billed(self) -> int:
        return sum(self.billed(row) for row in self._rows if row.parcel is None)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.editable(index):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def editable(self, index: ModelIndex) -> bool:
        if not index.isValid() or index.column() != self.BILL:
            return False
        row = self._rows[index.row()]
        return self.choice is Choice.QUANTITIES and row.parcel is None and row.line.billable > 0

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.editable(index):
            return False
        line = self._rows[index.row()].line
        units = max(0, min(int(value), line.billable))
        self.chosen[line.line_no] = units
        self.dataChanged.emit(index, index)
        return True

    def _bill_column_changed(self) -> None:
        if self._rows:
            top, bottom = self.index(0, self.BILL), self.index(len(self._rows) - 1, self.BILL)
            self.dataChanged.emit(top, bottom)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole and self.editable(index):
            return None  # the spin box shows it
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(row, column, role == Qt.ItemDataRole.ToolTipRole)
        if role == Qt.ItemDataRole.EditRole and column == self.BILL:
            return self.billed(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return aligned(column in self._RIGHT)
        if role == Qt.ItemDataRole.FontRole and row.parcel is None:
            return self._bold
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and row.parcel is not None
            and column != self.BILL
        ):
            return QColor(MUTED_INK)
        if column == self.BILL and self.billed(row):
            if role == Qt.ItemDataRole.BackgroundRole:
                return tint(Tone.DONE)
            if role == Qt.ItemDataRole.ForegroundRole:
                return tint_ink(Tone.DONE)
        return None

    def _text(self, row: BillRow, column: int, tip: bool) -> str | None:
        line, parcel = row.line, row.parcel
        if parcel is not None:
            cells = (
                f"    {parcel.shipment} · {parcel.sscc}",
                "",
                str(parcel.shipped),
                str(parcel.invoiced),
                str(parcel.billable),
                self._bill_text(row),
            )
            if tip:
                return (
                    f"Shipment {parcel.shipment}, parcel {parcel.sscc}: {parcel.shipped} of "
                    f"{line.sku} shipped, {parcel.invoiced} invoiced, {parcel.billable} billable"
                )
            return cells[column]
        name = line.name
        if line.returned:
            name += f" ({line.returned} returned)"
        if line.elsewhere:
            name += f" ({line.elsewhere} from another station)"
        cells = (
            f"{line.line_no}  {line.sku}",
            name,
            f"{line.shipped} of {line.ordered}",
            str(line.invoiced),
            str(line.billable),
            self._bill_text(row),
        )
        if tip:
            if column == self.BILL and self.editable(self.index(self._rows.index(row), column)):
                return f"Type how many of the {line.billable} billable to bill now"
            return cells[column] if column in (0, 1) else None
        return cells[column]

    def _bill_text(self, row: BillRow) -> str:
        units = self.billed(row)
        if self.choice is Choice.QUANTITIES and row.parcel is not None:
            return ""
        return str(units) if units else ("0" if row.parcel is None else "")


class SpinDelegate(QStyledItemDelegate):
    """The Bill cell as a spin box from 0 to what the line may still bill."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex
    ) -> QWidget:
        spin = QSpinBox(parent)
        model = index.model()
        assert isinstance(model, BillableModel)
        line = model.row_at(index.row()).line
        spin.setRange(0, line.billable)
        spin.setAccessibleName(f"Units of {line.sku} to bill")
        spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        # Each change counts at once: the total and the Issue button follow the spin box.
        spin.valueChanged.connect(lambda _v, s=spin: self.commitData.emit(s))
        return spin

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        assert isinstance(editor, QSpinBox)
        value = int(index.data(Qt.ItemDataRole.EditRole) or 0)
        if editor.value() != value:
            editor.blockSignals(True)
            editor.setValue(value)
            editor.blockSignals(False)

    def setModelData(self, editor: QWidget, model: Any, index: ModelIndex) -> None:
        assert isinstance(editor, QSpinBox)
        model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)


class BillTable(QTableView):
    """The billable table: Tab and Shift+Tab go from one line's spin box to the next."""

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        model = self.model()
        steps = {
            QAbstractItemView.CursorAction.MoveNext: 1,
            QAbstractItemView.CursorAction.MovePrevious: -1,
        }
        if (
            isinstance(model, BillableModel)
            and model.choice is Choice.QUANTITIES
            and cursorAction in steps
        ):
            rows = [r for r in model.line_rows() if model.editable(model.index(r, model.BILL))]
            if rows:
                here = self.currentIndex().row()
                step = steps[cursorAction]
                later = [r for r in rows if (r - here) * step > 0]
                row = (later if step > 0 else later[::-1])[0] if later else rows[::step][0]
                return model.index(row, model.BILL)
        return super().moveCursor(cursorAction, modifiers)


# --- the list of issued documents ----------------------------------------------------------


class IssuedModel(RowsModel[IssuedSummary]):
    """Issued invoices and credit notes, newest first, with their state centrally."""

    # Number and state first: what a supervisor looks for, kept in view on a narrow window.
    COLUMNS = (
        str(QT_TRANSLATE_NOOP("IssuedModel", "Number")),
        str(QT_TRANSLATE_NOOP("IssuedModel", "State")),
        str(QT_TRANSLATE_NOOP("IssuedModel", "Kind")),
        str(QT_TRANSLATE_NOOP("IssuedModel", "Order")),
        str(QT_TRANSLATE_NOOP("IssuedModel", "Total")),
        str(QT_TRANSLATE_NOOP("IssuedModel", "Issued")),
        str(QT_TRANSLATE_NOOP("IssuedModel", "Customer")),
    )
    STATE = 1
    _RIGHT = frozenset({4})

    def row_of(self, number: str) -> int | None:
        return next((n for n, x in enumerate(self._rows) if x.number == number), None)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        x, column = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (
                x.number,
                state_text(x),
                kind_text(x),
                x.order_number,
                format_money(x.gross, x.currency),
                x.issued_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                x.customer,
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return aligned(column in self._RIGHT)
        if column == self.STATE:
            return toned(STATE_TONES[x.state], role)
        return None


# --- the preview ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    """An issued document drawn as it would print now (``copy``: it was output before)."""

    number: str
    pdf: bytes
    copy: bool


class PdfPreview(QWidget):
    """The document as it will print, drawn by QtPdf from the very bytes the printer gets.

    Signals:
        shown: (number, pages) once a document is loaded and its pages counted.
    """

    shown = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setAccessibleName(self.tr("Invoice preview"))
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.caption = styled_label(self.tr("Select an invoice to see it here."), "hint")
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.caption)
        layout.addWidget(self.view, 1)
        self.preview: Preview | None = None
        self._buffer: QBuffer | None = None
        self.document.statusChanged.connect(self._on_status)

    @property
    def pages(self) -> int:
        return self.document.pageCount()

    def show_preview(self, preview: Preview) -> None:
        self.clear()
        self.preview = preview
        # QPdfDocument reads from the device while it loads: the buffer lives as long.
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(preview.pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)

    def clear(self) -> None:
        self.preview = None
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None
        self.caption.setText("Select an invoice to see it here.")

    @Slot(QPdfDocument.Status)
    def _on_status(self, status: QPdfDocument.Status) -> None:
        preview = self.preview
        if preview is None:
            return
        if status is QPdfDocument.Status.Ready:
            pages = self.document.pageCount()
            copy = "  ·  marked COPY: it was printed or saved before" if preview.copy else ""
            self.caption.setText(f"{preview.number}  ·  {count(pages, 'page')}{copy}")
            self.shown.emit(preview.number, pages)
        elif status is QPdfDocument.Status.Error:
            self.caption.setText(f"{preview.number} could not be drawn here; print or save it.")


# --- the credit note form ------------------------------------------------------------------


class CreditForm(QDialog):
    """Which units of an invoice a credit note gives back: all of them, or some per SKU."""

    def __init__(self, issued: Issued, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Credit note for {issued.number}")
        self.number = issued.number
        billed: dict[str, tuple[str, int]] = {}
        for line in issued.lines:
            if line.sku == SHIPPING_SKU or line.shipment is None:
                continue
            name, units = billed.get(line.sku, (line.name, 0))
            billed[line.sku] = (name, units + line.quantity)
        self._billed = {sku: units for sku, (_name, units) in billed.items()}
        intro = QLabel(
            f"{issued.number} billed these units. Give back all of them (shipping too) or "
            "fewer of some; units the central store credited before are refused with the "
            "number still creditable."
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        for column, title in enumerate(("SKU", "Item", "Billed", "Credit")):
            grid.addWidget(styled_label(title, "section"), 0, column)
        self.spins: dict[str, QSpinBox] = {}
        for row, (sku, (name, units)) in enumerate(billed.items(), start=1):
            spin = QSpinBox()
            spin.setRange(0, units)
            spin.setValue(units)
            spin.setAccessibleName(f"Units of {sku} to credit")
            grid.addWidget(QLabel(sku), row, 0)
            grid.addWidget(QLabel(name), row, 1)
            grid.addWidget(QLabel(str(units)), row, 2, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(spin, row, 3)
            self.spins[sku] = spin
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Issue credit note")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def quantities(self) -> Mapping[str, int] | None:
        """None for the whole invoice (shipping included), else the units per SKU."""
        chosen = {sku: spin.value() for sku, spin in self.spins.items()}
        if chosen == self._billed:
            return None
        return {sku: units for sku, units in chosen.items() if units}
