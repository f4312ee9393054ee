"""Signing in at the station: badge, name and PIN, refusals in words, lockout, demo users."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from app.bootstrap import Station
from app.domain.users import Role, Workspace
from ui.main_window import MainWindow
from ui.theme import Tone

if TYPE_CHECKING:
    from conftest import Keyboard, Person


def test_the_login_screen_shows_first_with_the_badge_field_focused(window: MainWindow) -> None:
    screen = window.login_screen
    assert window.screens.currentWidget() is screen
    assert screen.prompt.text() == "Scan your badge"
    assert screen.badge_field.hasFocus()
    assert screen.badge_field.echoMode() == QLineEdit.EchoMode.Password
    assert screen.pin_field.echoMode() == QLineEdit.EchoMode.Password
    assert window.windowTitle() == "Station ST-01 — Packbench"


def test_a_badge_scan_signs_in_and_opens_the_persons_own_workspace(
    window: MainWindow, keyboard: Keyboard, people: dict[Role, Person]
) -> None:
    keyboard.scan_badge(window, people[Role.PACKER].badge)

    assert window.actor is not None and window.actor.name == people[Role.PACKER].name
    assert window.desk is not None
    assert window.screens.currentWidget() is window.desk
    assert window.desk.current_workspace is Workspace.PACK  # a packer lands on Pack
    assert window.desk.title.text() == "Pack"
    assert window.status.user_indicator.text() == f"{people[Role.PACKER].name} (Packer)"
    assert window.login_screen.badge_field.text() == ""


def test_an_unknown_badge_is_refused_in_words_and_the_screen_stays(
    window: MainWindow, keyboard: Keyboard
) -> None:
    keyboard.scan_badge(window, "NOT-A-BADGE")

    band = window.login_screen.message
    assert window.actor is None
    assert window.screens.currentWidget() is window.login_screen
    assert band.isVisible() and band.tone is Tone.REFUSED
    assert "badge is not known" in band.text()
    assert window.login_screen.badge_field.hasFocus()


def test_name_and_pin_sign_in(
    window: MainWindow, keyboard: Keyboard, people: dict[Role, Person]
) -> None:
    person = people[Role.RETURNS]
    keyboard.choose_user(window, person.name)
    keyboard.type_pin(window, person.pin)

    assert window.actor is not None and window.actor.role is Role.RETURNS
    assert window.desk is not None and window.desk.current_workspace is Workspace.RETURNS


def test_a_wrong_pin_shows_the_message_and_stays_on_the_login_screen(
    window: MainWindow, keyboard: Keyboard, people: dict[Role, Person]
) -> None:
    person = people[Role.PICKER]
    keyboard.choose_user(window, person.name)
    keyboard.type_pin(window, "9999")

    screen = window.login_screen
    assert window.actor is None
    assert window.screens.currentWidget() is screen
    assert screen.message.tone is Tone.REFUSED
    assert screen.message.text().startswith(f"Wrong PIN for {person.name}.")
    assert "4 tries left" in screen.message.text()
    assert screen.pin_field.text() == ""
    assert screen.pin_field.hasFocus()  # ready for the next try, name still chosen
    assert screen.selected_user_id() is not None


def test_a_pin_without_a_name_asks_for_the_name(window: MainWindow, keyboard: Keyboard) -> None:
    keyboard.type_pin(window, "2580")

    assert window.actor is None
    assert "Choose your name" in window.login_screen.message.text()


def test_too_many_wrong_pins_lock_the_user_out_even_with_the_right_pin_after(
    window: MainWindow, keyboard: Keyboard, station: Station, people: dict[Role, Person]
) -> None:
    person = people[Role.SUPERVISOR]
    keyboard.choose_user(window, person.name)
    for _ in range(station.lockout.attempts):
        keyboard.type_pin(window, "9999")
    screen = window.login_screen
    assert f"Wrong PIN {station.lockout.attempts} times" in screen.message.text()
    assert "locked out" in screen.message.text()
    assert any(
        screen.user_list.item(row).text().endswith("locked out")
        for row in range(screen.user_list.count())
    )

    keyboard.choose_user(window, person.name)
    keyboard.type_pin(window, person.pin)

    assert window.actor is None
    assert "locked out" in screen.message.text()


def test_everything_is_reachable_with_tab(window: MainWindow, qtbot: QtBot) -> None:
    screen = window.login_screen
    order = [screen.badge_field, screen.user_list, screen.pin_field, screen.sign_in_button]
    for current, following in itertools.pairwise(order):
        assert current.hasFocus()
        qtbot.keyClick(current, Qt.Key.Key_Tab)
        assert following.hasFocus(), f"Tab from {current} went elsewhere"


def test_a_name_chosen_with_the_keyboard_moves_on_to_the_pin(
    window: MainWindow, qtbot: QtBot
) -> None:
    screen = window.login_screen
    screen.user_list.setFocus()
    qtbot.keyClick(screen.user_list, Qt.Key.Key_Down)
    qtbot.keyClick(screen.user_list, Qt.Key.Key_Return)

    assert screen.selected_user_id() is not None
    assert screen.pin_field.hasFocus()
    qtbot.keyClick(screen.pin_field, Qt.Key.Key_Escape)
    assert screen.badge_field.hasFocus()


def test_the_pin_field_takes_digits_only(window: MainWindow, qtbot: QtBot) -> None:
    field = window.login_screen.pin_field
    qtbot.keyClicks(field, "12ab34", delay=60)  # a person, not a scanner
    assert field.text() == "1234"


def test_demo_users_are_listed_only_in_demo_mode(
    make_window: Callable[..., MainWindow], people: dict[Role, Person]
) -> None:
    plain = make_window()
    assert plain.login_screen.demo_table is None
    labels = [w.text() for w in plain.login_screen.findChildren(type(plain.login_screen.prompt))]
    assert not any("Demo" in text for text in labels)

    demo_users = [(p.name, p.role.label, p.badge, p.pin) for p in people.values()]
    demo = make_window(demo_users)
    table = demo.login_screen.demo_table
    assert table is not None and table.isVisible()
    assert table.rowCount() == len(people)
    header = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert header == ["Name", "Role", "Badge", "PIN"]
    admin = people[Role.ADMIN]
    rows = [tuple(table.item(r, c).text() for c in range(4)) for r in range(table.rowCount())]
    assert (admin.name, "Admin", admin.badge, admin.pin) in rows
