"""How many of each line a draft carries, by what the order's state asks of the warehouse.

Channels count a line's units several ways: ordered, cancelled, refunded, and (Magento,
BigCommerce, Shopify's fulfilments) shipped by the channel itself. What the draft carries:

- an order to fulfil (open, unpaid, on hold): what is still to ship, ordered less what was
  cancelled and less what was refunded or already shipped elsewhere, whichever is more (a
  unit shipped and then refunded was returned; it is not shipped again);
- a completed order (fulfilled elsewhere): what the channel says was shipped, when it says so
  for any line of the order; else what is left after cancellations and refunds (WooCommerce's
  "completed" says everything was sent). The returns desk takes back what was shipped;
- a cancelled order: what was ordered, so the void order records what was cancelled.

A line left with nothing is dropped. An order to fulfil with nothing left to ship is done
(``settled``): fulfilled elsewhere when the channel shipped any of it, else cancelled. Only an
order with no line at all is rejected by its reader ("nothing in it").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from app.channels.drafts import ChannelState, LineDraft


@dataclass(frozen=True)
class Counts:
    """A line's units as the channel counts them."""

    ordered: int
    cancelled: int = 0
    refunded: int = 0
    shipped: int = 0  # shipped by the channel, outside this warehouse


def carried(state: ChannelState, counts: Sequence[Counts]) -> list[int]:
    """The quantity each line carries in a draft of this state (0: leave the line out)."""
    if state is ChannelState.CANCELLED:
        return [c.ordered for c in counts]
    if state is ChannelState.COMPLETED:
        if any(c.shipped > 0 for c in counts):
            return [min(c.shipped, c.ordered) for c in counts]
        return [max(0, c.ordered - c.cancelled - c.refunded) for c in counts]
    return [max(0, c.ordered - c.cancelled - max(c.refunded, c.shipped)) for c in counts]


def settled(state: ChannelState, counts: Sequence[Counts]) -> ChannelState:
    """The state, or, for an order to fulfil of which nothing is left to ship: completed when
    the channel shipped some of it, cancelled when all of it was cancelled or refunded."""
    if state in (ChannelState.CANCELLED, ChannelState.COMPLETED) or not counts:
        return state
    if any(carried(state, counts)):
        return state
    return ChannelState.COMPLETED if any(c.shipped for c in counts) else ChannelState.CANCELLED


def lines_for(state: ChannelState, lines: Sequence[tuple[LineDraft, Counts]]) -> list[LineDraft]:
    """The draft's lines: each with the quantity its state carries, empty ones left out."""
    wanted = carried(state, [counts for _, counts in lines])
    return [
        line if line.quantity == quantity else dataclasses.replace(line, quantity=quantity)
        for (line, _), quantity in zip(lines, wanted, strict=True)
        if quantity > 0
    ]
