"""What a sales channel's file says, as plain values the import service can store.

Every reader turns its format into these frozen dataclasses (or a ``RowError`` for an order
it cannot map). Nothing here knows about databases: money is ``Decimal`` (to the store's
four decimal places), times are aware UTC, countries are ISO 3166-1 alpha-2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


class UnreadableFile(Exception):
    """The file as a whole cannot be read (not the format, truncated, corrupt).

    Raised before a single order is handed out, so an import stops with nothing written.
    """


class ChannelState(StrEnum):
    """Where the channel says the order stands, as far as the warehouse cares."""

    OPEN = "open"  # paid (or payment authorised): fulfil it
    UNPAID = "unpaid"  # placed, payment not confirmed yet
    ON_HOLD = "on_hold"  # the channel itself holds it (review, dispute, unknown status)
    CANCELLED = "cancelled"  # cancelled, declined, failed or fully refunded: do not ship
    COMPLETED = "completed"  # fulfilled or shipped outside this warehouse


@dataclass(frozen=True)
class RowError:
    """Why one order (or catalogue row) of a file was not imported.

    The three texts are made safe to print: they quote the file, and a file may hold control
    characters, lone surrogates or a 100,000-character value.
    """

    where: str  # file and row, or file and order id
    field: str
    reason: str

    def __post_init__(self) -> None:
        for name in ("where", "field", "reason"):
            object.__setattr__(self, name, printable(getattr(self, name)))


def printable(text: str, *, limit: int = 1000) -> str:
    """Text safe to print anywhere: what is not printable escaped (\\x1b, \\u202e, \\ud800)."""
    if not text.isprintable():
        text = "".join(
            ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
            for ch in text
        )
    return text if len(text) <= limit else f"{text[:limit]}…"


@dataclass(frozen=True)
class AddressDraft:
    name: str = ""
    company: str | None = None
    line1: str = ""
    line2: str | None = None
    city: str = ""
    region: str | None = None
    postcode: str | None = None
    country: str = ""  # ISO 3166-1 alpha-2, "" when the file does not say or cannot be mapped
    phone: str | None = None
    source: str = field(default="", compare=False)  # where it is in the file, for messages


@dataclass(frozen=True)
class CustomerDraft:
    name: str
    email: str | None = None
    phone: str | None = None
    channel_ref: str | None = None  # "<channel>:<the channel's customer id>"


@dataclass(frozen=True)
class LineDraft:
    sku: str
    name: str
    quantity: int  # still to ship: ordered minus what the channel says was refunded/cancelled
    unit_price: Decimal  # net of discounts and of tax
    tax_rate: Decimal = Decimal(0)  # a fraction: 0.2 for 20 %
    personalised: bool = False
    external_line_id: str | None = None
    source: str = field(default="", compare=False)  # where it is in the file ("line_items[2]")


@dataclass(frozen=True)
class OrderDraft:
    channel: str
    external_id: str
    number: str  # the channel's own order number: a suggestion, kept when it is free
    placed_at: datetime
    currency: str
    lines: tuple[LineDraft, ...]
    where: str  # where the order is in the file, for messages
    customer: CustomerDraft | None = None
    ship_to: AddressDraft | None = None
    bill_to: AddressDraft | None = None
    carrier: str | None = None
    service: str | None = None
    shipping_total: Decimal = Decimal(0)  # shipping charged, net of tax
    state: ChannelState = ChannelState.OPEN
    channel_status: str = ""  # the channel's own word for the state, quoted in hold reasons


@dataclass(frozen=True)
class ProductDraft:
    """One row of the catalogue file: a product and its stock in one bin."""

    sku: str
    where: str
    name: str | None = None
    barcodes: tuple[tuple[str, int], ...] = ()  # (code as printed, units per scan)
    weight_g: int | None = None
    price: Decimal | None = None
    currency: str | None = None
    bin_code: str | None = None
    on_hand: int | None = None


Read = OrderDraft | RowError
