"""The station's one way to the central store, shared by sync, claims, imports and the window.

Opened on first use (its schema created or upgraded then, ``ensure_schema``), so a station
starts while the central store is away and reaches it when it comes back. The status bar
learns how the store is from the sync loop's rounds, which go through this link too: nothing
else in the station opens central connections of its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import Engine

from app.db.migrate import SchemaChange, shown
from app.db.session import UnitOfWorkFactory, unit_of_work_factory
from app.sync.clock import stamp_changes, track_changes

Opener = Callable[[], tuple[Engine, SchemaChange | None]]


class CentralLink:
    """The central store's engine, opened once, from whichever thread asks first."""

    def __init__(self, opener: Opener, notify: Callable[[str], None]) -> None:
        self._open = opener
        self.notify = notify
        """Hears what was done to the central schema on the way (created, upgraded)."""
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    def engine(self) -> Engine:
        """The central store's engine, opened on first use.

        Raises the database's error when the store cannot be reached (tried again on the next
        call) and ``SchemaError`` when its schema cannot be used from here. The sync loop and
        a claim may ask at once, from two threads: one opens it.
        """
        with self._lock:
            if self._engine is None:
                engine, change = self._open()
                if change is not None:
                    self.notify(change.describe(shown(engine.url)))
                self._engine = engine
            return self._engine

    def units(self) -> UnitOfWorkFactory:
        """Units of work on the central store: every commit stamps its change number."""
        return unit_of_work_factory(
            self.engine(), before_commit=stamp_changes, on_open=track_changes
        )

    @property
    def opened(self) -> bool:
        return self._engine is not None

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
