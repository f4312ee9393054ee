"""One module per workspace; each offers ``create_page(station, actor)``.

The main window asks ``create_page`` for a workspace the first time it is opened.
"""

from __future__ import annotations

from collections.abc import Callable

from app.bootstrap import Station
from app.domain.users import Actor, Workspace
from ui.workspaces import devices, invoices, orders, pack, pick, returns, sync, users
from ui.workspaces.base import WorkspacePage

PageFactory = Callable[[Station, Actor], WorkspacePage]

PAGE_FACTORIES: dict[Workspace, PageFactory] = {
    Workspace.PICK: pick.create_page,
    Workspace.PACK: pack.create_page,
    Workspace.RETURNS: returns.create_page,
    Workspace.ORDERS: orders.create_page,
    Workspace.INVOICES: invoices.create_page,
    Workspace.SYNC: sync.create_page,
    Workspace.DEVICES: devices.create_page,
    Workspace.USERS: users.create_page,
}


def create_page(workspace: Workspace, station: Station, actor: Actor) -> WorkspacePage:
    return PAGE_FACTORIES[workspace](station, actor)
