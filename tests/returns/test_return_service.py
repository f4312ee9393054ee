"""The returns desk's service on a real station file pulled from a real central store."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import delete, select

from app.bootstrap import Station
from app.db.models import (
    Allocation,
    AuditEvent,
    Invoice,
    Order,
    OutboxCommand,
    PrintJob,
    StockLevel,
)
from app.db.session import unit_of_work_factory
from app.domain.errors import NotAllowed
from app.domain.invoicing import Selection
from app.domain.returns import (
    Condition,
    Disposition,
    LateReturn,
    NotInOrder,
    OverReturn,
    Reason,
    ReturnRefused,
    WrongSerial,
)
from app.domain.status import OrderStatus
from app.domain.users import Actor, Permission, Role, permissions_of
from app.services import returns
from app.services.invoicing import issue_invoice
from app.sync.clock import stamp_changes, track_changes
from app.sync.engine import sync_once
from tests.invoicing.world import price
from tests.packing.world import MUG, SPOON, TEA, TEA_CASE
from tests.returns.world import on_hand, person, ship
from tests.sync.stores import Central


def test_a_packer_may_not_take_returns_back(bench: Station) -> None:
    with pytest.raises(NotAllowed, match="may not look up returns"):
        returns.find(bench, person(bench, Role.PACKER), "100234")
    with pytest.raises(NotAllowed):
        returns.open_return(bench, person(bench, Role.PACKER), "100234")


def test_found_by_sscc_by_item_newest_first_and_by_serial(bench: Station) -> None:
    clerk = person(bench, Role.RETURNS)
    _, sscc = ship(bench, "100234", {1: 2, 2: 3, 3: 1}, {3: ("SP-0001",)}, days_ago=3)
    ship(bench, "100250", {1: 2}, days_ago=1)

    (by_sscc,) = returns.find(bench, clerk, sscc)
    assert (by_sscc.order_number, by_sscc.found_by) == ("100234", "sscc")
    assert by_sscc.customer == "Jürgen Müller" and by_sscc.returnable == 6
    assert [(x.sku, x.returnable) for x in by_sscc.lines][:1] == [("MUG-BLUE-350", 2)]
    (by_label,) = returns.find(bench, clerk, f"00{sscc}")  # the label's GS1-128: AI 00
    assert (by_label.order_number, by_label.found_by) == ("100234", "sscc")
    (by_slip,) = returns.find(bench, clerk, "ORD-100234")  # the packing slip's barcode
    assert by_slip.found_by == "order"
    by_item = returns.find(bench, clerk, MUG)
    assert [c.order_number for c in by_item] == ["100250", "100234"]  # newest first
    (by_serial,) = returns.find(bench, clerk, "SP-0001")
    assert (by_serial.order_number, by_serial.found_by) == ("100234", "serial")
    assert returns.find(bench, clerk, "NOTHING-42") == []


def test_refusals_keep_the_return_as_it_was(bench: Station) -> None:
    clerk = person(bench, Role.RETURNS)
    ship(bench, "100234", {1: 2, 2: 3, 3: 1}, {3: ("SP-0001",)})
    ra = returns.open_return(bench, clerk, "100234").number
    assert ra.startswith("RA-ST-01-")
    returns.receive(bench, clerk, ra, MUG)
    returns.receive(bench, clerk, ra, MUG)
    with pytest.raises(OverReturn, match=r"Only 0 of MUG-BLUE-350 .*2 shipped"):
        returns.receive(bench, clerk, ra, MUG)
    with pytest.raises(WrongSerial, match="SP-0002 did not ship"):
        returns.receive(bench, clerk, ra, SPOON, serial="SP-0002")
    with pytest.raises(OverReturn, match=r"Only 3 of TEA-EARL-100 .* 6 scanned"):
        returns.receive(bench, clerk, ra, TEA_CASE)  # a case is six
    returns.receive(bench, clerk, ra, SPOON, serial="SP-0001")
    with pytest.raises(ReturnRefused):
        returns.receive(bench, clerk, ra, SPOON, serial="SP-0001")
    view = returns.resume(bench, clerk, ra)
    assert view.received == 3
    assert [x.returnable for x in view.lines] == [0, 3, 0]


def test_an_unexpected_item_is_quarantined_only(bench: Station) -> None:
    clerk = person(bench, Role.RETURNS)
    ship(bench, "100240", {1: 2})
    ra = returns.open_return(bench, clerk, "100240").number
    with pytest.raises(NotInOrder, match="MUG-BLUE-350 is not in order 100240"):
        returns.receive(bench, clerk, ra, MUG)
    view = returns.receive(bench, clerk, ra, MUG, unexpected=True)
    assert view.last_unit is not None and view.last_unit.disposition is Disposition.QUARANTINE
    with pytest.raises(ReturnRefused, match="can only be quarantined"):
        returns.set_unit(bench, clerk, ra, disposition=Disposition.RESTOCK)
    returns.confirm(bench, clerk, ra)
    assert on_hand(bench, "MUG-BLUE-350") == {"A-01-1": 20}


def test_stock_per_bin_after_each_disposition_and_the_order_status(bench: Station) -> None:
    clerk = person(bench, Role.RETURNS)
    ship(bench, "100234", {1: 2, 2: 3, 3: 1}, {3: ("SP-0001",)})
    assert on_hand(bench, "TEA-EARL-100") == {"A-02-1": 17}
    ra = returns.open_return(bench, clerk, "100234").number
    returns.receive(bench, clerk, ra, TEA)  # no longer wanted: restock by default
    returns.confirm_disposition(bench, clerk, ra, "RESTOCK")
    returns.receive(bench, clerk, ra, TEA)
    returns.set_unit(bench, clerk, ra, reason=Reason.NO_LONGER_WANTED, bin_code="A-01-1")
    returns.receive(bench, clerk, ra, TEA)
    returns.set_unit(bench, clerk, ra, reason=Reason.DAMAGED, condition=Condition.DAMAGED)
    returns.receive(bench, clerk, ra, MUG)
    returns.confirm_disposition(bench, clerk, ra, "SCRAP")
    done = returns.confirm(bench, clerk, ra)

    assert on_hand(bench, "TEA-EARL-100") == {"A-02-1": 18, "A-01-1": 1}
    assert on_hand(bench, "MUG-BLUE-350") == {"A-01-1": 18}
    assert done.status == OrderStatus.PARTIALLY_RETURNED.value
    with bench.local(readonly=True) as uow:
        order = uow.session.scalar(select(Order).where(Order.number == "100234"))
        assert order is not None and order.status is OrderStatus.PARTIALLY_RETURNED
        assert [ln.quantity_returned for ln in order.lines] == [1, 3, 0]
        kinds = uow.session.scalars(select(OutboxCommand.kind)).all()
        assert kinds[-1] == "return.record"


def test_a_partial_return_credits_no_more_than_was_invoiced_for_those_units(
    bench: Station,
) -> None:
    clerk = person(bench, Role.RETURNS)
    boss = person(bench, Role.SUPERVISOR, "Maria Keller")
    price(bench, "100250", "10.00", "0.20")
    ship(bench, "100250", {1: 2})  # the tea is still to ship
    issue_invoice(bench, boss, "100250", Selection.of_quantities({"MUG-BLUE-350": 1}))
    ra = returns.open_return(bench, clerk, "100250").number
    returns.receive(bench, clerk, ra, MUG)
    returns.receive(bench, clerk, ra, MUG)
    refund = returns.preview_refund(bench, clerk, ra)
    assert refund.credit == {"MUG-BLUE-350": 1}  # one was invoiced, one was not
    assert refund.lines[0].net == Decimal("20.00") and refund.lines[0].tax == Decimal("4.00")

    done = returns.confirm(bench, clerk, ra)
    (note,) = done.credit_notes
    with bench.local(readonly=True) as uow:
        credit = uow.session.scalar(select(Invoice).where(Invoice.number == note))
        assert credit is not None and credit.gross == Decimal("12.00")
        assert sum(line.quantity for line in credit.lines) == 1
        printing = uow.session.scalar(select(PrintJob).where(PrintJob.subject == note))
        assert printing is not None and printing.target == "document"  # the credit note prints
    assert done.status is None  # partly shipped: its backorder keeps it shipping


def test_a_late_return_is_refused_for_a_clerk_and_accepted_by_a_supervisor_audited(
    bench: Station,
) -> None:
    ship(bench, "100240", {1: 2}, days_ago=45)
    with pytest.raises(LateReturn, match="45 days ago; the return window is 30 days"):
        returns.open_return(bench, person(bench, Role.RETURNS), "100240")
    boss = person(bench, Role.SUPERVISOR, "Maria Keller")
    with pytest.raises(LateReturn, match="say why"):
        returns.open_return(bench, boss, "100240")
    view = returns.open_return(bench, boss, "100240", "long-standing customer")
    assert view.late_accepted_by == "Maria Keller"
    with bench.local(readonly=True) as uow:
        detail = uow.session.scalar(
            select(AuditEvent.detail).where(AuditEvent.action == "return.open")
        )
    assert detail is not None and "accepted late by Maria Keller: long-standing customer" in detail


def test_a_clerk_granted_the_right_accepts_a_late_return(bench: Station) -> None:
    ship(bench, "100240", {1: 2}, days_ago=45)
    trusted = Actor(
        9,
        "Rosa Lind",
        Role.RETURNS,
        permissions_of(Role.RETURNS, frozenset({Permission.ACCEPT_LATE_RETURNS})),
        bench.station_id,
    )
    view = returns.open_return(bench, trusted, "100240", "parcel lost in the post")
    assert (view.late_accepted_by, view.late_reason) == ("Rosa Lind", "parcel lost in the post")


def test_an_order_fulfilled_elsewhere_is_found_by_item_and_taken_back(
    bench: Station, central: Central
) -> None:
    """Imported as already fulfilled by the channel: shipped here never, returned here all
    the same (its window counts from the order's date)."""
    uows = unit_of_work_factory(central.engine, before_commit=stamp_changes, on_open=track_changes)
    with uows() as uow:
        s = uow.session
        order = s.scalar(select(Order).where(Order.number == "100240"))
        assert order is not None
        order.status, order.fulfilled_elsewhere = OrderStatus.FULFILLED, "completed in Shopify"
        (line,) = order.lines
        stock = s.get(StockLevel, (line.product_id, line.product_id))
        assert stock is not None
        stock.committed -= 2
        s.execute(delete(Allocation).where(Allocation.order_line_id == line.id))
        line.quantity_picked = line.quantity_packed = line.quantity_shipped = 2
        uow.commit()
    sync_once(bench)
    clerk = person(bench, Role.RETURNS)
    found = returns.find(bench, clerk, TEA)
    elsewhere = next(c for c in found if c.order_number == "100240")
    assert elsewhere.fulfilled_elsewhere == "completed in Shopify" and elsewhere.returnable == 2
    ra = returns.open_return(bench, clerk, "100240").number
    returns.receive(bench, clerk, ra, TEA)
    done = returns.confirm(bench, clerk, ra)
    assert done.status == OrderStatus.PARTIALLY_RETURNED.value
    assert on_hand(bench, "TEA-EARL-100") == {"A-02-1": 21}
