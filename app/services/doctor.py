"""``packbench doctor``: each part of a station checked, with what is wrong and how to fix it."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

from app.config import (
    Config,
    ConfigError,
    PrinterSettings,
    central_connect_url,
    file_readable_by_others,
    load_config,
    resolve_paths,
)
from app.db import audit_chain, migrate
from app.db.errors import login_of, missing_right
from app.db.models import Order, OutboxCommand, Warehouse
from app.db.session import create_db_engine
from app.services.backup import backup_folder, last_backup_at
from app.services.printjobs import LabelPrinter
from devices.label_printer import PrinterUnreachable

Status = Literal["ok", "warn", "fail"]

PrinterOpener = Callable[[PrinterSettings, float], LabelPrinter | None]
"""Opens the label printer ``[printer]`` names, with a timeout (``app.bootstrap`` has it):
None for none; ``ValueError`` for an address that cannot be one."""


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str = ""


@dataclass
class Report:
    station: str | None = None
    warehouse: str | None = None  # [station] warehouse; "" : every warehouse
    config_file: str | None = None
    checks: list[Check] = field(default_factory=list)
    local_orders: int | None = None
    central_orders: int | None = None
    outbox: int | None = None
    log_dir: str | None = None

    @property
    def ok(self) -> bool:
        return all(c.status != "fail" for c in self.checks)

    def add(self, name: str, status: Status, detail: str, fix: str = "") -> None:
        self.checks.append(Check(name, status, detail, fix))

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "station": self.station,
            "warehouse": self.warehouse,
            "config_file": self.config_file,
            "local_orders": self.local_orders,
            "central_orders": self.central_orders,
            "outbox": self.outbox,
            "log_dir": self.log_dir,
            "checks": [asdict(c) for c in self.checks],
        }


def run_doctor(open_printer: PrinterOpener, env: Mapping[str, str] | None = None) -> Report:
    env = os.environ if env is None else env
    report = Report(config_file=str(resolve_paths(env).config_file))
    try:
        config = load_config(env)
    except ConfigError as error:
        report.add("config", "fail", str(error), "Correct the value named above.")
        return report
    report.station = config.station_id
    report.warehouse = config.warehouses.code
    report.add("config", "ok", f"{config.paths.config_file} (station {config.station_id})")
    _check_config_secrecy(report, config)
    _check_logs(report, config)
    _check_local(report, config)
    _check_backups(report, config)
    _check_central(report, config)
    _check_devices(report, config, open_printer)
    return report


def _check_logs(report: Report, config: Config) -> None:
    folder = config.paths.log_dir
    report.log_dir = str(folder)
    if folder.exists() and not os.access(folder, os.W_OK):
        report.add(
            "logs",
            "warn",
            f"The log folder {folder} cannot be written: nothing is logged.",
            f"Make it writable by this user (chown, chmod u+w {folder}).",
        )
        return
    report.add("logs", "ok", f"log folder {folder} (packbench.log, rotated at 2 MB, 5 kept)")


def _check_backups(report: Report, config: Config) -> None:
    last = last_backup_at(config)
    folder = backup_folder(config)
    if last is None:
        report.add(
            "backups",
            "warn" if config.local_database.exists() else "ok",
            f"no backup in {folder} yet",
            "packbench backup makes one now; the app makes one a day by itself.",
        )
        return
    report.add("backups", "ok", f"newest {last:%Y-%m-%d %H:%M} UTC in {folder}")


def _check_config_secrecy(report: Report, config: Config) -> None:
    secret = config.central_password_file
    if secret and file_readable_by_others(Path(secret).expanduser()):
        report.add(
            "config secrecy",
            "fail",
            f"{secret} holds the central store's password and others on this computer can read it.",
            f"chmod 600 {secret}",
        )
    url = make_url(config.central_url)
    if url.password and file_readable_by_others(config.paths.config_file):
        report.add(
            "config secrecy",
            "fail",
            f"{config.paths.config_file} holds the central store's password and others "
            "on this computer can read it.",
            f"chmod 600 {config.paths.config_file}",
        )


def _schema_state(engine: Engine, where: str, report: Report, name: str) -> bool:
    """The local file's schema: True when it is this Packbench's."""
    state = migrate.schema_state(engine)
    if state.ready:
        return True
    if state.current is None:
        report.add(
            name,
            "warn",
            f"{where} has no Packbench schema yet.",
            "It is created on first start (packbench, or packbench demo).",
        )
    elif not state.known:
        report.add(
            name,
            "fail",
            f"{where} was written by a newer Packbench (schema {state.current}).",
            "Install that version, or point the configuration at another database.",
        )
    else:
        report.add(
            name,
            "warn",
            f"{where} has schema {state.current}; this version uses {state.head}.",
            "It is upgraded on the next start (the old file is kept as a .bak copy).",
        )
    return False


def _central_schema_state(engine: Engine, url: URL, report: Report) -> bool:
    """The central store's schema: True when it is this Packbench's; else what to run."""
    try:
        state = migrate.schema_state(engine)
        problem = state.problem(url, name="")
    except migrate.SchemaError as error:
        state, problem = None, error
    if problem is not None:
        report.add("central store", "fail", problem.detail, problem.fix)
        return False
    assert state is not None
    if state.ready:
        return True
    found = (
        "has no Packbench schema yet"
        if state.current is None
        else f"has schema {state.current}; this Packbench uses {state.head}"
    )
    does = "creates it" if state.current is None else "upgrades it"
    report.add(
        "central store",
        "warn",
        f"{migrate.shown(url)} {found}.",
        f"`{migrate.FIX_COMMAND}` {does} (schema {state.head}); so does the first packbench "
        "import, packbench sync or start of the app that reaches it.",
    )
    report.central_orders = 0 if state.current is None else None
    return False


def _check_local(report: Report, config: Config) -> None:
    path = config.local_database
    if not path.exists():
        report.add(
            "local database", "warn", f"{path} does not exist yet.", "It is created on first start."
        )
        report.local_orders = report.outbox = 0
        return
    engine = create_db_engine(config.local_url)
    try:
        if not _schema_state(engine, str(path), report, "local database"):
            return
        with engine.connect() as c:
            mode = c.exec_driver_sql("PRAGMA journal_mode").scalar()
            report.local_orders = c.scalar(select(func.count()).select_from(Order)) or 0
            report.outbox = (
                c.scalar(
                    select(func.count())
                    .select_from(OutboxCommand)
                    .where(OutboxCommand.state == "pending")
                )
                or 0
            )
        report.add(
            "local database",
            "ok",
            f"{path}: {report.local_orders} orders, journal {mode}, "
            f"{report.outbox} commands waiting to be pushed",
        )
        _check_audit(report, engine, "audit trail (local)", str(path))
    except SQLAlchemyError as error:
        report.add(
            "local database",
            "fail",
            f"{path} cannot be read: {_reason(error)}",
            "If the file is damaged, move it aside; the station rebuilds it from the "
            "central store. Do not delete it while commands wait in its outbox.",
        )
    finally:
        engine.dispose()


def _check_central(report: Report, config: Config) -> None:
    shown = make_url(config.central_url).render_as_string(hide_password=True)
    if config.central_is_embedded and not config.paths.embedded_central_file.exists():
        report.add(
            "central store",
            "warn",
            f"embedded store {config.paths.embedded_central_file} does not exist yet.",
            "packbench demo creates it with demo data; packbench import loads real orders.",
        )
        report.central_orders = 0
        return
    try:
        url = central_connect_url(config)
    except ConfigError as error:
        report.add("central store", "fail", str(error), "Fix [central] password_file.")
        return
    engine = create_db_engine(url)
    try:
        if not _central_schema_state(engine, url, report):
            return
        with engine.connect() as c:
            report.central_orders = c.scalar(select(func.count()).select_from(Order)) or 0
            known: dict[str, str] = {
                row.code: row.name for row in c.execute(select(Warehouse.code, Warehouse.name))
            }
        report.add("central store", "ok", f"{shown}: {report.central_orders} orders")
        _check_warehouse(report, config.warehouses.code, known)
        _check_audit(report, engine, "audit trail (central)", shown)
    except SQLAlchemyError as error:
        refused = missing_right(error, login_of(url))
        if refused is not None:
            report.add(
                "central store", "fail", f"{shown}: {refused.what()}", refused.todo(kept=False)
            )
            return
        report.add(
            "central store",
            "fail",
            f"{shown} cannot be reached: {_reason(error)}",
            "Check that the server is running and the URL in [central] url (or "
            "PACKBENCH_CENTRAL_URL) is right. The station keeps working offline meanwhile.",
        )
    finally:
        engine.dispose()


def _check_warehouse(report: Report, code: str, known: dict[str, str]) -> None:
    listed = ", ".join(sorted(known)) or "none"
    if not code:
        report.add(
            "warehouse",
            "ok",
            f"every warehouse ([station] warehouse is empty; the central store has {listed})",
        )
    elif code in known:
        report.add("warehouse", "ok", f"{code} ({known[code]}): its orders, stock and bins")
    else:
        report.add(
            "warehouse",
            "fail",
            f"[station] warehouse = {code!r}, which the central store does not have ({listed})",
            "Set [station] warehouse to one of those codes (packbench warehouse list).",
        )


def _check_audit(report: Report, engine: Engine, name: str, where: str) -> None:
    """Walk the database's audit hash chain; name the first entry that does not verify."""
    with engine.connect() as c:
        checked, broken, unsealed = audit_chain.verify(c)
    if broken is not None:
        report.add(
            name,
            "fail",
            f"{where}: {broken.words}.",
            "Someone changed the trail behind Packbench's back: keep this file as evidence "
            "(copy it aside), and compare the entry with the station's backups.",
        )
        return
    waiting = (
        f"; {unsealed} written outside Packbench's sessions wait to be sealed" if unsealed else ""
    )
    report.add(name, "ok", f"{checked} entries, hash chain intact{waiting}")


def _check_devices(report: Report, config: Config, open_printer: PrinterOpener) -> None:
    s = config.scanner
    if s.mode == "serial":
        _check_port(report, "scanner", s.port, "[scanner] port")
    else:
        report.add("scanner", "ok", "keyboard wedge" if s.mode == "wedge" else "none configured")
    p = config.printer
    if p.transport == "none":
        report.add(
            "label printer",
            "warn",
            "no label printer configured",
            "Set [printer] transport and address; labels can still be written to files.",
        )
    elif p.transport in ("serial", "usb"):
        _check_port(report, "label printer", p.address, "[printer] address")
    else:
        _ask_printer(report, config, open_printer)
    if config.scale.port:
        _check_port(report, "scale", config.scale.port, "[scale] port")
    else:
        report.add("scale", "ok", "none configured (weights are typed)")


def _ask_printer(report: Report, config: Config, open_printer: PrinterOpener) -> None:
    """A network or CUPS printer: is the address sound, and what does ~HS say?"""
    p = config.printer
    try:
        link = open_printer(p, 3.0)
    except ValueError as error:
        report.add("label printer", "fail", str(error), "Correct [printer] in config.toml.")
        return
    if link is None or not link.two_way:
        report.add("label printer", "ok", f"{p.transport} {p.address} (no status on this link)")
        return
    try:
        status = link.query_status(timeout=2.0)
    except PrinterUnreachable as error:
        report.add("label printer", "fail", error.message, "Labels wait in the queue meanwhile.")
        return
    if status.ready:
        report.add("label printer", "ok", f"{p.transport} {p.address} ready ({p.dpi} dpi)")
    else:
        report.add(
            "label printer",
            "warn",
            status.problem or "not ready",
            "Labels wait in the queue and go out when it is ready.",
        )


def _check_port(report: Report, name: str, port: str, key: str) -> None:
    if not port:
        report.add(
            name, "fail", f"{key} is empty.", f"Set {key} to the device, e.g. /dev/serial/by-id/..."
        )
    elif port.startswith("/dev/") and not Path(port).exists():
        report.add(
            name,
            "fail",
            f"{port} is not there.",
            f"Plug the {name} in, or correct {key} (ls /dev/serial/by-id/ lists devices).",
        )
    else:
        report.add(name, "ok", port)


def _reason(error: SQLAlchemyError) -> str:
    return str(getattr(error, "orig", None) or error).strip().splitlines()[0]


def format_report(report: Report) -> str:
    marks = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL"}
    where = f", warehouse {report.warehouse or 'all'}" if report.warehouse is not None else ""
    lines = [f"Packbench doctor, station {report.station or '?'}{where}"]
    for c in report.checks:
        lines.append(f"  {marks[c.status]}  {c.name}: {c.detail}")
        if c.fix and c.status != "ok":
            lines.append(f"        fix: {c.fix}")
    counts = [
        f"local orders {_n(report.local_orders)}",
        f"central orders {_n(report.central_orders)}",
        f"outbox {_n(report.outbox)}",
    ]
    lines.append("  " + ", ".join(counts))
    if report.log_dir:
        lines.append(f"  logs: {report.log_dir}")
    lines.append("All good." if report.ok else "Something is wrong: see FAIL above.")
    return "\n".join(lines)


def _n(value: int | None) -> str:
    return "unknown" if value is None else str(value)
