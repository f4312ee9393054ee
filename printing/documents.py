"""What goes on a shipping label and a packing slip: plain data the application fills.

The documents know nothing of the database: a service reads the order, joins each address
into lines and hands these over. They check their own consistency at construction, so a
label with a mistyped SSCC fails where it is made, not as an unscannable barcode on a
parcel. A ``ValueError`` here is a bug in the caller, never something for the bench.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from app.domain.barcodes import gs1_check_digit

__all__ = ["PackingSlip", "Party", "ShippingLabel", "SlipLine"]

SSCC_LENGTH = 18
DIGITAL_LINK_ROOT = "https://id.gs1.org"
_COUNTRY = re.compile("[A-Z]{2}")


@dataclass(frozen=True)
class Party:
    """An address block as printed: the name, then lines already joined by the caller.

    ``lines`` are e.g. the company, street lines, "postcode city" and region, in the order
    the destination country writes them; ``country`` is the ISO 3166 alpha-2 code.
    """

    name: str
    lines: tuple[str, ...]
    country: str

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("An address needs a name to print first.")
        if not isinstance(self.lines, tuple):
            raise ValueError(f"Address lines must be a tuple of str, not {type(self.lines)}.")
        if not _COUNTRY.fullmatch(self.country):
            raise ValueError(
                f"Country {self.country!r} is not an ISO 3166 alpha-2 code such as 'DE'."
            )


@dataclass(frozen=True)
class ShippingLabel:
    """One parcel's 4x6 in label: addresses, references and its SSCC."""

    sscc: str
    ship_to: Party
    ship_from: Party
    order_number: str
    shipment_number: str
    parcel_no: int
    parcel_count: int
    weight_g: int | None
    carrier: str | None
    service: str | None
    box: str | None
    reference: str | None = None

    def __post_init__(self) -> None:
        check_sscc(self.sscc)
        if self.parcel_count < 1:
            raise ValueError(f"A shipment has at least one parcel, not {self.parcel_count}.")
        if not 1 <= self.parcel_no <= self.parcel_count:
            raise ValueError(
                f"Parcel number {self.parcel_no} is outside 1 to {self.parcel_count} "
                "(the shipment's parcel count)."
            )
        if self.weight_g is not None and self.weight_g < 0:
            raise ValueError(f"A parcel cannot weigh {self.weight_g} g.")
        if not self.order_number.strip():
            raise ValueError("A shipping label needs the order number.")

    @property
    def element_string(self) -> str:
        """The GS1 element string the linear barcode carries (AI 00 + SSCC)."""
        return "00" + self.sscc

    @property
    def sscc_hri(self) -> str:
        """The human-readable line printed under the barcode."""
        return "(00) " + self.sscc

    @property
    def digital_link(self) -> str:
        """The GS1 Digital Link URI the 2D code carries; the scanner reads it as the SSCC."""
        return f"{DIGITAL_LINK_ROOT}/00/{self.sscc}"

    @property
    def weight_text(self) -> str:
        """Kilograms to the gram, or a dash when the parcel was not weighed."""
        if self.weight_g is None:
            return "—"
        kilograms, grams = divmod(self.weight_g, 1000)
        return f"{kilograms}.{grams:03d} kg"


@dataclass(frozen=True)
class SlipLine:
    """One order line as the customer sees it on the slip."""

    sku: str
    name: str
    ordered: int
    in_this_shipment: int
    shipped_before: int
    to_come: int

    def __post_init__(self) -> None:
        for field_name in ("ordered", "in_this_shipment", "shipped_before", "to_come"):
            value = getattr(self, field_name)
            if value < 0:
                raise ValueError(f"{self.sku}: {field_name} cannot be negative ({value}).")


@dataclass(frozen=True)
class PackingSlip:
    """The A4 slip that goes in the first parcel of a shipment: what the customer reads.

    It has no field for staff notes on purpose: a partial shipment's reason is for the
    warehouse (audit log, shipment record), the customer sees only that the rest follows.
    """

    order_number: str
    shipment_number: str
    placed_at: dt.date | None
    ship_to: Party
    ship_from: Party
    lines: tuple[SlipLine, ...]
    parcel_count: int
    partial: bool

    def __post_init__(self) -> None:
        if not self.order_number.strip():
            raise ValueError("A packing slip needs the order number.")
        if self.parcel_count < 1:
            raise ValueError(f"A shipment has at least one parcel, not {self.parcel_count}.")
        if not isinstance(self.lines, tuple):
            raise ValueError(f"Slip lines must be a tuple, not {type(self.lines)}.")

    @property
    def order_barcode(self) -> str:
        """What the slip's barcode says: the scanner grammar reads ORD-<number> as an order."""
        return "ORD-" + self.order_number


def check_sscc(sscc: str) -> None:
    """Raise ``ValueError`` unless ``sscc`` is 18 digits ending in its GS1 check digit."""
    if not (len(sscc) == SSCC_LENGTH and sscc.isascii() and sscc.isdigit()):
        raise ValueError(f"SSCC {sscc!r} must be exactly 18 digits (the extension digit first).")
    expected = gs1_check_digit(sscc[:-1])
    if sscc[-1] != expected:
        raise ValueError(
            f"SSCC {sscc} has a wrong check digit: {sscc[-1]}, expected {expected}. "
            "It was built or typed wrongly; the label would not scan as this parcel."
        )
