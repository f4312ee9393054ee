"""``packbench spool``: a station's print queue drained by a headless process, each document once.

The app's spooler is not the only one: where no window runs (a packing station's PC that was
restarted headless, a printer that came back after everyone went home) ``packbench spool``
sends what waits. Real parts: the ``packbench`` command in subprocesses, the printer
simulator on 127.0.0.1.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from app.bootstrap import Station
from app.db.models import PrintJob
from devices.sim_printer import SimulatedPrinter
from tests.packing.test_print_command import (
    label_jobs,
    print_label,
    printer_config,
    ssccs_received,
)
from tests.packing.test_print_queue import ship_100240
from tests.sync.stores import Central


def station_env(home: Path, central_url: str, config: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PACKBENCH_HOME": str(home),
        "PACKBENCH_CENTRAL_URL": central_url,
        "PACKBENCH_STATION": "ST-01",
        "PACKBENCH_CONFIG": str(config),
    }


def test_a_label_queued_while_the_printer_was_out_of_paper_goes_out_once_when_spool_runs(
    bench: Station, bench_home: Path, central: Central, tmp_path: Path
) -> None:
    with SimulatedPrinter(directory=tmp_path / "labels") as printer:
        done = ship_100240(bench, printer)
        bench.close()  # no app runs at this station from here on
        config = printer_config(tmp_path, printer)
        printer.paper_out = True
        asked = print_label(bench_home, central.url, config, done.number)
        assert asked.returncode == 1, asked.stdout + asked.stderr
        assert "queued, not printed yet: Printer out of labels" in asked.stdout
        assert "packbench spool" in asked.stdout
        assert printer.received == []

        printer.ready()  # labels loaded; nobody runs the command again
        spool = subprocess.Popen(
            [sys.executable, "-m", "app", "spool"],
            env=station_env(bench_home, central.url, config),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert printer.wait_for_labels(1, timeout=30), "the headless spooler sent nothing"
            time.sleep(2.5)  # a pass or two more: nothing is sent twice
        finally:
            spool.send_signal(signal.SIGTERM)
            out, err = spool.communicate(timeout=30)
        assert spool.returncode == 0, out + err
        assert ssccs_received(printer) == [done.ssccs[0]]
        assert "sent 1 document" in out
        assert "nothing waits" in out.splitlines()[-1]
        assert "Traceback" not in err
    assert label_jobs(bench_home, central.url) == [("sent", None)]


def test_spool_once_says_what_still_waits_and_why_then_sends_it_when_it_can(
    bench: Station, bench_home: Path, central: Central, tmp_path: Path
) -> None:
    with SimulatedPrinter(directory=tmp_path / "labels") as printer:
        done = ship_100240(bench, printer)  # queued with the shipment: label and slip
        bench.close()
        config = printer_config(tmp_path, printer)
        env = station_env(bench_home, central.url, config)

        def spool_once() -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [sys.executable, "-m", "app", "spool", "--once"],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )

        printer.head_open = True
        waiting = spool_once()
        assert waiting.returncode == 1, waiting.stdout + waiting.stderr
        # The slip goes to the documents folder; the label waits for the printer.
        assert waiting.stdout.strip() == (
            "sent 1 document; 1 document waiting: Printer head open: close it"
        )
        assert printer.received == []

        printer.ready()
        sent = spool_once()
        assert sent.returncode == 0, sent.stdout + sent.stderr
        assert sent.stdout.strip() == "sent 1 document; nothing waits"
        assert printer.wait_for_labels(1, timeout=5)
        assert spool_once().stdout.strip() == "nothing waits"
        assert ssccs_received(printer) == [done.ssccs[0]]


def test_beside_the_app_spool_leaves_a_label_being_sent_alone_and_alone_calls_it_unsure(
    bench: Station, bench_home: Path, central: Central, tmp_path: Path, qapp: object
) -> None:
    from ui.application import StationClaim, hold_station

    with SimulatedPrinter(directory=tmp_path / "labels") as printer:
        ship_100240(bench, printer)
        with bench.local() as uow:  # as the app's spooler leaves it while the bytes go out
            job = uow.session.scalars(select(PrintJob).where(PrintJob.kind == "label")).one()
            job.state = "sending"
            uow.commit()
        database = bench.config.local_database
        bench.close()
        env = station_env(bench_home, central.url, printer_config(tmp_path, printer))

        def spool_once() -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [sys.executable, "-m", "app", "spool", "--once"],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )

        claim = hold_station(database)  # the app holds the station, its spooler sending
        assert isinstance(claim, StationClaim)
        try:
            beside = spool_once()
        finally:
            claim.release()
        assert beside.returncode == 0, beside.stdout + beside.stderr
        assert "may not have printed" not in beside.stdout
        assert label_jobs(bench_home, central.url) == [("sending", None)]

        alone = spool_once()  # no app: a job left "sending" was cut short by a crash
        assert alone.returncode == 1
        assert "may not have printed: label-" in alone.stdout
        assert label_jobs(bench_home, central.url) == [("unsure", None)]
        assert printer.received == []  # never resent by itself
