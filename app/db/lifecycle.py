"""An order's status moves and what each does to its stock: one place for the station's
services, the central store's ``order.status`` handler and a supervisor's release.

- a void keeps its reason and gives back the stock the open lines hold;
- a hold keeps its reason (stock stays committed: picking may be under way);
- leaving a hold clears the reasons;
- finalizing (a released hold, a draft made final) allocates stock from the bins in walk
  order, as the import does: the order is ``allocated`` when it holds any, else it stays
  ``finalized`` and waits for stock.

A station records each move it makes with ``record_move``, which writes the ``order.status``
command the central store applies with ``move_order`` again (app/sync/commands.py). A move
that frees or allocates stock notes every stock row of the order's products: centrally they
are stamped, so a station that allocated from its own (older) copy of the stock pulls the
central rows back whatever bins it chose.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.db.models import Order
from app.db.session import UnitOfWork
from app.db.stock import Allocated, allocate_order, note_products_stock, release_order
from app.domain.status import OrderStatus, check_transition

S = OrderStatus


def move_order(
    session: Session, order: Order, target: OrderStatus, reason: str | None = None
) -> Allocated | None:
    """Check the move (ForbiddenTransition) and make it, with its effect on the stock.

    Returns what a move to ``finalized`` allocated (the order is then ``allocated`` if it
    holds stock), else None."""
    before = order.status
    check_transition(order.number, before, target)
    order.status = target
    if target is S.VOID:
        order.void_reason = reason
        release_order(session, order.id, order.number)
        note_products_stock(session, order.id)
    elif target is S.ON_HOLD:
        if reason:
            order.hold_reasons = [*order.hold_reasons, reason]
    elif before is S.ON_HOLD:
        order.hold_reasons = []
    if target is not S.FINALIZED:
        return None
    allocated = allocate_order(session, order.id, order.number)
    note_products_stock(session, order.id)
    if allocated.status is not S.FINALIZED:
        check_transition(order.number, S.FINALIZED, allocated.status)
        order.status = allocated.status
    return allocated


def record_move(
    uow: UnitOfWork, order: Order, target: OrderStatus, reason: str | None = None
) -> Allocated | None:
    """A station's move: made here (``move_order``) and told to the central store by the
    ``order.status`` command, which carries the move as asked (``to``: the target)."""
    before, version = order.status, order.version
    allocated = move_order(uow.session, order, target, reason)
    uow.command(
        "order.status",
        {
            "number": order.number,
            "from": before.value,
            "to": target.value,
            "reason": reason,
            "version": version,
        },
    )
    return allocated
