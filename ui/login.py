"""The sign-in screen: scan a badge, or choose your name and type your PIN."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QObject, QRegularExpression, QSize, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import Station
from app.domain.decode import TOO_LONG
from app.domain.errors import DomainError
from app.domain.scans import LONGEST_SYMBOL
from app.domain.users import Actor, LockoutPolicy
from app.services.auth import UserSummary, list_users, login_with_badge, login_with_pin
from ui.widgets import MessageBand, styled_label

# (name, role, badge, PIN), as the demo data hands them over
DemoUser = tuple[str, str, str, str]


class LoginController(QObject):
    """Signs a person in by badge or by name and PIN, and says why not when it refuses.

    Signals:
        users_listed: the people who may sign in (``list[UserSummary]``), for the name list.
        signed_in: the ``Actor`` whose badge or PIN was accepted.
        login_refused: why the sign-in was refused, in words fit for the screen.
    """

    users_listed = Signal(list)
    signed_in = Signal(Actor)
    login_refused = Signal(str)

    def __init__(self, station: Station, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._station = station

    @Slot()
    def list_users(self) -> None:
        self.users_listed.emit(list_users(self._station.local))

    @Slot(str)
    def on_badge_scanned(self, badge: str) -> None:
        if not badge.strip():
            return
        if len(badge.strip()) > LONGEST_SYMBOL:  # a scanner gone wild, not a badge
            self.login_refused.emit(TOO_LONG)
            return
        try:
            actor = login_with_badge(self._station.local, self._station.station_id, badge)
        except DomainError as error:
            self.login_refused.emit(error.message)
            return
        self._accept(actor)

    def sign_in_with_pin(self, user_id: int | None, pin: str) -> None:
        if user_id is None:
            self.login_refused.emit(
                self.tr("Choose your name in the list first, or scan your badge.")
            )
            return
        if not pin:
            self.login_refused.emit(self.tr("Type your PIN, then press Enter."))
            return
        try:
            actor = login_with_pin(
                self._station.local, self._station.station_id, user_id, pin, self._station.lockout
            )
        except DomainError as error:
            self.login_refused.emit(error.message)
            self.list_users()  # a wrong PIN may just have locked someone out
            return
        self._accept(actor)

    def _accept(self, actor: Actor) -> None:
        if not actor.workspaces:
            self.login_refused.emit(
                self.tr(
                    "{name} has no workspace on this station. Ask a supervisor to check your role."
                ).format(name=actor.name)
            )
            return
        self.signed_in.emit(actor)


class NameList(QListWidget):
    """The people who may sign in: as tall as its names (4 to 10 rows), then it scrolls."""

    def sizeHint(self) -> QSize:
        rows = max(4, min(self.count(), 10))
        row_height = self.sizeHintForRow(0) if self.count() else self.fontMetrics().height() + 16
        return QSize(super().sizeHint().width(), rows * row_height + 2 * self.frameWidth())


class LoginScreen(QWidget):
    """What a station shows while nobody is signed in.

    The badge field holds the focus, so a scanner's keystrokes and Enter land there; its echo
    mode hides the badge from onlookers. The name list and PIN field are the way in without a
    badge, all reachable with Tab. ``demo_users`` (demo mode only) lists the public demo
    badges and PINs; without it nothing of the kind is shown.
    """

    def __init__(
        self,
        controller: LoginController,
        demo_users: Sequence[DemoUser] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._pin_attempted = False

        self.prompt = styled_label(self.tr("Scan your badge"), "prompt")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignLeft)
        hint = styled_label(
            self.tr("No badge? Choose your name, type your PIN and press Enter."), "hint"
        )
        hint.setWordWrap(True)

        self.badge_field = QLineEdit()
        self.badge_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.badge_field.setPlaceholderText(self.tr("Badge: scan it now"))
        self.badge_field.setAccessibleName(self.tr("Badge"))
        self.badge_field.setProperty("role", "big")
        self.badge_field.returnPressed.connect(self._on_badge_entered)

        self.message = MessageBand()

        self.user_list = NameList()
        self.user_list.setAccessibleName(self.tr("Your name"))
        self.user_list.setMinimumHeight(150)
        self.user_list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.user_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.user_list.itemActivated.connect(self._on_user_chosen)
        self.user_list.itemDoubleClicked.connect(self._on_user_chosen)

        self.pin_field = QLineEdit()
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_field.setPlaceholderText(self.tr("PIN"))
        self.pin_field.setAccessibleName(self.tr("PIN"))
        self.pin_field.setProperty("role", "big")
        self.pin_field.setMaxLength(12)
        self.pin_field.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\d{0,12}"), self.pin_field)
        )
        self.pin_field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.pin_field.returnPressed.connect(self._on_pin_entered)

        self.sign_in_button = QPushButton(self.tr("Sign in"))
        self.sign_in_button.setAutoDefault(True)
        self.sign_in_button.clicked.connect(self._on_pin_entered)

        pin_column = QVBoxLayout()
        pin_column.setSpacing(12)
        pin_column.addWidget(self.pin_field)
        pin_column.addWidget(self.sign_in_button)
        pin_column.addWidget(styled_label(self.tr("Esc: back to the badge field"), "hint"))
        pin_column.addStretch(1)

        choose = QGridLayout()
        choose.addWidget(styled_label(self.tr("Your name"), "section"), 0, 0)
        choose.addWidget(styled_label(self.tr("PIN"), "section"), 0, 1)
        choose.addWidget(self.user_list, 1, 0, Qt.AlignmentFlag.AlignTop)
        choose.addLayout(pin_column, 1, 1)
        choose.setColumnStretch(0, 3)
        choose.setColumnStretch(1, 2)
        choose.setHorizontalSpacing(24)
        choose.setVerticalSpacing(8)

        column = QVBoxLayout()
        column.setSpacing(10)
        column.addWidget(self.prompt)
        column.addWidget(self.badge_field)
        column.addWidget(hint)
        column.addWidget(self.message)
        column.addSpacing(6)
        column.addLayout(choose)

        self.demo_table: QTableWidget | None = None
        if demo_users:
            self.demo_table = self._demo_table(demo_users)
            column.addWidget(
                styled_label(
                    self.tr("Demo users: demo data only, these badges and PINs are public"),
                    "section",
                )
            )
            column.addWidget(self.demo_table)
        column.addStretch(1)

        # A scroll area, so that a small screen scrolls instead of squeezing the fields.
        panel = QWidget()
        panel.setLayout(column)
        panel.setMaximumWidth(1200)  # a reading column, not the whole width of a wide screen
        content = QWidget()
        centred = QHBoxLayout(content)
        centred.setContentsMargins(32, 16, 32, 12)
        centred.addStretch(1)
        centred.addWidget(panel, 8)
        centred.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        QWidget.setTabOrder(self.badge_field, self.user_list)
        QWidget.setTabOrder(self.user_list, self.pin_field)
        QWidget.setTabOrder(self.pin_field, self.sign_in_button)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self._back_to_badge)

        controller.users_listed.connect(self.on_users_listed)
        controller.login_refused.connect(self.on_login_refused)
        controller.signed_in.connect(self.on_signed_in)

    def reset(self) -> None:
        """Ready for the next person: fields empty, no message, names fresh, badge focused."""
        self.badge_field.clear()
        self.pin_field.clear()
        self.message.clear_message()
        self._controller.list_users()
        self.user_list.clearSelection()
        self.user_list.setCurrentRow(-1)
        self.badge_field.setFocus()

    def selected_user_id(self) -> int | None:
        item = self.user_list.currentItem()
        if item is None or not item.isSelected():
            return None
        user_id = item.data(Qt.ItemDataRole.UserRole)
        return int(user_id) if user_id is not None else None

    @Slot(list)
    def on_users_listed(self, users: list[UserSummary]) -> None:
        chosen = self.selected_user_id()
        now = datetime.now(UTC)
        self.user_list.clear()
        for user in users:
            text = f"{user.name}  ·  {QCoreApplication.translate('Role', user.role.label)}"
            if LockoutPolicy.is_locked(user.locked_until, now):
                text += "  ·  " + self.tr("locked out")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, user.id)
            item.setToolTip(text)
            self.user_list.addItem(item)
            if user.id == chosen:
                self.user_list.setCurrentItem(item)
        self.user_list.updateGeometry()

    @Slot(str)
    def on_login_refused(self, message: str) -> None:
        self.message.show_refused(message)
        self.pin_field.clear()
        self.badge_field.clear()
        if self._pin_attempted and self.selected_user_id() is not None:
            self.pin_field.setFocus()
        else:
            self.badge_field.setFocus()

    @Slot(Actor)
    def on_signed_in(self, _actor: Actor) -> None:
        self.pin_field.clear()
        self.badge_field.clear()
        self.message.clear_message()

    @Slot()
    def _on_badge_entered(self) -> None:
        self._pin_attempted = False
        badge = self.badge_field.text()
        self.badge_field.clear()
        self._controller.on_badge_scanned(badge)

    @Slot()
    def _on_pin_entered(self) -> None:
        self._pin_attempted = True
        self._controller.sign_in_with_pin(self.selected_user_id(), self.pin_field.text())

    @Slot(QListWidgetItem)
    def _on_user_chosen(self, item: QListWidgetItem) -> None:
        item.setSelected(True)
        self.pin_field.setFocus()

    @Slot()
    def _back_to_badge(self) -> None:
        self.pin_field.clear()
        self.message.clear_message()
        self.badge_field.setFocus()

    def _demo_table(self, demo_users: Sequence[DemoUser]) -> QTableWidget:
        table = QTableWidget(len(demo_users), 4)
        table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Role"), self.tr("Badge"), self.tr("PIN")]
        )
        for row, values in enumerate(demo_users):
            for column, value in enumerate(values):
                table.setItem(row, column, QTableWidgetItem(value))
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # reading matter, not a stop on the Tab path
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + 6)
        table.ensurePolished()
        height = header.sizeHint().height() + 2 * table.frameWidth()
        height += rows.defaultSectionSize() * min(table.rowCount(), 8)
        table.setFixedHeight(height)
        table.setAccessibleName(self.tr("Demo users"))
        return table
