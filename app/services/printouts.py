"""``packbench print``: a label, a slip or the command sheet, to the printer or to a file.

To a printer, the document goes through the same queue as the bench's own prints (so a
printer out of paper keeps it waiting, and the station's spooler sends it when it is back:
the app's, or ``packbench spool``),
and it is recorded in the audit log. Running the command again while a document waits
sends the waiting one; it never adds a second. A label that printed (or may have) is
printed again only with ``reprint``, and then it is recorded as a reprint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.context import StationContext
from app.domain.errors import DomainError
from app.domain.users import Actor
from app.domain.wording import count
from app.services import printjobs
from app.services.printjobs import Asked, JobRow, LabelRequest
from app.services.spooler import PrintSpooler
from printing.commands_sheet import command_sheet_pdf
from printing.pdf import packing_slip_pdf, shipping_labels_pdf
from printing.picklist import pick_list_pdf
from printing.return_label import return_label_zpl, return_labels_pdf
from printing.shelf_labels import bin_labels_pdf, bin_labels_zpl, product_labels_pdf

WHO = "packbench print (command line)"
AGAIN = (
    "It goes out when the printer is back: the bench's app sends it, and so does "
    "packbench spool where no app runs (or run this again: that sends the waiting one, it "
    "does not add another)."
)


@dataclass(frozen=True)
class PrintOutcome:
    line: str
    exit_code: int


def print_document(
    station: StationContext,
    spooler: PrintSpooler,
    kind: str,
    number: str | None,
    *,
    pdf: Path | None = None,
    zpl: Path | None = None,
    dpi: int | None = None,
    reprint: bool = False,
) -> PrintOutcome:
    config = station.config
    dpi = dpi or config.printer.dpi
    if reprint and (kind != "label" or pdf is not None or zpl is not None):
        raise DomainError(
            "--reprint prints a shipping label again on the printer: use it with "
            "packbench print label NUMBER, without --pdf or --zpl."
        )
    if kind == "commands":
        if zpl is not None:
            raise DomainError("The command sheet is an A4 PDF: use --pdf FILE, not --zpl.")
        boxes = [
            (b.code, f"{b.length_mm}×{b.width_mm}×{b.height_mm} mm") for b in config.packing.boxes
        ]
        data = command_sheet_pdf(boxes=boxes)
        if pdf is not None:
            return _written(write_file(pdf, data))
        return _queue(
            station, spooler, "commands", "document", "pdf", "commands", "command-sheet", data
        )
    if not number:
        what = "a shipment number or a parcel SSCC" if kind == "label" else "a shipment number"
        raise DomainError(f"packbench print {kind} needs {what}, e.g. ST-01-S000001.")
    if kind == "slip":
        if zpl is not None:
            raise DomainError("A packing slip is a PDF: use --pdf FILE, not --zpl.")
        data = packing_slip_pdf(printjobs.shipment_slip(station.local, config, number))
        if pdf is not None:
            return _written(write_file(pdf, data))
        return _queue(station, spooler, "slip", "document", "pdf", number, f"slip-{number}", data)
    if zpl is not None or pdf is not None:
        shipment, labels = printjobs.shipment_labels(station.local, config, number)
        what = f"{count(len(labels), 'label')} of {shipment.number}"
        if zpl is not None:
            font = printjobs.zpl_font(config)
            joined = b"".join(printjobs.zpl_label(label, dpi, font) for label in labels)
            return _written(write_file(zpl, joined), what)
        assert pdf is not None
        pages = ", one page each," if len(labels) > 1 else ""
        return _written(write_file(pdf, shipping_labels_pdf(labels)), what + pages)
    return _print_labels(station, spooler, number, reprint)


def print_invoice_document(
    station: StationContext,
    spooler: PrintSpooler,
    actor: Actor,
    number: str,
    pdf: Path | None = None,
) -> PrintOutcome:
    """An invoice or credit note to the documents printer, or to a PDF file."""
    from app.services import invoicing

    if pdf is not None:
        saved = invoicing.save_invoice_pdf(station, actor, number, pdf)
        return _written(pdf, f"{'a COPY of ' if saved.copy else ''}{saved.number}")
    out = invoicing.print_invoice(station, actor, number)
    assert out.job_id is not None
    spooler.send_now()
    job = printjobs.jobs_by_id(station.local, [out.job_id])[out.job_id]
    name = f"{'COPY of ' if out.copy else ''}{out.number}"
    note = " (it was waiting already; none was added)" if out.waiting_already else ""
    if job.state == "queued":
        why = job.waiting_for or "the printer is busy"
        return PrintOutcome(f"{name}: queued, not printed yet: {why}. {AGAIN}{note}", 1)
    return PrintOutcome(f"{name}: sent to {job.sent_to}{note}", 0)


def _print_labels(
    station: StationContext, spooler: PrintSpooler, number: str, reprint: bool
) -> PrintOutcome:
    asked = printjobs.request_labels(
        station.local,
        station.station_id,
        number,
        reprint=reprint,
        user_name=WHO,
        config=station.config,
    )
    going = [x.job_id for x in asked if x.job_id is not None and x.asked in _GOING]
    if not going:
        raise DomainError("\n".join(_refused(x) for x in asked))
    spooler.send_now()
    now = printjobs.jobs_by_id(station.local, going)
    lines, done = [], True
    for request in asked:
        job = now.get(request.job_id) if request.asked in _GOING and request.job_id else None
        if job is None:
            lines.append(_refused(request))
            done = False
            continue
        lines.append(f"{_name(request, job.reprint)}: {_state(job, request.sscc)}")
        if request.asked is Asked.WAITING:
            lines[-1] += f" (it was waiting since {_local(request.when)}; none was added)"
        done = done and job.state == "sent"
    return PrintOutcome("\n".join(lines), 0 if done else 1)


_GOING = (Asked.QUEUED, Asked.WAITING, Asked.REPRINT)


def _name(request: LabelRequest, reprint: bool) -> str:
    name = (
        f"label {request.parcel_no} of {request.parcel_count} of {request.shipment_number} "
        f"(SSCC {request.sscc})"
    )
    return f"reprint of {name}" if reprint else name[0].upper() + name[1:]


def _state(job: JobRow, sscc: str) -> str:
    if job.state == "sent":
        if job.sent_to and job.sent_to.endswith(printjobs.PRINTER_CONFIRMED):
            return "printed (the printer confirmed it)"
        return f"sent to {job.sent_to}"
    if job.state == "unsure":
        return (
            f"may not have printed: {job.waiting_for}. Check the printer; if the label is not "
            f"there, print it again with: packbench print label {sscc} --reprint"
        )
    why = job.waiting_for or "the printer is busy"
    return f"queued, not printed yet: {why}. {AGAIN}"


def _refused(request: LabelRequest) -> str:
    name = _name(request, request.reprint)
    again = f"packbench print label {request.sscc} --reprint (recorded as a reprint)"
    if request.asked is Asked.PRINTED:
        return f"{name}: printed already ({_local(request.when)}). To print it again: {again}"
    return (
        f"{name}: may have printed ({_local(request.when)}; {request.why_unsure}): check the "
        f"printer. If the label is not there: {again}"
    )


def _local(when: datetime | None) -> str:
    return when.astimezone().strftime("%Y-%m-%d %H:%M") if when else "earlier"


def print_pick_list(
    station: StationContext, spooler: PrintSpooler, number: str, pdf: Path | None = None
) -> PrintOutcome:
    """A pick list to the documents printer, or to a PDF file."""
    from app.services import picking

    document = picking.list_document(station, number)
    data = pick_list_pdf(document)
    pages = data.count(b"/Type /Page\n") or None
    what = f"pick list {document.number}" + (f" ({count(pages, 'page')})" if pages else "")
    if pdf is not None:
        return _written(write_file(pdf, data), what)
    return _queue(
        station, spooler, "picklist", "document", "pdf", document.number, document.number, data
    )


def print_bin_labels(
    station: StationContext,
    spooler: PrintSpooler,
    zone: str | None,
    *,
    pdf: Path | None = None,
    zpl: Path | None = None,
    dpi: int | None = None,
) -> PrintOutcome:
    """Bin labels in walk order: an A4 sheet (PDF), or ZPL for the label printer."""
    from app.services.labels import bin_labels

    labels = bin_labels(station, zone)
    what = count(len(labels), "bin label")
    if pdf is not None:
        return _written(write_file(pdf, bin_labels_pdf(labels)), what)
    data = bin_labels_zpl(labels, dpi or station.config.printer.dpi)
    if zpl is not None:
        return _written(write_file(zpl, data), what)
    subject = f"bins {zone or 'all'}"
    return _queue(
        station, spooler, "bins", "label", "zpl", subject, f"bin-labels-{zone or 'all'}", data
    )


def print_product_labels(
    station: StationContext,
    spooler: PrintSpooler,
    actor: Actor,
    request: str,
    pdf: Path | None = None,
) -> PrintOutcome:
    """Barcode labels for products (an A4 sheet); a product with no barcode gets its
    internal GTIN first, once."""
    from app.services.labels import parse_request, product_labels

    labels, given = product_labels(station, actor, parse_request(request))
    data = product_labels_pdf(labels)
    what = count(sum(x.copies for x in labels), "product label")
    note = f"; internal GTIN given to {', '.join(given)}" if given else ""
    if pdf is not None:
        out = _written(write_file(pdf, data), what)
        return PrintOutcome(out.line + note, out.exit_code)
    out = _queue(
        station, spooler, "products", "document", "pdf", "product labels", "product-labels", data
    )
    return PrintOutcome(out.line + note, out.exit_code)


def write_file(path: Path, data: bytes) -> Path:
    """``data`` in ``path`` whole, or nothing there (a full disk leaves no half a PDF)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(f".{path.name}.part")
    try:
        staged.write_bytes(data)
        staged.replace(path)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return path


def print_return_labels(
    station: StationContext,
    spooler: PrintSpooler,
    actor: Actor,
    number: str,
    *,
    pdf: Path | None = None,
    zpl: Path | None = None,
    dpi: int | None = None,
) -> PrintOutcome:
    """A return's bin and quarantine labels to the label printer, or to a PDF or ZPL file."""
    from app.services import returns

    labels = returns.return_labels(station, actor, number)
    what = count(len(labels), "return label")
    zpl_data = b"".join(return_label_zpl(x, dpi or station.config.printer.dpi) for x in labels)
    if pdf is not None:
        return _written(write_file(pdf, return_labels_pdf(labels)), what)
    if zpl is not None:
        return _written(write_file(zpl, zpl_data), what)
    ra = labels[0].ra_number
    return _queue(station, spooler, "return", "label", "zpl", ra, f"return-labels-{ra}", zpl_data)


def _written(path: Path, what: str = "") -> PrintOutcome:
    return PrintOutcome(f"wrote {what + ' to ' if what else ''}{path}", 0)


def _queue(
    station: StationContext,
    spooler: PrintSpooler,
    kind: str,
    target: str,
    fmt: str,
    subject: str,
    name: str,
    data: bytes,
) -> PrintOutcome:
    job_id, waiting = printjobs.queue_document(
        station.local,
        kind=kind,
        target=target,
        data_format=fmt,
        subject=subject,
        name=name,
        payload=data,
        user_name=WHO,
        audit=(station.station_id, subject),
    )
    spooler.send_now()
    job = printjobs.jobs_by_id(station.local, [job_id])[job_id]
    note = " (it was waiting already; none was added)" if waiting else ""
    if job.state == "queued":
        why = job.waiting_for or "the printer is busy"
        return PrintOutcome(f"{name}: queued, not printed yet: {why}. {AGAIN}{note}", 1)
    return PrintOutcome(f"{name}: sent to {job.sent_to}{note}", 0)
