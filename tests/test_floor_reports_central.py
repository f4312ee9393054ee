"""Floor reports read the floor: every station's records in the central store (issue 16,
item 8), by ``packbench report`` at two stations against a fresh PostgreSQL database.

ST-01's picker finds nothing in a bin (a real short pick, with its reason); ST-02 ships an
order. After both sync, either station's ``packbench report`` shows both, and says it read
the central store; a station that cannot reach it reports its own records and says "this
station only". Scan errors stay at the station that made them, and that report says so.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.domain.picking import ShortReason
from app.sync.engine import sync_once
from tests.invoicing.test_central_refusal import postgres
from tests.picking.test_pick_station import short_first_line
from tests.returns.test_returns_command import BOSS, PIN, hire
from tests.returns.world import ship
from tests.sync.stores import Central, open_test_station

__all__ = ["postgres"]


def report(home: Path, url: str, station: str, *args: str) -> subprocess.CompletedProcess[str]:
    since, today = (date.today() - timedelta(days=2)).isoformat(), date.today().isoformat()
    env = {
        **os.environ,
        "PACKBENCH_HOME": str(home),
        "PACKBENCH_CENTRAL_URL": url,
        "PACKBENCH_STATION": station,
        "PACKBENCH_USER": BOSS,
        "PACKBENCH_PIN": PIN,
    }
    return subprocess.run(
        [sys.executable, "-m", "app", "report", *args, "--from", since, "--to", today],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def table(done: subprocess.CompletedProcess[str]) -> list[list[str]]:
    assert done.returncode == 0, done.stderr
    return list(csv.reader(io.StringIO(done.stdout)))


@pytest.mark.postgres
def test_reports_at_either_station_read_every_station_from_the_central_store(
    postgres: Central, tmp_path: Path
) -> None:
    one, two = tmp_path / "st-01", tmp_path / "st-02"
    hire(postgres)
    a = open_test_station(one, postgres.url, "ST-01")
    b = open_test_station(two, postgres.url, "ST-02")
    try:
        sync_once(a)
        sync_once(b)
        short_first_line(a, "100240", ShortReason.NOT_FOUND)  # ST-01: nothing in the first bin
        ship(b, "100234", {2: 3})  # ST-02: three teas shipped
        assert sync_once(a).rejected == 0
        assert sync_once(b).rejected == 0
    finally:
        a.close()
        b.close()

    for home, code in ((one, "ST-01"), (two, "ST-02")):
        shorts = report(home, postgres.url, code, "short-picks")
        rows = table(shorts)
        assert rows[0] == ["reason", "product", "units short", "short picks"]
        assert rows[1:] == [["not found", "TEA-EARL-100", "2", "1"]], rows
        assert "every station (central store)" in shorts.stderr
        packed = table(report(home, postgres.url, code, "packed"))
        assert [(r[0], r[3]) for r in packed[1:]] == [("Tomasz Nowak", "3")], packed
        carriers = table(report(home, postgres.url, code, "carriers"))
        assert sum(int(r[2]) for r in carriers[1:]) == 1

    # Scan errors are kept at each station: said so even with the central store there.
    scans = report(one, postgres.url, "ST-01", "scan-errors")
    assert scans.returncode == 0, scans.stderr
    assert "this station only (item scans and refused scans are kept at each station)" in (
        scans.stderr
    )

    # ST-02 without the central store: its own records only, and it says so.
    away = "postgresql+psycopg://postgres@127.0.0.1:9/none"
    alone = report(two, away, "ST-02", "short-picks")
    assert table(alone) == [["reason", "product", "units short", "short picks"]]
    assert "this station only (the central store could not be reached)" in alone.stderr
    packed_alone = table(report(two, away, "ST-02", "packed"))
    assert [(r[0], r[3]) for r in packed_alone[1:]] == [("Tomasz Nowak", "3")]
