"""The Returns workspace: parcels taken back in at the returns desk. Not in this version yet."""

from __future__ import annotations

from app.bootstrap import Station
from app.domain.users import Actor, Workspace
from ui.workspaces.base import NotAvailablePage, WorkspacePage

PURPOSE = (
    "Here you will scan a parcel's label or the order number, scan each item back, choose "
    "a reason and whether it is restocked, quarantined or scrapped, and print the credit "
    "note."
)


def create_page(station: Station, actor: Actor) -> WorkspacePage:
    return NotAvailablePage(Workspace.RETURNS, PURPOSE)
