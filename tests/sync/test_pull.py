"""Pull: the station ends up holding exactly the central rows, page by page, resumably."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

import app.sync.pull as pull_module
from app.bootstrap import Station
from app.db.invoices import invoice_from_record
from app.db.models import Invoice, InvoiceLineRow, Order, OrderLine, Setting, SyncState
from app.domain.status import OrderStatus
from app.services.auth import BADGE_SALT_KEY, login_with_badge
from app.services.demo import DEMO_USERS
from app.sync.clock import next_change_seq
from app.sync.pull import (
    FAMILIES,
    POSITIONS_KEY,
    PULLED_SETTINGS,
    CentralStoreBehind,
    PullInterrupted,
    PullProgress,
    pull,
)
from tests.sync.stores import SYNCED_TABLES, Central, differences, fill_with_demo, rows_of

FAMILY_NAMES = {family.name for family in FAMILIES}


def pull_all(central: Central, station: Station, page_rows: int = 97) -> pull_module.PullResult:
    return pull(central.engine, station.local_engine, page_rows=page_rows)


def test_an_empty_station_pulls_every_central_row(central: Central, station_one: Station) -> None:
    dataset = fill_with_demo(central)
    result = pull_all(central, station_one)
    assert differences(central.engine, station_one.local_engine) == {}
    assert result.orders == len(dataset.orders)
    assert result.rows["order_lines"] == len(dataset.order_lines)
    assert result.rows["allocations"] == len(dataset.allocations)
    with station_one.local() as uow:
        state = uow.session.get(SyncState, 1)
        assert state is not None and state.watermark == result.watermark > 0
        assert state.last_pull_at is not None
        assert uow.session.get(Setting, POSITIONS_KEY) is None  # the pull finished


def test_a_second_pull_brings_only_what_changed(central: Central, station_one: Station) -> None:
    fill_with_demo(central)
    pull_all(central, station_one)
    with station_one.central()() as uow:
        order = uow.session.scalars(select(Order).order_by(Order.id)).first()
        assert order is not None
        order.priority += 5
        uow.commit()
    result = pull_all(central, station_one)
    assert result.orders == 1
    assert set(result.rows) <= {"orders", "order_lines", "allocations"}
    assert differences(central.engine, station_one.local_engine) == {}
    assert pull_all(central, station_one).total_rows == 0


def test_a_line_removed_centrally_is_removed_here(central: Central, station_one: Station) -> None:
    fill_with_demo(central)
    pull_all(central, station_one)
    with station_one.central()() as uow:
        order = next(
            o
            for o in uow.session.scalars(select(Order).order_by(Order.id))
            if len(o.lines) > 1 and o.lines[-1].quantity_allocated == 0
        )
        number, kept = order.number, len(order.lines) - 1
        order.lines.pop()
        uow.commit()
    pull_all(central, station_one)
    assert differences(central.engine, station_one.local_engine) == {}
    with station_one.local_engine.connect() as conn:
        lines = conn.scalar(
            select(func.count())
            .select_from(OrderLine)
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.number == number)
        )
    assert lines == kept


def test_a_pull_cut_short_carries_on_from_its_last_page(
    central: Central, station_one: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_with_demo(central)

    def fail_on_page(point: str, count: int) -> None:
        if point == "pull-page" and count == 6:
            raise OSError("disk unplugged")

    monkeypatch.setattr(pull_module, "pause_at", fail_on_page)
    with pytest.raises(PullInterrupted) as stopped:
        pull_all(central, station_one)
    assert isinstance(stopped.value.__cause__, OSError)
    written = stopped.value.result.total_rows
    assert stopped.value.result.pages == 5 and written > 0  # the sixth was lost
    with station_one.local() as uow:
        assert uow.session.get(Setting, POSITIONS_KEY) is not None
        state = uow.session.get(SyncState, 1)
        assert state is not None and state.watermark == 0

    monkeypatch.undo()
    rest = pull_all(central, station_one)
    assert rest.resumed
    assert differences(central.engine, station_one.local_engine) == {}
    everything = sum(len(rows_of(central.engine, t)) for t in SYNCED_TABLES)
    assert written + rest.total_rows == everything  # no page was pulled twice


def test_rows_changed_while_a_pull_is_cut_short_still_arrive(
    central: Central, station_one: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_with_demo(central)

    def fail_on_page(point: str, count: int) -> None:
        if point == "pull-page" and count == 4:
            raise OSError("power cut")

    monkeypatch.setattr(pull_module, "pause_at", fail_on_page)
    with pytest.raises(PullInterrupted):
        pull_all(central, station_one)
    monkeypatch.undo()
    # Meanwhile the central store changes rows before and after where the pull stopped.
    with station_one.central()() as uow:
        orders = list(uow.session.scalars(select(Order).order_by(Order.id)))
        for order in (orders[0], orders[len(orders) // 2], orders[-1]):
            order.priority += 1
        uow.commit()
    pull_all(central, station_one)
    assert differences(central.engine, station_one.local_engine) == {}


def test_a_bulk_load_stamped_with_one_number_pulls_in_many_pages(
    central: Central, station_one: Station
) -> None:
    dataset = fill_with_demo(central)  # load_demo stamps every row with one number
    with central.engine.connect() as conn:
        numbers = conn.scalars(select(Order.change_seq).distinct()).all()
    assert len(numbers) == 1
    result = pull_all(central, station_one, page_rows=50)
    assert result.pages >= len(dataset.orders) // 50
    assert differences(central.engine, station_one.local_engine) == {}


def test_the_site_badge_salt_comes_with_the_users(central: Central, station_one: Station) -> None:
    fill_with_demo(central)
    pull_all(central, station_one)
    assert BADGE_SALT_KEY in PULLED_SETTINGS
    packer = DEMO_USERS[1]
    actor = login_with_badge(station_one.local, station_one.station_id, packer.badge)
    assert actor.name == packer.name


def test_a_replaced_central_store_is_refused_and_nothing_changes(
    central: Central, station_one: Station
) -> None:
    fill_with_demo(central)
    pull_all(central, station_one)
    before = rows_of(station_one.local_engine, Order.__table__)  # type: ignore[arg-type]
    with central.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE sync_clock SET seq = 1")
    with pytest.raises(PullInterrupted) as stopped:
        pull_all(central, station_one)
    assert isinstance(stopped.value.__cause__, CentralStoreBehind)
    assert "replaced or restored" in str(stopped.value.__cause__)
    assert rows_of(station_one.local_engine, Order.__table__) == before  # type: ignore[arg-type]


def test_core_writers_that_take_a_number_are_pulled_too(
    central: Central, station_one: Station
) -> None:
    """The importer's way: Core statements stamped with next_change_seq in their transaction."""
    from sqlalchemy import update
    from sqlalchemy.orm import Session

    fill_with_demo(central)
    pull_all(central, station_one)
    with central.engine.begin() as conn, Session(conn) as session:
        seq = next_change_seq(session)
        conn.execute(
            update(Order)
            .where(Order.status == OrderStatus.IMPORTED)
            .values(priority=Order.priority + 1, change_seq=seq)
        )
    result = pull_all(central, station_one)
    assert result.orders > 0
    assert differences(central.engine, station_one.local_engine) == {}


def test_bench_sync_prints_the_four_figures_with_ratios(tmp_path: Path) -> None:
    env = dict(os.environ, PACKBENCH_HOME=str(tmp_path / "home"))
    env.pop("PACKBENCH_BENCH_CENTRAL_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "app", "bench", "sync", "-n", "3000"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["bench"] for line in lines] == [
        "sync-initial",
        "sync-incremental",
        "sync-push",
        "sync-initial-warehouse",
    ]
    initial, incremental, pushed, one_warehouse = lines
    assert initial["central"] == "sqlite"
    assert {"rows", "seconds", "baseline_seconds", "ratio"} <= set(initial)
    assert initial["rows"] > 3000 * 4
    assert incremental["orders"] == 1000 and incremental["rows"] == 4000
    assert pushed["commands"] == 1000 and pushed["applied"] == 1000
    # One warehouse of ten: a tenth of the orders, against the floor of exactly its rows.
    assert one_warehouse["warehouses"] == 10 and one_warehouse["orders"] == 300
    assert one_warehouse["orders_in_all"] == 3000 and one_warehouse["ratio"] > 0
    assert one_warehouse["rows"] < initial["rows"] / 4


def test_a_change_flushed_before_commit_still_reaches_the_station(
    central: Central, station_one: Station
) -> None:
    fill_with_demo(central)
    pull_all(central, station_one)
    with station_one.central()() as uow:
        order = uow.session.scalars(select(Order).order_by(Order.id)).first()
        assert order is not None
        order.priority += 1
        uow.session.flush()  # as any query after the change would, by autoflush
        uow.commit()
    pull_all(central, station_one)
    assert differences(central.engine, station_one.local_engine) == {}


def test_a_pull_says_how_far_it_has_got_and_ends_at_what_it_counted(
    central: Central, station_one: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = fill_with_demo(central)

    def fail_on_page(point: str, count: int) -> None:
        if point == "pull-page" and count == 12:  # part-way: the next pull resumes
            raise OSError("power cut")

    said: list[PullProgress] = []
    monkeypatch.setattr(pull_module, "pause_at", fail_on_page)
    with pytest.raises(PullInterrupted):
        pull(central.engine, station_one.local_engine, page_rows=50, progress=said.append)
    monkeypatch.undo()
    first = said[0]
    # The first table with rows to pull: the demo's warehouses (shared by every station).
    assert first.done == 0 and first.table == "warehouses" and first.total > len(dataset.orders)

    said.clear()
    rest = pull(central.engine, station_one.local_engine, page_rows=50, progress=said.append)
    parents = sum(count for name, count in rest.rows.items() if name in FAMILY_NAMES)
    assert said[0].done == 0 and said[0].total == parents  # exact, though it resumed
    assert [p.done for p in said] == sorted(p.done for p in said)
    assert said[-1].done == said[-1].total
    orders = [p for p in said if p.table == "orders"]
    assert orders[-1].table_done == orders[-1].table_total == len(dataset.orders)

    said.clear()
    pull(central.engine, station_one.local_engine, progress=said.append)  # nothing changed
    assert [(p.done, p.total) for p in said] == [(0, 0)]


def _document(number: str, station: str, corrects: str | None = None) -> Invoice:
    """An invoice (or, correcting one, a credit note) of order 100234 with two lines."""
    line = {"sku": "TEA", "name": "Tea", "shipment": "SH-1", "sscc": "1" * 18}
    money = {"unit_price": "5.00", "discount": "0", "tax_rate": "0.20", "net": "5.00"}
    return invoice_from_record(
        {
            "number": number,
            "kind": "credit_note" if corrects else "invoice",
            "order_number": "100234",
            "customer_name": "Jürgen Müller",
            "station": station,
            "issued_at": "2026-12-03T10:00:00+00:00",
            "currency": "EUR",
            "locale": "de_DE",
            "rounding": "line",
            "net": "10.00",
            "tax": "2.00",
            "gross": "12.00",
            "corrects": corrects,
            "document": {"seller": "Packbench"},
            "lines": [
                {**line, **money, "position": p, "line_no": 1, "quantity": 1, "tax": "1.00",
                 "credits": p if corrects else None}
                for p in (1, 2)
            ],
        }
    )  # fmt: skip


def _documents(engine: Any) -> dict[str, tuple[Any, ...]]:
    with engine.connect() as c:
        rows = c.execute(
            select(Invoice.number, Invoice.kind, Invoice.station, Invoice.gross, Invoice.corrects)
        ).all()
        lines = c.execute(
            select(Invoice.number, InvoiceLineRow.position, InvoiceLineRow.credits)
            .join(InvoiceLineRow, InvoiceLineRow.invoice_id == Invoice.id)
            .order_by(Invoice.number, InvoiceLineRow.position)
        ).all()
    return {row.number: (*row, [(p, cr) for n, p, cr in lines if n == row.number]) for row in rows}


def test_invoices_recorded_centrally_are_inserted_once_under_the_stations_own_keys(
    central: Central, station_one: Station
) -> None:
    """Documents of every station arrive with their lines; the station's own one, come back,
    is left as it is; the append-only triggers never fire (nothing is updated or deleted)."""
    own = "INV-ST-01-2026-000001"
    with station_one.local() as uow:
        mine = _document(own, "ST-01")
        mine.command_id = "sent-by-st-01"
        uow.session.add(mine)
        uow.commit()
    with station_one.central()() as uow:  # central keys: ST-02's documents first
        uow.session.add(_document("INV-ST-02-2026-000001", "ST-02"))
        uow.session.add(_document("CN-ST-02-2026-000001", "ST-02", "INV-ST-02-2026-000001"))
        uow.session.add(_document(own, "ST-01"))
        uow.commit()
    result = pull_all(central, station_one, page_rows=1)
    assert result.rows["invoices"] == 3 and result.rows["invoice_lines"] == 6
    assert _documents(station_one.local_engine) == _documents(central.engine)
    with station_one.local_engine.connect() as c:
        assert c.scalar(select(Invoice.command_id).where(Invoice.number == own)) == "sent-by-st-01"
    assert pull_all(central, station_one).total_rows == 0
    with station_one.central()() as uow:
        uow.session.add(_document("CN-ST-01-2026-000001", "ST-01", own))
        uow.commit()
    assert pull_all(central, station_one).rows == {"invoices": 1, "invoice_lines": 2}
    assert _documents(station_one.local_engine) == _documents(central.engine)
