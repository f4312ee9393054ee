"""The one place that wires configuration, databases and services together.

Nothing is opened at import. ``open_station`` builds what a running station needs; the CLI,
the GUI and the tests all go through it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from app.config import Config, PackingSettings, central_connect_url
from app.db.migrate import ensure_schema
from app.db.session import UnitOfWorkFactory, create_db_engine, unit_of_work_factory
from app.domain.users import LockoutPolicy
from devices.documents_out import DocumentSink, open_document_sink
from devices.label_printer import PrinterLink, open_printer


@dataclass
class Station:
    """A station's open databases and settings, handed to the UI and the commands."""

    config: Config
    local_engine: Engine
    local: UnitOfWorkFactory
    upgraded_from_backup: str | None = None
    demo: bool = False
    _central_engine: Engine | None = field(default=None, repr=False)

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
        """The central order store, connected on first use (it may be offline)."""
        if self._central_engine is None:
            self._central_engine = open_central_engine(self.config)
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
    backup = ensure_schema(engine, config.local_database)
    return engine, backup


def open_central_engine(config: Config) -> Engine:
    engine = create_db_engine(central_connect_url(config))
    if config.central_is_embedded:
        # The embedded store belongs to this bench: create or upgrade it like the local file.
        config.paths.embedded_central_file.parent.mkdir(parents=True, exist_ok=True)
        ensure_schema(engine, config.paths.embedded_central_file)
    return engine


def open_station(config: Config, *, demo: bool = False) -> Station:
    engine, backup = open_local_engine(config)
    return Station(config, engine, unit_of_work_factory(engine), backup, demo)
