"""Bring a database to the schema this version of Packbench expects.

A station upgrades its local file on start; an older file is copied aside first, so a failed
upgrade never leaves the only copy half-migrated. The central store is created or upgraded by
whichever command reaches it first (``ensure_schema`` again): on PostgreSQL under an advisory
lock held from the check to the commit, so stations starting together build it once. A login
that may not create tables (a station's own role) is told so, with the command its owner runs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from app.domain.errors import DomainError

MIGRATIONS = Path(__file__).with_name("migrations")

FIX_COMMAND = "packbench central upgrade"

# PostgreSQL's SQLSTATE for "permission denied".
_INSUFFICIENT_PRIVILEGE = "42501"


class SchemaError(DomainError):
    """The database's schema cannot be used or changed from here.

    ``detail`` says what was found, ``fix`` what to do (``packbench doctor`` shows them apart).
    """

    def __init__(self, detail: str, fix: str) -> None:
        super().__init__(f"{detail} {fix}")
        self.detail = detail
        self.fix = fix


class SchemaTooNew(SchemaError):
    """The database was written by a newer Packbench than this one."""


class SchemaNotOurs(SchemaError):
    """This login may not create or upgrade the schema (a station's role); its owner may."""


@dataclass(frozen=True)
class SchemaChange:
    """What ``ensure_schema`` did: created (``before`` None) or upgraded, and the backup."""

    before: str | None
    after: str
    backup: str | None = None

    def describe(self, where: str) -> str:
        if self.before is None:
            return f"created the Packbench schema ({self.after}) in {where}"
        return f"upgraded the schema of {where} from {self.before} to {self.after}"


@dataclass(frozen=True)
class SchemaState:
    """Where a database stands against this Packbench, read without changing anything."""

    current: str | None
    head: str
    known: bool  # current is one of our revisions (or None)
    may_change: bool  # this login may create (or upgrade) the schema
    login: str | None
    owner: str | None  # who may, on PostgreSQL: the schema's (or the database's) owner

    @property
    def ready(self) -> bool:
        return self.current == self.head

    def problem(self, url: URL, name: str = "The central store") -> SchemaError | None:
        """Why this login cannot bring the database to ``head`` itself (None: it can)."""
        if self.ready:
            return None
        where = f"{name} {shown(url)}" if name else shown(url)
        if not self.known:
            return SchemaTooNew(
                f"{where} was written by a newer Packbench (schema {self.current}); "
                f"this one knows up to {self.head}, and nothing was changed.",
                "Update Packbench on this computer to the version that wrote it (put the newer "
                "release in its folder and run `make run`), or point the configuration at "
                "another database.",
            )
        if self.may_change:
            return None
        owner_url = url.set(username=self.owner, password=None) if self.owner else url
        role = f"role {self.login}" if self.login else "login"
        if self.current is None:
            found = f"{where} has no Packbench schema yet"
            refusal = f"this station's {role} may not create tables there"
        else:
            found = f"{where} has schema {self.current}; this Packbench needs {self.head}"
            refusal = f"this station's {role} may not change its tables"
        owner = f" ({self.owner})" if self.owner else ""
        return SchemaNotOurs(
            f"{found}, and {refusal} (a station's role has only the grants docs/sync.md "
            "lists). Nothing was changed.",
            f"The database owner{owner} runs, once: PACKBENCH_CENTRAL_URL="
            f"{owner_url.render_as_string(hide_password=True)} {FIX_COMMAND}",
        )


def shown(url: URL) -> str:
    """A database as a person may see it: the file of a SQLite URL, never a password."""
    if url.drivername.startswith("sqlite") and url.database:
        return url.database
    return url.render_as_string(hide_password=True)


def _alembic_config() -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@cache
def _revisions() -> tuple[str, frozenset[str]]:
    scripts = ScriptDirectory.from_config(_alembic_config())
    head = scripts.get_current_head()
    assert head is not None
    return head, frozenset(s.revision for s in scripts.walk_revisions())


def head_revision() -> str:
    return _revisions()[0]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return _current(connection)


def _current(connection: Connection) -> str | None:
    try:
        return MigrationContext.configure(connection).get_current_revision()
    except DBAPIError as error:
        if _sqlstate(error) != _INSUFFICIENT_PRIVILEGE:
            raise
        login = connection.engine.url.username or "(this login)"
        raise SchemaNotOurs(
            f"{shown(connection.engine.url)} has a Packbench schema, but this station's role "
            f"{login} may not read it ({_first_line(error)}). Nothing was changed.",
            "The database owner grants the station's role what docs/sync.md lists under "
            '"Central schema and a station\'s PostgreSQL role".',
        ) from error


def schema_state(engine: Engine) -> SchemaState:
    with engine.connect() as connection:
        return _state(connection)


def _state(connection: Connection) -> SchemaState:
    current = _current(connection)
    head, known = _revisions()
    login = owner = None
    may_change = True
    if connection.dialect.name == "postgresql" and current != head:
        row = connection.execute(text(_PG_RIGHTS)).one()
        login, may_change, owner = row.login, bool(row.may_change), row.owner
    return SchemaState(current, head, current is None or current in known, may_change, login, owner)


# Who am I, may I build (or alter) the schema, and who could. An empty store needs CREATE on
# the schema tables go to; an existing one needs the rights of its tables' owner (ALTER TABLE
# is the owner's alone). PostgreSQL 15 gives the public schema to pg_database_owner, a role
# no one logs in as: then the database's owner is the one to name.
_PG_RIGHTS = """
SELECT current_user AS login,
       CASE WHEN v.relowner IS NOT NULL THEN pg_has_role(v.relowner, 'USAGE')
            WHEN current_schema() IS NULL THEN false
            ELSE has_schema_privilege(current_schema(), 'CREATE') END AS may_change,
       COALESCE(pg_get_userbyid(v.relowner),
                NULLIF(pg_get_userbyid(n.nspowner), 'pg_database_owner'),
                pg_get_userbyid(d.datdba)) AS owner
FROM pg_database AS d
LEFT JOIN pg_namespace AS n ON n.nspname = current_schema()
LEFT JOIN pg_class AS v ON v.oid = to_regclass('alembic_version')
WHERE d.datname = current_database()
"""


# Any fixed number: PostgreSQL advisory locks are named by a bigint, per database.
SCHEMA_LOCK_KEY = 0x7061636B62656E63  # "packbenc"


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate to ``revision`` under the schema lock (tests build older stores with it)."""
    with _migrating(engine) as connection:
        _run_alembic(connection, revision)


def ensure_schema(engine: Engine, sqlite_file: Path | None = None) -> SchemaChange | None:
    """Create or upgrade the schema to this Packbench's; None when it already was.

    The check and the migration are one transaction under the schema lock, so of several
    processes finding an empty store one builds it and the others, once it has committed,
    find nothing left to do. An older SQLite file is copied aside first (``backup``).
    """
    current = current_revision(engine)  # the everyday case, without waiting for any lock
    head, known = _revisions()
    if current == head:
        return None
    if current is not None and current not in known:
        _refuse(engine, _state_without_rights(current))
    backup = None
    if current is not None and sqlite_file is not None and sqlite_file.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        backup = sqlite_file.with_name(f"{sqlite_file.name}.{current}.{stamp}.bak")
        _copy_sqlite(sqlite_file, backup)
    with _migrating(engine) as connection:
        state = _state(connection)
        if state.ready:
            return None  # another process built it while this one waited for the lock
        _refuse(engine, state)
        try:
            _run_alembic(connection, "head")
        except DBAPIError as error:
            if _sqlstate(error) != _INSUFFICIENT_PRIVILEGE:
                raise
            denied = SchemaState(state.current, head, True, False, state.login, state.owner)
            _refuse(engine, denied, error)
    return SchemaChange(state.current, head, str(backup) if backup else None)


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """One transaction under the schema lock. On SQLite the foreign keys are off for it (the
    documented way to copy a table others refer to: with them on, dropping the old table
    deletes or refuses its children) and checked whole before it commits."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        driver: Any = connection.connection.driver_connection
        if sqlite:  # outside any transaction, where SQLite allows it
            driver.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                _lock(connection)
                yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if broken is not None:
                        raise SchemaError(
                            f"the upgrade would leave a row of {broken[0]} naming a missing "
                            f"{broken[2]} row, so nothing was changed",
                            "Restore the backup copy or ask for help; the data is as it was.",
                        )
        finally:
            if sqlite:
                driver.execute("PRAGMA foreign_keys=ON")


def _state_without_rights(current: str | None) -> SchemaState:
    head, known = _revisions()
    return SchemaState(current, head, current is None or current in known, True, None, None)


def _refuse(engine: Engine, state: SchemaState, cause: Exception | None = None) -> None:
    name = "The database" if engine.url.drivername.startswith("sqlite") else "The central store"
    problem = state.problem(engine.url, name)
    if problem is not None:
        raise problem from cause


def _lock(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        # Held until this transaction ends: from reading the version to committing the new
        # one. (On SQLite the transaction's BEGIN IMMEDIATE writer lock does the same.)
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})


def _run_alembic(connection: Connection, revision: str) -> None:
    cfg = _alembic_config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


def _sqlstate(error: DBAPIError) -> str | None:
    return getattr(error.orig, "sqlstate", None)


def _first_line(error: DBAPIError) -> str:
    lines = str(error.orig).strip().splitlines()
    return lines[0] if lines else type(error.orig).__name__


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite file, its WAL included (the online backup API)."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
