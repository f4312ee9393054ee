"""Fixtures shared by every test, named by the role they play.

Every test runs with its own PACKBENCH_HOME, so nothing reads or writes the developer's own
configuration or databases.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# QtMultimedia and font probing talk about a missing audio device and the like offscreen.
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia*=false")

from app.bootstrap import Station, open_station
from app.config import Config, load_config

ENV_NAMES = ("PACKBENCH_HOME", "PACKBENCH_CONFIG", "PACKBENCH_CENTRAL_URL", "PACKBENCH_STATION")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    monkeypatch.setenv("PACKBENCH_HOME", str(home))
    return home


@pytest.fixture
def config(isolated_home: Path) -> Config:
    return load_config()


@pytest.fixture
def station(config: Config) -> Iterator[Station]:
    opened = open_station(config)
    yield opened
    opened.close()


@pytest.fixture
def central_url() -> str:
    """A real PostgreSQL server for the central-store tests (CI starts one)."""
    url = os.environ.get("PACKBENCH_TEST_CENTRAL_URL")
    if not url:
        pytest.skip("PACKBENCH_TEST_CENTRAL_URL is not set: no PostgreSQL server to test against")
    return url


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``long`` (minutes each) run only when asked for: ``pytest -m long``; those
    marked ``dist`` (a PyInstaller build) only with ``pytest -m dist`` (``make dist-test``)."""
    asked = config.getoption("markexpr") or ""
    for mark, reason in (
        ("long", "a long run of a test make test runs short: pytest -m long"),
        ("dist", "builds the application with PyInstaller: make dist-test"),
    ):
        if mark in asked:
            continue
        skip = pytest.mark.skip(reason=reason)
        for item in items:
            if mark in item.keywords:
                item.add_marker(skip)
