"""Two stations billing the same shipment: the central store keeps one invoice, refuses the other.

A fresh PostgreSQL database is the central store. Station ST-01 ships order 100240 and
invoices it; station ST-02 knows the same shipment (its rows copied, as a station that
pulled shipments would) and, before it has synced ST-01's invoice, bills it too. The
central store decides on its own counts: ST-02's invoice is refused, nothing is billed
twice, and ST-02 shows the refusal with its reason by the command line.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.bootstrap import Station
from app.db.fulfilment import ShipmentRecord, write_shipment
from app.db.migrate import ensure_schema
from app.db.models import Invoice, OrderLine, Shipment
from app.db.session import create_db_engine
from app.domain.users import Role
from app.services import invoicing
from app.services.invoicing import InvoiceState
from app.sync.engine import sync_once
from tests.invoicing.test_invoice_command import add_people, packbench
from tests.invoicing.world import person, ship
from tests.packing.world import build_central
from tests.sync.stores import Central, fresh_database, open_test_station


@pytest.fixture
def postgres(central_url: str) -> Iterator[Central]:
    with fresh_database(central_url) as url:
        engine = create_db_engine(url)
        ensure_schema(engine)
        build_central(engine)
        try:
            yield Central(url, engine, "postgresql")
        finally:
            engine.dispose()


def test_the_central_store_refuses_a_second_invoice_of_the_same_shipment(
    postgres: Central, tmp_path: Path
) -> None:
    one = open_test_station(tmp_path / "st-01", postgres.url, "ST-01")
    two_home = tmp_path / "st-02"
    two = open_test_station(two_home, postgres.url, "ST-02")
    try:
        add_people(postgres, one)
        sync_once(two)
        number = ship(one, "100240", {1: 2})
        sync_once(one)  # the shipment reaches the central store
        copy_shipment(one, two, number)
        sync_once(two)  # ST-02 sees the order shipped; nobody has invoiced yet
        first = invoicing.issue_invoice(one, person(one, Role.SUPERVISOR), "100240")
        sync_once(one)
        boss = person(one, Role.SUPERVISOR)
        assert invoicing.issued(one, boss, first.number).summary.state is InvoiceState.RECORDED
    finally:
        one.close()
        two.close()

    def st02(*args: str) -> subprocess.CompletedProcess[str]:
        return packbench(two_home, postgres, *args, station="ST-02")

    issued = st02("invoice", "100240", "--json")
    assert issued.returncode == 0, issued.stderr
    second = json.loads(issued.stdout)["number"]
    assert second.startswith("INV-ST-02-")
    synced = st02("sync", "--once", "--json")
    assert json.loads(synced.stdout)["rejected"] == 1, synced.stdout + synced.stderr

    shown = st02("invoices", "--state", "refused", "--json")
    assert shown.returncode == 0, shown.stderr
    refused = [json.loads(line) for line in shown.stdout.splitlines()]
    assert [x["number"] for x in refused] == [second]
    assert "would bill more than was shipped" in refused[0]["reason"]
    assert number in refused[0]["reason"]

    with postgres.engine.connect() as c:
        kept = c.execute(select(Invoice.number)).scalars().all()
        billed = c.execute(
            select(OrderLine.quantity_invoiced, OrderLine.quantity_shipped).where(
                OrderLine.order.has(number="100240")
            )
        ).all()
    assert kept == [first.number]
    assert billed == [(2, 2)]

    after = st02("invoice", "100240")
    assert after.returncode == 1 and "invoiced in full" in after.stderr


def copy_shipment(source: Station, target: Station, number: str) -> None:
    """The shipment's rows at the second station, as a station that pulled them holds them."""
    with source.local(readonly=True) as uow:
        shipment = uow.session.scalar(select(Shipment).where(Shipment.number == number))
        assert shipment is not None
        record = ShipmentRecord.from_json(
            {
                "number": shipment.number,
                "order_number": shipment.order_number,
                "station": shipment.station,
                "user_name": shipment.user_name,
                "shipped_at": shipment.shipped_at.isoformat(),
                "partial": shipment.partial,
                "partial_reason": shipment.partial_reason,
                "carrier": shipment.carrier,
                "service": shipment.service,
                "parcels": [
                    {
                        "parcel_no": p.parcel_no,
                        "sscc": p.sscc,
                        "box_code": p.box_code,
                        "weight_g": p.weight_g,
                        "items": [
                            {"line_no": i.line_no, "sku": i.sku, "quantity": i.quantity}
                            for i in p.items
                        ],
                    }
                    for p in shipment.parcels
                ],
            }
        )
    with target.local() as uow:
        write_shipment(uow.session, record)
        uow.commit()
