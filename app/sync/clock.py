"""Change numbers that become visible in commit order.

Every transaction that writes to the central store ends by bumping the single ``sync_clock``
row and stamping the rows it changed with that number. The bump takes the row's write lock
and holds it until commit, so a transaction with a higher number cannot commit before one
with a lower number: a station that has seen number N has seen every change up to N, and
"give me what changed after my watermark" never skips a row. The lock is held only from the
bump to the commit, the last moment of the transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, func, inspect, literal_column, select, tuple_, update
from sqlalchemy.orm import Session

from app.db.models import (
    Address,
    Bin,
    Customer,
    Invoice,
    Order,
    OrderDeparture,
    OrderLine,
    Product,
    ProductBarcode,
    StockLevel,
    SyncClock,
    Synced,
    User,
    Warehouse,
)
from app.db.stock import take_touched

SYNCED_MODELS: tuple[type[Synced], ...] = (
    Product,
    Bin,
    StockLevel,
    Customer,
    Address,
    Order,
    User,
    Invoice,
    Warehouse,
    OrderDeparture,
)


def next_change_seq(session: Session) -> int:
    """Bump the clock (taking its lock until commit) and return the new number."""
    seq = session.execute(
        update(SyncClock)
        .where(SyncClock.id == 1)
        .values(seq=SyncClock.seq + 1)
        .returning(SyncClock.seq)
    ).scalar_one_or_none()
    if seq is None:  # a store created before the clock row existed
        session.add(SyncClock(id=1, seq=1))
        session.flush()
        seq = 1
    return int(seq)


def _owner(obj: object) -> Synced | None:
    """The synced row an object belongs to (an order line belongs to its order)."""
    if isinstance(obj, Synced):
        return obj
    if isinstance(obj, OrderLine):
        return obj.order if isinstance(obj.order, Order) else None
    if isinstance(obj, ProductBarcode):
        return obj.product if isinstance(obj.product, Product) else None
    return None


_TOUCHED = "packbench.touched"


def _keys_in(model: type[Any], identities: list[tuple[Any, ...]]) -> Any:
    keys = inspect(model).primary_key
    if len(keys) == 1:
        return keys[0].in_([identity[0] for identity in identities])
    return tuple_(*keys).in_(identities)


_CLOCK_SEEN = "packbench.clock_row_seen"


def _clock_row_exists(session: Session) -> bool:
    """Whether the clock row is there (asked once per pooled connection; never deleted)."""
    connection = session.connection()
    if not connection.info.get(_CLOCK_SEEN):
        found = session.scalar(select(SyncClock.id).where(SyncClock.id == 1))
        connection.info[_CLOCK_SEEN] = found is not None
    return bool(connection.info[_CLOCK_SEEN])


def _bump_and_stamp(
    session: Session, by_model: dict[type[Any], list[tuple[Any, ...]]]
) -> int | None:
    """PostgreSQL: bump the clock, stamp the rows and commit, in one round trip.

    The clock's lock is held from the bump to the commit and every central writer waits for
    it, so the client must not be needed in between: on a busy machine a writer descheduled
    while holding it made every other station wait. The statement (data-changing WITH
    clauses all run, once, whether the final SELECT reads them or not) and the COMMIT go out
    together in the driver's pipeline; the session's own commit then finds nothing to do.
    """
    clock = (
        update(SyncClock)
        .where(SyncClock.id == 1)
        .values(seq=SyncClock.seq + 1)
        .returning(SyncClock.seq)
        .cte("clock")
    )
    number = select(clock.c.seq).scalar_subquery()
    stamps = []
    for index, (model, identities) in enumerate(by_model.items()):
        values: dict[str, Any] = {"change_seq": number}
        if "updated_at" in model.__table__.c:  # its onupdate, which a WITH clause skips
            values["updated_at"] = func.now()
        stamps.append(
            update(model)
            .where(_keys_in(model, identities))
            .values(values)
            .returning(literal_column("1"))
            .cte(f"stamp_{index}")
        )
    connection = session.connection()
    statement = select(clock.c.seq).add_cte(*stamps)
    # Only whole-number keys are bound, so they can be written into the SQL.
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    driver: Any = connection.connection.driver_connection
    with driver.pipeline():
        cursor = driver.cursor()
        cursor.execute(sql)
        driver.commit()  # queued behind the statement: one round trip for both
        (seq,) = cursor.fetchone()
    return int(seq)


def track_changes(session: Session) -> None:
    """Remember, at every flush, the synced rows this session changes (see stamp_changes)."""
    event.listen(session, "before_flush", _collect)


def _collect(session: Session, _context: object = None, _instances: object = None) -> None:
    touched: dict[int, Synced] = session.info.setdefault(_TOUCHED, {})
    for obj in (*session.new, *session.dirty, *session.deleted):
        owner = _owner(obj)
        if owner is not None:
            touched[id(owner)] = owner


def stamp_changes(session: Session) -> int | None:
    """Stamp every synced row this transaction added or changed; the number, or None if none.

    Call it last, right before commit (``unit_of_work_factory(..., before_commit=...)``),
    on a session that ``track_changes`` watched from the start: a change flushed early (by
    a query's autoflush or a savepoint) is remembered at that flush. The stamp is a Core
    UPDATE, so it does not bump an order's version a second time. Stock rows that
    ``app.db.stock`` moved with Core are stamped too; other rows written with Core (bulk
    import, demo) take ``next_change_seq`` themselves. On PostgreSQL it commits the
    transaction itself, in the same round trip as the stamp (see ``_bump_and_stamp``); the
    caller's commit that follows finds nothing left to do.
    """
    _collect(session)  # what is still pending (and what track_changes saw flushed earlier)
    session.flush()
    touched = session.info.pop(_TOUCHED, {})
    by_model: dict[type[Any], list[tuple[Any, ...]]] = {}
    for owner in touched.values():
        state = inspect(owner)
        if state.deleted or state.was_deleted or state.identity is None:
            continue
        by_model.setdefault(type(owner), []).append(state.identity)
    stock = take_touched(session)  # rows app.db.stock moved with Core statements
    if stock:
        by_model.setdefault(StockLevel, []).extend(sorted(stock))
    if not by_model:
        return None
    if session.get_bind().dialect.name == "postgresql" and _clock_row_exists(session):
        seq = _bump_and_stamp(session, by_model)
    else:  # SQLite (the file is the writer's from BEGIN IMMEDIATE on), or no clock row yet
        seq = next_change_seq(session)
        for model, identities in by_model.items():
            session.execute(
                update(model).where(_keys_in(model, identities)).values(change_seq=seq),
                execution_options={"synchronize_session": False},
            )
    for owner in touched.values():
        if inspect(owner).persistent:
            session.expire(owner, ["change_seq"])
    session.info.pop(_TOUCHED, None)  # the clock's own flush may have collected again
    return seq
