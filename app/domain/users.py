"""Who may do what, and how a person proves who they are.

Roles give permissions; a user may be granted single extra permissions (a trusted packer
allowed to ship partial). Badges and PINs are kept only as salted scrypt hashes.

Looking after people is split: a supervisor unlocks users and sets a new PIN for someone
who forgot theirs (the Users workspace opens for them); only an admin adds users. Nobody
sets the PIN of, or creates, a user with rights they do not hold themselves: that would
hand them those rights.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from app.domain.errors import NotAllowed


class Role(StrEnum):
    PICKER = "picker"
    PACKER = "packer"
    RETURNS = "returns"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {"returns": "Returns clerk"}.get(self.value, self.value.capitalize())


class Permission(StrEnum):
    PICK = "pick"
    PLAN_PICKING = "plan_picking"
    PACK = "pack"
    SHIP_PARTIAL = "ship_partial"
    RECEIVE_RETURNS = "receive_returns"
    ACCEPT_LATE_RETURNS = "accept_late_returns"
    VIEW_ORDERS = "view_orders"
    EDIT_ORDERS = "edit_orders"
    RELEASE_HOLDS = "release_holds"
    VOID_ORDERS = "void_orders"
    MOVE_ORDERS = "move_orders"  # to another warehouse, before picking
    TRANSFER_STOCK = "transfer_stock"  # from one warehouse to another; sees stock everywhere
    ISSUE_INVOICES = "issue_invoices"
    RESOLVE_SYNC = "resolve_sync"
    MANAGE_DEVICES = "manage_devices"
    CONFIGURE_STATION = "configure_station"
    MANAGE_USERS = "manage_users"
    UNLOCK_USERS = "unlock_users"
    RESET_PINS = "reset_pins"
    REPRINT = "reprint"
    FORCE_PACK = "force_pack"
    GRANT_RIGHTS = "grant_rights"
    VIEW_AUDIT = "view_audit"
    VIEW_REPORTS = "view_reports"


P = Permission

# What each right lets a person do, in the words a refusal uses ("X may not <words>").
DOING: dict[Permission, str] = {
    P.PICK: "pick orders",
    P.PLAN_PICKING: "build pick lists and re-allocate short picks",
    P.PACK: "pack orders",
    P.SHIP_PARTIAL: "ship part of an order",
    P.RECEIVE_RETURNS: "receive returns",
    P.ACCEPT_LATE_RETURNS: "accept a return after its return window",
    P.VIEW_ORDERS: "look at orders",
    P.EDIT_ORDERS: "change orders",
    P.RELEASE_HOLDS: "hold or release orders",
    P.VOID_ORDERS: "void orders",
    P.MOVE_ORDERS: "move an order to another warehouse",
    P.ISSUE_INVOICES: "issue invoices",
    P.RESOLVE_SYNC: "resolve sync problems",
    P.MANAGE_DEVICES: "set up devices",
    P.CONFIGURE_STATION: "change this station's settings",
    P.MANAGE_USERS: "add users, change their roles or deactivate them",
    P.UNLOCK_USERS: "unlock users",
    P.RESET_PINS: "set a new PIN for a user",
    P.REPRINT: "reprint labels of another packer's shipment",
    P.FORCE_PACK: "force a pack: close a parcel whose weight is out of range",
    P.GRANT_RIGHTS: "grant or withdraw rights",
    P.VIEW_AUDIT: "read the audit trail",
    P.VIEW_REPORTS: "see the floor reports",
    P.TRANSFER_STOCK: "move stock between warehouses",
}

# The rights of single actions a supervisor gives or withholds (issue 16): each checked by
# the one service that does the action, with ``Actor.require``.
ACTION_RIGHTS: tuple[Permission, ...] = (
    P.SHIP_PARTIAL,
    P.FORCE_PACK,
    P.REPRINT,
    P.ACCEPT_LATE_RETURNS,
    P.ISSUE_INVOICES,
    P.VOID_ORDERS,
)

_SUPERVISOR = frozenset(set(P) - {P.MANAGE_USERS})
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.PICKER: frozenset({P.PICK}),
    # A packer accepts an out-of-range weight after checking the parcel (force_pack); a site
    # that wants a supervisor to do it withdraws the right from the role.
    Role.PACKER: frozenset({P.PICK, P.PACK, P.FORCE_PACK}),
    Role.RETURNS: frozenset({P.RECEIVE_RETURNS}),
    Role.SUPERVISOR: _SUPERVISOR,
    Role.ADMIN: frozenset(P),
}


class Workspace(StrEnum):
    PICK = "Pick"
    PACK = "Pack"
    RETURNS = "Returns"
    ORDERS = "Orders"
    INVOICES = "Invoices"
    SYNC = "Sync"
    DEVICES = "Devices"
    USERS = "Users"
    REPORTS = "Reports"
    STOCK = "Stock"


# The permission that opens each workspace, in the order the navigation shows them.
WORKSPACE_PERMISSION: dict[Workspace, Permission] = {
    Workspace.PICK: P.PICK,
    Workspace.PACK: P.PACK,
    Workspace.RETURNS: P.RECEIVE_RETURNS,
    Workspace.ORDERS: P.VIEW_ORDERS,
    Workspace.INVOICES: P.ISSUE_INVOICES,
    Workspace.SYNC: P.RESOLVE_SYNC,
    Workspace.DEVICES: P.MANAGE_DEVICES,
    Workspace.USERS: P.UNLOCK_USERS,  # adding users in it needs MANAGE_USERS (admin)
    Workspace.REPORTS: P.VIEW_REPORTS,
    Workspace.STOCK: P.TRANSFER_STOCK,
}


RoleRights = dict[Role, frozenset[Permission]]


def permissions_of(
    role: Role,
    grants: frozenset[Permission] = frozenset(),
    roles: RoleRights | None = None,
) -> frozenset[Permission]:
    """A person's rights: their role's (as the site set them, else the defaults) and their own."""
    return (ROLE_PERMISSIONS if roles is None else roles)[role] | grants


def role_rights_from(stored: dict[str, list[str]] | None) -> RoleRights:
    """The site's role rights from their stored form; roles not stored keep the defaults.

    Names this version does not know are skipped (a newer version wrote them). An admin
    keeps every right whatever is stored: someone must be able to put things right.
    """
    roles = dict(ROLE_PERMISSIONS)
    known = {p.value for p in Permission}
    for role in Role:
        if stored and role.value in stored and role is not Role.ADMIN:
            roles[role] = frozenset(Permission(v) for v in stored[role.value] if v in known)
    return roles


def role_rights_stored(roles: RoleRights) -> dict[str, list[str]]:
    return {role.value: sorted(p.value for p in roles[role]) for role in Role}


def change_role_right(
    by: Actor, roles: RoleRights, role: Role, permission: Permission, *, granted: bool
) -> RoleRights:
    """The role rights after ``by`` grants or withdraws one right of a role.

    Only whoever manages users changes a role, only with a right they hold themselves, and
    the admin role keeps every right.
    """
    by.require(P.MANAGE_USERS, "change what a role may do")
    by.require(permission, f"{'grant' if granted else 'withdraw'} the right to {DOING[permission]}")
    if role is Role.ADMIN:
        raise NotAllowed(
            "The admin role keeps every right: someone must be able to put things right."
        )
    changed = dict(roles)
    have = roles[role]
    changed[role] = have | {permission} if granted else have - {permission}
    return changed


HOME_WORKSPACE: dict[Role, Workspace] = {
    Role.PICKER: Workspace.PICK,
    Role.PACKER: Workspace.PACK,
    Role.RETURNS: Workspace.RETURNS,
    Role.SUPERVISOR: Workspace.ORDERS,
    Role.ADMIN: Workspace.ORDERS,
}


def who_may(permission: Permission) -> str:
    """Whom to ask for something: "a supervisor", or "an admin" for what only an admin does."""
    if permission in ROLE_PERMISSIONS[Role.SUPERVISOR]:
        return "a supervisor"
    return "an admin"


def workspaces_for(permissions: frozenset[Permission]) -> list[Workspace]:
    return [w for w, needed in WORKSPACE_PERMISSION.items() if needed in permissions]


@dataclass(frozen=True)
class Actor:
    """The person signed in at a station, as the services see them."""

    user_id: int
    name: str
    role: Role
    permissions: frozenset[Permission]
    station: str

    def may(self, permission: Permission) -> bool:
        """Whether the action is allowed: for what to show; a service calls ``require``."""
        return permission in self.permissions

    def require(self, permission: Permission, doing: str | None = None) -> None:
        """The one check of a right, done by the service that does the action.

        ``permissions`` are the role's rights as the site set them plus the person's own
        grants, read when they signed in (``app.services.auth``).
        """
        if permission not in self.permissions:
            who = who_may(permission)
            raise NotAllowed(
                f"{self.name} ({self.role.label}) may not {doing or DOING[permission]}. "
                f"Ask {who} to do it, or to grant you the '{permission.value}' permission."
            )

    def require_over(
        self, name: str, role: Role, permissions: frozenset[Permission], doing: str
    ) -> None:
        """Refuse acting for someone who holds rights this actor does not (an admin's PIN)."""
        beyond = permissions - self.permissions
        if beyond:
            missing = sorted(beyond)[0]
            raise NotAllowed(
                f"{self.name} ({self.role.label}) may not {doing} {name} ({role.label}), who "
                f"may do what you may not ({missing.value}). Ask {who_may(missing)}."
            )

    @property
    def workspaces(self) -> list[Workspace]:
        return workspaces_for(self.permissions)

    @property
    def home(self) -> Workspace:
        """The workspace a person lands in at sign-in: their role's own job."""
        preferred = HOME_WORKSPACE.get(self.role)
        return preferred if preferred in self.workspaces else self.workspaces[0]


# --- secrets ------------------------------------------------------------------------------

# scrypt cost: about 16 MiB and tens of milliseconds per try; slow for a thief with the
# database file, fast enough for a person at a keypad.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
PIN_LENGTHS = range(4, 13)


def hash_secret(secret: str, salt: bytes | None = None) -> str:
    """A self-describing salted scrypt hash: ``scrypt$n$r$p$salt-hex$hash-hex``."""
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.scrypt(
        secret.encode(),
        salt=salt,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        maxmem=64 * 1024 * 1024,
        dklen=32,
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_secret(secret: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(
            secret.encode(),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=64 * 1024 * 1024,
            dklen=len(digest) // 2,
        )
    except ValueError:
        return False
    return hmac.compare_digest(got.hex(), digest)


def badge_lookup_hash(badge: str, site_salt: bytes) -> str:
    """A badge is found by its hash, so every badge of one site shares that site's salt.

    The hash is still scrypt: a stolen database does not give the badges away cheaply.
    """
    return hash_secret(badge.strip(), site_salt)


def check_new_pin(pin: str) -> str | None:
    """What is wrong with a PIN someone wants to set, or None."""
    if not pin.isdigit():
        return "A PIN is digits only."
    if len(pin) not in PIN_LENGTHS:
        return f"A PIN has {PIN_LENGTHS.start} to {PIN_LENGTHS.stop - 1} digits."
    if len(set(pin)) == 1 or pin in "0123456789012" or pin in "9876543210987":
        return "That PIN is too easy to guess; choose digits that are not all the same or in a row."
    return None


@dataclass(frozen=True)
class LockoutPolicy:
    attempts: int = 5
    minutes: int = 15

    def after_failure(self, failures_before: int, now: datetime) -> tuple[int, datetime | None]:
        """The failure count and lock time after one more wrong PIN."""
        failures = failures_before + 1
        if failures >= self.attempts:
            return failures, now + timedelta(minutes=self.minutes)
        return failures, None

    @staticmethod
    def is_locked(locked_until: datetime | None, now: datetime) -> bool:
        return locked_until is not None and now < locked_until
