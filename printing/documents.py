"""What goes on a shipping label, a packing slip and an invoice: plain data the application fills.

The documents know nothing of the database: a service reads the order, joins each address
into lines and hands these over. They check their own consistency at construction, so a
label with a mistyped SSCC fails where it is made, not as an unscannable barcode on a
parcel. A ``ValueError`` here is a bug in the caller, never something for the bench.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from app.domain.barcodes import gs1_check_digit
from app.domain.money import quantum
from app.domain.money_format import style_of

__all__ = [
    "DocumentKind",
    "InvoiceDocument",
    "InvoiceLine",
    "PackingSlip",
    "Party",
    "ShippingLabel",
    "SlipLine",
    "TaxBreakdownRow",
]

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


# --- invoices and credit notes --------------------------------------------------------------


class DocumentKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


@dataclass(frozen=True)
class InvoiceLine:
    """One billed line: what, how many, at what price, and where the units were shipped from.

    Amounts are in the document's currency, computed by the domain: ``net`` is quantity x
    unit price - discount rounded to the minor unit, ``gross`` is net plus this line's tax.
    ``unit_price`` may have more places than the currency (0.0125 a screw). A line that came
    from no parcel (shipping, a fee) has no ``shipment_number`` or ``sscc``.
    """

    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    discount: Decimal  # the amount taken off this line, not a rate; 0 for none
    tax_rate: Decimal  # a fraction: Decimal("0.19") is 19 %
    net: Decimal
    gross: Decimal
    shipment_number: str | None
    sscc: str | None

    def __post_init__(self) -> None:
        if self.quantity < 1:
            raise ValueError(
                f"{self.sku}: a billed line has at least one unit, not {self.quantity}."
            )
        if self.sscc is not None:
            check_sscc(self.sscc)
            if self.shipment_number is None:
                raise ValueError(f"{self.sku}: a parcel's SSCC needs its shipment number too.")
        for name in ("unit_price", "discount", "tax_rate", "net", "gross"):
            value = getattr(self, name)
            if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
                raise ValueError(
                    f"{self.sku}: {name} must be a Decimal of 0 or more, not {value!r}."
                )

        if self.gross < self.net:
            raise ValueError(f"{self.sku}: gross {self.gross} is less than net {self.net}.")

    @property
    def source(self) -> tuple[str, str | None] | None:
        """(shipment, SSCC) the units came from, or None for a charge such as shipping."""
        return None if self.shipment_number is None else (self.shipment_number, self.sscc)


@dataclass(frozen=True)
class TaxBreakdownRow:
    """The lines taxed at one rate, added up: net, the tax on it, and gross."""

    rate: Decimal  # a fraction, as on the lines
    net: Decimal
    tax: Decimal
    gross: Decimal


@dataclass(frozen=True)
class InvoiceDocument:
    """An invoice or a credit note as printed, with every amount already computed.

    A credit note carries the amounts it credits as positive figures under its title, as
    EN 16931 (UBL ``CreditNote``) does: the kind, not a minus sign, says money goes back, and
    its lines read like the invoice lines they correct. ``corrects`` is then the corrected
    invoice's number. ``copy`` marks a reprint: the same document made again from the stored
    data, marked COPY on every page. ``locale`` ("de_DE") is how amounts and dates are
    written (``app.domain.money_format``); the captions are English.

    Construction checks that the figures add up (lines to the breakdown per rate, the
    breakdown to the totals, net + tax = gross) and that amounts are in the currency's minor
    units, so a document that would print a wrong sum is never made.
    """

    kind: DocumentKind
    number: str
    issued_on: dt.date
    currency: str
    locale: str
    seller: Party
    seller_tax_id: str
    bill_to: Party
    ship_to: Party
    order_number: str
    lines: tuple[InvoiceLine, ...]
    tax_breakdown: tuple[TaxBreakdownRow, ...]
    net_total: Decimal
    tax_total: Decimal
    gross_total: Decimal
    payment_terms: str
    due_on: dt.date | None = None
    buyer_tax_id: str | None = None
    customer_reference: str | None = None
    partial_index: int | None = None  # n of "PARTIAL INVOICE n for order N"
    corrects: str | None = None  # a credit note: the number of the invoice it corrects
    corrects_issued_on: dt.date | None = None
    copy: bool = False
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("number", "order_number", "seller_tax_id"):
            if not getattr(self, name).strip():
                raise ValueError(f"An invoice document needs its {name.replace('_', ' ')}.")
        if not (self.number.isascii() and self.number.isprintable()):
            raise ValueError(
                f"Invoice number {self.number!r} must be printable ASCII: it is printed as a "
                "QR code, which scanners read as ASCII or Latin-1 unless told otherwise."
            )
        if not re.fullmatch("[A-Z]{3}", self.currency):
            raise ValueError(f"Currency {self.currency!r} is not an ISO 4217 code such as 'EUR'.")
        style_of(self.locale)
        for name in ("lines", "tax_breakdown", "notes"):
            if not isinstance(getattr(self, name), tuple):
                raise ValueError(f"{name} must be a tuple, not {type(getattr(self, name))}.")
        if not self.lines:
            raise ValueError(f"{self.number}: an invoice document bills at least one line.")
        self._check_kind()
        self._check_amounts()

    def _check_kind(self) -> None:
        if self.kind is DocumentKind.CREDIT_NOTE:
            if not self.corrects:
                raise ValueError(f"Credit note {self.number} must name the invoice it corrects.")
            if self.partial_index is not None:
                raise ValueError(f"Credit note {self.number} cannot be a partial invoice.")
        elif self.kind is DocumentKind.INVOICE:
            if self.corrects is not None or self.corrects_issued_on is not None:
                raise ValueError(f"Invoice {self.number} corrects nothing; a credit note does.")
        else:
            raise ValueError(f"{self.kind!r} is not a DocumentKind.")
        if self.partial_index is not None and self.partial_index < 1:
            raise ValueError(f"A partial invoice is number 1 or later, not {self.partial_index}.")

    def _check_amounts(self) -> None:
        unit = quantum(self.currency)

        def exact(what: str, value: Decimal) -> None:
            if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
                raise ValueError(
                    f"{self.number}: {what} must be a Decimal of 0 or more, not {value!r}."
                )
            if value != value.quantize(unit):
                raise ValueError(
                    f"{self.number}: {what} {value} is not rounded to the {self.currency} "
                    f"minor unit ({unit}); the domain rounds money before it is printed."
                )

        nets: dict[Decimal, Decimal] = {}
        for line in self.lines:
            for name in ("discount", "net", "gross"):
                exact(f"line {line.sku} {name}", getattr(line, name))
            charged = line.quantity * line.unit_price - line.discount
            # Within two minor units: an invoice carries rounding over between the partial
            # invoices of a line (app/domain/invoicing.py): exact for whole-cent prices, off
            # by less than two units when a sub-cent price and a discount are rounded.
            if abs(charged - line.net) >= 2 * unit:
                raise ValueError(
                    f"{self.number}: line {line.sku} net {line.net} is not "
                    f"{line.quantity} x {line.unit_price} - {line.discount} = {charged}."
                )
            nets[line.tax_rate] = nets.get(line.tax_rate, Decimal(0)) + line.net
        rates = [row.rate for row in self.tax_breakdown]
        if sorted(rates) != sorted(nets) or len(set(rates)) != len(rates):
            raise ValueError(
                f"{self.number}: the tax breakdown has rates {rates}, the lines {sorted(nets)}: "
                "one row per rate the lines use."
            )
        for row in self.tax_breakdown:
            for name in ("net", "tax", "gross"):
                exact(f"the {row.rate} breakdown {name}", getattr(row, name))
            if row.net != nets[row.rate]:
                raise ValueError(
                    f"{self.number}: the lines at {row.rate} add up to {nets[row.rate]}, "
                    f"the breakdown says {row.net}."
                )
            if row.net + row.tax != row.gross:
                raise ValueError(f"{self.number}: at {row.rate}, net + tax is not gross.")
        for name, total in (
            ("net_total", self.net_total),
            ("tax_total", self.tax_total),
            ("gross_total", self.gross_total),
        ):
            exact(name, total)
            added = sum(
                (getattr(row, name.removesuffix("_total")) for row in self.tax_breakdown),
                Decimal(0),
            )
            if added != total:
                raise ValueError(
                    f"{self.number}: {name} is {total}, the breakdown adds up to {added}."
                )

    @property
    def is_credit_note(self) -> bool:
        return self.kind is DocumentKind.CREDIT_NOTE

    @property
    def title(self) -> str:
        """INVOICE or CREDIT NOTE: the word at the top of every page."""
        return "CREDIT NOTE" if self.is_credit_note else "INVOICE"

    @property
    def partial_text(self) -> str | None:
        """ "PARTIAL INVOICE 2 for order 100234", or None for a full invoice."""
        if self.partial_index is None:
            return None
        return f"PARTIAL INVOICE {self.partial_index} for order {self.order_number}"

    @property
    def shipment_numbers(self) -> tuple[str, ...]:
        """The shipments the lines came from, in the order the lines name them."""
        return tuple(dict.fromkeys(_shipments(self.lines)))


def _shipments(lines: tuple[InvoiceLine, ...]) -> Iterator[str]:
    for line in lines:
        if line.shipment_number is not None:
            yield line.shipment_number
