"""The command line as a new user meets it: ``packbench demo`` and the app without a screen."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.config import load_config
from app.db.session import create_db_engine
from app.services import demo
from tests.demo_run import DemoRun


def packbench(
    *args: str, env: dict[str, str], timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def no_display_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    return env


def test_without_a_display_the_app_says_how_to_run_under_xvfb_and_does_not_hang() -> None:
    # `packbench demo` runs headless there instead: tests/test_headless_demo.py.
    started = time.monotonic()
    result = packbench(env=no_display_env(), timeout=60)
    assert result.returncode == 2
    assert "no display" in result.stderr
    assert "xvfb-run" in result.stderr
    assert "packbench demo" in result.stderr
    assert "could not load the Qt platform plugin" not in result.stderr
    assert time.monotonic() - started < 30


@pytest.mark.slow
@pytest.mark.xdist_group("demo")
def test_demo_fills_the_embedded_store_and_the_station_once(
    isolated_home: Path, demo_run: DemoRun
) -> None:
    # The first run is the suite's one demo run on a fresh home (tests/conftest.py); it
    # generated the data. Here, a copy of that home.
    assert "generating" in demo_run.made.stderr
    demo_run.copy_to(isolated_home)
    env = dict(os.environ)
    config = load_config()
    assert config.paths.embedded_central_file.exists()
    central = create_db_engine(f"sqlite:///{config.paths.embedded_central_file}")
    local = create_db_engine(config.local_url)
    assert demo.is_demo(central)
    assert demo.count_orders(central) >= 2000
    assert demo.count_orders(local) == demo.count_orders(central)  # pulled, like any station
    central.dispose()
    local.dispose()
    second = packbench("demo", "--no-window", env=env)
    assert second.returncode == 0, second.stderr
    assert "generating" not in second.stderr  # reused, not rebuilt


def test_demo_refuses_to_fill_a_real_central_store(isolated_home: Path) -> None:
    env = dict(os.environ, PACKBENCH_CENTRAL_URL="postgresql+psycopg://st@127.0.0.1:1/orders")
    result = packbench("demo", "--no-window", env=env, timeout=60)
    assert result.returncode == 2
    assert "fills the embedded central store only" in result.stderr


def test_an_unknown_command_is_a_usage_error() -> None:
    result = packbench("frobnicate", env=dict(os.environ), timeout=60)
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
