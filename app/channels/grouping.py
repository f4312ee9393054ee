"""Where each order's rows are in a CSV file, so an order is read whole wherever its rows are.

Real exports are sorted by date, SKU or customer, so the rows of one order can be anywhere in
the file. The checking pass records, for every run of consecutive rows with the same order
key, where the run is (its byte offset and length, the line before it) in a scratch SQLite
file; the reading pass asks for the runs ordered by key, then by position, and reads each by
seeking. Memory stays bounded whatever the file's size: the
index lives on disk (a few MB of SQLite page cache), and SQLite sorts it in temporary files
when it does not fit. A file that is already grouped costs one run per order and one read
per order.

The scratch file is not the order store: it is made in the temporary directory (``TMPDIR``)
and removed when the import ends.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

# Rows written to the index per executemany: large enough to cost nothing per row.
_FLUSH_RUNS = 20_000
# SQLite's page cache (and sorter) in KiB: the index never holds more in memory than this.
_CACHE_KIB = 8_192
# How a group is stored: a run of rows without an order key as _BLANK and its line (each such
# run a group of its own, never merged with another), an order key as _KEYED and the key.
# The prefixes keep the two apart whatever a key holds (a NUL is refused later, by the text
# rule, with its order), and sort the groups without a key first.
_BLANK = "\x00"
_KEYED = "\x01"


@dataclass(frozen=True)
class Run:
    """Consecutive rows of one order: bytes [offset, offset + length) of the file's text
    (after any byte-order mark), starting after physical line ``line``."""

    offset: int
    length: int
    line: int
    rows: int


class OrderIndex:
    """The runs of each order key, on disk; ``add`` rows in file order, then ``finish``."""

    def __init__(self) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="packbench-import-"))
        try:
            self._db = sqlite3.connect(self._dir / "rows.sqlite3", isolation_level=None)
            for pragma in (
                "journal_mode = OFF",  # scratch data: a crash loses nothing worth keeping
                "synchronous = OFF",
                "temp_store = FILE",
                f"cache_size = -{_CACHE_KIB}",
            ):
                self._db.execute(f"PRAGMA {pragma}")
            self._db.execute(
                "CREATE TABLE runs (n INTEGER PRIMARY KEY, key TEXT NOT NULL, "
                "offset INTEGER NOT NULL, length INTEGER NOT NULL, line INTEGER NOT NULL, "
                "rows INTEGER NOT NULL)"
            )
            self._db.execute("BEGIN")
        except BaseException:
            shutil.rmtree(self._dir, ignore_errors=True)
            raise
        self._pending: list[tuple[int, str, int, int, int, int]] = []
        self._runs = 0
        self._key: str | None = None  # the key of the run being added to
        self._stored = ""
        self._start = self._end = self._line = self._rows = 0
        self.orders = 0  # distinct keys, once finished

    def add(self, key: str, offset: int, length: int, line: int) -> None:
        """One row: its order key ("" when it has none), its bytes and the line before it."""
        current = self._key
        if current is not None and offset == self._end and key == current:
            self._end = offset + length
            self._rows += 1
            return
        self._close_run()
        self._key = key
        self._stored = f"{_KEYED}{key}" if key else f"{_BLANK}{line + 1:012d}"
        self._start, self._end, self._line, self._rows = offset, offset + length, line, 1

    def finish(self) -> int:
        """Write what is pending; returns how many groups (orders) the file holds."""
        self._close_run()
        self._flush()
        self._db.execute("COMMIT")
        self.orders = self._db.execute("SELECT COUNT(DISTINCT key) FROM runs").fetchone()[0]
        return self.orders

    def groups(self) -> Iterator[tuple[str | None, list[Run]]]:
        """Each key with its runs: keys in text order, runs in file order; each run of rows
        without a key first, as a group of its own with the key None."""
        # By key, not by first appearance: orders then reach the store in the order of its
        # unique index on the channel's id, so each commit appends to the index instead of
        # touching pages all over it (a shuffled million-row file: 1.5x the disk writes and
        # 1.5-2.5x the time in first-appearance order, measured).
        cursor = self._db.execute(
            "SELECT key, offset, length, line, rows FROM runs ORDER BY key, n"
        )
        key = ""
        runs: list[Run] = []
        for stored, offset, length, line, rows in cursor:
            if stored != key and runs:
                yield _given(key), runs
                runs = []
            key = stored
            runs.append(Run(offset, length, line, rows))
        if runs:
            yield _given(key), runs

    def close(self) -> None:
        self._db.close()
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> OrderIndex:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def _close_run(self) -> None:
        if self._key is None:
            return
        self._runs += 1
        self._pending.append(
            (
                self._runs,
                self._stored,
                self._start,
                self._end - self._start,
                self._line,
                self._rows,
            )
        )
        self._key = None
        if len(self._pending) >= _FLUSH_RUNS:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._db.executemany("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?)", self._pending)
            self._pending.clear()


def _given(stored: str) -> str | None:
    """The order key of a stored group; None for rows without one."""
    return stored[1:] if stored.startswith(_KEYED) else None
