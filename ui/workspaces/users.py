"""The Users workspace: who may sign in here, who is locked out, unlocking them, new PINs.

It opens for supervisors and admins. A supervisor unlocks a user and sets a new PIN for
someone who forgot theirs (never for a user with rights the supervisor lacks, an admin);
adding users is the admin's, and comes to this page in a later version.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QItemSelection,
    QObject,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.bootstrap import Station
from app.domain.errors import DomainError
from app.domain.users import PIN_LENGTHS, Actor, LockoutPolicy, Permission, Workspace
from app.domain.wording import count
from app.services.auth import UserSummary, list_users, reset_pin, unlock_user
from app.sync.engine import SyncReport
from ui.tables import ModelIndex, RowsModel, read_only_table
from ui.theme import MUTED_INK, Tone, tint, tint_ink
from ui.widgets import MessageBand
from ui.workspaces.base import PageContext, WorkspacePage


def is_locked(user: UserSummary, now: datetime | None = None) -> bool:
    return LockoutPolicy.is_locked(user.locked_until, now or datetime.now(UTC))


class UsersController(QObject):
    """Lists the users, unlocks one, sets a new PIN for one.

    Signals:
        users_listed: every user, inactive ones too (``list[UserSummary]``).
        user_changed: what was done, in words ("Ana Novák can sign in again.").
        change_refused: why not, in words.
    """

    users_listed = Signal(list)
    user_changed = Signal(str)
    change_refused = Signal(str)

    def __init__(self, station: Station, actor: Actor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self._actor = actor

    @Slot()
    def load(self) -> None:
        self.users_listed.emit(list_users(self._station.local, include_inactive=True))

    def may_reset_pin(self, user: UserSummary) -> bool:
        """Whether the service would take a new PIN for ``user`` from this person."""
        mine = self._actor.permissions
        return Permission.RESET_PINS in mine and user.permissions <= mine

    def unlock(self, user: UserSummary) -> None:
        try:
            unlock_user(self._station.local, self._actor, user.id)
        except DomainError as error:
            self.change_refused.emit(error.message)
        else:
            self.user_changed.emit(f"{user.name} is unlocked and can sign in again.")
        self.load()

    def reset_pin(self, user: UserSummary, pin: str) -> bool:
        """Set ``pin`` for ``user``; True when done."""
        try:
            reset_pin(self._station.local, self._actor, user.id, pin)
        except DomainError as error:
            self.change_refused.emit(error.message)
            return False
        self.user_changed.emit(f"{user.name} has a new PIN and can sign in with it now.")
        self.load()
        return True


class UsersTableModel(RowsModel[UserSummary]):
    COLUMNS = ("Name", "Role", "State")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._now = datetime.now(UTC)
        self._bold = QFont()
        self._bold.setBold(True)

    def set_users(self, users: list[UserSummary]) -> None:
        self._now = datetime.now(UTC)
        self.show_rows(users)

    def state(self, user: UserSummary) -> tuple[str, Tone | None]:
        if not user.active:
            return "Inactive", None
        if is_locked(user, self._now):
            assert user.locked_until is not None
            until = user.locked_until.astimezone().strftime("%H:%M")
            return f"LOCKED OUT until {until}", Tone.REFUSED
        return "Active", None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        user, column = self._rows[index.row()], index.column()
        text, tone = self.state(user)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (user.name, user.role.label, text)[column]
        if column == 2 and tone is not None:
            if role == Qt.ItemDataRole.BackgroundRole:
                return tint(tone)
            if role == Qt.ItemDataRole.ForegroundRole:
                return tint_ink(tone)
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and not user.active:
            return QColor(MUTED_INK)
        return None


class UsersPage(WorkspacePage):
    """The users table; Unlock for the selected locked-out user, and a new PIN for them."""

    def __init__(self, station: Station, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(Workspace.USERS, parent)
        self.controller = UsersController(station, actor, self)
        self.model = UsersTableModel(self)

        self.message = MessageBand()
        self.table = read_only_table(self.model, "Users")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setHighlightSections(False)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.unlock_button = QPushButton("&Unlock selected user")
        self.unlock_button.setEnabled(False)
        self.unlock_button.clicked.connect(self._on_unlock_clicked)
        self.pin_field = QLineEdit()
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_field.setMaxLength(PIN_LENGTHS.stop - 1)
        self.pin_field.setPlaceholderText(f"{PIN_LENGTHS.start} to {PIN_LENGTHS.stop - 1} digits")
        self.pin_field.setAccessibleName("New PIN for the selected user")
        self.pin_field.setMinimumWidth(200)
        self.pin_field.textChanged.connect(self._on_selection_changed)
        self.pin_field.returnPressed.connect(self._on_reset_clicked)
        pin_caption = QLabel("&New PIN:")
        pin_caption.setBuddy(self.pin_field)
        self.reset_button = QPushButton("&Set new PIN")
        self.reset_button.setEnabled(False)
        self.reset_button.clicked.connect(self._on_reset_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.unlock_button)
        buttons.addSpacing(24)
        buttons.addWidget(pin_caption)
        buttons.addWidget(self.pin_field)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        resets = Permission.RESET_PINS in actor.permissions
        for widget in (pin_caption, self.pin_field, self.reset_button):
            widget.setVisible(resets)

        self.body.addWidget(self.message)
        self.body.addWidget(self.table, 1)
        self.body.addLayout(buttons)
        self.setFocusProxy(self.table)

        self.controller.users_listed.connect(self.on_users_listed)
        self.controller.user_changed.connect(self.message.show_done)
        self.controller.change_refused.connect(self.message.show_refused)

    def activate(self) -> None:
        self.controller.load()

    def on_synced(self, report: SyncReport) -> None:
        # Whatever this round pulled (`packbench sync` may have pulled beside the app): a
        # user added, deactivated or given a new PIN elsewhere (which unlocks them here).
        # A site has dozens of users: read them all again; a hidden page reads on activate.
        if self.isVisible():
            self.controller.load()

    def selected_user(self) -> UserSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    @Slot(list)
    def on_users_listed(self, users: list[UserSummary]) -> None:
        chosen = self.selected_user()
        self.model.set_users(users)
        locked = sum(1 for u in users if u.active and is_locked(u))
        inactive = sum(1 for u in users if not u.active)
        parts = [count(len(users), "user")]
        if locked:
            parts.append(f"{locked} locked out")
        if inactive:
            parts.append(f"{inactive} inactive")
        self.subject.setText("  ·  ".join(parts))
        # Keep the choice across a reload; else start on the first locked-out user, the usual
        # reason to come here.
        wanted = chosen.id if chosen is not None else None
        if wanted is None:
            wanted = next((u.id for u in users if u.active and is_locked(u)), None)
        rows = [row for row, user in enumerate(users) if user.id == wanted] or [0]
        if users:
            self.table.selectRow(rows[0])
        self._on_selection_changed()

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, *_: object) -> None:
        user = self.selected_user()
        self.unlock_button.setEnabled(user is not None and user.active and is_locked(user))
        may_reset = user is not None and user.active and self.controller.may_reset_pin(user)
        if not may_reset and self.pin_field.text():
            self.pin_field.clear()  # a PIN typed for someone else stays with no one
        self.pin_field.setEnabled(may_reset)
        self.reset_button.setEnabled(may_reset and bool(self.pin_field.text()))
        if user is not None and not may_reset and user.active:
            self.pin_field.setPlaceholderText("not for this user")
            self.pin_field.setToolTip(
                f"{user.name} may do more than you: only someone with all their rights "
                "sets their PIN."
            )
        else:
            self.pin_field.setPlaceholderText(
                f"{PIN_LENGTHS.start} to {PIN_LENGTHS.stop - 1} digits"
            )
            self.pin_field.setToolTip("")

    @Slot()
    def _on_unlock_clicked(self) -> None:
        user = self.selected_user()
        if user is not None and is_locked(user):
            self.controller.unlock(user)

    @Slot()
    def _on_reset_clicked(self) -> None:
        user = self.selected_user()
        if user is None or not self.reset_button.isEnabled():
            return
        if self.controller.reset_pin(user, self.pin_field.text()):
            self.pin_field.clear()


def create_page(context: PageContext) -> WorkspacePage:
    return UsersPage(context.station, context.actor)
