import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.domain.errors import NotAllowed
from app.domain.users import (
    Actor,
    LockoutPolicy,
    Permission,
    Role,
    Workspace,
    check_new_pin,
    hash_secret,
    permissions_of,
    verify_secret,
    who_may,
    workspaces_for,
)


def test_a_pin_hash_is_salted_and_verifies_only_the_right_pin() -> None:
    first, second = hash_secret("4826"), hash_secret("4826")
    assert first != second  # a fresh salt each time
    assert "4826" not in first
    assert verify_secret("4826", first)
    assert not verify_secret("4827", first)
    assert not verify_secret("4826", "garbage")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.PICKER, [Workspace.PICK]),
        (Role.PACKER, [Workspace.PICK, Workspace.PACK]),
        (Role.RETURNS, [Workspace.RETURNS]),
        (
            Role.SUPERVISOR,
            [
                Workspace.PICK,
                Workspace.PACK,
                Workspace.RETURNS,
                Workspace.ORDERS,
                Workspace.INVOICES,
                Workspace.SYNC,
                Workspace.DEVICES,
                Workspace.USERS,
                Workspace.REPORTS,
                Workspace.STOCK,
            ],
        ),
        (Role.ADMIN, list(Workspace)),
    ],
)
def test_each_role_sees_its_workspaces(role: Role, expected: list[Workspace]) -> None:
    assert workspaces_for(permissions_of(role)) == expected


def test_a_packer_can_be_granted_partial_shipping() -> None:
    assert Permission.SHIP_PARTIAL not in permissions_of(Role.PACKER)
    assert Permission.SHIP_PARTIAL in permissions_of(
        Role.PACKER, frozenset({Permission.SHIP_PARTIAL})
    )


def test_an_actor_without_the_permission_is_told_who_can() -> None:
    packer = Actor(7, "Ana", Role.PACKER, permissions_of(Role.PACKER), "ST-02")
    with pytest.raises(NotAllowed, match=r"Ana \(Packer\) may not void orders.*supervisor"):
        packer.require(Permission.VOID_ORDERS, "void orders")


def test_lockout_starts_at_the_configured_attempt_and_ends_after_the_wait() -> None:
    policy = LockoutPolicy(attempts=3, minutes=10)
    now = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    assert policy.after_failure(0, now) == (1, None)
    assert policy.after_failure(1, now) == (2, None)
    failures, until = policy.after_failure(2, now)
    assert failures == 3
    assert until == now + timedelta(minutes=10)
    assert policy.is_locked(until, now + timedelta(minutes=9))
    assert not policy.is_locked(until, now + timedelta(minutes=10))


@pytest.mark.parametrize(
    ("pin", "problem"),
    [
        ("12a4", "digits only"),
        ("123", "4 to 12"),
        ("0000", "too easy"),
        ("1234", "too easy"),
        ("4321", "too easy"),
        ("4826", None),
        ("730519", None),
    ],
)
def test_new_pins_are_checked(pin: str, problem: str | None) -> None:
    result = check_new_pin(pin)
    if problem is None:
        assert result is None
    else:
        assert result is not None and problem in result


def test_a_supervisor_unlocks_and_resets_pins_and_only_an_admin_adds_users() -> None:
    supervisor = permissions_of(Role.SUPERVISOR)
    assert {Permission.UNLOCK_USERS, Permission.RESET_PINS} <= supervisor
    assert Permission.MANAGE_USERS not in supervisor
    assert who_may(Permission.UNLOCK_USERS) == "a supervisor"
    assert who_may(Permission.MANAGE_USERS) == "an admin"


def test_a_supervisor_may_not_act_for_someone_who_may_do_more() -> None:
    helen = Actor(4, "Helen", Role.SUPERVISOR, permissions_of(Role.SUPERVISOR), "ST-01")
    helen.require_over("Tomasz", Role.PACKER, permissions_of(Role.PACKER), "set a new PIN for")
    with pytest.raises(NotAllowed, match=r"Helen \(Supervisor\) may not set a new PIN for Alex"):
        helen.require_over("Alex", Role.ADMIN, permissions_of(Role.ADMIN), "set a new PIN for")


def test_the_readme_lists_the_workspaces_the_rights_open() -> None:
    """The demo users table in the README says what each role sees: it must be true."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    roles = {"picker": Role.PICKER, "packer": Role.PACKER, "returns clerk": Role.RETURNS,
             "supervisor": Role.SUPERVISOR, "admin": Role.ADMIN}  # fmt: skip
    rows = re.findall(r"^\| [^|]+ \| ([^|,]+)[^|]* \| \S+ \| \d+ \| ([^|]+) \|$", readme, re.M)
    assert len(rows) >= len(Role)
    for role_words, listed in rows:
        role = roles[role_words.strip()]
        said = (
            list(Workspace)
            if listed.strip() == "all"
            else [Workspace(name.strip()) for name in listed.split(",")]
        )
        assert said == workspaces_for(permissions_of(role)), role_words


def test_every_right_has_the_words_its_refusal_and_the_rights_matrix_use() -> None:
    # The Users page lists every right by these words; one missing broke the page (a
    # KeyError when it opened) after rights were added on other branches.
    from app.domain.users import DOING, Permission

    assert set(DOING) == set(Permission)
