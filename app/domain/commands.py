"""Which command barcodes do something today, and where: the one list the command sheet prints.

The scan grammar (``app.domain.decode.Command``) knows every command a Packbench screen may
ever act on. A sheet beside the bench must not offer a barcode that does nothing, so the
sheet prints only the commands listed here (QTY, OK and CANCEL, listed under the pack bench,
work at the pick list too). A workspace
that starts acting on a command adds it here, and it appears on the next sheet; the pack
station's tests check that what the bench does and this list agree.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.domain.decode import Command

__all__ = ["HANDLED_COMMANDS", "handled_commands"]

ANYWHERE = "anywhere"
PACK = "pack"
PICK = "pick"
RETURNS = "returns"

HANDLED_COMMANDS: Mapping[Command, str] = {
    Command.CLOSE: PACK,
    Command.NEW_PARCEL: PACK,
    Command.REPRINT: PACK,
    Command.UNDO: PACK,
    Command.CANCEL: PACK,
    Command.SHIP_PARTIAL: PACK,
    Command.OK: PACK,
    Command.SIGN_OUT: ANYWHERE,  # the main window, whatever workspace is open
    Command.REOPEN: PACK,
    Command.QTY: PACK,
    Command.BOX: PACK,
    Command.SHORT: PICK,  # and SHORT:BIN-EMPTY, SHORT:DAMAGED, SHORT:NOT-FOUND
    Command.RESTOCK: RETURNS,
    Command.QUARANTINE: RETURNS,
    Command.SCRAP: RETURNS,
}
"""Each handled command and the workspace that acts on it ("anywhere": the main window)."""


def handled_commands(where: str | None = None) -> tuple[Command, ...]:
    """The handled commands in the grammar's order; only those of workspace ``where`` if given."""
    return tuple(
        c for c in Command if c in HANDLED_COMMANDS and where in (None, HANDLED_COMMANDS[c])
    )
