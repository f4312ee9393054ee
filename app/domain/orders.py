"""Order lines and the quantities each one carries through the lifecycle."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from app.domain.errors import InvalidQuantities


@dataclass(frozen=True)
class LineQuantities:
    """How much of one order line has reached each step, counted from the start.

    The steps run in order, so each count is at most the one before it:
    ordered ≥ allocated ≥ picked ≥ packed ≥ shipped. Invoiced and returned count what
    shipped. Stock still committed for the line is ``allocated - shipped``.
    """

    ordered: int
    allocated: int = 0
    picked: int = 0
    packed: int = 0
    shipped: int = 0
    invoiced: int = 0
    returned: int = 0

    def __post_init__(self) -> None:
        problem = self.problem()
        if problem:
            raise InvalidQuantities(problem)

    def problem(self) -> str | None:
        """What contradicts itself in these quantities, or None."""
        if self.ordered <= 0:
            return f"An order line needs a quantity of at least 1 (got {self.ordered})."
        steps = ("ordered", "allocated", "picked", "packed", "shipped")
        for name in (*steps[1:], "invoiced", "returned"):
            if getattr(self, name) < 0:
                return f"The {name} quantity cannot be negative (got {getattr(self, name)})."
        for before, after in pairwise(steps):
            if getattr(self, after) > getattr(self, before):
                return (
                    f"{after.capitalize()} {getattr(self, after)} is more than the "
                    f"{getattr(self, before)} {before}."
                )
        for name in ("invoiced", "returned"):
            if getattr(self, name) > self.shipped:
                return (
                    f"{name.capitalize()} {getattr(self, name)} is more than the "
                    f"{self.shipped} shipped."
                )
        return None

    @classmethod
    def shipped_elsewhere(cls, quantity: int) -> LineQuantities:
        """A line the channel shipped before it was imported: every step at the quantity, so
        the chain holds, it holds no stock, and returns count against what shipped."""
        return cls(quantity, quantity, quantity, quantity, quantity)

    @property
    def committed(self) -> int:
        """Stock held for this line in the warehouse."""
        return self.allocated - self.shipped

    @property
    def open(self) -> int:
        """Still to ship (the backorder after a partial shipment)."""
        return self.ordered - self.shipped

    @property
    def to_allocate(self) -> int:
        """Units still to commit: ``allocated`` already counts what has shipped."""
        return self.ordered - self.allocated

    @property
    def to_invoice(self) -> int:
        return self.shipped - self.invoiced
