"""``packbench returns ...`` and ``packbench print return`` in a subprocess, as a clerk runs them.

The station's home is made by the packing world (a central SQLite store and a station that
pulled it); people are added centrally and pulled; orders ship as the bench ships them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from app.bootstrap import Station
from app.db.models import Invoice, ReturnUnit, User
from app.db.session import unit_of_work_factory
from app.domain.users import Role, hash_secret
from app.sync.clock import stamp_changes, track_changes
from app.sync.engine import sync_once
from tests.packing.world import MUG, TEA
from tests.printing.readback import barcodes_of, text_of
from tests.returns.world import on_hand, ship
from tests.sync.stores import Central

PIN = "5173"
CLERK, BOSS, PACKER = "Rosa Lind", "Maria Keller", "Tomasz Nowak"


def hire(central: Central) -> None:
    """A returns clerk, a supervisor and a packer in the central store, all with PIN."""
    uows = unit_of_work_factory(central.engine, before_commit=stamp_changes, on_open=track_changes)
    with uows() as uow:
        for name, role in ((CLERK, Role.RETURNS), (BOSS, Role.SUPERVISOR), (PACKER, Role.PACKER)):
            uow.session.add(User(name=name, role=role, pin_hash=hash_secret(PIN)))
        uow.commit()


def add_people(central: Central, station: Station) -> None:
    hire(central)
    sync_once(station)


def _env(home: Path, central: Central, user: str, pause: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "PACKBENCH_HOME": str(home),
        "PACKBENCH_CENTRAL_URL": central.url,
        "PACKBENCH_STATION": "ST-01",
        "PACKBENCH_USER": user,
        "PACKBENCH_PIN": PIN,
    }
    env.pop("PACKBENCH_TEST_PAUSE_AT", None)
    if pause:
        env["PACKBENCH_TEST_PAUSE_AT"] = pause
    return env


def packbench(
    home: Path, central: Central, *args: str, user: str = CLERK
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(home, central, user, None),
        stdin=subprocess.DEVNULL,
    )


def killed_at(home: Path, central: Central, pause: str, *args: str) -> None:
    """Run the command until it reaches ``pause`` (inside its transaction), then SIGKILL it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "app", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=_env(home, central, CLERK, pause),
    )
    assert process.stderr is not None
    assert f"paused at {pause}" in process.stderr.readline()
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def ok(done: subprocess.CompletedProcess[str]) -> dict:  # type: ignore[type-arg]
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[0])  # type: ignore[no-any-return]


def test_find_by_sscc_item_and_serial_and_a_packer_is_refused(
    bench: Station, bench_home: Path, central: Central
) -> None:
    add_people(central, bench)
    _, sscc = ship(bench, "100234", {1: 2, 2: 3, 3: 1}, {3: ("SP-0001",)}, days_ago=2)
    ship(bench, "100250", {1: 2})

    found = ok(packbench(bench_home, central, "returns", "find", sscc, "--json"))
    assert (found["order"], found["found_by"], found["customer"]) == (
        "100234",
        "sscc",
        "Jürgen Müller",
    )
    assert [(x["sku"], x["returnable"]) for x in found["lines"]] == [
        ("MUG-BLUE-350", 2),
        ("TEA-EARL-100", 3),
        ("SPOON-SET-4", 1),
    ]
    by_item = packbench(bench_home, central, "returns", "find", MUG, "--json")
    assert [json.loads(x)["order"] for x in by_item.stdout.splitlines()] == ["100250", "100234"]
    assert (
        ok(packbench(bench_home, central, "returns", "find", "SP-0001", "--json"))["found_by"]
        == "serial"
    )
    text = packbench(bench_home, central, "returns", "find", "100234")
    assert "100234  Jürgen Müller" in text.stdout and "returnable 3" in text.stdout
    nothing = packbench(bench_home, central, "returns", "find", "NOTHING-9")
    assert nothing.returncode == 1 and "No shipped order matches NOTHING-9" in nothing.stdout
    packer = packbench(bench_home, central, "returns", "find", sscc, user=PACKER)
    assert packer.returncode == 2 and "may not look up returns" in packer.stderr
    assert "Traceback" not in packer.stderr


def test_over_return_refused_then_a_sigkilled_return_resumes_with_nothing_lost_or_doubled(
    bench: Station, bench_home: Path, central: Central, tmp_path: Path
) -> None:
    add_people(central, bench)
    ship(bench, "100234", {1: 2, 2: 3, 3: 1}, {3: ("SP-0001",)})
    ra = ok(packbench(bench_home, central, "returns", "open", "100234", "--json"))["number"]
    ok(packbench(bench_home, central, "returns", "receive", ra, TEA, "--json"))
    killed_at(bench_home, central, "return-receive:2", "returns", "receive", ra, TEA)
    view = ok(packbench(bench_home, central, "returns", "show", ra, "--json"))
    assert len(view["units"]) == 1  # the killed scan left nothing behind
    ok(packbench(bench_home, central, "returns", "receive", ra, TEA, "--json"))
    ok(packbench(bench_home, central, "returns", "receive", ra, TEA, "--json"))
    over = packbench(bench_home, central, "returns", "receive", ra, TEA)
    assert over.returncode == 1
    assert "Only 0 of TEA-EARL-100 may still come back in order 100234 (3 shipped)" in over.stderr
    ok(packbench(bench_home, central, "returns", "set", ra, "--reason", "damaged", "--json"))

    killed_at(bench_home, central, "return-confirm:1", "returns", "confirm", ra)
    assert on_hand(bench, "TEA-EARL-100") == {"A-02-1": 17}  # nothing moved
    assert ok(packbench(bench_home, central, "returns", "show", ra, "--json"))["state"] == "open"
    done = ok(packbench(bench_home, central, "returns", "confirm", ra, "--json"))
    assert done["state"] == "confirmed" and len(done["units"]) == 3
    assert on_hand(bench, "TEA-EARL-100") == {"A-02-1": 19}  # 2 restocked, 1 quarantined
    again = packbench(bench_home, central, "returns", "confirm", ra)
    assert again.returncode == 1 and "confirmed already" in again.stderr
    assert on_hand(bench, "TEA-EARL-100") == {"A-02-1": 19}

    pdf = tmp_path / "labels.pdf"
    printed = packbench(bench_home, central, "print", "return", ra, "--pdf", str(pdf))
    assert printed.returncode == 0, printed.stderr
    text = " ".join(text_of(pdf.read_bytes(), tmp_path).split())
    assert "RESTOCK BIN A-02-1" in text and "QUARANTINE" in text and ra in text
    read = {symbol.data for symbol in barcodes_of(pdf.read_bytes(), tmp_path)}
    assert read == {"TEA-EARL-100", ra}  # the shelf's SKU; the RA on what is kept aside

    today = date.today().isoformat()
    report = packbench(
        bench_home, central, "returns", "report", "--from", today, "--to", today, "--csv", "-"
    )
    assert report.returncode == 0, report.stderr
    rows = list(csv.DictReader(io.StringIO(report.stdout)))
    assert {(r["reason"], r["sku"], r["disposition"], r["units"]) for r in rows} == {
        ("no_longer_wanted", "TEA-EARL-100", "restock", "2"),
        ("damaged", "TEA-EARL-100", "quarantine", "1"),
    }
    with bench.local(readonly=True) as uow:
        assert uow.session.scalar(select(func.count()).select_from(ReturnUnit)) == 3
        assert uow.session.scalar(select(func.count()).select_from(Invoice)) == 0


def test_a_late_return_is_refused_for_a_clerk_and_accepted_by_a_supervisor(
    bench: Station, bench_home: Path, central: Central
) -> None:
    add_people(central, bench)
    ship(bench, "100240", {1: 2}, days_ago=40)
    refused = packbench(bench_home, central, "returns", "open", "100240")
    assert refused.returncode == 1 and "the return window is 30 days" in refused.stderr
    accepted = packbench(
        bench_home,
        central,
        "returns",
        "open",
        "100240",
        "--late-reason",
        "goodwill",
        "--json",
        user=BOSS,
    )
    assert ok(accepted)["late_accepted_by"] == BOSS
