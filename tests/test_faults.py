"""Faults told apart (app.faults): real errors from real parts, each with its own words."""

from __future__ import annotations

import socket
import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
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


@pytest.mark.postgres
def test_central_errors_are_told_by_what_they_are_a_refused_right_a_cut_link_or_a_bug(
    central_url: str, tmp_path: Path
) -> None:
    """On a real server: a statement refused for lack of a right names the role and grant;
    a terminated backend is the store away; a broken constraint nobody caught is a bug."""
    login = f"pb_fault_{uuid.uuid4().hex[:8]}"
    owner = create_db_engine(central_url)
    with owner.begin() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {login} LOGIN")
        conn.exec_driver_sql(f"CREATE TABLE {login}_t (id serial PRIMARY KEY, n int UNIQUE)")
        conn.exec_driver_sql(f"GRANT SELECT ON {login}_t TO {login}")
    station = create_db_engine(make_url(central_url).set(username=login))
    try:
        with station.connect() as conn:
            refused = raised(lambda: conn.exec_driver_sql(f"INSERT INTO {login}_t (n) VALUES (1)"))
        with station.connect() as conn:
            locking = raised(lambda: conn.exec_driver_sql(f"SELECT * FROM {login}_t FOR UPDATE"))
        with owner.connect() as conn:
            conn.exec_driver_sql(f"INSERT INTO {login}_t (n) VALUES (1)")
            twice = raised(lambda: conn.exec_driver_sql(f"INSERT INTO {login}_t (n) VALUES (1)"))
        with owner.connect() as conn:
            me = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            cut = raised(lambda: conn.exec_driver_sql(f"SELECT pg_terminate_backend({me})"))
    finally:
        station.dispose()
        with owner.begin() as conn:
            conn.exec_driver_sql(f"DROP TABLE {login}_t")
            conn.exec_driver_sql(f"DROP ROLE {login}")
        owner.dispose()

    fault = environment_fault(refused, central_login=login)
    assert fault is not None and fault.kind is FaultKind.NO_RIGHT
    assert fault.what == (
        f"The central order store does not let role {login} add rows to table {login}_t "
        f"(permission denied for table {login}_t)."
    )
    assert fault.todo.startswith(
        f"The owner of the central tables runs: GRANT INSERT ON {login}_t TO {login}; "
    )
    fault = environment_fault(locking, central_login=login)
    assert fault is not None and f"GRANT UPDATE ON {login}_t TO {login};" in fault.todo
    fault = environment_fault(cut)
    assert fault is not None and fault.kind is FaultKind.CENTRAL_AWAY
    assert environment_fault(twice) is None  # a bug: reported, not dressed up as the network
    assert fault_of(twice, "here", CrashReports(tmp_path / "logs")).is_bug
