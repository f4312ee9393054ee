"""With ``[invoicing] auto_invoice = true`` the shipment a packer makes is invoiced with it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.db.models import AuditEvent
from app.domain.users import Role
from app.services import invoicing, packing
from app.services.packing import Weighing
from tests.invoicing.world import person
from tests.packing.world import packer, ready
from tests.sync.stores import Central, open_test_station


def test_a_shipment_is_invoiced_as_it_is_made_when_configured(
    central: Central, tmp_path: Path
) -> None:
    home = tmp_path / "auto"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text("[invoicing]\nauto_invoice = true\n")
    station = open_test_station(home, central.url)
    try:
        ready(station, central.engine)
        me = packer(station)
        sid = packing.open_order(station, me, "100240").session_id
        packing.pack_item(station, me, sid, 2, 2, shown="TEA-EARL-100")
        done = packing.close_parcel(station, me, sid, Weighing(370, "scale")).shipment
        assert done is not None and done.invoice is not None
        boss = person(station, Role.SUPERVISOR)
        issued = invoicing.issued(station, boss, done.invoice)
        assert [(x.shipment, x.quantity) for x in issued.lines] == [(done.number, 2)]
        assert invoicing.billing(station, boss, "100240").billable == 0
        with station.local(readonly=True) as uow:
            said = uow.session.scalar(
                select(AuditEvent.detail).where(AuditEvent.action == "invoice.issue")
            )
        assert said is not None and "issued automatically for Tomasz Nowak" in said
    finally:
        station.close()
