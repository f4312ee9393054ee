"""Transfers between warehouses, by the door: ``packbench transfer create / receive / list /
show`` and ``packbench stock`` in a subprocess on a fresh home, against the embedded central
store and a fresh PostgreSQL database; a transfer killed (SIGKILL) inside its transaction
leaves stock neither doubled nor lost.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from app.db.models import AuditEvent, Bin, StockLevel, Transfer, User, Warehouse
from app.db.session import unit_of_work_factory
from app.domain.users import Role
from app.services.auth import hash_secret
from app.sync.clock import stamp_changes, track_changes
from tests.test_warehouses import PIN, central, ok, packbench, warehouses_and_stock

__all__ = ["central"]

BOSS, PACKER = "Helen Marsh", "Tom Pack"
AS_BOSS = {"PACKBENCH_USER": BOSS, "PACKBENCH_PIN": PIN}


def hire(engine: Engine) -> None:
    uows = unit_of_work_factory(engine, before_commit=stamp_changes, on_open=track_changes)
    with uows() as uow:
        for name, role in ((BOSS, Role.SUPERVISOR), (PACKER, Role.PACKER)):
            uow.session.add(User(name=name, role=role, pin_hash=hash_secret(PIN)))
        uow.commit()


def stock(sku: str) -> dict[str, tuple[int, int, int]]:
    """``packbench stock SKU --json``: (in hand, committed, in transit) per warehouse + total."""
    shown = json.loads(ok("stock", sku, "--json"))
    rows = [*shown["warehouses"], shown["total"]]
    return {w["warehouse"]: (w["on_hand"], w["committed"], w["in_transit"]) for w in rows}


def counted(sku: str) -> int:
    """Every unit once: in some bin of some warehouse, or in transit."""
    total = stock(sku)["all"]
    return total[0] + total[2]


def bins_of(engine: Engine, sku: str) -> dict[tuple[str, str], int]:
    from app.db.models import Product

    with engine.connect() as c:
        return {
            (w, b): n
            for w, b, n in c.execute(
                select(Warehouse.code, Bin.code, StockLevel.on_hand)
                .join(Bin, Bin.id == StockLevel.bin_id)
                .join(Warehouse, Warehouse.id == StockLevel.warehouse_id)
                .join(Product, Product.id == StockLevel.product_id)
                .where(Product.sku == sku)
            )
        }


@pytest.mark.parametrize("central", ["embedded"], indirect=True)
def test_a_supervisor_sends_stock_it_is_in_transit_once_and_is_received_in_part_and_closed(
    central: Engine, tmp_path: Path
) -> None:
    warehouses_and_stock(tmp_path)  # MAN: A 5 in A-1, B 5 in A-2; BER: A 5 in A-1, C 5 in A-3
    hire(central)
    ok("sync", "--once")
    before_a, before_b = counted("A"), counted("B")
    assert (before_a, before_b) == (10, 7)

    denied = packbench(
        "transfer", "create", "--from", "MAN", "--to", "BER", "A:1",
        PACKBENCH_USER=PACKER, PACKBENCH_PIN=PIN,
    )  # fmt: skip
    assert denied.returncode == 1 and "may not transfer stock" in denied.stderr
    too_many = packbench("transfer", "create", "--from", "MAN", "--to", "BER", "A:6", **AS_BOSS)
    assert too_many.returncode == 1 and "MAN has 5 available" in too_many.stderr
    bad = packbench("transfer", "create", "--from", "MAN", "--to", "BER", "A-five", **AS_BOSS)
    assert bad.returncode == 1 and "SKU:QUANTITY" in bad.stderr
    wrong_bin = packbench(
        "transfer", "create", "--from", "MAN", "--to", "BER", "A:1@Z-9", **AS_BOSS
    )
    assert wrong_bin.returncode == 1 and "bin Z-9 of MAN" in wrong_bin.stderr
    same = packbench("transfer", "create", "--from", "MAN", "--to", "man", "A:1", **AS_BOSS)
    assert same.returncode == 1 and "MAN twice" in same.stderr

    made = json.loads(
        ok("transfer", "create", "--from", "MAN", "--to", "BER", "A:3@A-1,B:2", "--json", **AS_BOSS)
    )
    assert made["number"] == "TR-000001" and made["state"] == "in transit"
    assert (made["sent"], made["in_transit"]) == (5, 5)
    # Out of MAN's bins, not yet in BER's: in transit to BER, counted once.
    assert stock("A") == {
        "BER": (5, 0, 3), "LON": (0, 0, 0), "MAIN": (0, 0, 0), "MAN": (2, 0, 0),
        "all": (7, 0, 3),
    }  # fmt: skip
    assert counted("A") == before_a and counted("B") == before_b
    assert "in transit" in ok("stock", "A").splitlines()[1]

    listed = ok("transfer", "list", "--open")
    assert listed.startswith("TR-000001\tMAN -> BER\tin transit\tsent 5\tin transit 5")

    # Part received: one A into BER's A-1 (named), then a B into A-3.
    ok("transfer", "receive", "TR-000001", "A:1@A-1", **AS_BOSS)
    more = packbench("transfer", "receive", "TR-000001", "A:5", **AS_BOSS)
    assert more.returncode == 1 and "only 2 still in transit" in more.stderr
    stray = packbench("transfer", "receive", "TR-000001", "C:1", **AS_BOSS)
    assert stray.returncode == 1 and "C is not on transfer TR-000001" in stray.stderr
    nowhere = packbench("transfer", "receive", "TR-000001", "--bin", "Q-1", **AS_BOSS)
    assert nowhere.returncode == 1 and "no bin 'Q-1'" in nowhere.stderr
    part = json.loads(
        ok("transfer", "receive", "TR-000001", "B:1", "--bin", "A-3", "--json", **AS_BOSS)
    )
    assert part["state"] == "part received" and (part["received"], part["in_transit"]) == (2, 3)
    assert bins_of(central, "B")[("BER", "A-3")] == 1
    assert counted("A") == before_a and counted("B") == before_b

    # The rest of A arrives (into the bin of the code it left from); one B never does.
    ok("transfer", "receive", "TR-000001", "A:2", **AS_BOSS)
    closed = json.loads(ok("transfer", "receive", "TR-000001", "--close", "--json", **AS_BOSS))
    assert closed["state"] == "closed short" and closed["written_off"] == 1
    assert bins_of(central, "A")[("BER", "A-1")] == 8 and counted("A") == before_a
    assert counted("B") == before_b - 1  # written off, reported: not silently lost
    again = packbench("transfer", "receive", "TR-000001", **AS_BOSS)
    assert again.returncode == 1 and "closed short: nothing to receive" in again.stderr

    shown = ok("transfer", "show", "TR-000001")
    assert "closed short" in shown and "written off 1" in shown
    with central.connect() as c:
        audit = c.execute(
            select(AuditEvent.action, AuditEvent.user_name, AuditEvent.detail)
            .where(AuditEvent.subject == "transfer:TR-000001")
            .order_by(AuditEvent.id)
        ).all()
    assert [a for a, _, _ in audit] == [
        "transfer.created",
        "transfer.received",
        "transfer.received",
        "transfer.received",
        "transfer.discrepancy",
    ]
    assert {u for _, u, _ in audit} == {BOSS}
    assert audit[0][2] == "MAN -> BER; 3 x A from A-1; 2 x B from A-2"
    assert audit[-1][2] == "at BER: 1 x B never arrived, written off"

    # Receive whole: a second transfer, all of it at once into the bins of the same codes.
    second = json.loads(
        ok("transfer", "create", "--from", "BER", "--to", "MAN", "C:2", "--json", **AS_BOSS)
    )
    assert second["number"] == "TR-000002"
    nobin = packbench("transfer", "receive", "TR-000002", **AS_BOSS)
    assert nobin.returncode == 1 and "no bin 'A-3'" in nobin.stderr  # MAN has no A-3
    whole = json.loads(ok("transfer", "receive", "tr-000002", "--bin", "A-1", "--json", **AS_BOSS))
    assert whole["state"] == "received" and whole["in_transit"] == 0
    assert stock("C")["MAN"] == (2, 0, 0) and counted("C") == 5


def killed_at(pause: str, *args: str, **env: str) -> None:
    """Run ``packbench`` until it reaches ``pause`` inside its transaction, then SIGKILL it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "app", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, **AS_BOSS, **env, "PACKBENCH_TEST_PAUSE_AT": pause},
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    assert f"paused at {pause}" in line, line + process.stderr.read()
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


@pytest.mark.postgres
@pytest.mark.parametrize("central", ["postgresql"], indirect=True)
def test_a_station_of_each_warehouse_sends_and_receives_and_a_kill_neither_doubles_nor_loses(
    central: Engine, tmp_path: Path
) -> None:
    """A station of MAN sends, a station of BER receives, against one PostgreSQL store; each
    is SIGKILLed once inside its transaction first."""
    warehouses_and_stock(tmp_path)
    hire(central)
    man = {"PACKBENCH_HOME": str(tmp_path / "man"), "PACKBENCH_STATION": "ST-MAN",
           "PACKBENCH_WAREHOUSE": "MAN", **AS_BOSS}  # fmt: skip
    ber = {"PACKBENCH_HOME": str(tmp_path / "ber"), "PACKBENCH_STATION": "ST-BER",
           "PACKBENCH_WAREHOUSE": "BER", **AS_BOSS}  # fmt: skip
    ok("sync", "--once", **man)
    ok("sync", "--once", **ber)
    assert counted("A") == 10

    # Killed inside the create: the stock had left MAN's bins in that transaction, which
    # never committed, so nothing left and no transfer (nor its number) exists.
    killed_at("transfer-create:1", "transfer", "create", "--from", "MAN", "--to", "BER", "A:4",
              **man)  # fmt: skip
    assert stock("A")["MAN"] == (5, 0, 0) and counted("A") == 10
    with central.connect() as c:
        assert c.execute(select(func.count()).select_from(Transfer)).scalar_one() == 0
    made = json.loads(
        ok("transfer", "create", "--from", "MAN", "--to", "BER", "A:4", "--json", **man)
    )
    assert made["number"] == "TR-000001"  # the killed one's number was never used
    assert counted("A") == 10
    elsewhere = packbench("transfer", "receive", "TR-000001", **man)
    assert elsewhere.returncode == 1 and "This station is MAN's" in elsewhere.stderr

    # Killed inside the receive: the units are still in transit, not also in BER's bin.
    killed_at("transfer-receive:1", "transfer", "receive", "TR-000001", **ber)
    assert stock("A")["BER"] == (5, 0, 4) and counted("A") == 10
    done = json.loads(ok("transfer", "receive", "TR-000001", "--json", **ber))
    assert done["state"] == "received"
    assert stock("A")["BER"] == (9, 0, 0) and counted("A") == 10

    # Each station pulls its own warehouse's new stock.
    ok("sync", "--once", **man)
    ok("sync", "--once", **ber)
    for env, want in ((man, 1), (ber, 9)):
        db = sqlite3.connect(Path(env["PACKBENCH_HOME"]) / "data" / "station.sqlite3")
        try:
            (got,) = db.execute(
                "SELECT s.on_hand FROM stock_levels s JOIN bins b ON b.id = s.bin_id "
                "JOIN products p ON p.id = s.product_id WHERE p.sku = 'A' AND b.code = 'A-1'"
            ).fetchone()
        finally:
            db.close()
        assert got == want
