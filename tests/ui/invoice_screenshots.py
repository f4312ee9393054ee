"""Grab the Invoices workspace on the demo warehouse as PNG files (a tool, not a test).

    xvfb-run -a -s "-screen 0 1920x1080x24" python tests/ui/invoice_screenshots.py OUTDIR

Fills a fresh PACKBENCH_HOME with ``packbench demo --no-window`` (orders, shipments, and
invoices, some partial), opens the window, signs the demo supervisor in with her badge,
opens Invoices, scans a partly shipped and partly invoiced order and previews its invoice;
then bills chosen units per line. Saved at 1280x800 and 1920x1080.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtPdf import QPdfDocument

from app.bootstrap import open_station
from app.cli import main as packbench
from app.config import load_config
from app.domain.scans import Scan
from app.domain.users import Workspace
from app.services import invoicing
from app.services.demo import DEMO_USERS
from tests.packing.screenshots import grab, settle
from ui.application import prepare_application
from ui.main_window import MainWindow
from ui.workspaces.invoices import InvoicesPage

SIZES = [(1280, 800), (1920, 1080)]
SUPERVISOR = next(u for u in DEMO_USERS if u.role.value == "supervisor")


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="packbench-invoice-shots-"))
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
        window.on_scan_read(Scan(SUPERVISOR.badge, None, "wedge", time.monotonic()))
        assert window.desk is not None and window.actor is not None
        window.desk.open_workspace(Workspace.INVOICES)
        page = window.desk.current_page
        assert isinstance(page, InvoicesPage)
        grab(window, out / f"{size}-invoices.png")

        # A partly shipped, partly invoiced order: billable units left after an invoice.
        actor = window.actor
        number = next(
            x.order_number
            for x in invoicing.list_invoices(station, actor)
            if invoicing.billing(station, actor, x.order_number).billable
            and len(invoicing.billing(station, actor, x.order_number).view.shipments()) > 0
        )
        window.on_scan_read(Scan(number, None, "wedge", time.monotonic()))
        settle()
        while page.controller.busy or (
            page.preview.preview is not None
            and page.preview.document.status() is not QPdfDocument.Status.Ready
        ):
            settle(100)
        grab(window, out / f"{size}-invoices-order.png")
        page.show_preview()  # Enter on the list: on a narrow screen, in the list's place
        grab(window, out / f"{size}-invoices-preview.png")
        page.hide_preview()

        page.choice.setCurrentIndex(page.choice.findData("quantities"))
        settle()
        grab(window, out / f"{size}-invoices-chosen-units.png")
        window.close()
    station.close()
    app.quit()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
