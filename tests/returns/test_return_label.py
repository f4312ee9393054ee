"""The returns desk's labels as the label printer gets them (ZPL read back field by field)."""

from __future__ import annotations

from printing.return_label import ReturnLabel, return_label_zpl
from printing.zpl import parse_zpl_fields

RESTOCKED = ReturnLabel(
    "RA-ST-01-000003",
    "100234",
    "TEA-EARL-100",
    "Earl Grey 100 g",
    1,
    "restock",
    "No longer wanted",
    "A-02-1",
)
KEPT = ReturnLabel(
    "RA-ST-01-000003",
    "100234",
    "MUG_BLUE^350",
    "Becher Müller",
    2,
    "quarantine",
    "Damaged",
    serial="SN~1",
)


def test_a_restocked_unit_gets_a_bin_label_with_its_sku_in_bars() -> None:
    fields = parse_zpl_fields(return_label_zpl(RESTOCKED))
    texts = [f.data for f in fields if f.command == "A0"]
    assert texts[0] == "RESTOCK  BIN A-02-1"
    assert "1 x TEA-EARL-100" in texts and "RA-ST-01-000003  order 100234" in texts
    (bars,) = [f for f in fields if f.command == "BC"]
    assert bars.data == "TEA-EARL-100"


def test_a_quarantined_unit_carries_the_ra_and_its_text_survives_zpl_escapes() -> None:
    zpl = return_label_zpl(KEPT, dpi=300)
    assert b"^PW675^LL375" in zpl  # 2.25 x 1.25 in at 300 dpi
    fields = parse_zpl_fields(zpl)
    texts = [f.data for f in fields if f.command == "A0"]
    assert texts[0] == "QUARANTINE"
    assert "2 x MUG_BLUE^350  S/N SN~1" in texts and "Becher Müller" in texts
    (bars,) = [f for f in fields if f.command == "BC"]
    assert bars.data == "RA-ST-01-000003"


def test_a_sku_with_zpl_control_characters_still_reads_from_the_bars() -> None:
    odd = ReturnLabel("RA-1", "1", "A^B~C_D", "x", 1, "restock", "Other", "A-01-1")
    (bars,) = [f for f in parse_zpl_fields(return_label_zpl(odd)) if f.command == "BC"]
    assert bars.data == "A^B~C_D"
