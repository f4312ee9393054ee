"""The invoicing service at a station: billable view, invoices, credit notes, rights, list."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from app.bootstrap import Station
from app.db.models import AuditEvent, Invoice, OutboxCommand
from app.domain.errors import NotAllowed
from app.domain.invoicing import ExceedsBillable, NothingBillable, Selection
from app.domain.users import Role
from app.services import invoicing
from app.services.invoicing import InvoiceFilter, InvoiceState
from tests.invoicing.world import person, price, ship


def supervisor(bench: Station):  # type: ignore[no-untyped-def]
    return person(bench, Role.SUPERVISOR)


def test_a_partial_shipment_is_billed_by_its_own_invoice_naming_shipment_and_parcel(
    bench: Station,
) -> None:
    price(bench, "100234", "9.99", "0.19")
    first = ship(bench, "100234", {1: 2}, {2: 1})
    boss = supervisor(bench)
    view = invoicing.billing(bench, boss, "100234").view
    assert [(line.sku, line.shipped, line.billable) for line in view.lines] == [
        ("MUG-BLUE-350", 2, 2),
        ("TEA-EARL-100", 1, 1),
        ("SPOON-SET-4", 0, 0),
    ]
    issued = invoicing.issue_invoice(bench, boss, "100234")
    assert issued.number == f"INV-ST-01-{issued.summary.issued_at.year}-000001"
    assert {(x.sku, x.shipment, x.quantity) for x in issued.lines} == {
        ("MUG-BLUE-350", first, 2),
        ("TEA-EARL-100", first, 1),
    }
    assert all(x.sscc and x.sscc.startswith("0") for x in issued.lines)
    assert issued.summary.net == Decimal("29.97")
    assert issued.summary.tax == Decimal("3.80") + Decimal("1.90")  # per line
    assert issued.partial_index == 1
    assert issued.summary.state is InvoiceState.WAITING
    with pytest.raises(NothingBillable, match="invoiced in full"):
        invoicing.issue_invoice(bench, boss, "100234")
    second = ship(bench, "100234", {2: 2, 3: 1})
    with pytest.raises(ExceedsBillable, match="TEA-EARL-100: 3 asked, 2 billable"):
        invoicing.issue_invoice(bench, boss, "100234", Selection.of_quantities({"TEA-EARL-100": 3}))
    again = invoicing.issue_invoice(bench, boss, "100234", Selection.of_shipment(second))
    assert again.number.endswith("000002") and again.partial_index == 2
    assert {x.sku for x in again.lines} == {"TEA-EARL-100", "SPOON-SET-4"}


def test_nothing_is_written_when_nothing_is_billable(bench: Station) -> None:
    boss = supervisor(bench)
    with pytest.raises(NothingBillable, match="shipped nothing yet"):
        invoicing.issue_invoice(bench, boss, "100234")
    with bench.local(readonly=True) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Invoice)) == 0
        assert uow.session.scalar(select(func.count()).select_from(OutboxCommand)) == 0


def test_a_credit_note_gives_units_back_to_bill_and_cannot_credit_more(bench: Station) -> None:
    ship(bench, "100234", {1: 2, 2: 3})
    boss = supervisor(bench)
    invoice = invoicing.issue_invoice(bench, boss, "100234")
    credit = invoicing.issue_credit_note(bench, boss, invoice.number, {"TEA-EARL-100": 1})
    assert credit.number.startswith("CN-ST-01-") and credit.summary.corrects == invoice.number
    assert credit.summary.gross == Decimal("5.00")
    view = invoicing.billing(bench, boss, "100234").view
    assert [line.billable for line in view.lines] == [0, 1, 0]
    with pytest.raises(ExceedsBillable, match="3 asked, 2 creditable"):
        invoicing.issue_credit_note(bench, boss, invoice.number, {"TEA-EARL-100": 3})
    rest = invoicing.issue_credit_note(bench, boss, invoice.number)
    assert rest.summary.gross + credit.summary.gross == invoice.summary.gross
    kinds = {x.kind for x in invoicing.list_invoices(bench, boss, InvoiceFilter(order="100234"))}
    assert kinds == {"invoice", "credit_note"}
    only = invoicing.list_invoices(bench, boss, InvoiceFilter(kind="credit_note"))
    assert [x.number for x in only] == [rest.number, credit.number]
    assert invoicing.list_invoices(bench, boss, InvoiceFilter(customer="MÜLLER"))
    assert not invoicing.list_invoices(bench, boss, InvoiceFilter(customer="nobody"))


def test_an_issued_invoice_cannot_be_changed_or_deleted(bench: Station) -> None:
    ship(bench, "100234", {1: 1})
    invoicing.issue_invoice(bench, supervisor(bench), "100234")
    for statement in ("UPDATE invoices SET gross = '0'", "DELETE FROM invoice_lines"):
        with bench.local_engine.connect() as c, pytest.raises(DBAPIError, match="append-only"):
            c.execute(text(statement))


@pytest.mark.parametrize("role", list(Role))
def test_only_supervisors_and_admins_issue_invoices_and_credit_notes(
    bench: Station, role: Role, tmp_path: Path
) -> None:
    ship(bench, "100234", {1: 2})
    someone = person(bench, role, name="Sam")
    allowed = role in (Role.SUPERVISOR, Role.ADMIN)
    if not allowed:
        for act in (
            lambda: invoicing.billing(bench, someone, "100234"),
            lambda: invoicing.issue_invoice(bench, someone, "100234"),
            lambda: invoicing.list_invoices(bench, someone),
        ):
            with pytest.raises(NotAllowed, match="Ask a supervisor"):
                act()
        with bench.local(readonly=True) as uow:
            assert uow.session.scalar(select(func.count()).select_from(Invoice)) == 0
        invoice = invoicing.issue_invoice(bench, supervisor(bench), "100234")
        for act in (
            lambda: invoicing.issue_credit_note(bench, someone, invoice.number),
            lambda: invoicing.invoice_pdf(bench, someone, invoice.number),
            lambda: invoicing.print_invoice(bench, someone, invoice.number),
            lambda: invoicing.save_invoice_pdf(bench, someone, invoice.number, tmp_path / "x.pdf"),
        ):
            with pytest.raises(NotAllowed):
                act()
        assert not (tmp_path / "x.pdf").exists()
        return
    invoice = invoicing.issue_invoice(bench, someone, "100234")
    invoicing.issue_credit_note(bench, someone, invoice.number)
    assert invoicing.invoice_pdf(bench, someone, invoice.number).startswith(b"%PDF")
    assert not invoicing.save_invoice_pdf(bench, someone, invoice.number, tmp_path / "a.pdf").copy
    assert invoicing.save_invoice_pdf(bench, someone, invoice.number, tmp_path / "b.pdf").copy
    assert invoicing.print_invoice(bench, someone, invoice.number).copy
    with bench.local(readonly=True) as uow:
        actions = set(uow.session.scalars(select(AuditEvent.action)))
    assert {"invoice.issue", "credit_note.issue", "invoice.saved", "invoice.reprint"} <= actions
