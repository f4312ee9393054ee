"""One round of sync (pull, push, and a catch-up pull), and what the Sync workspace shows.

``sync_once`` is what ``packbench sync --once`` and the app's background worker call. It
never raises because the central store is away: the report says ``online=False`` and why,
and the station's state (``sync_state``) keeps the last error for the status bar. Bugs are
not dressed up as network trouble: they are recorded as the last error and raised.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, select, update

from app.context import StationContext
from app.db.errors import login_of
from app.db.migrate import ensure_schema
from app.db.models import Order, OutboxCommand, SyncState
from app.domain.errors import DomainError
from app.sync.claims import CentralUnreachable, central_errors
from app.sync.outgoing import ChannelProblem, channel_problems
from app.sync.pull import PullInterrupted, PullProgress, PullResult, pull, watermark_of
from app.sync.push import PushInterrupted, PushResult, count_pending, push

log = logging.getLogger(__name__)


@dataclass
class SyncReport:
    """What one ``sync_once`` did. ``as_json`` keys are a contract scripts rely on."""

    online: bool = True
    error: str | None = None
    pulled: int = 0
    pulled_orders: int = 0
    pushed: int = 0
    applied: int = 0
    rejected: int = 0
    pending: int = 0
    local_orders: int = 0
    central_orders: int | None = None
    watermark: int = 0
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    # What the connector could not do yet (read from the central store with the round).
    channels: list[ChannelProblem] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "pulled": self.pulled,
            "pushed": self.pushed,
            "applied": self.applied,
            "rejected": self.rejected,
            "local_orders": self.local_orders,
            "central_orders": self.central_orders,
            "online": self.online,
            "error": self.error,
            "pulled_orders": self.pulled_orders,
            "pending": self.pending,
            "watermark": self.watermark,
            "seconds": round(self.seconds, 3),
        }

    def line(self) -> str:
        if self.error:
            head = ("offline: " if not self.online else "sync stopped: ") + self.error.rstrip(".")
        else:
            head = (
                f"pulled {self.pulled:,} rows ({self.pulled_orders:,} orders); pushed "
                f"{self.pushed}: {self.applied} applied, {self.rejected} rejected"
            )
        central = "?" if self.central_orders is None else f"{self.central_orders:,}"
        waiting = f"; {self.pending} waiting to be sent" if self.pending else ""
        return f"{head}; orders here {self.local_orders:,}, central {central}{waiting}"


@dataclass(frozen=True)
class SyncProgress:
    """How far a round has got: for the status bar, the Sync page and a terminal.

    ``step`` is "connecting", "pulling" (``done`` of ``total`` changed rows; ``table`` is
    the one being pulled, ``table_done`` of ``table_total`` of its rows) or "pushing"
    (``done`` of ``total`` commands).
    """

    step: str
    done: int = 0
    total: int = 0
    table: str = ""
    table_done: int = 0
    table_total: int = 0

    @property
    def percent(self) -> int | None:
        """How much of this step is done, 0-100; None when there is no count."""
        return min(100, 100 * self.done // self.total) if self.total else None

    def line(self) -> str:
        if self.step == "pushing":
            return f"sending {self.done:,} of {self.total:,} waiting commands"
        if self.step == "pulling" and self.total:
            return (
                f"pulling {self.table.replace('_', ' ')}: {self.table_done:,} of "
                f"{self.table_total:,} ({self.percent}% of {self.total:,} changed rows)"
            )
        if self.step == "pulling":
            return "pulling: checking for changes"
        return "connecting to the central store"


Progress = Callable[[SyncProgress], None]


def sync_once(station: StationContext, progress: Progress | None = None) -> SyncReport:
    """Pull what changed centrally, push the outbox, and pull the pushed results back.

    ``progress`` hears how far the round has got, on the calling thread.
    """
    started = time.perf_counter()
    report = SyncReport()
    local = station.local_engine
    try:
        _round(station, report, progress)
    except CentralUnreachable as error:
        report.online, report.error = False, error.message
    except DomainError as error:
        report.error = error.message
    except Exception as error:  # a bug: keep it for the status bar, and let it be seen
        _record(local, error=f"{type(error).__name__}: {error}")
        raise
    if report.error:
        log.warning("sync: %s", report.error)
    _record(local, error=report.error)
    report.local_orders = _count_orders(local)
    report.pending = count_pending(local)
    with local.connect() as conn:  # what the station holds, whether this round pulled or not
        report.watermark = watermark_of(conn)
    report.seconds = time.perf_counter() - started
    return report


def _round(station: StationContext, report: SyncReport, progress: Progress | None) -> None:
    local = station.local_engine
    if progress is not None:
        progress(SyncProgress("connecting"))
    login = login_of(station.config.central_url)
    with central_errors(login):
        central = station.central_engine()  # creates or upgrades the schema when it is not ours
        ensure_schema(central)  # and again, in case another Packbench changed it meanwhile
    _pull(central, local, report, progress, station.config.warehouses.code)
    told = None if progress is None else _pushing(progress)
    try:
        pushed = push(central, local, station.station_id, told)
    except PushInterrupted as stopped:
        _add_push(report, stopped.result)
        raise _cause(stopped) from None
    _add_push(report, pushed)
    _record(local, pushed_at=True)
    if pushed.applied:  # bring this station's own changes back with their numbers
        _pull(central, local, report, progress, station.config.warehouses.code)
    with central_errors(login):
        report.central_orders = _count_orders(central)
        report.channels = channel_problems(central)


def _pulling(progress: Progress) -> Callable[[PullProgress], None]:
    def told(pulled: PullProgress) -> None:
        progress(
            SyncProgress(
                "pulling",
                pulled.done,
                pulled.total,
                pulled.table,
                pulled.table_done,
                pulled.table_total,
            )
        )

    return told


def _pushing(progress: Progress) -> Callable[[int, int], None]:
    return lambda sent, waiting: progress(SyncProgress("pushing", sent, waiting))


def _pull(
    central: Engine,
    local: Engine,
    report: SyncReport,
    progress: Progress | None,
    warehouse: str = "",
) -> None:
    try:
        result = pull(
            central,
            local,
            progress=None if progress is None else _pulling(progress),
            warehouse=warehouse,
        )
    except PullInterrupted as stopped:
        _add_pull(report, stopped.result)
        raise _cause(stopped) from None
    _add_pull(report, result)


def _cause(stopped: Exception) -> BaseException:
    return stopped.__cause__ if stopped.__cause__ is not None else stopped


def _add_pull(report: SyncReport, result: PullResult) -> None:
    report.pulled += result.total_rows
    report.pulled_orders += result.orders
    report.watermark = result.watermark
    for name, count in result.rows.items():
        report.rows[name] = report.rows.get(name, 0) + count


def _add_push(report: SyncReport, result: PushResult) -> None:
    report.pushed += result.pushed
    report.applied += result.applied
    report.rejected += result.rejected


_UNSET: Any = object()


def _record(local: Engine, *, error: str | None = _UNSET, pushed_at: bool = False) -> None:
    values: dict[str, Any] = {}
    if error is not _UNSET:
        values["last_error"] = error
    if pushed_at:
        values["last_push_at"] = datetime.now(UTC)
    with local.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO sync_state (id, watermark) VALUES (1, 0) ON CONFLICT (id) DO NOTHING"
        )
        conn.execute(update(SyncState).where(SyncState.id == 1).values(**values))


def _count_orders(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(Order)) or 0)


# --- what the Sync workspace shows -------------------------------------------------------


@dataclass(frozen=True)
class RejectedCommand:
    """A command the central store refused, with its reason, for a supervisor to see."""

    command_id: str
    kind: str
    summary: str
    reason: str
    created_at: datetime
    answered_at: datetime | None


@dataclass(frozen=True)
class SyncStatus:
    """The station's side of sync, read locally (cheap: the UI may ask every few seconds)."""

    pending: int
    last_pull_at: datetime | None
    last_push_at: datetime | None
    last_error: str | None
    watermark: int
    rejected: list[RejectedCommand]

    @property
    def last_sync_at(self) -> datetime | None:
        times = [t for t in (self.last_pull_at, self.last_push_at) if t is not None]
        return max(times) if times else None


def sync_status(station: StationContext, *, rejected_limit: int = 500) -> SyncStatus:
    """Outbox and sync state of this station, newest rejections first."""
    local = station.local_engine
    with local.connect() as conn:
        state = conn.execute(
            select(
                SyncState.watermark,
                SyncState.last_pull_at,
                SyncState.last_push_at,
                SyncState.last_error,
            ).where(SyncState.id == 1)
        ).one_or_none()
        rows = conn.execute(
            select(
                OutboxCommand.command_id,
                OutboxCommand.kind,
                OutboxCommand.payload,
                OutboxCommand.reason,
                OutboxCommand.created_at,
                OutboxCommand.answered_at,
            )
            .where(OutboxCommand.state == "rejected")
            .order_by(OutboxCommand.id.desc())
            .limit(rejected_limit)
        ).all()
    watermark, pulled_at, pushed_at, error = state if state is not None else (0, None, None, None)
    return SyncStatus(
        pending=count_pending(local),
        last_pull_at=pulled_at,
        last_push_at=pushed_at,
        last_error=error,
        watermark=int(watermark),
        rejected=[
            RejectedCommand(
                r.command_id,
                r.kind,
                summarize(r.kind, r.payload),
                r.reason or "",
                r.created_at,
                r.answered_at,
            )
            for r in rows
        ],
    )


def summarize(kind: str, payload: Any) -> str:
    """A command in a few words: "order 100234: packing → shipped"."""
    if not isinstance(payload, dict):
        return kind
    if kind == "order.status":
        return f"order {payload.get('number')}: {payload.get('from')} → {payload.get('to')}"
    if kind == "user.change":  # no secret in it: the hashes are not shown
        if payload.get("op") == "role_right":
            return f"role {payload.get('role')}: {payload.get('permission')} by {payload.get('by')}"
        return f"user {payload.get('name')}: {payload.get('op')} by {payload.get('by')}"
    number = payload.get("number")
    if kind.startswith("return.") and payload.get("order_number"):
        return f"{kind} {number} (order {payload['order_number']})"
    return f"{kind} (order {number})" if number else kind
