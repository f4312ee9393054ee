"""``packbench bench``: the JSON lines scripts read (figures are not asserted: no timing here)."""

import json
import os
import subprocess
import sys


def test_bench_scan_prints_the_floor_and_our_path_with_the_ratio() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "bench", "scan", "-n", "300"],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ),
    )
    assert result.returncode == 0, result.stderr
    floor, ours = (json.loads(line) for line in result.stdout.splitlines())
    assert floor["bench"] == "scan-floor" and floor["n"] == 300
    assert ours["bench"] == "scan" and ours["n"] == 300
    assert {"p50_ms", "p99_ms", "floor_p99_ms", "ratio_p99"} <= set(ours)
    assert ours["recognised"] > 250  # the mix is mostly codes the demo catalogue knows
