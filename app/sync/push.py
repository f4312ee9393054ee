"""Push: send the station's outbox to the central store, in order, each command once.

For each pending command, oldest first, one central transaction:

1. if ``applied_commands`` already holds its id, the stored answer is the answer (a command
   sent again after a crash, a lost connection or a second pusher is never applied twice);
2. otherwise the id is inserted first (a second pusher of the same command waits on that
   key, then finds it), the handler applies or rejects the command (app/sync/commands.py),
   the answer is stored with the id, and the transaction commits with its change number.

Only then does a local transaction mark the outbox row applied or rejected, with the time
and the reason. A crash between the two leaves the row pending; the next push resends it
and gets the stored answer. Push stops at the first command that fails for any reason other
than a rejection (the central store went away, a bug), so commands never overtake each
other; the failed command and those after it stay pending.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError

from app.db.errors import login_of
from app.db.models import AppliedCommand, OutboxCommand
from app.db.session import UnitOfWorkFactory, unit_of_work_factory
from app.sync.claims import central_errors
from app.sync.clock import stamp_changes, track_changes
from app.sync.commands import CommandContext, Outcome, apply_command
from app.sync.pull import pause_at

BATCH = 200


@dataclass
class PushResult:
    """Commands answered by this push; ``replayed`` were answered from the stored outcome."""

    pushed: int = 0
    applied: int = 0
    rejected: int = 0
    replayed: int = 0


class PushInterrupted(Exception):
    """Push stopped before the outbox was empty; ``result`` is what it had done."""

    def __init__(self, result: PushResult) -> None:
        super().__init__("push interrupted")
        self.result = result


@dataclass(frozen=True)
class PendingCommand:
    id: int
    command_id: str
    kind: str
    payload: dict[str, Any]


def push(
    central: Engine,
    local: Engine,
    station_id: str,
    progress: Callable[[int, int], None] | None = None,
) -> PushResult:
    """Send every pending command; raise PushInterrupted (from the cause) if one fails.

    ``progress`` is told (sent, waiting when the push began) after each command.
    """
    login = login_of(central.url)
    central_uows = unit_of_work_factory(central, before_commit=stamp_changes, on_open=track_changes)
    result = PushResult()
    waiting = count_pending(local) if progress is not None else 0
    while True:
        batch = _pending(local)
        if not batch:
            return result
        for command in batch:
            try:
                with central_errors(login):
                    outcome, replayed = deliver(central_uows, station_id, command)
                pause_at("push-command", result.pushed + 1)
                _answer(local, command.id, outcome)
            except Exception as error:
                raise PushInterrupted(result) from error
            result.pushed += 1
            result.replayed += replayed
            if outcome.applied:
                result.applied += 1
            else:
                result.rejected += 1
            if progress is not None:
                waiting = max(waiting, result.pushed)  # commands written meanwhile
                progress(result.pushed, waiting)


def count_pending(local: Engine) -> int:
    """Commands in the station's outbox waiting to be sent."""
    with local.connect() as conn:
        query = (
            select(func.count()).select_from(OutboxCommand).where(OutboxCommand.state == "pending")
        )
        return int(conn.scalar(query) or 0)


def _pending(local: Engine) -> list[PendingCommand]:
    with local.connect() as conn:
        rows = conn.execute(
            select(
                OutboxCommand.id,
                OutboxCommand.command_id,
                OutboxCommand.kind,
                OutboxCommand.payload,
            )
            .where(OutboxCommand.state == "pending")
            .order_by(OutboxCommand.id)
            .limit(BATCH)
        ).all()
    return [PendingCommand(r[0], r[1], r[2], r[3] if isinstance(r[3], dict) else {}) for r in rows]


def deliver(
    central_uows: UnitOfWorkFactory, station_id: str, command: PendingCommand
) -> tuple[Outcome, bool]:
    """Apply the command centrally unless it already was; (the answer, whether replayed)."""
    try:
        with central_uows() as uow:
            session = uow.session
            stored = session.get(AppliedCommand, command.command_id)
            if stored is not None:
                return Outcome(stored.outcome == "applied", stored.reason), True
            record = AppliedCommand(
                command_id=command.command_id,
                station=station_id,
                kind=command.kind,
                outcome="applied",
            )
            session.add(record)
            session.flush()  # take the id now: a concurrent pusher of it waits here
            outcome = apply_command(
                session,
                CommandContext(station_id, command.command_id),
                command.kind,
                command.payload,
            )
            record.outcome = outcome.state
            record.reason = outcome.reason
            uow.commit()
            return outcome, False
    except IntegrityError:
        # Another pusher recorded it first (same station, two processes): its answer stands.
        with central_uows(readonly=True) as uow:
            stored = uow.session.get(AppliedCommand, command.command_id)
            if stored is None:
                raise
            return Outcome(stored.outcome == "applied", stored.reason), True


def _answer(local: Engine, outbox_id: int, outcome: Outcome) -> None:
    with local.begin() as conn:
        conn.execute(
            update(OutboxCommand)
            .where(OutboxCommand.id == outbox_id)
            .values(state=outcome.state, answered_at=datetime.now(UTC), reason=outcome.reason)
        )
