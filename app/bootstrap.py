"""The one place that wires configuration, databases, devices and the station's loops.

Nothing is opened at import. ``open_station`` builds what a running station has: its own
database, the link to the central store, the serial scanner and the scale ``[scanner]`` and
``[scale]`` name, the label printer and documents destination (opened by the spooler when it
sends), the print spooler and the sync loop. Nothing runs until ``Station.start`` (the
window, once its links listen) or a headless command starts the part it needs
(``packbench spool`` the spooler). The UI receives all of it and builds none; services get
the station as its ``StationContext`` and devices through the interfaces they declare.

Device threads and loops here are plain Python: they report through ``app.events.Event``,
and ``ui/`` re-emits what it shows as Qt signals.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from app.config import Config, PrinterSettings, ScaleSettings, ScannerSettings, central_connect_url
from app.context import StationContext
from app.db.errors import login_of
from app.db.migrate import SchemaChange, ensure_schema
from app.db.session import create_db_engine, unit_of_work_factory
from app.domain.scans import Scan
from app.events import Event
from app.faults import CrashReports, Fault, fault_of
from app.services.backup import last_backup_at, make_backup
from app.services.spooler import PrintSpooler
from app.sync.link import CentralLink
from app.sync.loop import SyncLoop
from devices.documents_out import DocumentSink, open_document_sink
from devices.label_printer import PrinterLink, open_printer
from devices.scale import Reading, ScaleState, SicsScale
from devices.serial_scanner import ScannerState, SerialScanner

log = logging.getLogger("packbench")


class ScannerFeed:
    """A serial scanner the station reads: the reader thread and what it reports.

    Events (called on the reader thread): ``scanned`` (a ``Scan``), ``state_changed``
    (the ``ScannerState`` and a sentence for the person).
    """

    def __init__(self, settings: ScannerSettings, port: str) -> None:
        self.port = port
        self.scanned: Event[[Scan]] = Event(f"scans from {port}")
        self.state_changed: Event[[ScannerState, str]] = Event(f"state of {port}")
        self.reader = SerialScanner(
            port,
            baudrate=settings.baudrate,
            prefix=settings.prefix,
            suffix=settings.suffix_chars or "\r",
            on_scan=self.scanned.emit,
            on_state=self.state_changed.emit,
        )
        self.source = self.reader.source
        self.running = False

    @property
    def state(self) -> ScannerState:
        return self.reader.state

    def reopen(self, settings: ScannerSettings) -> None:
        """Read with new line settings (speed, prefix, suffix); the same events go on."""
        was_running = self.running
        self.stop()
        self.reader = SerialScanner(
            self.port,
            baudrate=settings.baudrate,
            prefix=settings.prefix,
            suffix=settings.suffix_chars or "\r",
            on_scan=self.scanned.emit,
            on_state=self.state_changed.emit,
        )
        self.source = self.reader.source
        if was_running:
            self.start()

    def start(self) -> None:
        if not self.running:
            self.reader.start()
            self.running = True

    def stop(self) -> None:
        self.reader.stop()
        self.running = False


class ScaleFeed:
    """The bench scale: its polling thread, its last reading, and what it reports.

    Events (called on the scale's thread): ``reading`` (about five a second),
    ``state_changed`` (the ``ScaleState`` and a sentence).
    """

    def __init__(self, settings: ScaleSettings) -> None:
        self.port = settings.port
        self.reading: Event[[Reading]] = Event(f"readings of {settings.port}")
        self.state_changed: Event[[ScaleState, str]] = Event(f"state of {settings.port}")
        self.last: Reading | None = None
        self.scale = SicsScale(
            settings.port,
            settings.baudrate,
            on_reading=self._on_reading,
            on_state=self.state_changed.emit,
        )
        self.running = False

    def _on_reading(self, reading: Reading) -> None:
        # Kept at once, on the scale's thread (one reference, set atomically): a weight is
        # current even while the window is busy.
        self.last = reading
        self.reading.emit(reading)

    def stable_grams(self, max_age_s: float = 2.0) -> int | None:
        """The last stable weight, if it is fresh (the parcel is still on the scale)."""
        last = self.last
        if last is None or not last.stable or time.monotonic() - last.at > max_age_s:
            return None
        return last.grams

    def zero(self) -> None:
        self.scale.zero()

    def reopen(self, settings: ScaleSettings) -> None:
        """Poll the scale on a new port or at a new speed; the same events go on."""
        was_running = self.running
        self.stop()
        self.port = settings.port
        self.last = None
        self.scale = SicsScale(
            settings.port,
            settings.baudrate,
            on_reading=self._on_reading,
            on_state=self.state_changed.emit,
        )
        if was_running:
            self.start()

    def start(self) -> None:
        if not self.running:
            self.scale.start()
            self.running = True

    def stop(self) -> None:
        self.scale.stop()
        self.running = False


class DailyBackup:
    """Backs the station's database up when the newest backup is a day old (checked at
    start and every hour after), with ``app.services.backup``; a failure is reported to
    ``failed`` and tried again at the next check."""

    def __init__(self, config: Callable[[], Config], every_s: float = 3600.0) -> None:
        self._config = config
        self._every_s = every_s
        self.failed: Event[[BaseException]] = Event("daily backup failures")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def due(self, now: dt.datetime) -> bool:
        config = self._config()
        last = last_backup_at(config)
        return config.backup_daily and (last is None or now - last >= dt.timedelta(days=1))

    def run_once(self) -> None:
        try:
            if self.due(dt.datetime.now(dt.UTC)):
                log.info("%s", make_backup(self._config()).line())
        except Exception as error:
            self.failed.emit(error)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self._every_s)

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="daily backup", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        thread, self._thread = self._thread, None
        self._stop.set()
        if thread is not None:
            thread.join(timeout=5)


@dataclass(kw_only=True)
class Station(StationContext):
    """A station: its context (config, databases, central link) with its devices and loops.

    Built by ``open_station``; ``start`` runs the devices and loops, ``stop`` ends them (they
    may be started again), ``close`` stops them and closes the databases.
    """

    upgraded_from_backup: str | None = None
    scanners: dict[str, ScannerFeed] = field(default_factory=dict)
    scale: ScaleFeed | None = None
    spooler: PrintSpooler = field(init=False)
    sync: SyncLoop = field(init=False)
    backup: DailyBackup = field(init=False)
    crash_reports: CrashReports = field(init=False)
    faulted: Event[[Fault]] = field(init=False)
    """Each fault the station's threads met (a bug has its report saved by then)."""

    def __post_init__(self) -> None:
        config = self.config
        self.crash_reports = CrashReports(config.paths.log_dir, config.station_id)
        self.faulted = Event("station faults")
        self.spooler = PrintSpooler(
            self.local,
            printer=lambda: open_label_printer(self.config.printer),
            documents=lambda: open_documents(self.config),
        )
        self.sync = SyncLoop(self, config.sync_interval_s)
        self.backup = DailyBackup(lambda: self.config)
        self.backup.failed.connect(lambda error: self.report(error, "in the daily backup"))
        self.spooler.failed.connect(lambda error: self.report(error, "in the print spooler"))
        self.sync.failed.connect(lambda error: self.report(error, "in the background sync"))
        scanner = config.scanner
        if scanner.mode == "serial" and scanner.port:
            self.add_scanner(scanner.port)
        if config.scale.port:
            self.scale = ScaleFeed(config.scale)

    def add_scanner(self, port: str) -> ScannerFeed:
        """The serial scanner at ``port`` (a path or pyserial URL), built once; not started."""
        feed = self.scanners.get(port)
        if feed is None:
            feed = self.scanners[port] = ScannerFeed(self.config.scanner, port)
        return feed

    def reconfigure(self, config: Config) -> list[str]:
        """Work with ``config`` from now on, reopening the devices whose settings changed;
        the settings that take a restart to apply, by section and key."""
        old, self.config = self.config, config
        restart = [
            name
            for name, before, after in (
                ("[station] id", old.station_id, config.station_id),
                ("[central] url", old.central_url, config.central_url),
                (
                    "[central] password_file",
                    old.central_password_file,
                    config.central_password_file,
                ),
                ("[local] database", old.local_database, config.local_database),
                ("[ui] font_size", old.font_size, config.font_size),
                ("[ui] language", old.language, config.language),
                ("[scanner] mode", old.scanner.mode, config.scanner.mode),
                ("[scanner] port", old.scanner.port, config.scanner.port),
                ("[central] sync_seconds", old.sync_interval_s, config.sync_interval_s),
            )
            if before != after
        ]
        if config.scanner != old.scanner:
            for feed in self.scanners.values():
                feed.reopen(config.scanner)
        if config.scale != old.scale:
            if self.scale is not None and config.scale.port:
                self.scale.reopen(config.scale)
            elif bool(config.scale.port) != (self.scale is not None):
                restart.append("[scale] port")
        # The label printer and the documents destination are opened for each job from
        # self.config (see __post_init__): the next job uses the new ones.
        log.info("station settings applied%s", f"; at restart: {restart}" if restart else "")
        return restart

    def report(self, error: BaseException, where: str) -> Fault:
        """Tell ``error`` as a ``Fault`` (saving the report of a bug) to ``faulted``."""
        login = login_of(self.config.central_url)
        fault = fault_of(error, where, self.crash_reports, central_login=login)
        self.faulted.emit(fault)
        return fault

    def start(self, *, first_sync_after_s: float = 0.0) -> None:
        """Run everything the station has: scanners, scale, spooler and sync loop (its first
        round at once: it is also how the window learns whether the central store answers)."""
        for feed in self.scanners.values():
            feed.start()
        if self.scale is not None:
            self.scale.start()
        self.spooler.start()
        self.sync.start(first_sync_after_s)
        self.backup.start()

    def stop(self) -> None:
        for feed in self.scanners.values():
            feed.stop()
        if self.scale is not None:
            self.scale.stop()
        self.spooler.stop()
        self.sync.stop()
        self.backup.stop()

    def close(self) -> None:
        self.stop()
        self.local_engine.dispose()
        self.central_link.close()


def open_label_printer(settings: PrinterSettings, timeout: float = 5.0) -> PrinterLink | None:
    """The label printer ``[printer]`` names (None: no label printer at this bench).

    Nothing is opened yet; a malformed address raises ``ValueError`` naming a good one.
    """
    return open_printer(settings.transport, settings.address, timeout=timeout)


def read_weight_once(settings: ScaleSettings, timeout_s: float = 3.0) -> Reading | None:
    """Open the scale ``settings`` name, wait for one reading (stable if one comes within
    ``timeout_s``), close it; None when it said nothing (the settings dialog's button)."""
    readings: list[Reading] = []
    arrived = threading.Event()

    def on_reading(reading: Reading) -> None:
        readings.append(reading)
        if reading.stable:
            arrived.set()

    scale = SicsScale(settings.port, settings.baudrate, on_reading=on_reading)
    scale.start()
    try:
        arrived.wait(timeout_s)
    finally:
        scale.stop()
    stable = [r for r in readings if r.stable]
    chosen = stable or readings
    return chosen[-1] if chosen else None


def open_documents(config: Config) -> DocumentSink | None:
    """Where slips go: ``[printer] documents``, else the documents folder."""
    return open_document_sink(config.printer.documents or str(config.paths.documents_dir))


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
    """The station with its local file open and its devices and loops built (not started);
    ``notify`` hears what was done to the central store's schema on the way (default: the
    log)."""
    engine, backup = open_local_engine(config)
    return Station(
        config=config,
        local_engine=engine,
        local=unit_of_work_factory(engine),
        central_link=CentralLink(lambda: open_central(config), notify or log.info),
        demo=demo,
        upgraded_from_backup=backup,
    )
