"""The Orders workspace: every order on this station, found as you type, read-only for now.

Filtering runs over a plain Python list and resets the model (no QSortFilterProxyModel: it is
hundreds of times slower at 100,000 rows, measured). After a sync round that pulled orders the
page reads only those (by change number) and merges them in; Ctrl+R reads everything again.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QObject,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.bootstrap import Station
from app.domain.money_format import format_money
from app.domain.status import OrderStatus
from app.domain.users import Workspace
from app.services.orders import OrderRow, list_orders, status_counts, synced_up_to
from app.sync.engine import SyncReport
from ui.tables import ModelIndex, RowsModel, aligned, read_only_table, toned
from ui.theme import Tone
from ui.widgets import styled_label
from ui.workspaces.base import PageContext, WorkspacePage

# What each status means at a glance; statuses not listed stay uncoloured.
STATUS_TONES: dict[OrderStatus, Tone] = {
    OrderStatus.SHIPPED: Tone.DONE,
    OrderStatus.FULFILLED: Tone.DONE,
    OrderStatus.ON_HOLD: Tone.WAITING,
    OrderStatus.PARTIALLY_SHIPPED: Tone.WAITING,
    OrderStatus.VOID: Tone.REFUSED,
}


# Latin letters that are not a base letter plus an accent, so NFKD leaves them alone; a
# keyboard without them still finds "Łódź" by typing "lodz".
_UNACCENTED = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)


def search_key(text: str) -> str:
    """Case- and accent-blind form for matching: "Müller" is found by typing "muller"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.casefold().translate(_UNACCENTED)


class OrdersController(QObject):
    """Reads the orders for the table.

    Signals:
        orders_loaded: (``list[OrderRow]`` newest first, ``dict[OrderStatus, int]`` counts).
        orders_changed: (the ``OrderRow`` s sync brought or changed, new counts).
    """

    orders_loaded = Signal(list, dict)
    orders_changed = Signal(list, dict)

    def __init__(self, station: Station, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self._seen: int | None = None  # the sync watermark the rows shown were read at

    @Slot()
    def load(self) -> None:
        uows = self._station.local
        self._seen = synced_up_to(uows)  # first: rows up to it are all there when read
        rows = list_orders(uows)
        self.orders_loaded.emit(rows, dict(status_counts(uows)))

    @Slot()
    def load_changes(self) -> None:
        """Read only the orders sync changed since the last read (all of them, if none)."""
        if self._seen is None:
            self.load()
            return
        uows = self._station.local
        watermark = synced_up_to(uows)
        if watermark == self._seen:
            return
        if watermark < self._seen:  # the station's file was put back from a backup
            self.load()
            return
        rows = list_orders(uows, changed_since=self._seen)
        self._seen = watermark
        self.orders_changed.emit(rows, dict(status_counts(uows)))


def _key(row: OrderRow) -> str:
    return search_key(f"{row.number}\n{row.customer}\n{row.city}")


class OrdersTableModel(RowsModel[OrderRow]):
    """All orders in a Python list; ``set_filter`` picks the rows shown."""

    # Number, status and why it is held first: what a supervisor scans the table for, kept
    # in view when a narrow window scrolls the rest sideways.
    CELLS: tuple[tuple[str, Callable[[OrderRow], str]], ...] = (
        ("Number", lambda r: r.number),
        ("Status", lambda r: r.status_label),
        ("Hold reasons", lambda r: "; ".join(r.hold_reasons)),
        ("Customer", lambda r: r.customer),
        ("Ship to", lambda r: ", ".join(part for part in (r.city, r.country) if part)),
        ("Placed", lambda r: r.placed_at.astimezone().strftime("%Y-%m-%d %H:%M")),
        ("Lines", lambda r: str(r.lines)),
        ("Units", lambda r: str(r.units)),
        ("Total", lambda r: format_money(r.total, r.currency)),
        ("Carrier", lambda r: r.carrier),
        ("Channel", lambda r: r.channel),
    )
    COLUMNS = tuple(name for name, _text in CELLS)
    STATUS_COLUMN = COLUMNS.index("Status")
    _RIGHT = frozenset({COLUMNS.index("Lines"), COLUMNS.index("Units"), COLUMNS.index("Total")})
    _LONG = frozenset(
        {COLUMNS.index("Customer"), COLUMNS.index("Ship to"), COLUMNS.index("Hold reasons")}
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[OrderRow] = []
        self._keys: list[str] = []
        self._words: list[str] = []
        self._status: OrderStatus | None = None

    @property
    def total_count(self) -> int:
        return len(self._all)

    @property
    def status(self) -> OrderStatus | None:
        return self._status

    def set_orders(self, rows: list[OrderRow]) -> None:
        self._all = rows
        self._keys = [_key(r) for r in rows]
        self.show_rows(self._matching())

    def merge_orders(self, changed: list[OrderRow]) -> None:
        """Put changed and new orders in place (newest first), keeping the filter."""
        fresh = {row.id: row for row in changed}
        keys = {row.id: key for row, key in zip(self._all, self._keys, strict=True)}
        keys.update((row.id, _key(row)) for row in changed)
        rows = [row for row in self._all if row.id not in fresh]
        rows += fresh.values()
        rows.sort(key=lambda row: (row.placed_at, row.id), reverse=True)
        self._all = rows
        self._keys = [keys[row.id] for row in rows]
        self.show_rows(self._matching())

    def set_filter(self, text: str, status: OrderStatus | None) -> None:
        """Show the orders whose number, customer or city contain every word of ``text``."""
        words = search_key(text).split()
        if words == self._words and status is self._status:
            return
        self._words, self._status = words, status
        self.show_rows(self._matching())

    def _matching(self) -> list[OrderRow]:
        words, status = self._words, self._status
        if not words and status is None:
            return list(self._all)
        return [
            row
            for row, key in zip(self._all, self._keys, strict=True)
            if (status is None or row.status is status) and all(w in key for w in words)
        ]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.STATUS_COLUMN and row.hold_reasons:
                return f"{row.status.label}: " + "; ".join(row.hold_reasons)
            if column == self.STATUS_COLUMN and row.fulfilled_elsewhere:
                return (
                    f"Fulfilled elsewhere: {row.fulfilled_elsewhere} before it was imported. "
                    "Nothing to pick or pack here; returns are taken in at the Returns desk."
                )
            return self._text(row, column) if column in self._LONG else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return aligned(column in self._RIGHT)
        if column == self.STATUS_COLUMN and row.status in STATUS_TONES:
            return toned(STATUS_TONES[row.status], role)
        return None

    def _text(self, row: OrderRow, column: int) -> str:
        return self.CELLS[column][1](row)


class OrdersPage(WorkspacePage):
    """Find box and status filter over the orders table; Ctrl+R reads the orders again."""

    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(Workspace.ORDERS, parent)
        self.controller = OrdersController(station, self)
        self.model = OrdersTableModel(self)
        self._loaded = False
        self._stale = False  # a sync changed orders while the page was not shown
        self._fitted = False

        self.find_field = QLineEdit()
        self.find_field.setPlaceholderText("Find: order number, customer or city")
        self.find_field.setAccessibleName("Find orders")
        self.find_field.setClearButtonEnabled(True)
        self.find_field.textChanged.connect(self._on_filter_changed)
        self.find_field.returnPressed.connect(self._focus_table)

        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Status")
        self.status_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.status_filter.addItem("All statuses", None)
        self.status_filter.currentIndexChanged.connect(self._on_filter_changed)

        self.reload_button = QPushButton("Reload  Ctrl+R")
        self.reload_button.clicked.connect(self.controller.load)
        # Not F5: the function keys belong to the navigation.
        reload_key = QShortcut(QKeySequence("Ctrl+R"), self)
        reload_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        reload_key.activated.connect(self.controller.load)

        tools = QHBoxLayout()
        tools.setSpacing(12)
        tools.addWidget(self.find_field, 1)
        tools.addWidget(self.status_filter)
        tools.addWidget(self.reload_button)

        self.table = read_only_table(self.model, "Orders")
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)

        self.empty_hint = styled_label(
            "No orders on this station yet. They arrive from the central order store, or with "
            "`packbench import`.",
            "hint",
        )
        self.empty_hint.setWordWrap(True)
        self.empty_hint.hide()

        self.body.addLayout(tools)
        self.body.addWidget(self.empty_hint)
        self.body.addWidget(self.table, 1)
        self.setFocusProxy(self.find_field)
        QWidget.setTabOrder(self.find_field, self.status_filter)
        QWidget.setTabOrder(self.status_filter, self.reload_button)
        QWidget.setTabOrder(self.reload_button, self.table)

        self.controller.orders_loaded.connect(self.on_orders_loaded)
        self.controller.orders_changed.connect(self.on_orders_changed)

    def activate(self) -> None:
        if not self._loaded:
            self.controller.load()
        elif self._stale:
            self._stale = False
            self.controller.load_changes()

    def on_synced(self, report: SyncReport) -> None:
        # Whatever this round pulled: `packbench sync` may have pulled beside the app.
        if not self._loaded:
            return
        if self.isVisible():
            self.controller.load_changes()
        else:
            self._stale = True

    @Slot(list, dict)
    def on_orders_loaded(self, rows: list[OrderRow], counts: dict[OrderStatus, int]) -> None:
        self._loaded = True
        self._show_counts(counts)
        self.model.set_orders(rows)
        self._shown()

    @Slot(list, dict)
    def on_orders_changed(self, rows: list[OrderRow], counts: dict[OrderStatus, int]) -> None:
        self._show_counts(counts)
        self.model.merge_orders(rows)
        self._shown()

    def _show_counts(self, counts: dict[OrderStatus, int]) -> None:
        chosen = self.status_filter.currentData()
        self.status_filter.blockSignals(True)
        self.status_filter.clear()
        self.status_filter.addItem(f"All statuses ({sum(counts.values()):,})", None)
        for status in OrderStatus:
            if counts.get(status):
                self.status_filter.addItem(f"{status.label} ({counts[status]:,})", status.value)
        found = self.status_filter.findData(chosen) if chosen is not None else 0
        self.status_filter.setCurrentIndex(max(found, 0))
        self.status_filter.blockSignals(False)

    def _shown(self) -> None:
        self._apply_filter()
        self.empty_hint.setVisible(not self.model.total_count)
        if self.model.total_count and not self._fitted:
            self._fit_columns()

    @Slot()
    def _on_filter_changed(self) -> None:
        self._apply_filter()

    def _apply_filter(self) -> None:
        value = self.status_filter.currentData()
        status = OrderStatus(value) if value is not None else None
        self.model.set_filter(self.find_field.text(), status)
        self._show_subject()

    def _show_subject(self) -> None:
        total, shown = self.model.total_count, self.model.rowCount()
        parts = [f"{total:,} orders" if shown == total else f"{shown:,} of {total:,} orders"]
        if self.model.status is not None:
            parts.append(self.model.status.label.lower())
        text = self.find_field.text().strip()
        if text:
            parts.append(f"matching “{text}”")
        self.subject.setText("  ·  ".join(parts))

    def _fit_columns(self) -> None:
        """Columns as wide as their text, but no name wider than about 18 characters.

        A longer name is elided with "…" and shown whole in its tooltip.
        """
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        widest = self.table.fontMetrics().averageCharWidth() * 18
        for column in range(self.model.columnCount() - 1):
            header.resizeSection(column, min(header.sectionSize(column) + 12, widest))
        self._fitted = True

    @Slot()
    def _focus_table(self) -> None:
        if self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)


def create_page(context: PageContext) -> WorkspacePage:
    from ui.dialogs.move_order import install_move_action

    page = OrdersPage(context.station)
    install_move_action(page, context.station, context.actor)  # supervisors: Move to warehouse…
    return page
