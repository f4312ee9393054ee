"""Labels and slips: made from the database, queued in it, sent once.

A shipment's documents are rendered and queued in the same transaction that records the
shipment (``ShipmentDocuments``), so a shipment never exists without its labels and a crash
cannot print half. ``send_queued`` hands queued jobs to the label printer or the documents
destination in order. Before a label goes to a printer that can answer, the printer is
asked for its status (``~HS``): out of paper, head open, paused or not answering, the job
stays queued with the reason (the bench shows it) and goes out when the printer is back.

A job is marked ``sending`` before its bytes leave. After them, a two-way printer is asked
until it confirms the label printed (devices.label_printer): then the job is ``sent``. When
it cannot confirm (the connection dropped right after the bytes, it kept silent, it stopped
with the label inside) the job is ``unsure``, and so is one a crash left ``sending``: the
packer is told to check whether it printed; nothing resends it by itself, because a label
printed twice is a parcel shipped twice.

Asking for a label again (``request_labels``: ``packbench print label``, the bench's
reprint) never adds a second job for a label that is still waiting: it sends the waiting
one. A label that printed, or may have, is printed again only as a reprint, asked for as
such and recorded in the audit log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import Config
from app.db.models import (
    Address,
    AuditEvent,
    Order,
    OrderLine,
    PrintJob,
    Shipment,
    ShipmentParcel,
    Warehouse,
)
from app.db.session import UnitOfWork, UnitOfWorkFactory
from app.domain.errors import NotFound
from app.domain.users import Actor, Permission
from app.domain.wording import count
from devices.label_printer import Delivery, PrinterStatus, PrinterUnreachable
from printing.documents import PackingSlip, Party, ShippingLabel, SlipLine
from printing.fonts import characters_of
from printing.pdf import packing_slip_pdf, shipping_label_pdf
from printing.zpl import PrinterFont, shipping_label_zpl

log = logging.getLogger(__name__)

LABEL, DOCUMENT = "label", "document"
PRINTER_CONFIRMED = "the printer confirmed it printed"
CRASHED_WHILE_SENDING = "the station stopped while sending it"
SENDING_NOW = "it is being sent now, or the station stopped while sending it"


class LabelPrinter(Protocol):
    """What the queue needs of a label printer (``devices.label_printer.PrinterLink`` is one;
    ``app.bootstrap`` opens it from ``[printer]``).

    ``deliver`` raises ``PrinterUnreachable`` only when the label certainly did not get
    there; ``query_status`` when the printer cannot be reached at all.
    """

    @property
    def two_way(self) -> bool: ...

    def describe(self) -> str: ...

    def query_status(self, timeout: float = 1.0) -> PrinterStatus: ...

    def deliver(self, data: bytes) -> Delivery: ...


class DocumentDestination(Protocol):
    """Where slips and sheets go (``devices.documents_out``: a folder or a CUPS queue).

    ``deliver`` returns where the document went and raises ``OSError`` when it did not.
    """

    def describe(self) -> str: ...

    def deliver(self, name: str, pdf: bytes) -> str: ...


# (payload, file name) -> where it went, and what is known of it having printed
_Deliver = Callable[[bytes, str], tuple[str, Delivery]]


@dataclass(frozen=True)
class JobRow:
    id: int
    kind: str
    target: str
    subject: str
    name: str
    state: str
    waiting_for: str | None
    created_at: datetime
    sent_at: datetime | None = None
    sent_to: str | None = None
    reprint: bool = False


def _row(job: PrintJob) -> JobRow:
    return JobRow(
        job.id,
        job.kind,
        job.target,
        job.subject,
        job.name,
        job.state,
        job.waiting_for,
        job.created_at,
        job.sent_at,
        job.sent_to,
        job.reprint_of is not None,
    )


@dataclass(frozen=True)
class SpoolReport:
    """One pass of the spooler: what went out, what waits and why, what may not have printed.

    ``unsure`` are the jobs this pass handed over without the printer confirming them: the
    packer must check each (``JobRow.waiting_for`` says why it is not known).
    """

    sent: tuple[int, ...] = ()
    waiting: int = 0
    problem: str | None = None
    status: PrinterStatus | None = None
    unsure: tuple[JobRow, ...] = ()


# --- building documents from the database --------------------------------------------------


def party(address: Address | None, fallback_name: str = "") -> Party:
    if address is None:
        return Party(fallback_name or "Address missing", ("no address on the order",), "ZZ")
    place = " ".join(x for x in (address.postcode, address.city) if x)
    region = address.region if address.region and address.region != address.city else None
    lines = tuple(x for x in (address.company, address.line1, address.line2, place, region) if x)
    country = (address.country or "").strip().upper()
    if not (len(country) == 2 and country.isalpha()):
        country = "ZZ"  # unknown: printed as is, and the review hold catches such orders
    return Party(address.name or fallback_name or "—", lines, country)


def ship_from(config: Config, warehouse: Warehouse | None = None) -> Party:
    """The sender: the order's warehouse's address under the company's name ([ship_from]
    name); a warehouse with no address yet (MAIN after the upgrade) sends from [ship_from]."""
    p = config.packing
    if warehouse is not None and warehouse.address_lines:
        return Party(p.ship_from_name, tuple(warehouse.address_lines), warehouse.country)
    return Party(p.ship_from_name, p.ship_from_lines, p.ship_from_country)


def _shipment(s: Session, number: str) -> Shipment:
    shipment = s.scalar(select(Shipment).where(Shipment.number == number))
    if shipment is None:
        raise NotFound(f"There is no shipment {number} at this station.")
    return shipment


def _shipment_or_parcel(s: Session, subject: str) -> tuple[Shipment, str | None]:
    """The shipment a number names, or the one a parcel SSCC belongs to (with that SSCC)."""
    shipment = s.scalar(select(Shipment).where(Shipment.number == subject))
    if shipment is not None:
        return shipment, None
    parcel = s.scalar(select(ShipmentParcel).where(ShipmentParcel.sscc == subject))
    if parcel is None:
        raise NotFound(
            f"{subject} is neither a shipment number nor a parcel SSCC at this station. "
            "Shipment numbers look like ST-01-S000001; an SSCC has 18 digits."
        )
    return parcel.shipment, parcel.sscc


def labels_for(s: Session, config: Config, shipment: Shipment) -> list[ShippingLabel]:
    order = s.scalar(select(Order).where(Order.number == shipment.order_number))
    ship_to = s.get(Address, order.ship_to_id) if order and order.ship_to_id else None
    sender = ship_from(config, order.warehouse if order is not None else None)
    to = party(ship_to)
    count = len(shipment.parcels)
    return [
        ShippingLabel(
            sscc=parcel.sscc,
            ship_to=to,
            ship_from=sender,
            order_number=shipment.order_number,
            shipment_number=shipment.number,
            parcel_no=parcel.parcel_no,
            parcel_count=count,
            weight_g=parcel.weight_g,
            carrier=shipment.carrier,
            service=shipment.service,
            box=parcel.box_code,
        )
        for parcel in shipment.parcels
    ]


def slip_for(s: Session, config: Config, shipment: Shipment) -> PackingSlip:
    order = s.scalar(select(Order).where(Order.number == shipment.order_number))
    if order is None:
        raise NotFound(f"Order {shipment.order_number} of shipment {shipment.number} is gone.")
    in_this: dict[int, int] = {}
    for parcel in shipment.parcels:
        for item in parcel.items:
            in_this[item.line_no] = in_this.get(item.line_no, 0) + item.quantity
    # Shipped before this one: everything recorded here before it, whatever the lines say now.
    earlier: dict[int, int] = {}
    for before in s.scalars(
        select(Shipment).where(
            Shipment.order_number == order.number, Shipment.shipped_at < shipment.shipped_at
        )
    ):
        for parcel in before.parcels:
            for item in parcel.items:
                earlier[item.line_no] = earlier.get(item.line_no, 0) + item.quantity
    lines = []
    for line in s.scalars(
        select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.line_no)
    ):
        now = in_this.get(line.line_no, 0)
        before_n = earlier.get(line.line_no, 0)
        lines.append(
            SlipLine(
                sku=line.sku,
                name=line.name,
                ordered=line.quantity_ordered,
                in_this_shipment=now,
                shipped_before=before_n,
                to_come=max(line.quantity_ordered - before_n - now, 0),
            )
        )
    ship_to = s.get(Address, order.ship_to_id) if order.ship_to_id else None
    return PackingSlip(
        order_number=order.number,
        shipment_number=shipment.number,
        placed_at=order.placed_at.date(),
        ship_to=party(ship_to),
        ship_from=ship_from(config, order.warehouse),
        lines=tuple(lines),
        parcel_count=len(shipment.parcels),
        partial=shipment.partial,
    )


def label_bytes(config: Config, label: ShippingLabel) -> tuple[str, bytes]:
    """ZPL for a label printer, PDF when the bench has none (office printer, folder)."""
    if config.printer.transport == "none":
        return "pdf", shipping_label_pdf(label)
    return "zpl", zpl_label(label, config.printer.dpi, zpl_font(config))


def zpl_label(label: ShippingLabel, dpi: int, font: PrinterFont | None) -> bytes:
    return shipping_label_zpl(label, dpi, font)


def zpl_font(config: Config) -> PrinterFont | None:
    """The Unicode font loaded onto the label printer (``[printer] zpl_font``), if any.

    Its characters are read from ``zpl_font_file``. A file that cannot be read is logged
    and the built-in font is used: every label still prints (what font 0 lacks becomes a
    picture), and a shipment is never refused over a font.
    """
    name, file = config.printer.zpl_font, config.printer.zpl_font_file
    if not name:
        return None
    try:
        return PrinterFont(name, characters_of(file))
    except ValueError as error:
        log.warning("[printer] zpl_font_file: %s; printing with the built-in font", error)
        return None


# --- queueing -------------------------------------------------------------------------------


def _add_job(
    s: Session,
    *,
    kind: str,
    target: str,
    data_format: str,
    subject: str,
    name: str,
    payload: bytes,
    user_name: str | None,
    reprint_of: int | None = None,
) -> PrintJob:
    job = PrintJob(
        kind=kind,
        target=target,
        data_format=data_format,
        subject=subject,
        name=name,
        payload=payload,
        state="queued",
        user_name=user_name,
        reprint_of=reprint_of,
    )
    s.add(job)
    s.flush()
    return job


def _label_target(config: Config) -> str:
    return DOCUMENT if config.printer.transport == "none" else LABEL


class ShipmentDocuments:
    """Queues a shipment's labels and its packing slip (``packing.ShipmentPrinter``)."""

    def __init__(self, config: Config) -> None:
        self.config = config

    def __call__(self, uow: UnitOfWork, shipment: Shipment, user_name: str) -> list[int]:
        s = uow.session
        s.refresh(shipment)
        jobs = []
        for label in labels_for(s, self.config, shipment):
            fmt, data = label_bytes(self.config, label)
            jobs.append(
                _add_job(
                    s,
                    kind="label",
                    target=_label_target(self.config),
                    data_format=fmt,
                    subject=label.sscc,
                    name=f"label-{shipment.number}-{label.parcel_no}of{label.parcel_count}",
                    payload=data,
                    user_name=user_name,
                ).id
            )
        slip = packing_slip_pdf(slip_for(s, self.config, shipment))
        jobs.append(
            _add_job(
                s,
                kind="slip",
                target=DOCUMENT,
                data_format="pdf",
                subject=shipment.number,
                name=f"slip-{shipment.number}",
                payload=slip,
                user_name=user_name,
            ).id
        )
        return jobs


class Asked(StrEnum):
    """What asking for one parcel's label did."""

    QUEUED = "queued"  # never printed here: a first print was queued
    WAITING = "waiting"  # a job for it was waiting already: that one is sent, none added
    REPRINT = "reprint"  # printed (or maybe printed) before: a reprint was queued
    PRINTED = "printed"  # printed before and no reprint asked for: nothing done
    UNSURE = "unsure"  # may have printed, no reprint asked for: nothing done


@dataclass(frozen=True)
class LabelRequest:
    """One parcel's label as asked for: what was done, the job concerned and when it was made
    or, for one printed before, sent; ``reprint`` when that job is a reprint."""

    sscc: str
    parcel_no: int
    parcel_count: int
    shipment_number: str
    asked: Asked
    job_id: int | None
    when: datetime | None
    reprint: bool = False
    why_unsure: str | None = None


def request_labels(
    uows: UnitOfWorkFactory,
    station: str,
    subject: str,
    *,
    reprint: bool,
    actor: Actor | None = None,
    user_name: str | None = None,
    config: Config | None = None,
) -> list[LabelRequest]:
    """Ask for the labels of a shipment, or of one parcel by SSCC, in one transaction.

    A label already waiting is not queued again (the caller sends what waits). A label
    never printed here is queued (rendered from ``config``; without one, ``NotFound``). A
    label printed, or perhaps printed, before is queued again only with ``reprint``, as a
    reprint of the first print, copied byte for byte. A reprint needs ``Permission.REPRINT``
    unless it is the actor's own shipment; ``actor`` None is the station's own command
    line (``user_name`` says so in the audit log).
    """
    who = actor.name if actor is not None else user_name
    # Labels are a packer's: one's own shipment needs PACK, anyone else's REPRINT.
    if actor is not None and Permission.REPRINT not in actor.permissions:
        actor.require(Permission.PACK, "print or reprint labels")
    with uows() as uow:
        s = uow.session
        shipment, only = _shipment_or_parcel(s, subject)
        if (
            reprint
            and actor is not None
            and Permission.REPRINT not in actor.permissions
            and shipment.user_name != actor.name
        ):
            actor.require(Permission.REPRINT, "reprint labels of another packer's shipment")
        parcels = [p for p in shipment.parcels if only is None or p.sscc == only]
        history: dict[str, list[PrintJob]] = {}
        for row in s.scalars(
            select(PrintJob)
            .where(PrintJob.kind == "label", PrintJob.subject.in_([p.sscc for p in parcels]))
            .order_by(PrintJob.id)
        ):
            if row.state != "cancelled":
                history.setdefault(row.subject, []).append(row)
        rendered: dict[str, ShippingLabel] = {}
        if config is not None and any(p.sscc not in history for p in parcels):
            rendered = {x.sscc: x for x in labels_for(s, config, shipment)}
        parcels_in = len(shipment.parcels)
        done: list[LabelRequest] = []
        for parcel in parcels:
            earlier = history.get(parcel.sscc, [])
            job = next((j for j in earlier if j.state == "queued"), None)
            if job is not None:
                what = Asked.WAITING
            elif not earlier:
                label = rendered.get(parcel.sscc)
                if label is None or config is None:
                    raise NotFound(
                        f"No label of {parcel.sscc} was printed here, so none can be reprinted."
                    )
                fmt, data = label_bytes(config, label)
                what, job = (
                    Asked.QUEUED,
                    _add_job(
                        s,
                        kind="label",
                        target=DOCUMENT if fmt == "pdf" else LABEL,
                        data_format=fmt,
                        subject=parcel.sscc,
                        name=f"label-{shipment.number}-{parcel.parcel_no}of{parcels_in}",
                        payload=data,
                        user_name=who,
                    ),
                )
            elif not reprint:
                job = earlier[-1]
                what = Asked.PRINTED if job.state == "sent" else Asked.UNSURE
            else:
                original = next((j for j in earlier if j.reprint_of is None), earlier[0])
                what, job = (
                    Asked.REPRINT,
                    _add_job(
                        s,
                        kind="label",
                        target=original.target,
                        data_format=original.data_format,
                        subject=original.subject,
                        name=original.name + "-reprint",
                        payload=original.payload,
                        user_name=who,
                        reprint_of=original.id,
                    ),
                )
            done.append(_asked(parcel, parcels_in, shipment.number, what, job))
        for action, what in (("print.request", Asked.QUEUED), ("print.reprint", Asked.REPRINT)):
            n = sum(1 for x in done if x.asked is what)
            if n:
                s.add(
                    AuditEvent(
                        station=station,
                        action=action,
                        subject=f"order:{shipment.order_number}",
                        detail=f"{count(n, 'label')} of {subject}",
                        user_id=actor.user_id if actor is not None else None,
                        user_name=who,
                    )
                )
        uow.commit()
        return done


def _asked(
    parcel: ShipmentParcel, count: int, shipment_number: str, what: Asked, job: PrintJob
) -> LabelRequest:
    when, why = job.created_at, None
    if what in (Asked.PRINTED, Asked.UNSURE):
        when = job.sent_at or job.created_at
    if what is Asked.UNSURE:
        why = job.waiting_for if job.state == "unsure" else SENDING_NOW
    return LabelRequest(
        parcel.sscc,
        parcel.parcel_no,
        count,
        shipment_number,
        what,
        job.id,
        when,
        job.reprint_of is not None,
        why,
    )


def reprint(uows: UnitOfWorkFactory, actor: Actor, station: str, subject: str) -> list[int]:
    """Reprint the labels of a shipment or of one parcel (by SSCC), audited; the job ids.

    A label still waiting to print is not reprinted: its waiting job is what goes out.
    """
    done = request_labels(uows, station, subject, reprint=True, actor=actor)
    return [x.job_id for x in done if x.job_id is not None]


def queue_document(
    uows: UnitOfWorkFactory,
    *,
    kind: str,
    target: str,
    data_format: str,
    subject: str,
    name: str,
    payload: bytes,
    user_name: str | None,
    audit: tuple[str, str] | None = None,
) -> tuple[int, bool]:
    """Queue one document, unless the same document (kind and subject) is waiting already.

    Returns the job id and whether it was waiting (then nothing is added: sending the
    queue sends it). ``audit`` (station, subject) records a new job as a print on request.
    """
    with uows() as uow:
        waiting = uow.session.scalar(
            select(PrintJob.id)
            .where(PrintJob.kind == kind, PrintJob.subject == subject, PrintJob.state == "queued")
            .order_by(PrintJob.id)
            .limit(1)
        )
        if waiting is not None:
            return waiting, True
        if audit is not None:
            uow.session.add(
                AuditEvent(
                    station=audit[0],
                    action="print.request",
                    subject=audit[1],
                    detail=f"{kind} {name}",
                    user_name=user_name,
                )
            )
        job = _add_job(
            uow.session,
            kind=kind,
            target=target,
            data_format=data_format,
            subject=subject,
            name=name,
            payload=payload,
            user_name=user_name,
        )
        uow.commit()
        return job.id, False


# --- sending --------------------------------------------------------------------------------


def send_queued(
    uows: UnitOfWorkFactory,
    printer: LabelPrinter | None,
    documents: DocumentDestination | None,
    *,
    status_timeout_s: float = 1.0,
) -> SpoolReport:
    """Send queued jobs in order; stop at the first one the printer cannot take now."""
    with uows(readonly=True) as uow:
        queued = [
            (j.id, j.target)
            for j in uow.session.execute(
                select(PrintJob.id, PrintJob.target)
                .where(PrintJob.state == "queued")
                .order_by(PrintJob.id)
            )
        ]
    sent: list[int] = []
    unsure: list[JobRow] = []
    status: PrinterStatus | None = None
    problem: str | None = None
    label_blocked = False
    for job_id, target in queued:
        if target == LABEL:
            if label_blocked:
                continue
            if printer is None:
                problem = "No label printer is set up: set [printer] transport in config.toml."
                _wait(uows, job_id, problem)
                label_blocked = True
                continue
            if status is None and printer.two_way:
                try:
                    status = printer.query_status(timeout=status_timeout_s)
                except PrinterUnreachable as error:
                    problem = error.message
                    _wait(uows, job_id, problem)
                    label_blocked = True
                    continue
            if status is not None and status.two_way and not status.ready:
                problem = status.problem or "The label printer is not ready."
                _wait(uows, job_id, problem)
                label_blocked = True
                continue
            outcome = _send(uows, job_id, _deliver_label(printer))
        else:
            if documents is None:
                _wait(uows, job_id, "No documents destination: set [printer] documents.")
                continue
            outcome = _send(uows, job_id, _deliver_to(documents))
        if isinstance(outcome, JobRow):
            if outcome.state == "sent":
                sent.append(job_id)
            else:
                # Not known to have printed: the packer checks; no more labels into this
                # printer until the next pass.
                unsure.append(outcome)
                label_blocked = True
        elif outcome is not None:
            problem = outcome
            if target == LABEL:
                label_blocked = True
    waiting = _count(uows, "queued")
    return SpoolReport(tuple(sent), waiting, problem if waiting else None, status, tuple(unsure))


def _send(uows: UnitOfWorkFactory, job_id: int, deliver: _Deliver) -> JobRow | str | None:
    """Send one job: the job as it ended (sent or unsure), why it waits, or None when
    someone else took it first."""
    with uows() as uow:
        job = uow.session.get(PrintJob, job_id)
        if job is None or job.state != "queued":
            return None
        job.state, job.attempts = "sending", job.attempts + 1
        payload, name = job.payload, job.name + "." + job.data_format
        uow.commit()
    try:
        went, delivery = deliver(payload, name)
    except (PrinterUnreachable, OSError) as error:
        reason = getattr(error, "message", None) or str(error)
        with uows() as uow:
            job = uow.session.get(PrintJob, job_id)
            assert job is not None
            job.state, job.waiting_for = "queued", reason
            uow.commit()
        return reason
    with uows() as uow:
        job = uow.session.get(PrintJob, job_id)
        assert job is not None
        if delivery.unsure is not None:
            job.state, job.waiting_for = "unsure", delivery.unsure
        else:
            job.state, job.waiting_for = "sent", None
        if delivery.printed:
            went = f"{went}: {PRINTER_CONFIRMED}"
        job.sent_at, job.sent_to = datetime.now(UTC), went
        row = _row(job)
        uow.commit()
    return row


def _deliver_label(printer: LabelPrinter) -> _Deliver:
    return lambda data, _name: (printer.describe(), printer.deliver(data))


def _deliver_to(sink: DocumentDestination) -> _Deliver:
    return lambda data, name: (sink.deliver(name, data), Delivery())


def _wait(uows: UnitOfWorkFactory, job_id: int, reason: str) -> None:
    with uows() as uow:
        job = uow.session.get(PrintJob, job_id)
        if job is not None and job.waiting_for != reason:
            job.waiting_for = reason
            uow.commit()


def _count(uows: UnitOfWorkFactory, state: str) -> int:
    with uows(readonly=True) as uow:
        return (
            uow.session.scalar(
                select(func.count()).select_from(PrintJob).where(PrintJob.state == state)
            )
            or 0
        )


def recover_interrupted(uows: UnitOfWorkFactory) -> list[JobRow]:
    """Jobs a crash left half-sent: marked ``unsure``, never resent by themselves.

    Call once when the station starts, before the spooler runs. The packer is told to
    check whether they printed and to reprint any that did not (REPRINT).
    """
    with uows() as uow:
        stuck = list(uow.session.scalars(select(PrintJob).where(PrintJob.state == "sending")))
        for job in stuck:
            job.state = "unsure"
            job.waiting_for = CRASHED_WHILE_SENDING
        rows = [_row(j) for j in stuck]
        uow.commit()
        return rows


def jobs(uows: UnitOfWorkFactory, states: Sequence[str] = ("queued", "sending")) -> list[JobRow]:
    with uows(readonly=True) as uow:
        return [
            _row(j)
            for j in uow.session.scalars(
                select(PrintJob).where(PrintJob.state.in_(states)).order_by(PrintJob.id)
            )
        ]


def jobs_by_id(uows: UnitOfWorkFactory, ids: Iterable[int]) -> dict[int, JobRow]:
    """The jobs with these ids, as they are now."""
    wanted = list(ids)
    if not wanted:
        return {}
    with uows(readonly=True) as uow:
        return {
            j.id: _row(j)
            for j in uow.session.scalars(select(PrintJob).where(PrintJob.id.in_(wanted)))
        }


@dataclass(frozen=True)
class ShipmentRef:
    number: str
    order_number: str


def shipment_labels(
    uows: UnitOfWorkFactory, config: Config, subject: str
) -> tuple[ShipmentRef, list[ShippingLabel]]:
    """The labels of a shipment, or the one label of a parcel SSCC."""
    with uows(readonly=True) as uow:
        s = uow.session
        shipment, only = _shipment_or_parcel(s, subject)
        labels = labels_for(s, config, shipment)
        ref = ShipmentRef(shipment.number, shipment.order_number)
        return ref, [x for x in labels if only is None or x.sscc == only]


def shipment_slip(uows: UnitOfWorkFactory, config: Config, number: str) -> PackingSlip:
    with uows(readonly=True) as uow:
        return slip_for(uow.session, config, _shipment(uow.session, number))
