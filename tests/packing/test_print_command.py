"""``packbench print``: a shipped order's label and slip, to files and to the queue."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.bootstrap import Station
from app.services import packing, printjobs
from app.services.packing import Weighing
from tests.packing.world import packer


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
