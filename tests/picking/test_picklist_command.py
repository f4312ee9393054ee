"""``packbench picklist`` and ``packbench print picklist`` in a subprocess, as a supervisor
runs them: lists made, refused orders named, exit codes; the printed list read back by
pdftotext (bins in walk order) and zbarimg (every barcode decodes to what it says); and two
stations listing the same order: the central store keeps the first and tells the second who.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.bootstrap import Station
from app.domain.decode import ScanKind, decode
from app.domain.picking import PickingError, ShortReason
from app.domain.users import Role
from app.services import picking
from app.sync.engine import sync_once
from tests.packing.world import packer
from tests.printing.readback import barcodes_of, text_of
from tests.returns.test_returns_command import BOSS, PACKER, PIN, add_people
from tests.sync.stores import Central, open_test_station


def packbench(
    home: Path, central: Central, *args: str, user: str = BOSS, station: str = "ST-01"
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PACKBENCH_HOME": str(home),
        "PACKBENCH_CENTRAL_URL": central.url,
        "PACKBENCH_STATION": station,
        "PACKBENCH_USER": user,
        "PACKBENCH_PIN": PIN,
    }
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def test_lists_are_made_refused_orders_named_and_exit_codes_kept(
    bench: Station, bench_home: Path, central: Central
) -> None:
    add_people(central, bench)
    done = packbench(
        bench_home, central, "picklist", "create", "--orders", "ORD-100234,100240", "--json"
    )
    assert done.returncode == 0, done.stderr
    made = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(m["number"], m["orders"]) for m in made] == [
        ("PL-ST-01-000001", ["100234"]),
        ("PL-ST-01-000002", ["100240"]),
    ]
    assert (made[0]["lines"], made[0]["units"], made[0]["zones"]) == (3, 6, ["A"])

    again = packbench(bench_home, central, "picklist", "create", "--orders", "100234,NOPE")
    assert again.returncode == 1
    assert "already on pick list PL-ST-01-000001" in again.stderr
    assert "There is no order NOPE" in again.stderr
    assert "Traceback" not in again.stderr

    wave = packbench(bench_home, central, "picklist", "create", "--wave", "carrier", "--json")
    assert wave.returncode == 0, wave.stderr
    (listed,) = [json.loads(line) for line in wave.stdout.splitlines()]
    assert listed["orders"] == ["100250"] and listed["kind"] == "wave"
    nothing = packbench(bench_home, central, "picklist", "create", "--batch", "4")
    assert (
        nothing.returncode == 1
        and "100250 is already on pick list PL-ST-01-000003" in nothing.stderr
    )

    for bad in (["--batch", "0"], ["--batch", "2", "--zone", "A"], ["--wave", "colour"]):
        refused = packbench(bench_home, central, "picklist", "create", *bad)
        assert refused.returncode == 2, (bad, refused.stderr)
        assert "Traceback" not in refused.stderr
    packer_says = packbench(bench_home, central, "picklist", "create", "--batch", "2", user=PACKER)
    assert packer_says.returncode == 2 and "may not build pick lists" in packer_says.stderr


def test_the_printed_list_walks_the_bins_in_order_and_every_barcode_decodes(
    bench: Station, bench_home: Path, central: Central, tmp_path: Path
) -> None:
    add_people(central, bench)
    made = packbench(bench_home, central, "picklist", "create", "--batch", "3", "--json")
    number = json.loads(made.stdout.splitlines()[0])["number"]
    pdf_path = tmp_path / "list.pdf"
    printed = packbench(
        bench_home, central, "print", "picklist", number.lower(), "--pdf", str(pdf_path)
    )
    assert printed.returncode == 0, printed.stderr
    pdf = pdf_path.read_bytes()
    text = text_of(pdf, tmp_path)
    assert number in text and "Page 1 of 1" in text
    bins = [b for b in ("A-01-1", "A-02-1", "A-03-1") if b in text]
    assert bins == sorted(bins, key=text.index) == ["A-01-1", "A-02-1", "A-03-1"]
    assert "in slot 1 / 100234" in text and "in slot 2 / 100240" in text
    symbols = barcodes_of(pdf, tmp_path)
    meanings = {(decode(s.data).kind, decode(s.data).reference) for s in symbols}
    assert (ScanKind.PICK_LIST, number) in meanings
    products = {ref for kind, ref in meanings if kind is ScanKind.PRODUCT}
    assert products == {"05012345678900", "04006381333931", "05901234123457"}
    assert all(decode(s.data).valid for s in symbols)
    missing = packbench(
        bench_home, central, "print", "picklist", "PL-NONE-1", "--pdf", str(pdf_path)
    )
    assert missing.returncode == 2 and "no pick list PL-NONE-1" in missing.stderr


def test_two_stations_listing_one_order_the_first_wins_and_the_second_is_told_who(
    bench: Station, bench_home: Path, central: Central, tmp_path: Path
) -> None:
    add_people(central, bench)
    other = open_test_station(tmp_path / "st-02", central.url, "ST-02")
    try:
        sync_once(other)
        first = packbench(bench_home, central, "picklist", "create", "--orders", "100234")
        assert first.returncode == 0, first.stderr
        second = packbench(
            tmp_path / "st-02", central, "picklist", "create", "--orders", "100234", station="ST-02"
        )
        assert second.returncode == 0, second.stderr
        for home, station in ((bench_home, "ST-01"), (tmp_path / "st-02", "ST-02")):
            synced = packbench(home, central, "sync", "--once", station=station)
            assert synced.returncode == 0, synced.stderr
        picker = packer(other, Role.PICKER, "Ana")
        with pytest.raises(PickingError, match="on pick list PL-ST-01-000001, built at ST-01 by"):
            picking.open_list(other, picker, "PL-ST-02-000001")
        assert picking.open_list(bench, packer(bench, Role.PICKER), "PL-ST-01-000001").line
    finally:
        other.close()


def test_a_supervisor_answers_a_short_pick_from_the_command_line(
    bench: Station, bench_home: Path, central: Central
) -> None:
    add_people(central, bench)
    number = picking.build_lists(bench, packer(bench, Role.SUPERVISOR), orders=["100240"])
    listed = number.lists[0].number
    picker = packer(bench, Role.PICKER, "Ana")
    view = picking.open_list(bench, picker, listed)
    assert view.line is not None
    picking.at_bin(bench, picker, listed, view.line.bin_code)
    picking.short_pick(bench, picker, listed, 0, ShortReason.NOT_FOUND)

    waiting = packbench(bench_home, central, "picklist", "shorts", "--json")
    assert waiting.returncode == 0, waiting.stderr
    (short,) = [json.loads(line) for line in waiting.stdout.splitlines()]
    assert (short["order"], short["missing"], short["reason"], short["by"]) == (
        "100240",
        2,
        "not_found",
        "Ana",
    )
    refused = packbench(
        bench_home, central, "picklist", "resolve", "100240", "partial", user=PACKER
    )
    assert refused.returncode == 2 and "may not ship orders in part" in refused.stderr
    held = packbench(
        bench_home, central, "picklist", "resolve", "100240", "hold", "--note", "recount"
    )
    assert held.returncode == 0, held.stderr
    assert "on hold: recount" in held.stdout
    none = packbench(bench_home, central, "picklist", "shorts")
    assert none.returncode == 0 and none.stdout == ""
