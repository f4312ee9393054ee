"""Gap-free number series of a station (shipments, SSCCs, invoices, credit notes).

A number is taken inside the caller's transaction, under the series row's lock (SQLite's
``BEGIN IMMEDIATE`` writer lock at the station): it is used only if that transaction
commits, so a crash before the commit leaves it to be taken again, and two writers queue.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.db.models import NumberSeries


def take_number(s: Session, name: str, first: int = 1) -> int:
    """The next value of series ``name`` (starting at ``first``), in the caller's transaction."""
    row = s.get(NumberSeries, name, with_for_update=True)
    if row is None:
        row = NumberSeries(name=name, next_value=first)
        s.add(row)
    value = max(row.next_value, first)
    row.next_value = value + 1
    return value
