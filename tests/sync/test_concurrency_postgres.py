"""Concurrency on a real PostgreSQL server: writers committing out of step while a station
pulls, and stations starting together on an empty central store.

The trap DESIGN.md names: with concurrent writers, change numbers handed out early commit out
of order, and a pull "after my watermark" skips the slow writer's rows for ever. Here the
writers dawdle both before taking their number and between taking it and committing, while a
station pulls in small pages the whole time; afterwards it must hold exactly the central rows.
The orders go to the demo's three warehouses, and a station of each warehouse pulls beside
the one of every warehouse: each ends with exactly its warehouse's orders and lines.
"""

from __future__ import annotations

import random
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from app.db import migrate
from app.db.models import Base, Order, OrderLine, Product
from app.db.session import create_db_engine, unit_of_work_factory
from app.domain.status import OrderStatus
from app.sync.clock import next_change_seq, stamp_changes, track_changes
from app.sync.pull import pull
from tests.sync.stores import (
    differences,
    empty_schema,
    fill_with_demo,
    open_test_station,
    postgres_central,
    schema_url,
)

pytestmark = pytest.mark.postgres

WRITERS = 4
TRANSACTIONS = 30
DEADLINE_S = 120


def test_a_station_pulling_among_concurrent_writers_ends_with_exactly_the_central_rows(
    central_url: str, tmp_path: Path
) -> None:
    with postgres_central(central_url) as central:
        fill_with_demo(central, orders=60)
        with central.engine.connect() as conn:
            products = list(conn.execute(select(Product.id, Product.sku, Product.name)))
        station = open_test_station(tmp_path / "st", central.url)
        codes = {1: "MAIN", 2: "MAN", 3: "BER"}  # the demo's three warehouses
        of_one = {w: open_test_station(tmp_path / code, central.url) for w, code in codes.items()}
        pull(central.engine, station.local_engine)  # the demo first: the small pages below
        for w, one in of_one.items():  # are the writers' news
            pull(central.engine, one.local_engine, warehouse=codes[w])
        writing = threading.Event()
        writing.set()
        failures: list[BaseException] = []
        pulls: list[int] = []

        def orm_writer(k: int) -> None:
            """Orders one at a time through the ORM, stamped by stamp_changes, slowly."""
            rng = random.Random(k)

            def dawdling_stamp(session: Session) -> object:
                seq = stamp_changes(session)
                time.sleep(rng.uniform(0, 0.015))  # holds the clock: others queue behind
                return seq

            uows = unit_of_work_factory(
                central.engine, before_commit=dawdling_stamp, on_open=track_changes
            )
            mine: list[int] = []
            for i in range(TRANSACTIONS):
                with uows() as uow:
                    time.sleep(rng.uniform(0, 0.01))  # work that overlaps the other writers
                    if mine and rng.random() < 0.5:
                        order = uow.session.get(Order, rng.choice(mine))
                        assert order is not None
                        order.priority += 1
                        order.lines[0].quantity_ordered += 1
                        if rng.random() < 0.3:
                            order.lines.append(_line(rng, products, len(order.lines) + 1))
                    else:
                        order = Order(
                            warehouse_id=1 + (k + i) % 3,
                            number=f"W{k}-{i:03d}",
                            channel="manual",
                            external_id=f"W{k}-{i}",
                            currency="GBP",
                            status=OrderStatus.FINALIZED,
                        )
                        order.lines.extend(
                            _line(rng, products, n) for n in range(1, rng.randint(1, 3) + 1)
                        )
                        uow.session.add(order)
                    uow.commit()
                    mine.append(order.id)

        def core_writer(k: int) -> None:
            """The importer's way: a number taken first, Core inserts, a slow commit."""
            rng = random.Random(100 + k)
            for i in range(TRANSACTIONS // 3):
                with central.engine.begin() as conn, Session(conn) as session:
                    seq = next_change_seq(session)
                    order_id = conn.execute(
                        insert(Order)
                        .values(
                            warehouse_id=1 + i % 3,
                            number=f"C{k}-{i:03d}",
                            channel="csv",
                            external_id=f"C{k}-{i}",
                            currency="GBP",
                            status=OrderStatus.IMPORTED,
                            hold_reasons=[],
                            version=1,
                            change_seq=seq,
                        )
                        .returning(Order.id)
                    ).scalar_one()
                    line = _line(rng, products, 1)
                    conn.execute(
                        insert(OrderLine).values(
                            order_id=order_id,
                            line_no=1,
                            product_id=line.product_id,
                            sku=line.sku,
                            name=line.name,
                            quantity_ordered=line.quantity_ordered,
                            unit_price=line.unit_price,
                            tax_rate=line.tax_rate,
                        )
                    )
                    time.sleep(rng.uniform(0, 0.02))

        def guarded(work: object, *args: object) -> None:
            try:
                work(*args)  # type: ignore[operator]
            except BaseException as error:
                failures.append(error)

        def puller() -> None:
            try:
                while writing.is_set():
                    pulls.append(pull(central.engine, station.local_engine, page_rows=7).total_rows)
                    for w, one in of_one.items():
                        pull(central.engine, one.local_engine, page_rows=7, warehouse=codes[w])
            except BaseException as error:
                failures.append(error)

        writers = [
            threading.Thread(target=guarded, args=(orm_writer, k)) for k in range(WRITERS)
        ] + [threading.Thread(target=guarded, args=(core_writer, 0))]
        reader = threading.Thread(target=puller)
        try:
            reader.start()
            for thread in writers:
                thread.start()
            for thread in writers:
                thread.join(timeout=DEADLINE_S)
                assert not thread.is_alive(), "a writer is stuck"
        finally:
            writing.clear()
            reader.join(timeout=DEADLINE_S)
        assert not failures, failures
        assert len([n for n in pulls if n]) >= 3, pulls  # it pulled while they wrote
        pull(central.engine, station.local_engine)  # what the writers did last
        try:
            assert differences(central.engine, station.local_engine) == {}
            with central.engine.connect() as conn:
                written = conn.scalar(select(Order.id).where(Order.number.like("W%")).limit(1))
            assert written is not None
            for w, one in of_one.items():
                pull(central.engine, one.local_engine, warehouse=codes[w])
                theirs = _orders_of(central.engine, w)
                assert theirs == _orders_of(one.local_engine, None), codes[w]
                assert len({str(row[0]) for row in theirs if str(row[0])[0] in "WC"}) >= 10
        finally:
            station.close()
            for one in of_one.values():
                one.close()


def _orders_of(engine: Engine, warehouse: int | None) -> list[tuple[object, ...]]:
    """Orders (of one warehouse, or all) with their lines, as comparable tuples."""
    with engine.connect() as conn:
        query = (
            select(Order.number, Order.version, Order.priority, Order.change_seq,
                   OrderLine.line_no, OrderLine.quantity_ordered)
            .join(OrderLine, OrderLine.order_id == Order.id)
            .order_by(Order.number, OrderLine.line_no)
        )  # fmt: skip
        if warehouse is not None:
            query = query.where(Order.warehouse_id == warehouse)
        return [tuple(row) for row in conn.execute(query)]


def _line(rng: random.Random, products: list[tuple[int, str, str]], line_no: int) -> OrderLine:
    product_id, sku, name = rng.choice(products)
    return OrderLine(
        line_no=line_no,
        product_id=product_id,
        sku=sku,
        name=name,
        quantity_ordered=rng.randint(1, 5),
        unit_price=Decimal("3.50"),
        tax_rate=Decimal("0.20"),
    )


STARTER = """
import sys, time
from pathlib import Path
from app.db.migrate import ensure_schema, current_revision
from app.db.session import create_db_engine
url, go, ready = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
engine = create_db_engine(url)
ready.touch()
deadline = time.monotonic() + 60
while not go.exists() and time.monotonic() < deadline:
    time.sleep(0.005)
ensure_schema(engine)
print(current_revision(engine))
"""


def test_stations_starting_together_on_an_empty_central_store_build_it_once(
    central_url: str, tmp_path: Path
) -> None:
    with empty_schema(central_url) as schema:
        url = schema_url(central_url, schema)
        go = tmp_path / "go"
        starters = [
            subprocess.Popen(
                [sys.executable, "-c", STARTER, url, str(go), str(tmp_path / f"ready-{n}")],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(5)
        ]
        deadline = time.monotonic() + 60
        while len(list(tmp_path.glob("ready-*"))) < len(starters):
            assert time.monotonic() < deadline, "the starters did not come up"
            time.sleep(0.01)
        go.touch()
        results = [p.communicate(timeout=120) for p in starters]
        for process, (out, err) in zip(starters, results, strict=True):
            assert process.returncode == 0, err
            assert out.strip() == migrate.head_revision()
        engine = create_db_engine(url)
        try:
            with engine.connect() as conn:
                assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        finally:
            engine.dispose()
