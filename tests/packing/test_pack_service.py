"""Packing through the services: every confirmed scan committed, every refusal changing nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.bootstrap import Station
from app.db.models import (
    AuditEvent,
    Order,
    OrderLine,
    OutboxCommand,
    PackScan,
    Shipment,
    StockLevel,
)
from app.domain.errors import NotAllowed
from app.domain.packing import OrderNotPackable, OverScan, PackRefused, WeightNeeded, WrongItem
from app.domain.status import OrderStatus
from app.domain.users import Role
from app.services import packing
from app.services.packing import Weighing, WeightOutOfRange
from app.sync import claims
from app.sync.engine import sync_once
from tests.packing.world import MUG_ITEM, SPOON_ITEM, TEA_ITEM, packer
from tests.sync.stores import Central, open_test_station

TEA_ID, MUG_ID, SPOON_ID = 2, 1, 3


def scans_in(station: Station) -> int:
    with station.local(readonly=True) as uow:
        return (
            uow.session.scalar(
                select(func.count()).select_from(PackScan).where(PackScan.undone_at.is_(None))
            )
            or 0
        )


def test_a_whole_order_packs_into_two_parcels_and_ships(bench: Station, central: Central) -> None:
    me = packer(bench)
    view = packing.open_order(bench, me, "100234")
    assert view.claimed and view.status is OrderStatus.PACKING
    sid = view.session_id
    packing.pack_item(bench, me, sid, MUG_ID, 1, shown=MUG_ITEM.sku)
    packing.pack_item(bench, me, sid, MUG_ID, 1, shown=MUG_ITEM.sku)
    closed = packing.close_parcel(bench, me, sid, Weighing(2 * 380 + 150, "scale"))
    assert closed.shipment is None and closed.view is not None
    assert closed.view.current.parcel_no == 2
    packing.choose_box(bench, me, sid, "m")
    packing.pack_item(bench, me, sid, TEA_ID, 3, shown=TEA_ITEM.sku, lot="L42")
    result = packing.pack_item(bench, me, sid, SPOON_ID, 1, shown=SPOON_ITEM.sku, serial="SN-0001")
    assert result.view.all_packed
    assert result.view.line(2).lots == ("L42",)
    assert result.view.line(3).serials == ("SN-0001",)
    done = packing.close_parcel(bench, me, sid, Weighing(3 * 110 + 240 + 260, "scale")).shipment
    assert done is not None and not done.partial
    assert done.status is OrderStatus.SHIPPED
    assert done.number == "ST-01-S000001"
    assert done.ssccs == ("006141410000000012", "006141410000000029")  # biip agrees
    with bench.local(readonly=True) as uow:
        s = uow.session
        order = s.scalar(select(Order).where(Order.number == "100234"))
        assert order is not None and order.status is OrderStatus.SHIPPED
        assert [line.quantity_shipped for line in order.lines] == [2, 3, 1]
        stock = {x.product_id: (x.on_hand, x.committed) for x in s.scalars(select(StockLevel))}
        assert stock[MUG_ID] == (18, 2)  # order 100250's two mugs stay committed
        kinds = [c.kind for c in s.scalars(select(OutboxCommand).order_by(OutboxCommand.id))]
        assert kinds == ["order.status", "shipment.record"]
    report = sync_once(bench)
    assert report.rejected == 0
    with central.engine.connect() as c:
        status = c.scalar(select(Order.status).where(Order.number == "100234"))
        shipped = c.scalar(select(Shipment.number))
        on_hand = c.scalar(select(StockLevel.on_hand).where(StockLevel.product_id == TEA_ID))
    assert (status, shipped, on_hand) == (OrderStatus.SHIPPED, "ST-01-S000001", 17)


def test_refusals_name_what_was_scanned_and_change_nothing(bench: Station) -> None:
    me = packer(bench)
    sid = packing.open_order(bench, me, "100240").session_id
    with pytest.raises(WrongItem, match=r"MUG-BLUE-350 is not on order 100240\. It is on open"):
        packing.pack_item(bench, me, sid, MUG_ID, 1, shown="MUG-BLUE-350")
    packing.pack_item(bench, me, sid, TEA_ID, 2, shown="TEA-EARL-100")
    with pytest.raises(OverScan, match="TEA-EARL-100: 2 of 2 already packed"):
        packing.pack_item(bench, me, sid, TEA_ID, 1, shown="TEA-EARL-100")
    assert scans_in(bench) == 1


def test_a_case_that_would_overshoot_is_refused_whole(bench: Station) -> None:
    me = packer(bench)
    sid = packing.open_order(bench, me, "100234").session_id
    with pytest.raises(OverScan, match="6 more would make 6 of 3"):
        packing.pack_item(bench, me, sid, TEA_ID, 6, shown="TEA-EARL-100")
    assert scans_in(bench) == 0


def test_serials_are_required_and_never_packed_twice(bench: Station) -> None:
    me = packer(bench)
    sid = packing.open_order(bench, me, "100234").session_id
    with pytest.raises(PackRefused, match="SPOON-SET-4 needs its serial number"):
        packing.pack_item(bench, me, sid, SPOON_ID, 1, shown="SPOON-SET-4")
    packing.pack_item(bench, me, sid, SPOON_ID, 1, shown="SPOON-SET-4", serial="SN-7")
    packing.undo_last(bench, me, sid)
    packing.pack_item(bench, me, sid, SPOON_ID, 1, shown="SPOON-SET-4", serial="SN-7")
    packing.open_order(bench, me, "100240")  # another order: the first is paused
    sid2 = packing.open_order(bench, me, "100234").session_id
    assert sid2 == sid
    with pytest.raises(PackRefused, match=r"SPOON-SET-4: 1 of 1 already packed"):
        packing.pack_item(bench, me, sid, SPOON_ID, 1, shown="SPOON-SET-4", serial="SN-7")


def test_undo_takes_back_the_last_scan_and_is_audited(bench: Station) -> None:
    me = packer(bench)
    sid = packing.open_order(bench, me, "100234").session_id
    packing.pack_item(bench, me, sid, TEA_ID, 1, shown="TEA-EARL-100", raw=TEA_ITEM.gtin)
    result = packing.undo_last(bench, me, sid)
    assert result.view.line(2).packed == 0
    assert "Undone: TEA-EARL-100" in result.message
    with pytest.raises(PackRefused, match="Nothing to undo in parcel 1"):
        packing.undo_last(bench, me, sid)
    with bench.local(readonly=True) as uow:
        event = uow.session.scalar(select(AuditEvent).where(AuditEvent.action == "pack.undo"))
        assert event is not None and event.raw_scan == TEA_ITEM.gtin


def test_a_parcel_needs_a_weight_and_a_strange_one_is_confirmed(bench: Station) -> None:
    me = packer(bench)
    sid = packing.open_order(bench, me, "100240").session_id
    packing.pack_item(bench, me, sid, TEA_ID, 2, shown="TEA-EARL-100")
    with pytest.raises(WeightNeeded, match="Weigh parcel 1"):
        packing.close_parcel(bench, me, sid, None)
    with pytest.raises(WeightOutOfRange, match=r"weighs 2\.000 kg, expected 0\.320–0\.420 kg"):
        packing.close_parcel(bench, me, sid, Weighing(2000, "scale"))
    assert scans_in(bench) == 1
    done = packing.close_parcel(
        bench, me, sid, Weighing(2000, "scale"), accept_out_of_range=True
    ).shipment
    assert done is not None
    with bench.local(readonly=True) as uow:
        event = uow.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "pack.close_parcel")
        )
        assert event is not None and "accepted out of range by Tomasz Nowak" in (event.detail or "")


def test_reopening_a_closed_parcel_keeps_its_sscc_and_is_audited(bench: Station) -> None:
    me = packer(bench)
    sid = packing.open_order(bench, me, "100234").session_id
    packing.pack_item(bench, me, sid, MUG_ID, 2, shown="MUG-BLUE-350")
    first = packing.close_parcel(bench, me, sid, Weighing(910, "scale"))
    view = packing.reopen_parcel(bench, me, sid)
    assert view.current.parcel_no == 1 and view.current.sscc == first.sscc
    assert len(view.parcels) == 1
    with bench.local(readonly=True) as uow:
        assert (
            uow.session.scalar(
                select(AuditEvent.detail).where(AuditEvent.action == "pack.reopen_parcel")
            )
            == f"parcel 1 SSCC {first.sscc}"
        )


def test_partial_shipment_needs_the_right_and_a_reason_and_keeps_the_backorder(
    bench: Station, central: Central
) -> None:
    me = packer(bench)
    sid = packing.open_order(bench, me, "100250").session_id
    packing.pack_item(bench, me, sid, MUG_ID, 2, shown="MUG-BLUE-350")
    packing.pack_item(bench, me, sid, TEA_ID, 1, shown="TEA-EARL-100")
    with pytest.raises(OverScan, match="only 1 of 3 are in stock"):
        packing.pack_item(bench, me, sid, TEA_ID, 1, shown="TEA-EARL-100")
    with pytest.raises(NotAllowed, match="may not ship part of an order"):
        packing.ship_partial(bench, me, sid, "tea out of stock", Weighing(1020, "scale"))
    grace = packer(bench, Role.SUPERVISOR, "Grace O'Neill")
    with pytest.raises(PackRefused, match="Say why"):
        packing.ship_partial(bench, grace, sid, "  ", Weighing(1020, "scale"))
    done = packing.ship_partial(bench, grace, sid, "tea out of stock", Weighing(1020, "scale"))
    assert done.partial and done.status is OrderStatus.PARTIALLY_SHIPPED
    with bench.local(readonly=True) as uow:
        tea = uow.session.scalar(
            select(OrderLine).join(Order).where(Order.number == "100250", OrderLine.line_no == 2)
        )
        assert tea is not None
        assert (tea.quantity_ordered, tea.quantity_allocated, tea.quantity_shipped) == (3, 1, 1)
    sync_once(bench)
    with central.engine.connect() as c:
        assert c.scalar(select(Order.status).where(Order.number == "100250")) is (
            OrderStatus.PARTIALLY_SHIPPED
        )
        assert c.scalar(select(Shipment.partial_reason)) == "tea out of stock"
    # The backorder can be opened again; what shipped is not expected twice.
    view = packing.open_order(bench, grace, "100250")
    assert [(line.expected, line.packable) for line in view.lines] == [(0, 0), (2, 0)]


def test_orders_that_may_not_be_packed_say_why(bench: Station, central: Central) -> None:
    me = packer(bench)
    sid = packing.open_order(bench, me, "100240").session_id
    packing.pack_item(bench, me, sid, TEA_ID, 2, shown="TEA-EARL-100")
    packing.close_parcel(bench, me, sid, Weighing(370, "scale"))
    with pytest.raises(OrderNotPackable, match=r"already packed at ST-01 by Tomasz Nowak"):
        packing.open_order(bench, me, "100240")
    with bench.local() as uow:
        order = uow.session.scalar(select(Order).where(Order.number == "100250"))
        assert order is not None
        order.status, order.hold_reasons = OrderStatus.ON_HOLD, ["personalised: engraving"]
        uow.commit()
    with pytest.raises(OrderNotPackable, match=r"on hold \(personalised: engraving\)"):
        packing.open_order(bench, me, "100250")
    with bench.local() as uow:
        order = uow.session.scalar(select(Order).where(Order.number == "100234"))
        assert order is not None
        order.status, order.void_reason = OrderStatus.VOID, "customer cancelled"
        uow.commit()
    with pytest.raises(OrderNotPackable, match=r"100234 was voided: customer cancelled\. Do not"):
        packing.open_order(bench, me, "100234")


def test_an_order_claimed_by_another_station_is_refused_with_who(
    bench: Station, central: Central, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    other = open_test_station(tmp_path / "st-02", central.url, "ST-02")
    try:
        sync_once(other)
        claims.claim_order(other, "100234", "Ana")
        with pytest.raises(OrderNotPackable, match="being packed at ST-02 by Ana"):
            packing.open_order(bench, packer(bench), "100234")
    finally:
        other.close()


def test_a_restarted_station_resumes_with_every_confirmed_scan(
    bench: Station, central: Central, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    me = packer(bench)
    sid = packing.open_order(bench, me, "100234").session_id
    packing.pack_item(bench, me, sid, MUG_ID, 2, shown="MUG-BLUE-350")
    packing.pack_item(bench, me, sid, TEA_ID, 1, shown="TEA-EARL-100")
    bench.close()
    again = open_test_station(tmp_path / "st-01", central.url, "ST-01")
    try:
        view = packing.resume(again, me)
        assert view is not None and view.order_number == "100234"
        assert [line.packed for line in view.lines] == [2, 1, 0]
    finally:
        again.close()


def test_a_station_known_to_be_offline_packs_unclaimed_without_waiting(
    bench: Station, central: Central
) -> None:
    view = packing.open_order(bench, packer(bench), "100234", claim=False)
    assert not view.claimed
    assert claims.current_claim(bench, "100234") is None


def outbox_kinds(station: Station) -> list[str]:
    with station.local(readonly=True) as uow:
        query = select(OutboxCommand.kind).order_by(OutboxCommand.id)
        return list(uow.session.scalars(query))


def status_here(station: Station, number: str) -> OrderStatus | None:
    with station.local(readonly=True) as uow:
        return uow.session.scalar(select(Order.status).where(Order.number == number))


def test_an_order_begun_at_the_bench_moves_to_packing_when_its_claim_answers(
    bench: Station, central: Central
) -> None:
    me = packer(bench)
    view = packing.begin_order(bench, me, "100234")
    assert not view.claimed and status_here(bench, "100234") is OrderStatus.ALLOCATED
    packing.pack_item(bench, me, view.session_id, MUG_ID, 1, shown="MUG-BLUE-350")
    assert outbox_kinds(bench) == []  # nothing said to the central store before the claim
    outcome = packing.claim(bench, me, view.session_id)
    assert outcome.claimed and outcome.refusal is None
    assert status_here(bench, "100234") is OrderStatus.PACKING
    assert outbox_kinds(bench) == ["order.status"]
    held = claims.current_claim(bench, "100234")
    assert held is not None and held.station == "ST-01"
    assert packing.resume(bench, me) is not None  # still open, its scan kept
    assert scans_in(bench) == 1


def test_a_refused_claim_puts_the_order_down_and_keeps_its_scans(
    bench: Station, central: Central, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    me = packer(bench)
    view = packing.begin_order(bench, me, "100234")
    packing.pack_item(bench, me, view.session_id, MUG_ID, 2, shown="MUG-BLUE-350")
    other = open_test_station(tmp_path / "st-02", central.url, "ST-02")
    try:
        sync_once(other)
        claims.claim_order(other, "100234", "Ana")
        outcome = packing.claim(bench, me, view.session_id)
    finally:
        other.close()
    assert not outcome.claimed and outcome.units_kept == 2
    assert outcome.refusal is not None
    assert outcome.refusal.startswith("Order 100234 is being packed at ST-02 by Ana until ")
    assert outcome.refusal.endswith(
        ". What was scanned here (2 items) is kept: scan another order."
    )
    assert packing.resume(bench, me) is None  # put down
    assert scans_in(bench) == 1  # the scan of two mugs stays
    assert status_here(bench, "100234") is OrderStatus.ALLOCATED
    assert outbox_kinds(bench) == []
    with pytest.raises(PackRefused, match="no longer open at this bench"):
        packing.pack_item(bench, me, view.session_id, TEA_ID, 1, shown="TEA-EARL-100")


def test_an_order_shipped_before_its_claim_answered_ships_with_packing_implied(
    bench: Station, central: Central
) -> None:
    me = packer(bench)
    sid = packing.begin_order(bench, me, "100240").session_id
    packing.pack_item(bench, me, sid, TEA_ID, 2, shown="TEA-EARL-100")
    done = packing.close_parcel(bench, me, sid, Weighing(2 * 110 + 150, "scale")).shipment
    assert done is not None and done.status is OrderStatus.SHIPPED
    late = packing.claim(bench, me, sid)  # the answer comes after the shipment: nothing to do
    assert late.refusal is None
    assert outbox_kinds(bench) == ["shipment.record"]
    report = sync_once(bench)
    assert report.rejected == 0
    with central.engine.connect() as c:
        status = c.scalar(select(Order.status).where(Order.number == "100240"))
    assert status is OrderStatus.SHIPPED
    assert claims.current_claim(bench, "100240") is None  # the shipment ended the claim
