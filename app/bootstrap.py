"""The one place that wires configuration, databases and services together.

Nothing is opened at import. ``open_station`` builds what a running station needs; the CLI,
the GUI and the tests all go through it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from app.config import Config, PackingSettings, central_connect_url
from app.db.migrate import SchemaChange, ensure_schema, shown
from app.db.session import UnitOfWorkFactory, create_db_engine, unit_of_work_factory
from app.domain.users import LockoutPolicy
from devices.documents_out import DocumentSink, open_document_sink
from devices.label_printer import PrinterLink, open_printer

log = logging.getLogger("packbench")


@dataclass
class Station:
    """A station's open databases and settings, handed to the UI and the commands."""

    config: Config
    local_engine: Engine
    local: UnitOfWorkFactory
    upgraded_from_backup: str | None = None
    demo: bool = False
    notify: Callable[[str], None] = field(default=log.info, repr=False)
    _central_engine: Engine | None = field(default=None, repr=False)
    _central_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def station_id(self) -> str:
        return self.config.station_id

    @property
    def packing(self) -> PackingSettings:
        return self.config.packing

    @property
    def lockout(self) -> LockoutPolicy:
        return LockoutPolicy(self.config.pin_attempts, self.config.lockout_minutes)

    def central_engine(self) -> Engine:
        """The central order store, opened on first use: its schema created or upgraded then.

        Raises the database's error when it cannot be reached (tried again on the next call)
        and ``SchemaError`` when its schema cannot be used from here. The status bar's probe
        and the sync worker may ask at once, from two threads: one opens it.
        """
        with self._central_lock:
            if self._central_engine is None:
                engine, change = open_central(self.config)
                if change is not None:
                    self.notify(change.describe(shown(engine.url)))
                self._central_engine = engine
            return self._central_engine

    def central(self) -> UnitOfWorkFactory:
        """Units of work on the central store: every commit stamps its change number."""
        from app.sync.clock import stamp_changes, track_changes

        return unit_of_work_factory(
            self.central_engine(), before_commit=stamp_changes, on_open=track_changes
        )

    def label_printer(self) -> PrinterLink | None:
        """The label printer the config names (None: no label printer at this bench)."""
        printer = self.config.printer
        return open_printer(printer.transport, printer.address)

    def document_sink(self) -> DocumentSink | None:
        """Where slips go: [printer] documents, else the documents folder."""
        destination = self.config.printer.documents or str(self.config.paths.documents_dir)
        return open_document_sink(destination)

    def close(self) -> None:
        self.local_engine.dispose()
        if self._central_engine is not None:
            self._central_engine.dispose()


def open_local_engine(config: Config) -> tuple[Engine, str | None]:
    """Open (creating or upgrading) this station's SQLite file."""
    config.local_database.parent.mkdir(parents=True, exist_ok=True)
    engine = create_db_engine(config.local_url)
    change = ensure_schema(engine, config.local_database)
    return engine, change.backup if change else None


def open_central(config: Config) -> tuple[Engine, SchemaChange | None]:
    """Open the central store, creating or upgrading its schema when it is not this one's.

    Whichever command reaches a store first builds it (``ensure_schema``: under an advisory
    lock on PostgreSQL); a login that may not is refused with the command its owner runs.
    """
    url = central_connect_url(config)
    engine = create_db_engine(url)
    file = Path(url.database) if url.drivername.startswith("sqlite") and url.database else None
    if config.central_is_embedded:
        config.paths.embedded_central_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        change = ensure_schema(engine, file)
    except BaseException:
        engine.dispose()
        raise
    return engine, change


def open_station(
    config: Config, *, demo: bool = False, notify: Callable[[str], None] | None = None
) -> Station:
    """The station with its local file open; ``notify`` hears what was done to the central
    store's schema on the way (default: the log)."""
    engine, backup = open_local_engine(config)
    station = Station(config, engine, unit_of_work_factory(engine), backup, demo)
    if notify is not None:
        station.notify = notify
    return station
