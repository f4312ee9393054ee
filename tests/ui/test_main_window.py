"""The signed-in desk: exactly the role's workspaces, each reachable by click and F-key."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from app.domain.users import Role, Workspace
from ui.main_window import MainWindow
from ui.workspaces.base import NotAvailablePage

if TYPE_CHECKING:
    from conftest import Keyboard

W = Workspace
# Written out, not derived from the code under test: this is what each role must see.
EXPECTED = {
    Role.PICKER: [W.PICK],
    Role.PACKER: [W.PICK, W.PACK],
    Role.RETURNS: [W.RETURNS],
    Role.SUPERVISOR: [
        W.PICK,
        W.PACK,
        W.RETURNS,
        W.ORDERS,
        W.INVOICES,
        W.SYNC,
        W.DEVICES,
        W.USERS,
        W.REPORTS,
        W.STOCK,
    ],
    Role.ADMIN: [
        W.PICK,
        W.PACK,
        W.RETURNS,
        W.ORDERS,
        W.INVOICES,
        W.SYNC,
        W.DEVICES,
        W.USERS,
        W.REPORTS,
        W.STOCK,
    ],
}
HOME = {
    Role.PICKER: W.PICK,
    Role.PACKER: W.PACK,
    Role.RETURNS: W.RETURNS,
    Role.SUPERVISOR: W.ORDERS,
    Role.ADMIN: W.ORDERS,
}
NOT_YET: set[W] = set()


@pytest.mark.parametrize("role", list(Role))
def test_the_navigation_shows_exactly_the_roles_workspaces_in_order(
    window: MainWindow, keyboard: Keyboard, role: Role
) -> None:
    keyboard.sign_in(window, role)

    desk = window.desk
    assert desk is not None
    assert list(desk.nav_buttons) == EXPECTED[role]
    texts = [button.text() for button in desk.nav_buttons.values()]
    # Ctrl+1 ... Ctrl+9, then Ctrl+0 for the tenth
    assert texts == [f"{w.value}   Ctrl+{n % 10}" for n, w in enumerate(EXPECTED[role], start=1)]
    assert all(button.isVisible() for button in desk.nav_buttons.values())
    assert desk.current_workspace is HOME[role]  # each role lands on its own job


@pytest.mark.parametrize("role", list(Role))
def test_each_workspace_opens_with_its_ctrl_number_key(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, role: Role
) -> None:
    keyboard.sign_in(window, role)
    desk = window.desk
    assert desk is not None
    for number, workspace in reversed(list(enumerate(EXPECTED[role], start=1))):
        combination = QKeySequence(f"Ctrl+{number % 10}")[0]
        qtbot.keyClick(
            window.focusWidget() or window, combination.key(), combination.keyboardModifiers()
        )

        page = desk.current_page
        assert desk.current_workspace is workspace
        assert page is not None and page.workspace is workspace and page.isVisible()
        assert desk.title.text() == workspace.value
        assert desk.nav_buttons[workspace].isChecked()


@pytest.mark.parametrize("role", list(Role))
def test_each_workspace_opens_with_a_click_and_shows_its_page(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, role: Role
) -> None:
    keyboard.sign_in(window, role)
    desk = window.desk
    assert desk is not None
    for workspace in EXPECTED[role]:
        qtbot.mouseClick(desk.nav_buttons[workspace], Qt.MouseButton.LeftButton)

        page = desk.current_page
        assert page is not None and page.workspace is workspace and page.isVisible()
        if workspace in NOT_YET:
            assert isinstance(page, NotAvailablePage)
            assert page.subject.text() == "Not available yet in this version"
            assert page.purpose.text().startswith("Here you will")
            assert page.findChildren(QAbstractButton) == []  # nothing fake to press
        else:
            assert not isinstance(page, NotAvailablePage)


def test_a_key_beyond_the_roles_workspaces_does_nothing(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot
) -> None:
    keyboard.sign_in(window, Role.PACKER)
    control = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_2, control)
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_8, control)

    assert window.desk is not None and window.desk.current_workspace is W.PACK
    assert W.USERS not in window.desk.pages


def test_sign_out_with_ctrl_l_returns_to_the_login_screen(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot
) -> None:
    keyboard.sign_in(window, Role.SUPERVISOR)
    assert window.desk is not None

    qtbot.keyClick(
        window.focusWidget() or window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
    )

    assert window.actor is None and window.desk is None
    assert window.screens.currentWidget() is window.login_screen
    assert window.login_screen.badge_field.hasFocus()
    assert window.status.user_indicator.text() == "nobody signed in"


def test_sign_out_button_returns_to_the_login_screen_and_f_keys_stop_working(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot
) -> None:
    keyboard.sign_in(window, Role.ADMIN)
    assert window.desk is not None
    qtbot.mouseClick(window.desk.sign_out_button, Qt.MouseButton.LeftButton)

    assert window.screens.currentWidget() is window.login_screen
    qtbot.keyClick(window.login_screen.badge_field, Qt.Key.Key_F4)
    assert window.screens.currentWidget() is window.login_screen
    assert window.actor is None


def test_the_next_person_gets_their_own_desk(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot
) -> None:
    keyboard.sign_in(window, Role.ADMIN)
    window.sign_out()
    keyboard.sign_in(window, Role.PICKER)

    assert window.desk is not None
    assert list(window.desk.nav_buttons) == [W.PICK]
    assert window.desk.who.text().endswith("(Picker)")
