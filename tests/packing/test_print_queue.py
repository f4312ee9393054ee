"""The print queue: a label waits while the printer is out of paper and prints once when back."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from app.bootstrap import Station
from app.db.models import AuditEvent, PrintJob
from app.domain.errors import NotAllowed
from app.domain.packing import sscc
from app.domain.users import Role
from app.services import packing, printjobs
from app.services.packing import Weighing
from devices.documents_out import FolderSink
from devices.label_printer import TcpPrinter
from devices.sim_printer import SimulatedPrinter, find_sscc
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
        link = TcpPrinter("127.0.0.1", printer.port, timeout=2)
        printjobs.send_queued(bench.local, link, FolderSink(tmp_path / "documents"))
        assert printer.wait_for_labels(1, timeout=5)
    made = printjobs.reprint(bench.local, packer(bench), bench.station_id, done.ssccs[0])
    assert len(made) == 1
    with bench.local(readonly=True) as uow:
        job = uow.session.get(PrintJob, made[0])
        assert job is not None and job.reprint_of is not None
        event = uow.session.scalar(select(AuditEvent).where(AuditEvent.action == "print.reprint"))
        assert event is not None and event.user_name == "Tomasz Nowak"
    # Asked again while that reprint still waits: the waiting one goes, none is added.
    again = printjobs.reprint(bench.local, packer(bench), bench.station_id, done.number)
    assert again == made
    assert [kind for kind, _, _ in states(bench)].count("label") == 2
    other = packer(bench, Role.PACKER, "Someone Else")
    with pytest.raises(NotAllowed, match="may not reprint labels of another packer's shipment"):
        printjobs.reprint(bench.local, other, bench.station_id, done.number)


# --- a label is never silently lost (issue 10, item 5) ----------------------------------------


def zpl_with_sscc(serial: int) -> tuple[str, bytes]:
    code = sscc(0, "0614141", serial)
    return code, f"^XA^FO40,120^BY3^BCN,120,N,N,N^FD>;>800{code}^FS^XZ".encode()


FAULT_PLAN = (None, None, None, "lose", "print", "paper-out", "offline", "silent")


@pytest.mark.parametrize(
    "count", [pytest.param(60, id="60 jobs"), pytest.param(200, id="200", marks=pytest.mark.slow)]
)
def test_no_label_is_marked_printed_that_did_not_print_and_each_unsure_one_is_reported(
    bench: Station, tmp_path: Path, count: int
) -> None:
    rng = random.Random(10)
    sink = FolderSink(tmp_path / "documents")
    by_job: dict[int, str] = {}
    reported: set[int] = set()
    faults_seen: Counter[str | None] = Counter()
    serials = iter(range(1, count + 1))
    with SimulatedPrinter(directory=tmp_path / "labels") as printer:
        link = TcpPrinter("127.0.0.1", printer.port, timeout=2)
        for _ in range(10 * count):  # a few labels queued at a time, then one spooler pass
            for serial in itertools.islice(serials, rng.randint(1, 4)):
                code, data = zpl_with_sscc(serial)
                job, _ = printjobs.queue_document(
                    bench.local,
                    kind="label",
                    target=printjobs.LABEL,
                    data_format="zpl",
                    subject=code,
                    name=f"label-{serial}",
                    payload=data,
                    user_name="test",
                )
                by_job[job] = code
            fault = rng.choice(FAULT_PLAN)
            faults_seen[fault] += 1
            if fault in ("lose", "print"):
                printer.drop = fault
            elif fault == "paper-out":
                printer.paper_out = True
            elif fault == "offline":
                printer.offline = True
            elif fault == "silent":
                printer.silent_when_faulted = printer.paper_out = True
            report = printjobs.send_queued(bench.local, link, sink, status_timeout_s=0.2)
            reported |= {job.id for job in report.unsure}
            printer.silent_when_faulted = False
            printer.ready()
            if len(by_job) == count and not printjobs.jobs(bench.local, ("queued",)):
                break
        printed = Counter(find_sscc(label) for label in printer.printed)
        lost = {find_sscc(label) for label in printer.lost}

    final = printjobs.jobs_by_id(bench.local, by_job)
    assert {job.state for job in final.values()} <= {"sent", "unsure"}, "some never went out"
    for job_id, job in final.items():
        code = by_job[job_id]
        if job.state == "sent":
            assert printed[code] == 1, f"job {job_id} is marked sent but {code} never printed"
            assert job.sent_to and job.sent_to.endswith(printjobs.PRINTER_CONFIRMED)
        else:
            assert job_id in reported, f"job {job_id} is unsure and nobody was told"
            assert job.waiting_for
    assert all(n == 1 for n in printed.values()), "a label printed twice"
    assert all(final[j].state == "unsure" for j, code in by_job.items() if code in lost)
    # The run met the faults it is about, and most labels still went out confirmed.
    assert lost and any(printed[by_job[j]] for j in reported)
    assert faults_seen["paper-out"] and faults_seen["offline"] and faults_seen["silent"]
    assert sum(job.state == "sent" for job in final.values()) > count // 2


def test_the_bench_is_told_of_a_label_the_printer_did_not_confirm(
    bench: Station, tmp_path: Path
) -> None:
    with SimulatedPrinter(directory=tmp_path / "labels") as printer:
        done = ship_100240(bench, printer)
        printer.drop = "lose"
        state = bench.spooler.pass_once()
    assert len(state.unsure) == 1
    name, why = state.unsure[0].split(" (", 1)
    assert name == f"label-{done.number}-1of1"
    assert why == "the printer dropped the connection right after the label was sent)"
    assert states(bench)[0][:2] == ("label", "unsure")


def test_a_label_being_sent_is_not_queued_again_nor_called_printed(
    bench: Station, tmp_path: Path
) -> None:
    with SimulatedPrinter(directory=tmp_path / "labels") as printer:
        done = ship_100240(bench, printer)
    with bench.local() as uow:  # as the spooler leaves it while the bytes are on their way
        job = uow.session.scalars(select(PrintJob).where(PrintJob.kind == "label")).one()
        job.state, job.waiting_for = "sending", "Printer out of labels: load labels"
        uow.commit()
    asked = printjobs.request_labels(bench.local, bench.station_id, done.number, reprint=False)
    assert [(x.asked, x.why_unsure) for x in asked] == [
        (printjobs.Asked.UNSURE, printjobs.SENDING_NOW)
    ]
    assert [kind for kind, _, _ in states(bench)] == ["label", "slip"]
