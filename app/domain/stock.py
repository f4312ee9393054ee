"""Stock in hand versus stock committed to orders, per product and bin, and what each step of
an order line does to it.

These are the only rules that move a line's quantities (``LineQuantities``) and the stock of
its bins (``BinStock``): allocate, release, pick, short-pick, pack, ship, restock and
quarantine. Each is a plain function over plain values that returns the new values (a
``Moved``), or raises ``InvalidQuantities`` having changed nothing. The database applies
them in one place (app/db/stock.py); the import, the stations, the central store's command
handlers and the demo all go through it.

Two invariants hold whatever sequence of steps runs (tests/domain/test_stock.py tries random
ones): every line keeps ordered ≥ allocated ≥ picked ≥ packed ≥ shipped (invoiced and returned
≤ shipped), and every bin keeps on hand ≥ committed ≥ 0, its committed the sum of what the
lines hold in it. What a line holds in its bins is ``allocated - shipped``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from app.domain.errors import InvalidQuantities
from app.domain.orders import LineQuantities
from app.domain.status import OrderStatus


@dataclass(frozen=True)
class BinStock:
    """One product in one bin."""

    bin_code: str
    walk_sequence: int
    on_hand: int
    committed: int

    def __post_init__(self) -> None:
        if self.on_hand < 0 or self.committed < 0:
            raise InvalidQuantities(f"Bin {self.bin_code}: stock cannot be negative.")
        if self.committed > self.on_hand:
            raise InvalidQuantities(
                f"Bin {self.bin_code}: {self.committed} committed is more than the "
                f"{self.on_hand} on hand."
            )

    @property
    def available(self) -> int:
        return self.on_hand - self.committed


def plan_allocation(wanted: int, bins: Iterable[BinStock]) -> tuple[list[tuple[str, int]], int]:
    """Take ``wanted`` units from the bins in walk order.

    Returns the (bin, quantity) takes and what could not be allocated (left open, visible).
    """
    takes: list[tuple[str, int]] = []
    left = wanted
    for b in _walk(bins):
        if left <= 0:
            break
        take = min(left, b.available)
        if take > 0:
            takes.append((b.bin_code, take))
            left -= take
    return takes, left


@dataclass(frozen=True)
class Moved:
    """A line after a step: its quantities, what it holds per bin, the bins the step changed
    (as they are now), and for an allocation the units still short."""

    line: LineQuantities
    held: Mapping[str, int]
    bins: Mapping[str, BinStock] = field(default_factory=dict)
    short: int = 0


def allocate(line: LineQuantities, held: Mapping[str, int], bins: Iterable[BinStock]) -> Moved:
    """Commit stock to what the line still needs, from the bins in walk order, never beyond
    what a bin has available; what is not there stays open on the line (``short``)."""
    by_code = {b.bin_code: b for b in bins}
    takes, short = plan_allocation(line.to_allocate, by_code.values())
    new_held = dict(held)
    changed: dict[str, BinStock] = {}
    for code, units in takes:
        b = by_code[code]
        changed[code] = replace(b, committed=b.committed + units)
        new_held[code] = new_held.get(code, 0) + units
    taken = line.to_allocate - short
    return Moved(replace(line, allocated=line.allocated + taken), new_held, changed, short)


def status_after_allocation(lines: Iterable[LineQuantities]) -> OrderStatus:
    """Where a finalized order goes once stock was allocated: ``allocated`` when any line
    holds stock (a partly stocked order can be picked and shipped in part), else it stays
    ``finalized`` and waits for stock."""
    holds = any(line.committed > 0 for line in lines)
    return OrderStatus.ALLOCATED if holds else OrderStatus.FINALIZED


def release(line: LineQuantities, held: Mapping[str, int], bins: Iterable[BinStock]) -> Moved:
    """Give back everything the line holds (a void, a hold, a line about to change): the bins'
    committed drops by it, and the line's allocated falls back to what has shipped. Units
    picked or packed but not shipped were never taken from the bins; they count again as
    stock on the shelf."""
    by_code = {b.bin_code: b for b in bins}
    changed = {
        code: replace(by_code[code], committed=by_code[code].committed - units)
        for code, units in held.items()
        if code in by_code and units
    }
    allocated = line.shipped
    picked = min(line.picked, allocated)
    packed = min(line.packed, picked)
    return Moved(replace(line, allocated=allocated, picked=picked, packed=packed), {}, changed)


def pick(line: LineQuantities, units: int) -> LineQuantities:
    """``units`` of the line were taken from the shelf (they stay committed until they ship)."""
    _positive(units, "picked")
    if line.picked + units > line.allocated:
        raise InvalidQuantities(
            f"only {line.allocated} are allocated, {line.picked + units} would have been "
            "picked. Allocate stock first."
        )
    return replace(line, picked=line.picked + units)


# Why a picker found fewer units than the list said. "bin empty" and "not found" mean the
# bin does not hold what the system believes (nothing there, or not where it should be);
# "damaged" means the units are there but not fit to send.
CLEARING_REASONS = frozenset({"bin_empty", "not_found"})


def short_clears_bin(reason: str | None) -> bool:
    """Whether a short pick for ``reason`` writes off the bin's whole uncommitted stock of
    the product too: a bin reported empty (or whose units cannot be found) is not allocated
    from again until stock is put into it (a count, a receipt, a restocked return)."""
    return reason in CLEARING_REASONS


def short_pick(
    line: LineQuantities,
    held: Mapping[str, int],
    bin_stock: BinStock,
    missing: int,
    *,
    clears_bin: bool = False,
) -> Moved:
    """``missing`` units the line holds in a bin were not there: the bin's count was wrong.

    They are written off the bin (on hand and committed alike) and leave the line's
    allocation, so the line is short by as much and may be allocated again elsewhere.

    ``clears_bin`` (``short_clears_bin``: the bin was reported empty, or its units not
    found): what the bin still had uncommitted is written off as well (its available drops
    to 0), so a re-allocation never sends the picker back to the bin just reported short.
    Units other lines hold there stay theirs: their own pick finds out."""
    _positive(missing, "short")
    code = bin_stock.bin_code
    there = held.get(code, 0)
    unpicked = line.allocated - line.picked
    if missing > min(there, unpicked):
        raise InvalidQuantities(
            f"{missing} short in bin {code}, but the line has only {min(there, unpicked)} "
            "still to pick there."
        )
    new_held = dict(held)
    new_held[code] = there - missing
    if not new_held[code]:
        del new_held[code]
    gone = missing + (bin_stock.available if clears_bin else 0)
    stock = replace(
        bin_stock, on_hand=bin_stock.on_hand - gone, committed=bin_stock.committed - missing
    )
    return Moved(replace(line, allocated=line.allocated - missing), new_held, {code: stock})


def pack(line: LineQuantities, units: int) -> LineQuantities:
    """``units`` of the line went into a parcel; only picked units can be packed."""
    _positive(units, "packed")
    if line.packed + units > line.picked:
        raise InvalidQuantities(
            f"only {line.picked} are picked, {line.packed + units} would have been packed."
        )
    return replace(line, packed=line.packed + units)


def ship(
    line: LineQuantities, held: Mapping[str, int], bins: Iterable[BinStock], units: int
) -> Moved:
    """``units`` of the line leave the building: they leave the bins that held them (walk
    order, on hand and committed alike) and the line's allocation; ``allocated`` still
    counts them (committed = allocated - shipped).

    Units packed at a bench that picks while it packs were never picked apart: shipping
    picks and packs them on the way, so the chain holds without a separate pick step."""
    _positive(units, "shipped")
    shipped = line.shipped + units
    if shipped > line.ordered:
        raise InvalidQuantities(f"{shipped} would have shipped of {line.ordered} ordered.")
    if shipped > line.allocated:
        raise InvalidQuantities(
            f"only {line.allocated} are allocated, {shipped} would have shipped. "
            "Allocate stock first."
        )
    if shipped > line.picked:
        line = pick(line, shipped - line.picked)
    if shipped > line.packed:
        line = pack(line, shipped - line.packed)
    new_held = dict(held)
    changed: dict[str, BinStock] = {}
    left = units
    for b in _walk(b for b in bins if new_held.get(b.bin_code)):
        if left == 0:
            break
        take = min(new_held[b.bin_code], left)
        changed[b.bin_code] = replace(b, on_hand=b.on_hand - take, committed=b.committed - take)
        new_held[b.bin_code] -= take
        if not new_held[b.bin_code]:
            del new_held[b.bin_code]
        left -= take
    return Moved(replace(line, shipped=shipped), new_held, changed)


def restock(
    line: LineQuantities, held: Mapping[str, int], bin_stock: BinStock, units: int
) -> Moved:
    """``units`` that shipped came back fit to sell: on hand in the bin they are put in.
    What the line still holds for its open units stays held."""
    line = _returned(line, units)
    stock = replace(bin_stock, on_hand=bin_stock.on_hand + units)
    return Moved(line, held, {bin_stock.bin_code: stock})


def quarantine(line: LineQuantities, units: int) -> LineQuantities:
    """``units`` that shipped came back and are kept out of stock (quarantined or scrapped):
    the line counts them returned; no bin's stock changes."""
    return _returned(line, units)


def _returned(line: LineQuantities, units: int) -> LineQuantities:
    _positive(units, "returned")
    if line.returned + units > line.shipped:
        raise InvalidQuantities(
            f"only {line.shipped - line.returned} shipped and not yet returned, "
            f"{units} would have come back."
        )
    return replace(line, returned=line.returned + units)


def _positive(units: int, what: str) -> None:
    if units <= 0:
        raise InvalidQuantities(f"{units} units cannot be {what}: at least 1.")


def _walk(bins: Iterable[BinStock]) -> list[BinStock]:
    return sorted(bins, key=lambda b: (b.walk_sequence, b.bin_code))


# --- transfers between warehouses ---------------------------------------------------------
#
# A transfer takes stock out of bins of one warehouse (only what is available: committed
# units stay for their orders) and holds it "in transit" on its lines until the other
# warehouse receives it into its bins, or a supervisor closes the transfer and the units
# that never arrived are written off as a discrepancy. A unit is always in exactly one
# place: a bin, or a line's ``in_transit``; each step moves it between the two in one go.

TRANSFER_NUMBER = "TR-{:06d}"


@dataclass(frozen=True)
class TransferLine:
    """One product on a transfer: units sent, received at the other end, written off."""

    sku: str
    sent: int
    received: int = 0
    written_off: int = 0

    def __post_init__(self) -> None:
        if self.sent <= 0 or self.received < 0 or self.written_off < 0:
            raise InvalidQuantities(f"{self.sku}: a transfer line moves at least 1 unit.")
        if self.received + self.written_off > self.sent:
            raise InvalidQuantities(
                f"{self.sku}: {self.received + self.written_off} received or written off of "
                f"{self.sent} sent."
            )

    @property
    def in_transit(self) -> int:
        return self.sent - self.received - self.written_off


def send(bin_stock: BinStock, units: int) -> BinStock:
    """``units`` leave the bin for a transfer: only what is available (on hand and not
    committed to an order) may go."""
    _positive(units, "sent")
    if units > bin_stock.available:
        raise InvalidQuantities(
            f"bin {bin_stock.bin_code} has {bin_stock.available} available "
            f"({bin_stock.on_hand} in hand, {bin_stock.committed} committed to orders), "
            f"{units} cannot leave it."
        )
    return replace(bin_stock, on_hand=bin_stock.on_hand - units)


def receive(line: TransferLine, bin_stock: BinStock, units: int) -> tuple[TransferLine, BinStock]:
    """``units`` of a line still in transit arrive and go on hand in ``bin_stock``."""
    _positive(units, "received")
    if units > line.in_transit:
        raise InvalidQuantities(
            f"{line.sku}: only {line.in_transit} still in transit, {units} cannot be received "
            "(more arrived than was sent: report it, and count the extra in apart)."
        )
    return (
        replace(line, received=line.received + units),
        replace(bin_stock, on_hand=bin_stock.on_hand + units),
    )


def write_off(line: TransferLine) -> TransferLine:
    """Close a line: what is still in transit never arrived and is written off."""
    return replace(line, written_off=line.written_off + line.in_transit)


def transfer_state(lines: Iterable[TransferLine]) -> str:
    """``in transit`` (nothing received), ``part received``, ``received`` (all of it) or
    ``closed short`` (closed with units written off)."""
    lines = list(lines)
    if any(line.in_transit for line in lines):
        return "part received" if any(line.received for line in lines) else "in transit"
    return "closed short" if any(line.written_off for line in lines) else "received"


@dataclass(frozen=True)
class WantedLine:
    """What a person asked to move: a SKU, how many, and the bin (None: any, walk order)."""

    sku: str
    units: int
    bin_code: str | None = None


def parse_transfer_lines(text: str) -> list[WantedLine]:
    """``"A:5@A-1, B:2"`` -> lines; InvalidQuantities names the part that is wrong."""
    wanted: list[WantedLine] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        head, at, bin_code = part.partition("@")
        sku, colon, qty = head.rpartition(":")
        if not colon or not sku.strip() or not qty.strip().isdigit() or int(qty) <= 0:
            raise InvalidQuantities(
                f'"{part}" is not SKU:QUANTITY (or SKU:QUANTITY@BIN), e.g. "MUG-01:5@A-1".'
            )
        if at and not bin_code.strip():
            raise InvalidQuantities(f'"{part}": name the bin after @, e.g. "MUG-01:5@A-1".')
        wanted.append(WantedLine(sku.strip(), int(qty), bin_code.strip() or None))
    if not wanted:
        raise InvalidQuantities('Name what to move: SKU:QUANTITY[@BIN], e.g. "MUG-01:5@A-1".')
    return wanted
