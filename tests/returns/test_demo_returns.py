"""The demo holds returns: some restocked, some quarantined, one left open to finish."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.bootstrap import Station, open_station
from app.config import load_config
from app.domain.users import Role
from app.services import returns
from tests.demo_run import DemoRun
from tests.returns.world import person


@pytest.mark.xdist_group("demo")
def test_the_demo_has_restocked_and_quarantined_returns_and_one_open_and_digit_skus_are_items(
    isolated_home: Path, demo_run: DemoRun
) -> None:
    # What `packbench demo --no-window` made on a fresh home, copied here.
    assert "demo returns taken back" in demo_run.made.stderr
    demo_run.copy_to(isolated_home)
    env = {**os.environ, "PACKBENCH_USER": "Sam Okafor", "PACKBENCH_PIN": "7048"}
    env.pop("PACKBENCH_CENTRAL_URL", None)
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
    # The same demo (one run of it is enough): its SKUs of digits are items, never serials.
    _a_digit_sku_is_taken_as_the_item_not_a_serial(env)


def _a_digit_sku_is_taken_as_the_item_not_a_serial(env: dict[str, str]) -> None:
    """The demo's SKUs are digits; ``21622`` also reads as AI 21 (serial 622). Scanned at the
    desk it is the item, with no serial: a serial that never shipped would follow it forever."""

    def packbench(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "app", *args],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )

    station = open_station(load_config())
    try:
        clerk = person(station, Role.RETURNS)
        sku, order = next(
            (line.sku, found.order_number)
            for sku in _digit_skus_of_shipped_lines(station)
            for found in returns.find(station, clerk, sku)
            for line in found.lines
            if line.sku == sku and line.returnable > 0 and not found.late and not found.open_return
        )
    finally:
        station.close()
    opened = packbench("returns", "open", order, "--json")
    assert opened.returncode == 0, opened.stderr
    ra = json.loads(opened.stdout)["number"]
    received = packbench("returns", "receive", ra, sku, "--json")
    assert received.returncode == 0, received.stderr
    [unit] = json.loads(received.stdout)["units"]
    assert (unit["sku"], unit["serial"]) == (sku, None)


def _digit_skus_of_shipped_lines(station: Station) -> list[str]:
    from sqlalchemy import select

    from app.db.models import OrderLine

    with station.local() as uow:
        skus = uow.session.scalars(
            select(OrderLine.sku).where(OrderLine.quantity_shipped > 0).distinct()
        ).all()
    return sorted(s for s in skus if s.isdigit() and s.startswith("21"))
