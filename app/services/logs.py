"""The station's log files, read back for the supervisor's log viewer.

``packbench.log`` and its rotated copies (``packbench.log.1`` ... ``.5``, oldest last) in
the user log folder; each entry is a line ``TIME LEVEL LOGGER: MESSAGE``, and lines that do
not start so (a traceback) belong to the entry above them.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from dataclasses import dataclass
from pathlib import Path

LOG_FILE = "packbench.log"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_URL_PASSWORD = re.compile(r"(?P<head>://[^/:@\s]*:)[^/@\s]+@")


class HidePasswords(logging.Filter):
    """A database URL's password never reaches a log line, whoever formatted the URL.

    The code shows URLs through ``render_as_string(hide_password=True)`` already; this is the
    net under it, for a driver's or a library's own message that quotes one. Badges and PINs
    are never logged at all (tests/ui/test_secrets_in_logs.py greps for them).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = _URL_PASSWORD.sub(r"\g<head>***@", message)
        if hidden != message:
            record.msg, record.args = hidden, None
        return True


def log_to_folder(log_dir: Path) -> bool:
    """Log INFO and up to ``log_dir``/packbench.log, rotated at 2 MB with 5 kept; False when
    the folder cannot be written (the app then runs without a log file)."""
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_dir / LOG_FILE, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return False
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(HidePasswords())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # Alembic says "Context impl SQLiteImpl." at every database opened; the app itself logs
    # each schema it creates or upgrades.
    logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)
    return True


LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_ENTRY = re.compile(
    r"^(?P<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (?P<level>[A-Z]+) (?P<logger>[^:]+): "
)


@dataclass(frozen=True)
class LogEntry:
    at: str
    level: str
    logger: str
    text: str  # the message, with any lines that followed it

    def line(self) -> str:
        return f"{self.at} {self.level} {self.logger}: {self.text}"


def log_files(log_dir: Path) -> list[Path]:
    """The log and its rotated copies, oldest first."""
    rotated = sorted(
        log_dir.glob(f"{LOG_FILE}.*"),
        key=lambda p: int(p.suffix[1:]) if p.suffix[1:].isdigit() else 0,
        reverse=True,
    )
    current = log_dir / LOG_FILE
    return [p for p in rotated if p.suffix[1:].isdigit()] + ([current] if current.exists() else [])


def read_entries(
    log_dir: Path, *, level: str = "DEBUG", containing: str = "", newest: int = 5000
) -> list[LogEntry]:
    """The newest ``newest`` entries at ``level`` or above whose text holds ``containing``
    (case-insensitive), oldest first."""
    floor = logging.getLevelName(level)
    wanted = containing.casefold()
    entries: list[LogEntry] = []
    for file in log_files(log_dir):
        try:
            text = file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for raw in text.splitlines():
            match = _ENTRY.match(raw)
            if match:
                entries.append(
                    LogEntry(match["at"], match["level"], match["logger"], raw[match.end() :])
                )
            elif entries:
                last = entries[-1]
                entries[-1] = LogEntry(last.at, last.level, last.logger, last.text + "\n" + raw)
    chosen = [
        e
        for e in entries
        if _level(e.level) >= floor and (not wanted or wanted in e.line().casefold())
    ]
    return chosen[-newest:]


def _level(name: str) -> int:
    value = logging.getLevelName(name)
    return value if isinstance(value, int) else logging.INFO
