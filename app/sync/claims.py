"""Order claims: a station takes an order before packing it, for a while, in the central store.

A claim is one row per order in ``order_claims`` (station, person, until when). Taking it is
one central transaction that locks the order's row, so two stations claiming at once queue
and the second is told who has it. A claim that has run out may be taken by anyone; the
station holding it renews it while the packer works.

Offline, a station cannot claim: ``claim_order`` raises ``CentralUnreachable`` and the caller
may let the packer go on without a claim. If another station held the order meanwhile, the
conflict surfaces at push: the packing command is rejected with the other claim as reason
(app/sync/commands.py). Times are the central store's own clock where it has one
(PostgreSQL's ``now()``), so stations with skewed clocks still agree on expiry.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.context import StationContext
from app.db.errors import is_unreachable, login_of, missing_right
from app.db.migrate import SchemaError
from app.db.models import Order, OrderClaim
from app.db.session import UnitOfWork, unit_of_work_factory
from app.domain.errors import DomainError, NotFound
from app.domain.status import OPEN_STATUSES, OrderStatus

DEFAULT_MINUTES = 15


class OrderClaimed(DomainError):
    """Another station is packing the order (its claim has not run out)."""


class CentralUnreachable(DomainError):
    """The central store cannot be reached now; the message says what was tried."""


@dataclass(frozen=True)
class Claim:
    """Who packs an order, and until when (aware UTC)."""

    number: str
    station: str
    user_name: str | None
    claimed_at: datetime
    expires_at: datetime


def central_now(session: Session) -> datetime:
    """The central store's time: its own clock on PostgreSQL, this machine's on SQLite.

    PostgreSQL's ``now()`` is the start of the transaction, so it is asked once per
    transaction (a batch of pushed commands asks for it many times).
    """
    if session.get_bind().dialect.name != "postgresql":
        return datetime.now(UTC)
    transaction = session.get_transaction()
    known = session.info.get(_NOW)
    if known is not None and known[0] is transaction:
        remembered: datetime = known[1]
        return remembered
    moment = session.scalar(select(func.now()))
    assert isinstance(moment, datetime)
    session.info[_NOW] = (transaction, moment.astimezone(UTC))
    return moment.astimezone(UTC)


_NOW = "packbench.central_now"


def describe_claim(number: str, claim: OrderClaim) -> str:
    """ "Order 100234 is being packed at ST-02 by Ana until 10:57" """
    by = f" by {claim.user_name}" if claim.user_name else ""
    return (
        f"Order {number} is being packed at {claim.station}{by} until "
        f"{claim.expires_at.astimezone():%H:%M}"
    )


def claim_held_elsewhere(
    session: Session, order_id: int, station: str, now: datetime
) -> OrderClaim | None:
    """Another station's claim on the order that has not run out, if there is one."""
    claim = session.get(OrderClaim, order_id)
    if claim is None or claim.station == station or claim.expires_at <= now:
        return None
    return claim


def drop_claim(session: Session, order_id: int) -> None:
    session.execute(delete(OrderClaim).where(OrderClaim.order_id == order_id))


def claim_order(
    station: StationContext,
    number: str,
    user_name: str | None,
    minutes: int = DEFAULT_MINUTES,
    *,
    now: datetime | None = None,
) -> Claim:
    """Claim the order for this station for ``minutes``, or say who has it.

    Raises OrderClaimed when another station's claim has not run out, NotFound for an
    unknown order, DomainError for an order that can no longer be packed, and
    CentralUnreachable when the central store cannot be reached.
    """
    return _take(station, number, user_name, minutes, now=now, keep_user=False)


def renew(
    station: StationContext,
    number: str,
    minutes: int = DEFAULT_MINUTES,
    *,
    now: datetime | None = None,
) -> Claim:
    """Extend this station's claim (the packer is still at it); the same refusals as a claim.

    A claim that ran out and was taken by another station is not taken back: OrderClaimed.
    """
    return _take(station, number, None, minutes, now=now, keep_user=True)


def release_claim(station: StationContext, number: str) -> bool:
    """Give up this station's claim on the order; False if it held none."""
    with _central(station) as uow:
        order_id = uow.session.scalar(select(Order.id).where(Order.number == number))
        if order_id is None:
            return False
        mine = uow.session.get(OrderClaim, order_id)
        if mine is None or mine.station != station.station_id:
            return False
        uow.session.delete(mine)
        uow.commit()
        return True


def current_claim(
    station: StationContext, number: str, *, now: datetime | None = None
) -> Claim | None:
    """The claim on the order that has not run out, whoever holds it."""
    with _central(station) as uow:
        session = uow.session
        row = session.execute(
            select(OrderClaim)
            .join(Order, Order.id == OrderClaim.order_id)
            .where(Order.number == number)
        ).scalar_one_or_none()
        moment = now or central_now(session)
        if row is None or row.expires_at <= moment:
            return None
        return Claim(number, row.station, row.user_name, row.claimed_at, row.expires_at)


def _take(
    station: StationContext,
    number: str,
    user_name: str | None,
    minutes: int,
    *,
    now: datetime | None,
    keep_user: bool,
) -> Claim:
    with _central(station) as uow:
        session = uow.session
        # Locking the order's row queues two stations claiming it at the same moment.
        order = session.execute(
            select(Order.id, Order.status).where(Order.number == number).with_for_update()
        ).one_or_none()
        if order is None:
            raise NotFound(f"There is no order {number} in the central store.")
        order_id, status = order
        if status not in OPEN_STATUSES:
            raise DomainError(
                f"Order {number} is {OrderStatus(status).label.lower()} in the central store: "
                "there is nothing left to pack."
            )
        moment = now or central_now(session)
        other = claim_held_elsewhere(session, order_id, station.station_id, moment)
        if other is not None:
            raise OrderClaimed(describe_claim(number, other) + ".")
        claim = session.get(OrderClaim, order_id)
        if claim is None:
            claim = OrderClaim(order_id=order_id)
            session.add(claim)
        if claim.station != station.station_id or not keep_user:
            claim.user_name = user_name
            claim.claimed_at = moment
        claim.station = station.station_id
        claim.expires_at = moment + timedelta(minutes=minutes)
        result = Claim(number, claim.station, claim.user_name, claim.claimed_at, claim.expires_at)
        uow.commit()
        return result


@contextmanager
def _central(station: StationContext) -> Iterator[UnitOfWork]:
    """A unit of work on the central store (claims change no synced rows: no change number)."""
    # Only central work happens inside, so any error from it is the central store's.
    login = login_of(station.config.central_url)
    with central_errors(login), unit_of_work_factory(station.central_engine())() as uow:
        yield uow


@contextmanager
def central_errors(login: str | None = None, statement: str | None = None) -> Iterator[None]:
    """Turn "the central store is away" into CentralUnreachable; let anything else through.

    Wrap only work on the central store, so a full local disk is never mistaken for it.
    Raw driver errors (the pull reads through the driver's cursor) count as well, and so do
    a central schema this station cannot use and a right the store refuses ``login`` (their
    messages name the fix; ``statement``: what a raw cursor was running): the station works
    on alone until it is fixed, as when the store is away.
    """
    try:
        yield
    except SchemaError as error:
        raise CentralUnreachable(error.message) from error
    except Exception as error:
        if is_unreachable(error):
            raise unreachable(error) from error
        refused = missing_right(error, login, statement)
        if refused is not None:
            raise CentralUnreachable(refused.line()) from error
        raise


def unreachable(error: BaseException) -> CentralUnreachable:
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()
    return CentralUnreachable(
        "The central store cannot be reached"
        + (f" ({detail[0]})" if detail else "")
        + ". Work goes on here and is sent when it is back."
    )
