"""Transfers: a supervisor moves stock from one warehouse to another (docs/warehouses.md).

- ``create_transfer``: the lines (SKU, quantity, bin or any bin in walk order) leave the
  sending warehouse's bins (only available units: what is committed stays for its orders) and
  are held in transit on a new transfer ``TR-000001``, numbered from the central store's one
  series, so two stations never give the same number;
- ``receive_transfer``: at the other end, units in transit go on hand in a bin of the
  receiving warehouse, all of them or some (a scan of one item, ``SKU:QTY``); ``close``
  writes off what never arrived, reported as a discrepancy;
- ``list_transfers``, ``show_transfer``: what is on its way, and what happened to each.

Each is one transaction on the central store, like the supervisor's order move: a unit is in
a bin or in transit, never both and never neither, whatever is killed when (the rules are
app/domain/stock.py's, the rows are written by app/db/stock.py). Each checks the person's
right itself (``transfer_stock``: supervisors and admins) and leaves an audit row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.context import StationContext
from app.db import warehouses as stored
from app.db.models import (
    AuditEvent,
    Bin,
    Product,
    ProductBarcode,
    Transfer,
    TransferLineRow,
    Warehouse,
)
from app.db.numbers import take_number
from app.db.stock import receive_into_bin, send_from_bin, warehouse_bins
from app.domain import stock as rules
from app.domain.errors import DomainError, InvalidQuantities
from app.domain.stock import TRANSFER_NUMBER, TransferLine, WantedLine, parse_transfer_lines
from app.domain.users import Actor, Permission
from app.sync.claims import central_errors
from app.sync.pull import pause_at

OPEN_STATES = ("in transit", "part received")


class TransferRefused(DomainError):
    """The transfer step cannot be done (the message says why and what to do)."""


@dataclass(frozen=True)
class TransferLineView:
    sku: str
    name: str
    from_bin: str
    sent: int
    received: int
    written_off: int

    @property
    def in_transit(self) -> int:
        return self.sent - self.received - self.written_off


@dataclass(frozen=True)
class TransferView:
    number: str
    from_code: str
    to_code: str
    state: str
    created_by: str
    created_at: datetime
    lines: tuple[TransferLineView, ...]

    @property
    def sent(self) -> int:
        return sum(line.sent for line in self.lines)

    @property
    def in_transit(self) -> int:
        return sum(line.in_transit for line in self.lines)

    @property
    def received(self) -> int:
        return sum(line.received for line in self.lines)

    @property
    def written_off(self) -> int:
        return sum(line.written_off for line in self.lines)

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "from": self.from_code,
            "to": self.to_code,
            "state": self.state,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(),
            "sent": self.sent,
            "received": self.received,
            "in_transit": self.in_transit,
            "written_off": self.written_off,
            "lines": [
                {
                    "sku": line.sku,
                    "from_bin": line.from_bin,
                    "sent": line.sent,
                    "received": line.received,
                    "written_off": line.written_off,
                    "in_transit": line.in_transit,
                }
                for line in self.lines
            ],
        }


def _right(actor: Actor, doing: str) -> None:
    actor.require(Permission.TRANSFER_STOCK, doing)


def create_transfer(
    station: StationContext,
    actor: Actor,
    from_code: str,
    to_code: str,
    wanted: str | Sequence[WantedLine],
) -> TransferView:
    """Send stock from warehouse ``from_code`` to ``to_code``: one transaction."""
    _right(actor, "transfer stock between warehouses")
    lines = parse_transfer_lines(wanted) if isinstance(wanted, str) else list(wanted)
    if not lines:
        raise TransferRefused('Name what to move: SKU:QUANTITY[@BIN], e.g. "MUG-01:5@A-1".')
    with central_errors(), station.central()() as uow:
        s = uow.session
        conn = s.connection()
        source = stored.by_code(conn, from_code)
        target = stored.by_code(conn, to_code)
        _here(station, source.code, f"send stock out of {source.code}")
        if source.id == target.id:
            raise TransferRefused(
                f"A transfer goes from one warehouse to another: {source.code} twice."
            )
        number = TRANSFER_NUMBER.format(take_number(s, "transfer"))
        transfer = Transfer(
            number=number,
            from_warehouse_id=source.id,
            to_warehouse_id=target.id,
            state="in transit",
            created_by=actor.name,
            station=station.station_id,
        )
        s.add(transfer)
        s.flush()
        line_no = 0
        said: list[str] = []
        for want in lines:
            product = _product(s, want.sku)
            bins = warehouse_bins(s, product.id, source.id)
            try:
                takes = _takes(want, bins, source.code)
                for bin_id, units in takes:
                    send_from_bin(s, product.id, bin_id, bins[bin_id], units)
                    line_no += 1
                    s.add(
                        TransferLineRow(
                            transfer_id=transfer.id,
                            line_no=line_no,
                            product_id=product.id,
                            sku=product.sku,
                            from_bin_id=bin_id,
                            quantity_sent=units,
                            quantity_received=0,
                            quantity_written_off=0,
                        )
                    )
                    said.append(f"{units} x {product.sku} from {bins[bin_id].bin_code}")
            except InvalidQuantities as refusal:
                raise TransferRefused(f"{want.sku}: {refusal.message}") from refusal
        s.add(
            AuditEvent(
                user_id=actor.user_id,
                user_name=actor.name,
                station=station.station_id,
                action="transfer.created",
                subject=f"transfer:{number}",
                detail=f"{source.code} -> {target.code}; " + "; ".join(said),
            )
        )
        s.flush()
        pause_at("transfer-create", 1)  # the crash test kills the process here
        uow.commit()
    return show_transfer(station, number)


def _here(station: StationContext, code: str, doing: str) -> None:
    """A station of one warehouse (``[station] warehouse``) handles only its own stock."""
    mine = station.config.warehouses.code
    if mine and mine != code:
        raise TransferRefused(
            f"This station is {mine}'s: {doing} at a station of {code}, where the stock is."
        )


def _takes(want: WantedLine, bins: dict[int, rules.BinStock], code: str) -> list[tuple[int, int]]:
    """Which bins (ids) give how many: the one named, or the product's in walk order."""
    if want.bin_code is not None:
        for bin_id, b in bins.items():
            if b.bin_code == want.bin_code:
                return [(bin_id, want.units)]
        raise InvalidQuantities(
            f"there is none of it in bin {want.bin_code} of {code}: name a bin that holds it "
            "(packbench stock SKU), or leave @BIN off to take it from any."
        )
    takes, short = rules.plan_allocation(want.units, bins.values())
    if short:
        have = sum(b.available for b in bins.values())
        raise InvalidQuantities(
            f"{code} has {have} available, {want.units} cannot leave it. Move fewer, or from "
            "another warehouse."
        )
    by_code = {b.bin_code: bin_id for bin_id, b in bins.items()}
    return [(by_code[c], units) for c, units in takes]


def _product(s: Session, sku_or_code: str) -> Product:
    found = s.scalar(select(Product).where(Product.sku == sku_or_code.strip()))
    if found is None:
        found = s.scalar(
            select(Product)
            .join(ProductBarcode, ProductBarcode.product_id == Product.id)
            .where(ProductBarcode.code == sku_or_code.strip())
        )
    if found is None:
        raise TransferRefused(
            f"There is no product {sku_or_code!r}: check the SKU or scan the item's barcode."
        )
    return found


def _units_of_scan(s: Session, code: str) -> tuple[Product, int]:
    """A scanned item barcode (a case counts its units) or a typed SKU: the product, units."""
    row = s.execute(
        select(Product, ProductBarcode.units)
        .join(ProductBarcode, ProductBarcode.product_id == Product.id)
        .where(ProductBarcode.code == code.strip())
    ).first()
    if row is not None:
        return row[0], int(row[1])
    return _product(s, code), 1


def _open_transfer(s: Session, number: str) -> Transfer:
    transfer = s.scalar(
        select(Transfer).where(Transfer.number == number.strip().upper()).with_for_update()
    )
    if transfer is None:
        raise TransferRefused(
            f"There is no transfer {number!r}: scan the transfer number on its papers "
            "(packbench transfer list)."
        )
    if transfer.state not in OPEN_STATES:
        raise TransferRefused(
            f"Transfer {transfer.number} is {transfer.state}: nothing to receive."
        )
    return transfer


def receive_transfer(
    station: StationContext,
    actor: Actor,
    number: str,
    *,
    bin_code: str | None = None,
    items: str | Sequence[WantedLine] | None = None,
    scan: str | None = None,
    close: bool = False,
) -> TransferView:
    """Receive transfer ``number`` at its warehouse, in one transaction.

    ``scan``: one item barcode (or SKU) scanned into ``bin_code``; ``items``: SKU:QTY[@BIN]
    lines; neither: everything still in transit, into ``bin_code`` or, without it, the bin of
    the same code it left from. ``close`` then writes off what is still in transit (reported
    as a discrepancy)."""
    _right(actor, "receive a transfer")
    with central_errors(), station.central()() as uow:
        s = uow.session
        transfer = _open_transfer(s, number)
        conn = s.connection()
        to_code = stored.code_of(conn, transfer.to_warehouse_id)
        _here(station, to_code, f"receive transfer {transfer.number} (it goes to {to_code})")
        rows = list(transfer.lines)
        bin_codes: dict[int, str] = {
            r.id: r.code
            for r in s.execute(
                select(Bin.id, Bin.code).where(Bin.id.in_([r.from_bin_id for r in rows]))
            )
        }
        said: list[str] = []

        def take(row: TransferLineRow, units: int, into: str | None) -> None:
            into = into or bin_code or bin_codes[row.from_bin_id]
            line = _line(row)
            try:
                now = receive_into_bin(
                    s, line, row.product_id, transfer.to_warehouse_id, into, units
                )
            except InvalidQuantities as refusal:
                raise TransferRefused(
                    f"Transfer {transfer.number}, {row.sku}: {refusal.message}"
                ) from refusal
            row.quantity_received = now.received
            said.append(f"{units} x {row.sku} into {into}")

        if scan is not None:
            if not bin_code:
                raise TransferRefused("Scan the bin the items go into first, then the items.")
            product, units = _units_of_scan(s, scan)
            _spread(transfer, rows, product.sku, units, bin_code, take)
        elif items:
            wanted = parse_transfer_lines(items) if isinstance(items, str) else list(items)
            for want in wanted:
                product = _product(s, want.sku)
                _spread(transfer, rows, product.sku, want.units, want.bin_code, take)
        elif not close:
            for row in rows:
                left = _line(row).in_transit
                if left:
                    take(row, left, None)
        written: list[str] = []
        if close:
            for row in rows:
                line = rules.write_off(_line(row))
                if line.written_off != row.quantity_written_off:
                    written.append(f"{line.written_off - row.quantity_written_off} x {row.sku}")
                row.quantity_written_off = line.written_off
        if not said and not written:
            raise TransferRefused(f"Transfer {transfer.number}: nothing was received.")
        transfer.state = rules.transfer_state(_line(r) for r in rows)
        if transfer.state not in OPEN_STATES:
            transfer.closed_at = datetime.now(UTC)
        for action, text in (("transfer.received", said), ("transfer.discrepancy", written)):
            if text:
                s.add(
                    AuditEvent(
                        user_id=actor.user_id,
                        user_name=actor.name,
                        station=station.station_id,
                        action=action,
                        subject=f"transfer:{transfer.number}",
                        detail=f"at {to_code}: "
                        + "; ".join(text)
                        + ("" if action == "transfer.received" else " never arrived, written off"),
                    )
                )
        s.flush()
        pause_at("transfer-receive", 1)  # the crash test kills the process here
        uow.commit()
        number = transfer.number
    return show_transfer(station, number)


def _spread(
    transfer: Transfer,
    rows: list[TransferLineRow],
    sku: str,
    units: int,
    into: str | None,
    take: Any,
) -> None:
    """``units`` of ``sku`` arrived: received against its lines in order, never beyond what
    is in transit (more than that is refused, a discrepancy to report)."""
    mine = [r for r in rows if r.sku == sku]
    if not mine:
        raise TransferRefused(
            f"{sku} is not on transfer {transfer.number}: put it aside and report it."
        )
    left_total = sum(_line(r).in_transit for r in mine)
    if units > left_total:
        raise TransferRefused(
            f"Transfer {transfer.number}, {sku}: only {left_total} still in transit, {units} "
            "cannot be received (more arrived than was sent: put it aside and report it)."
        )
    for row in mine:
        n = min(units, _line(row).in_transit)
        if n:
            take(row, n, into)
            units -= n


def _line(row: TransferLineRow) -> TransferLine:
    return TransferLine(
        row.sku, row.quantity_sent, row.quantity_received or 0, row.quantity_written_off or 0
    )


def _views(s: Session, transfers: Sequence[Transfer]) -> list[TransferView]:
    codes: dict[int, str] = {r.id: r.code for r in s.execute(select(Warehouse.id, Warehouse.code))}
    ids = [t.id for t in transfers]
    lines: dict[int, list[TransferLineView]] = {}
    if ids:
        for r in s.execute(
            select(TransferLineRow, Product.name, Bin.code)
            .join(Product, Product.id == TransferLineRow.product_id)
            .join(Bin, Bin.id == TransferLineRow.from_bin_id)
            .where(TransferLineRow.transfer_id.in_(ids))
            .order_by(TransferLineRow.transfer_id, TransferLineRow.line_no)
        ):
            row, name, code = r
            lines.setdefault(row.transfer_id, []).append(
                TransferLineView(
                    row.sku,
                    name,
                    code,
                    row.quantity_sent,
                    row.quantity_received,
                    row.quantity_written_off,
                )
            )
    return [
        TransferView(
            t.number,
            codes[t.from_warehouse_id],
            codes[t.to_warehouse_id],
            t.state,
            t.created_by or "",
            t.created_at,
            tuple(lines.get(t.id, ())),
        )
        for t in transfers
    ]


def show_transfer(station: StationContext, number: str) -> TransferView:
    with central_errors(), station.central()(readonly=True) as uow:
        s = uow.session
        found = s.scalar(select(Transfer).where(Transfer.number == number.strip().upper()))
        if found is None:
            raise TransferRefused(
                f"There is no transfer {number!r}: check the number (packbench transfer list)."
            )
        return _views(s, [found])[0]


def list_transfers(station: StationContext, *, open_only: bool = False) -> list[TransferView]:
    """Transfers, newest first; ``open_only``: those with units still in transit."""
    with central_errors(), station.central()(readonly=True) as uow:
        s = uow.session
        query = select(Transfer).order_by(Transfer.id.desc())
        if open_only:
            query = query.where(Transfer.state.in_(OPEN_STATES))
        return _views(s, s.scalars(query).all())


def in_transit_to(s: Session, product_ids: Sequence[int]) -> dict[tuple[int, int], int]:
    """Units in transit by (receiving warehouse id, product id)."""
    query = (
        select(
            Transfer.to_warehouse_id,
            TransferLineRow.product_id,
            func.sum(
                TransferLineRow.quantity_sent
                - TransferLineRow.quantity_received
                - TransferLineRow.quantity_written_off
            ),
        )
        .join(Transfer, Transfer.id == TransferLineRow.transfer_id)
        .where(Transfer.state.in_(OPEN_STATES))
        .group_by(Transfer.to_warehouse_id, TransferLineRow.product_id)
    )
    if not product_ids:
        return {}
    query = query.where(TransferLineRow.product_id.in_(list(product_ids)))
    return {(w, p): int(n or 0) for w, p, n in s.execute(query) if n}
