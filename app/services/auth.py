"""Signing in with a badge or a PIN, lockout after wrong PINs, and managing users."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from app.db.models import Setting, User
from app.db.session import UnitOfWork, UnitOfWorkFactory
from app.domain.decode import BADGE_HIDDEN
from app.domain.errors import DomainError, LoginFailed, NotAllowed, NotFound, UserLockedOut
from app.domain.users import (
    DOING,
    Actor,
    LockoutPolicy,
    Permission,
    Role,
    RoleRights,
    badge_lookup_hash,
    change_role_right,
    check_new_pin,
    hash_secret,
    permissions_of,
    role_rights_from,
    role_rights_stored,
    verify_secret,
    who_may,
)
from app.domain.wording import capitalised

BADGE_SALT_KEY = "badge_salt"
# The site's rights per role, when a supervisor changed them (JSON {role: [right, ...]});
# pulled from the central store with the users (app.sync.pull.PULLED_SETTINGS).
ROLE_RIGHTS_KEY = "role_rights"


@dataclass(frozen=True)
class UserSummary:
    """A user as the login screen and the Users workspace list them (no secrets)."""

    id: int
    name: str
    role: Role
    active: bool
    locked_until: datetime | None
    grants: frozenset[Permission] = frozenset()
    permissions: frozenset[Permission] = frozenset()
    has_badge: bool = False


def _grants(user: User) -> frozenset[Permission]:
    known = {p.value for p in Permission}
    return frozenset(Permission(g) for g in user.grants if g in known)


def role_rights(uow: UnitOfWork) -> RoleRights:
    """The rights of each role at this site (the defaults until someone changed them)."""
    row = uow.session.get(Setting, ROLE_RIGHTS_KEY)
    return role_rights_from(json.loads(row.value) if row is not None else None)


def _permissions(uow: UnitOfWork, user: User) -> frozenset[Permission]:
    return permissions_of(user.role, _grants(user), role_rights(uow))


def _actor(uow: UnitOfWork, user: User, station: str) -> Actor:
    return Actor(user.id, user.name, user.role, _permissions(uow, user), station)


def _summary(uow: UnitOfWork, u: User) -> UserSummary:
    return UserSummary(
        u.id,
        u.name,
        u.role,
        u.active,
        u.locked_until,
        _grants(u),
        _permissions(uow, u),
        u.badge_hash is not None,
    )


def _send(uow: UnitOfWork, by: Actor, op: str, name: str, **fields: object) -> None:
    """The change goes to the central store in the same transaction (``user.change``), so
    every station pulls it. Secrets travel only as their hashes, never the PIN or badge."""
    uow.command("user.change", {"op": op, "name": name, "by": by.name, **fields})


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
        return [_summary(uow, u) for u in uow.session.scalars(query)]


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
    actor = _actor(uow, user, station)
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
    name = name.strip()
    if not name:
        raise LoginFailed("Give the new user a name, as the login screen will list it.")
    problem = check_new_pin(pin)
    if problem:
        raise LoginFailed(problem)
    with uows() as uow:
        if by is not None:
            by.require_over(name, role, permissions_of(role, grants, role_rights(uow)), "add")
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
        if by is not None:  # a new site's first people are set up where they are made
            _send(uow, by, "add", name, role=role.value, pin_hash=user.pin_hash,
                  badge_hash=badge_hash, grants=user.grants)  # fmt: skip
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
        by.require_over(user.name, user.role, _permissions(uow, user), "set a new PIN for")
        user.pin_hash = hash_secret(pin)
        user.failed_attempts = 0
        user.locked_until = None
        uow.audit(by.station, "user.pin_reset", actor=by, subject=f"user:{user.id}")
        _send(uow, by, "pin", user.name, pin_hash=user.pin_hash)
        uow.commit()


def _managed(uow: UnitOfWork, by: Actor, user_id: int, doing: str) -> User:
    """The user ``by`` changes, refused when they hold rights ``by`` does not."""
    user = uow.session.get(User, user_id)
    if user is None:
        raise NotFound("That user no longer exists.")
    by.require_over(user.name, user.role, _permissions(uow, user), doing)
    return user


def find_user(uows: UnitOfWorkFactory, name: str) -> UserSummary:
    """A user by name, active or not (the commands' way of naming people)."""
    wanted = name.strip().casefold()
    for user in list_users(uows, include_inactive=True):
        if user.name.casefold() == wanted:
            return user
    raise NotFound(f"There is no user called {name!r}. `packbench users list` lists them.")


def set_role(uows: UnitOfWorkFactory, by: Actor, user_id: int, role: Role) -> None:
    """Give someone another role; nobody hands out a role with rights they do not hold."""
    by.require(Permission.MANAGE_USERS, "change a user's role")
    with uows() as uow:
        user = _managed(uow, by, user_id, "change the role of")
        by.require_over(
            user.name, role, permissions_of(role, _grants(user), role_rights(uow)), "make"
        )
        if user.id == by.user_id and role is not user.role:
            raise NotAllowed("Nobody changes their own role: ask another admin.")
        before = user.role
        user.role = role
        uow.audit(
            by.station,
            "user.role_set",
            actor=by,
            subject=f"user:{user.id}",
            detail=f"{before.value} -> {role.value}",
        )
        _send(uow, by, "role", user.name, role=role.value)
        uow.commit()


def set_badge(uows: UnitOfWorkFactory, by: Actor, user_id: int, badge: str | None) -> None:
    """Register someone's badge (or take it away with None); the badge itself is not kept."""
    by.require(Permission.MANAGE_USERS, "register badges")
    with uows() as uow:
        user = _managed(uow, by, user_id, "register a badge for")
        if badge and badge.strip():
            salt = _site_salt(uow, create=True)
            assert salt is not None
            badge_hash = badge_lookup_hash(badge, salt)
            owner = uow.session.scalar(select(User.id).where(User.badge_hash == badge_hash))
            if owner is not None and owner != user.id:
                raise LoginFailed("That badge already belongs to another user.")
            user.badge_hash = badge_hash
        else:
            user.badge_hash = None
        uow.audit(
            by.station,
            "user.badge_set" if user.badge_hash else "user.badge_removed",
            actor=by,
            subject=f"user:{user.id}",
            raw_scan=BADGE_HIDDEN if user.badge_hash else None,
        )
        _send(uow, by, "badge", user.name, badge_hash=user.badge_hash)
        uow.commit()


def set_active(uows: UnitOfWorkFactory, by: Actor, user_id: int, active: bool) -> None:
    """Deactivate someone who left (their trail stays), or take them back."""
    by.require(Permission.MANAGE_USERS, "deactivate users" if not active else "reactivate users")
    with uows() as uow:
        user = _managed(uow, by, user_id, "deactivate" if not active else "reactivate")
        if user.id == by.user_id and not active:
            raise NotAllowed("Nobody deactivates themselves: ask another admin.")
        if user.active == active:
            return
        user.active = active
        uow.audit(
            by.station,
            "user.activated" if active else "user.deactivated",
            actor=by,
            subject=f"user:{user.id}",
        )
        _send(uow, by, "active", user.name, active=active)
        uow.commit()


def set_user_right(
    uows: UnitOfWorkFactory, by: Actor, user_id: int, permission: Permission, *, granted: bool
) -> None:
    """Grant one person a right beyond their role's, or withdraw it.

    Whoever grants holds ``grant_rights`` and the right itself: nobody hands out what they
    may not do.
    """
    verb = "grant" if granted else "withdraw"
    by.require(Permission.GRANT_RIGHTS)
    by.require(permission, f"{verb} the right to {DOING[permission]}")
    with uows() as uow:
        user = _managed(uow, by, user_id, f"{verb} rights of")
        grants = set(_grants(user))
        if granted:
            grants.add(permission)
        elif permission in grants:
            grants.discard(permission)
        elif permission in role_rights(uow)[user.role]:
            raise DomainError(
                f"{user.name} has '{permission.value}' from the {user.role.label} role, not "
                "as their own: withdraw it from the role, or give them another role."
            )
        user.grants = sorted(g.value for g in grants)
        uow.audit(
            by.station,
            "user.right_granted" if granted else "user.right_withdrawn",
            actor=by,
            subject=f"user:{user.id}",
            detail=permission.value,
        )
        _send(uow, by, "grant" if granted else "revoke", user.name, permission=permission.value)
        uow.commit()


def site_role_rights(uows: UnitOfWorkFactory) -> RoleRights:
    with uows(readonly=True) as uow:
        return role_rights(uow)


def set_role_right(
    uows: UnitOfWorkFactory, by: Actor, role: Role, permission: Permission, *, granted: bool
) -> None:
    """Grant a right to everyone of a role, or withdraw it; takes effect at their next sign-in."""
    with uows() as uow:
        changed = change_role_right(by, role_rights(uow), role, permission, granted=granted)
        row = uow.session.get(Setting, ROLE_RIGHTS_KEY)
        value = json.dumps(role_rights_stored(changed), sort_keys=True)
        if row is None:
            uow.session.add(Setting(key=ROLE_RIGHTS_KEY, value=value))
        else:
            row.value = value
        uow.audit(
            by.station,
            "role.right_granted" if granted else "role.right_withdrawn",
            actor=by,
            subject=f"role:{role.value}",
            detail=permission.value,
        )
        _send(uow, by, "role_right", "", role=role.value, permission=permission.value,
              granted=granted)  # fmt: skip
        uow.commit()
