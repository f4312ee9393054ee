"""Which warehouse ships an order: one rule set, over plain values (no database here).

The rule (docs/architecture.md, "Warehouses"):

1. A warehouse that can ship the whole order from its available stock wins; among several,
   the one that serves the ship-to country, then the nearest by the configured ranking
   (``[warehouses] ranking``), then the highest priority, then the code.
2. When none can ship it whole, ``[warehouses] when_none_whole`` says: ``split`` gives each
   warehouse, in that same order of preference, as much of each line as it has available
   (the rest stays with the preferred warehouse, waiting for stock); ``wait`` keeps the
   whole order in the preferred warehouse until stock comes.

The reason for the choice is returned in words; the order keeps it (``warehouse_reason``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

WAREHOUSE_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,15}")

# Ship-to country (ISO alpha-2, or "*" for any other) -> warehouse codes, nearest first.
Ranking = dict[str, tuple[str, ...]]

SPLIT, WAIT = "split", "wait"


def parse_ranking(text: str) -> Ranking:
    """``"GB: MAN, LON; DE: BER; *: LON"`` -> {"GB": ("MAN", "LON"), ...}; ValueError says
    what is wrong."""
    ranking: Ranking = {}
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        country, colon, codes = part.partition(":")
        country = country.strip().upper()
        if not colon or not (country == "*" or re.fullmatch(r"[A-Z]{2}", country)):
            raise ValueError(
                f'"{part}" must be a country code (or *), a colon and warehouse codes, '
                'e.g. "GB: MAN, LON"'
            )
        names = tuple(c.strip().upper() for c in codes.split(",") if c.strip())
        bad = [c for c in names if not WAREHOUSE_CODE.fullmatch(c)]
        if bad or not names:
            raise ValueError(f'"{part}" names no warehouse codes, or a bad one: {", ".join(bad)}')
        if country in ranking:
            raise ValueError(f"{country} is ranked twice")
        ranking[country] = names
    return ranking


@dataclass(frozen=True)
class WarehouseInfo:
    code: str
    serves: frozenset[str] = frozenset()
    priority: int = 0


@dataclass(frozen=True)
class Need:
    """One order line: which product, how many units."""

    line_no: int
    product_id: int
    quantity: int


@dataclass(frozen=True)
class Part:
    """What one warehouse ships: units per line number."""

    warehouse: str
    lines: tuple[tuple[int, int], ...]  # (line_no, quantity)


@dataclass(frozen=True)
class Assignment:
    parts: tuple[Part, ...]  # one: the whole order; several: split, preferred first
    waiting: bool  # (part of) the order waits for stock in its warehouse
    reason: str

    @property
    def warehouse(self) -> str:
        return self.parts[0].warehouse

    @property
    def split(self) -> bool:
        return len(self.parts) > 1


def preference(
    warehouses: Sequence[WarehouseInfo], country: str | None, ranking: Mapping[str, Sequence[str]]
) -> list[WarehouseInfo]:
    """The warehouses in the order the rule prefers them for this ship-to country."""
    ranked = list(ranking.get(country or "", ranking.get("*", ())))

    def key(w: WarehouseInfo) -> tuple[int, int, int, str]:
        near = ranked.index(w.code) if w.code in ranked else len(ranked)
        return (0 if country and country in w.serves else 1, near, -w.priority, w.code)

    return sorted(warehouses, key=key)


def _why(w: WarehouseInfo, country: str | None, ranking: Mapping[str, Sequence[str]]) -> str:
    if country and country in w.serves:
        return f"serves {country}"
    ranked = ranking.get(country or "", ranking.get("*", ()))
    if w.code in ranked:
        return f"nearest to {country or 'the ship-to'} by the ranking"
    return f"priority {w.priority}"


def assign(
    needs: Sequence[Need],
    available: Mapping[tuple[str, int], int],
    warehouses: Sequence[WarehouseInfo],
    country: str | None,
    ranking: Mapping[str, Sequence[str]],
    when_none_whole: str = SPLIT,
) -> Assignment:
    """Choose the warehouse (or the parts) for an order; ``available`` is units by
    (warehouse code, product id)."""
    if not warehouses:
        raise ValueError("there is no warehouse to assign to")
    order = preference(warehouses, country, ranking)
    if len(order) == 1:
        return Assignment((_whole(order[0].code, needs),), False, "the only warehouse")
    wanted: dict[int, int] = {}
    for need in needs:
        wanted[need.product_id] = wanted.get(need.product_id, 0) + need.quantity
    whole = [w for w in order if all(available.get((w.code, p), 0) >= n for p, n in wanted.items())]
    if whole:
        chosen = whole[0]
        others = "" if len(whole) == 1 else f" (of {len(whole)} that can)"
        return Assignment(
            (_whole(chosen.code, needs),),
            False,
            f"{chosen.code} can ship it whole{others} and {_why(chosen, country, ranking)}",
        )
    first = order[0]
    waiting = f"no warehouse can ship it whole; it waits for stock in {first.code}"
    if when_none_whole == WAIT:
        return Assignment(
            (_whole(first.code, needs),), True, f"{waiting} ({_why(first, country, ranking)})"
        )
    left: dict[str, dict[int, int]] = {w.code: {} for w in order}
    stock = dict(available)
    short = False
    for need in needs:
        rest = need.quantity
        for w in order:
            take = min(rest, stock.get((w.code, need.product_id), 0))
            if take > 0:
                left[w.code][need.line_no] = left[w.code].get(need.line_no, 0) + take
                stock[w.code, need.product_id] -= take
                rest -= take
            if rest == 0:
                break
        if rest:
            short = True
            left[first.code][need.line_no] = left[first.code].get(need.line_no, 0) + rest
    parts = tuple(Part(w.code, tuple(sorted(left[w.code].items()))) for w in order if left[w.code])
    if len(parts) == 1:  # nothing anywhere else either: it waits whole
        return Assignment(parts, True, f"{waiting} ({_why(first, country, ranking)})")
    shares = "; ".join(
        f"{p.warehouse} ships line{'s' if len(p.lines) > 1 else ''} "
        + ", ".join(f"{n}×{q}" for n, q in p.lines)
        for p in parts
    )
    tail = f"; what none has waits in {first.code}" if short else ""
    return Assignment(parts, short, f"split: no warehouse can ship it whole ({shares}){tail}")


def _whole(code: str, needs: Sequence[Need]) -> Part:
    return Part(code, tuple((n.line_no, n.quantity) for n in needs))


def part_suffix(index: int) -> str:
    """A split part's suffix: A for the first (the original order), B, C ... then AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
