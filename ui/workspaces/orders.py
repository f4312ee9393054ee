"""The Orders workspace: segments with live counts, a table of every order read a page at a
time, search and filters, and the supervisor's actions (open, release a hold, void).

The table never holds all 100,000 orders: ``OrdersTableModel`` has the pages read so far and
asks for the next as the view scrolls (``canFetchMore`` / ``fetchMore``). Searching, filtering
and sorting happen in SQL (``app.services.order_search``), never over Python lists or in a
QSortFilterProxyModel (48 to 300 times slower at 100,000 rows, measured). The reading runs
on a worker thread (``OrdersReader``); a result for a query the person has since changed is
dropped, so fast typing never shows stale rows.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QWidget,
)

from app.bootstrap import Station
from app.domain.errors import DomainError
from app.domain.money_format import format_money
from app.domain.search import fold
from app.domain.status import OrderStatus
from app.domain.users import Actor, Permission, Workspace
from app.services.order_detail import OrderDetail, order_detail
from app.services.order_search import (
    PAGE,
    FilterChoices,
    OrderQuery,
    Segment,
    SortKey,
    count_orders_matching,
    filter_choices,
    find_orders,
    prepare_search,
    segment_counts,
)
from app.services.orders import OrderRow, release_order, void_order
from app.sync.engine import SyncReport
from ui.domain_text import status_name, translated
from ui.tables import ModelIndex, RowsModel, aligned, read_only_table, toned
from ui.theme import Tone
from ui.widgets import MessageBand, styled_label
from ui.workspaces import short_picks
from ui.workspaces.base import PageContext, WorkspacePage
from ui.workspaces.order_detail import NoteDialog, OrderDetailDialog

_log = logging.getLogger(__name__)

# Kept for callers that matched words the old way: one folding rule (app.domain.search).
search_key = fold

QT_TRANSLATE_NOOP("OrdersTableModel", "Fulfilled elsewhere")

# What each status means at a glance; statuses not listed stay uncoloured.
STATUS_TONES: dict[OrderStatus, Tone] = {
    OrderStatus.SHIPPED: Tone.DONE,
    OrderStatus.FULFILLED: Tone.DONE,
    OrderStatus.ON_HOLD: Tone.WAITING,
    OrderStatus.PARTIALLY_SHIPPED: Tone.WAITING,
    OrderStatus.VOID: Tone.REFUSED,
}

# Milliseconds after the last key before a search runs: one query per pause, not per key.
TYPING_PAUSE_MS = 150
# How often the GUI thread looks for the reader's answers while a read is under way.
ANSWER_POLL_MS = 4


class OrdersReader(QObject):
    """Reads pages, counts and segments on a worker thread; answers on the GUI thread.

    Each request carries a generation: the page drops answers to a query it has since
    replaced. One worker, so reads never compete with each other for the store. The worker
    touches no Qt object: it leaves its answers in a queue that a timer of this reader
    empties on the GUI thread, so a page closed while a read is under way is never
    answered (there is no object left to answer through, and nothing to crash on).

    Signals:
        page_read: (generation, offset, ``list[tuple[OrderRow, tuple[str, ...]]]``) one
            page of the query, each row with its cells' text.
        counted: (generation, how many orders the query matches).
        segments_counted: (``dict[Segment, int | None]``) the live counts.
        choices_read: (``FilterChoices``) the channels and carriers the orders use.
        failed: (what went wrong, for the person).
    """

    page_read = Signal(int, int, list)
    counted = Signal(int, int)
    segments_counted = Signal(dict)
    choices_read = Signal(FilterChoices)
    failed = Signal(str)

    def __init__(self, station: Station, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._uows = station.local
        self.current = 0  # the generation the page waits for: older reads are skipped
        self._jobs: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._answers: queue.SimpleQueue[tuple[str, tuple[object, ...]]] = queue.SimpleQueue()
        self._pending = 0
        self._collect = QTimer(self)
        self._collect.setInterval(ANSWER_POLL_MS)
        self._collect.timeout.connect(self._deliver)
        threading.Thread(
            target=_work, args=(self._jobs,), name="orders-reader", daemon=True
        ).start()
        jobs = self._jobs
        self.destroyed.connect(lambda: jobs.put(None))  # the worker ends

    def _submit(self, work: Callable[[], tuple[str, tuple[object, ...]] | None]) -> None:
        answers = self._answers

        def guarded() -> None:
            try:
                answer = work()
            except DomainError as error:
                answer = ("failed", (error.message,))
            except Exception:  # a bug, or the station closing under the read: logged
                _log.exception("reading orders failed")
                answer = ("failed", ("Reading the orders failed; see the log.",))
            answers.put(answer or ("", ()))

        self._pending += 1
        self._collect.start()
        self._jobs.put(guarded)

    @Slot()
    def _deliver(self) -> None:
        while True:
            try:
                name, values = self._answers.get_nowait()
            except queue.Empty:
                return
            self._pending -= 1
            if not self._pending:
                self._collect.stop()
            if name:
                getattr(self, name).emit(*values)

    def read_page(self, generation: int, query: OrderQuery, offset: int) -> None:
        uows = self._uows

        def read() -> tuple[str, tuple[object, ...]] | None:
            if generation != self.current:  # the person typed on: not worth reading
                return None
            rows = find_orders(uows, query, offset)
            # The cells' text too, here: money formatting is too slow for painting.
            shown = [OrdersTableModel.texts(row) for row in rows]
            return "page_read", (generation, offset, list(zip(rows, shown, strict=True)))

        self._submit(read)

    def count(self, generation: int, query: OrderQuery) -> None:
        uows = self._uows

        def count() -> tuple[str, tuple[object, ...]] | None:
            if generation != self.current:
                return None
            return "counted", (generation, count_orders_matching(uows, query))

        self._submit(count)

    def prepare_search(self) -> None:
        """Fold the search words of the orders sync brought, before anyone types."""
        uows = self._uows

        def prepare() -> None:
            prepare_search(uows)

        self._submit(prepare)

    def count_segments(self) -> None:
        uows = self._uows
        self._submit(lambda: ("segments_counted", (segment_counts(uows),)))

    def read_choices(self) -> None:
        uows = self._uows
        self._submit(lambda: ("choices_read", (filter_choices(uows),)))

    def wait(self) -> None:
        """Let the reads asked for finish, and answer them (before the station closes)."""
        self._jobs.join()
        self._deliver()


def _work(jobs: queue.Queue[Callable[[], None] | None]) -> None:
    """The reader's thread: one read at a time, until told to end (None)."""
    while True:
        job = jobs.get()
        try:
            if job is None:
                return
            job()
        finally:
            jobs.task_done()


def _placed(row: OrderRow) -> str:
    return row.placed_at.astimezone().strftime("%Y-%m-%d")


def _status(row: OrderRow) -> str:
    """The status, and why an order is held: what a supervisor scans the table for."""
    label = (
        QCoreApplication.translate("OrdersTableModel", "Fulfilled elsewhere")
        if row.fulfilled_elsewhere
        else status_name(row.status)
    )
    if row.hold_reasons:
        return f"{label}: " + "; ".join(translated(r) for r in row.hold_reasons)
    return label


class OrdersTableModel(RowsModel[OrderRow]):
    """The pages of one query read so far; asks for the next when the view scrolls there.

    Signals:
        more_wanted: (offset) the view reached the end of the rows read.
        sort_wanted: (``SortKey``, descending) a sortable heading was clicked.
    """

    more_wanted = Signal(int)
    sort_wanted = Signal(SortKey, bool)

    # Fits at 1280 px beside the navigation; the rest is in the order's detail.
    CELLS: tuple[tuple[str, Callable[[OrderRow], str], SortKey | None], ...] = (
        (str(QT_TRANSLATE_NOOP("OrdersTableModel", "Number")), lambda r: r.number, SortKey.NUMBER),
        (str(QT_TRANSLATE_NOOP("OrdersTableModel", "Placed")), _placed, SortKey.PLACED),
        (str(QT_TRANSLATE_NOOP("OrdersTableModel", "Status")), _status, SortKey.STATUS),
        (
            str(QT_TRANSLATE_NOOP("OrdersTableModel", "Customer")),
            lambda r: r.customer,
            SortKey.CUSTOMER,
        ),
        (str(QT_TRANSLATE_NOOP("OrdersTableModel", "Units")), lambda r: str(r.units), None),
        (
            str(QT_TRANSLATE_NOOP("OrdersTableModel", "Total")),
            lambda r: format_money(r.total, r.currency),
            None,
        ),
        (
            str(QT_TRANSLATE_NOOP("OrdersTableModel", "Carrier")),
            lambda r: r.carrier,
            SortKey.CARRIER,
        ),
        (
            str(QT_TRANSLATE_NOOP("OrdersTableModel", "WH")),
            lambda r: r.warehouse,
            None,
        ),  # the warehouse's short code
    )
    COLUMNS = tuple(name for name, _text, _sort in CELLS)
    STATUS_COLUMN = COLUMNS.index("Status")
    _RIGHT = frozenset({COLUMNS.index("Units"), COLUMNS.index("Total")})
    _LONG = frozenset({COLUMNS.index("Status"), COLUMNS.index("Customer")})
    SHARING = _LONG  # these share the width left over
    # The widest text a short column shows, to size it before any row is read.
    WIDEST: ClassVar[dict[str, str]] = {
        "Number": "5199999",
        "Placed": "2026-12-31",
        "Units": "9999",
        "Total": "€1,234.56",
        "Carrier": "Royal Mail",
        "WH": "MAIN-2",
    }

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._texts: list[tuple[str, ...]] = []  # each row's cells, as shown
        self._complete = True  # the last page read was short: nothing more to fetch
        self._asked = False  # a next page is being read

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.COLUMNS[section])
        return None

    @classmethod
    def texts(cls, row: OrderRow) -> tuple[str, ...]:
        """The row's cells as shown: worked out once, off the GUI thread."""
        return tuple(text(row) for _name, text, _sort in cls.CELLS)

    def set_first_page(self, page: list[tuple[OrderRow, tuple[str, ...]]]) -> None:
        self._complete = len(page) < PAGE
        self._asked = False
        self._texts = [texts for _row, texts in page]
        self.show_rows([row for row, _texts in page])

    def add_page(self, page: list[tuple[OrderRow, tuple[str, ...]]]) -> None:
        self._complete = len(page) < PAGE
        self._asked = False
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(row for row, _texts in page)
        self._texts.extend(texts for _row, texts in page)
        self.endInsertRows()

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._complete and not self._asked

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._asked = True
            self.more_wanted.emit(len(self._rows))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.CELLS[column][2]
        if key is not None:
            self.sort_wanted.emit(key, order == Qt.SortOrder.DescendingOrder)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[index.row()][column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.STATUS_COLUMN and row.fulfilled_elsewhere:
                return (
                    f"Fulfilled elsewhere: {row.fulfilled_elsewhere} before it was imported. "
                    "Nothing to pick or pack here; returns are taken in at the Returns desk."
                )
            return self._texts[index.row()][column] if column in self._LONG else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return aligned(column in self._RIGHT)
        if column == self.STATUS_COLUMN and row.status in STATUS_TONES:
            return toned(STATUS_TONES[row.status], role)
        return None


SEGMENT_LABELS: dict[Segment, str] = {
    Segment.ALL: str(QT_TRANSLATE_NOOP("OrdersPage", "All")),
    Segment.ON_HOLD: str(QT_TRANSLATE_NOOP("OrdersPage", "On hold")),
    Segment.FINALIZED: str(QT_TRANSLATE_NOOP("OrdersPage", "Finalized")),
    Segment.ALLOCATED: str(QT_TRANSLATE_NOOP("OrdersPage", "Allocated")),
    Segment.PICKING: str(QT_TRANSLATE_NOOP("OrdersPage", "Picking")),
    Segment.PACKING: str(QT_TRANSLATE_NOOP("OrdersPage", "Packing")),
    Segment.PARTLY_SHIPPED: str(QT_TRANSLATE_NOOP("OrdersPage", "Partly shipped")),
    Segment.SHIPPED: str(QT_TRANSLATE_NOOP("OrdersPage", "Shipped")),
    Segment.FULFILLED: str(QT_TRANSLATE_NOOP("OrdersPage", "Fulfilled")),
    Segment.VOID: str(QT_TRANSLATE_NOOP("OrdersPage", "Void")),
    Segment.RETURNED: str(QT_TRANSLATE_NOOP("OrdersPage", "Returned")),
    Segment.SHORT_PICKS: str(QT_TRANSLATE_NOOP("OrdersPage", "Short picks")),
}

PERIODS: tuple[tuple[str, int | None], ...] = (
    (str(QT_TRANSLATE_NOOP("OrdersPage", "Any date")), None),
    (str(QT_TRANSLATE_NOOP("OrdersPage", "Today")), 1),
    (str(QT_TRANSLATE_NOOP("OrdersPage", "Last 7 days")), 7),
    (str(QT_TRANSLATE_NOOP("OrdersPage", "Last 30 days")), 30),
    (str(QT_TRANSLATE_NOOP("OrdersPage", "Last 365 days")), 365),
)


class OrdersPage(WorkspacePage):
    """Segments, find box and filters over the orders table; Enter opens the order."""

    def __init__(self, station: Station, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(Workspace.ORDERS, parent)
        self.station = station
        self.actor = actor
        self.reader = OrdersReader(station, self)
        self.model = OrdersTableModel(self)
        self.query = OrderQuery()
        self.generation = 0
        self.shown_generation = 0  # the generation the table shows
        self.matching: int | None = None
        self.counts: dict[Segment, int | None] = {}
        self._loaded = False
        self._stale = False
        self._fitted = False
        self.detail_dialog: OrderDetailDialog | None = None  # the order open, if any
        self.note_dialog: NoteDialog | None = None  # the release or void asking for its note

        # Two rows of six: every segment and its count readable at 1280 px.
        self.segment_bar = QGridLayout()
        self.segment_bar.setHorizontalSpacing(6)
        self.segment_bar.setVerticalSpacing(6)
        self.segment_buttons: dict[Segment, QPushButton] = {}
        self._segment_group = QButtonGroup(self)
        self._segment_group.setExclusive(True)
        for n, segment in enumerate(Segment):
            button = QPushButton()
            button.setCheckable(True)
            button.setProperty("role", "segment")
            button.setProperty("segment", segment.value)
            button.setAccessibleName(self.tr(SEGMENT_LABELS[segment]))
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(lambda _c=False, s=segment: self.choose_segment(s))
            self._segment_group.addButton(button)
            self.segment_bar.addWidget(button, n // 6, n % 6)
            self.segment_buttons[segment] = button
        self.segment_buttons[Segment.ALL].setChecked(True)
        self.segment_buttons[Segment.SHORT_PICKS].setToolTip(
            self.tr("Orders whose short picks wait for a choice (re-allocate, ship part, hold).")
        )
        self._show_segment_counts()

        self.find_field = QLineEdit()
        self.find_field.setPlaceholderText(
            self.tr("Find: order number, customer, email, SKU, SSCC or shipment")
        )
        self.find_field.setAccessibleName(self.tr("Find orders"))
        self.find_field.setClearButtonEnabled(True)
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self._on_filters_changed)
        self.find_field.textChanged.connect(self._typing.start)
        self.find_field.returnPressed.connect(self._on_find_entered)

        self.channel_filter = QComboBox()
        self.channel_filter.setAccessibleName(self.tr("Channel"))
        self.channel_filter.addItem(self.tr("All channels"), None)
        self.carrier_filter = QComboBox()
        self.carrier_filter.setAccessibleName(self.tr("Carrier"))
        self.carrier_filter.addItem(self.tr("All carriers"), None)
        self.period_filter = QComboBox()
        self.period_filter.setAccessibleName(self.tr("Placed"))
        for label, days in PERIODS:
            self.period_filter.addItem(self.tr(label), days)
        for combo in (self.channel_filter, self.carrier_filter, self.period_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self._on_filters_changed)

        # Made with their parent: showing a parentless widget (setVisible(True) below) makes
        # it a window of its own for a moment, which takes the activation from the main
        # window, and its shortcuts (Ctrl+number, Ctrl+L) stop until it is activated again.
        self.open_button = QPushButton(self.tr("Open  Enter"), self)
        self.open_button.clicked.connect(self.open_selected)
        self.release_button = QPushButton(self.tr("Release…"), self)
        self.release_button.clicked.connect(self.release_selected)
        self.void_button = QPushButton(self.tr("Void…"), self)
        self.void_button.clicked.connect(self.void_selected)
        self.release_button.setVisible(Permission.RELEASE_HOLDS in actor.permissions)
        self.void_button.setVisible(Permission.VOID_ORDERS in actor.permissions)
        self.reload_button = QPushButton(self.tr("Reload  Ctrl+R"))
        self.reload_button.clicked.connect(self.reload)
        reload_key = QShortcut(QKeySequence("Ctrl+R"), self)
        reload_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        reload_key.activated.connect(self.reload)

        tools = QHBoxLayout()
        tools.setSpacing(10)
        tools.addWidget(self.find_field, 1)
        for widget in (self.channel_filter, self.carrier_filter, self.period_filter):
            tools.addWidget(widget)
        actions = QHBoxLayout()
        actions.setSpacing(10)
        for button in (self.open_button, self.release_button, self.void_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.reload_button)

        self.band = MessageBand()
        self.table = read_only_table(self.model, self.tr("Orders"))
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setSortingEnabled(True)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_context_menu)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.table.activated.connect(lambda _index: self.open_selected())
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        header.setSortIndicator(
            OrdersTableModel.COLUMNS.index("Placed"), Qt.SortOrder.DescendingOrder
        )
        self.empty_hint = styled_label("", "hint")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.hide()

        self.body.addLayout(self.segment_bar)
        self.body.addLayout(tools)
        self.body.addLayout(actions)
        self.body.addWidget(self.band)
        self.body.addWidget(self.empty_hint)
        self.body.addWidget(self.table, 1)
        self.setFocusProxy(self.find_field)

        self.reader.page_read.connect(self.on_page_read)
        self.reader.counted.connect(self.on_counted)
        self.reader.segments_counted.connect(self.on_segments_counted)
        self.reader.choices_read.connect(self.on_choices_read)
        self.reader.failed.connect(self.band.show_refused)
        self.model.more_wanted.connect(self._on_more_wanted)
        self.model.sort_wanted.connect(self._on_sort_wanted)
        self._update_actions()

    # -- reading --

    def activate(self) -> None:
        if not self._loaded:
            self._loaded = True
            self.reload()
        elif self._stale:
            self._stale = False
            self.reload()

    def on_synced(self, report: SyncReport) -> None:
        if not self._loaded:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    @Slot()
    def reload(self) -> None:
        """Read the first page, the segment counts and the filter choices again."""
        self.refresh()
        self.reader.read_choices()

    def refresh(self) -> None:
        """The same query again (after an action or a sync), and the segment counts."""
        self._run(self.query)
        self.reader.count_segments()
        self.reader.prepare_search()

    def _run(self, query: OrderQuery) -> None:
        if query != self.query:  # the same query read again keeps its count till the new one
            self.matching = None
        self.query = query
        self.generation += 1
        self.reader.current = self.generation
        self.reader.read_page(self.generation, query, 0)
        self.reader.count(self.generation, query)

    @Slot(int, int, list)
    def on_page_read(
        self, generation: int, offset: int, rows: list[tuple[OrderRow, tuple[str, ...]]]
    ) -> None:
        if generation != self.generation:
            return  # the person has asked for something else since
        if offset == 0:
            self.model.set_first_page(rows)
            self.shown_generation = generation
            if rows and not self._fitted:
                self._fit_columns()
        else:
            self.model.add_page(rows)
        self._show_subject()

    @Slot(int, int)
    def on_counted(self, generation: int, matching: int) -> None:
        if generation == self.generation:
            self.matching = matching
            self._show_subject()

    @Slot(dict)
    def on_segments_counted(self, counts: dict[Segment, int | None]) -> None:
        self.counts = counts
        self._show_segment_counts()
        self._show_subject()

    @Slot(FilterChoices)
    def on_choices_read(self, choices: FilterChoices) -> None:
        for combo, values in (
            (self.channel_filter, choices.channels),
            (self.carrier_filter, choices.carriers),
        ):
            chosen = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value in values:
                combo.addItem(value, value)
            combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen else 0)
            combo.blockSignals(False)

    @Slot(int)
    def _on_more_wanted(self, offset: int) -> None:
        self.reader.read_page(self.generation, self.query, offset)

    @Slot(SortKey, bool)
    def _on_sort_wanted(self, key: SortKey, descending: bool) -> None:
        self._run(replace(self.query, sort=key, descending=descending))

    # -- what the person chose --

    def choose_segment(self, segment: Segment) -> None:
        self.segment_buttons[segment].setChecked(True)
        self._run(replace(self.query, segment=segment))

    @Slot()
    def _on_filters_changed(self) -> None:
        self._typing.stop()
        days = self.period_filter.currentData()
        since = None
        if days is not None:
            today = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
            since = (today - timedelta(days=days - 1)).astimezone(UTC)
        query = replace(
            self.query,
            text=self.find_field.text(),
            channel=self.channel_filter.currentData(),
            carrier=self.carrier_filter.currentData(),
            placed_from=since,
        )
        if query != self.query:
            self._run(query)

    @Slot()
    def _on_find_entered(self) -> None:
        self._on_filters_changed()
        if self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    def _show_segment_counts(self) -> None:
        for segment, button in self.segment_buttons.items():
            label = self.tr(SEGMENT_LABELS[segment])
            count = self.counts.get(segment)
            button.setText(f"{label}  {count:,}" if count is not None else label)

    def _show_subject(self) -> None:
        shown = self.model.rowCount()
        parts = []
        if self.matching is None:
            parts.append(self.tr("%1 orders shown").replace("%1", f"{shown:,}"))
        else:
            parts.append(
                self.tr("1 order")
                if self.matching == 1
                else self.tr("%1 orders").replace("%1", f"{self.matching:,}")
            )
        if self.query.segment is not Segment.ALL:
            parts.append(self.tr(SEGMENT_LABELS[self.query.segment]).lower())
        text = self.query.text.strip()
        if text:
            parts.append(self.tr("matching “%1”").replace("%1", text))
        self.subject.setText("  ·  ".join(parts))
        nothing = self.matching == 0 and shown == 0
        self.empty_hint.setVisible(nothing)
        if nothing:
            self.empty_hint.setText(
                self.tr(
                    "No orders on this station yet. They arrive from the central order "
                    "store, or with `packbench import`."
                )
                if self.query == OrderQuery(sort=self.query.sort, descending=self.query.descending)
                else self.tr("No order matches. Clear the search or choose another segment.")
            )

    def _fit_columns(self) -> None:
        """Short columns as wide as their text; the customer and why it is held share the
        rest, so the table fits at 1280 px without scrolling sideways."""
        header = self.table.horizontalHeader()
        text = self.table.fontMetrics()
        heading = header.fontMetrics()
        for column, name in enumerate(OrdersTableModel.COLUMNS):
            if column in OrdersTableModel.SHARING:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
                continue
            sample = OrdersTableModel.WIDEST.get(name, "")
            width = max(
                text.horizontalAdvance(sample) + 20,
                heading.horizontalAdvance(self.model.tr(name)) + 26,
            )
            header.resizeSection(column, width)
        self._fitted = True

    # -- acting on the selected order --

    def selected(self) -> OrderRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    @Slot(QModelIndex, QModelIndex)
    def _on_current_changed(self, _now: QModelIndex, _before: QModelIndex) -> None:
        self._update_actions()

    def _update_actions(self) -> None:
        row = self.selected()
        self.open_button.setEnabled(row is not None)
        self.release_button.setEnabled(row is not None and row.status is OrderStatus.ON_HOLD)
        self.void_button.setEnabled(row is not None and row.status is not OrderStatus.VOID)

    def _on_context_menu(self, point: Any) -> None:
        index = self.table.indexAt(point)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.addAction(self.tr("Open"), self.open_selected)
        if self.release_button.isVisible() and self.release_button.isEnabled():
            menu.addAction(self.tr("Release hold…"), self.release_selected)
        if self.void_button.isVisible() and self.void_button.isEnabled():
            menu.addAction(self.tr("Void…"), self.void_selected)
        menu.popup(self.table.viewport().mapToGlobal(point))

    @Slot()
    def open_selected(self) -> OrderDetailDialog | None:
        row = self.selected()
        return self.open_order(row.number) if row else None

    def open_order(self, number: str) -> OrderDetailDialog | None:
        try:
            detail: OrderDetail = order_detail(self.station.local, number)
        except DomainError as error:
            self.band.show_refused(error.message)
            return None
        dialog = OrderDetailDialog(
            detail,
            may_release=Permission.RELEASE_HOLDS in self.actor.permissions,
            may_void=Permission.VOID_ORDERS in self.actor.permissions,
            may_edit=False,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.release_asked.connect(lambda n: (dialog.close(), self.release(n)))
        dialog.void_asked.connect(lambda n: (dialog.close(), self.void(n)))
        self.detail_dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def release_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.release(row.number)

    @Slot()
    def void_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.void(row.number)

    def release(self, number: str) -> NoteDialog:
        dialog = NoteDialog(
            self.tr("Release order %1").replace("%1", number),
            self.tr(
                "The hold is lifted and stock is allocated to the order from the bins. "
                "Say why it may go ahead."
            ),
            self.tr("Release"),
            self,
        )
        dialog.accepted.connect(lambda: self._released(number, dialog.text()))
        self.note_dialog = dialog
        dialog.open()
        return dialog

    def _released(self, number: str, note: str) -> None:
        try:
            done = release_order(self.station.local, self.actor, number, note)
        except DomainError as error:
            self.band.show_refused(error.message)
            return
        said = self.tr("Order %1 released: %2, %3 units allocated").replace("%1", number)
        said = said.replace("%2", status_name(done.status).lower()).replace(
            "%3", str(done.allocated)
        )
        if done.short:
            said += self.tr("; %1 units wait for stock").replace("%1", str(done.short))
        self.band.show_done(said + ".")
        self.refresh()

    def void(self, number: str) -> NoteDialog:
        dialog = NoteDialog(
            self.tr("Void order %1").replace("%1", number),
            self.tr(
                "A void order is closed for good: it cannot be picked, packed or invoiced, "
                "and the stock it holds goes back to its bins. The central store refuses the "
                "void if another station shipped the order meanwhile. Say why."
            ),
            self.tr("Void order"),
            self,
        )
        dialog.accepted.connect(lambda: self._voided(number, dialog.text()))
        self.note_dialog = dialog
        dialog.open()
        return dialog

    def _voided(self, number: str, reason: str) -> None:
        try:
            void_order(self.station.local, self.actor, number, reason)
        except DomainError as error:
            self.band.show_refused(error.message)
            return
        self.band.show_done(
            self.tr("Order %1 voided; its stock went back to the bins.").replace("%1", number)
        )
        self.refresh()

    def closeEvent(self, event: Any) -> None:
        self.reader.wait()
        super().closeEvent(event)


def create_page(context: PageContext) -> WorkspacePage:
    from ui.dialogs.move_order import install_move_action

    page = OrdersPage(context.station, context.actor)
    bar = short_picks.attach(page, context)  # the supervisor's short-pick queue (picking)
    if bar is not None:  # answered short picks leave the Short picks segment
        bar.closed.connect(page.refresh)
    install_move_action(page, context.station, context.actor)  # supervisors: Move to warehouse…
    return page
