"""The central store failing a command, by the door: the real ``packbench`` on a fresh database.

- The store goes away in the middle of an import (its backend terminated while the import
  waits on a row the test holds locked, so the cut lands inside a known batch): one line
  that says what happened and what to do, exit code 3, the batches committed before stay
  whole and the one in flight leaves nothing; importing again finishes the job. A sync cut
  off mid-pull says it is offline (exit 1) and the next one finishes.
- A login that lacks a right (a station's role running an import, a station's role missing
  one grant): one line naming the role, what it may not do on which table and the GRANT
  the owner runs; no traceback, no crash report. The importer grants in docs/sync.md then
  let the same login import.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, create_engine, text

from app.benchmarks.sync import build_central
from app.db import migrate
from tests.data.channel_samples import BUNDLED, RETAIL_SAMPLE, load
from tests.sync.stores import fresh_database
from tests.sync.test_push import documented_grants
from tests.test_central_store import as_login, packbench, packbench_env, start

pytestmark = pytest.mark.postgres

BATCH = 500  # app.services.importing.BATCH: what one commit holds


@pytest.fixture
def store(central_url: str) -> Iterator[str]:
    """A fresh database whose owner made the schema (as `packbench central upgrade` does)."""
    with fresh_database(central_url) as url:
        engine = create_engine(url)
        migrate.ensure_schema(engine)
        engine.dispose()
        yield url


def count(url: str, sql: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


@contextmanager
def row_locked(url: str, sql: str) -> Iterator[Connection]:
    """Hold a lock (``sql``: a SELECT … FOR UPDATE, a LOCK TABLE) until the block ends."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
            yield conn
            conn.rollback()
    finally:
        engine.dispose()


def cut_when_waiting(url: str, process: subprocess.Popen[str]) -> None:
    """Terminate the command's backend once it waits on the lock the test holds."""
    database = url.rsplit("/", 1)[1]
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for _ in range(600):
                assert process.poll() is None, process.communicate()
                waiting = (
                    conn.execute(
                        text(
                            "SELECT pid FROM pg_stat_activity WHERE datname = :db "
                            "AND wait_event_type = 'Lock'"
                        ),
                        {"db": database},
                    )
                    .scalars()
                    .all()
                )
                if waiting:
                    break
                time.sleep(0.1)
            else:
                raise AssertionError("the import never reached the locked row")
            conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": waiting[0]})
    finally:
        admin.dispose()


def last_line(stderr: str) -> str:
    """What stopped the command: the last line (progress lines come before it)."""
    assert "Traceback" not in stderr and 'File "' not in stderr, stderr
    return stderr.strip().splitlines()[-1]


def no_crash_report(home: Path) -> bool:
    return not list((home / "logs").glob("crash-*.txt"))


def products_csv(path: Path, rows: int, renamed: str = "") -> Path:
    path.write_text(
        "sku,name,bin,on_hand\n"
        + "".join(f"P{n:04d},Widget {n}{renamed},A-01-1,5\n" for n in range(rows)),
        encoding="utf-8",
    )
    return path


def woo_orders(path: Path, ids: range, quantity: int = 2) -> Path:
    sample = load(BUNDLED / "channel_orders", "woocommerce_order.json")
    orders: list[dict[str, Any]] = []
    for n in ids:
        order = copy.deepcopy(sample)
        order.update(id=n, number=str(n))
        for line in order["line_items"]:
            line["quantity"] = quantity
        orders.append(order)
    path.write_text(json.dumps(orders), encoding="utf-8")
    return path


# --- the store goes away mid-way -------------------------------------------------------------


def test_a_products_import_cut_off_mid_way_keeps_whole_batches_and_says_to_run_it_again(
    store: str, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    env = packbench_env(home, store)
    last = f"P{2 * BATCH - 1:04d}"  # the last row of the second batch
    known = tmp_path / "known.csv"
    known.write_text(f"sku,name,bin,on_hand\n{last},Old name,A-01-1,5\n", encoding="utf-8")
    assert packbench("import", "products", str(known), env=env).returncode == 0

    big = products_csv(tmp_path / "big.csv", 2 * BATCH)
    with row_locked(store, f"SELECT id FROM products WHERE sku = '{last}' FOR UPDATE"):
        running = start("import", "products", str(big), env=env)
        cut_when_waiting(store, running)  # inside batch 2, its other 499 rows written
        _, stderr = running.communicate(timeout=120)

    assert running.returncode == 3
    line = last_line(stderr)
    assert line.startswith("packbench: The central order store cannot be reached (")
    assert f"{BATCH} products were saved before it stopped. Import the file again" in line
    assert no_crash_report(home)
    # Batch 1 committed; nothing of batch 2 (the row known before is still as it was).
    assert count(store, "SELECT count(*) FROM products") == BATCH + 1
    assert count(store, f"SELECT count(*) FROM products WHERE sku = '{last}' "
                 "AND name = 'Old name'") == 1  # fmt: skip

    again = packbench("import", "products", str(big), "--json", env=env)
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert (summary["imported"], summary["updated"], summary["unchanged"]) == (
        BATCH - 1,
        1,
        BATCH,
    )


def test_an_orders_import_cut_off_mid_way_says_how_many_were_saved_and_exits_3(
    store: str, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    env = packbench_env(home, store)
    ids = range(5001, 5001 + BATCH + 100)
    last = ids[-1]
    before = packbench("import", "woocommerce", str(woo_orders(tmp_path / "a.json", ids[-1:])),
                       env=env)  # fmt: skip
    assert before.returncode == 0, before.stderr

    changed = woo_orders(tmp_path / "all.json", ids, quantity=3)  # the last one changes
    with row_locked(store, f"SELECT id FROM orders WHERE external_id = '{last}' FOR UPDATE"):
        running = start("import", "woocommerce", str(changed), env=env)
        cut_when_waiting(store, running)
        _, stderr = running.communicate(timeout=120)

    assert running.returncode == 3
    line = last_line(stderr)
    assert line.startswith("packbench: The central order store cannot be reached (")
    assert f"{BATCH} orders were saved before it stopped. Import the file again" in line
    assert no_crash_report(home)
    assert count(store, "SELECT count(*) FROM orders") == BATCH + 1
    lines = len(load(BUNDLED / "channel_orders", "woocommerce_order.json")["line_items"])
    assert count(store, "SELECT count(*) FROM order_lines WHERE quantity_ordered = 3") == (
        BATCH * lines  # the order in flight (the last) was not changed
    )

    again = packbench("import", "woocommerce", str(changed), "--json", env=env)
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert (summary["imported"], summary["updated"], summary["unchanged"]) == (99, 1, BATCH)


# --- a right the store refuses ---------------------------------------------------------------


def grants(block: str, group: str, login: str) -> str:
    """A documented grants block for a group of our own, ``login`` made a member."""
    return re.sub(
        r"CREATE ROLE \w+01 LOGIN [^;]*;",
        f"GRANT {group} TO {login};",
        block.replace("packbench_station", group).replace("packbench_importer", group),
    )


def importer_grants() -> str:
    text_ = (Path(__file__).parents[1] / "docs" / "sync.md").read_text(encoding="utf-8")
    block = text_.split("<!-- importer-grants -->", 1)[1]
    return block.split("```sql", 1)[1].split("```", 1)[0]


@contextmanager
def station_login(owner_url: str) -> Iterator[tuple[str, Engine]]:
    """A login with exactly the station grants of docs/sync.md; dropped afterwards."""
    tag = uuid.uuid4().hex[:8]
    login, groups = f"pb_st_{tag}", [f"pb_station_{tag}", f"pb_importer_{tag}"]
    owner = create_engine(owner_url, isolation_level="AUTOCOMMIT")
    with owner.connect() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {login} LOGIN")
        conn.exec_driver_sql(grants(documented_grants(), groups[0], login))
    try:
        yield login, owner
    finally:
        with owner.connect() as conn:
            for role in (*groups, login):
                conn.exec_driver_sql(
                    f"DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') "
                    f"THEN EXECUTE 'DROP OWNED BY {role}'; EXECUTE 'DROP ROLE {role}'; "
                    "END IF; END $$"
                )
        owner.dispose()


def test_an_import_as_a_station_role_names_the_role_the_right_and_the_grant_then_works_granted(
    store: str, tmp_path: Path
) -> None:
    products = products_csv(tmp_path / "p.csv", 3)
    orders = woo_orders(tmp_path / "o.json", range(9001, 9004))
    with station_login(store) as (login, owner):
        home = tmp_path / "station"
        env = packbench_env(home, as_login(store, login))

        refused = packbench("import", "products", str(products), env=env)
        assert refused.returncode == 3
        assert last_line(refused.stderr) == (
            f"packbench: The central order store does not let role {login} add rows to table "
            f"products (permission denied for table products). The owner of the central "
            f"tables runs: GRANT INSERT ON products TO {login}; (every grant a station's role "
            'and an importing role need is listed in docs/sync.md, "Central schema and a '
            "station's PostgreSQL role\"). Everything saved before is kept."
        )
        refused = packbench("import", "woocommerce", str(orders), env=env)
        assert refused.returncode == 3
        assert f"does not let role {login} add rows to table customers" in refused.stderr
        assert f"GRANT INSERT ON customers TO {login};" in last_line(refused.stderr)
        assert no_crash_report(home)
        assert count(store, "SELECT count(*) FROM products") == 0
        assert count(store, "SELECT count(*) FROM orders") == 0

        # The owner makes the login an importer, as docs/sync.md says: the same imports work.
        with owner.connect() as conn:
            conn.exec_driver_sql(
                grants(importer_grants(), f"pb_importer_{login.removeprefix('pb_st_')}", login)
            )
        for fmt, path in (("products", products), ("woocommerce", orders),
                          ("csv", RETAIL_SAMPLE)):  # fmt: skip
            done = packbench("import", fmt, str(path), "--json", env=env)
            assert done.returncode in (0, 1), f"{fmt}: {done.stderr}"
            assert json.loads(done.stdout)["imported"] > 0, fmt
        again = packbench("import", "woocommerce", str(woo_orders(tmp_path / "o2.json",
                          range(9001, 9004), quantity=5)), "--json", env=env)  # fmt: skip
        assert again.returncode == 0, again.stderr
        assert json.loads(again.stdout)["updated"] == 3


def test_a_sync_as_a_role_missing_grants_is_offline_with_the_grant_and_doctor_names_it(
    store: str, tmp_path: Path
) -> None:
    with station_login(store) as (login, owner):
        with owner.connect() as conn:
            for table in ("sync_clock", "orders"):
                conn.exec_driver_sql(f"REVOKE SELECT ON {table} FROM pb_station_{login[6:]}")
        home = tmp_path / "station"
        env = packbench_env(home, as_login(store, login))
        synced = packbench("sync", "--once", "--json", env=env)
        doctor = packbench("doctor", "--json", env=env)

    assert synced.returncode == 1
    report = json.loads(synced.stdout)
    assert report["online"] is False
    assert (
        f"The central order store does not let role {login} read table sync_clock "
        f"(permission denied for table sync_clock). The owner of the central tables runs: "
        f"GRANT SELECT ON sync_clock TO {login};"
    ) in report["error"]
    assert "Traceback" not in synced.stderr
    assert no_crash_report(home)
    assert doctor.returncode == 1
    central = next(c for c in json.loads(doctor.stdout)["checks"] if c["name"] == "central store")
    assert f"does not let role {login} read table orders" in central["detail"]
    assert central["fix"].startswith(
        f"The owner of the central tables runs: GRANT SELECT ON orders TO {login};"
    )


def test_a_sync_cut_off_mid_pull_keeps_the_pages_it_wrote_and_the_next_one_finishes(
    store: str, tmp_path: Path
) -> None:
    engine = create_engine(store)
    build_central(engine, 300)
    engine.dispose()
    home = tmp_path / "station"
    env = packbench_env(home, store)
    # Reads queue behind an exclusive lock: the pull writes the catalogue's pages, then waits
    # for the orders, and its link is cut there.
    with row_locked(store, "LOCK TABLE orders IN ACCESS EXCLUSIVE MODE"):
        running = start("sync", "--once", "--json", env=env)
        cut_when_waiting(store, running)
        stdout, stderr = running.communicate(timeout=120)

    assert running.returncode == 1
    report = json.loads(stdout)
    assert report["online"] is False
    assert report["error"].startswith("The central store cannot be reached (")
    assert report["error"].endswith("Work goes on here and is sent when it is back.")
    assert (report["local_orders"], report["watermark"]) == (0, 0)
    assert report["pulled"] > 0  # the catalogue's pages before the cut stay
    assert "Traceback" not in stderr and no_crash_report(home)

    again = packbench("sync", "--once", "--json", env=env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert json.loads(again.stdout)["local_orders"] == 300
