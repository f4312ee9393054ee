"""The Users workspace: the people who sign in here, their rights, and the audit trail.

Three tabs. People: who may sign in, who is locked out; unlocking, new PINs (a supervisor's
job), adding users, changing role and badge, deactivating (an admin's), and one person's own
rights beyond their role's (whoever holds ``grant_rights``, for rights they hold). Rights per
role: what each role may do at this site (an admin changes it). Audit trail: the entries of
this station's database, filtered by user, station, action and order.

The page only shows and asks: each service checks the right itself.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QItemSelection,
    QObject,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import Station
from app.domain.errors import DomainError
from app.domain.users import (
    ACTION_RIGHTS,
    DOING,
    PIN_LENGTHS,
    Actor,
    LockoutPolicy,
    Permission,
    Role,
    RoleRights,
    Workspace,
)
from app.services import auth
from app.services.audit import AuditFilter, AuditRow, find_events
from app.services.auth import UserSummary
from app.sync.engine import SyncReport
from ui.tables import ModelIndex, RowsModel, read_only_table, toned
from ui.theme import MUTED_INK, Tone
from ui.widgets import MessageBand
from ui.workspaces.base import PageContext, WorkspacePage


def _role(role: Role) -> str:
    """A role's name on screen, through the translation (context "Role")."""
    return QCoreApplication.translate("Role", role.label)


def _doing(right: Permission) -> str:
    """What a right lets one do, on screen, through the translation (context "Right")."""
    return QCoreApplication.translate("Right", DOING[right])


# The roles' names and what each right lets one do, as lupdate should find them (the domain
# keeps them in English: Role.label and app.domain.users.DOING).
_WORDS = (
    QT_TRANSLATE_NOOP("Right", "pick orders"),
    QT_TRANSLATE_NOOP("Right", "build pick lists and re-allocate short picks"),
    QT_TRANSLATE_NOOP("Right", "pack orders"),
    QT_TRANSLATE_NOOP("Right", "ship part of an order"),
    QT_TRANSLATE_NOOP("Right", "receive returns"),
    QT_TRANSLATE_NOOP("Right", "accept a return after its return window"),
    QT_TRANSLATE_NOOP("Right", "look at orders"),
    QT_TRANSLATE_NOOP("Right", "change orders"),
    QT_TRANSLATE_NOOP("Right", "hold or release orders"),
    QT_TRANSLATE_NOOP("Right", "void orders"),
    QT_TRANSLATE_NOOP("Right", "move an order to another warehouse"),
    QT_TRANSLATE_NOOP("Right", "issue invoices"),
    QT_TRANSLATE_NOOP("Right", "resolve sync problems"),
    QT_TRANSLATE_NOOP("Right", "set up devices"),
    QT_TRANSLATE_NOOP("Right", "change this station's settings"),
    QT_TRANSLATE_NOOP("Right", "add users, change their roles or deactivate them"),
    QT_TRANSLATE_NOOP("Right", "unlock users"),
    QT_TRANSLATE_NOOP("Right", "set a new PIN for a user"),
    QT_TRANSLATE_NOOP("Right", "reprint labels of another packer's shipment"),
    QT_TRANSLATE_NOOP("Right", "force a pack: close a parcel whose weight is out of range"),
    QT_TRANSLATE_NOOP("Right", "grant or withdraw rights"),
    QT_TRANSLATE_NOOP("Right", "read the audit trail"),
    QT_TRANSLATE_NOOP("Right", "see the floor reports"),
    QT_TRANSLATE_NOOP("Right", "move stock between warehouses"),
    QT_TRANSLATE_NOOP("Role", "Picker"),
    QT_TRANSLATE_NOOP("Role", "Packer"),
    QT_TRANSLATE_NOOP("Role", "Returns clerk"),
    QT_TRANSLATE_NOOP("Role", "Supervisor"),
    QT_TRANSLATE_NOOP("Role", "Admin"),
)


def is_locked(user: UserSummary, now: datetime | None = None) -> bool:
    return LockoutPolicy.is_locked(user.locked_until, now or datetime.now(UTC))


class UsersController(QObject):
    """Lists the users and the site's role rights; each change is one service call.

    Signals:
        users_listed: every user, inactive ones too (``list[UserSummary]``).
        rights_listed: the rights of each role (``dict[Role, frozenset[Permission]]``).
        user_changed: what was done, in words ("Ana Novák can sign in again.").
        change_refused: why not, in words.
        audit_listed: the audit entries that match the filter (``list[AuditRow]``).
    """

    users_listed = Signal(list)
    rights_listed = Signal(dict)
    user_changed = Signal(str)
    change_refused = Signal(str)
    audit_listed = Signal(list)

    def __init__(self, station: Station, actor: Actor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self._actor = actor

    @property
    def actor(self) -> Actor:
        return self._actor

    @Slot()
    def load(self) -> None:
        uows = self._station.local
        self.users_listed.emit(auth.list_users(uows, include_inactive=True))
        self.rights_listed.emit(auth.site_role_rights(uows))

    def may_reset_pin(self, user: UserSummary) -> bool:
        """Whether the service would take a new PIN for ``user`` from this person."""
        mine = self._actor.permissions
        return Permission.RESET_PINS in mine and user.permissions <= mine

    def may_manage(self, user: UserSummary) -> bool:
        mine = self._actor.permissions
        return Permission.MANAGE_USERS in mine and user.permissions <= mine

    def may_grant(self, user: UserSummary, right: Permission) -> bool:
        mine = self._actor.permissions
        return Permission.GRANT_RIGHTS in mine and right in mine and user.permissions <= mine

    def _do(self, done: str, call: Any, *args: Any, **kwargs: Any) -> bool:
        try:
            call(self._station.local, self._actor, *args, **kwargs)
        except DomainError as error:
            self.change_refused.emit(error.message)
            self.load()
            return False
        self.user_changed.emit(done)
        self.load()
        return True

    def unlock(self, user: UserSummary) -> None:
        self._do(
            self.tr("{name} is unlocked and can sign in again.").format(name=user.name),
            auth.unlock_user,
            user.id,
        )

    def reset_pin(self, user: UserSummary, pin: str) -> bool:
        """Set ``pin`` for ``user``; True when done."""
        return self._do(
            self.tr("{name} has a new PIN and can sign in with it now.").format(name=user.name),
            auth.reset_pin,
            user.id,
            pin,
        )

    def add(self, name: str, role: Role, pin: str, badge: str) -> bool:
        try:
            auth.create_user(self._station.local, self._actor, name, role, pin, badge or None)
        except DomainError as error:
            self.change_refused.emit(error.message)
            return False
        self.user_changed.emit(
            self.tr("{name} is added as {role} and can sign in now.").format(
                name=name.strip(), role=_role(role)
            )
        )
        self.load()
        return True

    def set_role(self, user: UserSummary, role: Role) -> None:
        self._do(
            self.tr("{name} is now {role}; it holds from their next sign-in.").format(
                name=user.name, role=_role(role)
            ),
            auth.set_role,
            user.id,
            role,
        )

    def set_badge(self, user: UserSummary, badge: str) -> bool:
        words = (
            self.tr("{name}'s badge is registered.")
            if badge
            else self.tr("{name} has no badge any more.")
        )
        return self._do(words.format(name=user.name), auth.set_badge, user.id, badge or None)

    def set_active(self, user: UserSummary, active: bool) -> None:
        words = (
            self.tr("{name} can sign in again.")
            if active
            else self.tr("{name} is deactivated and can no longer sign in.")
        )
        self._do(words.format(name=user.name), auth.set_active, user.id, active)

    def set_user_right(self, user: UserSummary, right: Permission, granted: bool) -> None:
        words = (
            self.tr("{name} may now {doing}.")
            if granted
            else self.tr("{name} may no longer {doing} (unless their role may).")
        )
        self._do(
            words.format(name=user.name, doing=_doing(right)),
            auth.set_user_right,
            user.id,
            right,
            granted=granted,
        )

    def set_role_right(self, role: Role, right: Permission, granted: bool) -> None:
        words = (
            self.tr("Every {role} may now {doing}, from their next sign-in.")
            if granted
            else self.tr("No {role} may {doing} any more, from their next sign-in.")
        )
        self._do(
            words.format(role=_role(role), doing=_doing(right)),
            auth.set_role_right,
            role,
            right,
            granted=granted,
        )

    def find_audit(self, wanted: AuditFilter) -> None:
        try:
            rows = find_events(self._station.local, self._actor, wanted)
        except DomainError as error:
            self.change_refused.emit(error.message)
            return
        self.audit_listed.emit(rows)


class UsersTableModel(RowsModel[UserSummary]):
    COLUMNS = ("Name", "Role", "State", "Own rights")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._now = datetime.now(UTC)

    def set_users(self, users: list[UserSummary]) -> None:
        self._now = datetime.now(UTC)
        self.show_rows(users)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (
                self.tr("Name"),
                self.tr("Role"),
                self.tr("State"),
                self.tr("Own rights"),
            )[section]
        return None

    def state(self, user: UserSummary) -> tuple[str, Tone | None]:
        if not user.active:
            return self.tr("Inactive"), None
        if is_locked(user, self._now):
            assert user.locked_until is not None
            until = user.locked_until.astimezone().strftime("%H:%M")
            return self.tr("LOCKED OUT until {time}").format(time=until), Tone.REFUSED
        return self.tr("Active"), None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        user, column = self._rows[index.row()], index.column()
        text, tone = self.state(user)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            own = ", ".join(sorted(g.value for g in user.grants)) or "—"
            return (user.name, _role(user.role), text, own)[column]
        if column == 2 and tone is not None:
            return toned(tone, role)
        if role == Qt.ItemDataRole.ForegroundRole and not user.active:
            return QColor(MUTED_INK)
        return None


class AuditTableModel(RowsModel[AuditRow]):
    COLUMNS = ("When", "Station", "User", "Action", "About", "Detail")

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (
                self.tr("When"),
                self.tr("Station"),
                self.tr("User"),
                self.tr("Action"),
                self.tr("About"),
                self.tr("Detail"),
            )[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (
                row.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                row.station,
                row.user or "—",
                row.action,
                row.subject,
                row.detail,
            )[index.column()]
        return None


class PeopleTab(QWidget):
    """The users table beside the editor of the selected user, and adding a new one."""

    def __init__(self, controller: UsersController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        actor = controller.actor
        self.model = UsersTableModel(self)
        self.table = read_only_table(self.model, self.tr("Users"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setHighlightSections(False)

        # --- the selected user ----------------------------------------------------------
        self.editor = QGroupBox(self.tr("Selected user"))
        form = QFormLayout(self.editor)
        self.unlock_button = QPushButton(self.tr("&Unlock selected user"))
        self.unlock_button.setEnabled(False)
        self.active_button = QPushButton(self.tr("&Deactivate"))
        state_row = QHBoxLayout()
        state_row.addWidget(self.unlock_button)
        state_row.addWidget(self.active_button)
        state_row.addStretch(1)
        form.addRow(state_row)

        self.role_box = QComboBox()
        self.role_box.setAccessibleName(self.tr("Role of the selected user"))
        for role in Role:
            self.role_box.addItem(_role(role), role)
        self.role_button = QPushButton(self.tr("Change &role"))
        role_row = QHBoxLayout()
        role_row.addWidget(self.role_box, 1)
        role_row.addWidget(self.role_button)
        form.addRow(self.tr("Role:"), role_row)

        self.badge_field = QLineEdit()
        self.badge_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.badge_field.setPlaceholderText(self.tr("scan or type the badge"))
        self.badge_field.setAccessibleName(self.tr("New badge for the selected user"))
        self.badge_button = QPushButton(self.tr("Register &badge"))
        badge_row = QHBoxLayout()
        badge_row.addWidget(self.badge_field, 1)
        badge_row.addWidget(self.badge_button)
        form.addRow(self.tr("Badge:"), badge_row)

        self.pin_field = QLineEdit()
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_field.setMaxLength(PIN_LENGTHS.stop - 1)
        self.pin_field.setAccessibleName(self.tr("New PIN for the selected user"))
        self.pin_field.setMinimumWidth(160)
        self.reset_button = QPushButton(self.tr("&Set new PIN"))
        self.reset_button.setEnabled(False)
        self.pin_caption = QLabel(self.tr("&New PIN:"))
        self.pin_caption.setBuddy(self.pin_field)
        pin_row = QHBoxLayout()
        pin_row.addWidget(self.pin_field, 1)
        pin_row.addWidget(self.reset_button)
        form.addRow(self.pin_caption, pin_row)

        self.rights_box = QGroupBox(self.tr("Own rights, beyond the role's"))
        grid = QGridLayout(self.rights_box)
        self.right_checks: dict[Permission, QCheckBox] = {}
        for n, right in enumerate(ACTION_RIGHTS):
            check = QCheckBox(right.value)
            check.setToolTip(_doing(right))
            check.clicked.connect(lambda on, r=right: self._on_right_clicked(r, on))
            grid.addWidget(check, n // 2, n % 2)
            self.right_checks[right] = check

        # --- a new user -----------------------------------------------------------------
        self.adder = QGroupBox(self.tr("Add a user"))
        add_form = QFormLayout(self.adder)
        self.new_name = QLineEdit()
        self.new_name.setAccessibleName(self.tr("Name of the new user"))
        self.new_role = QComboBox()
        for role in Role:
            self.new_role.addItem(_role(role), role)
        self.new_pin = QLineEdit()
        self.new_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_pin.setMaxLength(PIN_LENGTHS.stop - 1)
        self.new_pin.setPlaceholderText(
            self.tr("{low} to {high} digits").format(
                low=PIN_LENGTHS.start, high=PIN_LENGTHS.stop - 1
            )
        )
        self.new_badge = QLineEdit()
        self.new_badge.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_badge.setPlaceholderText(self.tr("optional"))
        self.add_button = QPushButton(self.tr("&Add user"))
        add_form.addRow(self.tr("Name:"), self.new_name)
        add_form.addRow(self.tr("Role:"), self.new_role)
        add_form.addRow(self.tr("PIN:"), self.new_pin)
        add_form.addRow(self.tr("Badge:"), self.new_badge)
        add_form.addRow(self.add_button)

        # The editor scrolls on a small screen rather than squeezing its parts to nothing.
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 8, 0)
        side_layout.addWidget(self.editor)
        side_layout.addWidget(self.rights_box)
        side_layout.addWidget(self.adder)
        side_layout.addStretch(1)
        scroller = QScrollArea()
        scroller.setWidget(side)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setMinimumWidth(400)
        scroller.setMaximumWidth(560)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(scroller)

        manages = Permission.MANAGE_USERS in actor.permissions
        self.adder.setVisible(manages)
        for widget in (self.role_box, self.role_button, self.badge_field, self.badge_button):
            widget.setVisible(manages)
        form.labelForField(role_row).setVisible(manages)
        form.labelForField(badge_row).setVisible(manages)
        self.active_button.setVisible(manages)
        resets = Permission.RESET_PINS in actor.permissions
        for part in (self.pin_caption, self.pin_field, self.reset_button):
            part.setVisible(resets)
        self.rights_box.setVisible(Permission.GRANT_RIGHTS in actor.permissions)

        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.unlock_button.clicked.connect(self._on_unlock_clicked)
        self.active_button.clicked.connect(self._on_active_clicked)
        self.role_button.clicked.connect(self._on_role_clicked)
        self.badge_button.clicked.connect(self._on_badge_clicked)
        self.badge_field.returnPressed.connect(self._on_badge_clicked)
        self.pin_field.textChanged.connect(self._on_selection_changed)
        self.pin_field.returnPressed.connect(self._on_reset_clicked)
        self.reset_button.clicked.connect(self._on_reset_clicked)
        self.add_button.clicked.connect(self._on_add_clicked)
        self._on_selection_changed()

    def selected_user(self) -> UserSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def show_users(self, users: list[UserSummary]) -> None:
        chosen = self.selected_user()
        self.model.set_users(users)
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
        c = self.controller
        if user is None:
            self.editor.setTitle(self.tr("Selected user"))
        elif user.has_badge:
            self.editor.setTitle(self.tr("{name} (badge registered)").format(name=user.name))
        else:
            self.editor.setTitle(self.tr("{name} (no badge)").format(name=user.name))
        self.unlock_button.setEnabled(user is not None and user.active and is_locked(user))
        manages = user is not None and c.may_manage(user) and user.id != c.actor.user_id
        self.active_button.setEnabled(manages)
        self.active_button.setText(
            self.tr("&Deactivate") if user is None or user.active else self.tr("Re&activate")
        )
        self.role_box.setEnabled(manages)
        self.role_button.setEnabled(manages)
        if user is not None:
            self.role_box.setCurrentIndex(list(Role).index(user.role))
        badge_ok = user is not None and c.may_manage(user)
        self.badge_field.setEnabled(badge_ok)
        self.badge_button.setEnabled(badge_ok)
        may_reset = user is not None and user.active and c.may_reset_pin(user)
        if not may_reset and self.pin_field.text():
            self.pin_field.clear()  # a PIN typed for someone else stays with no one
        self.pin_field.setEnabled(may_reset)
        self.reset_button.setEnabled(may_reset and bool(self.pin_field.text()))
        if user is not None and not may_reset and user.active:
            self.pin_field.setPlaceholderText(self.tr("not for this user"))
            self.pin_field.setToolTip(
                self.tr(
                    "{name} may do more than you: only someone with all their rights "
                    "sets their PIN."
                ).format(name=user.name)
            )
        else:
            self.pin_field.setPlaceholderText(
                self.tr("{low} to {high} digits").format(
                    low=PIN_LENGTHS.start, high=PIN_LENGTHS.stop - 1
                )
            )
            self.pin_field.setToolTip("")
        for right, check in self.right_checks.items():
            from_role = user is not None and right in user.permissions - user.grants
            check.setChecked(user is not None and right in user.permissions)
            check.setEnabled(user is not None and not from_role and c.may_grant(user, right))
            check.setToolTip(
                self.tr("{doing} (from the role)").format(doing=_doing(right))
                if from_role
                else _doing(right)
            )

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

    @Slot()
    def _on_active_clicked(self) -> None:
        user = self.selected_user()
        if user is not None:
            self.controller.set_active(user, not user.active)

    @Slot()
    def _on_role_clicked(self) -> None:
        user = self.selected_user()
        if user is not None:
            self.controller.set_role(user, Role(self.role_box.currentData()))

    @Slot()
    def _on_badge_clicked(self) -> None:
        user = self.selected_user()
        if user is not None and self.controller.set_badge(user, self.badge_field.text().strip()):
            self.badge_field.clear()

    def _on_right_clicked(self, right: Permission, on: bool) -> None:
        user = self.selected_user()
        if user is not None:
            self.controller.set_user_right(user, right, on)

    @Slot()
    def _on_add_clicked(self) -> None:
        added = self.controller.add(
            self.new_name.text(),
            Role(self.new_role.currentData()),
            self.new_pin.text(),
            self.new_badge.text().strip(),
        )
        if added:
            for field in (self.new_name, self.new_pin, self.new_badge):
                field.clear()


class RightsTab(QWidget):
    """What each role may do at this site: one row per right, one column per role."""

    def __init__(self, controller: UsersController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.grid = QTableWidget(len(Permission), len(Role))
        self.grid.setAccessibleName(self.tr("Rights per role"))
        self.grid.setHorizontalHeaderLabels([_role(r) for r in Role])
        self.grid.setVerticalHeaderLabels([_doing(p) for p in Permission])
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.grid.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.grid.setAlternatingRowColors(True)
        self._filling = False
        self.editable = Permission.MANAGE_USERS in controller.actor.permissions
        note = QLabel(
            self.tr(
                "Tick a box to let everyone of that role do it; it holds from their next "
                "sign-in. The admin role keeps every right. Rights of single actions: {names}."
            ).format(names=", ".join(r.value for r in ACTION_RIGHTS))
            if self.editable
            else self.tr("Only an admin changes what a role may do.")
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(note)
        layout.addWidget(self.grid, 1)
        self.grid.itemChanged.connect(self._on_item_changed)

    def show_rights(self, rights: RoleRights) -> None:
        self._filling = True
        mine = self.controller.actor.permissions
        for row, right in enumerate(Permission):
            for column, role in enumerate(Role):
                item = QTableWidgetItem()
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                if not self.editable or role is Role.ADMIN or right not in mine:
                    flags = Qt.ItemFlag.ItemIsUserCheckable  # shown, not changeable
                item.setFlags(flags)
                checked = right in rights[role]
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                item.setData(Qt.ItemDataRole.UserRole, (role.value, right.value))
                item.setToolTip(f"{_role(role)}: {right.value}")
                self.grid.setItem(row, column, item)
        self._filling = False

    def item_for(self, role: Role, right: Permission) -> QTableWidgetItem:
        item = self.grid.item(list(Permission).index(right), list(Role).index(role))
        assert item is not None
        return item

    @Slot(QTableWidgetItem)
    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        role, right = item.data(Qt.ItemDataRole.UserRole)
        granted = item.checkState() == Qt.CheckState.Checked
        self.controller.set_role_right(Role(role), Permission(right), granted)


class AuditTab(QWidget):
    """The audit viewer: the newest entries first, filtered by user, station, action, order."""

    def __init__(self, controller: UsersController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.model = AuditTableModel(self)
        self.table = read_only_table(self.model, self.tr("Audit trail"))
        header = self.table.horizontalHeader()
        for column in range(5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.user_filter = QLineEdit()
        self.station_filter = QLineEdit()
        self.action_filter = QLineEdit()
        self.order_filter = QLineEdit()
        self.user_filter.setPlaceholderText(self.tr("name contains"))
        self.station_filter.setPlaceholderText(self.tr("e.g. ST-01"))
        self.action_filter.setPlaceholderText(self.tr("e.g. pack. or user.created"))
        self.order_filter.setPlaceholderText(self.tr("order number"))
        self.filter_button = QPushButton(self.tr("&Filter"))
        row = QHBoxLayout()
        for caption, field in (
            (self.tr("User:"), self.user_filter),
            (self.tr("Station:"), self.station_filter),
            (self.tr("Action:"), self.action_filter),
            (self.tr("Order:"), self.order_filter),
        ):
            label = QLabel(caption)
            label.setBuddy(field)
            row.addWidget(label)
            row.addWidget(field, 1)
            field.returnPressed.connect(self.apply)
        row.addWidget(self.filter_button)
        self.count = QLabel("")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self.filter_button.clicked.connect(self.apply)

    @Slot()
    def apply(self) -> None:
        self.controller.find_audit(
            AuditFilter(
                self.user_filter.text(),
                self.station_filter.text(),
                self.action_filter.text(),
                self.order_filter.text(),
            )
        )

    def show_entries(self, rows: list[AuditRow]) -> None:
        self.model.show_rows(rows)
        self.count.setText(self.tr("{n} entries, newest first").format(n=len(rows)))


class UsersPage(WorkspacePage):
    """People, rights per role, and the audit trail, each on its own tab."""

    def __init__(self, station: Station, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(Workspace.USERS, parent)
        self.controller = UsersController(station, actor, self)
        self.message = MessageBand()
        self.people = PeopleTab(self.controller)
        self.rights = RightsTab(self.controller)
        self.audit = AuditTab(self.controller)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.people, self.tr("People"))
        self.tabs.addTab(self.rights, self.tr("Rights per role"))
        if Permission.VIEW_AUDIT in actor.permissions:
            self.tabs.addTab(self.audit, self.tr("Audit trail"))
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.body.addWidget(self.message)
        self.body.addWidget(self.tabs, 1)
        self.setFocusProxy(self.people.table)

        # The people tab's parts, as the page offered them before it had tabs.
        self.model = self.people.model
        self.table = self.people.table
        self.unlock_button = self.people.unlock_button
        self.pin_field = self.people.pin_field
        self.reset_button = self.people.reset_button

        self.controller.users_listed.connect(self.on_users_listed)
        self.controller.rights_listed.connect(self.rights.show_rights)
        self.controller.audit_listed.connect(self.audit.show_entries)
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
        return self.people.selected_user()

    @Slot(int)
    def _on_tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.audit:
            self.audit.apply()

    @Slot(list)
    def on_users_listed(self, users: list[UserSummary]) -> None:
        self.people.show_users(users)
        locked = sum(1 for u in users if u.active and is_locked(u))
        inactive = sum(1 for u in users if not u.active)
        parts = [
            self.tr("1 user") if len(users) == 1 else self.tr("{n} users").format(n=len(users))
        ]
        if locked:
            parts.append(self.tr("{n} locked out").format(n=locked))
        if inactive:
            parts.append(self.tr("{n} inactive").format(n=inactive))
        self.subject.setText("  ·  ".join(parts))


def create_page(context: PageContext) -> WorkspacePage:
    return UsersPage(context.station, context.actor)
