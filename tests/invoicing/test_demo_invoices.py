"""The demo holds invoices: partly shipped orders partly invoiced, recorded centrally."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.bootstrap import open_station
from app.config import load_config
from app.domain.users import Role
from app.services import invoicing
from tests.demo_run import DemoRun
from tests.invoicing.world import person


@pytest.mark.xdist_group("demo")
def test_the_demo_has_partly_shipped_partly_invoiced_orders(
    isolated_home: Path, demo_run: DemoRun
) -> None:
    demo_run.copy_to(isolated_home)  # what `packbench demo --no-window` made on a fresh home
    env = {**os.environ, "PACKBENCH_USER": "Helen Marsh", "PACKBENCH_PIN": "8264"}
    env.pop("PACKBENCH_CENTRAL_URL", None)
    listed = subprocess.run(
        [sys.executable, "-m", "app", "invoices", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert listed.returncode == 0, listed.stderr
    shown = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(shown) > 20 and {x["state"] for x in shown} == {"recorded"}
    station = open_station(load_config())
    try:
        boss = person(station, Role.SUPERVISOR)
        partly = 0
        for order in sorted({x["order"] for x in shown})[:60]:
            view = invoicing.billing(station, boss, order).view
            shipped = sum(line.shipped for line in view.lines)
            ordered = sum(line.ordered for line in view.lines)
            invoiced = sum(line.invoiced for line in view.lines)
            if 0 < invoiced < shipped < ordered and view.billable:
                partly += 1
        assert partly > 0
    finally:
        station.close()
