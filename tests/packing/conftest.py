"""A central store with the packing world in it, and a station that has pulled it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.bootstrap import Station
from tests.packing.world import ready
from tests.sync.stores import Central, open_test_station, sqlite_central


@pytest.fixture
def central(tmp_path: Path) -> Iterator[Central]:
    with sqlite_central(tmp_path / "central") as store:
        yield store


@pytest.fixture
def bench_home(tmp_path: Path) -> Path:
    return tmp_path / "st-01"


@pytest.fixture
def bench(central: Central, bench_home: Path) -> Iterator[Station]:
    station = open_test_station(bench_home, central.url, "ST-01")
    ready(station, central.engine)
    yield station
    station.close()
