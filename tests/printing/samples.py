"""Documents with the data that breaks naive printing: umlauts, Greek, Chinese, ^ and ~."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from app.domain.barcodes import gs1_check_digit
from printing.documents import PackingSlip, Party, ShippingLabel, SlipLine

SSCC = "376130321109103420"  # extension digit 3, check digit 0

JUERGEN = Party(
    "Jürgen Müller",
    ("Müller & Söhne GmbH", "Hauptstraße 5", "10115 Berlin"),
    "DE",
)
ATHENS = Party("Νίκος Παπαδόπουλος", ("Οδός Ερμού 12", "105 63 Αθήνα"), "GR")
TOKYO = Party("山田太郎", ("東京都渋谷区神南1-2-3", "150-0041 東京"), "JP")
WAREHOUSE = Party("Packbench Demo Warehouse", ("Unit 4, Canal Wharf", "Leeds LS11 5PS"), "GB")


def sscc(serial: int) -> str:
    """A valid SSCC with our company prefix and ``serial``."""
    body = f"37613032{serial:09d}"
    return body + gs1_check_digit(body)


def label(**changes: Any) -> ShippingLabel:
    base = ShippingLabel(
        sscc=SSCC,
        ship_to=JUERGEN,
        ship_from=WAREHOUSE,
        order_number="100234",
        shipment_number="S-100234-1",
        parcel_no=1,
        parcel_count=2,
        weight_g=1250,
        carrier="DHL",
        service="Paket",
        box="M",
        reference="PO-4711",
    )
    return replace(base, **changes)


def slip_line(number: int, name: str = "Earl Grey loose leaf tea, 100 g tin") -> SlipLine:
    return SlipLine(
        sku=f"TEA-EARL-{number:03d}",
        name=name,
        ordered=3,
        in_this_shipment=2,
        shipped_before=0,
        to_come=1,
    )


def slip(**changes: Any) -> PackingSlip:
    base = PackingSlip(
        order_number="100234",
        shipment_number="S-100234-1",
        placed_at=dt.date(2024, 5, 1),
        ship_to=JUERGEN,
        ship_from=WAREHOUSE,
        lines=(slip_line(1), slip_line(2, "緑茶 煎茶 100g"), slip_line(3, "Πράσινο τσάι")),
        parcel_count=2,
        partial=True,
    )
    return replace(base, **changes)
