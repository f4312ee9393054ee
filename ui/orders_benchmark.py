"""The GUI half of ``packbench bench orders``: the Orders workspace against bare Qt floors.

Opening: from building the Orders page to its first rows painted (the page reads on its
worker thread: segment counts, the first page, the count). Floor: a bare ``sqlite3`` query
of the same first page (the same columns, newest first, 200 rows) into a bare model shown
in a bare ``QTableView``, painted.

Filtering: from the filter being asked (the typing pause of the find box left out) to the
table repainted with the matching rows. Floor: the old way, all 100,000 rows in a Python
list with their search keys folded beforehand, filtered by a list comprehension and shown
with a model reset, painted.

``app.benchmarks.orders`` makes the orders and reports; the Qt lives here, under ``ui/``.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEventLoop,
    QModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableView

from app.bootstrap import Station
from app.domain.search import fold
from app.domain.users import Actor
from ui.workspaces.orders import OrdersPage

FIRST_PAGE_SQL = """
SELECT o.id, o.number, o.channel, o.status, o.priority, c.name, a.country, a.city,
       o.currency, o.carrier, o.placed_at, o.hold_reasons, o.fulfilled_elsewhere
FROM orders o
LEFT JOIN customers c ON c.id = o.customer_id
LEFT JOIN addresses a ON a.id = o.ship_to_id
ORDER BY o.placed_at DESC, o.id DESC
LIMIT 200
"""
ALL_ROWS_SQL = """
SELECT o.number, o.status, c.name, c.email, o.placed_at, o.carrier
FROM orders o LEFT JOIN customers c ON c.id = o.customer_id
ORDER BY o.placed_at DESC, o.id DESC
"""


class _BareModel(QAbstractTableModel):
    def __init__(self, columns: int) -> None:
        super().__init__()
        self.rows: list[tuple[Any, ...]] = []
        self.columns = columns

    def show(self, rows: list[tuple[Any, ...]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.columns

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return str(self.rows[index.row()][index.column()])
        return None


@dataclass(frozen=True)
class Timings:
    """Seconds, one per repetition."""

    floor: list[float]
    ours: list[float]
    shown: int  # rows the table showed at the end


def application() -> QApplication:
    app = QApplication.instance()
    return app if isinstance(app, QApplication) else QApplication([])


def _until(done: Callable[[], bool], timeout: float = 60.0) -> None:
    """Run the event loop as the app does, idle between events (a busy loop here would hold
    the GIL the page's reader thread needs), until ``done``."""
    end = time.perf_counter() + timeout
    heartbeat = QTimer()
    heartbeat.start(20)
    while not done():
        if time.perf_counter() > end:
            raise TimeoutError("the Orders page did not answer within a minute")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    heartbeat.stop()


def _view(model: QAbstractTableModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.resize(1200, 700)
    view.show()
    QTest.qWaitForWindowExposed(view)  # a view not yet exposed paints nothing
    return view


def measure_opening(station: Station, actor: Actor, path: str, n: int) -> Timings:
    application()
    floor: list[float] = []
    for _ in range(n):
        model = _BareModel(13)
        view = _view(model)
        started = time.perf_counter()
        db = sqlite3.connect(path)
        model.show(db.execute(FIRST_PAGE_SQL).fetchall())
        view.viewport().repaint()
        floor.append(time.perf_counter() - started)
        db.close()
        view.close()
    ours: list[float] = []
    shown = 0
    for _ in range(n):
        started = time.perf_counter()
        page = OrdersPage(station, actor)
        page.resize(1200, 800)
        page.show()
        page.activate()
        _until(lambda p=page: p.model.rowCount() > 0)  # type: ignore[misc]
        page.table.viewport().repaint()
        ours.append(time.perf_counter() - started)
        shown = page.model.rowCount()
        _until(lambda p=page: p.matching is not None and bool(p.counts))  # type: ignore[misc]
        page.reader.wait()
        page.close()
        page.deleteLater()
        QCoreApplication.processEvents()
    return Timings(floor, ours, shown)


def measure_filter(station: Station, actor: Actor, path: str, text: str, n: int) -> Timings:
    application()
    db = sqlite3.connect(path)
    rows = db.execute(ALL_ROWS_SQL).fetchall()
    db.close()
    keys = [fold(f"{r[0]}\n{r[2] or ''}\n{r[3] or ''}") for r in rows]
    words = fold(text).split()
    model = _BareModel(6)
    view = _view(model)
    model.show(rows)
    floor: list[float] = []
    for _ in range(n):
        model.show(rows)
        view.viewport().repaint()
        started = time.perf_counter()
        model.show([r for r, k in zip(rows, keys, strict=True) if all(w in k for w in words)])
        view.viewport().repaint()
        floor.append(time.perf_counter() - started)
    view.close()

    page = OrdersPage(station, actor)
    page.resize(1200, 800)
    page.show()
    page.activate()
    _until(lambda: page.model.rowCount() > 0 and page.matching is not None)
    ours: list[float] = []
    for _ in range(n):
        page.find_field.setText("")
        page._on_filters_changed()  # the typing pause left out: what follows it is measured
        _until(lambda: page.matching is not None)
        page.find_field.setText(text)
        started = time.perf_counter()
        page._on_filters_changed()
        generation = page.generation
        _until(lambda g=generation: page.shown_generation == g)  # type: ignore[misc]
        page.table.viewport().repaint()
        ours.append(time.perf_counter() - started)
        _until(lambda: page.matching is not None)
    shown = page.model.rowCount()
    page.reader.wait()
    page.close()
    return Timings(floor, ours, shown)


def resident_mb() -> float:
    """This process's resident memory (Linux: /proc/self/status VmRSS), in MB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return -1.0
