"""The window started on a fresh PostgreSQL central store: it builds the schema, or says who must.

The window is the app's own door to the central store (the status bar's probe and the sync
worker, on their threads); nothing prepares the database first.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from app.bootstrap import open_station
from app.config import load_config
from app.db import migrate
from tests.sync.stores import fresh_database
from tests.sync.test_push import documented_grants
from ui.main_window import MainWindow
from ui.theme import Tone


@contextmanager
def window_on(home: Path, central_url: str, qtbot: QtBot) -> Iterator[MainWindow]:
    station = open_station(
        load_config({"PACKBENCH_HOME": str(home), "PACKBENCH_CENTRAL_URL": central_url})
    )
    window = MainWindow(station)
    window.show()
    qtbot.waitExposed(window)
    try:
        yield window
    finally:
        window.shutdown()
        window.close()
        window.deleteLater()
        station.close()


def refused_tip(window: MainWindow, qtbot: QtBot) -> str:
    """What the status bar's central indicator says once a round was refused."""
    bar = window.status
    qtbot.waitUntil(lambda: bar.central.tone is Tone.REFUSED, timeout=60_000)
    return bar.central.toolTip()


@pytest.mark.postgres
def test_the_window_on_a_fresh_database_builds_the_central_schema_and_says_it_answered(
    central_url: str, tmp_path: Path, qtbot: QtBot
) -> None:
    with fresh_database(central_url) as url, window_on(tmp_path / "st", url, qtbot) as window:
        bar = window.status
        qtbot.waitUntil(lambda: window.sync.last is not None, timeout=60_000)
        assert window.sync.last is not None and window.sync.last.error is None
        assert bar.central.tone is Tone.DONE
        engine = create_engine(url)
        try:
            assert migrate.current_revision(engine) == migrate.head_revision()
        finally:
            engine.dispose()


@pytest.mark.postgres
def test_a_station_role_that_may_not_create_tables_sees_the_owners_command_in_the_status_bar(
    central_url: str, tmp_path: Path, qtbot: QtBot
) -> None:
    login = f"pb_st_{uuid.uuid4().hex[:8]}"
    with fresh_database(central_url) as url:
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.exec_driver_sql(f"CREATE ROLE {login} LOGIN")
        as_station = make_url(url).set(username=login).render_as_string(hide_password=False)
        try:
            with window_on(tmp_path / "st", as_station, qtbot) as window:
                tip = refused_tip(window, qtbot)
                assert f"role {login} may not create tables" in tip
                assert "packbench central upgrade" in tip
                assert migrate.current_revision(admin) is None
        finally:
            with admin.connect() as c:
                c.exec_driver_sql(f"DROP ROLE {login}")
            admin.dispose()


@pytest.mark.postgres
def test_a_station_role_missing_a_grant_sees_the_grant_in_the_status_bar_not_a_bug(
    central_url: str, tmp_path: Path, qtbot: QtBot
) -> None:
    tag = uuid.uuid4().hex[:8]
    group, login = f"pb_station_{tag}", f"pb_st_{tag}"
    with fresh_database(central_url) as url:
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        migrate.ensure_schema(admin)
        with admin.connect() as c:
            c.exec_driver_sql(
                documented_grants()
                .replace("packbench_station", group)
                .replace(
                    "CREATE ROLE station01 LOGIN PASSWORD 'change me'", f"CREATE ROLE {login} LOGIN"
                )
            )
            c.exec_driver_sql(f"REVOKE SELECT ON sync_clock FROM {group}")  # one grant missing
        as_station = make_url(url).set(username=login).render_as_string(hide_password=False)
        try:
            with window_on(tmp_path / "st", as_station, qtbot) as window:
                tip = refused_tip(window, qtbot)
                assert f"does not let role {login} read table sync_clock" in tip
                assert f"GRANT SELECT ON sync_clock TO {login};" in tip
                # Told as the store's state, not as a bug of Packbench's.
                assert window.fault_band.fault is None and not window.fault_band.isVisible()
                assert not list((tmp_path / "st" / "logs").glob("crash-*.txt"))
        finally:
            with admin.connect() as c:
                for role in (group, login):
                    c.exec_driver_sql(f"DROP OWNED BY {role}")
                    c.exec_driver_sql(f"DROP ROLE {role}")
            admin.dispose()
