"""The connector's world: a fresh PostgreSQL central store, a home whose config names the
accounts, and the stores as local HTTP servers (tests/connector/stores.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from app.config import resolve_paths
from app.db import migrate


@pytest.fixture
def central(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """A fresh PostgreSQL database with the schema made, named by PACKBENCH_CENTRAL_URL."""
    server = os.environ.get("PACKBENCH_TEST_CENTRAL_URL")
    if not server:
        pytest.skip("PACKBENCH_TEST_CENTRAL_URL is not set: no PostgreSQL server to test against")
    name = f"pb_conn_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(server).set(database=name)
    engine = create_engine(url)
    migrate.ensure_schema(engine)
    monkeypatch.setenv("PACKBENCH_CENTRAL_URL", url.render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as c:
            c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def write_config(home: Path, accounts: str) -> Path:
    """The station's config.toml with these ``[channels.NAME]`` tables."""
    path = resolve_paths({"PACKBENCH_HOME": str(home)}).config_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(accounts, encoding="utf-8")
    path.chmod(0o600)
    return path


def packbench(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> Any:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def connector_once(env: dict[str, str] | None = None) -> tuple[int, dict[str, Any], str]:
    """``packbench connector run --once --json``: exit code, the accounts by name, stderr."""
    done = packbench("connector", "run", "--once", "--json", env=env)
    assert "Traceback" not in done.stderr, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert lines, (done.returncode, done.stderr)
    accounts = {a["account"]: a for a in json.loads(lines[-1])["accounts"]}
    return done.returncode, accounts, done.stderr
