"""What went wrong, told apart: the station's surroundings, or a bug in Packbench.

Known conditions of the environment (the disk full, the database read-only, the label
printer gone, the central store away) are named with what to do, and nothing is saved
beyond a line in the log: the person can put them right. Anything else is a bug: a crash
report (traceback, version, station, where it happened) is saved under the log folder, the
log gets the traceback, and the person is told calmly where the report is. Nobody at a
bench ever sees a traceback.

The window (``ui.faults``), the station's threads (``app.bootstrap``) and the ``packbench``
command all describe an error through ``fault_of``; each shows the ``Fault`` its own way.

``PACKBENCH_FAULT`` makes Packbench raise a deliberate bug at a named place, to see this
handling at work (support may ask for it; the tests use it): ``command`` (any ``packbench``
command, once started), ``scan:TEXT`` (the window, when TEXT is scanned), ``spooler`` (each
pass of the print spooler), ``claim:NUMBER`` and ``release:NUMBER`` (the packing bench's
claim of order NUMBER in the central store, and its release when the order is put down).
"""

from __future__ import annotations

import errno
import logging
import os
import platform
import sqlite3
import sys
import tempfile
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from app import __version__
from app.db.errors import is_unreachable, missing_right
from app.domain.errors import DomainError
from devices.label_printer import PrinterUnreachable

log = logging.getLogger(__name__)

FAULT_ENV = "PACKBENCH_FAULT"


class FaultKind(StrEnum):
    DISK_FULL = "disk full"
    READ_ONLY = "cannot write"
    PRINTER_GONE = "printer gone"
    CENTRAL_AWAY = "central store away"
    NO_RIGHT = "no right in the central store"
    REFUSED = "refused"
    BUG = "bug"


@dataclass(frozen=True)
class Fault:
    """One error as a person is told it: what happened, and what to do.

    ``report`` is the crash report saved for a bug (None for the environment's faults, and
    when even the report could not be written).
    """

    kind: FaultKind
    what: str
    todo: str
    report: Path | None = None

    @property
    def is_bug(self) -> bool:
        return self.kind is FaultKind.BUG

    def line(self) -> str:
        return f"{self.what} {self.todo}".strip()


class DeliberateFault(RuntimeError):
    """Raised where ``PACKBENCH_FAULT`` asks: a bug on purpose, to see it handled."""


def deliberate(place: str, detail: str = "") -> None:
    """Raise ``DeliberateFault`` when ``PACKBENCH_FAULT`` names this place (and detail)."""
    wanted = os.environ.get(FAULT_ENV)
    if wanted and wanted == (f"{place}:{detail}" if detail else place):
        raise DeliberateFault(f"{FAULT_ENV}={wanted}: a bug raised on purpose")


def environment_fault(error: BaseException, central_login: str | None = None) -> Fault | None:
    """The known condition of the surroundings behind ``error``, if it is one.

    ``central_login``: the role the station logs in to the central store as, named when the
    store refuses it a right.
    """
    for cause in _causes(error):
        if isinstance(cause, PrinterUnreachable):
            return Fault(
                FaultKind.PRINTER_GONE,
                f"The label printer cannot be reached: {cause.message.rstrip('.')}.",
                "Check that it is on and connected; labels wait in the queue and print when "
                "it is back.",
            )
        if isinstance(cause, sqlite3.Error):
            code = (getattr(cause, "sqlite_errorcode", 0) or 0) & 0xFF
            text = str(cause)
            if code == sqlite3.SQLITE_FULL or "database or disk is full" in text:
                return _disk_full()
            if code == sqlite3.SQLITE_READONLY or "readonly database" in text:
                return _read_only("the station's database")
        if isinstance(cause, OSError) and cause.errno in (errno.ENOSPC, errno.EDQUOT):
            return _disk_full(cause.filename)
        if isinstance(cause, OSError) and cause.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return _read_only(str(cause.filename) if cause.filename else "its files")
        if not _is_central_driver(cause):
            continue
        refused = missing_right(cause, central_login)
        if refused is not None:
            return Fault(FaultKind.NO_RIGHT, refused.what(), refused.todo())
        # Only a lost link is the store away: any other error of the central store that
        # nobody caught (a constraint, a statement) is a bug of ours.
        if is_unreachable(cause):
            orig = getattr(cause, "orig", None) or cause
            reason = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
            return Fault(
                FaultKind.CENTRAL_AWAY,
                f"The central order store does not answer ({reason}).",
                "This station keeps working on its own database and catches up when the "
                "store is back; check the network and the server (packbench doctor says more).",
            )
    if isinstance(error, DomainError):  # a refusal nobody caught: its words are the person's
        return Fault(FaultKind.REFUSED, error.message, "")
    return None


def _disk_full(filename: object = None) -> Fault:
    where = f" ({filename})" if filename else ""
    return Fault(
        FaultKind.DISK_FULL,
        f"The disk is full{where}: what was just asked was not saved.",
        "Free some space on it (or ask IT to), then do it again. Everything saved before is kept.",
    )


def _read_only(what: str) -> Fault:
    return Fault(
        FaultKind.READ_ONLY,
        f"Packbench may not write to {what}: what was just asked was not saved.",
        "Ask IT to give Packbench write access to its data folder again, then do it again. "
        "Everything saved before is kept.",
    )


def _is_central_driver(error: BaseException) -> bool:
    """An error of a network database's driver, raw or wrapped by SQLAlchemy (the station's
    own file is SQLite)."""
    orig = error.orig if isinstance(error, DBAPIError) else error
    return orig is not None and type(orig).__module__.split(".")[0] == "psycopg"


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        if isinstance(orig, BaseException) and id(orig) not in seen:
            yield orig
            seen.add(id(orig))
        current = current.__cause__ or current.__context__


class CrashReports:
    """Where bugs are written down: one file per bug under ``directory``.

    The same bug met again by the same process (a loop that fails on every pass) is not
    written again: its first report is named.
    """

    def __init__(self, directory: Path, station_id: str | None = None) -> None:
        self.directory = directory
        self.station_id = station_id
        self._saved: dict[tuple[str, ...], Path] = {}
        self._lock = threading.Lock()

    def save(self, error: BaseException, where: str) -> Path | None:
        """Write the report; its path, or None when not even the temp folder took it."""
        key = (where, type(error).__name__, *_frames(error))
        with self._lock:
            known = self._saved.get(key)
            if known is None:
                known = self._write(error, where)
                if known is not None:
                    self._saved[key] = known
            return known

    def _write(self, error: BaseException, where: str) -> Path | None:
        now = datetime.now(UTC)
        text = self._text(error, where, now)
        name = f"crash-{now:%Y%m%d-%H%M%S}-{os.getpid()}-{threading.get_ident() % 10_000}.txt"
        for folder in (self.directory, Path(tempfile.gettempdir()) / "packbench-crash"):
            try:
                folder.mkdir(parents=True, exist_ok=True)
                path = folder / name
                path.write_text(text, encoding="utf-8")
            except OSError:
                continue
            return path
        return None

    def _text(self, error: BaseException, where: str, now: datetime) -> str:
        trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        return (
            "Packbench crash report\n"
            f"time: {now.isoformat(timespec='seconds')}\n"
            f"version: packbench {__version__}\n"
            f"station: {self.station_id or 'unknown'}\n"
            f"where: {where}\n"
            f"thread: {threading.current_thread().name}\n"
            f"python: {sys.version.split()[0]} on {platform.platform()}\n"
            f"error: {type(error).__name__}: {error}\n\n"
            f"{trace}"
        )


def _frames(error: BaseException) -> list[str]:
    return [f"{f.filename}:{f.lineno}" for f in traceback.extract_tb(error.__traceback__)]


def fault_of(
    error: BaseException, where: str, reports: CrashReports, central_login: str | None = None
) -> Fault:
    """``error`` told as a ``Fault``; for a bug the report is saved and the log gets it all."""
    known = environment_fault(error, central_login)
    if known is not None:
        log.warning("%s %s: %s", known.kind, where, error)
        return known
    path = reports.save(error, where)
    log.error("a bug %s (report: %s)", where, path, exc_info=error)
    saved = (
        f"The report is at {path}: give it to whoever looks after Packbench."
        if path is not None
        else "Not even a report could be saved; the log has what happened."
    )
    return Fault(
        FaultKind.BUG,
        f"Packbench hit a bug {where} (not something you did).",
        f"Everything saved before it is kept. {saved}",
        path,
    )
