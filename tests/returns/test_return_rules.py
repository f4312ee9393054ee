"""The returns desk's rules as plain values: what may come back, the window, the refund."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import stock
from app.domain.errors import InvalidQuantities
from app.domain.invoicing import LineTerms
from app.domain.orders import LineQuantities
from app.domain.returns import (
    AcceptedUnits,
    Condition,
    Disposition,
    LateReturn,
    NotInOrder,
    OverReturn,
    Reason,
    ReturnableLine,
    ReturnPolicy,
    WrongSerial,
    check_receive,
    check_window,
    credit_units,
    parse_dispositions,
    price_refund,
    status_after_return,
)
from app.domain.status import OrderStatus
from app.domain.stock import BinStock

MUG = ReturnableLine(1, "MUG-BLUE", "Blue mug", shipped=3, returned=1)
CAM = ReturnableLine(
    2, "CAM-1", "Camera", shipped=2, returned=0, serials=("SN1", "SN2"), serial_tracked=True
)


def test_returnable_is_shipped_minus_returned_minus_taken_back():
    assert MUG.returnable == 2
    assert ReturnableLine(1, "X", "X", 3, 1, receiving=2).returnable == 0


def test_an_item_not_in_the_order_is_refused_naming_the_order():
    with pytest.raises(NotInOrder, match="TEAPOT is not in order 1001"):
        check_receive("1001", [MUG], "TEAPOT", 1, None, [])


def test_more_than_returnable_is_refused_with_the_count():
    with pytest.raises(OverReturn, match=r"Only 2 of MUG-BLUE .* 3 scanned"):
        check_receive("1001", [MUG], "MUG-BLUE", 3, None, [])


def test_a_serial_must_have_shipped_and_come_back_once():
    assert check_receive("1001", [CAM], "CAM-1", 1, "SN2", []) == CAM
    with pytest.raises(WrongSerial, match="SN9 did not ship"):
        check_receive("1001", [CAM], "CAM-1", 1, "SN9", [])
    with pytest.raises(WrongSerial, match="SN1 came back already"):
        check_receive("1001", [CAM], "CAM-1", 1, "SN1", ["SN1"])
    with pytest.raises(WrongSerial, match="scan the unit's serial"):
        check_receive("1001", [CAM], "CAM-1", 1, None, [])


def test_a_late_return_is_refused_for_a_clerk_and_needs_a_reason_from_a_supervisor():
    shipped = datetime(2026, 1, 1, tzinfo=UTC)
    now = shipped + timedelta(days=45)
    check_window(
        "1001", shipped, shipped + timedelta(days=29), 30, may_accept_late=False, late_reason=None
    )
    with pytest.raises(LateReturn, match="45 days ago; the return window is 30 days"):
        check_window("1001", shipped, now, 30, may_accept_late=False, late_reason=None)
    with pytest.raises(LateReturn, match="say why"):
        check_window("1001", shipped, now, 30, may_accept_late=True, late_reason=" ")
    check_window("1001", shipped, now, 30, may_accept_late=True, late_reason="goodwill")


def test_defaults_per_reason_and_a_damaged_unit_is_never_restocked():
    policy = ReturnPolicy()
    assert policy.disposition_for(Reason.NO_LONGER_WANTED) is Disposition.RESTOCK
    assert policy.disposition_for(Reason.NO_LONGER_WANTED, Condition.DAMAGED) is (
        Disposition.QUARANTINE
    )
    with pytest.raises(ValueError, match='"brokn" is not a reason'):
        parse_dispositions("brokn:restock")
    with pytest.raises(ValueError, match='"bin" is not a disposition'):
        parse_dispositions("damaged:bin")


def _terms(invoiced: int = 0) -> LineTerms:
    return LineTerms(
        1,
        "MUG-BLUE",
        "Blue mug",
        ordered=4,
        shipped=4,
        unit_price=Decimal("10.00"),
        tax_rate=Decimal("0.20"),
        invoiced=invoiced,
    )


def test_refund_takes_invoiced_units_at_the_credit_note_price_and_the_rest_as_ordered():
    policy = ReturnPolicy(restocking_fee_pct={}, shipping_refunded=frozenset({Reason.DAMAGED}))
    refund = price_refund(
        "GBP",
        [AcceptedUnits(_terms(invoiced=1), 3, Reason.DAMAGED)],
        creditable={1: 1},
        invoiced_price={1: (Decimal("9.00"), Decimal("1.80"))},  # the invoice billed 9.00
        policy=policy,
        shipping=Decimal("5.00"),
        shipping_tax_rate=Decimal("0.20"),
    )
    (line,) = refund.lines
    assert (line.units, line.invoiced_units) == (3, 1)
    assert line.net == Decimal("29.00") and line.tax == Decimal("5.80")
    assert refund.credit == {"MUG-BLUE": 1}
    assert refund.shipping == Decimal("5.00") and refund.shipping_tax == Decimal("1.00")
    assert refund.total == Decimal("40.80")


def test_a_restocking_fee_by_reason_and_no_shipping_for_a_change_of_mind():
    refund = price_refund(
        "GBP",
        [AcceptedUnits(_terms(), 2, Reason.NO_LONGER_WANTED)],
        {},
        {},
        ReturnPolicy(),
        shipping=Decimal("5.00"),
    )
    assert refund.shipping == 0
    assert refund.fees == Decimal("2.00")  # 10% of 20.00
    assert refund.total == Decimal("22.00")  # 24.00 gross - 2.00


def test_status_follows_what_came_back_and_a_partly_shipped_order_keeps_its_status():
    S = OrderStatus
    assert status_after_return(S.SHIPPED, [(2, 2, 1)]) is S.PARTIALLY_RETURNED
    assert status_after_return(S.PARTIALLY_RETURNED, [(2, 2, 2)]) is S.RETURNED
    assert status_after_return(S.SHIPPED, [(2, 2, 0)]) is None
    assert status_after_return(S.PARTIALLY_SHIPPED, [(3, 2, 1)]) is None


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["ship", "invoice", "restock", "quarantine"]), st.integers(1, 4)),
        max_size=25,
    )
)
def test_random_ship_return_credit_keep_returned_within_shipped_and_credit_within_invoiced(
    steps: list[tuple[str, int]],
) -> None:
    """The desk's refusals and the one stock domain agree, whatever the order of steps."""
    bins = {"A-01-1": BinStock("A-01-1", 1, on_hand=20, committed=0)}
    moved = stock.allocate(LineQuantities(8), {}, bins.values())
    line, held = moved.line, dict(moved.held)
    bins.update(moved.bins)
    invoiced = credited = restocked = 0
    for step, units in steps:
        if step == "ship":
            if line.shipped + units > line.ordered:
                continue
            moved = stock.ship(line, held, bins.values(), units)
            line, held = moved.line, dict(moved.held)
            bins.update(moved.bins)
        elif step == "invoice":
            terms = LineTerms(
                1,
                "A",
                "A",
                line.ordered,
                line.shipped,
                Decimal("1"),
                Decimal("0"),
                invoiced=invoiced - credited,
                returned=line.returned,
            )
            invoiced += min(units, terms.billable)
        else:
            desk = ReturnableLine(1, "A", "A", line.shipped, line.returned)
            try:
                check_receive("1", [desk], "A", units, None, [])
            except OverReturn:
                assert units > line.shipped - line.returned
                with pytest.raises(InvalidQuantities):  # the stock domain refuses it too
                    stock.quarantine(line, units)
                continue
            if step == "restock":
                moved = stock.restock(line, held, bins["A-01-1"], units)
                line, held = moved.line, dict(moved.held)
                bins.update(moved.bins)
                restocked += units
            else:
                line = stock.quarantine(line, units)
            credited += credit_units(units, invoiced - credited)
        assert line.returned <= line.shipped
        assert credited <= invoiced
        assert bins["A-01-1"].on_hand == 20 - line.shipped + restocked
