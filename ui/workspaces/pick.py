"""The Pick workspace: walking a pick list bin by bin. Not in this version yet; the page says so."""

from __future__ import annotations

from app.domain.users import Actor, Role, Workspace
from ui.workspaces.base import NotAvailablePage, PageContext, WorkspacePage


def purpose(actor: Actor) -> str:
    """What the workspace will do for this person, in one sentence."""
    if actor.role in (Role.SUPERVISOR, Role.ADMIN):
        return (
            "Here you will pick like a picker does (a pick list in walk order, bin and item "
            "scans, short picks reported on the spot) when the floor needs a hand."
        )
    return (
        "Here you will open a pick list sorted by walk order, scan the bin and then the item "
        "for each line, and report a short pick without leaving the screen."
    )


def create_page(context: PageContext) -> WorkspacePage:
    return NotAvailablePage(Workspace.PICK, purpose(context.actor))
