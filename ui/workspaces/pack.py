"""The Pack workspace: every item of an order scanned into its parcels. Not in this version yet."""

from __future__ import annotations

from app.domain.users import Actor, Permission, Workspace
from ui.workspaces.base import NotAvailablePage, PageContext, WorkspacePage


def purpose(actor: Actor) -> str:
    """What the workspace will do for this person, in one sentence."""
    text = (
        "Here you will scan an order or tote, scan every item into the parcel, let the scale "
        "fill in the weight, and close the parcel with one scan so its label and packing "
        "slip print"
    )
    if Permission.SHIP_PARTIAL in actor.permissions:
        text += ", or ship part of an order when stock is short"
    return text + "."


def create_page(context: PageContext) -> WorkspacePage:
    return NotAvailablePage(Workspace.PACK, purpose(context.actor))
