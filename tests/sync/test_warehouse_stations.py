"""Stations of two warehouses syncing against one PostgreSQL central store, by the door
(``packbench`` in subprocesses on fresh homes): each holds exactly its warehouse's rows
(plus the shared products, users and warehouses); an order moved from one warehouse to the
other leaves the first station's bench and arrives at the second's; a scan of another
warehouse's order is refused, naming it.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from app.bootstrap import open_station
from app.config import load_config
from app.db.models import User
from app.db.session import unit_of_work_factory
from app.domain.packing import OrderNotPackable
from app.domain.users import Role
from app.services import packing
from app.services.auth import hash_secret
from app.sync.clock import stamp_changes, track_changes
from tests.invoicing.world import ship
from tests.printing.readback import text_of
from tests.sync.stores import Central, actor, postgres_central
from tests.test_warehouses import ORDER_HEADER, PIN, order_rows, packbench, warehouses_and_stock

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(central_url: str) -> Central:  # type: ignore[misc]
    with postgres_central(central_url) as store:
        yield store


def home(tmp_path: Path, name: str, warehouse: str, central: Central) -> dict[str, str]:
    return {
        "PACKBENCH_HOME": str(tmp_path / name),
        "PACKBENCH_CENTRAL_URL": central.url,
        "PACKBENCH_STATION": name,
        "PACKBENCH_WAREHOUSE": warehouse,
    }


def ok(env: dict[str, str], *args: str) -> str:
    done = packbench(*args, **env)
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout


def held(env: dict[str, str], query: str) -> list[tuple[object, ...]]:
    db = sqlite3.connect(Path(env["PACKBENCH_HOME"]) / "data" / "station.sqlite3")
    try:
        return sorted(db.execute(query).fetchall(), key=repr)
    finally:
        db.close()


def central_rows(pg: Central, query: str) -> list[tuple[object, ...]]:
    with pg.engine.connect() as c:
        return sorted((tuple(r) for r in c.exec_driver_sql(query)), key=repr)


def test_two_warehouses_stations_each_hold_exactly_their_rows_and_a_move_follows(
    pg: Central, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    man, ber = home(tmp_path, "ST-MAN", "MAN", pg), home(tmp_path, "ST-BER", "BER", pg)
    monkeypatch.setenv("PACKBENCH_CENTRAL_URL", pg.url)  # the set-up below runs as an office
    warehouses_and_stock(tmp_path)
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "\n".join(
            [
                ORDER_HEADER,
                order_rows("2001", "GB", ("A", 1), ("B", 1)),  # MAN
                order_rows("2002", "DE", ("A", 1)),  # BER
                order_rows("2003", "GB", ("B", 1), ("C", 1)),  # split: MAN + BER (2003-B)
                order_rows("2004", "GB", ("A", 1)),  # MAN, moved to BER below
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    packbench("import", "csv", str(orders))
    uows = unit_of_work_factory(pg.engine, before_commit=stamp_changes, on_open=track_changes)
    with uows() as uow:
        uow.session.add(User(name="Helen Marsh", role=Role.SUPERVISOR, pin_hash=hash_secret(PIN)))
        uow.commit()

    for env in (man, ber):
        ok(env, "sync", "--once")
        doctor = packbench("doctor", **env).stdout.splitlines()
        assert f"warehouse {env['PACKBENCH_WAREHOUSE']}" in doctor[0]

    for env, code in ((man, "MAN"), (ber, "BER")):
        for table in ("orders", "bins", "stock_levels"):
            key = "product_id, bin_id" if table == "stock_levels" else "id"
            prefixed = ", ".join(f"t.{k.strip()}" for k in key.split(","))
            wanted = central_rows(
                pg,
                f"SELECT {prefixed} FROM {table} t JOIN warehouses w ON w.id = t.warehouse_id "
                f"WHERE w.code = '{code}'",
            )
            assert held(env, f"SELECT {key} FROM {table}") == wanted, (code, table)
        # Customers and addresses: exactly those its orders name.
        named = central_rows(
            pg,
            "SELECT ship_to_id FROM orders o JOIN warehouses w ON w.id = o.warehouse_id "
            f"WHERE w.code = '{code}'",
        )
        assert held(env, "SELECT id FROM addresses") == named
        # Shared by design: every product, user and warehouse.
        for table in ("products", "users", "warehouses"):
            assert held(env, f"SELECT id FROM {table}") == central_rows(
                pg, f"SELECT id FROM {table}"
            )
    assert [n for (n,) in held(man, "SELECT number FROM orders")] == ["2001", "2003", "2004"]
    assert [n for (n,) in held(ber, "SELECT number FROM orders")] == ["2002", "2003-B"]

    # A supervisor moves 2004 to BER (from the Berlin station): Manchester learns it left.
    ok({**ber, "PACKBENCH_USER": "Helen Marsh", "PACKBENCH_PIN": PIN}, "order", "move", "2004",
       "--to", "BER")  # fmt: skip
    for env in (man, ber):
        ok(env, "sync", "--once")
    assert [n for (n,) in held(ber, "SELECT number FROM orders")] == ["2002", "2003-B", "2004"]
    left = held(
        man,
        "SELECT w.code, (SELECT count(*) FROM allocations a JOIN order_lines l "
        "ON l.id = a.order_line_id WHERE l.order_id = o.id) FROM orders o "
        "JOIN warehouses w ON w.id = o.warehouse_id WHERE o.number = '2004'",
    )
    assert left == [("BER", 0)]
    # Its customer and address came with it to Berlin; MAN's stock row for A was given back.
    assert held(ber, "SELECT count(*) FROM addresses a JOIN orders o ON o.ship_to_id = a.id "
                "WHERE o.number = '2004'") == [(1,)]  # fmt: skip
    assert held(
        man,
        "SELECT committed FROM stock_levels s JOIN bins b ON b.id = s.bin_id WHERE b.code = 'A-1'",
    ) == [(1,)]  # fmt: skip  (2001's one)

    # The Manchester bench refuses 2004 now, saying where it belongs.
    monkeypatch.setenv("PACKBENCH_HOME", man["PACKBENCH_HOME"])
    monkeypatch.setenv("PACKBENCH_STATION", "ST-MAN")
    monkeypatch.setenv("PACKBENCH_WAREHOUSE", "MAN")
    station = open_station(load_config())
    try:
        with pytest.raises(OrderNotPackable) as refused:
            packing.open_order(station, actor(station), "2004", claim=False)
        assert "belongs to warehouse BER (Berlin)" in refused.value.message
    finally:
        station.close()

    # Berlin ships 2002: its label, slip and invoice send from Berlin's address.
    monkeypatch.setenv("PACKBENCH_HOME", ber["PACKBENCH_HOME"])
    monkeypatch.setenv("PACKBENCH_STATION", "ST-BER")
    monkeypatch.setenv("PACKBENCH_WAREHOUSE", "BER")
    station = open_station(load_config())
    try:
        shipment = ship(station, "2002", {1: 1})
    finally:
        station.close()
    signed = {**ber, "PACKBENCH_USER": "Helen Marsh", "PACKBENCH_PIN": PIN}
    ok(ber, "print", "label", shipment, "--pdf", str(tmp_path / "label.pdf"))
    ok(ber, "print", "slip", shipment, "--pdf", str(tmp_path / "slip.pdf"))
    number = json.loads(ok(signed, "invoice", "2002", "--json"))["number"]
    ok(signed, "print", "invoice", number, "--pdf", str(tmp_path / "invoice.pdf"))
    for name in ("label", "slip", "invoice"):
        text = " ".join(text_of((tmp_path / f"{name}.pdf").read_bytes(), tmp_path).split())
        assert "Lagerstr. 1" in text and "10115 Berlin" in text, (name, text)
        assert "Manchester" not in text, name
