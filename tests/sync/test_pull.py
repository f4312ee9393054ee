"""Pull: the station ends up holding exactly the central rows, page by page, resumably."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

import app.sync.pull as pull_module
from app.bootstrap import Station
from app.db.models import Order, OrderLine, Setting, SyncState
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


def test_bench_sync_prints_the_three_figures_with_ratios(tmp_path: Path) -> None:
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
    assert [line["bench"] for line in lines] == ["sync-initial", "sync-incremental", "sync-push"]
    initial, incremental, pushed = lines
    assert initial["central"] == "sqlite"
    assert {"rows", "seconds", "baseline_seconds", "ratio"} <= set(initial)
    assert initial["rows"] > 3000 * 4
    assert incremental["orders"] == 1000 and incremental["rows"] == 4000
    assert pushed["commands"] == 1000 and pushed["applied"] == 1000


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
    assert first.done == 0 and first.table == "products" and first.total > len(dataset.orders)

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
