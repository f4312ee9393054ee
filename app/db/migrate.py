"""Bring a database to the schema this version of Packbench expects.

A station upgrades its local file on start; an older file is copied aside first, so a failed
upgrade never leaves the only copy half-migrated.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

MIGRATIONS = Path(__file__).with_name("migrations")


class SchemaTooNew(Exception):
    """The database was written by a newer Packbench than this one."""


def _alembic_config() -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


# Any fixed number: PostgreSQL advisory locks are named by a bigint, per database.
SCHEMA_LOCK_KEY = 0x7061636B62656E63  # "packbenc"


def upgrade(engine: Engine, revision: str = "head") -> None:
    cfg = _alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Stations starting together on an empty central store would each create the
            # tables and all but one fail half-way. The first takes this lock and migrates;
            # the others wait here until it commits, and then Alembic, reading the version
            # inside the lock, finds nothing left to do. (SQLite's writer lock does the same.)
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def ensure_schema(engine: Engine, sqlite_file: Path | None = None) -> str | None:
    """Create or upgrade the schema; returns the backup made of an older file, if any."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return None
    known = {s.revision for s in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}
    if current is not None and current not in known:
        raise SchemaTooNew(
            f"{sqlite_file or engine.url.render_as_string(hide_password=True)} was written by a "
            f"newer Packbench (schema {current}); this one knows up to {head}. Install the newer "
            "version, or point the configuration at another database."
        )
    backup = None
    if current is not None and sqlite_file is not None and sqlite_file.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        backup = sqlite_file.with_name(f"{sqlite_file.name}.{current}.{stamp}.bak")
        _copy_sqlite(sqlite_file, backup)
    upgrade(engine)
    return str(backup) if backup else None


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite file, its WAL included (the online backup API)."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
