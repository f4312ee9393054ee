"""The Sync workspace: this station's exchange with the central store. Not in this version yet.

The status bar already says whether the central store answers.
"""

from __future__ import annotations

from app.domain.users import Workspace
from ui.workspaces.base import NotAvailablePage, PageContext, WorkspacePage

PURPOSE = (
    "Here you will see what this station has sent to the central order store and what it "
    "has received, and resolve the changes the central store refused."
)


def create_page(context: PageContext) -> WorkspacePage:
    return NotAvailablePage(Workspace.SYNC, PURPOSE)
