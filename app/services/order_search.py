"""Finding orders for the Orders workspace: one page at a time, filtered and sorted in SQL.

A station holds 100,000 orders and more; the workspace never reads them all. It asks for a
page (``find_orders``: the first 200 rows of a search, then the next as the table scrolls),
the number that match (``count_orders_matching``) and the live count of each segment
(``segment_counts``). Searching looks for the typed words, folded by the rule of
``app.domain.search`` ("muller" finds "Müller"), in each order's words folded once, through
a trigram full-text index (``app.db.order_search``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session

from app.db import order_search as order_words
from app.db.models import Address, Customer, Order, OrderLine, Warehouse
from app.db.session import UnitOfWorkFactory
from app.domain.money import goods_total
from app.domain.search import words_of
from app.domain.status import OrderStatus
from app.services.orders import OrderRow
from app.services.picking import waiting_short_orders

S = OrderStatus
PAGE = 200  # rows a page reads: a few screens of the table


class Segment(StrEnum):
    """The queues a supervisor works through; each one a saved filter with a live count."""

    ALL = "all"
    ON_HOLD = "on_hold"
    FINALIZED = "finalized"
    ALLOCATED = "allocated"
    PICKING = "picking"
    PACKING = "packing"
    PARTLY_SHIPPED = "partly_shipped"
    SHIPPED = "shipped"
    FULFILLED = "fulfilled"
    VOID = "void"
    RETURNED = "returned"
    SHORT_PICKS = "short_picks"


SEGMENT_STATUSES: dict[Segment, frozenset[OrderStatus]] = {
    Segment.ON_HOLD: frozenset({S.ON_HOLD}),
    Segment.FINALIZED: frozenset({S.FINALIZED}),
    Segment.ALLOCATED: frozenset({S.ALLOCATED}),
    Segment.PICKING: frozenset({S.PICKING, S.PICKED}),
    Segment.PACKING: frozenset({S.PACKING}),
    Segment.PARTLY_SHIPPED: frozenset({S.PARTIALLY_SHIPPED}),
    Segment.SHIPPED: frozenset({S.SHIPPED}),
    Segment.FULFILLED: frozenset({S.FULFILLED}),
    Segment.VOID: frozenset({S.VOID}),
    Segment.RETURNED: frozenset({S.RETURNED, S.PARTIALLY_RETURNED}),
}


def short_pick_orders() -> Select[Any] | None:
    """The ids of the orders whose short picks wait for the supervisor's choice (picking's
    own rule, ``app.services.picking.waiting_short_orders``); an order leaves the segment
    once each of its short picks is re-allocated, shipped in part or held."""
    return select(Order.id).where(Order.number.in_(waiting_short_orders()))


class SortKey(StrEnum):
    """What the table can be sorted by; each one an indexed or cheap column."""

    PLACED = "placed"
    NUMBER = "number"
    STATUS = "status"
    CUSTOMER = "customer"
    CARRIER = "carrier"
    CHANNEL = "channel"


@dataclass(frozen=True)
class OrderQuery:
    """What the workspace shows: a segment, the words typed, the filters and the order."""

    segment: Segment = Segment.ALL
    text: str = ""
    channel: str | None = None
    carrier: str | None = None
    status: OrderStatus | None = None
    placed_from: datetime | None = None  # inclusive, aware
    placed_to: datetime | None = None  # exclusive, aware
    sort: SortKey = SortKey.PLACED
    descending: bool = True
    words: tuple[str, ...] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", tuple(words_of(self.text)))


def _conditions(query: OrderQuery, many: bool = False) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if query.segment is Segment.SHORT_PICKS:
        short = short_pick_orders()
        where.append(Order.id.in_(short) if short is not None else Order.id.is_(None))
    elif query.segment is not Segment.ALL:
        where.append(Order.status.in_(sorted(SEGMENT_STATUSES[query.segment])))
    if query.status is not None:
        where.append(Order.status == query.status)
    if query.channel:
        where.append(Order.channel == query.channel)
    if query.carrier:
        where.append(Order.carrier == query.carrier)
    if query.placed_from is not None:
        where.append(Order.placed_at >= query.placed_from)
    if query.placed_to is not None:
        where.append(Order.placed_at < query.placed_to)
    if query.words:
        # Its number, customer name or email, a SKU on its lines, the number or an SSCC of
        # one of its shipments: every word somewhere in them (app/db/order_search.py).
        where.append(order_words.matching(query.words, many=many))
    return where


def prepare_search(uows: UnitOfWorkFactory) -> int:
    """Bring the orders' search words up to date (the orders sync brought since); how many
    orders were folded again. Cheap when nothing changed; a search calls it first."""
    with uows(readonly=True) as uow:
        if order_words.is_fresh(uow.session):
            return 0
    with uows() as uow:
        folded = order_words.refresh(uow.session)
        uow.commit()
        return folded


_SORT_COLUMNS: dict[SortKey, Any] = {
    SortKey.PLACED: Order.placed_at,
    SortKey.NUMBER: Order.number,
    SortKey.STATUS: Order.status,
    SortKey.CUSTOMER: Customer.name,
    SortKey.CARRIER: Order.carrier,
    SortKey.CHANNEL: Order.channel,
}


def _base(query: OrderQuery, columns: list[Any], many: bool = False) -> Select[Any]:
    base = (
        select(*columns)
        .select_from(Order)
        .outerjoin(Customer, Customer.id == Order.customer_id)
        .outerjoin(Address, Address.id == Order.ship_to_id)
    )
    where = _conditions(query, many)
    return base.where(and_(*where)) if where else base


_ROW_COLUMNS = (
    Order.id,
    Order.number,
    Order.channel,
    Order.status,
    Order.priority,
    Customer.name,
    Address.country,
    Address.city,
    Order.currency,
    Order.carrier,
    Order.placed_at,
    Order.hold_reasons,
    Order.fulfilled_elsewhere,
    Order.warehouse_id,
)


def _page(query: OrderQuery, offset: int, limit: int, many: bool) -> Select[Any]:
    key = _SORT_COLUMNS[query.sort]
    ordering = [key.desc() if query.descending else key.asc()]
    ordering.append(Order.id.desc() if query.descending else Order.id.asc())
    return _base(query, list(_ROW_COLUMNS), many).order_by(*ordering).offset(offset).limit(limit)


def find_orders(
    uows: UnitOfWorkFactory, query: OrderQuery, offset: int = 0, limit: int = PAGE
) -> list[OrderRow]:
    """One page of the orders ``query`` matches, in its order (ties: newest id first)."""
    if query.words:
        prepare_search(uows)
    with uows(readonly=True) as uow:
        many = False
        if query.words and query.sort is SortKey.PLACED:  # the order an index walks
            filtered = len(_conditions(replace(query, text=""))) > 0
            walk = order_words.WALK_ABOVE_FILTERED if filtered else order_words.WALK_ABOVE
            many = order_words.count_matching(uow.session, query.words) > walk
        rows = uow.session.execute(_page(query, offset, limit, many)).all()
        figures = _figures(uow.session, [r[0] for r in rows])
        # A handful of warehouses: their codes read whole, not joined on every row.
        codes = dict(uow.session.execute(select(Warehouse.id, Warehouse.code)).tuples().all())
        out = []
        for r in rows:
            lines, units, total = figures.get(r[0], (0, 0, Decimal(0)))
            out.append(
                OrderRow(
                    r[0],
                    r[1],
                    r[2],
                    r[3],
                    r[4],
                    r[5] or "",
                    r[6] or "",
                    r[7] or "",
                    lines,
                    units,
                    total,
                    r[8],
                    r[9] or "",
                    r[10],
                    tuple(r[11] or ()),
                    r[12],
                    codes.get(r[13], ""),
                )
            )
        return out


def _figures(session: Session, ids: list[int]) -> dict[int, tuple[int, int, Decimal]]:
    """Lines, units and goods total of these orders (money is exact text on SQLite: added
    by ``app.domain.money.goods_total``, not in SQL)."""
    if not ids:
        return {}
    query = (
        select(
            OrderLine.order_id,
            Order.currency,
            OrderLine.quantity_ordered,
            OrderLine.unit_price,
            OrderLine.tax_rate,
        )
        .join(Order, Order.id == OrderLine.order_id)
        .where(OrderLine.order_id.in_(ids))
    )
    lines: dict[int, tuple[str, list[tuple[int, Decimal, Decimal]]]] = {}
    for order_id, currency, qty, price, tax in session.execute(query):
        lines.setdefault(order_id, (currency, []))[1].append((qty, price, tax))
    return {
        order_id: (len(its), sum(q for q, _p, _t in its), goods_total(its, currency))
        for order_id, (currency, its) in lines.items()
    }


def count_orders_matching(uows: UnitOfWorkFactory, query: OrderQuery) -> int:
    counted = select(func.count(Order.id)).select_from(Order)
    if query.words:
        prepare_search(uows)
    where = _conditions(query)
    if where:
        counted = counted.where(and_(*where))
    with uows(readonly=True) as uow:
        return uow.session.scalar(counted) or 0


def segment_counts(uows: UnitOfWorkFactory) -> dict[Segment, int | None]:
    """How many orders each segment holds now (None: the segment cannot be counted yet)."""
    with uows(readonly=True) as uow:
        by_status: dict[OrderStatus, int] = {}
        for status, n in uow.session.execute(
            select(Order.status, func.count()).group_by(Order.status)
        ):
            by_status[status] = n
        short = short_pick_orders()
        shorts = None
        if short is not None:
            shorts = uow.session.scalar(
                select(func.count()).select_from(Order).where(Order.id.in_(short))
            )
    counts: dict[Segment, int | None] = {Segment.ALL: sum(by_status.values())}
    for segment, statuses in SEGMENT_STATUSES.items():
        counts[segment] = sum(by_status.get(status, 0) for status in statuses)
    counts[Segment.SHORT_PICKS] = shorts
    return counts


@dataclass(frozen=True)
class FilterChoices:
    """What the channel and carrier filters offer: the values the orders hold."""

    channels: tuple[str, ...]
    carriers: tuple[str, ...]


def filter_choices(uows: UnitOfWorkFactory) -> FilterChoices:
    with uows(readonly=True) as uow:
        channels = uow.session.scalars(select(Order.channel).distinct().order_by(Order.channel))
        carriers = uow.session.scalars(
            select(Order.carrier)
            .where(Order.carrier.is_not(None), Order.carrier != "")
            .distinct()
            .order_by(Order.carrier)
        )
        return FilterChoices(tuple(channels), tuple(c for c in carriers if c))
