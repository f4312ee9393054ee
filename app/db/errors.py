"""What a database error means for the person: the store away, or a right it refused.

``is_unreachable``: the link or the server failed, not the statement (sync then works on
alone, a command says the store is away).

``missing_right``: PostgreSQL answers "permission denied for table products" (SQLSTATE
42501) without naming the login or what was being done. The caller knows the login (the URL
it connected with); the statement says what was done. Together they name the one ``GRANT``
that is missing, and ``docs/sync.md`` ("Central schema and a station's PostgreSQL role")
lists them all: a station's role, and a role that imports.
"""

from __future__ import annotations

import getpass
import os
import re
import sqlite3
from dataclasses import dataclass

import psycopg
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError

INSUFFICIENT_PRIVILEGE = "42501"
GRANTS_DOC = 'docs/sync.md, "Central schema and a station\'s PostgreSQL role"'

_DENIED = re.compile(r"permission denied for (table|sequence|schema|relation|view) \"?([\w.]+)\"?")
_LOCKING = re.compile(r"\bFOR\s+(NO\s+KEY\s+)?UPDATE\b|\bFOR\s+(KEY\s+)?SHARE\b", re.IGNORECASE)


def is_unreachable(error: BaseException) -> bool:
    """Whether a database error means the store is away or unusable now, not a bug of ours."""
    if isinstance(error, DBAPIError):
        return error.connection_invalidated or isinstance(error, OperationalError | InterfaceError)
    # The drivers' own errors, raised through the raw cursor the pull reads with.
    return isinstance(error, _DRIVER_AWAY)


_DRIVER_AWAY = (
    sqlite3.OperationalError,
    sqlite3.InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)


_DOING = {
    "SELECT": "read",
    "INSERT": "add rows to",
    "UPDATE": "change",
    "DELETE": "delete rows of",
    "USAGE": "use",
}


@dataclass(frozen=True)
class MissingRight:
    """What the login may not do, where, and the server's own words."""

    login: str | None
    privilege: str | None  # SELECT, INSERT, UPDATE, DELETE, USAGE; None when not known
    kind: str  # table, sequence, schema
    name: str
    said: str

    @property
    def who(self) -> str:
        return f"role {self.login}" if self.login else "this station's login"

    def grant(self) -> str | None:
        """The statement the owner runs, or None when the privilege is not known."""
        if self.privilege is None:
            return None
        on = self.name if self.kind == "table" else f"{self.kind.upper()} {self.name}"
        return f"GRANT {self.privilege} ON {on} TO {self.login or 'the login'};"

    def what(self) -> str:
        doing = _DOING.get(self.privilege or "", "use")
        return (
            f"The central order store does not let {self.who} {doing} {self.kind} {self.name} "
            f"({self.said})."
        )

    def todo(self, *, kept: bool = True) -> str:
        grant = self.grant()
        runs = f"runs: {grant}" if grant else f"grants {self.who} the rights it needs"
        return (
            f"The owner of the central tables {runs} (every grant a station's role and an "
            f"importing role need is listed in {GRANTS_DOC})."
            + (" Everything saved before is kept." if kept else "")
        )

    def line(self) -> str:
        return f"{self.what()} {self.todo()}"


def login_of(url: str | URL) -> str | None:
    """The role a PostgreSQL URL logs in as (libpq's default when it names none).

    Called while an error is being told: never raises (None when it cannot say).
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if not parsed.drivername.startswith("postgresql"):
        return None
    if parsed.username:
        return parsed.username
    try:
        return os.environ.get("PGUSER") or getpass.getuser()
    except (KeyError, OSError):
        return None


def missing_right(
    error: BaseException, login: str | None, statement: str | None = None
) -> MissingRight | None:
    """The refused right behind ``error`` (a driver error, or SQLAlchemy's wrapping of one,
    which knows its statement; a raw driver error's caller may say it)."""
    orig = getattr(error, "orig", None) or error
    if getattr(orig, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
        return None
    said = str(orig).strip().splitlines()[0] if str(orig).strip() else "permission denied"
    found = _DENIED.search(said)
    kind, name = (found.group(1), found.group(2)) if found else ("table", "?")
    kind = "table" if kind in ("relation", "view") else kind
    statement = getattr(error, "statement", None) or statement
    return MissingRight(login, _privilege(kind, statement), kind, name, said)


def _privilege(kind: str, statement: str | None) -> str | None:
    if kind in ("sequence", "schema"):
        return "USAGE"
    if not statement:
        return None
    verb = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
    if verb == "SELECT" and _LOCKING.search(statement):
        return "UPDATE"  # a row lock (FOR UPDATE) needs UPDATE on the table
    if verb in ("SELECT", "INSERT", "UPDATE", "DELETE"):
        return verb
    return None
