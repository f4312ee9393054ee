"""What every workspace page has: the subject line on top, then its own content."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.bootstrap import Station
from app.domain.bench import BenchResult
from app.domain.decode import ScanMeaning
from app.domain.users import Actor, Workspace
from app.sync.engine import SyncReport
from ui.devices_bridge import StationPrinting, StationScale
from ui.scanning import StationScanning
from ui.sync import StationSync
from ui.translation import workspace_name
from ui.widgets import styled_label


@dataclass(frozen=True)
class PageContext:
    """What a workspace page is built with: the station, the person, the scanners."""

    station: Station
    actor: Actor
    scanning: StationScanning
    sync: StationSync | None = None
    printing: StationPrinting | None = None
    scale: StationScale | None = None


class WorkspacePage(QWidget):
    """One workspace in the main window's work area.

    The window's header names the workspace; the page's ``subject`` line says what it is
    working on (the order, the filter, the count), following the screen grammar: header with
    the subject, what is expected vs done, the last scan, the next action.

    Signals:
        answered: a ``BenchResult`` the page reached without a scan (a key, a typed field,
            an answer that came later): the window shows it as it shows a scan's.
    """

    answered = Signal(BenchResult)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setObjectName(f"workspace-{workspace.value.lower()}")
        self.subject = styled_label("", "subject")
        self.subject.setWordWrap(True)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(28, 18, 28, 18)
        self.body.setSpacing(14)
        self.body.addWidget(self.subject)

    def activate(self) -> None:
        """Called each time the page is shown; pages that load data do it here."""

    def on_synced(self, report: SyncReport) -> None:
        """A sync round ended (``report.rows``: what it pulled, per table); a page showing
        rows it may have changed reads them again, now or when it is next shown."""

    def on_scan(self, meaning: ScanMeaning) -> BenchResult:
        """A scan arrived while this page is shown: what it did, or why it was refused.

        The window shows the result in its last-scan band, with the good or bad sound.
        """
        return BenchResult.refusal(
            self.tr("The %s workspace does not take scans in this version.")
            % workspace_name(self.workspace)
        )


class NotAvailablePage(WorkspacePage):
    """An honest page for a workspace this version does not have yet: no fake controls."""

    def __init__(self, workspace: Workspace, purpose: str, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self.subject.setText(self.tr("Not available yet in this version"))
        self.purpose = styled_label(purpose, "notice")
        self.purpose.setWordWrap(True)
        self.purpose.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.purpose.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.purpose.setMaximumWidth(1100)
        self.body.addWidget(self.purpose)
        self.body.addStretch(1)
        # Nothing on the page takes the focus: the navigation keeps it.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
