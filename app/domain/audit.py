"""The audit trail's hash chain: each entry carries a hash of itself and of the one before.

The chain is per database: a station's file chains the entries written there, the central
store chains its own (docs/architecture.md, "Audit trail"). An entry's hash is SHA-256 over a
canonical serialisation of its fields, its place in the chain and the previous entry's hash,
so changing, removing or reordering any sealed entry breaks every hash from there on; the
first entry whose hash no longer matches is the one that was touched (or the one after a
removed one). The chain has no secret: it shows an edit made behind the application's back,
it cannot stop someone who rewrites the whole trail.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = "0" * 64  # the "previous hash" of the first entry of a database


@dataclass(frozen=True)
class AuditEntry:
    """One audit row as the chain sees it (every column that says what happened)."""

    id: int
    at: datetime
    user_id: int | None
    user_name: str | None
    station: str
    action: str
    subject: str | None
    detail: str | None
    raw_scan: str | None
    chain_seq: int | None = None
    hash: str | None = None

    def canonical(self, chain_seq: int, previous: str) -> bytes:
        """The bytes hashed: sorted-key JSON, times as UTC ISO-8601 with microseconds."""
        fields = {
            "id": self.id,
            "at": self.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "user_id": self.user_id,
            "user_name": self.user_name,
            "station": self.station,
            "action": self.action,
            "subject": self.subject,
            "detail": self.detail,
            "raw_scan": self.raw_scan,
            "chain_seq": chain_seq,
            "previous": previous,
        }
        return json.dumps(
            fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode()

    def hash_after(self, chain_seq: int, previous: str) -> str:
        return hashlib.sha256(self.canonical(chain_seq, previous)).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """The first entry whose hash does not follow from its own fields and the chain before."""

    entry: AuditEntry
    why: str

    @property
    def words(self) -> str:
        e = self.entry
        who = e.user_name or "no user"
        return (
            f"audit entry {e.id} (#{e.chain_seq} in the chain: {e.action} by {who} at "
            f"{e.station}, {e.at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC) {self.why}"
        )


def first_break(sealed: Iterable[AuditEntry]) -> ChainBreak | None:
    """Walk the sealed entries in chain order; the first that does not verify, or None."""
    previous, expected_seq = GENESIS, 1
    for entry in sealed:
        if entry.chain_seq != expected_seq:
            return ChainBreak(
                entry,
                f"follows a missing entry (#{expected_seq} is gone): an entry was deleted",
            )
        if entry.hash != entry.hash_after(expected_seq, previous):
            return ChainBreak(
                entry,
                "does not match its hash: it was changed after it was written, "
                "or the entry before it was",
            )
        previous, expected_seq = entry.hash, expected_seq + 1
    return None
