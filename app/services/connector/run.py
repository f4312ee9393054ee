"""``packbench connector run``: each configured account, claimed, pulled and told.

Several connectors may run at once (on one machine or several): each account is worked by
the one that holds its claim in the central store (``channel_accounts.claimed_by`` until
``claimed_until``, renewed with every page). A pass over an account:

1. pull: page after page since its cursor, each page imported by the one order writer (as
   ``packbench import`` does) in one transaction with the cursor moving past it, so a
   connector killed anywhere starts again from the last page written: nothing missed, and
   an order read twice is "unchanged";
2. push: its waiting news (``channel_events``), oldest first, each marked sent after the
   store took it; a failure is kept with its reason and tried again later (after 30 s, then
   doubling to an hour), and the Sync workspace shows it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.channels import OrderDraft
from app.config import ChannelAccountSettings, ConfigError
from app.context import StationContext
from app.db.models import ChannelAccount, ChannelEvent, ChannelOrder
from app.domain.errors import DomainError
from app.services.connector.http import StoreRefused, StoreUnreachable
from app.services.connector.partners import PartnerReport, run_partner
from app.services.connector.stores import News, Store, open_store
from app.services.importing import ImportInterrupted, ImportSummary, import_page
from app.sync.claims import central_now

_log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)  # a connector that stops renewing loses its accounts after this
EVENTS_PER_PASS = 200
LONGEST_RETRY = timedelta(hours=1)


class ClaimLost(DomainError):
    """Another connector holds the account now (this one was too slow to renew its claim)."""


@dataclass
class AccountReport:
    name: str
    claimed: bool = True
    pages: int = 0
    summary: ImportSummary = field(default_factory=ImportSummary)
    sent: int = 0
    failed: int = 0
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        counted = self.summary.as_json()
        return {
            "account": self.name,
            "claimed": self.claimed,
            "pages": self.pages,
            **{k: v for k, v in counted.items() if k != "errors"},
            "errors": [f"{e['where']}: {e['field']}: {e['reason']}" for e in counted["errors"]],
            "sent": self.sent,
            "failed": self.failed,
            "error": self.error,
        }

    @property
    def eventful(self) -> bool:
        """Something came in, went out, or stopped: worth a line from a long-running run."""
        s = self.summary
        return bool(
            self.error
            or self.sent
            or self.failed
            or s.imported
            or s.updated
            or s.held
            or s.rejected
        )

    def line(self) -> str:
        if not self.claimed:
            return f"{self.name}: worked by another connector"
        text = f"{self.name}: {self.pages} pages, {self.summary.line()}; sent {self.sent}"
        if self.failed:
            text += f", {self.failed} not sent yet"
        if self.error:
            text += f"; stopped: {self.error}"
        return text


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_pass(
    station: StationContext,
    *,
    worker: str,
    stop: threading.Event,
    due_only: bool = False,
    opener: Callable[[ChannelAccountSettings], Store] = open_store,
    accounts: tuple[ChannelAccountSettings, ...] | None = None,
) -> list[AccountReport]:
    """One pass over every configured account (or ``accounts``) this connector can claim."""
    reports = []
    for account in station.config.channels if accounts is None else accounts:
        if stop.is_set():
            break
        report = AccountReport(account.name)
        reports.append(report)
        claimed, due = _claim(station, account, worker)
        if not claimed:
            report.claimed = False
            continue
        try:
            store = opener(account)
        except (ConfigError, DomainError) as error:
            report.error = str(error)
            _note_error(station, account.name, report.error)
            continue
        try:
            if due or not due_only:
                _pull(station, account, store, worker, report, stop)
            _push(station, account, store, report)
        except (StoreUnreachable, StoreRefused, ClaimLost, ConfigError, ImportInterrupted) as error:
            report.error = str(error)
        finally:
            store.close()
        _note_error(station, account.name, report.error)
    return reports


def _claim(
    station: StationContext, account: ChannelAccountSettings, worker: str
) -> tuple[bool, bool]:
    """Take (or keep) the account for this connector: (claimed, due), False if another holds
    it; due when its last pull is older than its ``pull_seconds``."""
    with station.central()() as uow:
        s = uow.session
        now = central_now(s)
        row = s.get(ChannelAccount, account.name, with_for_update=True)
        if row is None:
            row = ChannelAccount(name=account.name, kind=account.kind, cursor={}, pulled=0)
            s.add(row)
        elif row.kind != account.kind:
            # The same name now names another store: its cursor means nothing there.
            row.kind, row.cursor = account.kind, {}
        held = (
            row.claimed_by not in (None, worker) and row.claimed_until and row.claimed_until > now
        )
        if held:
            return False, False
        last = row.last_pull_at
        due = last is None or last + timedelta(seconds=account.pull_seconds) <= now
        row.claimed_by, row.claimed_until = worker, now + LEASE
        uow.commit()
    return True, due


def _pull(
    station: StationContext,
    account: ChannelAccountSettings,
    store: Store,
    worker: str,
    report: AccountReport,
    stop: threading.Event,
) -> None:
    with station.central()() as uow:
        row = uow.session.get(ChannelAccount, account.name)
        cursor = dict(row.cursor or {}) if row else {}
    for page in store.pages(cursor):
        drafts = [o for o in page.orders if isinstance(o, OrderDraft)]

        def also(
            s: Session, moved: dict[str, Any] = page.cursor, orders: list[OrderDraft] = drafts
        ) -> None:
            _moved(s, account, worker, moved, orders)

        summary = import_page(station, page.orders, also=also)
        report.pages += 1
        _add(report.summary, summary)
        if stop.is_set() and not page.last:
            return


def _moved(
    s: Session,
    account: ChannelAccountSettings,
    worker: str,
    cursor: dict[str, Any],
    orders: list[OrderDraft],
) -> None:
    """In the page's transaction: the claim still ours, the cursor past the page, and which
    account each order came from (where its news goes)."""
    row = s.get(ChannelAccount, account.name, with_for_update=True)
    now = central_now(s)
    if row is None or row.claimed_by != worker:
        raise ClaimLost(
            f"{account.name}: another connector took the account over; this one stopped"
        )
    row.cursor = cursor
    row.claimed_until = now + LEASE
    row.last_pull_at = now
    row.pulled = (row.pulled or 0) + len(orders)
    ids = sorted({(o.channel, o.external_id) for o in orders})
    if ids:
        known = set(
            s.execute(
                select(ChannelOrder.channel, ChannelOrder.external_id).where(
                    ChannelOrder.channel == account.kind,
                    ChannelOrder.external_id.in_([e for _, e in ids]),
                )
            ).tuples()
        )
        for channel, external_id in ids:
            if (channel, external_id) not in known:
                s.add(ChannelOrder(channel=channel, external_id=external_id, account=account.name))


def _push(
    station: StationContext, account: ChannelAccountSettings, store: Store, report: AccountReport
) -> None:
    with station.central()() as uow:
        s = uow.session
        now = central_now(s)
        waiting = [
            (e.id, News(e.key, e.kind, e.external_id, e.order_number, dict(e.payload)))
            for e in s.scalars(
                select(ChannelEvent)
                .where(
                    ChannelEvent.account == account.name,
                    ChannelEvent.state == "pending",
                    (ChannelEvent.next_try_at.is_(None)) | (ChannelEvent.next_try_at <= now),
                )
                .order_by(ChannelEvent.id)
                .limit(EVENTS_PER_PASS)
            )
        ]
    for event_id, news in waiting:
        try:
            said = store.send(news)
        except (StoreUnreachable, StoreRefused) as error:
            report.failed += 1
            _failed(station, event_id, str(error))
            if isinstance(error, StoreUnreachable):
                raise  # the store is away: the rest wait for the next pass
            continue
        report.sent += 1
        _sent(station, event_id, said)


def _sent(station: StationContext, event_id: int, said: str) -> None:
    with station.central()() as uow:
        s = uow.session
        s.execute(
            update(ChannelEvent)
            .where(ChannelEvent.id == event_id)
            .values(state="sent", sent_at=central_now(s), last_error=None, next_try_at=None)
        )
        _log.info("channel event %s sent: %s", event_id, said)
        uow.commit()


def _failed(station: StationContext, event_id: int, reason: str) -> None:
    with station.central()() as uow:
        s = uow.session
        event = s.get(ChannelEvent, event_id, with_for_update=True)
        if event is None:
            return
        event.attempts += 1
        wait = min(LONGEST_RETRY, timedelta(seconds=30) * 2 ** min(event.attempts - 1, 10))
        event.next_try_at = central_now(s) + wait
        event.last_error = reason
        uow.commit()


def _note_error(station: StationContext, name: str, error: str | None) -> None:
    with station.central()() as uow:
        uow.session.execute(
            update(ChannelAccount).where(ChannelAccount.name == name).values(last_error=error)
        )
        uow.commit()


def _add(total: ImportSummary, part: ImportSummary) -> None:
    for name in ("imported", "updated", "unchanged", "held", "short_of_stock"):
        setattr(total, name, getattr(total, name) + getattr(part, name))
    for error in part.errors:
        total.reject(error)
    total.rejected += part.rejected - len(part.errors)


def release(station: StationContext, worker: str) -> None:
    """A connector stopping lets its accounts go at once (not after the lease)."""
    with station.central()() as uow:
        uow.session.execute(
            update(ChannelAccount)
            .where(ChannelAccount.claimed_by == worker)
            .values(claimed_by=None, claimed_until=None)
        )
        uow.commit()


def run_connector(
    station: StationContext,
    *,
    once: bool,
    stop: threading.Event,
    worker: str | None = None,
    told: Callable[[list[AccountReport | PartnerReport]], None] | None = None,
    tick_seconds: float = 5.0,
    partner_seconds: float = 60.0,
) -> list[AccountReport | PartnerReport]:
    """Passes until ``stop`` (or one, with ``once``); the last pass's reports. Partners
    (dropship and 3PL, by SFTP) are visited every pass with ``once``, else every
    ``partner_seconds``."""
    me = worker or worker_name()
    reports: list[AccountReport | PartnerReport] = []
    partners_due = 0.0
    try:
        while True:
            try:
                reports = list(run_pass(station, worker=me, stop=stop, due_only=not once))
                if station.config.partners and time.monotonic() >= partners_due:
                    partners_due = time.monotonic() + partner_seconds
                    for partner in station.config.partners:
                        if stop.is_set():
                            break
                        reports.append(run_partner(station, partner))
            except OperationalError as error:
                if once:
                    raise
                # The central store went away: a long-running connector waits for it.
                _log.warning("connector: the central store cannot be reached (%s)", error.orig)
                reports = []
            if told is not None:
                told(reports)
            if once or stop.wait(tick_seconds):
                return reports
    finally:
        with contextlib.suppress(OperationalError):  # else the claims run out by themselves
            release(station, me)
