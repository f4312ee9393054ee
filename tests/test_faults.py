"""Faults told apart (app.faults): real errors from real parts, each with its own words."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app.db.session import create_db_engine
from app.domain.errors import NotFound
from app.faults import CrashReports, FaultKind, environment_fault, fault_of
from devices.label_printer import PrinterUnreachable, TcpPrinter


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def raised(action: object) -> BaseException:
    try:
        action()  # type: ignore[operator]
    except Exception as error:
        return error
    raise AssertionError("it did not fail")


def test_a_printer_that_does_not_answer_is_the_printer_gone() -> None:
    error = raised(lambda: TcpPrinter("127.0.0.1", closed_port(), timeout=1).send(b"^XA^XZ"))
    assert isinstance(error, PrinterUnreachable)
    fault = environment_fault(error)
    assert fault is not None and fault.kind is FaultKind.PRINTER_GONE
    assert fault.what.startswith("The label printer cannot be reached: ")
    assert "labels wait in the queue" in fault.todo


def test_a_central_server_that_refuses_is_the_central_store_away() -> None:
    engine = create_db_engine(f"postgresql+psycopg://station@127.0.0.1:{closed_port()}/orders")
    try:
        error = raised(lambda: engine.connect())
    finally:
        engine.dispose()
    assert isinstance(error, OperationalError)
    fault = environment_fault(error)
    assert fault is not None and fault.kind is FaultKind.CENTRAL_AWAY
    assert "keeps working on its own database" in fault.todo


def test_a_station_database_that_cannot_grow_is_a_full_disk(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'station.sqlite3'}")
    with engine.begin() as c:
        c.exec_driver_sql("CREATE TABLE t (x TEXT)")
    try:
        with engine.connect() as c:
            c.exec_driver_sql("PRAGMA max_page_count = 3")  # what a full disk does to SQLite
            error = raised(
                lambda: c.execute(text("INSERT INTO t VALUES (:x)"), [{"x": "x" * 9000}])
            )
    finally:
        engine.dispose()
    assert isinstance(error, OperationalError) and "disk is full" in str(error)
    fault = environment_fault(error)
    assert fault is not None and fault.kind is FaultKind.DISK_FULL


def test_a_read_only_station_database_is_told_as_such(tmp_path: Path) -> None:
    path = tmp_path / "station.sqlite3"
    with sqlite3.connect(path) as made:
        made.execute("CREATE TABLE t (x)")
    made.close()
    readonly = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        error = raised(lambda: readonly.execute("INSERT INTO t VALUES (1)"))
    finally:
        readonly.close()
    fault = environment_fault(error)
    assert fault is not None and fault.kind is FaultKind.READ_ONLY


def test_a_refusal_nobody_caught_keeps_its_own_words() -> None:
    fault = environment_fault(NotFound("There is no shipment ST-01-S000009 at this station."))
    assert fault is not None and fault.kind is FaultKind.REFUSED
    assert fault.line() == "There is no shipment ST-01-S000009 at this station."


def test_a_bug_is_reported_once_however_often_a_loop_meets_it(tmp_path: Path) -> None:
    reports = CrashReports(tmp_path / "logs", "ST-09")

    def lookup() -> object:
        return {}["missing"]

    first = fault_of(raised(lookup), "in the print spooler", reports)
    again = fault_of(raised(lookup), "in the print spooler", reports)
    assert first.kind is FaultKind.BUG and first.report is not None
    assert again.report == first.report
    assert [p.name for p in (tmp_path / "logs").iterdir()] == [first.report.name]
    assert "KeyError: 'missing'" in first.report.read_text(encoding="utf-8")


@pytest.mark.parametrize("error", [KeyError("x"), ValueError("bad"), RuntimeError("boom")])
def test_anything_else_is_a_bug(error: Exception) -> None:
    assert environment_fault(error) is None
