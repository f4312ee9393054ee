"""Fixtures shared by every test, named by the role they play.

Every test runs with its own PACKBENCH_HOME, so nothing reads or writes the developer's own
configuration or databases.

``make test`` runs the suite in several processes at once (pytest-xdist). What two tests
could share is made unique per process: each process gets a PostgreSQL database of its own
(PACKBENCH_TEST_CENTRAL_URL is pointed at it for the whole run), every home and folder is a
tmp_path, every server binds port 0.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# QtMultimedia and font probing talk about a missing audio device and the like offscreen.
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia*=false")

from app.bootstrap import Station, open_station
from app.config import Config, load_config
from tests.demo_run import DemoRun, make_demo

ENV_NAMES = (
    "PACKBENCH_HOME",
    "PACKBENCH_CONFIG",
    "PACKBENCH_CENTRAL_URL",
    "PACKBENCH_STATION",
    "PACKBENCH_WAREHOUSE",
)
SERVER_ENV = "PACKBENCH_TEST_CENTRAL_URL"
_SERVER_KEY = pytest.StashKey[str]()  # the server's URL, kept by the process that drops


RUN_ENV = "PACKBENCH_TEST_RUN"  # the run's tag, set by the first process, inherited by workers


def _server_database(server: str, name: str, sql: str) -> None:
    from sqlalchemy import create_engine

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.exec_driver_sql(sql.format(name=name))
    finally:
        admin.dispose()


def pytest_configure(config: pytest.Config) -> None:
    """A database of this process's own on the test server, for the whole run.

    Tests in other processes run at the same time; whatever a test does in the server's
    database it was given (tables in the public schema, a schema of its own, an admin
    connection that makes fresh databases) stays in this process's database. The process
    that started the run (the xdist controller, or the only one) drops them all at its end:
    a worker is stopped as soon as it reports its last test, before its own clean-up ends.
    """
    server = os.environ.get(SERVER_ENV)
    if not server:
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:  # the process that started the run: xdist's workers inherit the tag
        os.environ[RUN_ENV] = uuid.uuid4().hex[:8]
        config.stash[_SERVER_KEY] = server
    if worker is None and getattr(config.option, "numprocesses", None):
        return  # the xdist controller runs no tests
    from sqlalchemy.engine import make_url

    name = f"pb_run_{os.environ[RUN_ENV]}_{worker or 'main'}"
    _server_database(server, name, "CREATE DATABASE {name}")
    os.environ[SERVER_ENV] = (
        make_url(server).set(database=name).render_as_string(hide_password=False)
    )


def pytest_unconfigure(config: pytest.Config) -> None:
    server = config.stash.get(_SERVER_KEY, None)
    if server is None:
        return
    from sqlalchemy import create_engine

    os.environ[SERVER_ENV] = server
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            names = c.exec_driver_sql(
                "SELECT datname FROM pg_database WHERE datname LIKE %s",
                (f"pb_run_{os.environ[RUN_ENV]}_%",),
            ).scalars()
            for name in list(names):
                c.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        admin.dispose()


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
    url = os.environ.get(SERVER_ENV)
    if not url:
        pytest.skip("PACKBENCH_TEST_CENTRAL_URL is not set: no PostgreSQL server to test against")
    return url


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """The demo is made once per run (~10 s): the tests that read it work on copies.

    Tests using it are marked ``xdist_group("demo")`` so one process makes it.
    """
    return make_demo(tmp_path_factory.mktemp("demo-home"))


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
