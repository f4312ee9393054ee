"""Claims: one station packs an order at a time; the claim runs out; offline conflicts surface."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.bootstrap import Station
from app.domain.errors import DomainError, NotFound
from app.domain.status import OrderStatus
from app.services.orders import change_status
from app.sync import claims
from app.sync.claims import CentralUnreachable, OrderClaimed, claim_order, release_claim, renew
from app.sync.engine import sync_once, sync_status
from tests.sync.stores import Central, actor, fill_with_demo, open_test_station, orders_in

S = OrderStatus


@pytest.fixture
def packable(central: Central, station_one: Station, station_two: Station) -> str:
    """An allocated order both stations hold a copy of."""
    fill_with_demo(central)
    sync_once(station_one)
    sync_once(station_two)
    return orders_in(central.engine, S.ALLOCATED, 1)[0]


def test_a_second_station_is_told_who_packs_the_order_and_until_when(
    packable: str, station_one: Station, station_two: Station
) -> None:
    claim = claim_order(station_one, packable, "Ana")
    assert (claim.station, claim.user_name) == ("ST-01", "Ana")
    assert timedelta(minutes=14) < claim.expires_at - claim.claimed_at <= timedelta(minutes=15)
    with pytest.raises(OrderClaimed) as refused:
        claim_order(station_two, packable, "Ben")
    until = claim.expires_at.astimezone().strftime("%H:%M")
    assert (
        refused.value.message == f"Order {packable} is being packed at ST-01 by Ana until {until}."
    )
    assert claims.current_claim(station_two, packable) == claim


def test_a_claim_that_ran_out_can_be_taken(
    packable: str, station_one: Station, station_two: Station
) -> None:
    start = datetime.now(UTC)
    claim_order(station_one, packable, "Ana", minutes=5, now=start)
    later = start + timedelta(minutes=6)
    taken = claim_order(station_two, packable, "Ben", now=later)
    assert (taken.station, taken.user_name) == ("ST-02", "Ben")
    with pytest.raises(OrderClaimed, match="being packed at ST-02 by Ben"):
        renew(station_one, packable, now=later)


def test_renewing_keeps_the_packer_and_moves_the_end(packable: str, station_one: Station) -> None:
    start = datetime.now(UTC)
    first = claim_order(station_one, packable, "Ana", now=start)
    again = renew(station_one, packable, minutes=30, now=start + timedelta(minutes=10))
    assert again.user_name == "Ana" and again.claimed_at == first.claimed_at
    assert again.expires_at == start + timedelta(minutes=40)


def test_a_released_claim_frees_the_order(
    packable: str, station_one: Station, station_two: Station
) -> None:
    claim_order(station_one, packable, "Ana")
    assert not release_claim(station_two, packable)  # not ST-02's to release
    assert release_claim(station_one, packable)
    assert claims.current_claim(station_one, packable) is None
    assert claim_order(station_two, packable, "Ben").station == "ST-02"


def test_unknown_and_finished_orders_cannot_be_claimed(
    central: Central, packable: str, station_one: Station
) -> None:
    with pytest.raises(NotFound):
        claim_order(station_one, "999999", "Ana")
    shipped = orders_in(central.engine, S.SHIPPED, 1)[0]
    with pytest.raises(DomainError, match="nothing left to pack"):
        claim_order(station_one, shipped, "Ana")


def test_offline_a_claim_cannot_be_taken_and_says_so(tmp_path: Path) -> None:
    station = open_test_station(tmp_path / "st", "postgresql+psycopg://st:pw@127.0.0.1:1/orders")
    try:
        with pytest.raises(CentralUnreachable, match="cannot be reached"):
            claim_order(station, "100001", "Ana")
    finally:
        station.close()


def test_packing_offline_while_another_station_held_the_claim_is_rejected_at_push(
    packable: str, station_one: Station, station_two: Station
) -> None:
    claim = claim_order(station_one, packable, "Ana")
    # ST-02 could not claim (offline, say) and packed anyway.
    change_status(station_two.local, actor(station_two), packable, S.PACKING)
    report = sync_once(station_two)
    assert report.rejected == 1
    [rejected] = sync_status(station_two).rejected
    until = claim.expires_at.astimezone().strftime("%H:%M")
    assert rejected.reason.startswith(
        f"Order {packable} is being packed at ST-01 by Ana until {until}"
    )
    # The claim holder goes on as if nothing happened.
    change_status(station_one.local, actor(station_one), packable, S.PACKING)
    assert sync_once(station_one).applied == 1


def test_shipping_ends_the_claim(central: Central, packable: str, station_one: Station) -> None:
    claim_order(station_one, packable, "Ana")
    boss = actor(station_one)
    change_status(station_one.local, boss, packable, S.PACKING)
    change_status(station_one.local, boss, packable, S.ON_HOLD, "Box damaged")
    assert sync_once(station_one).applied == 2
    assert claims.current_claim(station_one, packable) is None


def test_two_stations_claiming_at_once_one_wins(
    packable: str, station_one: Station, station_two: Station
) -> None:
    start = threading.Barrier(2, timeout=30)
    won: list[str] = []
    lost: list[str] = []

    def claim(station: Station, person: str) -> None:
        start.wait()
        try:
            won.append(claim_order(station, packable, person).station)
        except OrderClaimed as refusal:
            lost.append(refusal.message)

    threads = [
        threading.Thread(target=claim, args=(station_one, "Ana")),
        threading.Thread(target=claim, args=(station_two, "Ben")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(won) == 1 and len(lost) == 1
    assert "is being packed at" in lost[0]
