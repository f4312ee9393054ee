"""Stock in hand versus stock committed to orders, per product and bin."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.errors import InvalidQuantities


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
    for b in sorted(bins, key=lambda b: (b.walk_sequence, b.bin_code)):
        if left <= 0:
            break
        take = min(left, b.available)
        if take > 0:
            takes.append((b.bin_code, take))
            left -= take
    return takes, left
