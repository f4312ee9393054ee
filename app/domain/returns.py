"""What may come back, why, where it goes, and what is refunded (docs/returns.md).

Plain values and functions, no database. The returns desk's service reads the rows, asks
these rules, and moves stock through ``app.domain.stock`` (restock, quarantine) and credit
notes through ``app.domain.invoicing``: a returned unit's refund is the invoice line's share
for units that were invoiced, and the ordered price for units that were not.

- ``returnable``: shipped - returned, per line (``app.domain.orders.LineQuantities``);
- ``check_window``: a return later than the window needs the ``accept_late_returns`` right
  and a reason, which the service audits;
- ``check_receive``: a unit of an item not in the order, more than returnable, a wrong or
  repeated serial are refused with what to do;
- ``ReturnPolicy``: defaults per reason (disposition, shipping refunded, restocking fee),
  read from the ``[returns]`` settings by ``parse_policy``;
- ``price_refund``: the refund of the accepted units, per line with its tax, shipping and
  fees, and how many units of each line the credit note gives back (never more than the
  invoice billed and was not credited yet).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from app.domain.errors import DomainError, NotAllowed
from app.domain.invoicing import LineTerms, net_of, tax_of
from app.domain.money import round_money
from app.domain.status import OrderStatus, can_transition

ZERO = Decimal("0")


class Reason(StrEnum):
    DAMAGED = "damaged"
    WRONG_ITEM = "wrong_item"
    NOT_AS_DESCRIBED = "not_as_described"
    NO_LONGER_WANTED = "no_longer_wanted"
    ARRIVED_LATE = "arrived_late"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _REASON_LABELS[self]


_REASON_LABELS = {
    Reason.DAMAGED: "Damaged",
    Reason.WRONG_ITEM: "Wrong item sent",
    Reason.NOT_AS_DESCRIBED: "Not as described",
    Reason.NO_LONGER_WANTED: "No longer wanted",
    Reason.ARRIVED_LATE: "Arrived late",
    Reason.OTHER: "Other",
}


class Condition(StrEnum):
    NEW = "new"  # unopened, sellable as new
    OPENED = "opened"
    USED = "used"
    DAMAGED = "damaged"


class Disposition(StrEnum):
    RESTOCK = "restock"  # on hand goes up in a bin
    QUARANTINE = "quarantine"  # kept out of available stock
    SCRAP = "scrap"
    RETURN_TO_VENDOR = "return_to_vendor"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def restocks(self) -> bool:
        return self is Disposition.RESTOCK


class ReturnRefused(DomainError):
    """A unit cannot be taken back as scanned."""


class NotInOrder(ReturnRefused):
    """The item was not shipped in this order (it may be received as unexpected)."""


class OverReturn(ReturnRefused):
    """More units than shipped and not yet returned."""


class WrongSerial(ReturnRefused):
    """A serial-tracked item whose serial was not shipped in this order, or came back already."""


class LateReturn(ReturnRefused):
    """Outside the return window; a supervisor (or a user granted it) accepts with a reason."""


class LateReturnNotAllowed(LateReturn, NotAllowed):
    """Outside the return window, and this person lacks ``accept_late_returns``."""


# --- the policy -----------------------------------------------------------------------------


DEFAULT_DISPOSITIONS = "damaged:quarantine, wrong_item:restock, not_as_described:quarantine, no_longer_wanted:restock, arrived_late:restock, other:quarantine"  # noqa: E501
DEFAULT_SHIPPING_REFUNDED = "damaged, wrong_item, not_as_described"
DEFAULT_RESTOCKING_FEES = "no_longer_wanted:10"


@dataclass(frozen=True)
class ReturnPolicy:
    """The ``[returns]`` settings as rules: days in the window, and per reason the default
    disposition, whether the order's shipping is refunded, and a restocking fee (percent of
    the units' goods value)."""

    window_days: int = 30
    default_reason: Reason = Reason.NO_LONGER_WANTED
    dispositions: Mapping[Reason, Disposition] = field(
        default_factory=lambda: parse_dispositions(DEFAULT_DISPOSITIONS)
    )
    shipping_refunded: frozenset[Reason] = field(
        default_factory=lambda: parse_reasons(DEFAULT_SHIPPING_REFUNDED)
    )
    restocking_fee_pct: Mapping[Reason, Decimal] = field(
        default_factory=lambda: parse_fees(DEFAULT_RESTOCKING_FEES)
    )

    def disposition_for(self, reason: Reason, condition: Condition | None = None) -> Disposition:
        """The default disposition: the reason's, but a damaged unit is never restocked."""
        chosen = self.dispositions.get(reason, Disposition.QUARANTINE)
        if condition is Condition.DAMAGED and chosen.restocks:
            return Disposition.QUARANTINE
        return chosen


def _pairs(text: str, what: str) -> list[tuple[str, str]]:
    pairs = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        key, sep, value = part.partition(":")
        if not sep:
            raise ValueError(f'"{part}" should be reason:{what}')
        pairs.append((key.strip(), value.strip()))
    return pairs


def _reason(text: str) -> Reason:
    try:
        return Reason(text)
    except ValueError:
        known = ", ".join(r.value for r in Reason)
        raise ValueError(f'"{text}" is not a reason; reasons are {known}') from None


def parse_dispositions(text: str) -> dict[Reason, Disposition]:
    """``reason:disposition, ...``; raises ValueError naming what is wrong."""
    out = {}
    for key, value in _pairs(text, "disposition"):
        try:
            out[_reason(key)] = Disposition(value)
        except ValueError as error:
            if "reason" in str(error):
                raise
            known = ", ".join(d.value for d in Disposition)
            raise ValueError(f'"{value}" is not a disposition; they are {known}') from None
    return out


def parse_reasons(text: str) -> frozenset[Reason]:
    return frozenset(_reason(p.strip()) for p in text.split(",") if p.strip())


def parse_fees(text: str) -> dict[Reason, Decimal]:
    out = {}
    for key, value in _pairs(text, "percent"):
        try:
            pct = Decimal(value)
        except ArithmeticError:
            raise ValueError(f'"{value}" is not a percentage') from None
        if not ZERO <= pct <= 100:
            raise ValueError(f"a restocking fee of {value}% is not between 0 and 100")
        out[_reason(key)] = pct
    return out


# --- what may come back ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnableLine:
    """An order line as the desk sees it: shipped, returned before, taken back in this return
    (not confirmed yet), and the serials that shipped."""

    line_no: int
    sku: str
    name: str
    shipped: int
    returned: int
    receiving: int = 0
    serials: tuple[str, ...] = ()
    serial_tracked: bool = False

    @property
    def returnable(self) -> int:
        """Units that may still come back: shipped - returned - taken back in this return."""
        return returnable(self.shipped, self.returned) - self.receiving


def returnable(shipped: int, returned: int) -> int:
    return max(0, shipped - returned)


def window_ends(shipped_at: datetime, window_days: int) -> datetime:
    return shipped_at + timedelta(days=window_days)


def is_late(shipped_at: datetime | None, now: datetime, window_days: int) -> bool:
    """A return is late when its order last shipped more than the window's days ago (an
    order fulfilled elsewhere without a date is never late)."""
    return shipped_at is not None and now > window_ends(shipped_at, window_days)


def check_window(
    order: str,
    shipped_at: datetime | None,
    now: datetime,
    window_days: int,
    *,
    may_accept_late: bool,
    late_reason: str | None,
    who: str = "You",
) -> None:
    """Refuse a late return unless the person may accept one and gives a reason."""
    if not is_late(shipped_at, now, window_days):
        return
    assert shipped_at is not None
    days = (now - shipped_at).days
    if not may_accept_late:
        raise LateReturnNotAllowed(
            f"Order {order} shipped {days} days ago; the return window is {window_days} days. "
            f"{who} may not accept a return after its return window: ask a supervisor to "
            "accept it late, with a reason, or to grant you 'accept_late_returns'."
        )
    if not (late_reason or "").strip():
        raise LateReturn(
            f"Order {order} shipped {days} days ago, outside the {window_days}-day window: "
            "say why it is accepted late."
        )


def check_receive(
    order: str,
    lines: Sequence[ReturnableLine],
    sku: str,
    units: int,
    serial: str | None,
    received_serials: Iterable[str],
) -> ReturnableLine:
    """The line ``units`` of ``sku`` come back to, or a refusal saying what to do."""
    if units < 1:
        raise ReturnRefused(f"{units} units cannot come back: at least 1.")
    candidates = [line for line in lines if line.sku == sku]
    if not candidates:
        raise NotInOrder(
            f"{sku} is not in order {order}. Put it aside, or receive it as an unexpected "
            "item (quarantine only)."
        )
    left = sum(line.returnable for line in candidates)
    if units > left:
        shipped = sum(line.shipped for line in candidates)
        raise OverReturn(
            f"Only {left} of {sku} may still come back in order {order} ({shipped} shipped); "
            f"{units} scanned. Put the extra aside."
        )
    line = next(line for line in candidates if line.returnable >= units)
    if line.serial_tracked or serial:
        if not serial:
            raise WrongSerial(f"{sku} is serial-tracked: scan the unit's serial number.")
        if units != 1:
            raise WrongSerial(f"{sku} is serial-tracked: scan each unit on its own.")
        if serial in set(received_serials):
            raise WrongSerial(f"Serial {serial} came back already; scan another unit.")
        sent = [s for c in candidates for s in c.serials]
        if sent and serial not in sent:
            raise WrongSerial(
                f"Serial {serial} did not ship in order {order}; its {sku} shipped with "
                f"{', '.join(sent[:5])}. Put it aside."
            )
        line = next((c for c in candidates if serial in c.serials and c.returnable), line)
    return line


# --- the refund -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AcceptedUnits:
    """Units of one order line accepted back, with their reason (one entry per reason)."""

    line: LineTerms
    units: int
    reason: Reason


@dataclass(frozen=True)
class RefundLine:
    line_no: int
    sku: str
    name: str
    units: int
    invoiced_units: int  # of them, given back by the credit note
    net: Decimal
    tax: Decimal
    fee: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax


@dataclass(frozen=True)
class Refund:
    """What the customer gets back, shown before confirming.

    ``credit`` is the units per SKU the credit note gives back (invoiced, not yet credited);
    the net and tax of invoiced units are their invoice's shares (the credit note's own
    figures, priced by the invoicing code), the rest at the ordered price."""

    currency: str
    lines: tuple[RefundLine, ...]
    shipping: Decimal
    shipping_tax: Decimal
    credit: Mapping[str, int]

    @property
    def goods(self) -> Decimal:
        return sum((line.gross for line in self.lines), ZERO)

    @property
    def fees(self) -> Decimal:
        return sum((line.fee for line in self.lines), ZERO)

    @property
    def total(self) -> Decimal:
        return self.goods + self.shipping + self.shipping_tax - self.fees


def credit_units(accepted: int, creditable: int) -> int:
    """Of ``accepted`` units coming back, how many the credit note gives back: never more
    than the invoices billed for the line and did not credit yet."""
    return max(0, min(accepted, creditable))


def price_refund(
    currency: str,
    accepted: Sequence[AcceptedUnits],
    creditable: Mapping[int, int],
    invoiced_price: Mapping[int, tuple[Decimal, Decimal]],
    policy: ReturnPolicy,
    *,
    shipping: Decimal = ZERO,
    shipping_tax_rate: Decimal = ZERO,
    shipping_refunded_before: bool = False,
) -> Refund:
    """Price the accepted units.

    ``creditable``: per line number, units the invoices billed and did not credit yet.
    ``invoiced_price``: per line number, (net, tax) the credit note of ``credit`` units of
    that line would give back (the invoicing code prices it); missing lines have no credit.
    Invoiced units come first; the rest are priced at the ordered price with the line's tax
    rate. Shipping is refunded once when any unit's reason refunds it; a reason's restocking
    fee is a percentage of its units' net.
    """
    by_line: dict[int, list[AcceptedUnits]] = {}
    for a in accepted:
        if a.units > 0:
            by_line.setdefault(a.line.line_no, []).append(a)
    lines: list[RefundLine] = []
    credit: dict[str, int] = {}
    for line_no, group in sorted(by_line.items()):
        terms = group[0].line
        units = sum(a.units for a in group)
        credited = credit_units(units, creditable.get(line_no, 0))
        net, tax = invoiced_price.get(line_no, (ZERO, ZERO)) if credited else (ZERO, ZERO)
        rest = units - credited
        if rest:
            # the line's units beyond those billed, at the price ordered (carried as invoices are)
            start = terms.invoiced
            rest_net = net_of(terms, start + rest, currency) - net_of(terms, start, currency)
            net += rest_net
            tax += tax_of(rest_net, terms.tax_rate, currency)
        fee = ZERO
        for a in group:
            pct = policy.restocking_fee_pct.get(a.reason, ZERO)
            if pct:
                share = round_money(net * a.units / units, currency)
                fee += round_money(share * pct / 100, currency)
        if credited:
            credit[terms.sku] = credit.get(terms.sku, 0) + credited
        lines.append(RefundLine(line_no, terms.sku, terms.name, units, credited, net, tax, fee))
    refunds_shipping = (
        not shipping_refunded_before
        and shipping > 0
        and any(a.reason in policy.shipping_refunded for a in accepted if a.units > 0)
    )
    ship = shipping if refunds_shipping else ZERO
    return Refund(currency, tuple(lines), ship, tax_of(ship, shipping_tax_rate, currency), credit)


# --- the order's status ---------------------------------------------------------------------


def status_after_return(
    current: OrderStatus, lines: Iterable[tuple[int, int, int]]
) -> OrderStatus | None:
    """Where an order goes once units came back, from its lines' (ordered, shipped,
    returned): ``returned`` when everything ordered shipped and came back, else ``partially
    returned``; None when its status stays (nothing back, or an order still shipping its
    backorder, which keeps its ``partly shipped``)."""
    triples = list(lines)
    if not sum(r for _, _, r in triples):
        return None
    whole = all(r >= o for o, _, r in triples)
    target = OrderStatus.RETURNED if whole else OrderStatus.PARTIALLY_RETURNED
    if target is current or not can_transition(current, target):
        return None
    return target
