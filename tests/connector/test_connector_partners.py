"""Dropship and 3PL partners through the user's door: ``packbench connector run --once`` in a
subprocess on a fresh home and a fresh PostgreSQL database, against a real SFTP server on
127.0.0.1 (paramiko's server side, its own host key). The partner's orders go out once in
its columns; the partner answers late (no tracking file on the first run); a malformed
tracking file is rejected whole, named with its line, and moved to the error folder with a
note; the same tracking file seen twice is applied once; the store is told."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sqlalchemy import Engine, insert, select

from app.db.models import AuditEvent, ChannelEvent, ChannelOrder, Order, OrderLine, PartnerOrder
from app.domain.status import OrderStatus
from tests.connector.conftest import connector_once, packbench, write_config
from tests.connector.sftp_server import PASSWORD, USER, sftp_server

HEADER = "order_id,placed_at,currency,ship_name,ship_line1,ship_city,ship_postcode,"
HEADER += "ship_country,sku,name,quantity,unit_price"


def _row(order: str, sku: str, units: int) -> str:
    return (
        f"{order},2026-03-02T10:15:00+00:00,GBP,Ann Lee,1 High St,Town,AB1 2CD,GB,"
        f"{sku},{sku} name,{units},5.00"
    )


def _orders(engine: Engine) -> dict[str, tuple[OrderStatus, str | None, int]]:
    with engine.connect() as c:
        rows = c.execute(
            select(
                Order.id, Order.number, Order.external_id, Order.status, Order.fulfilled_elsewhere
            )
        ).all()
        allocated = {
            r.id: sum(
                c.execute(
                    select(OrderLine.quantity_allocated).where(OrderLine.order_id == r.id)
                ).scalars()
            )
            for r in rows
        }
    return {
        r.external_id: (OrderStatus(r.status), r.fulfilled_elsewhere, allocated[r.id]) for r in rows
    }


def test_partner_orders_out_once_tracking_back_late_malformed_and_twice(
    central: Engine, isolated_home: Path, tmp_path: Path
) -> None:
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text(
        "sku,name,barcodes,units_per_barcode,weight_g,price,currency,bin,on_hand\n"
        "DS-1,Dropship one,,,100,5.00,GBP,A-01-01,10\n"  # some here: allocated, then given back
        "DS-2,Dropship two,,,100,5.00,GBP,A-01-02,0\n"
        "OWN-1,Our own,,,100,5.00,GBP,A-01-03,10\n"
    )
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "\n".join(
            [
                HEADER,
                _row("1001", "DS-1", 2),
                _row("1002", "OWN-1", 1),
                _row("1003", "DS-1", 1),
                _row("1003", "DS-2", 1),
            ]
        )
        + "\n"
    )
    root = tmp_path / "sftp"
    for folder in ("out", "in", "in/done", "in/error"):
        (root / folder).mkdir(parents=True)
    env = {"PACKBENCH_ACME_SFTP": PASSWORD}
    with sftp_server(root) as server:
        write_config(
            isolated_home,
            "[review]\nfirst_order_over = 0\n\n"
            "[partners.acme]\n"
            'kind = "dropship"\n'
            'host = "127.0.0.1"\n'
            f"port = {server.port}\n"
            f'user = "{USER}"\n'
            'secret_env = "PACKBENCH_ACME_SFTP"\n'
            f'host_key = "{server.host_key_line}"\n'
            'folder_out = "out"\nfolder_in = "in"\n'
            'folder_done = "in/done"\nfolder_error = "in/error"\n'
            'skus = ["DS-1", "DS-2"]\n'
            'delimiter = ";"\n'
            "[partners.acme.columns]\n"
            'order = "PO Number"\nsku = "Item"\nquantity = "Qty"\nship_name = "Ship To"\n'
            "[partners.acme.tracking_columns]\n"
            'order = "PO Number"\ntracking = "Tracking #"\ncarrier = "Carrier"\n'
            'shipped = "Ship Date"\nsku = "Item"\nquantity = "Qty"\n',
        )
        assert packbench("import", "products", str(catalogue)).returncode == 0
        done = packbench("import", "csv", str(orders), "--json")
        assert done.returncode == 0, (done.stdout, done.stderr)
        before = _orders(central)
        assert before["1001"][0] is OrderStatus.ALLOCATED and before["1001"][2] == 2, before
        # 1001 came from a store account by the connector: its news goes back to the store.
        with central.begin() as c:
            c.execute(
                insert(ChannelOrder).values(channel="csv", external_id="1001", account="woo-uk")
            )

        # Run 1: the orders go out; the partner has not answered yet.
        code, _accounts, stderr = connector_once(env)
        assert code == 0, stderr
        sent_files = sorted((root / "out").iterdir())
        assert len(sent_files) == 1 and sent_files[0].suffix == ".csv", sent_files
        table = list(csv.DictReader(io.StringIO(sent_files[0].read_text()), delimiter=";"))
        assert table[0].keys() >= {"PO Number", "Item", "Qty", "Ship To", "ship_city"}
        assert [(r["PO Number"][-4:], r["Item"], r["Qty"]) for r in table] == [
            ("1001", "DS-1", "2"),
            ("1003", "DS-1", "1"),
            ("1003", "DS-2", "1"),
        ] or {r["Item"] for r in table} == {"DS-1", "DS-2"}
        assert len(table) == 3 and "OWN-1" not in {r["Item"] for r in table}
        after = _orders(central)
        # Not picked here: stock given back, fulfilled by the partner, ours untouched.
        assert after["1001"] == (OrderStatus.FINALIZED, "fulfilled by acme", 0), after
        assert after["1003"][1] == "fulfilled by acme"
        assert after["1002"][0] is OrderStatus.ALLOCATED and after["1002"][1] is None
        numbers = {r["PO Number"] for r in table}

        # The partner answers late: its files appear before run 2. The good one twice (a
        # re-upload under another name), and a malformed one whose second row is bad.
        n1001 = next(n for n in numbers if n.endswith("1001"))
        n1003 = next(n for n in numbers if n.endswith("1003"))
        good = (
            "PO Number,Tracking #,Carrier,Ship Date,Item,Qty\n"
            f"{n1001},1Z999AA10123456784,UPS,2026-12-02,DS-1,2\n"
        )
        (root / "in" / "a-tracking.csv").write_text(good)
        (root / "in" / "b-tracking-again.csv").write_text(good)
        (root / "in" / "c-bad.csv").write_text(
            "PO Number,Tracking #,Carrier,Ship Date,Item,Qty\n"
            f"{n1003},JD0002,DHL,2026-12-02,DS-1,1\n"
            f"{n1003},JD0002,DHL,02/12/2026,DS-2,1\n"
        )
        # The partner's delimiter for tracking is the same as for orders: use it.
        for path in (root / "in").glob("*.csv"):
            path.write_text(path.read_text().replace(",", ";"))

        second = packbench("connector", "run", "--once", "--json", env=env)
        crashes = list((isolated_home / "logs").glob("crash-*.txt"))
        assert not crashes, crashes[0].read_text()[-3000:]
        code, stderr = second.returncode, second.stderr
        partners = json.loads(second.stdout.splitlines()[-1])["partners"]
        assert partners[0]["files_applied"] == 1 and partners[0]["files_seen_before"] == 1
        assert (
            partners[0]["rejected_files"] and "c-bad.csv line 3" in partners[0]["rejected_files"][0]
        )
        assert code == 1, stderr  # a rejected file is something for a person to look at

    assert len(list((root / "out").iterdir())) == 1  # sent once, not again on later runs
    with central.connect() as c:
        sent = c.execute(select(PartnerOrder.order_number, PartnerOrder.partner)).all()
        events = c.execute(
            select(ChannelEvent.account, ChannelEvent.kind, ChannelEvent.payload)
        ).all()
        audit = c.execute(
            select(AuditEvent.action, AuditEvent.subject).where(AuditEvent.action.like("partner.%"))
        ).all()
    assert sorted(a for a, _ in sent) == sorted(numbers) and {p for _, p in sent} == {"acme"}
    final = _orders(central)
    assert final["1001"][0] is OrderStatus.FULFILLED
    assert "1Z999AA10123456784" in (final["1001"][1] or "")
    # Nothing half-applied: 1003's good first row did not ship it.
    assert final["1003"][0] is OrderStatus.FINALIZED and final["1003"][1] == "fulfilled by acme"
    # Applied once although seen twice: one shipment news for the store, one audit entry.
    assert len(events) == 1, events
    account, kind, payload = events[0]
    assert (account, kind) == ("woo-uk", "shipment")
    assert payload["tracking"] == ["1Z999AA10123456784"] and payload["carrier"] == "UPS"
    assert payload["complete"] is True and payload["lines"][0]["quantity"] == 2
    assert sorted(audit).count(("partner.shipped", f"order:{n1001}")) == 1
    # The files: the good ones in done, the bad one in error with a note naming the line.
    done_names = sorted(p.name for p in (root / "in" / "done").iterdir())
    assert len(done_names) == 2 and all("tracking" in n for n in done_names), done_names
    errors = sorted(p.name for p in (root / "in" / "error").iterdir())
    assert len(errors) == 2 and errors[1].endswith("c-bad.csv.error.txt"), errors
    note = (root / "in" / "error" / errors[1]).read_text()
    assert "c-bad.csv line 3" in note and "02/12/2026" in note and "nothing" in note
    assert not list((root / "in").glob("*.csv"))


def test_a_wrong_partner_table_is_named_with_what_to_do(isolated_home: Path) -> None:
    write_config(
        isolated_home,
        '[partners.acme]\nkind = "drop"\nhost = "127.0.0.1"\n\n'
        '[partners.beta]\nkind = "3pl"\nhost = "sftp.example.com"\nuser = "u"\n'
        'secret_env = "X"\nhost_key = "ssh-ed25519 AAAA"\nskus = ["A"]\n'
        '[partners.beta.columns]\nparcel = "Box"\n',
    )
    done = packbench("connector", "run", "--once")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert "[partners.acme] kind = 'drop' must be one of dropship, 3pl" in done.stderr
    assert "[partners.beta] columns: 'parcel' is not a column we know" in done.stderr
