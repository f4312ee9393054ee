"""``packbench print``: a label, a slip or the command sheet, to the printer or to a file.

To a printer, the document goes through the same queue as the bench's own prints (so a
printer out of paper keeps it waiting, and the bench's spooler sends it when it is back),
and it is recorded in the audit log: printing a shipment's label again is a reprint.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from app.config import Config
from app.db.session import UnitOfWorkFactory
from app.domain.errors import DomainError
from app.services import printjobs
from devices.documents_out import DocumentSink
from devices.label_printer import PrinterLink
from printing.commands_sheet import command_sheet_pdf
from printing.pdf import packing_slip_pdf, shipping_label_pdf
from printing.zpl import shipping_label_zpl

WHO = "packbench print (command line)"


class Station(Protocol):
    """What printing needs of the station (app.bootstrap.Station is one)."""

    @property
    def config(self) -> Config: ...

    @property
    def local(self) -> UnitOfWorkFactory: ...

    @property
    def station_id(self) -> str: ...

    def label_printer(self) -> PrinterLink | None: ...

    def document_sink(self) -> DocumentSink | None: ...


@dataclass(frozen=True)
class PrintOutcome:
    line: str
    exit_code: int


def print_document(
    station: Station,
    kind: str,
    number: str | None,
    *,
    pdf: Path | None = None,
    zpl: Path | None = None,
    dpi: int | None = None,
) -> PrintOutcome:
    config = station.config
    dpi = dpi or config.printer.dpi
    if kind == "commands":
        if zpl is not None:
            raise DomainError("The command sheet is an A4 PDF: use --pdf FILE, not --zpl.")
        boxes = [
            (b.code, f"{b.length_mm}×{b.width_mm}×{b.height_mm} mm") for b in config.packing.boxes
        ]
        data = command_sheet_pdf(boxes=boxes)
        if pdf is not None:
            return _written([_write(pdf, data)])
        return _queue(station, "commands", "document", "pdf", "commands", "command-sheet", data)
    if not number:
        what = "a shipment number or a parcel SSCC" if kind == "label" else "a shipment number"
        raise DomainError(f"packbench print {kind} needs {what}, e.g. ST-01-S000001.")
    if kind == "slip":
        if zpl is not None:
            raise DomainError("A packing slip is a PDF: use --pdf FILE, not --zpl.")
        data = packing_slip_pdf(printjobs.shipment_slip(station.local, config, number))
        if pdf is not None:
            return _written([_write(pdf, data)])
        return _queue(station, "slip", "document", "pdf", number, f"slip-{number}", data)
    shipment, labels = printjobs.shipment_labels(station.local, config, number)
    if zpl is not None:
        joined = b"".join(shipping_label_zpl(label, dpi) for label in labels)
        return _written([_write(zpl, joined)], f"{len(labels)} label(s) of {shipment.number}")
    if pdf is not None:
        if len(labels) == 1:
            return _written([_write(pdf, shipping_label_pdf(labels[0]))])
        files = [
            _write(
                pdf.with_name(f"{pdf.stem}-{x.parcel_no}of{x.parcel_count}{pdf.suffix or '.pdf'}"),
                shipping_label_pdf(x),
            )
            for x in labels
        ]
        return _written(files, f"{len(labels)} labels of {shipment.number}, one file each")
    outcomes = []
    for label in labels:
        fmt, data = printjobs.label_bytes(config, label)
        target = printjobs.DOCUMENT if fmt == "pdf" else printjobs.LABEL
        name = f"label-{shipment.number}-{label.parcel_no}of{label.parcel_count}"
        outcomes.append(
            printjobs.queue_document(
                station.local,
                kind="label",
                target=target,
                data_format=fmt,
                subject=label.sscc,
                name=name,
                payload=data,
                user_name=WHO,
                audit=(station.station_id, f"order:{shipment.order_number}"),
            )
        )
    return _send(station, f"{len(labels)} label(s) of {shipment.number}")


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _written(paths: list[Path], what: str = "") -> PrintOutcome:
    where = ", ".join(str(p) for p in paths)
    return PrintOutcome(f"wrote {what + ' to ' if what else ''}{where}", 0)


def _queue(
    station: Station, kind: str, target: str, fmt: str, subject: str, name: str, data: bytes
) -> PrintOutcome:
    printjobs.queue_document(
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
    return _send(station, name)


def _send(station: Station, what: str) -> PrintOutcome:
    report = printjobs.send_queued(station.local, station.label_printer(), station.document_sink())
    if report.waiting:
        return PrintOutcome(
            f"{what}: queued, not printed yet: {report.problem or 'the printer is busy'}. "
            "It goes out when the printer is back (the bench sends it, or run this again).",
            1,
        )
    return PrintOutcome(f"{what}: sent ({len(report.sent)} job(s))", 0)
