"""The Returns workspace: parcels taken back in at the returns desk. Not in this version yet."""

from __future__ import annotations

from app.domain.users import Workspace
from ui.workspaces.base import NotAvailablePage, PageContext, WorkspacePage

PURPOSE = (
    "Here you will scan a parcel's label or the order number, scan each item back, choose "
    "a reason and whether it is restocked, quarantined or scrapped, and print the credit "
    "note."
)


def create_page(context: PageContext) -> WorkspacePage:
    return NotAvailablePage(Workspace.RETURNS, PURPOSE)
