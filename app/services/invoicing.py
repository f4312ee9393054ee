"""Invoices and credit notes at a station: one function per thing a supervisor does.

- ``billing(station, actor, order)``: the billable view of an order (per line, per shipment
  and parcel: shipped, invoiced, still billable), the shipping and what was issued;
- ``issue_invoice(station, actor, order, selection)``: bill everything, one shipment, or
  chosen units; the number is taken in the same transaction as the invoice;
- ``issue_credit_note(station, actor, invoice, quantities)``: give back a whole invoice or
  chosen units of it;
- ``list_invoices(station, actor, InvoiceFilter(...))``: issued documents with their state;
- ``invoice_document`` / ``invoice_pdf`` / ``save_invoice_pdf`` / ``print_invoice``: the
  document made from the stored rows (``reprint=True`` marks it COPY and is audited).

Every function checks the actor's right itself (``issue_invoices``: supervisors and
admins; packers and returns clerks are refused) and raises a ``DomainError`` whose message
is for the person; nothing is written then. Issued rows are never changed: the state shown
(waiting to sync, recorded centrally, refused centrally with the reason) is read from the
outbox command that carried them.

The rules (what is billable, amounts, rounding, shipping) are ``app.domain.invoicing``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Config, InvoicingSettings
from app.context import StationContext
from app.db.invoices import CREDIT_NOTE, INVOICE, Billing, record_of
from app.db.models import (
    AuditEvent,
    Invoice,
    InvoiceLineRow,
    Order,
    OutboxCommand,
)
from app.db.numbers import take_number
from app.db.session import UnitOfWork
from app.domain.errors import DomainError, NotFound
from app.domain.invoicing import (
    BillableView,
    Draft,
    IssuedLine,
    NothingBillable,
    Selection,
    Shipping,
    charges_shipping,
    choose,
    choose_credit,
    completes_order,
    price_credit,
    price_invoice,
    shipping_rate,
)
from app.domain.users import Actor, Permission
from app.domain.wording import count
from app.services.printjobs import party, queue_document, ship_from
from app.services.printouts import write_file
from app.sync.pull import pause_at
from printing.documents import (
    DocumentKind,
    InvoiceDocument,
    InvoiceLine,
    Party,
    TaxBreakdownRow,
)
from printing.invoice_pdf import invoice_pdf as render_invoice_pdf

COMMAND = "invoice.record"


class InvoiceState(StrEnum):
    """Where an issued document stands with the central store."""

    WAITING = "waiting"  # in the outbox, not sent yet
    RECORDED = "recorded"  # the central store keeps it
    REFUSED = "refused"  # the central store refused it: ``reason`` says why

    @property
    def label(self) -> str:
        return {
            "waiting": "waiting to sync",
            "recorded": "recorded centrally",
            "refused": "refused centrally",
        }[self.value]


# --- what the functions hand back ----------------------------------------------------------


@dataclass(frozen=True)
class IssuedSummary:
    """An issued invoice or credit note as the list shows it."""

    number: str
    kind: str  # "invoice" | "credit_note"
    order_number: str
    customer: str
    issued_at: datetime
    currency: str
    net: Decimal
    tax: Decimal
    gross: Decimal
    corrects: str | None
    state: InvoiceState
    reason: str | None  # why the central store refused it

    @property
    def is_credit_note(self) -> bool:
        return self.kind == CREDIT_NOTE


@dataclass(frozen=True)
class IssuedLineView:
    """One line of an issued document: ``shipment``/``sscc`` None for shipping."""

    sku: str
    name: str
    shipment: str | None
    sscc: str | None
    quantity: int
    net: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Issued:
    """What issuing returned: the summary and its lines."""

    summary: IssuedSummary
    lines: tuple[IssuedLineView, ...]
    partial_index: int | None

    @property
    def number(self) -> str:
        return self.summary.number

    def as_json(self) -> dict[str, Any]:
        """The ``packbench invoice --json`` object (a contract: scripts rely on its keys)."""
        s = self.summary
        return {
            "number": s.number,
            "kind": s.kind,
            "order": s.order_number,
            "corrects": s.corrects,
            "lines": [
                {
                    "sku": line.sku,
                    "shipment": line.shipment,
                    "sscc": line.sscc,
                    "quantity": line.quantity,
                    "net": str(line.net),
                    "tax": str(line.tax),
                }
                for line in self.lines
            ],
            "net": str(s.net),
            "tax": str(s.tax),
            "gross": str(s.gross),
            "currency": s.currency,
            "state": s.state.value,
        }


@dataclass(frozen=True)
class OrderBilling:
    """The billable view of an order and what was issued for it so far."""

    view: BillableView
    customer: str
    shipping: Decimal  # the order's shipping charge (net)
    shipping_billed: bool
    issued: tuple[IssuedSummary, ...]

    @property
    def billable(self) -> int:
        return self.view.billable


@dataclass(frozen=True)
class InvoiceFilter:
    """Filters of the list; None (or empty) lets everything through."""

    order: str | None = None
    customer: str | None = None  # a part of the name, any case
    issued_from: dt.date | None = None
    issued_to: dt.date | None = None  # inclusive
    kind: str | None = None  # "invoice" | "credit_note"
    state: InvoiceState | None = None
    limit: int = 500


# --- rights --------------------------------------------------------------------------------


def _may_invoice(actor: Actor, doing: str = "issue or print invoices") -> None:
    actor.require(Permission.ISSUE_INVOICES, doing)


# --- the billable view ---------------------------------------------------------------------


def billing(station: StationContext, actor: Actor, order_number: str) -> OrderBilling:
    """The billable view of an order: per line and per parcel, shipped, invoiced, billable."""
    _may_invoice(actor, "see what is billable")
    with station.local(readonly=True) as uow:
        s = uow.session
        order = _order(s, order_number)
        known = Billing.read(s, order)
        return OrderBilling(
            known.view,
            _customer(order),
            order.shipping_total,
            known.shipping_billed,
            tuple(_summaries(s, select(Invoice).where(Invoice.order_number == order.number))),
        )


# --- issuing -------------------------------------------------------------------------------


def issue_invoice(
    station: StationContext,
    actor: Actor,
    order_number: str,
    selection: Selection | None = None,
) -> Issued:
    """Issue an invoice for the order's shipped, not yet billed units (all, by default).

    Raises ``NothingBillable`` or ``ExceedsBillable`` (nothing is written then).
    """
    _may_invoice(actor)
    with station.local() as uow:
        issued = issue_in(uow, station.config, actor.name, order_number, selection, actor)
        uow.commit()
        return issued


def issue_in(
    uow: UnitOfWork,
    config: Config,
    user_name: str,
    order_number: str,
    selection: Selection | None,
    actor: Actor | None = None,
    *,
    automatic: bool = False,
) -> Issued:
    """Issue an invoice inside the caller's unit of work (the shipment that auto-invoices).

    The caller has checked the right (or, ``automatic``, the station's policy allows it).
    """
    s = uow.session
    order = _order(s, order_number)
    known = Billing.read(s, order)
    picks = choose(known.view, selection or Selection.everything())
    settings = config.invoicing
    completes = completes_order(known.terms, picks)
    shipping = Shipping(order.shipping_total, shipping_rate(known.terms))
    charged = charges_shipping(settings.shipping, shipping, known.shipping_billed, completes)
    draft = price_invoice(
        order.currency,
        known.terms,
        picks,
        rounding=settings.rounding,
        shipping=shipping if charged else None,
    )
    first_and_whole = known.invoices == 0 and completes
    partial_index = None if first_and_whole else known.invoices + 1
    now = datetime.now(UTC)
    number = _next_number(s, config, INVOICE, now)
    snapshot = _snapshot(config, order, now)
    return _write(
        uow,
        config,
        user_name,
        actor,
        order,
        INVOICE,
        number,
        now,
        draft,
        snapshot,
        partial_index,
        automatic=automatic,
    )


def auto_invoice(
    uow: UnitOfWork, config: Config, user_name: str, order_number: str, shipment: str
) -> str | None:
    """With ``[invoicing] auto_invoice``, invoice a shipment as it is made (same transaction).

    A station policy, set by whoever configures the station: the packer who ships needs no
    right to invoice, and the audit trail says it was issued automatically for them. Units
    another station billed already leave nothing to bill: then no invoice, and the shipment
    stands. Returns the invoice's number, or None.
    """
    if not config.invoicing.auto_invoice:
        return None
    try:
        return issue_in(
            uow, config, user_name, order_number, Selection.of_shipment(shipment), automatic=True
        ).number
    except NothingBillable:
        return None


def issue_credit_note(
    station: StationContext,
    actor: Actor,
    invoice_number: str,
    quantities: Mapping[str, int] | None = None,
    *,
    order_number: str | None = None,
) -> Issued:
    """Issue a credit note for a whole invoice (``quantities`` None) or units per SKU of it.

    ``order_number``, when given, must be the invoice's order (a typo names another).

    The credited units may be billed again (a price correction); units that came back are
    counted by the returns desk and are not. Raises ``NothingToCredit``, ``ExceedsBillable``.
    """
    _may_invoice(actor, "issue credit notes")
    with station.local() as uow:
        issued = credit_in(uow, station.config, actor, invoice_number, quantities, order_number)
        uow.commit()
        return issued


def credit_in(
    uow: UnitOfWork,
    config: Config,
    actor: Actor,
    invoice_number: str,
    quantities: Mapping[str, int] | None,
    order_number: str | None = None,
) -> Issued:
    """A credit note written in the caller's transaction (the caller checked the right and
    commits): ``issue_credit_note``'s work, and the returns desk's, which credits the units
    that came back in the same transaction that takes them back."""
    s = uow.session
    invoice = _invoice(s, invoice_number)
    if order_number is not None and invoice.order_number != order_number.strip():
        raise DomainError(
            f"Invoice {invoice.number} is for order {invoice.order_number}, not "
            f"{order_number}; nothing was credited. Check both numbers."
        )
    if invoice.kind != INVOICE:
        raise DomainError(
            f"{invoice_number} is a credit note; a credit note corrects an invoice. "
            "Name the invoice it corrected."
        )
    if _state(s, invoice)[0] is InvoiceState.REFUSED:
        raise DomainError(
            f"Invoice {invoice_number} was refused by the central store; it bills "
            "nothing, so there is nothing to credit."
        )
    lines = _issued_lines(s, invoice)
    picks = choose_credit(invoice_number, lines, quantities)
    draft = price_credit(invoice.currency, picks, rounding=config.invoicing.rounding)
    order = _order(s, invoice.order_number)
    now = datetime.now(UTC)
    number = _next_number(s, config, CREDIT_NOTE, now)
    snapshot = dict(invoice.document)
    snapshot["corrects_issued_on"] = invoice.issued_at.date().isoformat()
    snapshot["due_on"] = None
    return _write(
        uow,
        config,
        actor.name,
        actor,
        order,
        CREDIT_NOTE,
        number,
        now,
        draft,
        snapshot,
        None,
        corrects=invoice.number,
    )


def creditable_lines(s: Session, order_number: str) -> list[tuple[str, list[IssuedLine]]]:
    """The order's invoices the central store did not refuse, earliest first, each with its
    lines and what credit notes gave back of them: what a return may still credit."""
    invoices = s.scalars(
        select(Invoice)
        .where(Invoice.order_number == order_number, Invoice.kind == INVOICE)
        .order_by(Invoice.issued_at, Invoice.id)
    ).all()
    return [
        (invoice.number, _issued_lines(s, invoice))
        for invoice in invoices
        if _state(s, invoice)[0] is not InvoiceState.REFUSED
    ]


def _issued_lines(s: Session, invoice: Invoice) -> list[IssuedLine]:
    credited: dict[int, int] = {}
    rows = s.execute(
        select(InvoiceLineRow.credits, InvoiceLineRow.quantity, OutboxCommand.state)
        .join(Invoice, Invoice.id == InvoiceLineRow.invoice_id)
        .outerjoin(OutboxCommand, OutboxCommand.command_id == Invoice.command_id)
        .where(Invoice.corrects == invoice.number)
    ).all()
    for position, quantity, state in rows:
        if position is not None and state != "rejected":
            credited[position] = credited.get(position, 0) + quantity
    return [
        IssuedLine(
            line.line_no,
            line.sku,
            line.name,
            line.shipment_number,
            line.sscc,
            line.quantity,
            line.unit_price,
            line.discount,
            line.tax_rate,
            line.net,
            line.tax,
            position=line.position,
            credited=credited.get(line.position, 0),
        )
        for line in invoice.lines
    ]


def _next_number(s: Session, config: Config, kind: str, now: datetime) -> str:
    """The next number of this station's series for ``kind`` and year: gap-free.

    Taken in the caller's transaction: a crash before it commits leaves the number unused.
    """
    settings = config.invoicing
    template = settings.invoice_prefix if kind == INVOICE else settings.credit_prefix
    prefix = template.format(station=config.station_id, year=now.year)
    return f"{prefix}{take_number(s, f'{kind}:{prefix}', 1):06d}"


def _snapshot(config: Config, order: Order, now: datetime) -> dict[str, Any]:
    """What the document shows besides the lines, kept as issued (a reprint is the same)."""
    settings: InvoicingSettings = config.invoicing
    customer = _customer(order)
    return {
        "locale": settings.locale,
        "seller": _party_json(ship_from(config, order.warehouse)),
        "seller_tax_id": settings.seller_tax_id,
        "bill_to": _party_json(party(order.bill_to or order.ship_to, customer)),
        "ship_to": _party_json(party(order.ship_to or order.bill_to, customer)),
        "payment_terms": settings.payment_terms,
        "due_on": (now.date() + dt.timedelta(days=settings.due_days)).isoformat(),
        "customer_reference": order.external_id or None,
        "corrects_issued_on": None,
    }


def _party_json(p: Party) -> dict[str, Any]:
    return {"name": p.name, "lines": list(p.lines), "country": p.country}


def _write(
    uow: UnitOfWork,
    config: Config,
    user_name: str,
    actor: Actor | None,
    order: Order,
    kind: str,
    number: str,
    now: datetime,
    draft: Draft,
    snapshot: dict[str, Any],
    partial_index: int | None,
    *,
    corrects: str | None = None,
    automatic: bool = False,
) -> Issued:
    s = uow.session
    snapshot = {
        **snapshot,
        "breakdown": [[str(r.rate), str(r.net), str(r.tax)] for r in draft.breakdown],
    }
    invoice = Invoice(
        number=number,
        kind=kind,
        order_number=order.number,
        customer_name=_customer(order),
        station=config.station_id,
        user_name=user_name,
        issued_at=now,
        currency=order.currency,
        locale=snapshot["locale"],
        rounding=config.invoicing.rounding.value,
        net=draft.net,
        tax=draft.tax,
        gross=draft.gross,
        corrects=corrects,
        partial_index=partial_index,
        document=snapshot,
        lines=[
            InvoiceLineRow(
                position=n,
                line_no=line.line_no,
                sku=line.sku,
                name=line.name,
                shipment_number=line.shipment,
                sscc=line.sscc,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount=line.discount,
                tax_rate=line.tax_rate,
                net=line.net,
                tax=line.tax,
                credits=line.credits,
            )
            for n, line in enumerate(draft.lines, start=1)
        ],
    )
    document_of(invoice)  # the printed form's own checks: a wrong sum is a bug, never issued
    invoice.command_id = uow.command(COMMAND, record_of(invoice))
    s.add(invoice)  # written once, whole: the database refuses any later change
    s.flush()
    pause_at(f"{kind}-issue", int(number[-6:]))  # the crash tests kill the process here
    what = "credit note" if kind == CREDIT_NOTE else "invoice"
    units = sum(line.quantity for line in draft.lines if line.line_no is not None)
    uow.audit(
        config.station_id,
        f"{kind}.issue",
        actor=actor,
        subject=f"order:{order.number}",
        detail=f"{what} {number}: {count(units, 'unit')}, {draft.gross} {order.currency}"
        + (f"; corrects {corrects}" if corrects else "")
        + (f"; issued automatically for {user_name}" if automatic else ""),
    )
    s.flush()
    return _issued(invoice, InvoiceState.WAITING, None)


# --- listing -------------------------------------------------------------------------------


def list_invoices(
    station: StationContext, actor: Actor, filters: InvoiceFilter | None = None
) -> list[IssuedSummary]:
    """Issued invoices and credit notes, newest first, filtered."""
    _may_invoice(actor, "see invoices")
    f = filters or InvoiceFilter()
    query = select(Invoice).order_by(Invoice.issued_at.desc(), Invoice.id.desc())
    if f.order:
        query = query.where(Invoice.order_number == f.order.strip())
    if f.kind:
        query = query.where(Invoice.kind == f.kind)
    if f.issued_from:
        query = query.where(Invoice.issued_at >= _day_start(f.issued_from))
    if f.issued_to:
        query = query.where(Invoice.issued_at < _day_start(f.issued_to + dt.timedelta(days=1)))
    with station.local(readonly=True) as uow:
        found = _summaries(uow.session, query)
    if f.customer:  # in Python: SQLite folds the case of ASCII letters only
        part = f.customer.strip().casefold()
        found = [x for x in found if part in x.customer.casefold()]
    if f.state is not None:
        found = [x for x in found if x.state is f.state]
    return found[: f.limit]


def summary_json(x: IssuedSummary) -> dict[str, Any]:
    """One listed document as ``packbench invoices --json`` prints it."""
    return {
        "number": x.number,
        "kind": x.kind,
        "order": x.order_number,
        "customer": x.customer,
        "issued_at": x.issued_at.isoformat(),
        "net": str(x.net),
        "tax": str(x.tax),
        "gross": str(x.gross),
        "currency": x.currency,
        "corrects": x.corrects,
        "state": x.state.value,
        "reason": x.reason,
    }


def _day_start(day: dt.date) -> datetime:
    """Local midnight of ``day`` in UTC: dates are the person's, storage is UTC."""
    return datetime.combine(day, dt.time()).astimezone().astimezone(UTC)


def _summaries(s: Session, query: Any) -> list[IssuedSummary]:
    invoices = list(s.scalars(query))
    answers = _answers(s, [i.command_id for i in invoices if i.command_id])
    return [
        _summary(i, *answers.get(i.command_id or "", (InvoiceState.RECORDED, None)))
        for i in invoices
    ]


def _answers(s: Session, command_ids: Sequence[str]) -> dict[str, tuple[InvoiceState, str | None]]:
    if not command_ids:
        return {}
    rows = s.execute(
        select(OutboxCommand.command_id, OutboxCommand.state, OutboxCommand.reason).where(
            OutboxCommand.command_id.in_(command_ids)
        )
    ).all()
    states = {"pending": InvoiceState.WAITING, "applied": InvoiceState.RECORDED}
    return {
        cid: (states.get(state, InvoiceState.REFUSED), reason if state == "rejected" else None)
        for cid, state, reason in rows
    }


def _state(s: Session, invoice: Invoice) -> tuple[InvoiceState, str | None]:
    if invoice.command_id is None:  # the central store's own copy
        return InvoiceState.RECORDED, None
    return _answers(s, [invoice.command_id]).get(invoice.command_id, (InvoiceState.RECORDED, None))


def _summary(invoice: Invoice, state: InvoiceState, reason: str | None) -> IssuedSummary:
    return IssuedSummary(
        invoice.number,
        invoice.kind,
        invoice.order_number,
        invoice.customer_name,
        invoice.issued_at,
        invoice.currency,
        invoice.net,
        invoice.tax,
        invoice.gross,
        invoice.corrects,
        state,
        reason,
    )


def _issued(invoice: Invoice, state: InvoiceState, reason: str | None) -> Issued:
    return Issued(
        _summary(invoice, state, reason),
        tuple(
            IssuedLineView(
                line.sku,
                line.name,
                line.shipment_number,
                line.sscc,
                line.quantity,
                line.net,
                line.tax,
            )
            for line in invoice.lines
        ),
        invoice.partial_index,
    )


def issued(station: StationContext, actor: Actor, number: str) -> Issued:
    """One issued document with its lines and state."""
    _may_invoice(actor, "see invoices")
    with station.local(readonly=True) as uow:
        invoice = _invoice(uow.session, number)
        return _issued(invoice, *_state(uow.session, invoice))


# --- the document --------------------------------------------------------------------------


def invoice_document(
    station: StationContext, actor: Actor, number: str, *, copy: bool | None = None
) -> InvoiceDocument:
    """The printed form from the stored rows, as a preview shows it (nothing is recorded).

    ``copy`` None: marked COPY when the document was printed or saved before.
    """
    _may_invoice(actor, "see invoices")
    with station.local(readonly=True) as uow:
        s = uow.session
        invoice = _invoice(s, number)
        return document_of(invoice, copy=_output_before(s, invoice) if copy is None else copy)


def invoice_pdf(
    station: StationContext, actor: Actor, number: str, *, copy: bool | None = None
) -> bytes:
    """The PDF of an issued document, for a preview (nothing is recorded)."""
    return render_invoice_pdf(invoice_document(station, actor, number, copy=copy))


@dataclass(frozen=True)
class Output:
    """A document printed or saved: whether it was a reprint (COPY), and its print job."""

    number: str
    copy: bool
    job_id: int | None = None
    waiting_already: bool = False  # the same document was queued already: none was added
    path: Path | None = None


_OUTPUT = ("print.request", "invoice.saved", "invoice.reprint")


def save_invoice_pdf(station: StationContext, actor: Actor, number: str, path: Path) -> Output:
    """Write the PDF to ``path`` whole (or nothing there); a second output is a COPY.

    Recorded in the audit trail (a reprint as ``invoice.reprint``).
    """
    _may_invoice(actor, "print invoices")
    with station.local() as uow:
        s = uow.session
        invoice = _invoice(s, number)
        copy = _output_before(s, invoice)
        write_file(path, render_invoice_pdf(document_of(invoice, copy=copy)))
        action = "invoice.reprint" if copy else "invoice.saved"
        uow.audit(
            station.station_id, action, actor=actor, subject=f"invoice:{number}", detail=str(path)
        )
        uow.commit()
        return Output(invoice.number, copy, path=path)


def print_invoice(station: StationContext, actor: Actor, number: str) -> Output:
    """Queue the PDF for the documents printer (the spooler sends it: ``send_now``).

    The first print is the original; any later print or save is a COPY (the job's name
    and its ``print.request`` audit event say copy-). A document still waiting in the queue
    is not added twice.
    """
    _may_invoice(actor, "print invoices")
    return queue_print(station, actor.name, number)


def queue_print(station: StationContext, user_name: str, number: str) -> Output:
    """``print_invoice``'s work for a caller that checked its own right: the returns desk
    prints the credit note its confirmed return issued."""
    with station.local(readonly=True) as uow:
        invoice = _invoice(uow.session, number)
        number = invoice.number
        copy = _output_before(uow.session, invoice)
        data = render_invoice_pdf(document_of(invoice, copy=copy))
    # One transaction queues the job and records it (print.request, the name says copy-).
    job_id, waiting = queue_document(
        station.local,
        kind="invoice",
        target="document",
        data_format="pdf",
        subject=number,
        name=f"{'copy-' if copy else ''}{number}",
        payload=data,
        user_name=user_name,
        audit=(station.station_id, f"invoice:{number}"),
    )
    return Output(number, copy, job_id, waiting)


def _output_before(s: Session, invoice: Invoice) -> bool:
    """Whether the document was output before: here (the audit trail says so), or at the
    station that issued it (a document pulled from the central store, which has no outbox
    command here: its original left that station)."""
    if invoice.command_id is None:
        return True
    return (
        s.scalar(
            select(AuditEvent.id)
            .where(
                AuditEvent.subject == f"invoice:{invoice.number}",
                AuditEvent.action.in_(_OUTPUT),
            )
            .limit(1)
        )
        is not None
    )


def document_of(invoice: Invoice, *, copy: bool = False) -> InvoiceDocument:
    """An ``InvoiceDocument`` from the stored rows (its construction checks the sums)."""
    d = invoice.document
    credit = invoice.kind == CREDIT_NOTE
    return InvoiceDocument(
        kind=DocumentKind.CREDIT_NOTE if credit else DocumentKind.INVOICE,
        number=invoice.number,
        issued_on=invoice.issued_at.astimezone().date(),
        currency=invoice.currency,
        locale=invoice.locale,
        seller=_party(d["seller"]),
        seller_tax_id=d["seller_tax_id"],
        bill_to=_party(d["bill_to"]),
        ship_to=_party(d["ship_to"]),
        order_number=invoice.order_number,
        lines=tuple(
            InvoiceLine(
                sku=line.sku,
                name=line.name,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount=line.discount,
                tax_rate=line.tax_rate,
                net=line.net,
                gross=line.net + line.tax,
                shipment_number=line.shipment_number,
                sscc=line.sscc,
            )
            for line in invoice.lines
        ),
        tax_breakdown=tuple(
            TaxBreakdownRow(Decimal(rate), Decimal(net), Decimal(tax), Decimal(net) + Decimal(tax))
            for rate, net, tax in d["breakdown"]
        ),
        net_total=invoice.net,
        tax_total=invoice.tax,
        gross_total=invoice.gross,
        payment_terms=d["payment_terms"],
        due_on=dt.date.fromisoformat(d["due_on"]) if d.get("due_on") else None,
        customer_reference=d.get("customer_reference"),
        partial_index=invoice.partial_index,
        corrects=invoice.corrects,
        corrects_issued_on=(
            dt.date.fromisoformat(d["corrects_issued_on"]) if d.get("corrects_issued_on") else None
        ),
        copy=copy,
    )


def _party(data: dict[str, Any]) -> Party:
    return Party(str(data["name"]), tuple(data["lines"]), str(data["country"]))


# --- reading -------------------------------------------------------------------------------


def _order(s: Session, number: str) -> Order:
    order = s.scalar(select(Order).where(Order.number == number.strip()))
    if order is None:
        raise NotFound(
            f"There is no order {number} at this station. Check the number, or sync first."
        )
    return order


def _invoice(s: Session, number: str) -> Invoice:
    invoice = s.scalar(select(Invoice).where(Invoice.number == number.strip()))
    if invoice is None:
        raise NotFound(f"There is no invoice or credit note {number} at this station.")
    return invoice


def _customer(order: Order) -> str:
    if order.customer is not None:
        return order.customer.name
    address = order.bill_to or order.ship_to
    return address.name if address is not None else "—"
