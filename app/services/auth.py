"""Signing in with a badge or a PIN, lockout after wrong PINs, and managing users."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from app.db.models import Setting, User
from app.db.session import UnitOfWork, UnitOfWorkFactory
from app.domain.decode import BADGE_HIDDEN
from app.domain.errors import LoginFailed, NotFound, UserLockedOut
from app.domain.users import (
    Actor,
    LockoutPolicy,
    Permission,
    Role,
    badge_lookup_hash,
    check_new_pin,
    hash_secret,
    permissions_of,
    verify_secret,
    who_may,
)
from app.domain.wording import capitalised

BADGE_SALT_KEY = "badge_salt"


@dataclass(frozen=True)
class UserSummary:
    """A user as the login screen and the Users workspace list them (no secrets)."""

    id: int
    name: str
    role: Role
    active: bool
    locked_until: datetime | None
    grants: frozenset[Permission] = frozenset()

    @property
    def permissions(self) -> frozenset[Permission]:
        return permissions_of(self.role, self.grants)


def _grants(user: User) -> frozenset[Permission]:
    return frozenset(Permission(g) for g in user.grants)


def _actor(user: User, station: str) -> Actor:
    return Actor(user.id, user.name, user.role, permissions_of(user.role, _grants(user)), station)


def _site_salt(uow: UnitOfWork, *, create: bool) -> bytes | None:
    row = uow.session.get(Setting, BADGE_SALT_KEY)
    if row is None:
        if not create:
            return None
        row = Setting(key=BADGE_SALT_KEY, value=secrets.token_hex(16))
        uow.session.add(row)
    return bytes.fromhex(row.value)


def list_users(uows: UnitOfWorkFactory, *, include_inactive: bool = False) -> list[UserSummary]:
    with uows(readonly=True) as uow:
        query = select(User).order_by(User.name)
        if not include_inactive:
            query = query.where(User.active.is_(True))
        return [
            UserSummary(u.id, u.name, u.role, u.active, u.locked_until, _grants(u))
            for u in uow.session.scalars(query)
        ]


def login_with_badge(
    uows: UnitOfWorkFactory, station: str, badge: str, now: datetime | None = None
) -> Actor:
    """Sign in whoever owns the scanned badge. A badge is something you have: no PIN asked.

    The badge is a credential: the audit trail records that one was scanned, never what.
    """
    now = now or datetime.now(UTC)
    with uows() as uow:
        salt = _site_salt(uow, create=False)
        user = None
        if salt is not None and badge.strip():
            user = uow.session.scalar(
                select(User).where(User.badge_hash == badge_lookup_hash(badge, salt))
            )
        if user is None:
            uow.audit(station, "login.badge_unknown", raw_scan=BADGE_HIDDEN)
            uow.commit()
            raise LoginFailed(
                "That badge is not known here. Scan it again, or sign in with "
                "your name and PIN and ask a supervisor to register the badge."
            )
        _refuse_inactive_or_locked(user, now)
        return _signed_in(uow, user, station, now, "login.badge", BADGE_HIDDEN)


def login_with_pin(
    uows: UnitOfWorkFactory,
    station: str,
    user_id: int,
    pin: str,
    policy: LockoutPolicy,
    now: datetime | None = None,
) -> Actor:
    """Sign in with a PIN; each wrong PIN counts, and too many lock the user out."""
    now = now or datetime.now(UTC)
    with uows() as uow:
        user = uow.session.get(User, user_id)
        if user is None:
            raise NotFound("That user no longer exists. Choose your name again.")
        _refuse_inactive_or_locked(user, now)
        if not verify_secret(pin, user.pin_hash):
            user.failed_attempts, user.locked_until = policy.after_failure(
                user.failed_attempts, now
            )
            uow.audit(
                station,
                "login.pin_wrong",
                subject=f"user:{user.id}",
                detail=f"attempt {user.failed_attempts} of {policy.attempts}",
            )
            uow.commit()
            if user.locked_until is not None:
                raise UserLockedOut(
                    f"Wrong PIN {policy.attempts} times: {user.name} is locked out for "
                    f"{policy.minutes} minutes. {_who_unlocks(capital=True)} can unlock you "
                    "sooner."
                )
            left = policy.attempts - user.failed_attempts
            raise LoginFailed(
                f"Wrong PIN for {user.name}. {left} "
                f"{'try' if left == 1 else 'tries'} left before you are locked out."
            )
        return _signed_in(uow, user, station, now, "login.pin", None)


def login_by_name(
    uows: UnitOfWorkFactory,
    station: str,
    name: str,
    pin: str,
    policy: LockoutPolicy,
    now: datetime | None = None,
) -> Actor:
    """Sign in by name and PIN (a headless command): the same counting and lockout."""
    wanted = name.strip().casefold()
    found = [u for u in list_users(uows) if u.name.casefold() == wanted]
    if not found:
        raise LoginFailed(
            f"No active user is called {name!r} at this station. Use the name as the login "
            "screen lists it (sync first if the user is new)."
        )
    return login_with_pin(uows, station, found[0].id, pin, policy, now)


def _refuse_inactive_or_locked(user: User, now: datetime) -> None:
    if not user.active:
        raise LoginFailed(f"{user.name} is no longer active here. Ask a supervisor.")
    if LockoutPolicy.is_locked(user.locked_until, now):
        assert user.locked_until is not None
        minutes = max(1, int((user.locked_until - now).total_seconds() + 59) // 60)
        raise UserLockedOut(
            f"{user.name} is locked out after too many wrong PINs: try again in "
            f"{minutes} min, or ask {_who_unlocks()} to unlock you."
        )


def _who_unlocks(*, capital: bool = False) -> str:
    """Whom the lockout messages send people to: whoever the rights let unlock them."""
    who = who_may(Permission.UNLOCK_USERS)
    return capitalised(who) if capital else who


def _signed_in(
    uow: UnitOfWork, user: User, station: str, now: datetime, action: str, raw_scan: str | None
) -> Actor:
    user.failed_attempts = 0
    user.locked_until = None
    actor = _actor(user, station)
    uow.audit(station, action, actor=actor, subject=f"user:{user.id}", raw_scan=raw_scan)
    uow.commit()
    return actor


def create_user(
    uows: UnitOfWorkFactory,
    by: Actor | None,
    name: str,
    role: Role,
    pin: str,
    badge: str | None = None,
    grants: frozenset[Permission] = frozenset(),
) -> int:
    """Register a person. ``by`` is None only while setting up a new site (first admin, demo)."""
    if by is not None:
        by.require(Permission.MANAGE_USERS, "add users")
        by.require_over(name, role, permissions_of(role, grants), "add")
    problem = check_new_pin(pin)
    if problem:
        raise LoginFailed(problem)
    with uows() as uow:
        if uow.session.scalar(select(User.id).where(User.name == name)) is not None:
            raise LoginFailed(f"There is already a user called {name!r}; choose another name.")
        badge_hash = None
        if badge:
            salt = _site_salt(uow, create=True)
            assert salt is not None
            badge_hash = badge_lookup_hash(badge, salt)
            if uow.session.scalar(select(User.id).where(User.badge_hash == badge_hash)):
                raise LoginFailed("That badge already belongs to another user.")
        user = User(
            name=name,
            role=role,
            pin_hash=hash_secret(pin),
            badge_hash=badge_hash,
            grants=sorted(g.value for g in grants),
        )
        uow.session.add(user)
        uow.session.flush()
        uow.audit(
            by.station if by else "setup",
            "user.created",
            actor=by,
            subject=f"user:{user.id}",
            detail=f"{name} as {role.value}",
        )
        uow.commit()
        return user.id


def unlock_user(uows: UnitOfWorkFactory, by: Actor, user_id: int) -> None:
    """Let a locked-out user sign in again at once (a supervisor's job, or an admin's)."""
    by.require(Permission.UNLOCK_USERS, "unlock users")
    with uows() as uow:
        user = uow.session.get(User, user_id)
        if user is None:
            raise NotFound("That user no longer exists.")
        user.failed_attempts = 0
        user.locked_until = None
        uow.audit(by.station, "user.unlocked", actor=by, subject=f"user:{user.id}")
        uow.commit()


def reset_pin(uows: UnitOfWorkFactory, by: Actor, user_id: int, pin: str) -> None:
    """Give someone who forgot their PIN a new one; it also lifts a lockout.

    A supervisor may do it for anyone whose rights they hold themselves; an admin's PIN
    is reset by an admin, or a supervisor could sign in as one.
    """
    by.require(Permission.RESET_PINS, "set a new PIN for a user")
    problem = check_new_pin(pin)
    if problem:
        raise LoginFailed(problem)
    with uows() as uow:
        user = uow.session.get(User, user_id)
        if user is None:
            raise NotFound("That user no longer exists.")
        by.require_over(
            user.name, user.role, permissions_of(user.role, _grants(user)), "set a new PIN for"
        )
        user.pin_hash = hash_secret(pin)
        user.failed_attempts = 0
        user.locked_until = None
        uow.audit(by.station, "user.pin_reset", actor=by, subject=f"user:{user.id}")
        uow.commit()
