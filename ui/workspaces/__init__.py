"""One module per workspace; each offers ``create_page(context)``.

The main window asks ``create_page`` for a workspace the first time it is opened.
"""

from __future__ import annotations

from collections.abc import Callable

from app.domain.users import Workspace
from ui.workspaces import (
    devices,
    invoices,
    orders,
    pack,
    pick,
    reports,
    returns,
    stock,
    sync,
    users,
)
from ui.workspaces.base import PageContext, WorkspacePage

PageFactory = Callable[[PageContext], WorkspacePage]

PAGE_FACTORIES: dict[Workspace, PageFactory] = {
    Workspace.PICK: pick.create_page,
    Workspace.PACK: pack.create_page,
    Workspace.RETURNS: returns.create_page,
    Workspace.ORDERS: orders.create_page,
    Workspace.INVOICES: invoices.create_page,
    Workspace.SYNC: sync.create_page,
    Workspace.DEVICES: devices.create_page,
    Workspace.USERS: users.create_page,
    Workspace.REPORTS: reports.create_page,
    Workspace.STOCK: stock.create_page,
}


def create_page(workspace: Workspace, context: PageContext) -> WorkspacePage:
    return PAGE_FACTORIES[workspace](context)
