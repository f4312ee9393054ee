"""``packbench connector run`` with BigCommerce (V2 orders) and Magento 2 (REST V1): the real
command in a subprocess on a fresh home and PostgreSQL database, the stores on 127.0.0.1
answering in their published samples' shapes. Orders are pulled through short pages and a
429, a shipment goes back once (BigCommerce: a shipment with the tracking number and the
order's products; Magento: ship with tracks, then invoice what shipped), and sending it again
finds it done."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select, update

from app.db.models import ChannelEvent, Order
from app.domain.status import OrderStatus
from app.sync.engine import sync_once
from tests.connector.conftest import connector_once, packbench, write_config
from tests.connector.stores import BigCommerceStore, MagentoStore, ago, serving
from tests.invoicing.world import ship
from tests.sync.stores import open_test_station

BC_TOKEN = "bc_t0k3n"


def _orders(engine: Engine, channel: str) -> dict[str, tuple[str, OrderStatus]]:
    with engine.connect() as c:
        rows = c.execute(
            select(Order.external_id, Order.number, Order.status).where(Order.channel == channel)
        ).all()
    return {r.external_id: (r.number, OrderStatus(r.status)) for r in rows}


def _ship_at_a_station(home: Path, central: Engine, number: str, lines: dict[int, int]) -> None:
    station = open_test_station(home, central.url.render_as_string(hide_password=False))
    try:
        assert sync_once(station).error is None
        ship(station, number, lines)
        assert sync_once(station).error is None
    finally:
        station.close()


def test_bigcommerce_orders_are_pulled_and_a_shipment_goes_back_once(
    central: Engine, isolated_home: Path, tmp_path: Path
) -> None:
    env = {"PB_TEST_BC_TOKEN": BC_TOKEN}
    with serving(BigCommerceStore(BC_TOKEN)) as served:
        assert isinstance(served, BigCommerceStore)
        bc = served
        for n in range(1, 4):
            bc.add(n, created=ago(3600 - n))
        write_config(
            isolated_home,
            f"""
[review]
first_order_over = 0

[channels.bc-main]
kind = "bigcommerce"
url = "{bc.url}"
secret_env = "PB_TEST_BC_TOKEN"
page_size = 2
""",
        )
        catalogue = tmp_path / "catalogue.csv"
        catalogue.write_text(
            "sku,name,barcodes,units_per_barcode,weight_g,price,currency,bin,on_hand\n"
            "BC-1,BC first,,,100,5.00,USD,A-03-01,100\n"
            "BC-2,BC second,,,100,5.00,USD,A-03-02,100\n"
        )
        assert packbench("import", "products", str(catalogue)).returncode == 0
        bc.faults.append(("/v2/orders", 429, {"X-Rate-Limit-Time-Reset-Ms": "800"}))

        code, accounts, stderr = connector_once(env)

        assert code == 0, (accounts, stderr)
        account = accounts["bc-main"]
        assert (account["pages"], account["imported"], account["rejected"]) == (2, 3, 0), account
        pulled = _orders(central, "bigcommerce")
        assert sorted(pulled) == ["301", "302", "303"]
        assert all(status is OrderStatus.ALLOCATED for _, status in pulled.values())
        code, accounts, _ = connector_once(env)
        assert accounts["bc-main"]["imported"] + accounts["bc-main"]["updated"] == 0

        _ship_at_a_station(isolated_home.parent / "bench", central, pulled["301"][0], {1: 1, 2: 2})
        code, accounts, _ = connector_once(env)
        assert code == 0 and accounts["bc-main"]["sent"] == 1, accounts
        [made] = bc.shipments[301]
        assert made["order_address_id"] == 30100 and len(made["tracking_number"]) == 18
        assert sorted((i["order_product_id"], i["quantity"]) for i in made["items"]) == [
            (3010, 1),
            (3011, 2),
        ]

        with central.begin() as c:  # as if killed before it was marked sent
            c.execute(update(ChannelEvent).values(state="pending", sent_at=None))
        code, accounts, _ = connector_once(env)
        assert code == 0 and accounts["bc-main"]["sent"] == 1
        assert len(bc.shipments[301]) == 1


MG_TOKEN = "mg_t0k3n_first"
MAGENTO_SKUS = ("WS12-M-Orange", "24-WG082-blue", "24-WG084", "24-WG086", "24-WG088", "MH01-S-Gray")


def test_magento_orders_are_pulled_and_shipped_then_invoiced_once(
    central: Engine, isolated_home: Path, tmp_path: Path
) -> None:
    token = tmp_path / "magento.token"
    token.write_text(MG_TOKEN)
    token.chmod(0o600)
    with serving(MagentoStore(MG_TOKEN)) as served:
        assert isinstance(served, MagentoStore)
        mg = served
        for n in range(1, 4):
            mg.add(n, updated=ago(3600 - n))
        write_config(
            isolated_home,
            f"""
[review]
first_order_over = 0

[channels.magento-us]
kind = "magento"
url = "{mg.url}"
secret_file = "{token}"
page_size = 2
""",
        )
        catalogue = tmp_path / "catalogue.csv"
        catalogue.write_text(
            "sku,name,barcodes,units_per_barcode,weight_g,price,currency,bin,on_hand\n"
            + "".join(
                f"{sku},{sku},,,100,5.00,USD,B-0{i},100\n" for i, sku in enumerate(MAGENTO_SKUS)
            )
        )
        assert packbench("import", "products", str(catalogue)).returncode == 0
        # The integration's token was renewed (an admin token expires): the file has the new one.
        mg.secret = "mg_t0k3n_renewed"
        token.write_text("mg_t0k3n_renewed")
        mg.faults.append(("/rest/V1/orders", 500, {}))

        code, accounts, stderr = connector_once()

        assert code == 0, (accounts, stderr)
        account = accounts["magento-us"]
        assert (account["pages"], account["imported"], account["rejected"]) == (2, 3, 0), account
        pulled = _orders(central, "magento")
        assert sorted(pulled) == ["701", "702", "703"]
        assert all(status is OrderStatus.ALLOCATED for _, status in pulled.values())

        _ship_at_a_station(
            isolated_home.parent / "bench",
            central,
            pulled["701"][0],
            {1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1},
        )
        code, accounts, _ = connector_once()
        assert code == 0 and accounts["magento-us"]["sent"] == 1, accounts
        [shipped] = mg.shipments
        # The bundle's parts ship through the bundle (70105); the configurable is 70110.
        assert [(i["order_item_id"], i["qty"]) for i in shipped["items"]] == [
            (70103, 1),
            (70105, 1),
            (70110, 1),
        ]
        assert len(shipped["tracks"]) == 1 and len(shipped["tracks"][0]["track_number"]) == 18
        [invoiced] = mg.invoices
        assert [(i["order_item_id"], i["qty"]) for i in invoiced["items"]] == [
            (70103, 1),
            (70105, 1),
            (70110, 1),
        ]

        with central.begin() as c:  # as if killed before it was marked sent
            c.execute(update(ChannelEvent).values(state="pending", sent_at=None))
        code, accounts, _ = connector_once()
        assert code == 0 and accounts["magento-us"]["sent"] == 1
        assert len(mg.shipments) == 1 and len(mg.invoices) == 1
