"""``make run`` on a machine without a display: the demo packs an order headless and shows it.

By the door: the command ``make run`` runs, in a subprocess, with no DISPLAY and no
WAYLAND_DISPLAY, on a PACKBENCH_HOME holding the demo data (made once per test run); then
what it made is read back as a person and a scanner would (ZPL fields, the PDF label scanned
by zbar, the slip's text, the picture).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from app.config import load_config
from app.db.models import Address, Order
from app.db.session import create_db_engine
from app.domain.status import OrderStatus
from devices.sim_printer import find_sscc
from printing.zpl import parse_zpl_fields
from tests.demo_run import DemoRun
from tests.printing.readback import barcodes_of, text_of
from tests.stock_checks import line_chains, stock_problems
from ui.preflight import no_display

ROOT = Path(__file__).resolve().parents[1]


def headless_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    return env


def run_demo() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "demo"],
        capture_output=True,
        text=True,
        timeout=300,
        env=headless_env(),
    )


def test_make_run_calls_the_demo_command() -> None:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    shown = subprocess.run(
        ["make", "--no-print-directory", "--dry-run", "-C", str(ROOT), "run"],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if not k.startswith("MAKE")},
    )
    assert shown.stdout.splitlines()[-1] == ".venv/bin/packbench demo"


@pytest.mark.xdist_group("demo")
def test_without_a_display_make_run_packs_a_demo_order_and_saves_what_it_made(
    isolated_home: Path, tmp_path: Path, demo_run: DemoRun
) -> None:
    # The demo data the first run on a fresh home generates (its own test: tests/test_cli.py),
    # copied here; what `make run` does with it is this test's.
    demo_run.copy_to(isolated_home)
    result = run_demo()
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "no display here" in result.stderr
    out = result.stdout
    assert "xvfb-run" in out and "desktop session" in out  # how to open the real window
    found = re.search(r"^What it made is in (.+):$", out, re.MULTILINE)
    assert found, out
    folder = Path(found.group(1))
    assert folder.is_relative_to(isolated_home)
    order, shipment, parcels = re.search(
        r"Packed demo order (\S+) .*: shipment (\S+), (\d+) parcel", out
    ).groups()  # type: ignore[union-attr]
    assert int(parcels) >= 1

    # The labels the printer simulator received, as ZPL.
    zpl_files = sorted(folder.glob("*.zpl"))
    assert len(zpl_files) == int(parcels)
    zpl = zpl_files[0].read_bytes()
    fields = " | ".join(f.data for f in parse_zpl_fields(zpl))
    assert order in fields and shipment in fields
    sscc = find_sscc(zpl)
    assert sscc is not None and len(sscc) == 18

    # The same label as PDF: zbar reads the SSCC the printer got.
    pdfs = sorted(folder.glob("label-*.pdf"))
    assert pdfs
    symbols = barcodes_of(pdfs[0].read_bytes(), tmp_path)
    assert any(s.type == "CODE-128" and s.data.endswith(sscc) for s in symbols), symbols

    # Shipped through the station's own services, as a packer would have.
    config = load_config()
    engine = create_db_engine(config.local_url)
    with engine.connect() as conn:
        status, ship_to = conn.execute(
            select(Order.status, Address.name)
            .join(Address, Address.id == Order.ship_to_id)
            .where(Order.number == order)
        ).one()
    # Its lines went the whole chain, and the stock adds up, read back from the station's
    # database and from the central store the demo was loaded into: every bin's committed
    # units are what the lines hold there, never more than it has on hand.
    assert all(
        ordered == allocated == picked == packed == shipped
        for ordered, allocated, picked, packed, shipped in line_chains(engine, order)
    )
    assert stock_problems(engine) == []
    engine.dispose()
    central = create_db_engine(config.central_url)
    assert stock_problems(central) == []
    central.dispose()
    assert status is OrderStatus.SHIPPED
    assert ship_to in fields

    # The packing slip names the order, the shipment and whom it goes to.
    slips = sorted(folder.glob("slip-*.pdf"))
    assert len(slips) == 1
    slip = text_of(slips[0].read_bytes(), tmp_path)
    assert f"Order {order}" in slip and shipment in slip and ship_to in slip

    # The Pack workspace, drawn offscreen: a real picture, not a blank one.
    for name in ("pack-workspace.png", "pack-shipped.png"):
        with Image.open(folder / name) as image:
            assert image.size == (1280, 800)
            colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
        assert len(colours) > 50
        assert max(count for count, _ in colours) < 0.8 * 1280 * 800

    # Again: the next order, and the folder holds this run's work only.
    again = run_demo()
    assert again.returncode == 0, again.stderr
    assert "generating" not in again.stderr
    next_order = re.search(r"Packed demo order (\S+) ", again.stdout)
    assert next_order and next_order.group(1) != order
    assert len(list(folder.glob("slip-*.pdf"))) == 1


@pytest.mark.parametrize(
    ("env", "headless"),
    [
        ({}, True),
        ({"DISPLAY": ":0"}, False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, False),
        ({"QT_QPA_PLATFORM": "offscreen"}, False),  # asked for: the caller knows
        ({"QT_QPA_PLATFORM": "xcb"}, True),
        ({"QT_QPA_PLATFORM": "wayland"}, False),
    ],
)
def test_the_demo_runs_headless_only_where_no_display_is_found(
    env: dict[str, str], headless: bool
) -> None:
    assert no_display(env) is headless
