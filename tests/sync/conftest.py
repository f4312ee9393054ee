"""Fixtures for the sync tests: a central store of either kind and stations sharing it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.bootstrap import Station
from tests.sync.stores import Central, open_test_station, postgres_central, sqlite_central


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def central(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Central]:
    """An empty central store at the head of the schema: a SQLite file, or PostgreSQL."""
    if request.param == "sqlite":
        with sqlite_central(tmp_path / "central") as store:
            yield store
    else:
        server = request.getfixturevalue("central_url")
        with postgres_central(server) as store:
            yield store


@pytest.fixture
def sqlite_only(tmp_path: Path) -> Iterator[Central]:
    with sqlite_central(tmp_path / "central") as store:
        yield store


@pytest.fixture
def station_one(central: Central, tmp_path: Path) -> Iterator[Station]:
    station = open_test_station(tmp_path / "st-01", central.url, "ST-01")
    yield station
    station.close()


@pytest.fixture
def station_two(central: Central, tmp_path: Path) -> Iterator[Station]:
    station = open_test_station(tmp_path / "st-02", central.url, "ST-02")
    yield station
    station.close()
