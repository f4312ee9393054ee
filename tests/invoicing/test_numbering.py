"""Invoice numbers are gap-free per station: a crash never burns or repeats one.

Real ``packbench invoice`` processes on one station: one killed with SIGKILL after it took
its number and before it committed, another waiting for the same series meanwhile.
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
from app.db.models import Invoice, NumberSeries
from tests.invoicing.test_invoice_command import PIN, add_people
from tests.invoicing.world import ship
from tests.sync.stores import Central


def start(
    home: Path, central: Central, *args: str, pause: str | None = None
) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PACKBENCH_HOME": str(home),
        "PACKBENCH_CENTRAL_URL": central.url,
        "PACKBENCH_STATION": "ST-01",
        "PACKBENCH_USER": "Maria Keller",
        "PACKBENCH_PIN": PIN,
    }
    env.pop("PACKBENCH_TEST_PAUSE_AT", None)
    if pause:
        env["PACKBENCH_TEST_PAUSE_AT"] = pause
    return subprocess.Popen(
        [sys.executable, "-m", "app", "invoice", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
    )


def numbers(station: Station) -> list[str]:
    with station.local(readonly=True) as uow:
        return list(uow.session.scalars(select(Invoice.number).order_by(Invoice.id)))


def finish(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return out


def test_a_number_taken_by_a_killed_process_is_issued_next_and_none_is_skipped(
    bench: Station, bench_home: Path, central: Central
) -> None:
    add_people(central, bench)
    first, second = ship(bench, "100234", {1: 1}), ship(bench, "100234", {1: 1})
    killed = start(bench_home, central, "100234", "--shipment", first, pause="invoice-issue:1")
    assert killed.stderr is not None
    assert "paused at invoice-issue:1" in killed.stderr.readline()
    waiting = start(bench_home, central, "100234", "--shipment", second)
    time.sleep(1.5)  # it has signed in and waits for the series the killed one holds
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    year = time.gmtime().tm_year
    assert f"INV-ST-01-{year}-000001" in finish(waiting)
    again = start(bench_home, central, "100234", "--shipment", first)
    assert f"INV-ST-01-{year}-000002" in finish(again)
    assert numbers(bench) == [f"INV-ST-01-{year}-000001", f"INV-ST-01-{year}-000002"]
    with bench.local(readonly=True) as uow:
        series = uow.session.get(NumberSeries, f"invoice:INV-ST-01-{year}-")
        assert series is not None and series.next_value == 3


def test_two_processes_issuing_at_once_take_consecutive_numbers(
    bench: Station, bench_home: Path, central: Central
) -> None:
    add_people(central, bench)
    shipments = [ship(bench, "100234", {1: 1}), ship(bench, "100234", {2: 1})]
    running = [start(bench_home, central, "100234", "--shipment", s) for s in shipments]
    for process in running:
        finish(process)
    year = time.gmtime().tm_year
    assert sorted(numbers(bench)) == [f"INV-ST-01-{year}-00000{n}" for n in (1, 2)]
