"""Sealing audit entries into the database's hash chain, and reading the chain back.

Every session seals before it commits (``unit_of_work_factory`` listens for it), so an entry
written by the ORM or by a Core ``executemany`` is sealed in its own transaction; one left
unsealed (written outside a session) is sealed by the next commit. The chain's order is the
order entries were sealed, not their ids: on PostgreSQL ids are handed out before commit, so
two transactions may commit out of id order. There, sealers queue on a transaction-scoped
advisory lock, and each reads the chain's end after taking it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, func, select, text, update
from sqlalchemy.orm import Session

from app.db.models import AuditEvent
from app.domain.audit import GENESIS, AuditEntry, ChainBreak, first_break

AUDIT = cast(Table, AuditEvent.__table__)
# pg_advisory_xact_lock key: "audit" in ASCII, so the lock is recognisable in pg_locks.
_ADVISORY_KEY = 0x6175646974
_FIELDS = (
    AUDIT.c.id,
    AUDIT.c.at,
    AUDIT.c.user_id,
    AUDIT.c.user_name,
    AUDIT.c.station,
    AUDIT.c.action,
    AUDIT.c.subject,
    AUDIT.c.detail,
    AUDIT.c.raw_scan,
    AUDIT.c.chain_seq,
    AUDIT.c.hash,
)


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(*row)


def _unsealed(conn: Connection) -> list[AuditEntry]:
    return [
        _entry(r)
        for r in conn.execute(select(*_FIELDS).where(AUDIT.c.hash.is_(None)).order_by(AUDIT.c.id))
    ]


def seal_pending(conn: Connection) -> int:
    """Seal every visible unsealed entry, in id order, after the chain's end; how many."""
    if conn.scalar(select(AUDIT.c.id).where(AUDIT.c.hash.is_(None)).limit(1)) is None:
        return 0
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_KEY})
    pending = _unsealed(conn)  # read again: another sealer may have gone first
    if not pending:
        return 0
    end = conn.execute(
        select(AUDIT.c.chain_seq, AUDIT.c.hash)
        .where(AUDIT.c.chain_seq.is_not(None))
        .order_by(AUDIT.c.chain_seq.desc())
        .limit(1)
    ).first()
    seq, previous = (end[0], end[1]) if end is not None else (0, GENESIS)
    sealed = []
    for entry in pending:
        seq += 1
        previous = entry.hash_after(seq, previous)
        sealed.append({"b_id": entry.id, "b_seq": seq, "b_hash": previous})
    conn.execute(
        update(AUDIT)
        .where(AUDIT.c.id == bindparam("b_id"), AUDIT.c.hash.is_(None))
        .values(chain_seq=bindparam("b_seq"), hash=bindparam("b_hash")),
        sealed,
    )
    return len(sealed)


def seal_before_commit(session: Session) -> None:
    """The session hook: flush what is pending, then seal it in the same transaction."""
    session.flush()
    seal_pending(session.connection())


def sealed_entries(conn: Connection, batch: int = 5000) -> Iterator[AuditEntry]:
    """The sealed entries in chain order, read a batch at a time (the trail grows for years)."""
    after = 0
    while True:
        rows = conn.execute(
            select(*_FIELDS)
            .where(AUDIT.c.chain_seq > after)
            .order_by(AUDIT.c.chain_seq)
            .limit(batch)
        ).all()
        if not rows:
            return
        for row in rows:
            yield _entry(row)
        after = rows[-1].chain_seq


def unsealed_count(conn: Connection) -> int:
    return conn.scalar(select(func.count()).where(AUDIT.c.hash.is_(None))) or 0


def verify(conn: Connection) -> tuple[int, ChainBreak | None, int]:
    """How many entries are sealed, the first break in the chain (or None), and how many wait
    unsealed (an entry whose seal was wiped shows as a break in the chain after it)."""
    checked = 0

    def counted() -> Iterator[AuditEntry]:
        nonlocal checked
        for entry in sealed_entries(conn):
            checked += 1
            yield entry

    broken = first_break(counted())
    return checked, broken, unsealed_count(conn)
