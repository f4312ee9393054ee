"""The one base for our table models: rows are a plain Python list, filtered in Python.

QSortFilterProxyModel is hundreds of times slower at 100,000 rows (measured, see
../shared/research/performance-limits.md), so models hold the rows they show and reset.
"""

from __future__ import annotations

from functools import cache
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QTableView

from ui.theme import Tone, tint, tint_ink

ModelIndex = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")


class RowsModel(QAbstractTableModel, Generic[Row]):
    """A read-only table of ``rows`` under ``COLUMNS``; subclasses give ``data``."""

    COLUMNS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []

    def show_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            # Each model marks its titles with QT_TRANSLATE_NOOP under its class name.
            return QCoreApplication.translate(type(self).__name__, self.COLUMNS[section])
        return None


class FlashingRowsModel(RowsModel[Row]):
    """Rows of a bench's table, one of which (``flash_line``: its key, a line number) is
    tinted for a moment after a scan counted on it (``ui/workspaces/bench.py``)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.flash_line: int | None = None

    def refresh(self) -> None:
        """Draw the rows again (a flash began or ended)."""
        if self.rowCount():
            top = self.index(0, 0)
            bottom = self.index(self.rowCount() - 1, self.columnCount() - 1)
            self.dataChanged.emit(top, bottom)


def read_only_table(model: QAbstractTableModel, name: str) -> QTableView:
    """A table view for reading: whole rows selected one at a time, long text elided."""
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.verticalHeader().hide()
    return table


def aligned(right: bool) -> Qt.AlignmentFlag:
    """A cell's alignment: figures to the right, text to the left, both centred upright."""
    side = Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft
    return side | Qt.AlignmentFlag.AlignVCenter


def toned(tone: Tone, role: int) -> Any:
    """A state or status cell in its tone's colours, bold, for ``role`` (None for others)."""
    if role == Qt.ItemDataRole.BackgroundRole:
        return tint(tone)
    if role == Qt.ItemDataRole.ForegroundRole:
        return tint_ink(tone)
    if role == Qt.ItemDataRole.FontRole:
        return _bold()
    return None


def bold() -> QFont:
    """The one bold font of table cells (a FontRole answer)."""
    return _bold()


@cache
def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font
