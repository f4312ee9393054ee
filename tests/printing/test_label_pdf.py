"""The PDF shipping label, printed to pixels and scanned back."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.decode import ScanKind, decode
from printing.documents import Party
from printing.pdf import shipping_label_pdf
from tests.printing.readback import barcodes_of, page_size, text_of
from tests.printing.samples import ATHENS, JUERGEN, SSCC, TOKYO, label, sscc


def test_the_label_is_one_4x6_inch_page(tmp_path: Path) -> None:
    assert page_size(shipping_label_pdf(label()), tmp_path) == "288 x 432 pts"


@pytest.mark.parametrize("party", [JUERGEN, ATHENS, TOKYO], ids=["german", "greek", "japanese"])
def test_the_address_prints_in_its_own_script(party: Party, tmp_path: Path) -> None:
    made = label(ship_to=party)
    text = text_of(shipping_label_pdf(made), tmp_path)
    for line in (made.ship_to.name, *made.ship_to.lines, made.ship_to.country):
        assert line in text


def test_the_label_says_where_from_which_order_and_which_parcel(tmp_path: Path) -> None:
    text = text_of(shipping_label_pdf(label()), tmp_path)
    for expected in (
        "Packbench Demo Warehouse",
        "Leeds LS11 5PS",
        "DHL",
        "Paket",
        "Box M",
        "Order 100234",
        "Shipment S-100234-1",
        "Parcel 1 of 2",
        "Weight 1.250 kg",
        "Ref PO-4711",
        f"(00) {SSCC}",
    ):
        assert expected in text
    assert "Weight —" in text_of(shipping_label_pdf(label(weight_g=None)), tmp_path)


def test_at_printer_resolution_the_sscc_scans_as_gs1_128_and_the_qr_as_digital_link(
    tmp_path: Path,
) -> None:
    symbols = barcodes_of(shipping_label_pdf(label()), tmp_path, resolution=203, mono=True)
    by_type = {symbol.type: symbol for symbol in symbols}
    assert set(by_type) == {"CODE-128", "QR-Code"}
    linear = by_type["CODE-128"]
    assert (linear.data, linear.modifiers) == ("00" + SSCC, "GS1")
    assert by_type["QR-Code"].data == f"https://id.gs1.org/00/{SSCC}"
    # The bench reads both as this parcel's SSCC.
    for scanned in (decode(linear.data, "]C1"), decode(by_type["QR-Code"].data)):
        assert (scanned.kind, scanned.sscc) == (ScanKind.SSCC, SSCC)


def test_another_sscc_and_a_crowded_label_still_scan(tmp_path: Path) -> None:
    other = sscc(987654321)
    long_name = "Jürgen-Maximilian Müller-Lüdenscheidt von und zu Hohenzollern-Sigmaringen"
    made = label(sscc=other, ship_to=Party(long_name, TOKYO.lines * 4, "JP"))
    symbols = barcodes_of(shipping_label_pdf(made), tmp_path, resolution=300, mono=False)
    assert sorted((s.type, s.data) for s in symbols) == [
        ("CODE-128", "00" + other),
        ("QR-Code", f"https://id.gs1.org/00/{other}"),
    ]
