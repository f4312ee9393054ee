"""The Users workspace: everyone, who is locked out, unlocking them and new PINs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.bootstrap import Station
from app.domain.errors import LoginFailed
from app.domain.users import LockoutPolicy, Role, Workspace
from app.services.auth import login_with_pin
from ui.main_window import MainWindow
from ui.theme import Tone
from ui.workspaces.users import UsersPage

if TYPE_CHECKING:
    from conftest import Keyboard, Person


@pytest.fixture
def locked_packer(station: Station, user_ids: dict[Role, int]) -> int:
    """The packer, locked out by wrong PINs typed through the real service."""
    policy = station.lockout
    for _ in range(policy.attempts):
        with pytest.raises(LoginFailed):
            login_with_pin(station.local, "ST-01", user_ids[Role.PACKER], "0000", policy)
    return user_ids[Role.PACKER]


def open_users(window: MainWindow, keyboard: Keyboard) -> UsersPage:
    keyboard.sign_in(window, Role.ADMIN)
    assert window.desk is not None
    window.desk.open_workspace(Workspace.USERS)
    page = window.desk.current_page
    assert isinstance(page, UsersPage)
    return page


def test_the_users_table_lists_everyone_with_role_and_state(
    window: MainWindow, keyboard: Keyboard, people: dict[Role, Person], locked_packer: int
) -> None:
    page = open_users(window, keyboard)
    model = page.model
    rows = {
        model.data(model.index(r, 0)): (
            model.data(model.index(r, 1)),
            model.data(model.index(r, 2)),
        )
        for r in range(model.rowCount())
    }
    assert set(rows) == {p.name for p in people.values()}
    role, state = rows[people[Role.PACKER].name]
    assert role == "Packer" and state.startswith("LOCKED OUT until ")
    assert rows[people[Role.PICKER].name] == ("Picker", "Active")
    assert page.subject.text() == "5 users  ·  1 locked out"


def test_unlock_frees_the_selected_locked_user(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, station: Station,
    people: dict[Role, Person], locked_packer: int,
) -> None:  # fmt: skip
    page = open_users(window, keyboard)
    selected = page.selected_user()
    assert selected is not None and selected.id == locked_packer  # chosen for you
    assert page.unlock_button.isEnabled()

    qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)

    assert page.message.tone is Tone.DONE
    assert page.message.text() == f"{people[Role.PACKER].name} is unlocked and can sign in again."
    assert not page.unlock_button.isEnabled()
    assert page.subject.text() == "5 users"
    actor = login_with_pin(station.local, "ST-01", locked_packer, people[Role.PACKER].pin,
                           LockoutPolicy())  # fmt: skip
    assert actor.role is Role.PACKER


def test_unlock_is_not_offered_for_a_user_who_is_not_locked(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot
) -> None:
    page = open_users(window, keyboard)
    page.table.selectRow(0)
    assert not page.unlock_button.isEnabled()


def test_unlock_with_the_keyboard(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, locked_packer: int
) -> None:
    page = open_users(window, keyboard)
    assert page.table.hasFocus()
    with qtbot.waitSignal(page.controller.user_changed):  # a mnemonic animates the click
        qtbot.keyClick(page.table, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    assert page.message.tone is Tone.DONE


def test_a_supervisor_unlocks_a_user_and_sets_a_new_pin_in_the_users_workspace(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, station: Station,
    people: dict[Role, Person], user_ids: dict[Role, int], locked_packer: int,
) -> None:  # fmt: skip
    keyboard.sign_in(window, Role.SUPERVISOR)
    assert window.desk is not None
    assert Workspace.USERS in window.actor.workspaces if window.actor else False
    window.desk.open_workspace(Workspace.USERS)
    page = window.desk.current_page
    assert isinstance(page, UsersPage)
    packer = people[Role.PACKER]

    qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    assert page.message.text() == f"{packer.name} is unlocked and can sign in again."

    # The packer forgot the PIN too: the supervisor sets a new one.
    selected = page.selected_user()
    assert selected is not None and selected.id == locked_packer
    keyboard.type_into(page.pin_field, "7305")
    qtbot.mouseClick(page.reset_button, Qt.MouseButton.LeftButton)
    assert page.message.tone is Tone.DONE, page.message.text()
    assert page.message.text() == f"{packer.name} has a new PIN and can sign in with it now."
    assert page.pin_field.text() == ""
    actor = login_with_pin(station.local, "ST-01", locked_packer, "7305", LockoutPolicy())
    assert actor.role is Role.PACKER

    # Not for the admin: that would make the supervisor an admin.
    admin_row = next(
        row for row in range(page.model.rowCount())
        if page.model.row_at(row).id == user_ids[Role.ADMIN]
    )  # fmt: skip
    page.table.selectRow(admin_row)
    keyboard.type_into(page.pin_field, "7305")
    assert not page.reset_button.isEnabled()
