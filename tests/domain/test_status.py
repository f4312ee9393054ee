from itertools import pairwise

import pytest

from app.domain.errors import ForbiddenTransition
from app.domain.status import (
    OPEN_STATUSES,
    TRANSITIONS,
    OrderStatus,
    can_transition,
    check_transition,
)

S = OrderStatus
# In the statuses' own order, not a set's: every pytest-xdist process must collect the same list.
ALLOWED = [(a, b) for a, targets in TRANSITIONS.items() for b in S if b in targets]
FORBIDDEN = [(a, b) for a in S for b in S if b not in TRANSITIONS[a]]


def test_every_status_has_a_rule() -> None:
    assert set(TRANSITIONS) == set(S)


@pytest.mark.parametrize(("current", "target"), ALLOWED, ids=lambda s: s.value)
def test_allowed_transition_passes(current: OrderStatus, target: OrderStatus) -> None:
    check_transition("100234", current, target)
    assert can_transition(current, target)


@pytest.mark.parametrize(("current", "target"), FORBIDDEN, ids=lambda s: s.value)
def test_forbidden_transition_raises_a_message_a_person_can_act_on(
    current: OrderStatus, target: OrderStatus
) -> None:
    with pytest.raises(ForbiddenTransition) as caught:
        check_transition("100234", current, target)
    message = caught.value.message
    assert "Order 100234" in message
    assert current.label.lower() in message
    # Says what to do, not just "invalid": a second sentence of advice.
    assert message.count(".") >= 2


def test_the_lifecycle_reaches_fulfilled_from_an_import() -> None:
    path = [
        S.IMPORTED,
        S.ON_HOLD,
        S.FINALIZED,
        S.ALLOCATED,
        S.PICKING,
        S.PICKED,
        S.PACKING,
        S.PARTIALLY_SHIPPED,
        S.PACKING,
        S.SHIPPED,
        S.FULFILLED,
        S.PARTIALLY_RETURNED,
        S.RETURNED,
    ]
    for a, b in pairwise(path):
        check_transition("1", a, b)


def test_anything_before_shipped_can_be_voided_and_nothing_after() -> None:
    for status in S:
        assert can_transition(status, S.VOID) == (status in OPEN_STATUSES)


def test_voiding_a_shipped_order_points_to_the_returns_desk() -> None:
    with pytest.raises(ForbiddenTransition, match="Returns desk"):
        check_transition("100234", S.SHIPPED, S.VOID)


def test_a_held_order_must_be_released_before_it_is_allocated() -> None:
    with pytest.raises(ForbiddenTransition, match="release the hold"):
        check_transition("100234", S.ON_HOLD, S.ALLOCATED)


def test_void_and_returned_are_final() -> None:
    assert TRANSITIONS[S.VOID] == frozenset()
    assert TRANSITIONS[S.RETURNED] == frozenset()
