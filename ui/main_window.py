"""The main window: the login screen until someone signs in, then their workspaces."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import Station
from app.domain.bench import BenchResult
from app.domain.decode import Command
from app.domain.scans import Scan
from app.domain.users import Actor, Permission, Workspace
from app.faults import Fault, deliberate
from app.sync.engine import SyncReport
from ui.devices_bridge import StationPrinting, StationScale
from ui.faults import FaultBand, FaultHook
from ui.icons import WORKSPACE_ICONS, icon
from ui.log_viewer import LogViewer
from ui.login import DemoUser, LoginController, LoginScreen
from ui.scanning import StationScanning
from ui.settings_dialog import SettingsDialog
from ui.statusbar import StationStatusBar
from ui.sync import StationSync
from ui.translation import workspace_name
from ui.widgets import MessageBand, styled_label
from ui.workspaces import create_page
from ui.workspaces.base import PageContext, WorkspacePage
from ui.workspaces.bench import show_answer

SIGN_OUT_KEY = QKeySequence("Ctrl+L")
MINIMUM_SIZE = (1024, 680)


class Desk(QWidget):
    """What a signed-in person sees: a navigation column of their workspaces and the work area.

    Built for one person at sign-in and thrown away at sign-out, so nothing of theirs (pages,
    filters, shortcuts) outlives their session. Workspace pages are created when first opened.

    Signals:
        workspace_opened: the ``Workspace`` now shown.
        sign_out_requested: the Sign out button was pressed.
    """

    workspace_opened = Signal(Workspace)
    sign_out_requested = Signal()

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        station, actor = context.station, context.actor
        self.actor = actor
        self.pages: dict[Workspace, WorkspacePage] = {}
        self.nav_buttons: dict[Workspace, QPushButton] = {}
        self.current_workspace: Workspace | None = None

        nav = QWidget()
        nav.setProperty("role", "nav")
        nav.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        nav_layout = QVBoxLayout(nav)
        nav_layout.setContentsMargins(14, 18, 14, 18)
        nav_layout.setSpacing(10)
        group = QButtonGroup(self)
        group.setExclusive(True)
        for number, workspace in enumerate(actor.workspaces, start=1):
            name = workspace_name(workspace)
            # Ctrl+1 ... Ctrl+9, then Ctrl+0 for the tenth; further workspaces by click only.
            keys = f"Ctrl+{number % 10}" if number <= 10 else ""
            label = f"{name}   {keys}" if keys else name
            button = QPushButton(icon(WORKSPACE_ICONS[workspace]), label)
            button.setIconSize(QSize(28, 28))
            button.setProperty("role", "nav")
            button.setCheckable(True)
            button.setAccessibleName(name)
            button.setToolTip(f"{name} ({keys})" if keys else name)
            button.clicked.connect(lambda _=False, w=workspace: self.open_workspace(w))
            group.addButton(button)
            nav_layout.addWidget(button)
            self.nav_buttons[workspace] = button
            # Function keys belong to the workspace's own actions (F2 close parcel, F9 undo...).
            if keys:
                key = QShortcut(QKeySequence(keys), self)
                key.activated.connect(lambda w=workspace: self.open_workspace(w))
        nav_layout.addStretch(1)
        self.settings_button: QPushButton | None = None
        self.log_button: QPushButton | None = None
        if Permission.CONFIGURE_STATION in actor.permissions:
            self.settings_button = QPushButton(icon("settings"), self.tr("Settings"))
            self.settings_button.setProperty("role", "nav")
            self.settings_button.setIconSize(QSize(28, 28))
            self.settings_button.clicked.connect(self.open_settings)
            nav_layout.addWidget(self.settings_button)
            self.log_button = QPushButton(icon("logs"), self.tr("Log"))
            self.log_button.setProperty("role", "nav")
            self.log_button.setIconSize(QSize(28, 28))
            self.log_button.clicked.connect(self.open_log)
            nav_layout.addWidget(self.log_button)
        self.sign_out_button = QPushButton(self.tr("Sign out") + "   Ctrl+L")
        self.sign_out_button.setProperty("role", "nav")
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        nav_layout.addWidget(self.sign_out_button)
        nav.setMinimumWidth(nav.sizeHint().width() + 20)
        # A supervisor's column holds a dozen buttons: on a short screen it scrolls rather
        # than squeezing them until their words are cut.
        nav_scroll = QScrollArea()
        nav_scroll.setWidget(nav)
        nav_scroll.setWidgetResizable(True)
        nav_scroll.setFrameShape(QFrame.Shape.NoFrame)
        nav_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        nav_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        nav_scroll.setFixedWidth(
            nav.minimumWidth() + nav_scroll.verticalScrollBar().sizeHint().width()
        )

        header = QWidget()
        header.setProperty("role", "header")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.title = styled_label("", "title")
        self.who = styled_label(
            self.tr("station {station}  ·  {name} ({role})").format(
                station=station.station_id,
                name=actor.name,
                role=QCoreApplication.translate("Role", actor.role.label),
            ),
            "hint",
        )
        self.who.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header_layout = QHBoxLayout(header)
        header_layout.setContentsMargins(28, 12, 28, 12)
        header_layout.addWidget(self.title)
        header_layout.addStretch(1)
        header_layout.addWidget(self.who)
        # The last scan, in words, green or red: the same place on every workspace.
        self.scan_band = MessageBand()
        self.scan_band.setAccessibleName(self.tr("Last scan"))

        self.work_area = QStackedWidget()
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        right.addWidget(header)
        band_row = QVBoxLayout()
        band_row.setContentsMargins(28, 12, 28, 0)
        band_row.addWidget(self.scan_band)
        right.addLayout(band_row)
        right.addWidget(self.work_area, 1)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(nav_scroll)
        layout.addLayout(right, 1)
        if context.sync is not None:
            context.sync.synced.connect(self.on_synced)

    @Slot(SyncReport)
    def on_synced(self, report: SyncReport) -> None:
        """Pages opened in this session hear what a sync round brought."""
        for page in self.pages.values():
            page.on_synced(report)

    @Slot(BenchResult)
    def on_answered(self, result: BenchResult) -> None:
        """A page's result reached without a scan (a key, a typed field, a late answer)."""
        show_answer(self.scan_band, self._context.scanning.feedback, result)

    @Slot()
    def open_settings(self) -> SettingsDialog:
        """The settings dialog, modal; scans go to its test area while it is up."""
        dialog = SettingsDialog(
            self._context.station, self.actor, self._context.scanning.hub.scan_read, self
        )
        dialog.setModal(True)
        dialog.show()
        return dialog

    @Slot()
    def open_log(self) -> LogViewer:
        viewer = LogViewer(self._context.station.config.paths.log_dir, self)
        viewer.setModal(True)
        viewer.show()
        return viewer

    @property
    def current_page(self) -> WorkspacePage | None:
        page = self.work_area.currentWidget()
        return page if isinstance(page, WorkspacePage) else None

    def open_workspace(self, workspace: Workspace) -> None:
        if workspace not in self.nav_buttons:
            return  # not this person's: the role decides, not the caller
        page = self.pages.get(workspace)
        if page is None:
            page = create_page(workspace, self._context)
            page.answered.connect(self.on_answered)
            self.pages[workspace] = page
            self.work_area.addWidget(page)
        self.work_area.setCurrentWidget(page)
        self.scan_band.clear_message()
        self.nav_buttons[workspace].setChecked(True)
        self.title.setText(workspace_name(workspace))
        self.current_workspace = workspace
        page.activate()
        if page.focusPolicy() != Qt.FocusPolicy.NoFocus or page.focusProxy() is not None:
            page.setFocus()
        else:
            self.nav_buttons[workspace].setFocus()
        self.workspace_opened.emit(workspace)


class MainWindow(QMainWindow):
    """The station's one window: login screen, then the signed-in person's desk.

    ``demo_users`` (name, role, badge, PIN) are listed on the login screen in demo mode only.
    """

    def __init__(
        self,
        station: Station,
        demo_users: Sequence[DemoUser] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.station = station
        self.actor: Actor | None = None
        self.desk: Desk | None = None
        # Ends with the application's display name: on X11 and Windows Qt appends that name
        # to any title that does not, which made "Packbench — station ST-01 — Packbench".
        self.setWindowTitle(
            self.tr("Station {station} — Packbench").format(station=station.station_id)
        )
        # Fixed here rather than left to the layouts, which would change it on every sign-in;
        # small enough for a 1366×768 laptop, large enough for the tables.
        self.setMinimumSize(*MINIMUM_SIZE)

        self.login_controller = LoginController(station, self)
        self.login_screen = LoginScreen(self.login_controller, demo_users)
        self.screens = QStackedWidget()
        self.screens.addWidget(self.login_screen)
        # What went wrong, over whatever screen is up: the one place an unexpected error shows.
        self.fault_band = FaultBand()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.fault_band)
        column.addWidget(self.screens, 1)
        self.setCentralWidget(central)

        self.status = StationStatusBar(station)
        self.setStatusBar(self.status)
        # Links to what the station runs (built in app.bootstrap); none builds a device.
        self.scanning = StationScanning(station, self)
        self.sync = StationSync(station.sync, self)
        self.printing = StationPrinting(station.spooler, self)
        self.printing.changed.connect(self.status.show_printing)
        self.scale = StationScale(station.scale, self)
        self.scale.state_changed.connect(self.status.show_scale)
        self.sync.synced.connect(self.status.on_synced)
        self.sync.progressed.connect(self.status.show_sync_progress)
        self.sync.synced.connect(self.scanning.on_synced)
        self.faults = FaultHook(station, self)
        self.faults.happened.connect(self.on_fault)
        self.faults.interrupted.connect(self.on_interrupted)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        # Queued: a scan is handled after the key event that completed it has been delivered,
        # never inside the event filter (the scan may sign out and delete that very widget).
        self.scanning.hub.scanner_changed.connect(self.status.show_scanner)
        for scanner in self.scanning.hub.scanners.values():
            self.status.show_scanner(scanner)
        self.scanning.hub.scan_read.connect(self.on_scan_read, Qt.ConnectionType.QueuedConnection)

        self.sign_out_action = QAction(self.tr("Sign out"), self)
        self.sign_out_action.setShortcut(SIGN_OUT_KEY)
        self.sign_out_action.setEnabled(False)
        self.sign_out_action.triggered.connect(self.sign_out)
        self.addAction(self.sign_out_action)

        self.login_controller.signed_in.connect(self.on_signed_in)
        self.login_screen.reset()
        station.start()  # its links listen: no scan, state or report is missed

    @Slot(Actor)
    def on_signed_in(self, actor: Actor) -> None:
        self._drop_desk()
        self.actor = actor
        self.desk = Desk(
            PageContext(self.station, actor, self.scanning, self.sync, self.printing, self.scale)
        )
        self.desk.sign_out_requested.connect(self.sign_out)
        self.scanning.hub.reading_badges = False
        self.screens.addWidget(self.desk)
        self.screens.setCurrentWidget(self.desk)
        self.status.set_user(actor)
        self.sign_out_action.setEnabled(True)
        self.desk.open_workspace(actor.home)

    @Slot(Fault)
    def on_fault(self, fault: Fault) -> None:
        """Something went wrong (a bug, a full disk...): say so, buzz, and carry on."""
        self.fault_band.show_fault(fault)
        self.scanning.feedback.bad(self.fault_band)

    @Slot(Fault)
    def on_interrupted(self, _fault: Fault) -> None:
        """The last scan or click was cut short: the last-scan band no longer tells it."""
        if self.desk is not None:
            self.desk.scan_band.clear_message()

    @Slot(Scan)
    def on_scan_read(self, scan: Scan) -> None:
        """Hand a scan to whoever is on screen: the login screen, or the current workspace."""
        deliberate("scan", scan.text)  # PACKBENCH_FAULT=scan:TEXT (app.faults)
        if QApplication.activeModalWidget() is not None:
            return  # a dialog is up (the settings' scan test shows it): no work is done by it
        self.fault_band.on_scan()
        if self.desk is None:
            self.scanning.hub.hide(scan)  # any scan here is a badge
            self.login_controller.on_badge_scanned(scan.text)
            return
        meaning = self.scanning.interpret(scan)
        if meaning.decoded.command is Command.SIGN_OUT:
            self.sign_out()
            return
        page = self.desk.current_page
        if page is None:
            return
        if meaning.decoded.too_long:  # a scanner gone wild: for no page, whatever it waits for
            result = BenchResult.refusal(meaning.message)
        else:
            result = page.on_scan(meaning)
        show_answer(self.desk.scan_band, self.scanning.feedback, result, meaning.message)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    @Slot()
    def shutdown(self) -> None:
        """Stop the station's devices and loops (on close, or when the application quits)."""
        self.station.stop()
        self.faults.uninstall()
        self.scanning.close()
        self.sync.close()
        self.printing.close()
        self.scale.close()

    @Slot()
    def sign_out(self) -> None:
        self.scanning.hub.reading_badges = True
        self._drop_desk()
        self.actor = None
        self.status.set_user(None)
        self.sign_out_action.setEnabled(False)
        self.screens.setCurrentWidget(self.login_screen)
        self.login_screen.reset()

    def _drop_desk(self) -> None:
        if self.desk is not None:
            self.screens.removeWidget(self.desk)
            self.desk.deleteLater()
            self.desk = None
