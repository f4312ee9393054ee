"""``packbench connector run`` as it is run beside the central store: the real command in a
subprocess on a fresh home and a fresh PostgreSQL database, against WooCommerce and Shopify
answering on 127.0.0.1 (tests/connector/stores.py).

- orders are pulled page by page through the one order writer (same identity, same
  re-import rules: a change is an update, a cancellation a void), through a 500, a 429 and a
  renewed token, and a second run takes nothing twice;
- a shipment recorded centrally (a station's ``shipment.record``) reaches the store once:
  WooCommerce gets a note with the tracking and "completed", Shopify a fulfillment with the
  tracking number and company, and sending it again finds it done;
- the secrets come from the environment and an owner-only file, and appear in no output or
  log; a secret file others may read is refused with what to do.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, update

from app.db.models import ChannelAccount, ChannelEvent, Order
from app.domain.status import OrderStatus
from app.domain.users import Role
from app.services import returns
from app.services.orders import change_status
from app.sync.engine import sync_once
from tests.connector.conftest import connector_once, packbench, write_config
from tests.connector.stores import ShopifyStore, WooStore, ago, serving
from tests.invoicing.world import ship
from tests.sync.stores import actor, open_test_station

WOO_SECRET = "ck_5up3r:cs_s3cr3t"
SHOP_SECRET = "shpat_t0k3n_first"
CATALOGUE = (
    "sku,name,barcodes,units_per_barcode,weight_g,price,currency,bin,on_hand\n"
    "WOO-1,Woo first,,,100,5.00,USD,A-01-01,100\n"
    "WOO-2,Woo second,,,100,5.00,USD,A-01-02,100\n"
    "SHOP-1,Shop first,,,100,5.00,USD,A-02-01,100\n"
    "SHOP-2,Shop second,,,100,5.00,USD,A-02-02,100\n"
    "SHOP-3,Shop third,,,100,5.00,USD,A-02-03,100\n"
)


def _config(home: Path, woo: str, shop: str, secret_file: Path) -> None:
    write_config(
        home,
        f"""
[review]
# The samples' one customer would have every order held as a first, and Shopify's sample
# line has an engraving (held as personalised): these tests ship them.
first_order_over = 0
personalised = false

[channels.woo-main]
kind = "woocommerce"
url = "{woo}"
secret_env = "PB_TEST_WOO_SECRET"
page_size = 2

[channels.shopify-eu]
kind = "shopify"
url = "{shop}"
secret_file = "{secret_file}"
api_version = "2024-07"
page_size = 2
""",
    )


def _orders(engine: Engine, channel: str) -> dict[str, tuple[str, OrderStatus]]:
    with engine.connect() as c:
        rows = c.execute(
            select(Order.external_id, Order.number, Order.status).where(Order.channel == channel)
        ).all()
    return {r.external_id: (r.number, OrderStatus(r.status)) for r in rows}


def _counts(account: dict[str, Any]) -> dict[str, int]:
    return {k: account[k] for k in counts()}


def counts(**kw: int) -> dict[str, int]:
    keys = ("pages", "imported", "updated", "unchanged", "held", "rejected", "sent", "failed")
    return {k: kw.get(k, 0) for k in keys}


def test_orders_are_pulled_once_and_shipments_go_back_once(
    central: Engine, isolated_home: Path, tmp_path: Path
) -> None:
    secret_file = tmp_path / "shopify.secret"
    secret_file.write_text(SHOP_SECRET + "\n")
    secret_file.chmod(0o600)
    env = {"PB_TEST_WOO_SECRET": WOO_SECRET}
    with (
        serving(WooStore(WOO_SECRET)) as woo,
        serving(ShopifyStore(SHOP_SECRET)) as shop,
    ):
        assert isinstance(woo, WooStore) and isinstance(shop, ShopifyStore)
        for n in range(1, 6):
            woo.add(n, created=ago(3600 - n))
        for n in range(1, 4):
            shop.add(n, updated=ago(3600 - n))
        _config(isolated_home, woo.url, shop.url, secret_file)
        catalogue = tmp_path / "catalogue.csv"
        catalogue.write_text(CATALOGUE)
        assert packbench("import", "products", str(catalogue)).returncode == 0
        # The stores misbehave as they do: a 500, a 429 with Retry-After, a token renewed.
        woo.faults += [
            ("/wp-json/wc/v3/orders", 500, {}),
            ("/wp-json/wc/v3/orders", 429, {"Retry-After": "1"}),
        ]
        shop.faults.append(("/admin/api/2024-07/orders.json", 429, {"Retry-After": "1.0"}))
        shop.secret = "shpat_t0k3n_renewed"
        secret_file.write_text("shpat_t0k3n_renewed\n")

        code, accounts, stderr = connector_once(env)

        assert code == 0, (accounts, stderr)
        assert _counts(accounts["woo-main"]) == counts(pages=3, imported=5)
        assert _counts(accounts["shopify-eu"]) == counts(pages=2, imported=3)
        woo_orders = _orders(central, "woocommerce")
        assert sorted(woo_orders) == ["1001", "1002", "1003", "1004", "1005"]
        assert all(status is OrderStatus.ALLOCATED for _, status in woo_orders.values())
        assert sorted(_orders(central, "shopify")) == ["5001", "5002", "5003"]
        with central.connect() as c:
            rows = c.execute(select(ChannelAccount.name, ChannelAccount.cursor)).all()
        cursors = dict(rows)
        assert set(cursors["woo-main"]) == {"since"} and set(cursors["shopify-eu"]) == {"since"}

        # Nothing changed in the stores: nothing is taken twice.
        code, accounts, _ = connector_once(env)
        assert code == 0
        assert accounts["woo-main"]["imported"] + accounts["woo-main"]["updated"] == 0
        assert accounts["shopify-eu"]["imported"] + accounts["shopify-eu"]["updated"] == 0

        # Cancelled in WooCommerce: the next pull voids it, as a re-import would. Completed
        # in the storefront before anything was picked here: held, saying so.
        woo.touch(1003, status="cancelled")
        woo.touch(1004, status="completed")
        code, accounts, _ = connector_once(env)
        assert code == 0
        assert (accounts["woo-main"]["updated"], accounts["woo-main"]["held"]) == (1, 1)
        assert _orders(central, "woocommerce")["1003"][1] is OrderStatus.VOID
        assert _orders(central, "woocommerce")["1004"][1] is OrderStatus.ON_HOLD
        with central.connect() as c:
            reasons = c.execute(
                select(Order.hold_reasons).where(Order.external_id == "1004")
            ).scalar_one()
        assert reasons == [
            "Marked completed in WooCommerce before it was packed here: check whether it was "
            "sent from elsewhere, then void it"
        ]

        # A station ships Woo 1001 whole and Shopify 5001 in part; its sync records them.
        station = open_test_station(
            isolated_home.parent / "bench", central.url.render_as_string(hide_password=False)
        )
        try:
            assert sync_once(station).error is None
            woo_number = woo_orders["1001"][0]
            shop_number = _orders(central, "shopify")["5001"][0]
            ship(station, woo_number, {1: 2, 2: 1})
            ship(station, shop_number, {1: 1, 3: 1})
            # A supervisor voids Woo 1002 (the customer rang): the store is told too.
            boss = actor(station, Role.SUPERVISOR)
            change_status(station.local, boss, woo_orders["1002"][0], OrderStatus.VOID, "rang")
            # ...and marks Woo 1001, shipped, fulfilled by hand: the store completes it too.
            change_status(station.local, boss, woo_number, OrderStatus.FULFILLED)
            report = sync_once(station)
            assert report.error is None
        finally:
            station.close()
        with central.connect() as c:
            events = c.execute(
                select(ChannelEvent.account, ChannelEvent.kind, ChannelEvent.state)
            ).all()
        assert sorted(events) == [
            ("shopify-eu", "shipment", "pending"),
            ("woo-main", "complete", "pending"),
            ("woo-main", "shipment", "pending"),
            ("woo-main", "void", "pending"),
        ]

        code, accounts, _ = connector_once(env)
        assert code == 0, accounts
        assert accounts["woo-main"]["sent"] == 3 and accounts["shopify-eu"]["sent"] == 1
        assert woo.orders[1001]["status"] == "completed"
        assert woo.orders[1002]["status"] == "cancelled"
        [note] = woo.notes[1001]
        assert note["customer_note"] is True and "tracking" in note["note"]
        [made] = shop.fulfillments[5001]
        assert made["tracking_number"] and len(made["tracking_number"]) == 18  # the SSCC
        assert sorted(i["sku"] for i in made["line_items"]) == ["SHOP-1", "SHOP-3"]

        # A unit of Woo 1001 comes back: the returns desk's refund is recorded in the store.
        station = open_test_station(
            isolated_home.parent / "bench", central.url.render_as_string(hide_password=False)
        )
        try:
            assert sync_once(station).error is None
            clerk = actor(station, Role.SUPERVISOR)
            ra = returns.open_return(station, clerk, woo_orders["1001"][0]).number
            returns.receive(station, clerk, ra, "WOO-2")
            returns.confirm(station, clerk, ra)
            assert sync_once(station).error is None
        finally:
            station.close()
        code, accounts, _ = connector_once(env)
        assert code == 0, accounts
        assert accounts["woo-main"]["sent"] == 1
        [refund] = woo.refunds[1001]
        assert ra in refund["reason"] and refund["refunded_payment"] is False
        assert [(i["id"], i["quantity"]) for i in refund["line_items"]] == [(10011, -1)]
        assert float(refund["amount"]) > 0

        # Killed after the store took it and before it was marked sent: sent again, found done.
        with central.begin() as c:
            c.execute(update(ChannelEvent).values(state="pending", sent_at=None))
        code, accounts, _ = connector_once(env)
        assert code == 0
        assert accounts["woo-main"]["sent"] == 4 and accounts["shopify-eu"]["sent"] == 1
        assert len(woo.notes[1001]) == 1 and len(shop.fulfillments[5001]) == 1
        assert len(woo.refunds[1001]) == 1

        # The secrets were never written anywhere a person reads.
        logs = "".join(p.read_text(errors="replace") for p in isolated_home.rglob("*.log*"))
        for secret in (WOO_SECRET, "cs_s3cr3t", "shpat_t0k3n_first", "shpat_t0k3n_renewed"):
            assert secret not in logs and secret not in stderr
            assert secret not in json.dumps(accounts)


def test_a_secret_file_others_may_read_is_refused_with_what_to_do(
    central: Engine, isolated_home: Path, tmp_path: Path
) -> None:
    secret_file = tmp_path / "shopify.secret"
    secret_file.write_text(SHOP_SECRET)
    secret_file.chmod(0o644)
    with serving(WooStore(WOO_SECRET)) as woo, serving(ShopifyStore(SHOP_SECRET)) as shop:
        _config(isolated_home, woo.url, shop.url, secret_file)
        code, accounts, _ = connector_once({"PB_TEST_WOO_SECRET": "ck_wrong:cs_wrong"})
    assert code == 1
    assert "chmod 600" in accounts["shopify-eu"]["error"]
    assert "HTTP 401" in accounts["woo-main"]["error"]
    assert "key or token" in accounts["woo-main"]["error"]
    assert "ck_wrong" not in json.dumps(accounts)


def test_no_account_configured_says_how_to_add_one(isolated_home: Path) -> None:
    done = packbench("connector", "run", "--once")
    assert done.returncode == 2
    assert "[channels.NAME]" in done.stderr and "Traceback" not in done.stderr
