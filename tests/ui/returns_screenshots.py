"""Grab the Returns desk on the demo warehouse as PNG files (a tool, not a test).

    xvfb-run -a -s "-screen 0 1920x1080x24" python tests/ui/returns_screenshots.py OUTDIR

Fills a fresh PACKBENCH_HOME with ``packbench demo --no-window`` (shipped orders, invoices,
a few returns), opens the window, signs the demo returns clerk in with his badge, scans an
item several orders shipped (the orders to pick from), then a shipped order, two of its
items (the second quarantined), OK for the refund, and opens the report. Saved at 1280x800
and 1920x1080; the return is put down (saved) between the two sizes, not confirmed.
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
from app.services import invoicing, returns
from app.services.demo import DEMO_USERS
from tests.packing.screenshots import grab, settle
from ui.application import prepare_application
from ui.main_window import MainWindow
from ui.workspaces.returns import ReturnsPage

SIZES = [(1280, 800), (1920, 1080)]
CLERK = next(u for u in DEMO_USERS if u.role is Role.RETURNS)


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="packbench-returns-shots-"))
    os.environ["PACKBENCH_HOME"] = str(home)
    if packbench(["demo", "--no-window"]) != 0:
        return 1
    station = open_station(load_config(env={"PACKBENCH_HOME": str(home)}), demo=True)
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

        scan(CLERK.badge)
        assert window.desk is not None and window.actor is not None
        window.desk.open_workspace(Workspace.RETURNS)
        page = window.desk.current_page
        assert isinstance(page, ReturnsPage)
        actor = window.actor
        grab(window, out / f"{size}-returns-idle.png")

        orders = [x.order_number for x in invoicing.list_invoices(station, _boss(station))]
        found = [c for n in dict.fromkeys(orders) for c in returns.find(station, actor, n)]
        order = next(c for c in found if not c.late and c.open_return is None and c.returnable >= 2)
        popular = max(
            (line.sku for c in found for line in c.lines),
            key=lambda sku: sum(any(x.sku == sku for x in c.lines) for c in found),
        )
        scan(popular)
        grab(window, out / f"{size}-returns-orders-found.png")

        scan(order.order_number)
        grab(window, out / f"{size}-returns-order.png")
        items = [x.sku for x in order.lines for _ in range(x.returnable)][:2]
        scan(items[0])
        scan(items[1])
        scan("%PB:QUARANTINE")
        grab(window, out / f"{size}-returns-units.png")
        scan("%PB:OK")
        grab(window, out / f"{size}-returns-refund.png")
        scan("%PB:CANCEL")
        page.toggle_report()
        while page.report.report is None:
            settle(100)
        grab(window, out / f"{size}-returns-report.png")
        page.toggle_report()
        page.act(page.controller.leave)
        settle()
        window.close()
    station.close()
    app.quit()
    return 0


def _boss(station: object) -> Actor:
    """Who lists the demo's invoiced orders (the clerk may not): a supervisor."""
    return Actor(1, "Screenshots", Role.SUPERVISOR, permissions_of(Role.SUPERVISOR), "ST-01")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
