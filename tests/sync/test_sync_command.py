"""`packbench sync --once` as a person or a script runs it: what it reports, and how a long
round shows on a terminal."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from app.benchmarks.sync import build_central
from tests.packing.world import build_central as build_world
from tests.sync.stores import Central

# Nothing listens on port 1: the connection is refused at once, as with a server that is down.
DOWN = "postgresql+psycopg://packbench@127.0.0.1:1/central"


def environment(home: Path, central_url: str) -> dict[str, str]:
    return {**os.environ, "PACKBENCH_HOME": str(home), "PACKBENCH_CENTRAL_URL": central_url}


def sync_json(home: Path, central_url: str) -> tuple[int, dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-m", "app", "sync", "--once", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment(home, central_url),
    )
    assert done.stdout.strip(), done.stderr
    return done.returncode, json.loads(done.stdout)


def test_offline_the_sync_command_reports_the_watermark_the_station_holds(
    central: Central, tmp_path: Path
) -> None:
    build_world(central.engine)
    home = tmp_path / "station"

    code, online = sync_json(home, central.url)
    assert (code, online["online"]) == (0, True)
    held = online["watermark"]
    assert isinstance(held, int) and held > 0

    code, offline = sync_json(home, DOWN)
    assert (code, offline["online"], offline["pulled"]) == (1, False, 0)
    assert offline["watermark"] == held  # what this station holds, not what this round pulled


def run_on_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """Run with stderr on a pseudo-terminal (as in a person's shell); stdout captured."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=follower, env=env)
    os.close(follower)
    said = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the process is gone and the terminal closed
            break
        if not chunk:
            break
        said += chunk
    os.close(leader)
    out = process.stdout.read() if process.stdout else b""
    return process.wait(timeout=120), said.decode(), out.decode()


@pytest.mark.slow
def test_a_long_sync_says_how_far_it_has_got_on_a_terminal_and_nothing_in_a_script(
    sqlite_only: Central, tmp_path: Path
) -> None:
    build_central(sqlite_only.engine, 60_000)  # a first pull of some seconds
    command = [sys.executable, "-m", "app", "sync", "--once"]

    code, terminal, out = run_on_terminal(command, environment(tmp_path / "st-1", sqlite_only.url))
    assert code == 0, terminal + out
    progress = [line for line in terminal.splitlines() if line.startswith("sync: ")]
    assert progress, terminal
    assert all("changed rows)" in line and line.endswith(" s") for line in progress), progress
    assert any(line.startswith("sync: pulling orders: ") for line in progress), progress
    assert "pulled" in out and "60,000 orders" in out

    quiet = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=120,
        env=environment(tmp_path / "st-2", sqlite_only.url),
    )
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
    assert "60,000 orders" in quiet.stdout
