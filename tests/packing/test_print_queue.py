"""The print queue: a label waits while the printer is out of paper and prints once when back."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from app.bootstrap import Station
from app.db.models import AuditEvent, PrintJob
from app.domain.errors import NotAllowed
from app.domain.users import Role
from app.services import packing, printjobs
from app.services.packing import Weighing
from devices.documents_out import FolderSink
from devices.label_printer import TcpPrinter
from devices.sim_printer import SimulatedPrinter
from printing.zpl import parse_zpl_fields
from tests.packing.world import packer

TEA_ID = 2


def ship_100240(bench: Station, printer: SimulatedPrinter) -> packing.ShipmentDone:
    """Ship order 100240 at a bench whose label printer is ``printer`` (ZPL over TCP)."""
    settings = replace(bench.config.printer, transport="tcp", address=printer.address)
    bench.config = replace(bench.config, printer=settings)
    me = packer(bench)
    sid = packing.open_order(bench, me, "100240").session_id
    packing.pack_item(bench, me, sid, TEA_ID, 2, shown="TEA-EARL-100")
    done = packing.close_parcel(
        bench,
        me,
        sid,
        Weighing(370, "scale"),
        render=printjobs.ShipmentDocuments(bench.config),
    ).shipment
    assert done is not None
    return done


def states(bench: Station) -> list[tuple[str, str, str | None]]:
    with bench.local(readonly=True) as uow:
        return [
            (j.kind, j.state, j.waiting_for)
            for j in uow.session.scalars(select(PrintJob).order_by(PrintJob.id))
        ]


def test_a_label_waits_while_the_paper_is_out_and_prints_exactly_once(
    bench: Station, tmp_path: Path
) -> None:
    with SimulatedPrinter(directory=tmp_path / "labels") as printer:
        printer.start()
        done = ship_100240(bench, printer)
        printer.paper_out = True
        link = TcpPrinter("127.0.0.1", printer.port, timeout=2)
        sink = FolderSink(tmp_path / "documents")
        report = printjobs.send_queued(bench.local, link, sink)
        assert report.waiting == 1
        assert report.problem is not None and "out of labels" in report.problem.lower()
        assert states(bench)[0][:2] == ("label", "queued")
        assert states(bench)[1][:2] == ("slip", "sent")  # the office printer is fine
        for _ in range(3):  # the spooler keeps looking: still nothing goes out
            printjobs.send_queued(bench.local, link, sink)
        assert printer.printed == [] and printer.held == []
        printer.paper_out = False
        report = printjobs.send_queued(bench.local, link, sink)
        assert report.waiting == 0 and len(report.sent) == 1
        printjobs.send_queued(bench.local, link, sink)
        assert printer.wait_for_labels(1, timeout=5)
        assert len(printer.printed) == 1
        data = [f.data for f in parse_zpl_fields(printer.printed[0])]
        assert done.ssccs[0] in "".join(data)


def test_an_unreachable_printer_keeps_the_job_and_says_so(bench: Station, tmp_path: Path) -> None:
    with SimulatedPrinter(directory=tmp_path / "labels") as printer:
        printer.start()
        ship_100240(bench, printer)
        printer.offline = True
        link = TcpPrinter("127.0.0.1", printer.port, timeout=1)
        report = printjobs.send_queued(bench.local, link, FolderSink(tmp_path / "docs"))
        assert report.waiting == 1
        kind, state, why = states(bench)[0]
        assert (kind, state) == ("label", "queued") and why
        printer.offline = False
        report = printjobs.send_queued(bench.local, link, FolderSink(tmp_path / "docs"))
        assert report.waiting == 0
        assert printer.wait_for_labels(1, timeout=5)


def test_a_reprint_is_a_new_job_recorded_in_the_audit_log(bench: Station, tmp_path: Path) -> None:
    with SimulatedPrinter(directory=tmp_path / "labels") as printer:
        printer.start()
        done = ship_100240(bench, printer)
    made = printjobs.reprint(bench.local, packer(bench), bench.station_id, done.ssccs[0])
    assert len(made) == 1
    with bench.local(readonly=True) as uow:
        job = uow.session.get(PrintJob, made[0])
        assert job is not None and job.reprint_of is not None
        event = uow.session.scalar(select(AuditEvent).where(AuditEvent.action == "print.reprint"))
        assert event is not None and event.user_name == "Tomasz Nowak"
    other = packer(bench, Role.PACKER, "Someone Else")
    with pytest.raises(NotAllowed, match="may not reprint labels of another packer's shipment"):
        printjobs.reprint(bench.local, other, bench.station_id, done.number)
