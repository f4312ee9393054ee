"""Review rules: which orders a person should look at before stock is allocated to them.

The rules are data (``[review]`` in the station's config): a first order of a customer above
a value, billing and shipping countries that differ, a personalised line, a ship-to address
missing a required part, and an order the sales channel says is not paid yet or holds
itself. Each rule that fires gives a reason written for the supervisor who releases or
voids the order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

# The parts of an address a rule may require.
ADDRESS_FIELDS = (
    "name",
    "company",
    "line1",
    "line2",
    "city",
    "region",
    "postcode",
    "country",
    "phone",
)


@dataclass(frozen=True)
class ReviewRules:
    """What puts an order on hold; 0 / False / () turns a rule off."""

    first_order_over: Decimal = Decimal(250)  # in the order's own currency
    countries_differ: bool = True
    personalised: bool = True
    required_address_fields: tuple[str, ...] = ("name", "line1", "city", "postcode", "country")
    unpaid: bool = True

    def checks_first_order(self, total: Decimal) -> bool:
        """Whether the first-order rule needs to know the customer's history for this total."""
        return self.first_order_over > 0 and total > self.first_order_over


@dataclass(frozen=True)
class OrderUnderReview:
    """What the rules look at, as plain values."""

    currency: str
    total: Decimal  # goods with tax, plus shipping
    channel: str  # a display name: "Shopify"
    channel_status: str = ""
    unpaid: bool = False  # the channel says the payment is not there yet
    channel_hold: bool = False  # the channel holds the order itself (review, dispute)
    first_order: bool | None = None  # None: not asked (the total is under the limit)
    ship_to: Mapping[str, str | None] | None = None
    bill_country: str | None = None
    personalised_skus: tuple[str, ...] = field(default=())


# Every reason a rule gives starts with one of these; the rest of a hold list was written by
# a person (or by the import, for a change while picking) and survives a re-review.
_RULE_STARTS = (
    "First order over ",
    "Billing country ",
    "Personalised item",
    "Ship-to address ",
    "No ship-to address",
    "Not paid yet in ",
    "On hold in ",
)


def channel_reasons(rules: ReviewRules, order: OrderUnderReview) -> list[str]:
    """The reasons that quote the sales channel's own status (payment, its own hold)."""
    reasons = []
    if order.channel_hold:
        reasons.append(
            f"On hold in {order.channel} (status {order.channel_status}): release it there first"
        )
    if order.unpaid and rules.unpaid:
        reasons.append(
            f"Not paid yet in {order.channel} (status {order.channel_status}): "
            "release when the payment has arrived"
        )
    return reasons


def hold_reasons(rules: ReviewRules, order: OrderUnderReview) -> list[str]:
    """The reasons, in a fixed order, to hold ``order``; empty when it may go ahead."""
    reasons = channel_reasons(rules, order)
    if order.first_order and rules.checks_first_order(order.total):
        reasons.append(
            f"First order over {rules.first_order_over} {order.currency} "
            f"({order.total} {order.currency}): check the payment before releasing"
        )
    ship_country = (order.ship_to or {}).get("country") or ""
    if (
        rules.countries_differ
        and ship_country
        and order.bill_country
        and order.bill_country != ship_country
    ):
        reasons.append(
            f"Billing country {order.bill_country} differs from shipping country {ship_country}"
        )
    if rules.personalised and order.personalised_skus:
        reasons.append(
            f"Personalised item ({', '.join(order.personalised_skus)}): "
            "check the personalisation before picking"
        )
    if rules.required_address_fields:
        if order.ship_to is None:
            reasons.append("No ship-to address: add one before it can be shipped")
        else:
            missing = [
                p for p in rules.required_address_fields if not (order.ship_to.get(p) or "").strip()
            ]
            if missing:
                reasons.append(f"Ship-to address lacks {', '.join(missing)}")
    return reasons


def is_rule_reason(reason: str) -> bool:
    """Whether a hold reason came from these rules (and is re-decided when the order changes)."""
    return reason.startswith(_RULE_STARTS)


def is_channel_reason(reason: str) -> bool:
    """Whether a hold reason quotes the channel's payment or hold status."""
    return reason.startswith(("Not paid yet in ", "On hold in "))
