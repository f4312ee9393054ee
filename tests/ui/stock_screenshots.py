"""Grab the Stock workspace as PNG files, to look at them (a tool, not a test).

    xvfb-run -a -s "-screen 0 1920x1080x24" python tests/ui/stock_screenshots.py OUTDIR

A station with three warehouses, a few products spread over them, one transfer part
received and one in transit; a supervisor opens Stock, then scans a transfer and a bin.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[2]))

from conftest import PEOPLE, add_people
from screenshots import SIZES, grab
from sqlalchemy import select

from app.bootstrap import open_station
from app.config import load_config
from app.db.models import Bin, Product, StockLevel, Warehouse
from app.domain.scans import Scan
from app.domain.users import Role, Workspace
from app.services.transfers import create_transfer, receive_transfer
from app.services.warehouses import save_warehouse
from tests.sync.stores import actor
from ui.application import prepare_application
from ui.main_window import MainWindow

PRODUCTS = [
    ("MUG-BLUE-350", "Blue mug 350 ml", {"MAIN": 40, "MAN": 12, "BER": 0}),
    ("TEA-EARL-100", "Earl Grey, loose leaf, 100 g tin", {"MAIN": 8, "MAN": 30, "BER": 55}),
    ("KNIFE-SET-6", "Küchenmesser-Set, 6-teilig", {"MAIN": 0, "MAN": 4, "BER": 16}),
]


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="packbench-shots-"))
    station = open_station(load_config(env={"PACKBENCH_HOME": str(home)}))
    add_people(station)
    save_warehouse(station, "MAN", name="Manchester", address_lines=[], country="GB", serves=[])
    save_warehouse(station, "BER", name="Berlin", address_lines=[], country="DE", serves=["DE"])
    with station.central()() as uow:
        s = uow.session
        ids = dict(s.execute(select(Warehouse.code, Warehouse.id)).tuples().all())
        bins = {code: Bin(code="A-01", zone="A", walk_sequence=1, warehouse_id=i)
                for code, i in ids.items()}  # fmt: skip
        s.add_all(bins.values())
        s.flush()
        for sku, name, spread in PRODUCTS:
            p = Product(sku=sku, name=name)
            s.add(p)
            s.flush()
            for code, n in spread.items():
                s.add(StockLevel(product_id=p.id, bin_id=bins[code].id,
                                 warehouse_id=ids[code], on_hand=n, committed=0))  # fmt: skip
        uow.commit()
    boss = actor(station, Role.SUPERVISOR, PEOPLE[Role.SUPERVISOR].name)
    create_transfer(station, boss, "MAIN", "BER", "MUG-BLUE-350:20,TEA-EARL-100:5")
    receive_transfer(station, boss, "TR-000001", items="MUG-BLUE-350:8")
    create_transfer(station, boss, "BER", "MAN", "KNIFE-SET-6:6")
    prepare_application(station)
    for width, height in SIZES:
        size = f"{width}x{height}"
        window = MainWindow(station, None)
        window.resize(width, height)
        window.show()
        screen = window.login_screen
        screen.badge_field.setText(PEOPLE[Role.SUPERVISOR].badge)
        screen.badge_field.returnPressed.emit()
        assert window.desk is not None
        window.desk.open_workspace(Workspace.STOCK)
        grab(window, out, f"{size}-stock")
        for code in ("TR-000001", "A-01"):
            window.scanning.hub.deliver(Scan(code, None, "wedge", time.monotonic()))
        grab(window, out, f"{size}-stock-receiving")
        window.close()
    station.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
