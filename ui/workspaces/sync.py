"""The Sync workspace: this station and the central order store.

Whether the central store answers, when this station last pulled and pushed, how many of its
commands wait in the outbox, and the commands the central store refused with the reason in
words (an order voided centrally while it was being packed here, a claim held elsewhere), so
a supervisor can act on them. Sync runs by itself in the background; F5 runs it now. A long
round (the first pull of a big store) shows how far it has got, with a progress bar.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QProgressBar, QPushButton, QVBoxLayout

from app.domain.users import Workspace
from app.sync.engine import RejectedCommand, SyncProgress, SyncReport, SyncStatus, sync_status
from app.sync.outgoing import ChannelProblem
from ui.tables import ModelIndex, RowsModel, read_only_table
from ui.theme import Tone
from ui.widgets import MessageBand, styled_label
from ui.workspaces.base import PageContext, WorkspacePage


def local_time(moment: Any) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S") if moment else "never"


class RejectedModel(RowsModel[RejectedCommand]):
    COLUMNS = (
        str(QT_TRANSLATE_NOOP("RejectedModel", "Answered")),
        str(QT_TRANSLATE_NOOP("RejectedModel", "Command")),
        str(QT_TRANSLATE_NOOP("RejectedModel", "What")),
        str(QT_TRANSLATE_NOOP("RejectedModel", "Why the central store refused it")),
    )

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (local_time(row.answered_at), row.kind, row.summary, row.reason)[column]
        return None


class ChannelProblemsModel(RowsModel[ChannelProblem]):
    """What the connector could not do yet: an account it could not pull, news not taken."""

    COLUMNS = (
        str(QT_TRANSLATE_NOOP("ChannelProblemsModel", "Since")),
        str(QT_TRANSLATE_NOOP("ChannelProblemsModel", "Store account")),
        str(QT_TRANSLATE_NOOP("ChannelProblemsModel", "What")),
        str(QT_TRANSLATE_NOOP("ChannelProblemsModel", "Tries")),
        str(QT_TRANSLATE_NOOP("ChannelProblemsModel", "Why")),
    )

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.COLUMNS[section])
        return super().headerData(section, orientation, role)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            what = row.event or self.tr("pulling its orders")
            tries = str(row.attempts) if row.attempts else ""
            since = local_time(row.since) if row.since else ""
            return (since, row.account, what, tries, row.reason)[column]
        return None


class SyncPage(WorkspacePage):
    """State of the link, the outbox, and the refused commands."""

    def __init__(self, context: PageContext) -> None:
        super().__init__(Workspace.SYNC)
        self._station = context.station
        self._sync = context.sync
        self.subject.setText(self.tr("Central order store"))
        self.band = MessageBand()
        self.facts = styled_label("", "notice")
        self.facts.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName(self.tr("Sync progress"))
        self.progress_bar.hide()
        self._status: SyncStatus | None = None
        self.sync_button = QPushButton(self.tr("Sync now") + "   F5")
        self.sync_button.clicked.connect(self.sync_now)
        key = QShortcut(QKeySequence("F5"), self)
        key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        key.activated.connect(self.sync_now)
        facts = QVBoxLayout()
        facts.addWidget(self.facts)
        facts.addWidget(self.progress_bar)
        row = QHBoxLayout()
        row.addLayout(facts, 1)
        row.addWidget(self.sync_button, 0, Qt.AlignmentFlag.AlignTop)
        self.model = RejectedModel(self)
        self.table = read_only_table(self.model, self.tr("Refused commands"))
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.body.addWidget(self.band)
        self.body.addLayout(row)
        self.body.addWidget(styled_label(self.tr("Commands the central store refused"), "section"))
        self.body.addWidget(self.table, 1)
        self.channels_title = styled_label(self.tr("Sales channels: not done yet"), "section")
        self.channels_note = styled_label(
            self.tr(
                "The connector tries these again by itself; what the store refused needs a "
                "person (a key, an order changed in the store)."
            ),
            "notice",
        )
        self.channels_note.setWordWrap(True)
        self.channels_model = ChannelProblemsModel(self)
        self.channels_table = read_only_table(
            self.channels_model, self.tr("Sales channel problems")
        )
        channel_header = self.channels_table.horizontalHeader()
        for column in range(4):
            channel_header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        channel_header.setStretchLastSection(True)
        for widget in (self.channels_title, self.channels_note, self.channels_table):
            widget.hide()
            self.body.addWidget(widget)
        if self._sync is not None:
            self._sync.synced.connect(self.on_synced)
            self._sync.progressed.connect(self.on_progressed)

    def activate(self) -> None:
        self.refresh()

    def sync_now(self) -> None:
        if self._sync is None:
            return
        self.band.show_message(self.tr("Syncing…"), Tone.WAITING)
        self._sync.sync_now()

    def on_synced(self, report: SyncReport) -> None:
        if report.online and not report.error:
            self.band.show_done(report.line())
        else:
            self.band.show_refused(report.line())
        self.refresh()

    def on_progressed(self, progress: SyncProgress) -> None:
        percent = progress.percent
        if percent is None:
            self.progress_bar.setRange(0, 0)  # busy: nothing to count yet
        else:
            self.progress_bar.setRange(0, 100)
            self.progress_bar.setValue(percent)
        self._show_facts()

    def refresh(self) -> None:
        self._status = sync_status(self._station)
        self._show_facts()
        self.model.show_rows(list(self._status.rejected))
        last = self._sync.last if self._sync is not None else None
        self._show_channels(last.channels if last is not None else [])

    def _show_channels(self, problems: list[ChannelProblem]) -> None:
        """A small section, shown only when the connector has something not done."""
        self.channels_model.show_rows(problems)
        for widget in (self.channels_title, self.channels_note, self.channels_table):
            widget.setVisible(bool(problems))

    def _show_facts(self) -> None:
        status = self._status
        if status is None:
            return
        last = self._sync.last if self._sync is not None else None
        progress = self._sync.progress if self._sync is not None else None
        if progress is not None:
            state = f"syncing now: {progress.line()}"
        elif last is not None:
            state = "online" if last.online else "offline"
        else:
            state = "not synced yet in this session"
        self.progress_bar.setVisible(progress is not None)
        lines = [
            f"Link: {state}",
            f"Last pull: {local_time(status.last_pull_at)}",
            f"Last push: {local_time(status.last_push_at)}",
            f"Outbox: {status.pending} command{'s' if status.pending != 1 else ''} waiting",
        ]
        if status.last_error:
            lines.append(f"Last problem: {status.last_error}")
        self.facts.setText("\n".join(lines))


def create_page(context: PageContext) -> WorkspacePage:
    return SyncPage(context)
