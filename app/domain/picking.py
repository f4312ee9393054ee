"""Pick lists: which orders may be picked together, and the walk through the bins.

Plain rules over plain values (no database): what keeps an order off a list
(``refusal``), how orders are grouped (a single order, a batch of up to N, a wave grouped by
carrier and service, priority or cut-off time and split by zone), how the units they hold
in each bin become the lines of a walk (the same product in the same bin merged, each
order's share kept with its slot on the cart), and the picker's steps over a list (the
bin, the item, the tote), each refused with a reason a picker reads and nothing changed.

The database applies them in ``app/services/picking.py``; the units move through the one
stock domain (``app.domain.stock.pick`` and ``short_pick`` via ``app.db.stock``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum

from app.domain.errors import DomainError
from app.domain.status import OrderStatus


class PickingError(DomainError):
    """A pick step refused: the message says what was wrong and what to do."""


class WrongBin(PickingError):
    """The picker scanned a bin other than the one the list goes to next."""


class WrongItem(PickingError):
    """The item scanned is not the product of the line being picked."""


class OverPick(PickingError):
    """One too many: the line needs fewer units than were scanned."""


class WrongTote(PickingError):
    """The tote scanned belongs to another order, or the order already has another tote."""


class NothingToPick(DomainError):
    """No order asked for could go on a list (each one's reason is given)."""


class Mode(StrEnum):
    SINGLE = "single"
    BATCH = "batch"
    WAVE = "wave"
    FOLLOW_UP = "follow-up"


class WaveBy(StrEnum):
    CARRIER = "carrier"
    PRIORITY = "priority"
    CUTOFF = "cutoff"


class ShortReason(StrEnum):
    BIN_EMPTY = "bin_empty"
    DAMAGED = "damaged"
    NOT_FOUND = "not_found"

    @property
    def label(self) -> str:
        return {"bin_empty": "bin empty", "damaged": "damaged", "not_found": "not found"}[self]


class ShortChoice(StrEnum):
    """What a supervisor does with a short pick."""

    REALLOCATE = "reallocated"  # from another bin with stock: a small follow-up list
    PARTIAL = "partial"  # ship what was picked
    HOLD = "held"  # the order waits on hold


DEFAULT_CUTOFFS = (time(14, 0),)
"""The daily cut-off when a site names none: an order placed before it leaves that day."""


@dataclass(frozen=True)
class Take:
    """Units an order line holds in one bin, still to be picked from it."""

    line_no: int
    product_id: int
    sku: str
    name: str
    barcode: str | None
    bin_code: str
    zone: str
    walk_sequence: int
    units: int


@dataclass(frozen=True)
class Candidate:
    """An order as list building sees it: what keeps it off a list and what it holds."""

    number: str
    status: OrderStatus
    priority: int = 0
    carrier: str | None = None
    service: str | None = None
    placed_at: datetime | None = None
    hold_reasons: tuple[str, ...] = ()
    fulfilled_elsewhere: str | None = None
    on_open_list: str | None = None  # the open list it is on already
    warehouse: str | None = None
    takes: tuple[Take, ...] = ()


def refusal(
    order: Candidate, *, warehouse: str | None = None, follow_up: bool = False
) -> str | None:
    """Why the order cannot go on a list, or None when it can.

    On hold, void, fulfilled elsewhere, already on an open list, another warehouse's, not
    (or no longer) allocated, or holding nothing to pick."""
    n = order.number
    if order.fulfilled_elsewhere:
        return f"Order {n} was fulfilled elsewhere ({order.fulfilled_elsewhere}): nothing to pick."
    if order.status is OrderStatus.ON_HOLD:
        why = "; ".join(order.hold_reasons) or "no reason given"
        return f"Order {n} is on hold ({why}): release it first."
    if order.status is OrderStatus.VOID:
        return f"Order {n} is void."
    if order.on_open_list:
        return f"Order {n} is already on pick list {order.on_open_list}."
    if warehouse is not None and order.warehouse not in (None, warehouse):
        return f"Order {n} ships from warehouse {order.warehouse}, not {warehouse}."
    allowed = {OrderStatus.ALLOCATED}
    if follow_up:
        allowed |= {OrderStatus.PICKING, OrderStatus.PICKED}
    if order.status not in allowed:
        return f"Order {n} is {order.status.label.lower()}, not allocated: nothing to pick."
    if not any(t.units > 0 for t in order.takes):
        return f"Order {n} holds no stock in any bin: allocate it first."
    return None


@dataclass(frozen=True)
class Split:
    """One order's share of a merged line, and the cart slot (tote) it goes to."""

    order_number: str
    line_no: int
    slot: int
    units: int


@dataclass(frozen=True)
class PlannedLine:
    """One stop of the walk: a product in a bin, all the list's orders' units of it."""

    bin_code: str
    zone: str
    walk_sequence: int
    product_id: int
    sku: str
    name: str
    barcode: str | None
    splits: tuple[Split, ...]

    @property
    def units(self) -> int:
        return sum(s.units for s in self.splits)


@dataclass(frozen=True)
class PlannedList:
    """A list to be numbered and saved: orders in slot order, lines in walk order."""

    mode: Mode
    slots: tuple[tuple[str, int], ...]  # (order number, cart slot)
    lines: tuple[PlannedLine, ...]
    grouping: str | None = None
    zone: str | None = None

    @property
    def orders(self) -> tuple[str, ...]:
        return tuple(number for number, _ in self.slots)

    @property
    def units(self) -> int:
        return sum(line.units for line in self.lines)

    @property
    def zones(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for line in self.lines:
            seen.setdefault(line.zone, None)
        return tuple(seen)


@dataclass(frozen=True)
class Plan:
    """The lists to make and the orders left off, each with its reason."""

    lists: tuple[PlannedList, ...]
    refused: tuple[tuple[str, str], ...] = ()


def plan_single(orders: Sequence[Candidate], *, warehouse: str | None = None) -> Plan:
    """One list per order, in the order asked."""
    ok, refused = _eligible(orders, warehouse)
    return Plan(tuple(_make(Mode.SINGLE, [o]) for o in ok), tuple(refused))


def plan_batch(orders: Sequence[Candidate], size: int, *, warehouse: str | None = None) -> Plan:
    """Lists of up to ``size`` orders each, most urgent first; each order its own slot."""
    _at_least_one(size, "A batch")
    ok, refused = _eligible(orders, warehouse)
    ok.sort(key=_urgency)
    return Plan(
        tuple(_make(Mode.BATCH, ok[i : i + size]) for i in range(0, len(ok), size)), tuple(refused)
    )


def plan_wave(
    orders: Sequence[Candidate],
    by: WaveBy,
    *,
    zone: str | None = None,
    max_orders: int | None = None,
    warehouse: str | None = None,
    cutoffs: Sequence[time] = DEFAULT_CUTOFFS,
) -> Plan:
    """Orders grouped by ``by``, each group split by zone so one picker walks one zone.

    An order whose units lie in two zones is on two lists, one per zone, in the same slot
    of each group's carts. ``zone`` keeps only that zone's units (orders with none there are
    left off, saying so); ``max_orders`` splits a group's zone list into lists of at most
    that many orders."""
    if max_orders is not None:
        _at_least_one(max_orders, "A wave list")
    ok, refused = _eligible(orders, warehouse)
    if zone is not None:
        kept = []
        for o in ok:
            if any(t.zone.upper() == zone.upper() for t in o.takes):
                kept.append(o)
            else:
                refused.append((o.number, f"Order {o.number} has nothing to pick in zone {zone}."))
        ok = kept
    groups: dict[tuple[object, ...], list[Candidate]] = {}
    names: dict[tuple[object, ...], str] = {}
    for o in sorted(ok, key=_urgency):
        key, name = _group(o, by, cutoffs)
        groups.setdefault(key, []).append(o)
        names[key] = name
    lists: list[PlannedList] = []
    for key in sorted(groups, key=_group_order):
        members = groups[key]
        chunk = max_orders or len(members)
        for i in range(0, len(members), chunk):
            part = members[i : i + chunk]
            by_zone: dict[str, dict[str, list[Take]]] = {}
            for o in part:
                for t in o.takes:
                    by_zone.setdefault(t.zone, {}).setdefault(o.number, []).append(t)
            zones = _zone_walk(t for o in part for t in o.takes)
            for z in zones:
                if zone is not None and z.upper() != zone.upper():
                    continue
                made = _make(Mode.WAVE, part, zone=z, grouping=names[key], takes=by_zone[z])
                if made.lines:
                    lists.append(made)
    return Plan(tuple(lists), tuple(refused))


def plan_follow_up(order: Candidate) -> Plan:
    """A small list for what a re-allocation found in other bins after a short pick."""
    why = refusal(order, follow_up=True)
    if why:
        return Plan((), ((order.number, why),))
    return Plan((_make(Mode.FOLLOW_UP, [order]),))


def walk_key(zone_rank: Mapping[str, int], line: PlannedLine) -> tuple[int, int, str, str]:
    """Zone by zone (zones in the order the walk reaches them), then the bins' sequence."""
    return (zone_rank[line.zone], line.walk_sequence, line.bin_code, line.sku)


def _make(
    mode: Mode,
    orders: Sequence[Candidate],
    *,
    zone: str | None = None,
    grouping: str | None = None,
    takes: Mapping[str, Sequence[Take]] | None = None,
) -> PlannedList:
    """``takes``: each order's takes in ``zone`` when the caller has them sorted by zone."""
    merged: dict[tuple[str, int], list[Split]] = {}
    first: dict[tuple[str, int], Take] = {}
    used: list[tuple[str, int]] = []
    for slot, order in enumerate(orders, start=1):
        has_any = False
        for t in order.takes if takes is None else takes.get(order.number, ()):
            if t.units <= 0 or (zone is not None and t.zone != zone):
                continue
            key = (t.bin_code, t.product_id)
            first.setdefault(key, t)
            merged.setdefault(key, []).append(Split(order.number, t.line_no, slot, t.units))
            has_any = True
        if has_any:
            used.append((order.number, slot))
    # Slots are kept as numbered above (the cart slot of a batch); a wave's zone list keeps
    # the group's slots, so an order has the same slot in every zone of its wave.
    lines = [
        PlannedLine(
            t.bin_code,
            t.zone,
            t.walk_sequence,
            t.product_id,
            t.sku,
            t.name,
            t.barcode,
            tuple(merged[key]),
        )
        for key, t in first.items()
    ]
    rank = {z: i for i, z in enumerate(_zone_walk(first.values()))}
    lines.sort(key=lambda line: walk_key(rank, line))
    return PlannedList(mode, tuple(used), tuple(lines), grouping, zone)


def _zone_walk(takes: Iterable[Take]) -> list[str]:
    """Zones in the order a walk reaches them: by their first bin's sequence."""
    first: dict[str, tuple[int, str]] = {}
    for t in takes:
        here = (t.walk_sequence, t.bin_code)
        if t.zone not in first or here < first[t.zone]:
            first[t.zone] = here
    return sorted(first, key=lambda z: (first[z], z))


def _eligible(
    orders: Sequence[Candidate], warehouse: str | None
) -> tuple[list[Candidate], list[tuple[str, str]]]:
    ok: list[Candidate] = []
    refused: list[tuple[str, str]] = []
    seen: set[str] = set()
    for o in orders:
        if o.number in seen:
            continue
        seen.add(o.number)
        why = refusal(o, warehouse=warehouse)
        if why:
            refused.append((o.number, why))
        else:
            ok.append(o)
    return ok, refused


def _urgency(o: Candidate) -> tuple[int, datetime, str]:
    placed = o.placed_at or datetime.max.replace(tzinfo=None)
    return (-o.priority, placed.replace(tzinfo=None), o.number)


def cutoff_of(placed_at: datetime | None, cutoffs: Sequence[time] = DEFAULT_CUTOFFS) -> datetime:
    """The first daily cut-off at or after the order was placed (in the time given)."""
    placed = placed_at or datetime.min
    times = sorted(cutoffs) or list(DEFAULT_CUTOFFS)
    day = placed.date()
    for _ in range(2):
        for t in times:
            moment = datetime.combine(day, t, tzinfo=placed.tzinfo)
            if moment >= placed:
                return moment
        day += timedelta(days=1)
    return datetime.combine(day, times[0], tzinfo=placed.tzinfo)  # pragma: no cover


def _group(o: Candidate, by: WaveBy, cutoffs: Sequence[time]) -> tuple[tuple[object, ...], str]:
    if by is WaveBy.CARRIER:
        carrier, service = o.carrier or "", o.service or ""
        name = " ".join(x for x in (carrier, service) if x) or "no carrier"
        return (0, carrier.upper(), service.upper()), f"carrier {name}"
    if by is WaveBy.PRIORITY:
        return (0, -o.priority), f"priority {o.priority}"
    moment = cutoff_of(o.placed_at, cutoffs)
    return (0, moment.replace(tzinfo=None)), f"cut-off {moment:%Y-%m-%d %H:%M}"


def _group_order(key: tuple[object, ...]) -> tuple[str, ...]:
    return tuple(str(k) for k in key)


def _at_least_one(n: int, what: str) -> None:
    if n < 1:
        raise DomainError(f"{what} holds at least 1 order, not {n}.")


# --- the picker's steps -------------------------------------------------------------------------


@dataclass(frozen=True)
class LineState:
    """A line of a list as the picker works it."""

    position: int
    bin_code: str
    zone: str
    sku: str
    name: str
    product_id: int | None
    quantity: int
    picked: int
    short: int
    splits: tuple[SplitState, ...] = field(default=())

    @property
    def open(self) -> int:
        return self.quantity - self.picked - self.short

    @property
    def done(self) -> bool:
        return self.open <= 0


@dataclass(frozen=True)
class SplitState:
    order_number: str
    line_no: int
    slot: int
    quantity: int
    picked: int
    short: int
    tote: str | None = None

    @property
    def open(self) -> int:
        return self.quantity - self.picked - self.short


def next_line(lines: Sequence[LineState]) -> LineState | None:
    """The first line of the walk with units still to pick."""
    for line in lines:
        if not line.done:
            return line
    return None


def check_bin(line: LineState, scanned: str) -> None:
    if scanned.upper() != line.bin_code.upper():
        raise WrongBin(
            f"Wrong bin: this is {scanned}, the list goes to {line.bin_code} next. "
            f"Go to {line.bin_code} and scan its label."
        )


def check_item(
    line: LineState, product_id: int | None, what: str, units: int, in_hand: int
) -> None:
    """The scanned product is the line's and is not one too many."""
    if product_id != line.product_id:
        raise WrongItem(
            f"Wrong item: {what} is not {line.sku} ({line.name}). Put it back and take "
            f"{line.sku} from {line.bin_code}."
        )
    if in_hand + units > line.open:
        left = line.open - in_hand
        raise OverPick(
            f"One too many: {line.sku} needs {left} more here, the scan counted {units}. "
            "Put the extra back."
        )


def tote_for(split: SplitState, tote: str, held_by: Mapping[str, str]) -> None:
    """The tote may take the order's units: it is the order's, or free and the order has none.

    ``held_by``: tote -> order number, for totes on open lists."""
    tote = tote.strip().upper()
    other = held_by.get(tote)
    if split.tote is not None and split.tote.upper() != tote.upper():
        raise WrongTote(
            f"Wrong tote: order {split.order_number} goes in {split.tote} (slot {split.slot}), "
            f"not {tote}."
        )
    if other is not None and other != split.order_number:
        raise WrongTote(
            f"Wrong tote: {tote} holds order {other}. Put the items for order "
            f"{split.order_number} in slot {split.slot}'s tote."
        )


def first_open_split(line: LineState) -> SplitState | None:
    """The order the next unit of the line goes to: slots in order."""
    for s in line.splits:
        if s.open > 0:
            return s
    return None


def share_short(line: LineState, missing: int) -> list[tuple[SplitState, int]]:
    """Who goes without when ``missing`` units are not there: the last slots first, so the
    most urgent orders (the first slots) keep what was found."""
    out: list[tuple[SplitState, int]] = []
    left = missing
    for s in reversed(line.splits):
        if left <= 0:
            break
        take = min(s.open, left)
        if take > 0:
            out.append((s, take))
            left -= take
    if left > 0:
        raise PickingError(f"{missing} short is more than the {line.open} still to pick here.")
    return out
