"""Change numbers that become visible in commit order.

Every transaction that writes to the central store ends by bumping the single ``sync_clock``
row and stamping the rows it changed with that number. The bump takes the row's write lock
and holds it until commit, so a transaction with a higher number cannot commit before one
with a lower number: a station that has seen number N has seen every change up to N, and
"give me what changed after my watermark" never skips a row. The lock is held only from the
bump to the commit, the last moment of the transaction.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.db.models import (
    Address,
    Bin,
    Customer,
    Order,
    OrderLine,
    Product,
    ProductBarcode,
    StockLevel,
    SyncClock,
    Synced,
    User,
)

SYNCED_MODELS: tuple[type[Synced], ...] = (
    Product,
    Bin,
    StockLevel,
    Customer,
    Address,
    Order,
    User,
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


def stamp_changes(session: Session) -> int | None:
    """Stamp every synced row this session added or changed; the number, or None if none.

    Call it last, right before commit (``unit_of_work_factory(..., before_commit=...)``).
    Rows written with Core (bulk import, demo) take ``next_change_seq`` themselves.
    """
    touched: dict[int, Synced] = {}
    for obj in (*session.new, *session.dirty, *session.deleted):
        owner = _owner(obj)
        if owner is not None and owner not in session.deleted:
            touched[id(owner)] = owner
    if not touched:
        return None
    seq = next_change_seq(session)
    for owner in touched.values():
        owner.change_seq = seq
    return seq
