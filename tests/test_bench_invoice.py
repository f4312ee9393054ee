"""``packbench bench invoice``: the JSON lines scripts read (figures are not asserted)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def test_bench_invoice_prints_both_sizes_next_to_a_bare_reportlab_floor(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "bench", "invoice", "-n", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PACKBENCH_HOME": str(tmp_path / "home")},
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [x["bench"] for x in lines] == ["invoice-20", "invoice-400"]
    for line, count in zip(lines, (20, 400), strict=True):
        assert {"ms", "floor_ms", "ratio", "pages", "bytes", "what"} <= set(line)
        assert line["lines"] == count and line["n"] == 1
        assert line["ms"] > 0 and line["floor_ms"] > 0
        assert line["ratio"] == pytest.approx(line["ms"] / line["floor_ms"], abs=0.02)
    assert lines[0]["pages"] == 1
    assert lines[1]["pages"] > 8  # a long invoice really runs over many pages
