"""What sync brings in is scannable at once: the window is running, orders and barcodes are
imported centrally with `packbench import`, sync pulls them, and the packer's scans find them.

The scan catalogue is read into memory on the first scan; these tests make that first scan
before the import, so the new rows can only be found if the catalogue follows sync.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import Station, open_station
from app.config import load_config
from app.domain.barcodes import gs1_check_digit
from app.domain.users import Role
from app.services.auth import create_user
from devices.sim_scanner import SimulatedScanner
from tests.packing.world import MUG, ready
from tests.sync.stores import Central, postgres_central, sqlite_central
from tests.ui.syncing import synced_until
from ui.main_window import MainWindow

BADGE = "B-PACKER-78"
NEW_MUG = "401234567890" + gs1_check_digit("401234567890")  # a second barcode for the mug
NEW_CUP = "401234567891" + gs1_check_digit("401234567891")  # a product new to the store

CATALOGUE = f"""sku,name,barcodes,units_per_barcode,weight_g,price,currency,bin,on_hand
MUG-BLUE-350,Blue mug 350 ml,{MUG};{NEW_MUG},1,,,,,
CUP-GREEN-300,Green cup 300 ml,{NEW_CUP},1,210,6.00,EUR,A-09-1,10
"""
ORDER_COLUMNS = (
    "order_id,order_number,placed_at,currency,customer_id,customer_name,ship_name,ship_line1,"
    "ship_city,ship_postcode,ship_country,bill_country,carrier,service,sku,name,quantity,"
    "unit_price\n"
)
ADDRESS = "Ana Silva,Ana Silva,Rua Augusta 10,Lisboa,1100-053,PT,PT,DHL,Paket"
ORDERS = (
    ORDER_COLUMNS
    + f"N-1,777001,2026-03-02T10:15:00Z,EUR,C-1,{ADDRESS},MUG-BLUE-350,Blue mug 350 ml,1,8.00\n"
    + f"N-2,777002,2026-03-02T10:16:00Z,EUR,C-1,{ADDRESS},CUP-GREEN-300,Green cup 300 ml,1,6\n"
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def central(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Central]:
    if request.param == "sqlite":
        with sqlite_central(tmp_path / "central") as store:
            yield store
    else:
        with postgres_central(request.getfixturevalue("central_url")) as store:
            yield store


@pytest.fixture
def scanner(tmp_path: Path) -> Iterator[SimulatedScanner]:
    with SimulatedScanner(tmp_path / "scanner") as simulated:
        yield simulated


def station_home(tmp_path: Path, scanner: SimulatedScanner, sync_seconds: int) -> Path:
    home = tmp_path / "station"
    (home / "config").mkdir(parents=True)
    (home / "config" / "config.toml").write_text(
        f'[station]\nid = "ST-08"\n[scanner]\nmode = "serial"\nport = "{scanner.path}"\n'
        f"[central]\nsync_seconds = {sync_seconds}\n",
        encoding="utf-8",
    )
    return home


def packbench(home: Path, central: Central, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PACKBENCH_HOME": str(home), "PACKBENCH_CENTRAL_URL": central.url}
    done = subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def import_centrally(tmp_path: Path, central: Central) -> None:
    """What the office does: the catalogue, then the orders, into the central store."""
    office = tmp_path / "office"
    office.mkdir()
    (office / "products.csv").write_text(CATALOGUE, encoding="utf-8")
    (office / "orders.csv").write_text(ORDERS, encoding="utf-8")
    packbench(office, central, "import", "products", str(office / "products.csv"))
    packbench(office, central, "import", "csv", str(office / "orders.csv"))


def open_window(qtbot: QtBot, home: Path, central: Central) -> tuple[MainWindow, Station]:
    config = load_config({"PACKBENCH_HOME": str(home), "PACKBENCH_CENTRAL_URL": central.url})
    station = open_station(config)
    ready(station, central.engine)
    create_user(station.local, None, "Tomasz Nowak", Role.PACKER, "5173", badge=BADGE)
    window = MainWindow(station)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    return window, station


Scan = Callable[[str], str]


def scanning(qtbot: QtBot, window: MainWindow, scanner: SimulatedScanner) -> Scan:
    qtbot.waitUntil(lambda: scanner.wait_for_reader(0.01), timeout=10_000)

    def scan(code: str) -> str:
        seen: list[object] = []
        window.scanning.hub.scan_read.connect(seen.append)
        scanner.scan(code)
        qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
        window.scanning.hub.scan_read.disconnect(seen.append)
        QApplication.processEvents()
        assert window.desk is not None
        return window.desk.scan_band.text()

    return scan


def test_an_order_and_barcodes_imported_centrally_scan_as_soon_as_the_background_sync_pulls_them(
    qtbot: QtBot, tmp_path: Path, central: Central, scanner: SimulatedScanner
) -> None:
    window, station = open_window(qtbot, station_home(tmp_path, scanner, 30), central)
    try:
        scan = scanning(qtbot, window, scanner)
        scan(BADGE)
        assert window.actor is not None and window.actor.name == "Tomasz Nowak"
        assert "Unknown order 777001" in scan("ORD-777001")  # the catalogue is read now

        import_centrally(tmp_path, central)
        synced_until(qtbot, window, lambda report: report.pulled_orders >= 2)

        assert "Order 777001 open" in scan("ORD-777001")
        assert "MUG-BLUE-350 Blue mug 350 ml: 1 of 1" in scan(NEW_MUG)
        assert "Order 777002 open" in scan("ORD-777002")
        assert "CUP-GREEN-300 Green cup 300 ml: 1 of 1" in scan(NEW_CUP)
    finally:
        qtbot.waitUntil(lambda: window.status.central_checked, timeout=10_000)
        window.shutdown()
        station.close()


def test_an_order_pulled_by_the_sync_command_beside_the_app_scans_at_once(
    qtbot: QtBot, tmp_path: Path, central: Central, scanner: SimulatedScanner
) -> None:
    home = station_home(tmp_path, scanner, 3600)  # the app's own sync runs once, at the start
    window, station = open_window(qtbot, home, central)
    try:
        synced_until(qtbot, window, lambda report: report.online)
        scan = scanning(qtbot, window, scanner)
        scan(BADGE)
        assert "Unknown order 777001" in scan("ORD-777001")

        import_centrally(tmp_path, central)
        packbench(home, central, "sync", "--once")  # another process pulls into this station

        assert "Order 777001 open" in scan("ORD-777001")
        assert "MUG-BLUE-350 Blue mug 350 ml: 1 of 1" in scan(NEW_MUG)
    finally:
        window.shutdown()
        station.close()
