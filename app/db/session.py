"""Engines and units of work. Nothing here runs at import: bootstrap builds them from config."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from app.db.audit_chain import seal_before_commit
from app.db.models import AuditEvent, OutboxCommand
from app.domain.search import fold
from app.domain.users import Actor


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def create_db_engine(url: str | URL) -> Engine:
    """An engine for the local station file or the central store.

    SQLite is opened with WAL (readers never block the scanner's writes), foreign keys on, and
    synchronous=FULL: a scan confirmed to the packer is on disk and survives a power cut.
    """
    if make_url(url).drivername.startswith("sqlite"):
        engine = create_engine(url, connect_args={"isolation_level": None, "timeout": 15})
        _tune_sqlite(engine)
        return engine
    # A dead central server must fail in seconds, not after the TCP timeout of minutes: at
    # connect (connect_timeout), and on a pooled connection whose server vanished without a
    # word (a pulled cable, a blackholing firewall): unacknowledged data gives up after
    # tcp_user_timeout, an idle link is probed by keepalives.
    return create_engine(
        url,
        pool_pre_ping=True,
        connect_args={
            "connect_timeout": 5,
            "tcp_user_timeout": 10_000,
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 5,
            "keepalives_count": 3,
        },
    )


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()
        # Searches fold names in SQL with the same rule the typed words are folded with.
        dbapi_connection.create_function("pb_fold", 1, fold, deterministic=True)

    # pysqlite's own transaction handling begins late and never for reads; we begin
    # ourselves. Writers take the lock at BEGIN (IMMEDIATE) so two writers queue instead of
    # failing half-way with "database is locked"; read-only units of work stay DEFERRED.
    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = "DEFERRED" if connection.get_execution_options().get("readonly") else "IMMEDIATE"
        connection.exec_driver_sql(f"BEGIN {mode}")


class UnitOfWork:
    """One user action, one transaction: rolls back unless ``commit()`` was called.

    ``audit`` and ``command`` add the audit event and the outbox command that every
    mutating service writes in the same transaction as its change.
    """

    def __init__(
        self,
        factory: sessionmaker[Session],
        *,
        readonly: bool = False,
        before_commit: Callable[[Session], object] | None = None,
        on_open: Callable[[Session], object] | None = None,
    ) -> None:
        self._factory = factory
        self._readonly = readonly
        self._before_commit = before_commit
        self._on_open = on_open
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("use the unit of work in a with block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._factory()
        if self._on_open is not None:
            self._on_open(self._session)
        if self._readonly:
            self._session.connection(execution_options={"readonly": True})
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            self._session.rollback()
        finally:
            self._session.close()
            self._session = None

    def commit(self) -> None:
        if self._readonly:
            raise RuntimeError("a read-only unit of work cannot commit")
        if self._before_commit is not None:
            self._before_commit(self.session)
        self.session.commit()

    def audit(
        self,
        station: str,
        action: str,
        *,
        actor: Actor | None = None,
        subject: str | None = None,
        detail: str | None = None,
        raw_scan: str | None = None,
    ) -> None:
        self.session.add(
            AuditEvent(
                station=station,
                action=action,
                subject=subject,
                detail=detail,
                raw_scan=raw_scan,
                user_id=actor.user_id if actor else None,
                user_name=actor.name if actor else None,
            )
        )

    def command(self, kind: str, payload: dict[str, Any]) -> str:
        command_id = str(uuid.uuid4())
        self.session.add(OutboxCommand(command_id=command_id, kind=kind, payload=payload))
        return command_id


UnitOfWorkFactory = Callable[..., UnitOfWork]


def unit_of_work_factory(
    engine: Engine,
    *,
    before_commit: Callable[[Session], object] | None = None,
    on_open: Callable[[Session], object] | None = None,
) -> UnitOfWorkFactory:
    """Units of work on ``engine``; the central store passes the change-number hooks."""
    factory = sessionmaker(engine, expire_on_commit=False)
    # Audit entries written in a transaction are sealed into the hash chain before it commits.
    event.listen(factory, "before_commit", seal_before_commit)

    def make(*, readonly: bool = False) -> UnitOfWork:
        return UnitOfWork(factory, readonly=readonly, before_commit=before_commit, on_open=on_open)

    return make
