"""The audit viewer: the trail read back, filtered by user, station, action and order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.db.models import AuditEvent
from app.db.session import UnitOfWorkFactory
from app.domain.users import Actor, Permission


@dataclass(frozen=True)
class AuditFilter:
    """Each field narrows the list; empty ones do not. Text matches ignore case."""

    user: str = ""
    station: str = ""
    action: str = ""  # a whole action ("pack.ship") or its start ("pack.")
    order: str = ""
    limit: int = 1000


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    user: str
    station: str
    action: str
    subject: str
    detail: str
    sealed: bool

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "user": self.user,
            "station": self.station,
            "action": self.action,
            "subject": self.subject,
            "detail": self.detail,
            "sealed": self.sealed,
        }


def find_events(uows: UnitOfWorkFactory, actor: Actor, wanted: AuditFilter) -> list[AuditRow]:
    """The newest entries that match, newest first (at most ``wanted.limit``)."""
    actor.require(Permission.VIEW_AUDIT)
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(wanted.limit)
    if wanted.user.strip():
        query = query.where(AuditEvent.user_name.ilike(f"%{wanted.user.strip()}%"))
    if wanted.station.strip():
        query = query.where(AuditEvent.station.ilike(wanted.station.strip()))
    if wanted.action.strip():
        query = query.where(AuditEvent.action.ilike(f"{wanted.action.strip()}%"))
    if wanted.order.strip():
        query = query.where(AuditEvent.subject.ilike(f"order:{wanted.order.strip()}"))
    with uows(readonly=True) as uow:
        return [
            AuditRow(
                e.id,
                e.at,
                e.user_name or "",
                e.station,
                e.action,
                e.subject or "",
                e.detail or "",
                e.hash is not None,
            )
            for e in uow.session.scalars(query)
        ]
