"""Floor reports for the supervisor: what was packed, by whom, how well, over a period.

A supervisor wants the floor, not one bench: when the central store is reachable a report
reads it (every station's shipments, returns and short picks are there, pushed by sync),
else the station's own database, and the report says which (``scope``). Item scans and
refused scans are kept only at the station that made them, so the scan-error report is
always this station's, and says so. The days asked are both included, in the station's
local time; one shape for all (columns, rows, and which columns a chart draws) so the
screen, the CSV export and ``packbench report`` share them.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from app.context import StationContext
from app.db.models import (
    AuditEvent,
    PackScan,
    PackSession,
    ReturnRecord,
    ReturnUnit,
    Shipment,
    ShipmentItem,
    ShipmentParcel,
    ShortPick,
)
from app.db.session import UnitOfWork
from app.domain.errors import DomainError
from app.domain.picking import ShortReason
from app.domain.returns import Reason
from app.domain.users import Actor, Permission
from app.services.returns import CONFIRMED
from app.sync.claims import CentralUnreachable, central_errors

# What a refused item scan at the bench is recorded as (app.services.packing.pack_item).
SCAN_REFUSED = "pack.scan_refused"
UNNAMED = "(unknown)"


@dataclass(frozen=True)
class FloorReport:
    """A report's table; ``chart`` says which column labels the bars and which are drawn."""

    name: str
    title: str
    start: date
    end: date
    columns: tuple[str, ...]
    rows: list[tuple[str | int | float, ...]]
    chart_label: int
    chart_values: tuple[int, ...]
    # Whose data it is: "every station (central store)" or "this station only (...)".
    scope: str = ""

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows(self.rows)
        return out.getvalue()


@dataclass(frozen=True)
class _Period:
    start: date
    end: date

    @property
    def lo(self) -> datetime:
        return datetime.combine(self.start, time()).astimezone().astimezone(UTC)

    @property
    def hi(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time()).astimezone().astimezone(UTC)


def _local_hour(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:00")


def _packed(uow: UnitOfWork, p: _Period) -> FloorReport:
    rows = uow.session.execute(
        select(
            Shipment.user_name, Shipment.shipped_at, Shipment.order_number, ShipmentItem.quantity
        )
        .join(ShipmentParcel, ShipmentParcel.shipment_id == Shipment.id)
        .join(ShipmentItem, ShipmentItem.parcel_id == ShipmentParcel.id)
        .where(Shipment.shipped_at >= p.lo, Shipment.shipped_at < p.hi)
    ).all()
    orders: dict[tuple[str, str], set[str]] = defaultdict(set)
    units: Counter[tuple[str, str]] = Counter()
    for who, at, order, quantity in rows:
        key = (who or UNNAMED, _local_hour(at))
        orders[key].add(order)
        units[key] += quantity
    table: list[tuple[str | int | float, ...]] = [
        (who, hour, len(orders[(who, hour)]), units[(who, hour)])
        for who, hour in sorted(orders, key=lambda k: (k[0], k[1]))
    ]
    return FloorReport(
        "packed",
        "Orders and units packed per packer per hour",
        p.start,
        p.end,
        ("packer", "hour", "orders", "units"),
        table,
        0,
        (2, 3),
    )


def _scan_errors(uow: UnitOfWork, p: _Period) -> FloorReport:
    s = uow.session
    good = Counter(
        {
            (who or UNNAMED): int(n or 0)
            for who, n in s.execute(
                select(PackSession.user_name, func.count(PackScan.id))
                .join(PackSession, PackSession.id == PackScan.session_id)
                .where(PackScan.at >= p.lo, PackScan.at < p.hi)
                .group_by(PackSession.user_name)
            )
        }
    )
    bad = Counter(
        {
            (who or UNNAMED): int(n or 0)
            for who, n in s.execute(
                select(AuditEvent.user_name, func.count(AuditEvent.id))
                .where(
                    AuditEvent.action == SCAN_REFUSED,
                    AuditEvent.at >= p.lo,
                    AuditEvent.at < p.hi,
                )
                .group_by(AuditEvent.user_name)
            )
        }
    )
    table: list[tuple[str | int | float, ...]] = []
    for who in sorted(set(good) | set(bad)):
        scans = good[who] + bad[who]
        table.append((who, scans, bad[who], round(100.0 * bad[who] / scans, 1) if scans else 0.0))
    return FloorReport(
        "scan-errors",
        "Scan error rate per packer",
        p.start,
        p.end,
        ("packer", "item scans", "refused", "error rate %"),
        table,
        0,
        (3,),
    )


def _short_picks(uow: UnitOfWork, p: _Period) -> FloorReport:
    """Units pickers did not find (app.services.picking.short_pick), by reason and product."""
    rows = uow.session.execute(
        select(
            ShortPick.reason,
            ShortPick.sku,
            func.sum(ShortPick.missing),
            func.count(ShortPick.id),
        )
        .where(ShortPick.at >= p.lo, ShortPick.at < p.hi)
        .group_by(ShortPick.reason, ShortPick.sku)
    ).all()
    labels = {r.value: r.label for r in ShortReason}
    table: list[tuple[str | int | float, ...]] = sorted(
        (
            (labels.get(reason or "", reason or "-"), sku, int(units or 0), int(n))
            for reason, sku, units, n in rows
        ),
        key=lambda r: (str(r[0]), -int(r[2]), str(r[1])),
    )
    return FloorReport(
        "short-picks",
        "Short picks by reason and product",
        p.start,
        p.end,
        ("reason", "product", "units short", "short picks"),
        table,
        1,
        (2,),
    )


def _carriers(uow: UnitOfWork, p: _Period) -> FloorReport:
    rows = uow.session.execute(
        select(
            Shipment.carrier, func.count(ShipmentParcel.id), func.count(func.distinct(Shipment.id))
        )
        .join(ShipmentParcel, ShipmentParcel.shipment_id == Shipment.id)
        .where(Shipment.shipped_at >= p.lo, Shipment.shipped_at < p.hi)
        .group_by(Shipment.carrier)
    ).all()
    table: list[tuple[str | int | float, ...]] = sorted(
        (
            (carrier or "(none)", int(parcels), int(shipments))
            for carrier, parcels, shipments in rows
        ),
        key=lambda r: (-int(r[1]), str(r[0])),
    )
    return FloorReport(
        "carriers",
        "Parcels per carrier",
        p.start,
        p.end,
        ("carrier", "parcels", "shipments"),
        table,
        0,
        (1,),
    )


def _returns(uow: UnitOfWork, p: _Period) -> FloorReport:
    rows = uow.session.execute(
        select(
            ReturnUnit.reason,
            func.sum(ReturnUnit.units),
            func.count(func.distinct(ReturnUnit.return_id)),
        )
        .join(ReturnRecord, ReturnRecord.id == ReturnUnit.return_id)
        .where(
            ReturnRecord.state == CONFIRMED,
            ReturnRecord.confirmed_at >= p.lo,
            ReturnRecord.confirmed_at < p.hi,
        )
        .group_by(ReturnUnit.reason)
    ).all()
    labels = {r.value: r.label for r in Reason}
    table: list[tuple[str | int | float, ...]] = sorted(
        ((labels.get(r or "", r or "-"), int(n or 0), int(k)) for r, n, k in rows),
        key=lambda r: (-int(r[1]), str(r[0])),
    )
    return FloorReport(
        "returns",
        "Returns by reason",
        p.start,
        p.end,
        ("reason", "units", "returns"),
        table,
        0,
        (1,),
    )


REPORTS: dict[str, Callable[[UnitOfWork, _Period], FloorReport]] = {
    "packed": _packed,
    "scan-errors": _scan_errors,
    "short-picks": _short_picks,
    "carriers": _carriers,
    "returns": _returns,
}


def floor_report(
    station: StationContext, actor: Actor, name: str, start: date, end: date
) -> FloorReport:
    """One floor report over ``start`` to ``end`` (local days, both included)."""
    actor.require(Permission.VIEW_REPORTS)
    make = REPORTS.get(name)
    if make is None:
        raise DomainError(f"There is no report {name!r}: choose one of {', '.join(REPORTS)}.")
    if end < start:
        raise DomainError(f"The period ends ({end}) before it starts ({start}): swap the dates.")
    period = _Period(start, end)
    if name in STATION_ONLY:
        with station.local(readonly=True) as uow:
            report = make(uow, period)
        return replace(report, scope=f"this station only ({STATION_ONLY[name]})")
    why = "no central store is set up"
    if station.config.central_url:
        try:
            with central_errors(), station.central()(readonly=True) as cu:
                return replace(make(cu, period), scope=CENTRAL_SCOPE)
        except CentralUnreachable:
            why = "the central store could not be reached"
    with station.local(readonly=True) as uow:
        return replace(make(uow, period), scope=f"this station only ({why})")


CENTRAL_SCOPE = "every station (central store)"
# Reports whose records stay at the station that made them.
STATION_ONLY = {"scan-errors": "item scans and refused scans are kept at each station"}
