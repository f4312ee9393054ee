"""The same order, or the same product, twice in one file: the first one counts.

An export can hold one order twice (pages fetched while the order changed, two exports pasted
together) and a catalogue one product on several rows. Applying two different versions in
turn would "update" the order twice on every import, write two audit events and take a
change number each time, so re-importing would never settle. The rule, one for every format:
the first time a file names an order (or gives a product's name, price, barcodes...) is what
is imported; a later copy that says the same is harmless (it counts as unchanged), and one
that says something different is rejected with where it is and where the first one was.

CSV orders never meet this: their rows are grouped by the order's number, so one number is
one order however many rows it has. A catalogue row is one product in one bin: several rows
of one SKU for several bins are normal, and only their product columns must agree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any

from app.channels.drafts import OrderDraft, ProductDraft, Read, RowError

# The product columns a catalogue row may give; an empty cell gives nothing.
_PRODUCT_VALUES = ("name", "barcodes", "weight_g", "price", "currency")


def orders(reads: Iterable[Read]) -> Iterator[Read]:
    """The file's orders with every differing later copy of an order id turned into a rejection."""
    # id -> (hash of what the file says, where, its place in the file). A hash, not the
    # draft, to hold little for a big file; drafts equal but for where they are hash alike.
    first: dict[str, tuple[int, str, int]] = {}
    for place, item in enumerate(reads, 1):
        if isinstance(item, OrderDraft):
            content = hash(dataclasses.replace(item, where=""))
            known = first.setdefault(item.external_id, (content, item.where, place))
            if known[0] != content:
                yield RowError(
                    f"{item.where} (order #{place} in the file)",
                    "order",
                    f"order {item.external_id} is in the file twice and this copy differs from "
                    f"the first ({known[1]}, order #{known[2]}): only the first was imported. "
                    "Export the file again, or remove the copy that is out of date",
                )
                continue
        yield item


def products(rows: Iterable[ProductDraft | RowError]) -> Iterator[ProductDraft | RowError]:
    """Catalogue rows, with a row that contradicts an earlier row of its SKU rejected."""
    given: dict[str, dict[str, tuple[Any, str]]] = {}  # sku -> column -> (value, where)
    for row in rows:
        if isinstance(row, ProductDraft):
            problem = _contradiction(row, given.setdefault(row.sku, {}))
            if problem is not None:
                yield problem
                continue
        yield row


def _contradiction(row: ProductDraft, known: dict[str, tuple[Any, str]]) -> RowError | None:
    values: dict[str, Any] = {
        name: getattr(row, name)
        for name in _PRODUCT_VALUES
        if getattr(row, name) not in (None, (), "")
    }
    if row.bin_code is not None and row.on_hand is not None:
        values[f"on_hand in bin {row.bin_code}"] = row.on_hand
    for name, value in values.items():
        first = known.get(name)
        if first is not None and first[0] != value:
            return RowError(
                row.where,
                name.split(" ", 1)[0],
                f"SKU {row.sku} is on an earlier row with another {name} ({_shown(first[0])} on "
                f"{first[1]}, {_shown(value)} here): only the first was applied. One product, "
                "one description: fix the file",
            )
    for name, value in values.items():
        known.setdefault(name, (value, _line_of(row.where)))
    return None


def _line_of(where: str) -> str:
    """``catalogue.csv line 4 (SKU X)`` -> ``line 4``."""
    _file, _, rest = where.partition(" line ")
    return f"line {rest.split(' ', 1)[0]}" if rest else where


def _shown(value: Any) -> str:
    if isinstance(value, tuple):  # barcodes: (code, units) pairs
        return repr(";".join(f"{code}x{units}" if units != 1 else code for code, units in value))
    return repr(value) if isinstance(value, str) else str(value)
