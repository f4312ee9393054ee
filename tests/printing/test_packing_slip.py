"""The A4 packing slip: its text, its order barcode, and its pages."""

from __future__ import annotations

from pathlib import Path

from app.domain.decode import ScanKind, decode
from printing.pdf import PARTIAL_TEXT, packing_slip_pdf
from tests.printing.readback import barcodes_of, pages_of, text_of
from tests.printing.samples import ATHENS, slip, slip_line


def test_the_slip_shows_both_addresses_the_lines_and_that_more_follows(tmp_path: Path) -> None:
    text = text_of(packing_slip_pdf(slip(ship_to=ATHENS)), tmp_path)
    for expected in (
        "Order 100234",
        "Shipment S-100234-1",
        "Ordered 2024-05-01",
        "Νίκος Παπαδόπουλος",
        "105 63 Αθήνα",
        "Packbench Demo Warehouse",
        "Partial shipment — the rest follows",
        "TEA-EARL-001",
        "緑茶 煎茶 100g",
        "Πράσινο τσάι",
        "Items in this shipment: 6",
    ):
        assert expected in text
    for title in ("SKU", "Item", "Ordered", "shipment", "before", "come"):
        assert title in text


def test_a_partial_shipment_says_so_once(tmp_path: Path) -> None:
    assert text_of(packing_slip_pdf(slip()), tmp_path).count(PARTIAL_TEXT) == 1


def test_a_complete_shipment_does_not_say_partial(tmp_path: Path) -> None:
    assert PARTIAL_TEXT not in text_of(packing_slip_pdf(slip(partial=False)), tmp_path)


def test_a_line_reads_ordered_this_shipment_before_and_to_come_in_order(tmp_path: Path) -> None:
    text = text_of(packing_slip_pdf(slip()), tmp_path)
    row = next(line for line in text.splitlines() if "TEA-EARL-001" in line)
    assert row.split()[-4:] == ["3", "2", "0", "1"]


def test_the_order_barcode_scans_as_the_order(tmp_path: Path) -> None:
    symbols = barcodes_of(packing_slip_pdf(slip()), tmp_path, resolution=203, mono=True)
    assert [(s.type, s.data) for s in symbols] == [("CODE-128", "ORD-100234")]
    scanned = decode(symbols[0].data)
    assert (scanned.kind, scanned.reference) == (ScanKind.ORDER, "100234")


def test_many_lines_run_over_pages_that_each_repeat_the_header(tmp_path: Path) -> None:
    lines = tuple(slip_line(n, "Long product name " * (n % 4 + 1)) for n in range(1, 121))
    pdf = packing_slip_pdf(slip(lines=lines))
    pages = pages_of(pdf, tmp_path)
    count = len(pages)
    assert count >= 3
    for number, page in enumerate(pages, start=1):
        assert "Packing slip" in page
        assert "Order 100234" in page
        assert f"Page {number} of {count}" in page
    printed = [word for page in pages for word in page.split() if word.startswith("TEA-EARL-")]
    assert printed == [line.sku for line in lines]
    assert "Items in this shipment: 240" in pages[-1]
    symbols = barcodes_of(pdf, tmp_path, resolution=150, mono=False)
    assert [(s.page, s.data) for s in symbols] == [(n, "ORD-100234") for n in range(1, count + 1)]


def test_an_empty_slip_still_prints_one_page(tmp_path: Path) -> None:
    pages = pages_of(packing_slip_pdf(slip(lines=())), tmp_path)
    assert len(pages) == 1
    assert "Items in this shipment: 0" in pages[0]
