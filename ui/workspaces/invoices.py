"""The Invoices workspace: full and partial invoices, credit notes. Not in this version yet."""

from __future__ import annotations

from app.bootstrap import Station
from app.domain.users import Actor, Workspace
from ui.workspaces.base import NotAvailablePage, WorkspacePage

PURPOSE = (
    "Here you will print full invoices, partial invoices for what has shipped so far, and "
    "credit notes for returns, each numbered in this station's own series."
)


def create_page(station: Station, actor: Actor) -> WorkspacePage:
    return NotAvailablePage(Workspace.INVOICES, PURPOSE)
