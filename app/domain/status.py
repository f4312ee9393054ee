"""The order status machine (docs/lifecycle.md draws it).

Orders come in as ``imported`` (from a sales channel) or ``draft`` (typed in by hand), may be
held for review, and then move forward through allocation, picking and packing to shipping.
Anything before ``shipped`` can be voided by a supervisor; what has shipped can only come back
through the returns desk.
"""

from __future__ import annotations

from enum import StrEnum

from app.domain.errors import ForbiddenTransition


class OrderStatus(StrEnum):
    DRAFT = "draft"
    IMPORTED = "imported"
    ON_HOLD = "on_hold"
    FINALIZED = "finalized"
    ALLOCATED = "allocated"
    PICKING = "picking"
    PICKED = "picked"
    PACKING = "packing"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    FULFILLED = "fulfilled"
    PARTIALLY_RETURNED = "partially_returned"
    RETURNED = "returned"
    VOID = "void"

    @property
    def label(self) -> str:
        return _LABELS[self]


S = OrderStatus

_LABELS = {
    S.DRAFT: "Draft",
    S.IMPORTED: "Imported",
    S.ON_HOLD: "On hold",
    S.FINALIZED: "Finalized",
    S.ALLOCATED: "Allocated",
    S.PICKING: "Picking",
    S.PICKED: "Picked",
    S.PACKING: "Packing",
    S.PARTIALLY_SHIPPED: "Partly shipped",
    S.SHIPPED: "Shipped",
    S.FULFILLED: "Fulfilled",
    S.PARTIALLY_RETURNED: "Partly returned",
    S.RETURNED: "Returned",
    S.VOID: "Void",
}

# Before anything has left the building: a supervisor may still hold or void these.
OPEN_STATUSES = frozenset(
    {
        S.DRAFT,
        S.IMPORTED,
        S.ON_HOLD,
        S.FINALIZED,
        S.ALLOCATED,
        S.PICKING,
        S.PICKED,
        S.PACKING,
        S.PARTIALLY_SHIPPED,
    }
)
# A supervisor's void from the Orders workspace: only before anything has shipped.
VOIDABLE_STATUSES = OPEN_STATUSES - {S.PARTIALLY_SHIPPED}
# An order in these may be opened at the packing bench.
PACKABLE_STATUSES = frozenset({S.ALLOCATED, S.PICKED, S.PACKING, S.PARTIALLY_SHIPPED})

TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.DRAFT: frozenset({S.ON_HOLD, S.FINALIZED, S.VOID}),
    S.IMPORTED: frozenset({S.ON_HOLD, S.FINALIZED, S.VOID}),
    S.ON_HOLD: frozenset({S.FINALIZED, S.VOID}),
    S.FINALIZED: frozenset({S.ALLOCATED, S.ON_HOLD, S.VOID}),
    # Small warehouses pick at the bench: an allocated order may go straight to packing.
    S.ALLOCATED: frozenset({S.PICKING, S.PACKING, S.ON_HOLD, S.VOID}),
    S.PICKING: frozenset({S.PICKED, S.ALLOCATED, S.ON_HOLD, S.VOID}),
    S.PICKED: frozenset({S.PACKING, S.ON_HOLD, S.VOID}),
    S.PACKING: frozenset({S.SHIPPED, S.PARTIALLY_SHIPPED, S.PICKED, S.ON_HOLD, S.VOID}),
    # The backorder of a partial shipment is picked and packed again; voiding it cancels
    # only what has not left.
    S.PARTIALLY_SHIPPED: frozenset({S.PICKING, S.PACKING, S.SHIPPED, S.VOID}),
    S.SHIPPED: frozenset({S.FULFILLED, S.PARTIALLY_RETURNED, S.RETURNED}),
    S.FULFILLED: frozenset({S.PARTIALLY_RETURNED, S.RETURNED}),
    S.PARTIALLY_RETURNED: frozenset({S.RETURNED}),
    S.RETURNED: frozenset(),
    S.VOID: frozenset(),
}


def can_transition(current: OrderStatus, target: OrderStatus) -> bool:
    return target in TRANSITIONS[current]


def check_transition(order_number: str, current: OrderStatus, target: OrderStatus) -> None:
    """Raise ForbiddenTransition, with what to do instead, unless current -> target is allowed."""
    if can_transition(current, target):
        return
    raise ForbiddenTransition(
        f"Order {order_number} is {current.label.lower()}: it cannot be "
        f"{_VERBS[target]}. {_advice(current, target)}"
    )


_VERBS = {
    S.DRAFT: "turned back into a draft",
    S.IMPORTED: "marked as imported",
    S.ON_HOLD: "put on hold",
    S.FINALIZED: "finalized",
    S.ALLOCATED: "allocated",
    S.PICKING: "picked",
    S.PICKED: "marked as picked",
    S.PACKING: "packed",
    S.PARTIALLY_SHIPPED: "shipped in part",
    S.SHIPPED: "shipped",
    S.FULFILLED: "marked as fulfilled",
    S.PARTIALLY_RETURNED: "returned in part",
    S.RETURNED: "returned",
    S.VOID: "voided",
}


def _advice(current: OrderStatus, target: OrderStatus) -> str:
    if current is S.VOID:
        return "A void order is closed for good; create a new order if it is still wanted."
    if current is S.RETURNED:
        return "Everything on it has come back; nothing more can happen to it."
    if target is S.VOID and current not in OPEN_STATUSES:
        return "Goods have left the building; take them back at the Returns desk instead."
    if target is S.ON_HOLD and current not in OPEN_STATUSES:
        return "It has already shipped; holds apply only to orders still in the warehouse."
    if target in (S.PARTIALLY_RETURNED, S.RETURNED):
        return "Only shipped orders can be returned."
    if current is S.ON_HOLD:
        return "A supervisor must release the hold first (Orders workspace)."
    if target is S.PACKING:
        return "It must be allocated or picked before it can be packed."
    if target in (S.PICKING, S.PICKED):
        return "It must be allocated before it can be picked."
    if target in (S.SHIPPED, S.PARTIALLY_SHIPPED):
        return "Pack it at a packing bench first."
    if target is S.ALLOCATED:
        return "Finalize it (or release its hold) before allocating stock."
    allowed = ", ".join(sorted(t.label.lower() for t in TRANSITIONS[current])) or "nothing"
    return f"From {current.label.lower()} it can only become: {allowed}."
