"""Grab the Pick workspace on the demo warehouse as PNG files (a tool, not a test).

    xvfb-run -a -s "-screen 0 1920x1080x24" python tests/picking/screenshots.py OUTDIR

Fills a fresh PACKBENCH_HOME with ``packbench demo --no-window``, builds batch lists of the
demo's allocated orders as its supervisor, signs the demo picker in with her badge and, at
1280x800 and 1920x1080 (a list each): the idle screen offering the next list, OK (the next
bin), a wrong bin (the refusal), SHORT at a bin (the reason awaited), then the rest of the
list walked with scans to the end (list done). The short pick and the supervisor's queue
on the Orders page are grabbed too.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.bootstrap import open_station
from app.cli import main as packbench
from app.config import load_config
from app.domain.scans import Scan
from app.domain.users import Actor, Role, Workspace, permissions_of
from app.services import picking
from app.services.demo import DEMO_USERS
from tests.packing.screenshots import grab, settle
from ui.application import prepare_application
from ui.main_window import MainWindow
from ui.workspaces.pick import PickPage
from ui.workspaces.short_picks import ShortPicksBar

SIZES = [(1280, 800), (1920, 1080)]
PICKER = next(u for u in DEMO_USERS if u.role is Role.PICKER)
BOSS = next(u for u in DEMO_USERS if u.role is Role.SUPERVISOR)


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="packbench-pick-shots-"))
    os.environ["PACKBENCH_HOME"] = str(home)
    if packbench(["demo", "--no-window"]) != 0:
        return 1
    station = open_station(load_config(env={"PACKBENCH_HOME": str(home)}), demo=True)
    boss = Actor(1, BOSS.name, Role.SUPERVISOR, permissions_of(Role.SUPERVISOR), "ST-01")
    built = picking.build_lists(station, boss, batch=4)
    print("lists:", [(s.number, s.orders, s.units) for s in built.lists[:3]])
    app = prepare_application(station)
    demo_users = [(u.name, u.role.label, u.badge, u.pin) for u in DEMO_USERS]
    for width, height in SIZES:
        size = f"{width}x{height}"
        window = MainWindow(station, demo_users)
        window.resize(width, height)
        window.show()

        def scan(code: str, window: MainWindow = window) -> None:
            window.on_scan_read(Scan(code, None, "wedge", time.monotonic()))
            settle()

        scan(PICKER.badge)
        assert window.desk is not None
        page = window.desk.current_page
        assert isinstance(page, PickPage)
        grab(window, out / f"{size}-pick-idle.png")
        scan("%PB:OK")
        grab(window, out / f"{size}-pick-next-bin.png")
        view = page.controller.view
        assert view is not None and view.line is not None
        wrong = next(
            (ln.bin_code for ln in view.pick_list.lines if ln.bin_code != view.line.bin_code),
            "A-99-9",
        )
        scan(wrong)
        grab(window, out / f"{size}-pick-refused.png")
        scan(view.line.bin_code)
        if view.line.open > 1:
            scan(view.line.sku)
        scan("%PB:SHORT")
        grab(window, out / f"{size}-pick-short.png")
        scan("%PB:SHORT:BIN-EMPTY")
        grab(window, out / f"{size}-pick-short-done.png")
        totes: dict[str, str] = {}
        for _ in range(500):
            view = page.controller.view
            if view is None or view.awaiting == "done" or view.line is None:
                break
            if view.awaiting == "bin":
                scan(view.line.bin_code)
            elif view.awaiting == "item":
                scan(view.line.sku)
            else:
                order = view.to_order or ""
                tote = view.to_tote or totes.setdefault(order, f"TOTE-{size[:4]}{len(totes):02d}")
                scan(tote)
        grab(window, out / f"{size}-pick-done.png")
        scan("%PB:SIGN-OUT")
        scan(BOSS.badge)
        window.desk.open_workspace(Workspace.ORDERS)
        settle(500)
        bar = (
            window.desk.current_page.findChild(ShortPicksBar) if window.desk.current_page else None
        )
        if bar is not None:
            bar.open_dialog()
            settle(500)
            assert bar.dialog is not None
            bar.dialog.grab().save(str(out / f"{size}-short-picks-dialog.png"))
            grab(window, out / f"{size}-orders-short-picks-bar.png")
            bar.dialog.close()
        window.close()
    station.close()
    app.quit()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
