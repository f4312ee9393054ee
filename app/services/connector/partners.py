"""Dropship suppliers and 3PL warehouses, reached by SFTP (docs/connector.md, "Partners").

A ``[partners.NAME]`` partner fulfils the orders whose SKUs are all its ``skus``, or that came
from one of its channel ``accounts``. Each connector pass, for each partner:

1. send: the partner's orders ready here (finalized or allocated, not sent yet) are written as
   one CSV in the partner's columns and uploaded to ``folder_out`` (under a temporary name,
   then renamed, so the partner never reads half a file). In the same central transaction
   that follows the upload, each order is recorded in ``partner_orders``, its stock given
   back, and marked "fulfilled by NAME": it never enters a pick list or the packing bench
   here. A failed upload records nothing (sent again next pass); an order is sent once.
2. read back: every ``*.csv`` in ``folder_in`` is a tracking file. A file is applied whole in
   one transaction or not at all: a malformed one (the file and line named) is moved to
   ``folder_error`` with a ``.error.txt`` note beside it. Applied, each order it names is
   fulfilled and the store is told (a ``shipment`` channel event, as for a parcel shipped
   here). Its content's SHA-256 is recorded (``partner_files``), so a file seen twice, under
   any name, is applied once; then it is moved to ``folder_done``.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import posixpath
import socket
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import paramiko
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.config import ConfigError, PartnerSettings
from app.context import StationContext
from app.db.models import AuditEvent, ChannelOrder, Order, PartnerFile, PartnerOrder
from app.db.stock import release_order
from app.domain.errors import DomainError
from app.domain.status import OrderStatus
from app.sync import outgoing
from app.sync.claims import central_now

SENDABLE = (OrderStatus.FINALIZED, OrderStatus.ALLOCATED)
ORDERS_PER_FILE = 5000


class PartnerUnreachable(DomainError):
    """The partner's SFTP server could not be reached or refused us."""


class BadTrackingFile(DomainError):
    """A tracking file that cannot be applied whole; the message names the file and line."""


@dataclass
class PartnerReport:
    name: str
    sent: int = 0
    files_applied: int = 0
    files_seen_before: int = 0
    shipped: int = 0
    rejected_files: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def failed(self) -> int:
        return len(self.rejected_files)

    @property
    def eventful(self) -> bool:
        return bool(self.error or self.sent or self.files_applied or self.rejected_files)

    def as_json(self) -> dict[str, Any]:
        return {
            "partner": self.name,
            "sent": self.sent,
            "files_applied": self.files_applied,
            "files_seen_before": self.files_seen_before,
            "shipped": self.shipped,
            "rejected_files": list(self.rejected_files),
            "error": self.error,
        }

    def line(self) -> str:
        text = (
            f"partner {self.name}: sent {self.sent} orders; {self.files_applied} tracking "
            f"files applied ({self.shipped} orders shipped), {self.files_seen_before} seen before"
        )
        for rejected in self.rejected_files:
            text += f"; rejected: {rejected}"
        if self.error:
            text += f"; stopped: {self.error}"
        return text


@contextmanager
def sftp_session(partner: PartnerSettings) -> Iterator[paramiko.SFTPClient]:
    """An SFTP session to the partner, its host key checked against ``host_key``."""
    password = partner.secret()
    try:
        kind, blob = partner.host_key.split()[:2]
        expected = paramiko.PKey.from_type_string(kind, base64.b64decode(blob))
    except (ValueError, paramiko.SSHException) as error:
        raise ConfigError(
            f"[partners.{partner.name}] host_key must be the server's public key line, "
            f"e.g. 'ssh-ed25519 AAAA…' ({error})"
        ) from error
    where = f"{partner.host}:{partner.port}"
    try:
        sock = socket.create_connection((partner.host, partner.port), timeout=10)
    except OSError as error:
        raise PartnerUnreachable(f"{where} cannot be reached ({error})") from error
    transport = paramiko.Transport(sock)
    try:
        transport.banner_timeout = transport.auth_timeout = 30
        try:
            transport.connect(hostkey=expected, username=partner.user, password=password)
        except paramiko.BadHostKeyException as error:
            raise PartnerUnreachable(
                f"{where} showed another host key than host_key in [partners.{partner.name}]: "
                "refused (if the partner changed it, check with them and update host_key)"
            ) from error
        except paramiko.AuthenticationException as error:
            raise PartnerUnreachable(
                f"{where} refused user {partner.user!r}: check the password"
            ) from error
        except (paramiko.SSHException, OSError, EOFError) as error:
            raise PartnerUnreachable(f"{where}: SSH failed ({error})") from error
        client = paramiko.SFTPClient.from_transport(transport)
        if client is None:
            raise PartnerUnreachable(f"{where} has no SFTP subsystem")
        client.get_channel().settimeout(30)
        try:
            yield client
        finally:
            client.close()
    finally:
        transport.close()


def partner_orders(session: Session, partner: PartnerSettings) -> list[Order]:
    """The partner's orders ready to send: finalized or allocated, not sent, not elsewhere."""
    candidates = session.scalars(
        select(Order)
        .where(
            Order.status.in_(SENDABLE),
            Order.fulfilled_elsewhere.is_(None),
            Order.number.not_in(select(PartnerOrder.order_number)),
        )
        .options(selectinload(Order.lines), selectinload(Order.ship_to))
        .order_by(Order.id)
        .with_for_update(of=Order, skip_locked=True)
        .limit(ORDERS_PER_FILE)
    ).all()
    accounts = set(partner.accounts)
    from_accounts: set[tuple[str, str]] = set()
    if accounts and candidates:
        from_accounts = set(
            session.execute(
                select(ChannelOrder.channel, ChannelOrder.external_id).where(
                    ChannelOrder.account.in_(accounts),
                    ChannelOrder.external_id.in_([o.external_id for o in candidates]),
                )
            ).tuples()
        )
    skus = set(partner.skus)
    return [
        o
        for o in candidates
        if (o.channel, o.external_id) in from_accounts
        or (skus and o.lines and all(line.sku in skus for line in o.lines))
    ]


def order_csv(partner: PartnerSettings, orders: list[Order]) -> bytes:
    """The orders in the partner's columns: a row per order line."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=partner.delimiter, lineterminator="\r\n")
    writer.writerow([theirs for _, theirs in partner.columns])
    for order in orders:
        a = order.ship_to
        email = order.customer.email if order.customer is not None else None
        for line in order.lines:
            ours: dict[str, object] = {
                "order": order.number,
                "external_id": order.external_id,
                "channel": order.channel,
                "line": line.line_no,
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity_ordered,
                "carrier": order.carrier,
                "service": order.service,
                "ship_name": a.name if a else None,
                "ship_company": a.company if a else None,
                "ship_street": a.line1 if a else None,
                "ship_street2": a.line2 if a else None,
                "ship_city": a.city if a else None,
                "ship_region": a.region if a else None,
                "ship_postcode": a.postcode if a else None,
                "ship_country": a.country if a else None,
                "ship_phone": a.phone if a else None,
                "ship_email": email,
            }
            writer.writerow(["" if ours[k] is None else ours[k] for k, _ in partner.columns])
    return out.getvalue().encode("utf-8")


def send_orders(
    station: StationContext, partner: PartnerSettings, sftp: paramiko.SFTPClient
) -> int:
    """Upload the partner's waiting orders as one file; recorded only once it is uploaded."""
    with station.central()() as uow:
        s = uow.session
        orders = partner_orders(s, partner)
        if not orders:
            return 0
        body = order_csv(partner, orders)
        digest = hashlib.sha256(body).hexdigest()[:12]
        name = f"packbench-{partner.name}-{orders[0].number}-{digest}.csv"
        final = posixpath.join(partner.folder_out, name)
        partial = final + ".part"
        try:
            with sftp.open(partial, "wb") as remote:
                remote.write(body)
            sftp.posix_rename(partial, final)
        except (OSError, paramiko.SSHException) as error:
            raise PartnerUnreachable(
                f"{partner.host}: the order file could not be written to "
                f"{partner.folder_out!r} ({error}); nothing was recorded, it is sent again "
                "next pass"
            ) from error
        now = central_now(s)
        for order in orders:
            if order.status is OrderStatus.ALLOCATED:
                release_order(s, order.id, order.number)
                order.status = OrderStatus.FINALIZED
            order.fulfilled_elsewhere = partner.label
            s.add(
                PartnerOrder(
                    order_number=order.number, partner=partner.name, file=name, sent_at=now
                )
            )
            s.add(
                AuditEvent(
                    station=station.config.station_id,
                    user_name=None,
                    action="partner.sent",
                    subject=f"order:{order.number}",
                    detail=f"sent to {partner.kind} partner {partner.name} in {name}",
                )
            )
        uow.commit()
    return len(orders)


@dataclass(frozen=True)
class TrackingRow:
    line: int
    order: str
    tracking: str
    carrier: str
    shipped: date
    sku: str
    quantity: int | None


def parse_tracking(partner: PartnerSettings, name: str, body: bytes) -> list[TrackingRow]:
    """Every row of a tracking file, or BadTrackingFile naming the file and line."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadTrackingFile(f"{name}: not UTF-8 text (byte {error.start})") from error
    reader = csv.reader(io.StringIO(text), delimiter=partner.delimiter)
    header = next(reader, None)
    if header is None:
        raise BadTrackingFile(f"{name}: the file is empty (a header line is expected)")
    header = [h.strip() for h in header]
    column = {}
    for ours, theirs in partner.tracking_columns:
        if theirs in header:
            column[ours] = header.index(theirs)
        elif ours in ("order", "tracking"):
            raise BadTrackingFile(
                f"{name} line 1: no column {theirs!r} (the {ours}); the header has "
                f"{', '.join(header)}"
            )
    rows = []
    for values in reader:
        number = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise BadTrackingFile(
                f"{name} line {number}: {len(values)} fields where the header has {len(header)}"
            )

        def get(key: str, values: list[str] = values) -> str:
            return values[column[key]].strip() if key in column else ""

        order, tracking = get("order"), get("tracking")
        if not order:
            raise BadTrackingFile(f"{name} line {number}: the order number is empty")
        if not tracking:
            raise BadTrackingFile(f"{name} line {number}: order {order} has no tracking number")
        shipped_text = get("shipped")
        try:
            shipped = date.fromisoformat(shipped_text[:10]) if shipped_text else date.today()
        except ValueError as error:
            raise BadTrackingFile(
                f"{name} line {number}: shipped date {shipped_text!r} is not YYYY-MM-DD"
            ) from error
        quantity_text = get("quantity")
        quantity = None
        if quantity_text:
            if not quantity_text.isdigit() or int(quantity_text) < 1:
                raise BadTrackingFile(
                    f"{name} line {number}: quantity {quantity_text!r} is not a whole number "
                    "above 0"
                )
            quantity = int(quantity_text)
        rows.append(
            TrackingRow(number, order, tracking, get("carrier"), shipped, get("sku"), quantity)
        )
    if not rows:
        raise BadTrackingFile(f"{name}: no rows under the header")
    return rows


def apply_tracking(
    s: Session,
    station: StationContext,
    partner: PartnerSettings,
    name: str,
    rows: list[TrackingRow],
) -> int:
    """Each order the rows name fulfilled and its store told, in the caller's transaction;
    BadTrackingFile (naming the line) if any row does not fit: then nothing is kept."""
    by_order: dict[str, list[TrackingRow]] = {}
    for row in rows:
        by_order.setdefault(row.order, []).append(row)
    sent = dict(
        s.execute(
            select(PartnerOrder.order_number, PartnerOrder.partner).where(
                PartnerOrder.order_number.in_(list(by_order))
            )
        )
        .tuples()
        .all()
    )
    shipped = 0
    for number, its_rows in by_order.items():
        first = its_rows[0].line
        if sent.get(number) != partner.name:
            raise BadTrackingFile(
                f"{name} line {first}: order {number} was not sent to {partner.name}"
            )
        order = s.scalar(select(Order).where(Order.number == number).with_for_update())
        if order is None:  # recorded as sent, so it exists; defensive
            raise BadTrackingFile(f"{name} line {first}: there is no order {number}")
        if order.status is OrderStatus.FULFILLED:
            continue  # told already by another file: nothing more to do
        if order.status is OrderStatus.VOID:
            raise BadTrackingFile(
                f"{name} line {first}: order {number} was voided here after it was sent"
            )
        by_sku = {line.sku: line for line in order.lines}
        units: dict[int, int] = {}
        for row in its_rows:
            if not row.sku:
                for line in order.lines:
                    units[line.line_no] = line.quantity_ordered
                continue
            found = by_sku.get(row.sku)
            if found is None:
                raise BadTrackingFile(
                    f"{name} line {row.line}: order {number} has no SKU {row.sku!r}"
                )
            units[found.line_no] = min(
                found.quantity_ordered,
                units.get(found.line_no, 0) + (row.quantity or found.quantity_ordered),
            )
        complete = all(units.get(line.line_no, 0) >= line.quantity_ordered for line in order.lines)
        trackings = list(dict.fromkeys(r.tracking for r in its_rows))
        carrier = next((r.carrier for r in its_rows if r.carrier), None) or order.carrier
        when = max(r.shipped for r in its_rows)
        outgoing.record(
            s,
            order,
            "shipment",
            f"packbench-{partner.name}-{number}-{trackings[0]}"[:80],
            {
                "shipment": f"{partner.name}:{trackings[0]}",
                "carrier": carrier,
                "service": order.service,
                "tracking": trackings,
                "shipped_at": datetime(when.year, when.month, when.day, tzinfo=UTC).isoformat(),
                "lines": [
                    {
                        "external_line_id": line.external_line_id,
                        "sku": line.sku,
                        "quantity": units[line.line_no],
                    }
                    for line in order.lines
                    if units.get(line.line_no)
                ],
                "complete": complete,
            },
        )
        if complete:
            order.status = OrderStatus.FULFILLED
        order.fulfilled_elsewhere = f"{partner.label}: {', '.join(trackings)}"[:120]
        s.add(
            AuditEvent(
                station=station.config.station_id,
                user_name=None,
                action="partner.shipped",
                subject=f"order:{number}",
                detail=f"{partner.name} shipped it ({carrier or 'carrier not said'}; tracking "
                f"{', '.join(trackings)}) on {when.isoformat()}, per {name}"
                + ("" if complete else "; part of the order"),
            )
        )
        shipped += 1
    return shipped


def read_tracking(
    station: StationContext,
    partner: PartnerSettings,
    sftp: paramiko.SFTPClient,
    report: PartnerReport,
) -> None:
    """Every tracking file in ``folder_in``, each applied whole or not at all."""
    try:
        entries = sftp.listdir_attr(partner.folder_in)
    except OSError as error:
        raise PartnerUnreachable(
            f"{partner.host}: the folder {partner.folder_in!r} cannot be read ({error})"
        ) from error
    names = sorted(
        e.filename
        for e in entries
        if e.st_mode is not None and stat.S_ISREG(e.st_mode) and e.filename.lower().endswith(".csv")
    )
    for name in names:
        path = posixpath.join(partner.folder_in, name)
        with sftp.open(path, "rb") as remote:
            body = remote.read()
        digest = hashlib.sha256(body).hexdigest()
        try:
            with station.central()() as uow:
                s = uow.session
                if s.get(PartnerFile, (partner.name, digest)) is not None:
                    report.files_seen_before += 1
                else:
                    rows = parse_tracking(partner, name, body)
                    report.shipped += apply_tracking(s, station, partner, name, rows)
                    s.add(
                        PartnerFile(
                            partner=partner.name,
                            sha256=digest,
                            name=name,
                            rows=len(rows),
                            applied_at=central_now(s),
                        )
                    )
                    uow.commit()
                    report.files_applied += 1
        except IntegrityError:
            report.files_seen_before += 1  # another connector applied it at the same moment
        except BadTrackingFile as error:
            report.rejected_files.append(str(error))
            _move(sftp, path, partner.folder_error, name)
            note = posixpath.join(partner.folder_error, name + ".error.txt")
            with sftp.open(note, "wb") as remote:
                remote.write(
                    (
                        f"Packbench did not apply this file; nothing in it was applied.\n"
                        f"{error}\nFix it and put it in {partner.folder_in} again.\n"
                    ).encode()
                )
            continue
        _move(sftp, path, partner.folder_done, name)


def _move(sftp: paramiko.SFTPClient, path: str, folder: str, name: str) -> None:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    sftp.posix_rename(path, posixpath.join(folder, f"{stamp}-{name}"))


def run_partner(station: StationContext, partner: PartnerSettings) -> PartnerReport:
    report = PartnerReport(partner.name)
    try:
        with sftp_session(partner) as sftp:
            report.sent = send_orders(station, partner, sftp)
            read_tracking(station, partner, sftp, report)
    except (PartnerUnreachable, ConfigError) as error:
        report.error = str(error)
    except (OSError, paramiko.SSHException) as error:
        report.error = f"{partner.host}:{partner.port}: the SFTP session failed ({error})"
    return report
