"""Backups of the station's own database, and restoring one.

A backup is taken with SQLite's online backup API (``sqlite3.Connection.backup``): a
consistent copy even while the app writes, page by page, never a half-copied file. Backups
are named by station and UTC time in ``[backup] folder`` (the data folder's ``backups``),
and only the newest ``[backup] keep`` are kept. The app takes one a day by itself
(``app.bootstrap.DailyBackup``); ``packbench backup`` takes one now.

Restoring replaces the station's file with a backup's contents. Commands waiting in the
outbox that the backup does not hold would be lost (never pushed to the central store), so
``restore`` refuses unless forced and says how many. The file it replaces is kept beside
it as ``.before-restore``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.config import Config, ConfigError
from app.domain.errors import DomainError

_NAME = re.compile(r"^station-(?P<station>[A-Za-z0-9_-]+)-(?P<at>\d{8}T\d{12}Z)\.sqlite3$")
_STAMP = "%Y%m%dT%H%M%S%fZ"


class RestoreRefused(DomainError):
    """Restoring would lose work, or the file is not a station database."""


def backup_folder(config: Config) -> Path:
    return config.backup_folder or config.paths.data_dir / "backups"


def backups(config: Config) -> list[Path]:
    """This folder's station backups, oldest first."""
    folder = backup_folder(config)
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if _NAME.match(p.name)]
    return sorted(found, key=lambda p: _taken_at(p))


def _taken_at(path: Path) -> dt.datetime:
    match = _NAME.match(path.name)
    assert match is not None
    return dt.datetime.strptime(match["at"], _STAMP).replace(tzinfo=dt.UTC)


def last_backup_at(config: Config) -> dt.datetime | None:
    found = backups(config)
    return _taken_at(found[-1]) if found else None


@dataclass(frozen=True)
class BackupMade:
    file: Path
    size: int
    removed: tuple[Path, ...]

    def line(self) -> str:
        gone = f"; {len(self.removed)} older removed" if self.removed else ""
        return f"backup saved: {self.file} ({self.size:,} bytes){gone}"


def make_backup(config: Config, now: dt.datetime | None = None) -> BackupMade:
    """Copy the station's database with the online backup API; keep the newest ``keep``."""
    source_file = config.local_database
    if not source_file.is_file():
        raise ConfigError(
            f"There is no station database to back up yet ({source_file}); it is made the "
            "first time packbench starts."
        )
    now = now or dt.datetime.now(dt.UTC)
    folder = backup_folder(config)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"station-{config.station_id}-{now.strftime(_STAMP)}.sqlite3"
    partial = target.with_suffix(".partial")
    source = sqlite3.connect(f"file:{source_file}?mode=ro", uri=True)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    partial.replace(target)  # a backup is whole or absent
    kept = backups(config)
    removed = tuple(kept[: max(0, len(kept) - config.backup_keep)])
    for old in removed:
        old.unlink(missing_ok=True)
    return BackupMade(target, target.stat().st_size, removed)


def _pending_commands(file: Path) -> set[str]:
    connection = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT command_id FROM outbox WHERE state = 'pending'")
        return {row[0] for row in rows}
    finally:
        connection.close()


def _all_commands(file: Path) -> set[str]:
    connection = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    try:
        return {row[0] for row in connection.execute("SELECT command_id FROM outbox")}
    finally:
        connection.close()


@dataclass(frozen=True)
class Restored:
    file: Path
    kept_as: Path | None
    lost: int

    def line(self) -> str:
        kept = f"; the file it replaced is kept as {self.kept_as}" if self.kept_as else ""
        lost = f"; {self.lost} unsynced commands were dropped" if self.lost else ""
        return f"restored {self.file} into the station database{kept}{lost}"


def restore_backup(config: Config, file: Path, *, force: bool = False) -> Restored:
    """Put ``file``'s contents in place of the station's database (see the module)."""
    if not file.is_file():
        raise RestoreRefused(f"{file} does not exist: name a backup file (packbench backup).")
    try:
        backed_up = _all_commands(file)
    except sqlite3.DatabaseError as error:
        raise RestoreRefused(
            f"{file} is not a Packbench station database ({error}); nothing was changed."
        ) from error
    current = config.local_database
    holder = _app_holding(current)
    if holder is not None:
        raise RestoreRefused(
            f"Packbench is running on this station (process {holder}) and has the database "
            "open; close it, then restore."
        )
    lost = 0
    if current.is_file():
        try:
            lost = len(_pending_commands(current) - backed_up)
        except sqlite3.DatabaseError:
            lost = 0  # the current file is damaged: that is why one restores
        if lost and not force:
            raise RestoreRefused(
                f"This station has {lost} commands not yet pushed to the central store that "
                f"{file.name} does not hold; restoring would lose them. Let the station sync "
                "first (packbench sync --once), or add --force to drop them."
            )
    kept_as = None
    if current.is_file():
        stamp = dt.datetime.now(dt.UTC).strftime(_STAMP)
        kept_as = current.with_name(f"{current.name}.before-restore-{stamp}")
        _copy(current, kept_as)
    current.parent.mkdir(parents=True, exist_ok=True)
    _copy(file, current)
    return Restored(file, kept_as, lost)


def _app_holding(database: Path) -> int | None:
    """The process id of a running app holding the station (its lock file beside the
    database, ``ui.single_instance``: the pid on the first line); None when none is."""
    try:
        pid = int((database.parent / f"{database.name}.lock").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None  # left by a process that is gone
    except PermissionError:
        return pid  # alive, another user's
    return pid


def _copy(source_file: Path, target_file: Path) -> None:
    """Copy one SQLite database over another with the backup API (WAL and all)."""
    source = sqlite3.connect(f"file:{source_file}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(target_file)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
