"""The command sheet lists what the bench acts on (app.domain.commands), and nothing else.

The sheet is printed from the registry; this checks the registry against the pack station's
controller, so a command the bench starts (or stops) acting on cannot drift from the sheet.
"""

from __future__ import annotations

from typing import cast

from pytestqt.qtbot import QtBot

from app.bootstrap import Station
from app.domain.commands import ANYWHERE, HANDLED_COMMANDS, PACK, PICK, RETURNS, handled_commands
from app.domain.decode import Command
from tests.packing.world import packer
from ui.scanning import StationScanning
from ui.workspaces.base import PageContext
from ui.workspaces.pack import PackController

IDLE = "does nothing at the packing bench"


def test_the_bench_acts_on_the_commands_the_sheet_lists_and_on_no_other(
    bench: Station, qtbot: QtBot
) -> None:
    context = PageContext(bench, packer(bench), cast(StationScanning, None))
    controller = PackController(context, None, None)
    assert not controller.open_order("100240").refused
    answers = {}
    for command in Command:
        argument = bench.config.packing.boxes[0].code if command is Command.BOX else ""
        answer = controller.run(lambda c=command, a=argument: controller.command(c, a, 2))
        answers[command] = answer.said if answer.refused else None
        controller.cancel()
    idle = {c for c, answer in answers.items() if answer is not None and IDLE in answer}
    assert idle == set(Command) - set(handled_commands(PACK)), answers
    # What the pack station leaves alone is handled everywhere (the main window), at the
    # returns desk, at the pick list, or nowhere.
    assert {HANDLED_COMMANDS[c] for c in idle if c in HANDLED_COMMANDS} <= {ANYWHERE, RETURNS, PICK}
