from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.bootstrap import Station
from app.db.models import AuditEvent, User
from app.domain.errors import LoginFailed, NotAllowed, UserLockedOut
from app.domain.users import LockoutPolicy, Permission, Role
from app.services import auth

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@pytest.fixture
def packer(station: Station) -> int:
    return auth.create_user(
        station.local, None, "Jürgen Müller", Role.PACKER, "4826", badge="B-PACK-07"
    )


@pytest.fixture
def supervisor(station: Station) -> int:
    return auth.create_user(
        station.local, None, "Ewa Kowalska", Role.SUPERVISOR, "7391", badge="B-SUP-01"
    )


def audit_actions(station: Station) -> list[str]:
    with station.local(readonly=True) as uow:
        return list(uow.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_badge_scan_signs_the_owner_in(station: Station, packer: int) -> None:
    actor = auth.login_with_badge(station.local, "ST-01", "B-PACK-07\n", NOW)
    assert (actor.user_id, actor.name, actor.role, actor.station) == (
        packer,
        "Jürgen Müller",
        Role.PACKER,
        "ST-01",
    )
    assert audit_actions(station)[-1] == "login.badge"


def test_an_unknown_badge_is_refused_and_audited_without_its_text(
    station: Station, packer: int
) -> None:
    with pytest.raises(LoginFailed, match="badge is not known"):
        auth.login_with_badge(station.local, "ST-01", "B-NOBODY", NOW)
    with station.local(readonly=True) as uow:
        event = uow.session.execute(
            select(AuditEvent.action, AuditEvent.raw_scan).order_by(AuditEvent.id.desc())
        ).first()
    assert tuple(event or ()) == ("login.badge_unknown", "badge (hidden)")


def test_a_badge_sign_in_is_audited_without_the_badge(station: Station, packer: int) -> None:
    auth.login_with_badge(station.local, "ST-01", "B-PACK-07", NOW)
    with station.local(readonly=True) as uow:
        event = uow.session.execute(
            select(AuditEvent.action, AuditEvent.raw_scan).order_by(AuditEvent.id.desc())
        ).first()
    assert tuple(event or ()) == ("login.badge", "badge (hidden)")


def test_badge_and_pin_are_never_stored_in_clear(station: Station, packer: int) -> None:
    with station.local(readonly=True) as uow:
        user = uow.session.get(User, packer)
        assert user is not None
        assert user.pin_hash.startswith("scrypt$") and "4826" not in user.pin_hash
        assert user.badge_hash and user.badge_hash.startswith("scrypt$")
    station.local_engine.dispose()  # flush the WAL into the file before reading its bytes
    raw = station.config.local_database.read_bytes()
    assert b"B-PACK-07" not in raw and b"4826" not in raw


def test_a_wrong_pin_says_how_many_tries_are_left(station: Station, packer: int) -> None:
    policy = LockoutPolicy(attempts=3, minutes=15)
    with pytest.raises(LoginFailed, match=r"Wrong PIN for Jürgen Müller\. 2 tries left"):
        auth.login_with_pin(station.local, "ST-01", packer, "0001", policy, NOW)
    assert audit_actions(station)[-1] == "login.pin_wrong"


def test_too_many_wrong_pins_lock_the_user_out_even_with_the_right_pin(
    station: Station, packer: int
) -> None:
    policy = LockoutPolicy(attempts=3, minutes=15)
    for _ in range(2):
        with pytest.raises(LoginFailed):
            auth.login_with_pin(station.local, "ST-01", packer, "0001", policy, NOW)
    with pytest.raises(UserLockedOut, match="locked out for 15 minutes"):
        auth.login_with_pin(station.local, "ST-01", packer, "0001", policy, NOW)
    with pytest.raises(UserLockedOut, match="try again in 10 min"):
        auth.login_with_pin(
            station.local, "ST-01", packer, "4826", policy, NOW + timedelta(minutes=5)
        )
    with pytest.raises(UserLockedOut):  # the badge does not get round a lockout either
        auth.login_with_badge(station.local, "ST-01", "B-PACK-07", NOW + timedelta(minutes=5))
    actor = auth.login_with_pin(
        station.local, "ST-01", packer, "4826", policy, NOW + timedelta(minutes=15)
    )
    assert actor.user_id == packer


def test_a_right_pin_resets_the_count(station: Station, packer: int) -> None:
    policy = LockoutPolicy(attempts=2, minutes=15)
    with pytest.raises(LoginFailed):
        auth.login_with_pin(station.local, "ST-01", packer, "0001", policy, NOW)
    auth.login_with_pin(station.local, "ST-01", packer, "4826", policy, NOW)
    with pytest.raises(LoginFailed, match="1 try left"):
        auth.login_with_pin(station.local, "ST-01", packer, "0001", policy, NOW)


def test_a_supervisor_unlocks_a_locked_user_and_a_packer_cannot(
    station: Station, packer: int, supervisor: int
) -> None:
    policy = LockoutPolicy(attempts=1, minutes=60)
    with pytest.raises(UserLockedOut):
        auth.login_with_pin(station.local, "ST-01", packer, "0001", policy, NOW)
    boss = auth.login_with_badge(station.local, "ST-01", "B-SUP-01", NOW)
    assert Permission.UNLOCK_USERS in boss.permissions
    auth.unlock_user(station.local, boss, packer)
    assert (
        auth.login_with_pin(station.local, "ST-01", packer, "4826", policy, NOW).user_id == packer
    )
    colleague = auth.login_with_badge(station.local, "ST-01", "B-PACK-07", NOW)
    with pytest.raises(NotAllowed):
        auth.unlock_user(station.local, colleague, supervisor)


def test_an_easy_pin_or_a_taken_badge_is_refused_when_adding_a_user(
    station: Station, packer: int
) -> None:
    with pytest.raises(LoginFailed, match="too easy"):
        auth.create_user(station.local, None, "Lee", Role.PICKER, "1111")
    with pytest.raises(LoginFailed, match="badge already belongs"):
        auth.create_user(station.local, None, "Lee", Role.PICKER, "5093", badge="B-PACK-07")
    assert [u.name for u in auth.list_users(station.local)] == ["Jürgen Müller"]


@pytest.fixture
def admin(station: Station) -> int:
    return auth.create_user(station.local, None, "Alex Morgan", Role.ADMIN, "305871")


def test_a_supervisor_sets_a_new_pin_that_also_lifts_a_lockout(
    station: Station, packer: int, supervisor: int
) -> None:
    policy = LockoutPolicy(attempts=1, minutes=60)
    with pytest.raises(UserLockedOut, match="A supervisor can unlock you sooner"):
        auth.login_with_pin(station.local, "ST-01", packer, "0001", policy, NOW)
    boss = auth.login_with_badge(station.local, "ST-01", "B-SUP-01", NOW)
    with pytest.raises(LoginFailed, match="too easy"):
        auth.reset_pin(station.local, boss, packer, "1234")
    auth.reset_pin(station.local, boss, packer, "6047")
    assert (
        auth.login_with_pin(station.local, "ST-01", packer, "6047", policy, NOW).user_id == packer
    )
    with pytest.raises(LoginFailed):
        auth.login_with_pin(station.local, "ST-01", packer, "4826", LockoutPolicy(), NOW)
    with station.local(readonly=True) as uow:
        event = uow.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.pin_reset"))
        assert event is not None and event.subject == f"user:{packer}"
        assert "6047" not in f"{event.detail} {event.raw_scan}"


def test_a_supervisor_neither_adds_an_admin_nor_sets_an_admins_pin(
    station: Station, supervisor: int, admin: int
) -> None:
    boss = auth.login_with_badge(station.local, "ST-01", "B-SUP-01", NOW)
    with pytest.raises(NotAllowed, match=r"Ewa Kowalska \(Supervisor\) may not add users.*admin"):
        auth.create_user(station.local, boss, "Mallory", Role.ADMIN, "5093")
    with pytest.raises(NotAllowed, match=r"may not set a new PIN for Alex Morgan \(Admin\)"):
        auth.reset_pin(station.local, boss, admin, "6047")
    assert auth.login_with_pin(station.local, "ST-01", admin, "305871", LockoutPolicy(), NOW)
    assert [u.name for u in auth.list_users(station.local)] == ["Alex Morgan", "Ewa Kowalska"]


def test_a_packer_sets_no_pins(station: Station, packer: int, supervisor: int) -> None:
    colleague = auth.login_with_badge(station.local, "ST-01", "B-PACK-07", NOW)
    with pytest.raises(NotAllowed, match=r"may not set a new PIN for a user\. Ask a supervisor"):
        auth.reset_pin(station.local, colleague, supervisor, "6047")
