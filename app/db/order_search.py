"""The station's search words of its orders (``order_search``), kept up to date lazily.

``order_search`` is an FTS5 table with the trigram tokenizer (migration 0013; SQLite, the
station's file only): one row per order, its rowid the order's id, its words the order's
number, customer name and email, SKUs, shipment numbers and SSCCs, each folded by
``app.domain.search.fold`` on a line of its own. A search folds what was typed the same way
and asks the index for the orders whose words contain every word.

Before a search, ``refresh`` brings the words up to date: it compares a mark (the newest
change numbers of orders and customers, the newest order and shipment rows, the number of
orders) with what it saw last time, and folds again only the orders that moved past it. An
order changed at this station without a change number (an edit) is refolded by
``index_orders``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, column, func, or_, select, table, text, true
from sqlalchemy.orm import Session

from app.db.models import Customer, Order, OrderLine, Setting, Shipment, ShipmentParcel
from app.domain.search import fold

WORDS = table("order_search", column("rowid"), column("words"))
MARK_KEY = "order_search_mark"
BATCH = 5000
_INSERT = text("INSERT INTO order_search (rowid, words) VALUES (:id, :words)")
_DELETE = text("DELETE FROM order_search WHERE rowid = :id")


# Above this many orders matching the words, a page walks the orders in their order and looks
# at each one's words (it finds its 200 rows early); below, it takes the matches from the
# index and sorts them (few to sort). With other filters too (a segment, a channel), the
# walk may pass many orders the filters refuse: it waits for more matches.
WALK_ABOVE = 2_000
WALK_ABOVE_FILTERED = 20_000


def _found(words: Sequence[str]) -> Any:
    """The ids of the orders whose words contain every one of ``words`` (folded).

    Words of three characters or more go through the trigram index (an FTS5 phrase each);
    shorter ones are looked for in every order's words (still in SQL, just not indexed)."""
    long = [w for w in words if len(w) >= 3]
    short = [w for w in words if len(w) < 3]
    found: Any = select(WORDS.c.rowid)
    if long:
        phrase = " AND ".join('"' + w.replace('"', '""') + '"' for w in long)
        found = found.where(WORDS.c.words.op("MATCH")(phrase))
    for w in short:
        found = found.where(func.instr(WORDS.c.words, w) > 0)
    return found


def count_matching(session: Session, words: Sequence[str]) -> int:
    """How many orders the words alone match (from the index: milliseconds)."""
    return session.scalar(select(func.count()).select_from(_found(words).subquery())) or 0


def matching(words: Sequence[str], *, many: bool = False) -> ColumnElement[bool]:
    """The order's words contain every one of ``words``.

    ``many`` (``count_matching`` said more than ``WALK_ABOVE``): looked up order by order,
    so a page read in the table's order stops after its rows; else the ids are taken from
    the index at once."""
    if not many:
        return Order.id.in_(_found(words))
    own = select(WORDS.c.rowid).where(WORDS.c.rowid == Order.id)
    for w in words:
        own = own.where(func.instr(WORDS.c.words, w) > 0)
    return own.exists()


def _mark_now(session: Session) -> dict[str, int]:
    row = session.execute(
        select(
            select(func.max(Order.change_seq)).scalar_subquery(),
            select(func.max(Customer.change_seq)).scalar_subquery(),
            select(func.max(Order.id)).scalar_subquery(),
            select(func.max(Shipment.id)).scalar_subquery(),
            select(func.count()).select_from(Order).scalar_subquery(),
        )
    ).one()
    names = ("order_seq", "customer_seq", "order_id", "shipment_id", "orders")
    return {name: int(value or 0) for name, value in zip(names, row, strict=True)}


def _seen(session: Session) -> dict[str, int] | None:
    stored = session.scalar(select(Setting.value).where(Setting.key == MARK_KEY))
    return json.loads(stored) if stored is not None else None


def is_fresh(session: Session) -> bool:
    return _seen(session) == _mark_now(session)


def refresh(session: Session) -> int:
    """Fold the words of the orders that changed since the last refresh; how many."""
    now, seen = _mark_now(session), _seen(session)
    if seen == now:
        return 0
    if seen is None or seen.get("orders", 0) > now["orders"]:
        # First time, or orders went: all again, read whole (no lists of ids).
        session.execute(text("DELETE FROM order_search"))
        words = list(_words_of(session, None).items())
        for start in range(0, len(words), BATCH):
            session.execute(
                _INSERT, [{"id": i, "words": w} for i, w in words[start : start + BATCH]]
            )
        folded = len(words)
    else:
        stale = select(Order.id).where(
            or_(
                Order.change_seq > seen["order_seq"],
                Order.id > seen["order_id"],
                Order.customer_id.in_(
                    select(Customer.id).where(Customer.change_seq > seen["customer_seq"])
                ),
                Order.number.in_(
                    select(Shipment.order_number).where(Shipment.id > seen["shipment_id"])
                ),
            )
        )
        ids = list(session.scalars(stale))
        index_orders(session, ids)
        folded = len(ids)
    session.merge(Setting(key=MARK_KEY, value=json.dumps(now)))
    return folded


def index_orders(session: Session, ids: Sequence[int]) -> None:
    """Fold these orders' words again (after an edit at this station)."""
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        words = _words_of(session, chunk)
        session.execute(_DELETE, [{"id": i} for i in chunk])
        if words:
            session.execute(_INSERT, [{"id": i, "words": w} for i, w in words.items()])


def _words_of(session: Session, ids: Iterable[int] | None) -> dict[int, str]:
    """Each order's words, folded: of these orders, or of every order (None)."""
    chosen = list(ids) if ids is not None else None
    parts: dict[int, list[str]] = defaultdict(list)
    numbers: dict[str, int] = {}
    c = session.connection()  # Core rows: the bulk path
    for order_id, number, name, email in c.execute(
        select(Order.id, Order.number, Customer.name, Customer.email)
        .outerjoin(Customer, Customer.id == Order.customer_id)
        .where(Order.id.in_(chosen) if chosen is not None else true())
    ):
        parts[order_id] += [number, name or "", email or ""]
        numbers[number] = order_id
    for order_id, sku in c.execute(
        select(OrderLine.order_id, OrderLine.sku).where(
            OrderLine.order_id.in_(chosen) if chosen is not None else true()
        )
    ):
        parts[order_id].append(sku)
    for number, shipment, sscc in c.execute(
        select(Shipment.order_number, Shipment.number, ShipmentParcel.sscc)
        .outerjoin(ShipmentParcel, ShipmentParcel.shipment_id == Shipment.id)
        .where(Shipment.order_number.in_(list(numbers)) if chosen is not None else true())
    ):
        if number in numbers:
            parts[numbers[number]] += [shipment, sscc or ""]
    # One line per value: a word typed never matches across two of them. A customer's name
    # comes back on each of their orders: folded once.
    folded: dict[str, str] = {}

    def once(value: str) -> str:
        if value.isascii():
            return value.lower()
        if value not in folded:
            folded[value] = fold(value)
        return folded[value]

    return {order_id: "\n".join(once(p) for p in its if p) for order_id, its in parts.items()}


def not_search_index(name: str | None, type_: str, _parent: object) -> bool:
    """For Alembic's ``include_name``: the FTS5 table and its shadow tables are SQLite's
    own, made by migration 0013, and no model describes them."""
    return not (type_ == "table" and name is not None and name.startswith("order_search"))
