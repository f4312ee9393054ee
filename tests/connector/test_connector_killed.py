"""The connector killed (SIGKILL) in the middle of a pull and of a push, then started again:
nothing is lost and nothing is doubled. The real command in a subprocess, a fresh PostgreSQL
database, WooCommerce on 127.0.0.1 answering slowly enough to be caught in the middle."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, func, select, text, update

from app.db.models import ChannelAccount, ChannelEvent, Order
from app.sync.engine import sync_once
from tests.connector.conftest import connector_once, packbench, write_config
from tests.connector.stores import WooStore, ago, serving
from tests.invoicing.world import ship
from tests.sync.stores import open_test_station

SECRET = "ck_k1ll:cs_k1ll"
ORDERS = 24


def _until(check: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
        time.sleep(0.05)


def _started() -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "app", "connector", "run", "--json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PB_TEST_WOO_SECRET": SECRET},
    )


def _killed(process: subprocess.Popen[str]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


def _claim_ran_out(central: Engine) -> None:
    with central.begin() as c:
        c.execute(update(ChannelAccount).values(claimed_until=func.now() - text("interval '1 s'")))


def _count(engine: Engine, query: object) -> int:
    with engine.connect() as c:
        return int(c.execute(query).scalar_one())  # type: ignore[call-overload]


def test_killed_in_a_pull_and_in_a_push_loses_and_doubles_nothing(
    central: Engine, isolated_home: Path, tmp_path: Path
) -> None:
    env = {"PB_TEST_WOO_SECRET": SECRET}
    with serving(WooStore(SECRET)) as store:
        assert isinstance(store, WooStore)
        woo = store
        for n in range(1, ORDERS + 1):
            woo.add(n, created=ago(7200 - n))
        write_config(
            isolated_home,
            f"""
[review]
first_order_over = 0

[channels.woo-main]
kind = "woocommerce"
url = "{woo.url}"
secret_env = "PB_TEST_WOO_SECRET"
page_size = 2
""",
        )
        catalogue = tmp_path / "catalogue.csv"
        catalogue.write_text(
            "sku,name,barcodes,units_per_barcode,weight_g,price,currency,bin,on_hand\n"
            "WOO-1,Woo first,,,100,5.00,USD,A-01-01,500\n"
            "WOO-2,Woo second,,,100,5.00,USD,A-01-02,500\n"
        )
        assert packbench("import", "products", str(catalogue)).returncode == 0
        woocommerce = func.count().select().select_from(Order).where(Order.channel == "woocommerce")

        # In the middle of a pull: some pages are in, with the cursor on the next one.
        woo.page_delay = 0.3
        running = _started()
        _until(lambda: _count(central, woocommerce) >= 6, "three pages")
        _killed(running)
        before = _count(central, woocommerce)
        with central.connect() as c:
            cursor = c.execute(select(ChannelAccount.cursor)).scalar_one()
        assert 6 <= before < ORDERS
        assert cursor["page"] == before // 2 + 1  # each page landed with its cursor
        woo.page_delay = 0.0
        # The killed connector's claim holds the account until it runs out...
        code, accounts, _ = connector_once(env)
        assert code == 0 and accounts["woo-main"]["claimed"] is False
        assert _count(central, woocommerce) == before
        _claim_ran_out(central)  # ...two minutes later (here: at once)
        code, accounts, _ = connector_once(env)
        assert code == 0
        assert accounts["woo-main"]["imported"] == ORDERS - before
        assert accounts["woo-main"]["unchanged"] == 0  # started at the page it stopped on
        assert _count(central, woocommerce) == ORDERS

        # Three shipments for the store.
        station = open_test_station(
            isolated_home.parent / "bench", central.url.render_as_string(hide_password=False)
        )
        try:
            assert sync_once(station).error is None
            with central.connect() as c:
                numbers = dict(
                    c.execute(
                        select(Order.external_id, Order.number).where(
                            Order.external_id.in_(["1001", "1002", "1003"])
                        )
                    ).all()
                )
            for external in ("1001", "1002", "1003"):
                ship(station, numbers[external], {1: 2, 2: 1})
            assert sync_once(station).error is None
        finally:
            station.close()

        # In the middle of a push: the store kept the second note, the answer never came.
        woo.note_delay = 30.0
        running = _started()
        _until(lambda: len(woo.notes[1002]) == 1, "the second note to reach the store")
        _killed(running)
        woo.note_delay = 0.0
        with central.connect() as c:
            states = dict(c.execute(select(ChannelEvent.order_number, ChannelEvent.state)).all())
        assert states[numbers["1001"]] == "sent" and states[numbers["1002"]] == "pending"

        _claim_ran_out(central)
        code, accounts, _ = connector_once(env)
        assert code == 0, accounts
        assert accounts["woo-main"]["sent"] == 2
        for oid in (1001, 1002, 1003):
            assert len(woo.notes[oid]) == 1, woo.notes[oid]
            assert woo.orders[oid]["status"] == "completed"
        with central.connect() as c:
            assert set(c.execute(select(ChannelEvent.state)).scalars()) == {"sent"}
