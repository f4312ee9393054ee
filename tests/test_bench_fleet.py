"""``packbench bench fleet``: stations packing against one PostgreSQL store lose nothing.

The short run the suite can afford (5 stations, 20 s) goes through the real command in a
subprocess; it asserts the checks, never the timings (those are the README's figures).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def fleet(*args: str, server: str | None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("PACKBENCH_BENCH_CENTRAL_URL", None)
    if server is not None:
        env["PACKBENCH_BENCH_CENTRAL_URL"] = server
    return subprocess.run(
        [sys.executable, "-m", "app", "bench", "fleet", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


@pytest.mark.postgres
@pytest.mark.slow
def test_five_stations_packing_for_twenty_seconds_lose_and_double_nothing(
    central_url: str,
) -> None:
    result = fleet("--stations", "5", "--minutes", "0.34", server=central_url)

    assert result.returncode == 0, result.stderr
    figures, checks = (json.loads(line) for line in result.stdout.splitlines())
    assert figures["bench"] == "fleet" and figures["stations"] == 5
    assert figures["orders_packed"] > 0 and figures["commands"] > 0
    assert {"commands_per_s", "push_p50_ms", "push_p99_ms", "pull_p99_ms"} <= set(figures)
    assert checks["bench"] == "fleet-check"
    assert checks["commands"] >= figures["commands"]
    assert checks["lost"] == 0
    assert checks["doubled"] == 0
    assert checks["stock_units_off"] == 0
    assert checks["packed_twice"] == 0
    assert checks["stations_equal"] == 5, checks["differences"]


def test_a_server_on_another_host_is_refused_before_anything_is_made() -> None:
    result = fleet(
        "--stations",
        "2",
        "--minutes",
        "0.1",
        server="postgresql+psycopg://postgres@db.example.com/x",
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "only against a PostgreSQL server on this machine (127.0.0.1)" in result.stderr
    assert "db.example.com" in result.stderr and "Traceback" not in result.stderr


def test_without_a_server_it_says_which_variable_to_set() -> None:
    result = fleet(server=None)
    assert result.returncode == 2
    assert "set PACKBENCH_BENCH_CENTRAL_URL" in result.stderr


def test_fleet_options_given_to_another_benchmark_are_refused() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "bench", "pack", "--stations", "3"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "--stations: only the fleet benchmark takes these" in result.stderr
