"""What an imported value may be: one rule for text, one for numbers, and the check that
every draft passes before a reader hands it out.

Every importer applies the same rules, so an order is refused for the same reason whatever
format it came in, and nothing the store cannot hold (a lone surrogate, a quantity of 10^30,
a 100,000-character name) gets as far as the database. The limits are the store's column
sizes (app/db/models.py; a test holds the two together). docs/import-formats.md, "Faults in
the file", says the rule for people.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.channels.drafts import (
    OrderDraft,
    ProductDraft,
)


class BadField(Exception):
    """One value of one order (or catalogue row) cannot be used: the order is refused."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


# --- numbers ---------------------------------------------------------------------------------

MAX_QUANTITY = 1_000_000  # units on one line; also units per barcode
MAX_AMOUNT = Decimal(10) ** 10  # every amount is below this (NUMERIC(18, 4) with room for sums)
MAX_RATE = Decimal(10)  # a tax rate is a fraction from 0 to 10 (1,000 %)
MAX_STOCK = 1_000_000_000  # units of one product in one bin (INTEGER column)
MAX_WEIGHT_G = 10_000_000  # grams (10 tonnes) for one unit
MAX_ID = 10**18  # numeric ids of the channels (all fit a 64-bit integer)
STORE_PLACES = Decimal("0.0001")  # the store keeps money and rates to four places
ZERO = Decimal(0)

# Plain decimal notation, ASCII digits only: "12", "-3.50", ".5", "1e3". Not "1_000", not
# "١٢" (Decimal and int would take both), not "1,5".
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_LONGEST_NUMBER = 100  # characters; a longer "number" is not one we could use anyway


def number(value: Any, field: str, what: str = "a number", hint: str = "") -> Decimal:
    """Any number the file may hold (JSON number, numeric text), exactly, or BadField."""
    if isinstance(value, bool) or value is None:
        raise BadField(field, f"expected {what}, found {kind(value)}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(value)  # NaN and infinities are refused below
    elif isinstance(value, str):
        text = value.strip()
        if len(text) > _LONGEST_NUMBER or not _NUMBER.fullmatch(text):
            raise BadField(field, f"{shown(value)} is not {what}{hint}")
        result = Decimal(text)
    else:
        raise BadField(field, f"expected {what}, found {kind(value)}")
    if not result.is_finite():
        raise BadField(field, f"{shown(value)} is not {what}: it is not finite")
    return result


def whole(value: Any, field: str, *, minimum: int = 0, maximum: int = MAX_ID) -> int:
    """A whole number within [minimum, maximum]: "2", 2 and 2.0000 are 2; 2.5 is refused."""
    n = number(value, field, "a whole number")
    if n != n.to_integral_value():
        raise BadField(field, f"{shown(value)} is not a whole number")
    if n < minimum or n > maximum:
        raise BadField(
            field, f"{shown(value)} is out of range: a whole number from {minimum:,} to {maximum:,}"
        )
    return int(n)


def quantity(value: Any, field: str, *, minimum: int = 1) -> int:
    """Units on a line: whole, at least ``minimum`` (1 to ship, 0 for what was refunded, below
    0 for the retail CSV's cancellations), at most MAX_QUANTITY either way."""
    n = number(value, field, "a whole number")
    if n != n.to_integral_value():
        raise BadField(field, f"{shown(value)} is not a whole number")
    if abs(n) > MAX_QUANTITY:
        raise BadField(
            field, f"{shown(value)} is more than the {MAX_QUANTITY:,} units one line may hold"
        )
    if n < minimum:
        raise BadField(field, f"{shown(value)} is not a quantity to ship (at least {minimum})")
    return int(n)


def amount(value: Any, field: str, *, negative: bool = True) -> Decimal:
    """Money, to the store's four places; below 10,000,000,000 in size."""
    n = number(value, field, "an amount", " (write it like 4.25)")
    if abs(n) >= MAX_AMOUNT:
        raise BadField(field, f"{shown(value)} is too large an amount (at most {_MOST})")
    n = places(n)
    if abs(n) >= MAX_AMOUNT:
        raise BadField(field, f"{shown(value)} is too large an amount (at most {_MOST})")
    if n < 0 and not negative:
        raise BadField(field, f"{shown(value)} is negative")
    return n


_MOST = f"{MAX_AMOUNT - STORE_PLACES:,}"


def rate(value: Any, field: str, *, percent: bool = False) -> Decimal:
    """A tax rate as a fraction (0.2 for 20 %); ``percent``: the file gives 20 for 20 %."""
    n = number(value, field, "a tax rate")
    fraction = n / 100 if percent else n
    if fraction < 0 or fraction > MAX_RATE:
        if percent:
            raise BadField(
                field, f"{shown(value)} % is not a tax rate (0 % to {MAX_RATE * 100:,.0f} %)"
            )
        raise BadField(field, f"{shown(value)} is not a tax rate (a fraction from 0 to {MAX_RATE})")
    return places(fraction)


def places(value: Decimal) -> Decimal:
    """Rounded to the store's four places; -0 is 0."""
    rounded = value.quantize(STORE_PLACES, rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded == 0 else rounded


# --- text ------------------------------------------------------------------------------------

# Refused anywhere: control characters (C0, DEL, C1: NUL, ESC ...), the bidirectional
# embeddings, overrides and isolates that make text show in another order than it is stored
# (the "Trojan Source" characters), and lone surrogates (half of a UTF-16 pair: not a
# character; an export that holds one is damaged). Not the control characters that are
# white space (tab, line breaks, U+001C-U+001F, U+0085): ``squeeze`` makes every run of white
# space one space, so the rule gives the same answer before squeezing as after.
_REFUSED = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BACKSPACE", 0x1B: "ESC", 0x7F: "DEL"}


def squeeze(value: str) -> str:
    """Trimmed, every run of white space (line breaks, tabs, no-break spaces) one space."""
    return " ".join(value.split())


def text_fault(value: str) -> str | None:
    """Why this text may not be stored, or None when it may (the one rule for every field)."""
    found = _REFUSED.search(value)
    if found is None:
        return None
    ch = found.group()
    at = f"at character {found.start() + 1:,}"
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        return (
            f"holds a lone surrogate (U+{code:04X}) {at}: that is not a character, so the "
            "export is damaged; export it again"
        )
    if code <= 0x1F or 0x7F <= code <= 0x9F:
        name = _CONTROL_NAMES.get(code, "a control character")
        return (
            f"holds the control character U+{code:04X} ({name}) {at}; text may not hold control "
            "characters: remove it in the system the file came from and export it again"
        )
    return (
        f"holds U+{code:04X} {unicodedata.name(ch)} {at}, which makes text show in another "
        "order than it is stored (on screens and labels): remove it in the system the file "
        "came from and export it again"
    )


def check_text(value: str | None, field: str, limit: int | None) -> None:
    """The text rule: no refused character, and no longer than its column."""
    if not value:
        return
    fault = text_fault(value)
    if fault is not None:
        raise BadField(field, fault)
    if limit is not None and len(value) > limit and len(squeeze(value)) > limit:
        raise BadField(
            field,
            f"{len(value):,} characters ({shown(value)}): at most {limit} fit; shorten it in the "
            "system the file came from and export it again",
        )


# The store's column sizes (app/db/models.py), in characters, by the draft's field. The order
# number is absent: it is a suggestion the import cuts to 32 characters and makes unique.
ORDER_TEXT = {
    "external_id": 64,
    "number": None,
    "currency": 3,
    "carrier": 40,
    "service": 60,
    "channel_status": 64,
}
CUSTOMER_TEXT = {"name": 200, "email": 254, "phone": 40, "channel_ref": 64}
ADDRESS_TEXT = {
    "name": 200,
    "company": 200,
    "line1": 200,
    "line2": 200,
    "city": 120,
    "region": 120,
    "postcode": 20,
    "country": 2,
    "phone": 40,
}
LINE_TEXT = {"sku": 64, "name": 200, "external_line_id": 64}
PRODUCT_TEXT = {"sku": 64, "name": 200, "currency": 3, "bin_code": 32}
BARCODE_TEXT = 64
# How a field is named in a refusal when the file's own name for it is not known.
_LABELS = {"external_id": "id", "external_line_id": "id", "channel_ref": "id"}


# --- the check of a finished draft -------------------------------------------------------------


def check_texts(texts: Iterable[tuple[str | None, str, int | None]]) -> None:
    """``check_text`` for many (value, field, limit) at once; one search when all is well."""
    texts = list(texts)
    if _REFUSED.search(" ".join(value for value, _, _ in texts if value)):
        for value, field, _ in texts:
            check_text(value, field, None)
    for value, field, limit in texts:
        if value and limit is not None and len(value) > limit:
            check_text(value, field, limit)


def check_order(draft: OrderDraft) -> OrderDraft:
    """The draft, if the store can hold every value of it; else BadField naming the field."""
    texts = _texts(draft, ORDER_TEXT, "")
    if draft.customer is not None:
        texts += _texts(draft.customer, CUSTOMER_TEXT, "customer.")
    for side, address in (("ship_to", draft.ship_to), ("bill_to", draft.bill_to)):
        if address is not None:
            texts += _texts(address, ADDRESS_TEXT, f"{address.source or side}.")
    for i, line in enumerate(draft.lines):
        texts += _texts(line, LINE_TEXT, f"{line.source or f'lines[{i}]'}.")
    check_texts(texts)
    _money(draft.shipping_total, "shipping_total")
    if draft.placed_at.tzinfo is None:
        raise BadField("placed_at", "the time has no time zone")
    for i, line in enumerate(draft.lines):
        prefix = f"{line.source or f'lines[{i}]'}."
        if isinstance(line.quantity, bool) or not 1 <= line.quantity <= MAX_QUANTITY:
            raise BadField(
                f"{prefix}quantity", f"{line.quantity} is not a quantity (1 to {MAX_QUANTITY:,})"
            )
        _money(line.unit_price, f"{prefix}unit_price")
        _fraction(line.tax_rate, f"{prefix}tax_rate")
    return draft


def check_product(draft: ProductDraft) -> ProductDraft:
    """The same for a catalogue row; fields are named as the catalogue's columns."""
    check_texts(
        [
            *(
                (getattr(draft, key), "bin" if key == "bin_code" else key, limit)
                for key, limit in PRODUCT_TEXT.items()
            ),
            *((code, "barcodes", BARCODE_TEXT) for code, _ in draft.barcodes),
        ]
    )
    for _, units in draft.barcodes:
        _within(units, 1, MAX_QUANTITY, "units_per_barcode")
    if draft.price is not None:
        _money(draft.price, "price")
    if draft.weight_g is not None:
        _within(draft.weight_g, 0, MAX_WEIGHT_G, "weight_g")
    if draft.on_hand is not None:
        _within(draft.on_hand, 0, MAX_STOCK, "on_hand")
    return draft


def _texts(
    draft: Any, limits: Mapping[str, int | None], prefix: str
) -> list[tuple[str | None, str, int | None]]:
    return [
        (getattr(draft, key), f"{prefix}{_LABELS.get(key, key)}", limit)
        for key, limit in limits.items()
    ]


def _money(value: Decimal, field: str) -> None:
    if not value.is_finite() or abs(value) >= MAX_AMOUNT or value != places(value):
        raise BadField(field, f"{shown(value)} is not an amount the store can keep")


def _fraction(value: Decimal, field: str) -> None:
    if not value.is_finite() or not ZERO <= value <= MAX_RATE or value != places(value):
        raise BadField(field, f"{shown(value)} is not a tax rate (0 to {MAX_RATE})")


def _within(value: int, low: int, high: int, field: str) -> None:
    if isinstance(value, bool) or not low <= value <= high:
        raise BadField(field, f"{value} is out of range ({low:,} to {high:,})")


# --- showing what was wrong ------------------------------------------------------------------

_SHOWN = 40  # characters of a bad value quoted in a message


def shown(value: Any) -> str:
    """A bad value as a message quotes it: its repr (escapes and all), cut to a readable size."""
    if isinstance(value, Decimal):
        text = str(value)
    elif isinstance(value, str):
        text = repr(value[: _SHOWN + 1])
    elif isinstance(value, int):
        text = str(Decimal(value))  # str() of a 5,000-digit int raises ValueError
    elif isinstance(value, float):
        text = repr(value)
    else:
        text = f"<{kind(value)}>"
    return text if len(text) <= _SHOWN + 2 else f"{text[:_SHOWN]}…"


def kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float | Decimal):
        return "a number"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return "text" if isinstance(value, str) else type(value).__name__
