"""The ZPL label, read back with our own parser: the printer cannot be asked what it saw."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.decode import ScanKind, decode
from printing.documents import Party
from printing.raster import Bitmap
from printing.zpl import (
    FONT_0,
    ZplField,
    decode_graphic,
    graphic_field,
    parse_zpl_fields,
    shipping_label_zpl,
    zpl_commands,
)
from tests.printing.samples import ATHENS, JUERGEN, SSCC, TOKYO, label


def commands(zpl: bytes) -> dict[str, bytes]:
    return {c.name: c.params for c in zpl_commands(zpl)}


def one(fields: list[ZplField], command: str) -> ZplField:
    found = [f for f in fields if f.command == command]
    assert len(found) == 1, f"expected one {command} field, found {found}"
    return found[0]


def texts(zpl: bytes) -> list[str]:
    return [f.data for f in parse_zpl_fields(zpl) if f.command == "A0"]


@pytest.mark.parametrize(
    ("dpi", "width", "length", "module"),
    [(203, b"812", b"1218", b"4"), (300, b"1218", b"1827", b"6")],
)
def test_a_label_is_4x6_inches_at_the_printer_resolution(
    dpi: int, width: bytes, length: bytes, module: bytes
) -> None:
    zpl = shipping_label_zpl(label(), dpi)
    assert zpl.startswith(b"^XA")
    assert zpl.rstrip().endswith(b"^XZ")
    found = commands(zpl)
    assert (found["PW"], found["LL"], found["CI"]) == (width, length, b"28")
    assert found["BY"] == module


def test_300_dpi_scales_every_position_by_one_and_a_half() -> None:
    low = parse_zpl_fields(shipping_label_zpl(label(), 203))
    high = parse_zpl_fields(shipping_label_zpl(label(), 300))
    assert [f.data for f in low] == [f.data for f in high]
    for small, big in zip(low, high, strict=True):
        assert (big.x, big.y) == (round(small.x * 1.5), round(small.y * 1.5))


def test_an_unknown_resolution_is_refused() -> None:
    with pytest.raises(ValueError, match="No label layout for 600 dpi"):
        shipping_label_zpl(label(), 600)


def test_the_sscc_is_gs1_128_in_code_set_c_after_fnc1_with_its_hri_below() -> None:
    fields = parse_zpl_fields(shipping_label_zpl(label()))
    barcode = one(fields, "BC")
    assert barcode.params == ("N", "254", "N", "N", "N")
    assert barcode.data == ">;>800" + SSCC
    hri = next(f for f in fields if f.data == "(00) " + SSCC)
    assert hri.y > barcode.y + 254


def test_the_qr_code_carries_the_digital_link_the_scanner_reads_as_the_sscc() -> None:
    qr = one(parse_zpl_fields(shipping_label_zpl(label())), "BQ")
    assert qr.params[:2] == ("N", "2")
    level_and_mode, _, link = qr.data.partition(",")
    assert level_and_mode == "MA"
    assert link == f"https://id.gs1.org/00/{SSCC}"
    scanned = decode(link)
    assert (scanned.kind, scanned.valid, scanned.sscc) == (ScanKind.SSCC, True, SSCC)


def test_names_travel_as_utf8_bytes() -> None:
    zpl = shipping_label_zpl(label())
    assert "^FDJürgen Müller^FS".encode() in zpl
    assert "Hauptstraße 5".encode() in zpl
    assert "Jürgen Müller".encode("latin-1") not in zpl


@pytest.mark.parametrize("party", [JUERGEN, ATHENS, TOKYO], ids=["german", "greek", "japanese"])
def test_every_address_line_and_the_country_is_printed(party: Party) -> None:
    """As text where font 0 has the characters, else as a picture in the same place
    (tests/printing/test_zpl_unicode.py reads the pictures)."""
    made = label(ship_to=party)
    fields = parse_zpl_fields(shipping_label_zpl(made))
    caption = next(f for f in fields if f.data == "SHIP TO")
    order = next(f for f in fields if f.data.startswith("Order "))
    block = sorted((f for f in fields if caption.y < f.y < order.y), key=lambda f: f.y)
    to = made.ship_to
    expected = [to.name, *to.lines, to.country]
    assert len(block) == len(expected)
    for field, line in zip(block, expected, strict=True):
        if set(map(ord, line)) <= FONT_0:
            assert (field.command, field.data) == ("A0", line)
        else:
            assert field.command == "GF"


def test_label_content_is_all_there() -> None:
    printed = texts(shipping_label_zpl(label()))
    for expected in (
        "Packbench Demo Warehouse",
        "Leeds LS11 5PS",
        "GB",
        "DHL",
        "Paket",
        "Box M",
        "Order 100234",
        "Shipment S-100234-1",
        "Parcel 1 of 2",
        "Weight 1.250 kg",
        "Ref PO-4711",
    ):
        assert expected in printed
    unweighed = texts(shipping_label_zpl(label(weight_g=None, carrier=None, reference=None)))
    assert "Weight —" in unweighed
    assert "DHL" not in unweighed
    assert not any(t.startswith("Ref ") for t in unweighed)


def test_caret_tilde_and_underscore_are_hex_escaped_and_come_back_intact() -> None:
    name = "A^B~C_D ^XZ~JR"
    zpl = shipping_label_zpl(label(ship_to=Party(name, ("x",), "DE")))
    field = next(c for c in zpl.split(b"^FS") if b"A_5EB" in c)
    assert field.endswith(b"^FH^FDA_5EB_7EC_5FD _5EXZ_7EJR")
    assert zpl.count(b"^XZ") == 1
    assert name in texts(zpl)


def test_control_characters_become_spaces() -> None:
    zpl = shipping_label_zpl(label(reference="PO\n4711\x1d"))
    assert "Ref PO 4711 " in texts(zpl)


def test_a_line_too_long_for_the_label_is_condensed_not_cut() -> None:
    street = "Rue du Faubourg Saint-Honoré 208, Bâtiment B, Escalier 3, 4e étage"
    to = Party("Jürgen Müller", (street, "75008 Paris"), "FR")
    fields = parse_zpl_fields(shipping_label_zpl(label(ship_to=to)))
    long_line = next(f for f in fields if f.data == street)
    _orientation, height, width = long_line.params
    assert int(width) < int(height)
    normal = next(f for f in fields if f.data == "75008 Paris")
    assert normal.params[1] == normal.params[2] == height


def test_more_address_lines_than_room_end_up_on_the_last_line() -> None:
    lines = tuple(f"line {n}" for n in range(1, 9))
    to = Party("Jürgen Müller", lines, "DE")
    printed = texts(shipping_label_zpl(label(ship_to=to)))
    assert "line 6, line 7, line 8, DE" in printed


def test_the_parser_reads_hand_written_zpl_with_its_own_hex_indicator() -> None:
    zpl = b"^XA\r\n^FO10,20^A0R,30,25^FH#^FDprice #2410^FS^FT5,6^BY2^B3N,N,40^FDAB12^FS^XZ"
    assert parse_zpl_fields(zpl) == [
        ZplField(10, 20, "A0", ("R", "30", "25"), "price $10"),
        ZplField(5, 6, "B3", ("N", "N", "40"), "AB12"),
    ]


def test_without_ci28_field_data_is_read_in_the_printer_default_code_page() -> None:
    assert parse_zpl_fields(b"^XA^FO1,1^A0N,20,20^FD\x81ber^FS^XZ")[0].data == "über"


def test_a_label_is_made_in_microseconds() -> None:
    made = label()
    shipping_label_zpl(made)
    start = time.perf_counter()
    for _ in range(2000):
        shipping_label_zpl(made)
    # About 5 us a label measured; the bound only catches a slow path taken by mistake.
    assert time.perf_counter() - start < 1.0


# --- pictures: ^GF with Zebra's ASCII compression ----------------------------------------------


def gf(data: str, total: int, per_row: int) -> ZplField:
    return ZplField(0, 0, "GF", ("A", str(total), str(total), str(per_row)), data)


@pytest.mark.parametrize(
    ("data", "digits"),
    [
        # The examples of Zebra's programming guide (M6: seven 6s, hB: forty Bs, vMB or MvB:
        # 327 Bs), each made a whole number of bytes with one digit more.
        ("M6" + "6", "6" * 8),
        ("hB", "B" * 40),
        ("vMB" + "B", "B" * 328),
        ("MvB" + "B", "B" * 328),
    ],
)
def test_zebra_s_own_compression_examples_decode_as_documented(data: str, digits: str) -> None:
    per_row = len(digits) // 2
    assert decode_graphic(gf(data, per_row, per_row)).rows == (bytes.fromhex(digits),)


def test_a_comma_blanks_the_rest_of_a_row_and_a_colon_repeats_the_row_before() -> None:
    picture = decode_graphic(gf("FF,:0F0F", 12, 4))
    assert picture.rows == (b"\xff\x00\x00\x00", b"\xff\x00\x00\x00", b"\x0f\x0f\x00\x00")


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 40), st.lists(st.binary(min_size=40, max_size=40), min_size=1, max_size=12))
def test_any_picture_survives_compression(width: int, rows: list[bytes]) -> None:
    per_row = (width + 7) // 8
    picture = Bitmap(8 * per_row, tuple(row[:per_row] for row in rows))
    field = graphic_field(picture)
    params = field.split(",", 4)
    assert params[0] == "^GFA"
    decoded = decode_graphic(gf(params[4], int(params[1]), int(params[3])))
    assert decoded.rows == picture.rows


def test_latin_labels_stay_text_with_no_picture() -> None:
    zpl = shipping_label_zpl(label())
    assert b"^GF" not in zpl
    assert {f.command for f in parse_zpl_fields(zpl)} == {"A0", "BQ", "BC"}
