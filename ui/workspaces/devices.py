"""The Devices workspace: scanner, label printer and scale. Not in this version yet.

Until then the status bar shows what the configuration says about each device.
"""

from __future__ import annotations

from app.bootstrap import Station
from app.domain.users import Actor, Workspace
from ui.workspaces.base import NotAvailablePage, WorkspacePage

PURPOSE = (
    "Here you will set up and test this station's barcode scanner, label printer and "
    "shipping scale, and see whether each one is answering."
)


def create_page(station: Station, actor: Actor) -> WorkspacePage:
    return NotAvailablePage(Workspace.DEVICES, PURPOSE)
