"""The central store as a new user meets it: the real ``packbench`` on a fresh PostgreSQL database.

No fixture makes the schema first: the commands do, or say who must. Each test creates its own
database (and roles) on the server named by PACKBENCH_TEST_CENTRAL_URL and drops it after.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.db import migrate
from tests.sync.stores import fresh_database
from tests.sync.test_push import documented_grants

WOO_ORDER = Path(__file__).parent / "data" / "channel_orders" / "woocommerce_order.json"
CREATED = "created the Packbench schema"


def packbench_env(home: Path, central_url: str) -> dict[str, str]:
    env = dict(os.environ, PACKBENCH_HOME=str(home), PACKBENCH_CENTRAL_URL=central_url)
    env.pop("PACKBENCH_CONFIG", None)
    env.pop("PACKBENCH_STATION", None)
    return env


def packbench(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=180, env=env
    )


def start(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "app", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def check(report: dict[str, Any], name: str) -> dict[str, str]:
    return next(c for c in report["checks"] if c["name"] == name)


def query(url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()


def has_schema(url: str) -> bool:
    return query(url, "SELECT to_regclass('alembic_version') IS NOT NULL")[0][0]


@pytest.fixture
def fresh(central_url: str) -> Iterator[str]:
    """The URL of an empty database, as the owner (the test server's superuser) logs in."""
    with fresh_database(central_url) as url:
        yield url


@contextmanager
def station_role(owner_url: str) -> Iterator[str]:
    """A login with no rights beyond connecting: a station's role before any grant."""
    login = f"pb_st_{uuid.uuid4().hex[:8]}"
    admin = create_engine(owner_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql(f"CREATE ROLE {login} LOGIN")
    try:
        yield login
    finally:
        with admin.connect() as c:
            c.exec_driver_sql(f"DROP OWNED BY {login}")
            c.exec_driver_sql(f"DROP ROLE {login}")
        admin.dispose()


def named_fix(message: str) -> str:
    """The owner's URL in "... PACKBENCH_CENTRAL_URL=URL packbench central upgrade"."""
    found = re.search(r"PACKBENCH_CENTRAL_URL=(\S+) packbench central upgrade", message)
    assert found, message
    return found.group(1)


def as_login(url: str, login: str) -> str:
    return make_url(url).set(username=login, password=None).render_as_string(hide_password=False)


@pytest.mark.postgres
def test_a_fresh_database_takes_an_import_then_a_sync_then_doctor_says_all_good(
    fresh: str, tmp_path: Path
) -> None:
    env = packbench_env(tmp_path / "home", fresh)

    imported = packbench("import", "woocommerce", str(WOO_ORDER), "--json", env=env)
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["imported"] == 1
    assert f"{CREATED} ({migrate.head_revision()})" in imported.stderr
    assert "Traceback" not in imported.stderr

    synced = packbench("sync", "--once", "--json", env=env)
    assert synced.returncode == 0, synced.stdout + synced.stderr
    report = json.loads(synced.stdout)
    assert (report["online"], report["error"]) == (True, None)
    assert (report["local_orders"], report["central_orders"]) == (1, 1)
    assert CREATED not in synced.stderr  # made once, by the import

    doctor = packbench("doctor", "--json", env=env)
    assert doctor.returncode == 0, doctor.stdout
    found = json.loads(doctor.stdout)
    assert found["ok"] is True
    assert check(found, "central store")["status"] == "ok"
    assert (found["local_orders"], found["central_orders"], found["outbox"]) == (1, 1, 0)
    assert query(fresh, "SELECT version_num FROM alembic_version") == [(migrate.head_revision(),)]


@pytest.mark.postgres
def test_doctor_on_an_empty_database_says_what_central_upgrade_would_do_and_changes_nothing(
    fresh: str, tmp_path: Path
) -> None:
    env = packbench_env(tmp_path / "home", fresh)
    doctor = packbench("doctor", "--json", env=env)
    assert doctor.returncode == 0, doctor.stdout  # a warning: the first command builds it
    central = check(json.loads(doctor.stdout), "central store")
    assert central["status"] == "warn"
    assert "has no Packbench schema yet" in central["detail"]
    assert central["fix"].startswith(
        f"`packbench central upgrade` creates it (schema {migrate.head_revision()})"
    )
    assert not has_schema(fresh)

    upgraded = packbench("central", "upgrade", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert CREATED in upgraded.stdout
    again = packbench("central", "upgrade", env=env)
    assert again.returncode == 0, again.stderr
    assert "nothing to do" in again.stdout


@pytest.mark.postgres
def test_four_commands_started_at_once_on_an_empty_database_all_succeed_and_build_it_once(
    fresh: str, tmp_path: Path
) -> None:
    commands = [
        ("import", "woocommerce", str(WOO_ORDER), "--json"),
        ("sync", "--once", "--json"),
        ("sync", "--once", "--json"),
        ("central", "upgrade"),
    ]
    running = [
        start(*command, env=packbench_env(tmp_path / f"st-{n}", fresh))
        for n, command in enumerate(commands)
    ]
    outputs = [process.communicate(timeout=180) for process in running]
    for command, process, (out, err) in zip(commands, running, outputs, strict=True):
        assert process.returncode == 0, f"{command}: {out}{err}"
        assert "Traceback" not in err
    said = [out + err for out, err in outputs]
    assert sum(CREATED in words for words in said) == 1, said

    assert query(fresh, "SELECT version_num FROM alembic_version") == [(migrate.head_revision(),)]
    # Made once: every table, index and sequence of the schema, and the version row, were
    # written by one and the same transaction.
    makers = query(
        fresh,
        "SELECT DISTINCT xmin::text FROM pg_class WHERE relnamespace = 'public'::regnamespace",
    )
    assert makers == query(fresh, "SELECT xmin::text FROM alembic_version")


@pytest.mark.postgres
def test_a_station_role_that_may_not_create_tables_is_told_the_command_its_owner_runs(
    fresh: str, tmp_path: Path
) -> None:
    with station_role(fresh) as login:
        station = packbench_env(tmp_path / "st", as_login(fresh, login))

        synced = packbench("sync", "--once", env=station)
        assert synced.returncode == 1
        assert f"role {login} may not create tables" in synced.stdout
        imported = packbench("import", "woocommerce", str(WOO_ORDER), env=station)
        assert imported.returncode == 2
        assert "Traceback" not in imported.stderr
        doctor = packbench("doctor", "--json", env=station)
        assert doctor.returncode == 1
        central = check(json.loads(doctor.stdout), "central store")
        assert central["status"] == "fail"
        assert f"role {login} may not create tables" in central["detail"]
        assert not has_schema(fresh)

        # Every message names the same command, as the owner: run exactly that.
        fixes = {named_fix(words) for words in (synced.stdout, imported.stderr, central["fix"])}
        assert fixes == {as_login(fresh, "postgres")}
        owner = packbench("central", "upgrade", env=packbench_env(tmp_path / "owner", fixes.pop()))
        assert owner.returncode == 0, owner.stderr
        assert CREATED in owner.stdout

        # The owner grants the station's role what docs/sync.md lists; now it syncs.
        group = f"{login}_group"
        grants = re.sub(
            r"CREATE ROLE station01 [^;]*;",
            f"GRANT {group} TO {login};",
            documented_grants().replace("packbench_station", group),
        )
        try:
            with create_engine(fresh).begin() as conn:
                conn.exec_driver_sql(grants)
            synced = packbench("sync", "--once", "--json", env=station)
            assert synced.returncode == 0, synced.stdout + synced.stderr
            assert json.loads(synced.stdout)["online"] is True
        finally:
            with create_engine(fresh, isolation_level="AUTOCOMMIT").connect() as conn:
                conn.exec_driver_sql(f"DROP OWNED BY {group}")
                conn.exec_driver_sql(f"DROP ROLE IF EXISTS {group}")


@pytest.mark.postgres
def test_an_older_central_schema_is_upgraded_by_the_first_command_that_may(
    fresh: str, tmp_path: Path
) -> None:
    engine = create_engine(fresh)
    migrate.upgrade(engine, "0003")  # a store a previous Packbench built
    engine.dispose()
    with station_role(fresh) as login:
        with create_engine(fresh).begin() as conn:
            conn.exec_driver_sql(f"GRANT SELECT ON alembic_version TO {login}")
        station = packbench_env(tmp_path / "st", as_login(fresh, login))
        synced = packbench("sync", "--once", env=station)
        assert synced.returncode == 1
        assert f"has schema 0003; this Packbench needs {migrate.head_revision()}" in synced.stdout
        assert f"role {login} may not change its tables" in synced.stdout
        assert "packbench central upgrade" in synced.stdout

    synced = packbench("sync", "--once", env=packbench_env(tmp_path / "owner", fresh))
    assert synced.returncode == 0, synced.stdout + synced.stderr
    assert f"from 0003 to {migrate.head_revision()}" in synced.stderr


@pytest.mark.postgres
def test_a_central_schema_newer_than_this_packbench_is_named_and_left_untouched(
    fresh: str, tmp_path: Path
) -> None:
    env = packbench_env(tmp_path / "home", fresh)
    assert packbench("central", "upgrade", env=env).returncode == 0
    with create_engine(fresh).begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")

    synced = packbench("sync", "--once", env=env)
    assert synced.returncode == 1
    assert "written by a newer Packbench (schema 9999)" in synced.stdout
    imported = packbench("import", "woocommerce", str(WOO_ORDER), env=env)
    assert imported.returncode == 2
    assert "newer Packbench" in imported.stderr and "Traceback" not in imported.stderr
    upgraded = packbench("central", "upgrade", env=env)
    assert upgraded.returncode == 2
    assert "newer Packbench" in upgraded.stderr
    doctor = json.loads(packbench("doctor", "--json", env=env).stdout)
    assert check(doctor, "central store")["status"] == "fail"
    assert query(fresh, "SELECT version_num FROM alembic_version") == [("9999",)]


# --- configuration and an unreachable store: no PostgreSQL needed ------------------------

NO_DRIVER = "postgresql+nodriver://station01:s3cret@127.0.0.1/orders"


@pytest.mark.parametrize(
    ("command", "code"),
    [
        (("doctor",), 1),
        (("sync", "--once"), 2),
        (("import", "woocommerce", str(WOO_ORDER)), 2),
        (("central", "upgrade"), 2),
    ],
)
def test_an_unknown_driver_is_named_by_its_key_with_what_is_allowed(
    command: tuple[str, ...], code: int, tmp_path: Path
) -> None:
    result = packbench(*command, env=packbench_env(tmp_path / "home", NO_DRIVER))
    said = result.stdout + result.stderr
    assert result.returncode == code, said
    assert "Traceback" not in said and "s3cret" not in said
    assert "PACKBENCH_CENTRAL_URL=" in said
    assert "names the driver 'nodriver'" in said
    assert '"postgresql+psycopg://USER@HOST/DATABASE"' in said


def test_doctor_names_an_unknown_driver_in_the_config_file_by_section_and_key(
    tmp_path: Path,
) -> None:
    env = packbench_env(tmp_path / "home", "")
    env.pop("PACKBENCH_CENTRAL_URL")
    config = tmp_path / "home" / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'[central]\nurl = "{NO_DRIVER}"\n', encoding="utf-8")
    config.chmod(0o600)
    result = packbench("doctor", "--json", env=env)
    assert result.returncode == 1
    found = check(json.loads(result.stdout), "config")
    assert found["status"] == "fail"
    assert (
        '[central] url = "postgresql+nodriver://station01:***@127.0.0.1/orders"'
        in (found["detail"])
    )
    assert "s3cret" not in result.stdout


def test_an_import_that_cannot_reach_the_central_store_says_nothing_was_imported(
    tmp_path: Path,
) -> None:
    env = packbench_env(tmp_path / "home", "postgresql+psycopg://st:s3cret@127.0.0.1:1/orders")
    result = packbench("import", "woocommerce", str(WOO_ORDER), env=env)
    assert result.returncode == 3  # the surroundings (app/cli.py), not the file
    assert "The central order store cannot be reached" in result.stderr
    assert "nothing was imported" in result.stderr
    assert "-1" not in result.stderr and "Traceback" not in result.stderr
    assert "s3cret" not in result.stderr
