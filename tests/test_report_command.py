"""``packbench report``: the floor reports as CSV from the command line, on a station that
packed for real (a refused scan recorded, an order shipped) through the bench's services."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from app.domain.errors import DomainError
from app.domain.users import Role
from app.services import packing
from app.services.auth import create_user
from app.services.packing import Weighing
from app.sync.loop import sync_once
from tests.packing.world import MUG_ITEM, TEA_ITEM, build_central, packer
from tests.sync.stores import open_test_station, sqlite_central

TEA_ID, MUG_ID = 2, 1


def test_reports_of_scan_errors_and_packing_come_out_as_csv(tmp_path: Path) -> None:
    with sqlite_central(tmp_path / "central") as central:
        build_central(central.engine)
        home = tmp_path / "home"
        station = open_test_station(home, central.url)
        try:
            sync_once(station)
            create_user(station.local, None, "Helen Marsh", Role.SUPERVISOR, "8264")
            me = packer(station)
            sid = packing.open_order(station, me, "100240").session_id
            with pytest.raises(DomainError, match="is not on order 100240"):
                packing.pack_item(station, me, sid, MUG_ID, 1, shown=MUG_ITEM.sku)
            packing.pack_item(station, me, sid, TEA_ID, 2, shown=TEA_ITEM.sku)
            with pytest.raises(DomainError, match="2 of 2 already packed"):
                packing.pack_item(station, me, sid, TEA_ID, 1, shown=TEA_ITEM.sku)
            packing.close_parcel(station, me, sid, Weighing(370, "scale"))
            sync_once(station)  # the shipment reaches the central store the report reads
        finally:
            station.close()

        env = dict(
            os.environ,
            PACKBENCH_HOME=str(home),
            PACKBENCH_CENTRAL_URL=central.url,
            PACKBENCH_STATION="ST-01",
            PACKBENCH_USER="Helen Marsh",
            PACKBENCH_PIN="8264",
        )
        today = date.today().isoformat()

        def report(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [sys.executable, "-m", "app", "report", *args, "--from", today, "--to", today],
                capture_output=True,
                text=True,
                timeout=120,
                env=env,
                stdin=subprocess.DEVNULL,
            )

        errors = report("scan-errors")
        assert errors.returncode == 0, errors.stderr
        assert list(csv.reader(io.StringIO(errors.stdout))) == [
            ["packer", "item scans", "refused", "error rate %"],
            ["Tomasz Nowak", "3", "2", "66.7"],
        ]
        target = tmp_path / "packed.csv"
        packed = report("packed", "--csv", str(target))
        assert packed.returncode == 0, packed.stderr
        assert packed.stdout.strip() == (
            f"Wrote 1 rows of packed to {target} (every station (central store))."
        )
        assert "this station only (item scans" in errors.stderr
        rows = list(csv.reader(target.open(newline="")))
        assert rows[0] == ["packer", "hour", "orders", "units"]
        assert [rows[1][0], rows[1][2], rows[1][3]] == ["Tomasz Nowak", "1", "2"]
        assert rows[1][1].startswith(today)
