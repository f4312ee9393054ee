"""The Reports workspace: the floor over a chosen period, as a chart and a table, and CSV.

Packed per packer per hour, scan errors per packer, short picks, parcels per carrier and
returns by reason (``app.services.reports``); the chart draws the report's own figures
(QtCharts bars), the table shows every row, and Export writes the same rows as CSV.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QCoreApplication, QDate, QModelIndex, QObject, Qt, Signal, Slot
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QWidget,
)

from app.bootstrap import Station
from app.domain.errors import DomainError
from app.domain.users import Actor, Workspace
from app.services.printouts import write_file
from app.services.reports import REPORTS, FloorReport, floor_report
from ui.tables import ModelIndex, RowsModel, aligned, read_only_table
from ui.widgets import MessageBand
from ui.workspaces.base import PageContext, WorkspacePage

# At most this many bars' categories: a long report charts its first rows (the table has all).
CHART_CATEGORIES = 24


def _column(name: str) -> str:
    """A report column's heading on screen, through the translation (context "Report")."""
    return QCoreApplication.translate("Report", name)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class ReportsController(QObject):
    """Makes one report for a period and writes it as CSV.

    Signals:
        report_made: the report (``FloorReport``).
        report_refused: why not, in words.
        exported: where the CSV went, in words.
    """

    report_made = Signal(object)
    report_refused = Signal(str)
    exported = Signal(str)

    def __init__(self, station: Station, actor: Actor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self._actor = actor
        self.last: FloorReport | None = None

    def make(self, name: str, start: date, end: date) -> None:
        try:
            report = floor_report(self._station, self._actor, name, start, end)
        except DomainError as error:
            self.report_refused.emit(error.message)
            return
        self.last = report
        self.report_made.emit(report)

    def export(self, path: Path) -> None:
        if self.last is None:
            self.report_refused.emit(self.tr("Show a report first, then export it."))
            return
        try:
            write_file(path, self.last.csv().encode())
        except OSError as error:
            self.report_refused.emit(
                self.tr("{path} could not be written ({why}): choose another place.").format(
                    path=path, why=error.strerror or error
                )
            )
            return
        self.exported.emit(
            self.tr("Wrote {n} rows to {path}.").format(n=len(self.last.rows), path=path)
        )


class ReportTableModel(RowsModel[tuple[Any, ...]]):
    """The rows of whichever report is shown, under that report's columns."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns: tuple[str, ...] = ()

    def set_report(self, report: FloorReport) -> None:
        self.beginResetModel()
        self._columns = report.columns
        self._rows = list(report.rows)
        self.endResetModel()

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _column(self._columns[section])
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self._rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return f"{value:.1f}" if isinstance(value, float) else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return aligned(isinstance(value, int | float))
        return None


class ReportsPage(WorkspacePage):
    """Report, period, Show; the chart above the table; Export CSV."""

    def __init__(self, station: Station, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(Workspace.REPORTS, parent)
        self.controller = ReportsController(station, actor, self)
        self.message = MessageBand()
        self.names = {
            "packed": self.tr("Packed per packer per hour"),
            "scan-errors": self.tr("Scan error rate per packer"),
            "short-picks": self.tr("Short picks"),
            "carriers": self.tr("Parcels per carrier"),
            "returns": self.tr("Returns by reason"),
        }
        self.report_box = QComboBox()
        self.report_box.setAccessibleName(self.tr("Report"))
        self.report_box.setMinimumWidth(250)
        for name in REPORTS:
            self.report_box.addItem(self.names.get(name, name), name)
        today = date.today()
        self.start_edit = QDateEdit(_qdate(today - timedelta(days=6)))
        self.end_edit = QDateEdit(_qdate(today))
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.show_button = QPushButton(self.tr("&Show"))
        self.export_button = QPushButton(self.tr("&Export CSV…"))
        self.export_button.setEnabled(False)
        controls = QHBoxLayout()
        for caption, widget in (
            (self.tr("&Report:"), self.report_box),
            (self.tr("&From:"), self.start_edit),
            (self.tr("&To:"), self.end_edit),
        ):
            label = QLabel(caption)
            label.setBuddy(widget)
            controls.addWidget(label)
            controls.addWidget(widget)
        controls.addWidget(self.show_button)
        controls.addStretch(1)
        below = QHBoxLayout()
        below.addStretch(1)
        below.addWidget(self.export_button)

        self.chart = QChart()
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(340)
        self.model = ReportTableModel(self)
        self.table = read_only_table(self.model, self.tr("Report rows"))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.chart_view)
        split.addWidget(self.table)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        self.body.addLayout(controls)
        self.body.addWidget(self.message)
        self.body.addWidget(split, 1)
        self.body.addLayout(below)
        self.setFocusProxy(self.report_box)

        self.show_button.clicked.connect(self.on_show_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.controller.report_made.connect(self.on_report_made)
        self.controller.report_refused.connect(self.message.show_refused)
        self.controller.exported.connect(self.message.show_done)
        self.subject.setText(self.tr("Choose a report and a period, then Show."))

    def choose(self, name: str, start: date, end: date) -> None:
        self.report_box.setCurrentIndex(self.report_box.findData(name))
        self.start_edit.setDate(_qdate(start))
        self.end_edit.setDate(_qdate(end))

    @Slot()
    def on_show_clicked(self) -> None:
        self.controller.make(
            str(self.report_box.currentData()),
            self.start_edit.date().toPython(),  # type: ignore[arg-type]
            self.end_edit.date().toPython(),  # type: ignore[arg-type]
        )

    @Slot()
    def _on_export_clicked(self) -> None:
        report = self.controller.last
        if report is None:
            return
        suggested = f"{report.name}-{report.start}-{report.end}.csv"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the report as CSV"), suggested, self.tr("CSV files (*.csv)")
        )
        if path:
            self.controller.export(Path(path))

    @Slot(object)
    def on_report_made(self, report: FloorReport) -> None:
        self.message.clear_message()
        title = self.names.get(report.name, report.title)
        self.subject.setText(
            self.tr("{title}, {start} to {end}: {n} rows, {scope}").format(
                title=title,
                start=report.start,
                end=report.end,
                n=len(report.rows),
                scope=report.scope,
            )
        )
        self.model.set_report(report)
        self.export_button.setEnabled(True)
        self._draw(report, title)

    def _draw(self, report: FloorReport, title: str) -> None:
        # A new chart each time: axes removed from a chart were still drawn over the next.
        old, chart = self.chart, QChart()
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view.setChart(chart)
        old.deleteLater()
        self.chart = chart
        chart.setTitle(title)
        rows = report.rows[:CHART_CATEGORIES]
        if not rows:
            chart.setTitle(self.tr("{title}: nothing in this period").format(title=title))
            return
        series = QBarSeries()
        for column in report.chart_values:
            bars = QBarSet(_column(report.columns[column]))
            for row in rows:
                bars.append(float(row[column]))
            series.append(bars)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        labels = []
        for row in rows:
            label = str(row[report.chart_label])
            if report.name == "packed":  # packer and hour: both say which bar it is
                label = f"{str(row[0]).split()[0]} {str(row[1])[-5:-3]}h"
            labels.append(label)
        categories.append(labels)
        if len(labels) > 16:  # many bars: slanted names stay readable
            categories.setLabelsAngle(-40)
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        top = max((float(row[c]) for row in rows for c in report.chart_values), default=0.0)
        values = QValueAxis()
        values.setRange(0.0, top if top > 0 else 1.0)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(values)
        values.applyNiceNumbers()


def create_page(context: PageContext) -> WorkspacePage:
    return ReportsPage(context.station, context.actor)
