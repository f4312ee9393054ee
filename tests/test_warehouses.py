"""Several warehouses, by the door: ``packbench warehouse add``, ``packbench import`` (the
assignment rule, ``--warehouse``), ``packbench order move`` and ``packbench doctor``, in a
subprocess on a fresh home, into the embedded central store or a fresh PostgreSQL database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.engine import make_url

from app.config import embedded_central_url, load_config
from app.db import migrate
from app.db.models import (
    Allocation,
    AuditEvent,
    Bin,
    Order,
    OrderDeparture,
    OrderLine,
    StockLevel,
    User,
    Warehouse,
)
from app.db.session import create_db_engine, unit_of_work_factory
from app.domain.users import Role
from app.services.auth import hash_secret
from app.sync.clock import stamp_changes, track_changes

PIN = "4711"


@pytest.fixture(
    params=[
        pytest.param("embedded", id="embedded"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def central(
    request: pytest.FixtureRequest, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Engine]:
    if request.param == "embedded":
        engine = create_db_engine(embedded_central_url(load_config().paths))
        yield engine
        engine.dispose()
        return
    server = os.environ.get("PACKBENCH_TEST_CENTRAL_URL")
    if not server:
        pytest.skip("PACKBENCH_TEST_CENTRAL_URL is not set: no PostgreSQL server to test against")
    name = f"pb_wh_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(server).set(database=name)
    engine = create_engine(url)
    migrate.ensure_schema(engine)
    monkeypatch.setenv("PACKBENCH_CENTRAL_URL", url.render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as c:
            c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def packbench(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env},
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def ok(*args: str, **env: str) -> str:
    done = packbench(*args, **env)
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout


def write(path: Path, text: str) -> Path:
    path.write_text(text.strip() + "\n", encoding="utf-8")
    return path


ORDER_HEADER = "order_id,placed_at,currency,ship_name,ship_line1,ship_city,ship_postcode,"
ORDER_HEADER += "ship_country,sku,name,quantity,unit_price"


def order_rows(order_id: str, country: str, *lines: tuple[str, int]) -> str:
    head = f"{order_id},2026-03-02T10:15:00+00:00,GBP,Ann Lee,1 High St,Town,AB1 2CD,{country}"
    return "\n".join(f"{head},{sku},{sku},{n},5.00" for sku, n in lines)


def warehouses_and_stock(tmp_path: Path) -> None:
    """MAN (GB, IE; priority 2), LON (GB), BER (DE, AT); products A, B, C spread so some
    orders ship whole from one warehouse and some only split; bin A-1 in every warehouse."""
    ok(
        "warehouse", "add", "MAN", "--name", "Manchester", "--address",
        "Unit 4 Mill Lane|Manchester M1 1AA", "--country", "GB", "--serves", "GB,IE",
        "--priority", "2",
    )  # fmt: skip
    ok("warehouse", "add", "LON", "--name", "London", "--country", "GB", "--serves", "GB")
    ok(
        "warehouse", "add", "BER", "--name", "Berlin", "--address", "Lagerstr. 1|10115 Berlin",
        "--country", "DE", "--serves", "DE,AT",
    )  # fmt: skip
    head = "sku,name,barcodes,weight_g,price,currency,bin,on_hand"
    for code, rows in {
        "MAN": [
            "A,Apple,5012345678900,100,1.00,GBP,A-1,5",
            "B,Bean,4006381333931,100,1.00,GBP,A-2,5",
        ],
        "LON": ["B,Bean,,100,1.00,GBP,A-1,2"],
        "BER": ["A,Apple,,100,1.00,GBP,A-1,5", "C,Corn,4012345678901,100,1.00,GBP,A-3,5"],
    }.items():  # fmt: skip
        path = write(tmp_path / f"products-{code}.csv", "\n".join([head, *rows]))
        ok("import", "products", str(path), "--warehouse", code)


def orders(engine: Engine) -> dict[str, dict[str, Any]]:
    with engine.connect() as c:
        codes = dict(c.execute(select(Warehouse.id, Warehouse.code)).all())
        found: dict[str, dict[str, Any]] = {}
        for o in c.execute(select(Order)).all():
            lines = c.execute(
                select(OrderLine.sku, OrderLine.quantity_ordered, OrderLine.quantity_allocated)
                .where(OrderLine.order_id == o.id)
                .order_by(OrderLine.line_no)
            ).all()
            held = c.execute(
                select(Bin.warehouse_id)
                .join(Allocation, Allocation.bin_id == Bin.id)
                .join(OrderLine, OrderLine.id == Allocation.order_line_id)
                .where(OrderLine.order_id == o.id)
            ).all()
            found[o.number] = {
                "warehouse": codes[o.warehouse_id],
                "reason": o.warehouse_reason,
                "split_of": o.split_of,
                "status": o.status,
                "lines": [tuple(line) for line in lines],
                "held_in": {codes[w] for (w,) in held},
            }
        return found


def test_orders_go_to_the_warehouse_that_ships_them_whole_or_split_and_a_supervisor_moves_one(
    central: Engine, tmp_path: Path, isolated_home: Path
) -> None:
    warehouses_and_stock(tmp_path)
    listed = [json.loads(line) for line in ok("warehouse", "list", "--json").splitlines()]
    assert [w["code"] for w in listed] == ["BER", "LON", "MAN", "MAIN"] or {
        w["code"] for w in listed
    } == {"BER", "LON", "MAN", "MAIN"}
    # A bin code is unique within its warehouse: A-1 is in all three, with their own stock.
    with central.connect() as c:
        a1 = c.execute(
            select(Warehouse.code, StockLevel.on_hand)
            .join(Bin, Bin.id == StockLevel.bin_id)
            .join(Warehouse, Warehouse.id == Bin.warehouse_id)
            .where(Bin.code == "A-1")
        ).all()
    assert sorted(a1) == [("BER", 5), ("LON", 2), ("MAN", 5)]

    config = load_config().paths.config_file  # its last section is [warehouses]
    config.write_text(config.read_text() + 'ranking = "FR: BER, MAN; *: MAN"\n', encoding="utf-8")
    first = write(
        tmp_path / "orders.csv",
        "\n".join(
            [
                ORDER_HEADER,
                order_rows("1001", "GB", ("A", 1), ("B", 1)),  # whole only from MAN
                order_rows("1002", "DE", ("A", 2)),  # MAN and BER can: BER serves DE
                order_rows("1003", "GB", ("B", 1), ("C", 1)),  # none whole: split MAN + BER
                order_rows("1004", "FR", ("A", 1)),  # nobody serves FR: nearest by ranking
            ]
        ),
    )
    out = ok("import", "csv", str(first), "--json")
    assert json.loads(out)["imported"] == 4
    found = orders(central)
    assert found["1001"]["warehouse"] == "MAN" and "serves GB" in found["1001"]["reason"]
    assert found["1001"]["held_in"] == {"MAN"}
    assert found["1002"]["warehouse"] == "BER" and "serves DE" in found["1002"]["reason"]
    # Allocation never takes stock from another warehouse: BER's own A-1.
    assert found["1002"]["held_in"] == {"BER"} and found["1002"]["lines"] == [("A", 2, 2)]
    assert found["1003"]["warehouse"] == "MAN" and found["1003"]["lines"] == [("B", 1, 1)]
    assert found["1003"]["reason"].startswith("split")
    assert found["1003-B"]["warehouse"] == "BER" and found["1003-B"]["split_of"] == "1003"
    assert found["1003-B"]["lines"] == [("C", 1, 1)] and found["1003-B"]["held_in"] == {"BER"}
    assert found["1004"]["warehouse"] == "BER" and "nearest" in found["1004"]["reason"]

    # Importing the file again changes nothing, the split order included.
    again = json.loads(ok("import", "csv", str(first), "--json"))
    assert again["unchanged"] == 4 and again["imported"] == 0

    # "wait" keeps an order none can ship whole in its preferred warehouse, short.
    config.write_text(config.read_text() + 'when_none_whole = "wait"\n', encoding="utf-8")
    waiting = write(
        tmp_path / "wait.csv",
        "\n".join([ORDER_HEADER, order_rows("1005", "GB", ("B", 1), ("C", 1))]),
    )
    ok("import", "csv", str(waiting))
    found = orders(central)
    assert (
        found["1005"]["warehouse"] == "MAN" and "waits for stock in MAN" in found["1005"]["reason"]
    )
    assert found["1005"]["lines"] == [("B", 1, 1), ("C", 1, 0)] and "1005-B" not in found

    # --warehouse forces one, whatever the rule says.
    forced = write(
        tmp_path / "forced.csv", "\n".join([ORDER_HEADER, order_rows("1006", "DE", ("B", 1))])
    )
    ok("import", "csv", str(forced), "--warehouse", "LON")
    found = orders(central)
    assert found["1006"]["warehouse"] == "LON" and "--warehouse LON" in found["1006"]["reason"]
    bad = packbench("import", "csv", str(forced), "--warehouse", "PARIS")
    assert bad.returncode != 0 and "no warehouse 'PARIS'" in bad.stderr and "BER" in bad.stderr

    # A supervisor moves 1004 from BER to MAN: released there, allocated here, audited.
    uows = unit_of_work_factory(central, before_commit=stamp_changes, on_open=track_changes)
    with uows() as uow:
        for name, role in (("Helen Marsh", Role.SUPERVISOR), ("Tom Pack", Role.PACKER)):
            uow.session.add(User(name=name, role=role, pin_hash=hash_secret(PIN)))
        uow.commit()
    ok("sync", "--once")
    denied = packbench(
        "order", "move", "1004", "--to", "MAN", PACKBENCH_USER="Tom Pack", PACKBENCH_PIN=PIN
    )
    assert denied.returncode == 1 and "may not move an order" in denied.stderr
    moved = ok(
        "order", "move", "1004", "--to", "MAN", PACKBENCH_USER="Helen Marsh", PACKBENCH_PIN=PIN
    )
    assert "moved from BER to MAN" in moved
    found = orders(central)
    assert found["1004"]["warehouse"] == "MAN" and found["1004"]["held_in"] == {"MAN"}
    assert found["1004"]["reason"] == "moved from BER to MAN by Helen Marsh"
    with central.connect() as c:
        stock = dict(
            c.execute(
                select(Warehouse.code, StockLevel.committed)
                .join(Warehouse, Warehouse.id == StockLevel.warehouse_id)
                .join(Bin, Bin.id == StockLevel.bin_id)
                .where(Bin.code == "A-1", StockLevel.committed >= 0)
            ).all()
        )
        departures = c.execute(select(OrderDeparture.order_number)).scalars().all()
        audit = c.execute(
            select(AuditEvent.user_name, AuditEvent.detail).where(
                AuditEvent.action == "order.moved"
            )
        ).all()
    assert stock["BER"] == 2  # 1002's two; 1004's one went back
    assert stock["MAN"] == 2  # 1001's one and 1004's one
    assert departures == ["1004"] and audit == [("Helen Marsh", "BER -> MAN; allocated 1, short 0")]
    again = packbench(
        "order", "move", "1004", "--to", "MAN", PACKBENCH_USER="Helen Marsh", PACKBENCH_PIN=PIN
    )
    assert again.returncode == 1 and "already in MAN" in again.stderr

    # Stock in hand and committed, per warehouse and in total.
    shown = json.loads(ok("stock", "A", "--json"))
    per = {w["warehouse"]: (w["on_hand"], w["committed"]) for w in shown["warehouses"]}
    assert per == {"BER": (5, 2), "LON": (0, 0), "MAIN": (0, 0), "MAN": (5, 2)}
    assert (shown["total"]["on_hand"], shown["total"]["committed"]) == (10, 4)
    assert "total" in ok("stock", "A").splitlines()[-1]
