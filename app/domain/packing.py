"""The rules of the packing bench: which scan counts, into which parcel, and when it may ship.

Plain Python over plain values. The service (app/services/packing.py) loads an order's lines
and the confirmed scans of its pack session from the station's database, asks these rules,
and writes what they allow in one transaction. The words of every refusal are written for a
packer a metre from the screen: what was scanned, why it does not count, what to do.

Quantities at the bench: a line is *expected* to get ``ordered - shipped`` more units (what
has not left yet), and *may* get at most ``allocated - shipped`` (what stock is committed to
it). When the two differ the line is short: it can only leave as a partial shipment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.domain.barcodes import GTIN_LENGTHS, gs1_check_digit
from app.domain.errors import DomainError


class PackRefused(DomainError):
    """A scan or a step at the bench that does not count; nothing was changed."""


class WrongItem(PackRefused):
    """The product is not on the order being packed."""


class OverScan(PackRefused):
    """Every unit of the line is already packed (or all that stock allows)."""


class SerialRefused(PackRefused):
    """A serial number that is missing, malformed, or already packed."""


class WeightNeeded(PackRefused):
    """A parcel cannot close without its weight."""


class OrderNotPackable(PackRefused):
    """The order may not be packed here now (hold, void, shipped, claimed elsewhere)."""


# --- boxes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoxType:
    """A box the bench packs into: inner dimensions (mm) and its own weight (tare, g)."""

    code: str
    length_mm: int
    width_mm: int
    height_mm: int
    tare_g: int

    @property
    def label(self) -> str:
        return f"Box {self.code} {self.length_mm}×{self.width_mm}×{self.height_mm} mm"


_BOX = re.compile(
    r"^\s*(?P<code>[A-Z0-9][A-Z0-9-]{0,11})\s*:\s*(?P<l>\d+)\s*[x×]\s*(?P<w>\d+)\s*[x×]\s*"
    r"(?P<h>\d+)\s*(mm)?\s*,\s*(?P<tare>\d+)\s*g\s*$",
    re.IGNORECASE,
)

BOX_FORMAT = 'CODE: LxWxH mm, TARE g; e.g. "M: 350x250x150 mm, 250 g"'


def parse_boxes(text: str) -> tuple[BoxType, ...]:
    """The ``[packing] boxes`` setting: entries separated by ";". Raises ValueError."""
    boxes: list[BoxType] = []
    for entry in (e for e in text.split(";") if e.strip()):
        match = _BOX.match(entry)
        if match is None:
            raise ValueError(f"{entry.strip()!r} is not a box: write {BOX_FORMAT}")
        code = match["code"].upper()
        if any(b.code == code for b in boxes):
            raise ValueError(f"box {code} is listed twice")
        length, width, height = (int(match[k]) for k in ("l", "w", "h"))
        if min(length, width, height) <= 0:
            raise ValueError(f"box {code} has a zero dimension")
        boxes.append(BoxType(code, length, width, height, int(match["tare"])))
    if not boxes:
        raise ValueError(f"list at least one box: {BOX_FORMAT}")
    return tuple(boxes)


# --- weights -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeightRange:
    """What a parcel should weigh: its items and its box, give or take the tolerance.

    ``expected_g`` is None when an item in it has no weight in the catalogue; then any
    weight is accepted (there is nothing to compare with).
    """

    expected_g: int | None
    low_g: int = 0
    high_g: int = 0

    def accepts(self, grams: int) -> bool:
        return self.expected_g is None or self.low_g <= grams <= self.high_g

    @property
    def words(self) -> str:
        if self.expected_g is None:
            return "expected weight unknown"
        return f"expected {self.low_g / 1000:.3f}–{kg(self.high_g)}"


def expected_weight(
    item_weights: Iterable[int | None], tare_g: int, tolerance_pct: int, tolerance_min_g: int
) -> WeightRange:
    weights = list(item_weights)
    if any(w is None for w in weights):
        return WeightRange(None)
    expected = tare_g + sum(w for w in weights if w is not None)
    slack = max(expected * tolerance_pct // 100, tolerance_min_g)
    return WeightRange(expected, max(expected - slack, 0), expected + slack)


def kg(grams: int) -> str:
    return f"{grams / 1000:.3f} kg"


MAX_PARCEL_G = 70_000
"""Heavier than any parcel carrier takes: a typed weight above it is a typing slip."""


def parse_typed_weight(text: str) -> int:
    """A weight typed by the packer: "1.25", "1,25 kg", "1250 g" → grams. Raises PackRefused."""
    cleaned = text.strip().lower().replace(",", ".")
    match = re.fullmatch(r"(\d+(?:\.\d*)?|\.\d+)\s*(kg|g)?", cleaned)
    if match is None:
        raise WeightNeeded(
            f"{text.strip()!r} is not a weight: type it in kilograms (1.25) or grams (1250 g)."
        )
    value = float(match[1])
    grams = round(value) if match[2] == "g" else round(value * 1000)
    if not 0 < grams <= MAX_PARCEL_G:
        raise WeightNeeded(
            f"{kg(grams)} cannot be a parcel's weight: type a weight between 0.001 and "
            f"{MAX_PARCEL_G // 1000} kg."
        )
    return grams


# --- SSCC ----------------------------------------------------------------------------------


def sscc(extension_digit: int, company_prefix: str, serial_reference: int) -> str:
    """SSCC-18: extension digit, GS1 company prefix, serial reference, check digit."""
    width = 16 - len(company_prefix)
    if not (company_prefix.isdigit() and 6 <= len(company_prefix) <= 12):
        raise ValueError("a GS1 company prefix has 6 to 12 digits")
    if not 0 <= extension_digit <= 9:
        raise ValueError("the SSCC extension digit is 0 to 9")
    if not 0 <= serial_reference < 10**width:
        raise ValueError(
            f"serial reference {serial_reference} does not fit the {width} digits left by "
            f"company prefix {company_prefix}"
        )
    body = f"{extension_digit}{company_prefix}{serial_reference:0{width}d}"
    return body + gs1_check_digit(body)


# --- lines and scans -----------------------------------------------------------------------


@dataclass
class LineState:
    """One order line at the bench: what is expected, what stock allows, what is packed."""

    line_no: int
    product_id: int
    sku: str
    name: str
    bin_code: str
    ordered: int
    shipped_before: int
    allocated: int
    packed: int = 0
    weight_g: int | None = None
    serial_tracked: bool = False
    serials: list[str] = field(default_factory=list)
    lots: list[str] = field(default_factory=list)

    @property
    def expected(self) -> int:
        """Units still to go out on this order line."""
        return self.ordered - self.shipped_before

    @property
    def packable(self) -> int:
        """Units stock is committed for: the most that can be packed now."""
        return max(min(self.allocated, self.ordered) - self.shipped_before, 0)

    @property
    def done(self) -> bool:
        return self.packed >= self.expected

    @property
    def short(self) -> int:
        return max(self.expected - self.packed, 0)


def check_item(lines: Sequence[LineState], product_id: int, units: int, shown: str) -> LineState:
    """The line a product scan counts on, or the refusal.

    ``shown`` names the scan in the refusal (the SKU). Raises WrongItem when no line has
    the product (the caller may add which other order it belongs to) and OverScan when the
    units would go beyond what is expected or what stock allows.
    """
    candidates = [line for line in lines if line.product_id == product_id]
    if not candidates:
        raise WrongItem(f"{shown} is not on this order: put it aside.")
    # Several lines of one product: fill them in line order.
    for line in candidates:
        if line.packed + units <= min(line.expected, line.packable):
            return line
    line = candidates[-1] if all(c.done for c in candidates) else candidates[0]
    expected = sum(c.expected for c in candidates)
    packed = sum(c.packed for c in candidates)
    packable = sum(c.packable for c in candidates)
    if packed >= expected:
        raise OverScan(f"{line.sku}: {packed} of {expected} already packed. Put this one aside.")
    if packed + units > expected:
        raise OverScan(
            f"{line.sku}: {units} more would make {packed + units} of {expected}. "
            "Scan the single items instead."
        )
    raise OverScan(
        f"{line.sku}: only {packable} of {expected} are in stock for this order and "
        f"{packed} are packed. Ship partial, or wait for stock."
    )


def looks_like_gtin(text: str) -> bool:
    """A product barcode scanned where a serial number was asked for."""
    return text.isdigit() and len(text) in GTIN_LENGTHS


def check_serial(line: LineState, serial: str, packed_elsewhere: bool) -> str:
    """A serial number for ``line``, cleaned, or SerialRefused."""
    cleaned = serial.strip()
    if not cleaned or len(cleaned) > 40 or not cleaned.isprintable():
        raise SerialRefused(
            f"{line.sku} needs its serial number: scan the serial barcode on the item."
        )
    if cleaned in line.serials or packed_elsewhere:
        raise SerialRefused(
            f"Serial {cleaned} of {line.sku} is already packed: scan the serial of this item."
        )
    return cleaned


def next_action(lines: Sequence[LineState], parcel_items: int, awaiting_serial: str | None) -> str:
    """The sentence for the NEXT band: what the packer should do now."""
    if awaiting_serial:
        return f"scan the serial number of {awaiting_serial}"
    open_lines = [line for line in lines if not line.done]
    if not open_lines:
        return "everything is packed: weigh the parcel and scan CLOSE"
    first = open_lines[0]
    if first.packed >= first.packable:
        if parcel_items:
            return f"{first.sku} is short of stock: CLOSE this parcel or SHIP-PARTIAL"
        return f"{first.sku} is short of stock: SHIP-PARTIAL with a reason, or wait for stock"
    more = first.short
    then = f", then {open_lines[1].sku}" if len(open_lines) > 1 else ""
    serial = " with its serial" if first.serial_tracked else ""
    return f"scan {more} more {first.sku}{serial}{then}"
