"""The demo holds returns: some restocked, some quarantined, one left open to finish."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

from app.bootstrap import open_station
from app.config import load_config
from app.domain.users import Role
from app.services import returns
from tests.returns.world import person


def test_the_demo_has_restocked_and_quarantined_returns_and_one_open(isolated_home: Path) -> None:
    env = {**os.environ, "PACKBENCH_USER": "Sam Okafor", "PACKBENCH_PIN": "7048"}
    env.pop("PACKBENCH_CENTRAL_URL", None)
    demo = subprocess.run(
        [sys.executable, "-m", "app", "demo", "--no-window"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert demo.returncode == 0, demo.stderr
    assert "demo returns taken back" in demo.stderr
    report = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "returns",
            "report",
            "--from",
            "2000-01-01",
            "--to",
            "2999-12-31",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert report.returncode == 0, report.stderr
    rows = list(csv.DictReader(io.StringIO(report.stdout)))
    assert {"restock", "quarantine"} <= {r["disposition"] for r in rows}
    assert len({r["reason"] for r in rows}) >= 3
    station = open_station(load_config())
    try:
        (still_open,) = returns.open_returns(station, person(station, Role.RETURNS))
        assert still_open.state == "open" and still_open.units
    finally:
        station.close()
