"""A station killed mid-pack (SIGKILL, as a power cut) loses no scan it confirmed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from app.bootstrap import Station
from app.services import packing
from tests.packing.world import packer
from tests.sync.stores import Central, open_test_station

CHILD = textwrap.dedent(
    """
    import sys
    from tests.sync.stores import open_test_station
    from tests.packing.world import packer
    from app.services import packing

    home, url = sys.argv[1], sys.argv[2]
    station = open_test_station(home, url, "ST-01")
    me = packer(station)
    sid = packing.open_order(station, me, "100234").session_id
    for product in (1, 1, 2, 2, 2):  # mugs, then tea; each returns once committed
        packing.pack_item(station, me, sid, product, 1, shown=str(product))
        print("confirmed", flush=True)
    print("all", flush=True)
    sys.stdin.read()  # wait to be killed
    """
)


def test_sigkill_in_the_middle_of_packing_loses_no_confirmed_scan(
    bench: Station, bench_home: Path, central: Central
) -> None:
    bench.close()  # the world is pulled; the packing happens in another process
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(bench_home), central.url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    assert child.stdout is not None
    confirmed = 0
    while confirmed < 3:
        line = child.stdout.readline()
        if not line:
            raise AssertionError(f"the packing process died early: {child.stderr.read()}")
        confirmed += line.strip() == "confirmed"
    os.kill(child.pid, signal.SIGKILL)  # no clean-up, no flush: a power cut
    child.wait(timeout=10)
    station = open_test_station(bench_home, central.url, "ST-01")
    try:
        view = packing.resume(station, packer(station))
        assert view is not None and view.order_number == "100234"
        packed = sum(line.packed for line in view.lines)
        # Every confirmed scan is there; one more may have committed before the kill.
        assert packed in (confirmed, confirmed + 1)
        assert view.line(1).packed == 2
    finally:
        station.close()
