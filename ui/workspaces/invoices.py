"""The Invoices workspace: full and partial invoices, credit notes. Not in this version yet."""

from __future__ import annotations

from app.domain.users import Workspace
from ui.workspaces.base import NotAvailablePage, PageContext, WorkspacePage

PURPOSE = (
    "Here you will print full invoices, partial invoices for what has shipped so far, and "
    "credit notes for returns, each numbered in this station's own series."
)


def create_page(context: PageContext) -> WorkspacePage:
    return NotAvailablePage(Workspace.INVOICES, PURPOSE)
