"""``packbench print``: a shipped order's label and slip, to files and to the queue."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from app.bootstrap import Station
from app.db.models import AuditEvent, PrintJob
from app.services import packing, printjobs
from app.services.packing import Weighing
from devices.sim_printer import SimulatedPrinter, find_sscc
from tests.packing.test_print_queue import ship_100240
from tests.packing.world import packer
from tests.printing.readback import pages_of, text_of
from tests.sync.stores import Central, open_test_station


def packbench(home: Path, central_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PACKBENCH_HOME": str(home),
        "PACKBENCH_CENTRAL_URL": central_url,
        "PACKBENCH_STATION": "ST-01",
    }
    return subprocess.run(
        [sys.executable, "-m", "app", "print", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_print_writes_labels_and_slips_and_refuses_what_it_cannot_do(
    bench: Station, bench_home: Path, central, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    me = packer(bench)
    sid = packing.open_order(bench, me, "100240").session_id
    packing.pack_item(bench, me, sid, 2, 2, shown="TEA-EARL-100")
    done = packing.close_parcel(
        bench, me, sid, Weighing(370, "scale"), render=printjobs.ShipmentDocuments(bench.config)
    ).shipment
    assert done is not None
    bench.close()

    zpl = packbench(bench_home, central.url, "label", done.number, "--zpl", str(tmp_path / "l.zpl"))
    assert zpl.returncode == 0, zpl.stderr
    assert b"^XA" in (tmp_path / "l.zpl").read_bytes()
    assert done.ssccs[0].encode() in (tmp_path / "l.zpl").read_bytes()

    slip = packbench(bench_home, central.url, "slip", done.number, "--pdf", str(tmp_path / "s.pdf"))
    assert slip.returncode == 0 and (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")

    sent = packbench(bench_home, central.url, "slip", done.number)
    assert sent.returncode == 0, sent.stderr
    assert f"slip-{done.number}: sent" in sent.stdout

    unknown = packbench(bench_home, central.url, "label", "ST-01-S999999")
    assert unknown.returncode == 2
    assert "ST-01-S999999 is neither a shipment number nor a parcel SSCC" in unknown.stderr

    wrong = packbench(bench_home, central.url, "slip", done.number, "--zpl", str(tmp_path / "x"))
    assert wrong.returncode == 2 and "A packing slip is a PDF" in wrong.stderr


# --- following the message never doubles a label (issue 10, item 4) ---------------------------


def printer_config(tmp_path: Path, printer: SimulatedPrinter) -> Path:
    """A config file naming the simulator as this station's label printer."""
    path = tmp_path / "printer.toml"
    path.write_text(f'[printer]\ntransport = "tcp"\naddress = "{printer.address}"\n')
    return path


def print_label(
    home: Path, central_url: str, config: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PACKBENCH_HOME": str(home),
        "PACKBENCH_CENTRAL_URL": central_url,
        "PACKBENCH_STATION": "ST-01",
        "PACKBENCH_CONFIG": str(config),
    }
    return subprocess.run(
        [sys.executable, "-m", "app", "print", "label", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def label_jobs(home: Path, central_url: str) -> list[tuple[str, int | None]]:
    """(state, reprint_of) of every label job at the station, oldest first."""
    station = open_test_station(home, central_url)
    try:
        with station.local(readonly=True) as uow:
            return [
                (j.state, j.reprint_of)
                for j in uow.session.scalars(
                    select(PrintJob).where(PrintJob.kind == "label").order_by(PrintJob.id)
                )
            ]
    finally:
        station.close()


def ssccs_received(printer: SimulatedPrinter) -> list[str | None]:
    return [find_sscc(label) for label in printer.received]


FAULTS: dict[str, Callable[[SimulatedPrinter], None]] = {
    "paper-out": lambda p: setattr(p, "paper_out", True),
    "head-open": lambda p: setattr(p, "head_open", True),
    "pause": lambda p: setattr(p, "paused", True),
    "ribbon-out": lambda p: setattr(p, "ribbon_out", True),
    "offline": lambda p: setattr(p, "offline", True),
    "silent": lambda p: (setattr(p, "silent_when_faulted", True), setattr(p, "paper_out", True)),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_running_the_command_again_as_it_says_sends_the_waiting_label_once(
    fault: str, bench: Station, bench_home: Path, central: Central, tmp_path: Path
) -> None:
    with SimulatedPrinter(directory=tmp_path / "labels") as printer:
        done = ship_100240(bench, printer)  # its label is queued; nothing has sent it yet
        bench.close()
        config = printer_config(tmp_path, printer)
        FAULTS[fault](printer)

        first = print_label(bench_home, central.url, config, done.number)
        assert first.returncode == 1, first.stderr
        assert "queued, not printed yet" in first.stdout
        assert "run this again" in first.stdout
        assert "reprint" not in first.stdout.lower()

        printer.silent_when_faulted = False
        printer.ready()
        again = print_label(bench_home, central.url, config, done.number)
        assert printer.wait_for_labels(1, timeout=5)
        assert ssccs_received(printer) == [done.ssccs[0]]
        assert again.returncode == 0, again.stdout + again.stderr
        assert "printed (the printer confirmed it)" in again.stdout
        assert "none was added" in again.stdout
    assert label_jobs(bench_home, central.url) == [("sent", None)]


def test_a_label_that_printed_prints_again_only_as_a_recorded_reprint(
    bench: Station, bench_home: Path, central: Central, tmp_path: Path
) -> None:
    with SimulatedPrinter(directory=tmp_path / "labels") as printer:
        done = ship_100240(bench, printer)
        bench.close()
        config = printer_config(tmp_path, printer)
        assert print_label(bench_home, central.url, config, done.number).returncode == 0

        plain = print_label(bench_home, central.url, config, done.number)
        assert plain.returncode == 2
        assert "printed already" in plain.stderr
        assert f"packbench print label {done.ssccs[0]} --reprint" in plain.stderr
        assert ssccs_received(printer) == [done.ssccs[0]]

        printer.paused = True
        waiting = print_label(bench_home, central.url, config, done.ssccs[0], "--reprint")
        assert waiting.returncode == 1
        assert waiting.stdout.startswith("reprint of label 1 of 1")
        printer.ready()
        sent = print_label(bench_home, central.url, config, done.ssccs[0], "--reprint")
        assert sent.returncode == 0, sent.stdout + sent.stderr
        assert sent.stdout.startswith("reprint of label 1 of 1")
        assert "none was added" in sent.stdout
        assert printer.wait_for_labels(2, timeout=5)
        assert ssccs_received(printer) == [done.ssccs[0]] * 2
    station = open_test_station(bench_home, central.url)
    try:
        with station.local(readonly=True) as uow:
            events = uow.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "print.reprint")
            ).all()
            assert [(e.user_name, e.detail) for e in events] == [
                ("packbench print (command line)", f"1 label of {done.ssccs[0]}")
            ]
    finally:
        station.close()


# --- a label is never silently lost (issue 10, item 5) ----------------------------------------


@pytest.mark.parametrize("drop", ["lose", "print"])
def test_a_connection_dropped_after_the_label_is_reported_as_unsure_never_as_printed(
    drop: str, bench: Station, bench_home: Path, central: Central, tmp_path: Path
) -> None:
    with SimulatedPrinter(directory=tmp_path / "labels") as printer:
        done = ship_100240(bench, printer)
        bench.close()
        config = printer_config(tmp_path, printer)
        printer.drop = drop

        dropped = print_label(bench_home, central.url, config, done.number)
        assert label_jobs(bench_home, central.url) == [("unsure", None)]
        assert dropped.returncode == 1
        assert "may not have printed: the printer dropped the connection" in dropped.stdout
        assert f"packbench print label {done.ssccs[0]} --reprint" in dropped.stdout
        assert "printed (" not in dropped.stdout
        assert len(printer.printed) == (1 if drop == "print" else 0)

        # Running it again does not guess: the packer checks, then asks for a reprint.
        printer.ready()
        again = print_label(bench_home, central.url, config, done.number)
        assert again.returncode == 2
        assert "may have printed" in again.stderr
        assert ssccs_received(printer) == [done.ssccs[0]]
        if drop == "lose":
            reprinted = print_label(bench_home, central.url, config, done.number, "--reprint")
            assert reprinted.returncode == 0, reprinted.stdout + reprinted.stderr
            assert printer.wait_for_labels(1, timeout=5)
            assert [find_sscc(x) for x in printer.printed] == [done.ssccs[0]]


# --- what a packer reads on paper (issue 10, item 13) -----------------------------------------


def test_the_command_sheet_shows_whole_box_captions_and_only_commands_that_work(
    bench: Station, bench_home: Path, central: Central, tmp_path: Path
) -> None:
    bench.close()
    sheet = tmp_path / "sheet.pdf"
    done = packbench(bench_home, central.url, "commands", "--pdf", str(sheet))
    assert done.returncode == 0, done.stderr
    text = " ".join(text_of(sheet.read_bytes(), tmp_path, reading_order=True).split())
    assert "…" not in text
    for box in bench.config.packing.boxes:
        assert f"Box {box.code}: {box.length_mm}×{box.width_mm}×{box.height_mm} mm" in text
    for idle in ("%PB:PRINT ",):  # no bench answers it
        assert idle not in text + " "
    for works in ("%PB:CLOSE", "%PB:REPRINT", "%PB:SIGN-OUT", "%PB:BOX:S", "%PB:QTY:2"):
        assert works in text
    for works in (
        "%PB:RESTOCK",
        "%PB:QUARANTINE",
        "%PB:SCRAP",
        "%PB:SHORT:DAMAGED",
    ):  # other benches'
        assert works in text


def test_the_labels_of_a_two_parcel_shipment_go_to_one_pdf_a_page_each(
    bench: Station, bench_home: Path, central: Central, tmp_path: Path
) -> None:
    me = packer(bench)
    sid = packing.open_order(bench, me, "100240").session_id
    render = printjobs.ShipmentDocuments(bench.config)
    packing.pack_item(bench, me, sid, 2, 1, shown="TEA-EARL-100")
    assert (
        packing.close_parcel(bench, me, sid, Weighing(260, "scale"), render=render).shipment is None
    )
    packing.pack_item(bench, me, sid, 2, 1, shown="TEA-EARL-100")
    done = packing.close_parcel(bench, me, sid, Weighing(260, "scale"), render=render).shipment
    assert done is not None and len(done.ssccs) == 2
    bench.close()

    out = tmp_path / "labels.pdf"
    wrote = packbench(bench_home, central.url, "label", done.number, "--pdf", str(out))
    assert wrote.returncode == 0, wrote.stderr
    assert wrote.stdout.strip() == (f"wrote 2 labels of {done.number}, one page each, to {out}")
    assert sorted(p.name for p in tmp_path.glob("labels*")) == ["labels.pdf"]
    pages = pages_of(out.read_bytes(), tmp_path)
    assert len(pages) == 2
    for number, (page, sscc) in enumerate(zip(pages, done.ssccs, strict=True), start=1):
        assert f"Parcel {number} of 2" in page and sscc in page.replace(" ", "")
