"""``packbench doctor`` on a good and on broken setups, through the real command line."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.bootstrap import open_central, open_station
from app.config import Config


def doctor(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "doctor", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env or dict(os.environ),
    )


@pytest.fixture
def good_setup(config: Config) -> Config:
    open_station(config).close()
    open_central(config)[0].dispose()
    return config


def check(report: dict[str, object], name: str) -> dict[str, str]:
    checks = report["checks"]
    assert isinstance(checks, list)
    return next(c for c in checks if c["name"] == name)


def test_a_good_setup_passes_with_the_order_counts(good_setup: Config) -> None:
    result = doctor("--json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["station"] == "ST-01"
    assert (report["local_orders"], report["central_orders"], report["outbox"]) == (0, 0, 0)
    assert check(report, "local database")["status"] == "ok"
    assert "journal wal" in check(report, "local database")["detail"]


def test_the_plain_report_says_what_to_fix(good_setup: Config) -> None:
    result = doctor()
    assert result.returncode == 0
    assert "local orders 0, central orders 0, outbox 0" in result.stdout
    assert "All good." in result.stdout


def test_a_bad_config_value_fails_and_is_named(config: Config) -> None:
    config.paths.config_file.write_text("[printer]\ndpi = 250\n")
    result = doctor("--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert "[printer] dpi = 250 must be one of 203, 300" in check(report, "config")["detail"]


def test_an_unreachable_central_store_fails_with_the_fix(good_setup: Config) -> None:
    env = dict(
        os.environ, PACKBENCH_CENTRAL_URL="postgresql+psycopg://station01:s3cret@127.0.0.1:1/orders"
    )
    result = doctor(env=env)
    assert result.returncode == 1
    assert (
        "FAIL  central store: postgresql+psycopg://station01:***@127.0.0.1:1/orders"
        " cannot be reached" in result.stdout
    )
    assert "s3cret" not in result.stdout
    assert "fix: Check that the server is running" in result.stdout


def test_a_damaged_local_database_fails(config: Config) -> None:
    config.local_database.parent.mkdir(parents=True)
    config.local_database.write_bytes(b"this is not a database" * 100)
    result = doctor("--json")
    assert result.returncode == 1
    assert check(json.loads(result.stdout), "local database")["status"] == "fail"


def test_a_missing_serial_scanner_is_named_with_its_key(good_setup: Config) -> None:
    good_setup.paths.config_file.write_text('[scanner]\nmode = "serial"\nport = "/dev/ttyNOPE0"\n')
    result = doctor()
    assert result.returncode == 1
    assert "FAIL  scanner: /dev/ttyNOPE0 is not there." in result.stdout
    assert "[scanner] port" in result.stdout


def test_a_password_in_a_config_others_can_read_fails(good_setup: Config, tmp_path: Path) -> None:
    path = good_setup.paths.config_file
    path.write_text('[central]\nurl = "sqlite:///' + str(tmp_path / "c.sqlite3") + '"\n')
    result = doctor()
    assert result.returncode == 0  # no password: fine whoever reads it
    path.write_text('[central]\nurl = "postgresql+psycopg://st:pw@127.0.0.1:1/x"\n')
    path.chmod(0o644)
    result = doctor()
    assert "FAIL  config secrecy" in result.stdout
    assert f"chmod 600 {path}" in result.stdout
