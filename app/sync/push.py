"""Push: send the station's outbox to the central store, in order, each command once.

Pending commands go in batches (oldest first, ``BATCH`` at a time), one central transaction
per batch:

1. each command, in order, claims its id in ``applied_commands`` first (``INSERT ... ON
   CONFLICT DO NOTHING``). An id recorded before is answered with its stored answer: a
   command sent again after a crash, a lost connection or by a second pusher is never
   applied twice (a second pusher of the same command waits on that key until the first
   commits, then finds it);
2. a new command's handler applies or rejects it (app/sync/commands.py) inside a savepoint
   of its own, so a refused command changes nothing and is answered on its own while the
   commands beside it stand; its answer is stored with the id;
3. the transaction commits with one change number for the batch.

Only then does one local transaction mark the batch's outbox rows applied or rejected, each
with its own time and reason. A crash between the two leaves the rows pending; the next push
resends them and gets the stored answers. Two central transactions that deadlock on the rows
they lock (PostgreSQL picks one to fail) are tried again from the start. Push stops at the
first batch that fails for any reason other than a rejection (the central store went away,
a bug), so commands never overtake each other; that batch and those after it stay pending.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, bindparam, func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.db.errors import login_of
from app.db.models import AppliedCommand, OutboxCommand
from app.db.session import UnitOfWorkFactory, unit_of_work_factory
from app.sync.claims import central_errors
from app.sync.clock import stamp_changes, track_changes
from app.sync.commands import CommandContext, Outcome, apply_command
from app.sync.pull import pause_at

# Commands per central transaction. Each takes one savepoint; PostgreSQL keeps up to 64
# subtransactions of a transaction in shared memory before every other session's snapshot
# gets slower, so a batch stays under that.
BATCH = 50
# A batch that lost a deadlock (or a serialization conflict) is tried again this often.
RETRIES = 5


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


Answer = tuple[Outcome, bool]  # the central store's answer, whether it was a stored one


def push(
    central: Engine,
    local: Engine,
    station_id: str,
    progress: Callable[[int, int], None] | None = None,
) -> PushResult:
    """Send every pending command; raise PushInterrupted (from the cause) if one fails.

    ``progress`` is told (sent, waiting when the push began) after each batch.
    """
    login = login_of(central.url)
    central_uows = unit_of_work_factory(central, before_commit=stamp_changes, on_open=track_changes)
    result = PushResult()
    waiting = count_pending(local) if progress is not None else 0
    batches = 0
    while True:
        batch = _pending(local)
        if not batch:
            return result
        try:
            with central_errors(login):
                answers = deliver_batch(central_uows, station_id, batch)
            batches += 1
            pause_at("push-batch", batches)
            _answer(local, batch, answers)
        except Exception as error:
            raise PushInterrupted(result) from error
        for outcome, replayed in answers:
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
    with local.connect().execution_options(readonly=True) as conn:
        query = (
            select(func.count()).select_from(OutboxCommand).where(OutboxCommand.state == "pending")
        )
        return int(conn.scalar(query) or 0)


def _pending(local: Engine) -> list[PendingCommand]:
    # A read: it must not take the station's write lock from a packer's scan.
    with local.connect().execution_options(readonly=True) as conn:
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


def deliver(central_uows: UnitOfWorkFactory, station_id: str, command: PendingCommand) -> Answer:
    """Apply one command centrally unless it already was; (the answer, whether replayed)."""
    return deliver_batch(central_uows, station_id, [command])[0]


def deliver_batch(
    central_uows: UnitOfWorkFactory, station_id: str, commands: Sequence[PendingCommand]
) -> list[Answer]:
    """Apply the commands in one central transaction, in order; an answer for each."""
    for attempt in range(RETRIES):
        try:
            return _deliver_once(central_uows, station_id, commands)
        except DBAPIError as error:
            if attempt == RETRIES - 1 or not _lost_a_conflict(error):
                raise
    raise AssertionError("unreachable")


def _lost_a_conflict(error: DBAPIError) -> bool:
    """PostgreSQL chose this transaction to fail (deadlock, serialization): SQLSTATE 40xxx."""
    return str(getattr(error.orig, "sqlstate", "") or "").startswith("40")


def _deliver_once(
    central_uows: UnitOfWorkFactory, station_id: str, commands: Sequence[PendingCommand]
) -> list[Answer]:
    with central_uows() as uow:
        answers = [_apply(uow.session, station_id, command) for command in commands]
        uow.commit()
        return answers


def _stored_answers(session: Session, command_ids: list[str]) -> dict[str, Outcome]:
    rows = session.execute(
        select(AppliedCommand.command_id, AppliedCommand.outcome, AppliedCommand.reason).where(
            AppliedCommand.command_id.in_(command_ids)
        )
    )
    return {row[0]: Outcome(row[1] == "applied", row[2]) for row in rows}


def _apply(session: Session, station_id: str, command: PendingCommand) -> Answer:
    if not _take_id(session, station_id, command):
        # Sent before (its answer lost on the way back), or by another pusher of this
        # station at the same moment: the stored answer stands.
        stored = _stored_answers(session, [command.command_id])[command.command_id]
        return stored, True
    outcome = apply_command(
        session, CommandContext(station_id, command.command_id), command.kind, command.payload
    )
    if not outcome.applied or outcome.reason is not None:
        session.execute(
            update(AppliedCommand)
            .where(AppliedCommand.command_id == command.command_id)
            .values(outcome=outcome.state, reason=outcome.reason)
        )
    return outcome, False


def _take_id(session: Session, station_id: str, command: PendingCommand) -> bool:
    """Record the command's id; False when it was there already.

    ``ON CONFLICT DO NOTHING`` rather than catching the duplicate key: on PostgreSQL a failed
    statement spoils the whole transaction, and the batch beside it with it. A concurrent
    pusher's uncommitted insert of the same id makes this one wait for its end. Core on the
    session's connection: no flush of the commands before it.
    """
    connection = session.connection()
    row = connection.execute(
        _TAKE_ID,
        {
            "command_id": command.command_id,
            "station": station_id,
            "kind": command.kind,
            "applied_at": datetime.now(UTC),
        },
    ).first()
    return row is not None


# The same words on PostgreSQL and SQLite (3.35 and later). Written out: SQLAlchemy cannot
# cache a compiled ON CONFLICT, and compiling it each time cost more than the insert.
_TAKE_ID = text(
    "INSERT INTO applied_commands (command_id, station, kind, outcome, applied_at) "
    "VALUES (:command_id, :station, :kind, 'applied', :applied_at) "
    "ON CONFLICT (command_id) DO NOTHING RETURNING command_id"
).bindparams(bindparam("applied_at", type_=AppliedCommand.__table__.c.applied_at.type))


def _answer(local: Engine, batch: Sequence[PendingCommand], answers: Sequence[Answer]) -> None:
    now = datetime.now(UTC)
    with local.begin() as conn:
        conn.execute(
            update(OutboxCommand)
            .where(OutboxCommand.id == bindparam("outbox_id"))
            .values(state=bindparam("state"), answered_at=now, reason=bindparam("why")),
            [
                {"outbox_id": command.id, "state": outcome.state, "why": outcome.reason}
                for command, (outcome, _replayed) in zip(batch, answers, strict=True)
            ],
        )
