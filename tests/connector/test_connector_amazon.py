"""Amazon (Selling Partner API, Orders v0) through the user's doors, on a fresh home and a
fresh PostgreSQL database: ``packbench import amazon FILE`` with the model's sample orders,
and ``packbench connector run --once`` against a local server answering in the sandbox
examples' shapes: orders paged by NextToken (and a 429 waited out), each order's items paged
by their own NextToken, and a Fulfilment-by-Amazon order imported as fulfilled elsewhere,
never to be picked here."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, select

from app.db.models import Order, OrderLine
from app.domain.status import OrderStatus
from tests.connector.conftest import connector_once, packbench, write_config
from tests.connector.stores import ORDERS, AmazonStore, _gmt, ago, serving

TOKEN = "Atza|IwEBI-test"


def _orders(engine: Engine) -> dict[str, tuple[OrderStatus, str | None, int]]:
    with engine.connect() as c:
        rows = c.execute(
            select(Order.id, Order.external_id, Order.status, Order.fulfilled_elsewhere).where(
                Order.channel == "amazon"
            )
        ).all()
        units = {
            r.id: sum(
                c.execute(
                    select(OrderLine.quantity_ordered).where(OrderLine.order_id == r.id)
                ).scalars()
            )
            for r in rows
        }
    return {
        r.external_id: (OrderStatus(r.status), r.fulfilled_elsewhere, units[r.id]) for r in rows
    }


def test_amazon_file_and_pull_with_fba_fulfilled_elsewhere(
    central: Engine, isolated_home: Path, tmp_path: Path
) -> None:
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text(
        "sku,name,barcodes,units_per_barcode,weight_g,price,currency,bin,on_hand\n"
        "NABetaASINB00551Q3CS,Card book,,,100,10.00,USD,A-04-01,100\n"
        "AZ-1,Amazon first,,,100,10.00,USD,A-04-02,100\n"
        "AZ-2,Amazon second,,,100,10.00,USD,A-04-03,100\n"
        "AZ-3,Amazon third,,,100,10.00,USD,A-04-04,100\n"
    )
    write_config(isolated_home, "[review]\nfirst_order_over = 0\n")
    assert packbench("import", "products", str(catalogue)).returncode == 0

    # The file: getOrders' sample answer with getOrderItems' sample items inlined.
    listed = json.loads((ORDERS / "amazon_sp_get_orders.json").read_text())
    items = json.loads((ORDERS / "amazon_sp_get_order_items.json").read_text())
    first, _no_items = listed["payload"]["Orders"]
    first["OrderItems"] = items["payload"]["OrderItems"]
    # The second sample order comes without items: rejected alone, naming the field.
    path = tmp_path / "amazon.json"
    path.write_text(json.dumps(listed))
    done = packbench("import", "amazon", str(path), "--json")
    assert "Traceback" not in done.stderr, done.stderr
    summary = json.loads(done.stdout)
    assert done.returncode == 1, (done.stdout, done.stderr)
    # The sample has no ShippingAddress (Amazon gives it only with a Restricted Data Token):
    # imported, and held for a person by the review rules, as any order without an address.
    assert (summary["held"], summary["rejected"]) == (1, 1), summary
    assert summary["errors"][0]["field"] == "OrderItems"
    assert "902-8745147-1934268" in summary["errors"][0]["where"]
    with central.connect() as c:
        order = c.execute(select(Order).where(Order.external_id == "902-1845936-5435065")).one()
        line = c.execute(select(OrderLine).where(OrderLine.order_id == order.id)).one()
    assert order.currency == "USD" and order.status == OrderStatus.ON_HOLD
    assert any("address" in reason for reason in order.hold_reasons), order.hold_reasons
    assert order.service == "Std US D2D Dom"
    # ItemPrice 10.00 for one, ItemTax 1.01: US prices are before tax.
    assert (line.unit_price, line.tax_rate) == (Decimal(10), Decimal("0.101"))

    env = {"PB_TEST_AZ_TOKEN": TOKEN}
    write_config(
        isolated_home,
        '[channels.amazon-us]\nkind = "amazon"\nurl = "https://sellingpartnerapi-na.amazon.com"\n'
        'secret_env = "PB_TEST_AZ_TOKEN"\n',
    )
    done = packbench("connector", "run", "--once", env=env)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "[channels.amazon-us] needs marketplace_ids" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr

    with serving(AmazonStore(TOKEN)) as served:
        assert isinstance(served, AmazonStore)
        az = served
        az.add(1, updated=ago(300), items=3)  # its items come two a page
        az.add(2, updated=ago(200))
        az.add(3, updated=ago(100), fba=True, items=2)
        az.add(4, updated=ago(50), status="Canceled")
        write_config(
            isolated_home,
            f"""
[review]
first_order_over = 0

[channels.amazon-us]
kind = "amazon"
url = "{az.url}"
secret_env = "PB_TEST_AZ_TOKEN"
marketplace_ids = "ATVPDKIKX0DER"
page_size = 2
""",
        )
        az.faults.append(("/orders/v0/orders", 429, {"Retry-After": "1"}))

        code, accounts, stderr = connector_once(env)

        assert code == 0, (accounts, stderr)
        account = accounts["amazon-us"]
        assert (account["pages"], account["imported"], account["rejected"]) == (2, 4, 0), account
        pulled = _orders(central)
        assert pulled["902-0000000-0000001"] == (OrderStatus.ALLOCATED, None, 3)
        assert pulled["902-0000000-0000002"] == (OrderStatus.ALLOCATED, None, 1)
        assert pulled["902-0000000-0000003"] == (
            OrderStatus.FULFILLED,
            "fulfilled by Amazon (FBA) in Amazon",
            2,
        )
        assert pulled["902-0000000-0000004"][0] is OrderStatus.VOID
        tokens = [p for m, p in az.requests if "NextToken=" in p]
        assert any(p.startswith("/orders/v0/orders?") for p in tokens), az.requests
        assert any("/orderItems?" in p for p in tokens), az.requests

        # The next pass reads only what changed since this one began: one order touched
        # in Amazon without a change we keep is "unchanged".
        az.by_id["902-0000000-0000002"]["LastUpdateDate"] = _gmt(ago(0)) + "Z"
        code, accounts, _ = connector_once(env)
        assert code == 0 and accounts["amazon-us"]["imported"] == 0, accounts
        assert accounts["amazon-us"]["unchanged"] == 1, accounts
        # A wrong (expired) token is the account's error, shown plainly, the token never.
        code, accounts, _ = connector_once({"PB_TEST_AZ_TOKEN": "expired"})
        assert code == 1 and "403" in accounts["amazon-us"]["error"], accounts
        assert TOKEN not in json.dumps(accounts)
