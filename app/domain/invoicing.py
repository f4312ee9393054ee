"""What may be billed, and how much it costs: invoices and credit notes from plain values.

An invoice bills units that shipped and are not billed yet. Per order line::

    billable = shipped - returned - invoiced        (never below 0)

where ``invoiced`` counts invoiced units net of the units credit notes gave back. A credit
note for a price correction gives its units back to bill again; goods that came back count
in ``returned`` and are never billed again. So, whatever the sequence of invoices, credit
notes and returns, ``invoiced <= shipped - returned <= shipped`` on every line.

Each billed unit comes from a parcel of a shipment. Per parcel and line, a unit is billable
when it shipped in that parcel and no invoice of this station billed it (net of credits);
units the order line has billed or had returned beyond that (another station's invoice, a
return) are taken off the earliest parcels first.

**Amounts are carried over, not recomputed per invoice.** For an order line at unit price
``p`` with a discount ``D`` on its ``ordered`` units, the first ``c`` units billed cost::

    net(c) = R(c * p - D * c / ordered)        tax(c) = R(net(c) * rate)

rounded to the currency's minor unit (``R``); the discount shown is ``R(D * c / ordered)``.
An invoice billing ``q`` more units of the line charges ``net(c + q) - net(c)`` and, when
tax is rounded per line, ``tax(c + q) - tax(c)``. The partial invoices of an order
therefore add up, to the cent, to the one invoice of all the same units, however they were
split; a single line's net is exactly quantity x price - discount when the price is in
whole minor units, and within two minor units of it when it is not (a screw at 0.0125).
With tax rounded per document, each invoice rounds the tax of each rate's total once
instead.

A credit note refers to one invoice and gives back units of its lines: each credit of a
line takes its share of that line's amounts, carried over the same way, so the credit
notes of an invoice line add up exactly to it, and a full credit note is the invoice.

Shipping is charged once: on the first invoice of the order (or the one that bills the last
units, or never, as configured); a credit note that gives it back lets the next invoice
charge it again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum

from app.domain.errors import DomainError
from app.domain.money import round_money
from app.domain.wording import count, listing

ZERO = Decimal(0)
SHIPPING_SKU = "SHIPPING"


class NothingBillable(DomainError):
    """The order (or the shipment asked for) has nothing shipped and not yet billed."""


class ExceedsBillable(DomainError):
    """More units were asked for than are billable (or creditable)."""


class NothingToCredit(DomainError):
    """The invoice has been credited in full already."""


class Rounding(StrEnum):
    """Where tax is rounded to the minor unit."""

    LINE = "line"
    DOCUMENT = "document"


class ShippingCharge(StrEnum):
    """On which invoice of an order the shipping is charged."""

    FIRST = "first"
    LAST = "last"
    NEVER = "never"


# --- what was ordered, shipped and billed ------------------------------------------------


@dataclass(frozen=True)
class LineTerms:
    """An order line's prices and counts as the billing rules need them.

    ``discount`` is the amount taken off all ``ordered`` units together; ``invoiced`` counts
    units invoiced net of credited ones, by every station.
    """

    line_no: int
    sku: str
    name: str
    ordered: int
    shipped: int
    unit_price: Decimal
    tax_rate: Decimal
    discount: Decimal = ZERO
    invoiced: int = 0
    returned: int = 0

    @property
    def billable(self) -> int:
        return max(0, self.shipped - self.returned - self.invoiced)


@dataclass(frozen=True)
class ParcelUnits:
    """Units of one order line in one parcel of a shipment (shipped, or billed from it)."""

    shipment: str
    sscc: str
    line_no: int
    quantity: int

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.shipment, self.sscc, self.line_no)


@dataclass(frozen=True)
class BillableParcel:
    """One parcel's units of a line: shipped, billed from it, still billable."""

    shipment: str
    sscc: str
    line_no: int
    sku: str
    shipped: int
    invoiced: int
    billable: int


@dataclass(frozen=True)
class BillableLine:
    """An order line: what shipped, was invoiced, came back, and may be billed now."""

    line_no: int
    sku: str
    name: str
    ordered: int
    shipped: int
    invoiced: int
    returned: int
    billable: int
    parcels: tuple[BillableParcel, ...]
    elsewhere: int = 0  # billable units shipped in parcels this station does not know


@dataclass(frozen=True)
class BillableView:
    """The billable view of an order: per line, and per shipment and parcel within it."""

    order_number: str
    currency: str
    lines: tuple[BillableLine, ...]
    shipped_in: tuple[str, ...] = ()  # shipment numbers in the order they shipped

    @property
    def billable(self) -> int:
        return sum(line.billable for line in self.lines)

    @property
    def parcels(self) -> tuple[BillableParcel, ...]:
        return tuple(p for line in self.lines for p in line.parcels)

    def shipments(self) -> tuple[str, ...]:
        """Shipment numbers with something billable, in the order they shipped."""
        billable = {p.shipment for p in self.parcels if p.billable}
        return tuple(s for s in self.shipped_in if s in billable)


def billable_view(
    order_number: str,
    currency: str,
    lines: Sequence[LineTerms],
    shipped: Iterable[ParcelUnits],
    billed: Iterable[ParcelUnits] = (),
) -> BillableView:
    """What may be billed now, per line and per parcel.

    ``shipped`` lists the parcels' units in the order they shipped; ``billed`` what this
    station's invoices billed from each parcel, net of credit notes. A parcel line never
    offers more than the order line's own ``billable``: what the line invoiced or had
    returned beyond this station's knowledge is taken off its earliest parcels.
    """
    billed_by_key: dict[tuple[str, str, int], int] = {}
    for units in billed:
        billed_by_key[units.key] = billed_by_key.get(units.key, 0) + units.quantity
    by_line: dict[int, list[ParcelUnits]] = {}
    order: dict[str, None] = {}
    for units in shipped:
        order[units.shipment] = None
        by_line.setdefault(units.line_no, []).append(units)
    out = []
    for line in lines:
        parcels = []
        open_units = [
            max(0, p.quantity - billed_by_key.get(p.key, 0)) for p in by_line.get(line.line_no, [])
        ]
        excess = sum(open_units) - line.billable
        for p, free in zip(by_line.get(line.line_no, []), open_units, strict=True):
            taken = min(max(excess, 0), free)
            excess -= taken
            parcels.append(
                BillableParcel(
                    p.shipment,
                    p.sscc,
                    line.line_no,
                    line.sku,
                    p.quantity,
                    p.quantity - free + taken,
                    free - taken,
                )
            )
        billable = sum(p.billable for p in parcels)
        out.append(
            BillableLine(
                line.line_no,
                line.sku,
                line.name,
                line.ordered,
                line.shipped,
                line.invoiced,
                line.returned,
                billable,
                tuple(parcels),
                line.billable - billable,
            )
        )
    return BillableView(order_number, currency, tuple(out), tuple(order))


# --- choosing what to bill ---------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """What a supervisor bills: everything, one shipment, or chosen units per SKU."""

    shipment: str | None = None
    quantities: tuple[tuple[str, int], ...] = ()

    @classmethod
    def everything(cls) -> Selection:
        return cls()

    @classmethod
    def of_shipment(cls, number: str) -> Selection:
        return cls(shipment=number)

    @classmethod
    def of_quantities(cls, quantities: Mapping[str, int]) -> Selection:
        return cls(quantities=tuple(quantities.items()))


def parse_quantities(text: str) -> dict[str, int]:
    """``"MUG-BLUE:2,TEA:1"`` as {SKU: units}; a DomainError says what is wrong."""
    wanted: dict[str, int] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        sku, colon, amount = part.rpartition(":")
        if not colon or not sku.strip():
            raise DomainError(f"{part!r} is not SKU:QTY; write e.g. MUG-BLUE-350:2,TEA-EARL-100:1.")
        try:
            units = int(amount)
        except ValueError:
            raise DomainError(f"{part!r}: {amount!r} is not a whole number of units.") from None
        if units < 1:
            raise DomainError(f"{part!r}: bill at least 1 unit of {sku.strip()}.")
        wanted[sku.strip()] = wanted.get(sku.strip(), 0) + units
    if not wanted:
        raise DomainError("No SKU:QTY given; write e.g. MUG-BLUE-350:2,TEA-EARL-100:1.")
    return wanted


def choose(view: BillableView, selection: Selection) -> tuple[ParcelUnits, ...]:
    """The parcels' units an invoice bills, or a DomainError saying why none may be.

    Chosen SKU quantities are taken from the earliest parcels first.
    """
    order = view.order_number
    if view.billable == 0:
        raise NothingBillable(_nothing_billable(view))
    if selection.quantities:
        return _choose_quantities(view, dict(selection.quantities))
    parcels = [p for p in view.parcels if p.billable]
    if selection.shipment is not None:
        shipped_in = [p for p in view.parcels if p.shipment == selection.shipment]
        if not shipped_in:
            raise NothingBillable(
                f"Shipment {selection.shipment} is not one of order {order}'s here; "
                f"its shipments with billable units: {listing(view.shipments()) or 'none'}."
            )
        parcels = [p for p in shipped_in if p.billable]
        if not parcels:
            raise NothingBillable(
                f"Shipment {selection.shipment} of order {order} is invoiced in full already; "
                f"nothing of it is left to bill."
            )
    return tuple(ParcelUnits(p.shipment, p.sscc, p.line_no, p.billable) for p in parcels)


def _nothing_billable(view: BillableView) -> str:
    shipped = sum(line.shipped for line in view.lines)
    if shipped == 0:
        return f"Order {view.order_number} has shipped nothing yet; an invoice bills shipped units."
    if any(line.elsewhere for line in view.lines):
        return (
            f"Order {view.order_number}: the billable units shipped from another station; "
            "invoice them there."
        )
    return (
        f"Order {view.order_number} is invoiced in full for the {count(shipped, 'unit')} "
        "shipped; nothing is billable until more ships."
    )


def _choose_quantities(view: BillableView, wanted: dict[str, int]) -> tuple[ParcelUnits, ...]:
    skus = {line.sku for line in view.lines}
    unknown = [sku for sku in wanted if sku not in skus]
    if unknown:
        raise ExceedsBillable(
            f"Order {view.order_number} has no line for {listing(unknown)}; its SKUs are "
            f"{listing(sorted(skus), limit=8)}."
        )
    too_many = []
    for sku, units in wanted.items():
        available = sum(p.billable for p in view.parcels if p.sku == sku)
        if units > available:
            too_many.append(f"{sku}: {units} asked, {available} billable")
    if too_many:
        raise ExceedsBillable(
            f"Order {view.order_number}: more than is billable ({'; '.join(too_many)}). "
            "Bill at most the shipped units not invoiced yet."
        )
    picks = []
    for parcel in view.parcels:
        left = wanted.get(parcel.sku, 0)
        take = min(left, parcel.billable)
        if take:
            picks.append(ParcelUnits(parcel.shipment, parcel.sscc, parcel.line_no, take))
            wanted[parcel.sku] = left - take
    return tuple(picks)


def check_within(view: BillableView, picks: Iterable[ParcelUnits]) -> str | None:
    """Why these units may not be billed (more than shipped and not billed yet), or None.

    The central store asks this of every invoice a station sends, against its own counts.
    """
    lines = {line.line_no: line for line in view.lines}
    per_line: dict[int, int] = {}
    per_parcel: dict[tuple[str, str, int], int] = {}
    for pick in picks:
        per_line[pick.line_no] = per_line.get(pick.line_no, 0) + pick.quantity
        per_parcel[pick.key] = per_parcel.get(pick.key, 0) + pick.quantity
    parcels = {(p.shipment, p.sscc, p.line_no): p for p in view.parcels}
    for key, units in per_parcel.items():
        found = parcels.get(key)
        if found is None:
            return f"shipment {key[0]} parcel {key[1]} holds nothing of line {key[2]}"
        if units > found.billable:
            return (
                f"shipment {key[0]} ({found.sku}, parcel {key[1]}) would bill {units} with "
                f"{found.billable} left of the {found.shipped} it shipped"
            )
    for line_no, units in sorted(per_line.items()):
        line = lines.get(line_no)
        if line is None:
            return f"order {view.order_number} has no line {line_no}"
        if units > line.billable:
            return (
                f"line {line_no} ({line.sku}) would bill {units} with {line.billable} billable "
                f"({line.shipped} shipped, {line.invoiced} invoiced, {line.returned} returned)"
            )
    return None


# --- amounts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftLine:
    """One line of an invoice or credit note, priced; ``line_no`` None for shipping.

    ``credits`` is, on a credit note, the position of the invoice line it gives back.
    """

    line_no: int | None
    sku: str
    name: str
    shipment: str | None
    sscc: str | None
    quantity: int
    unit_price: Decimal
    discount: Decimal
    tax_rate: Decimal
    net: Decimal
    tax: Decimal
    credits: int | None = None

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax


@dataclass(frozen=True)
class RateTotal:
    rate: Decimal
    net: Decimal
    tax: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax


@dataclass(frozen=True)
class Draft:
    """A priced invoice or credit note before it has a number."""

    currency: str
    lines: tuple[DraftLine, ...]
    breakdown: tuple[RateTotal, ...]
    billed: tuple[ParcelUnits, ...] = field(default=())

    @property
    def net(self) -> Decimal:
        return sum((r.net for r in self.breakdown), ZERO)

    @property
    def tax(self) -> Decimal:
        return sum((r.tax for r in self.breakdown), ZERO)

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax

    @property
    def charges_shipping(self) -> bool:
        return any(line.line_no is None for line in self.lines)

    def quantities(self) -> dict[int, int]:
        """Units per order line (shipping left out)."""
        out: dict[int, int] = {}
        for line in self.lines:
            if line.line_no is not None:
                out[line.line_no] = out.get(line.line_no, 0) + line.quantity
        return out


def _share(amount: Decimal, part: int, whole: int, currency: str) -> Decimal:
    if part == whole:
        return amount
    return round_money(amount * part / whole, currency)


def net_of(line: LineTerms, units: int, currency: str) -> Decimal:
    """The net price of the line's first ``units`` billed units (see the module's text).

    Rounded once, so it never falls as units are added: a sub-cent price and a discount
    rounded apart could bill a unit at -0.01.
    """
    if not line.ordered:
        return round_money(units * line.unit_price, currency)
    return round_money(units * line.unit_price - line.discount * units / line.ordered, currency)


def discount_of(line: LineTerms, units: int, currency: str) -> Decimal:
    return _share(line.discount, units, line.ordered, currency) if line.ordered else ZERO


def tax_of(net: Decimal, rate: Decimal, currency: str) -> Decimal:
    return round_money(net * rate, currency)


@dataclass(frozen=True)
class Shipping:
    """The order's shipping charge (net) and the rate it is taxed at."""

    amount: Decimal
    tax_rate: Decimal
    name: str = "Shipping"


def shipping_rate(lines: Iterable[LineTerms]) -> Decimal:
    """Shipping follows the goods: taxed at the highest rate among the order's lines."""
    return max((line.tax_rate for line in lines), default=ZERO)


def charges_shipping(
    mode: ShippingCharge, shipping: Shipping | None, billed_already: bool, completes: bool
) -> bool:
    """Whether this invoice charges the shipping: once, on the first (or the last) invoice."""
    if shipping is None or shipping.amount <= 0 or billed_already:
        return False
    if mode is ShippingCharge.FIRST:
        return True
    return mode is ShippingCharge.LAST and completes


def completes_order(lines: Sequence[LineTerms], picks: Iterable[ParcelUnits]) -> bool:
    """Whether, after billing ``picks``, every ordered unit is invoiced (the last invoice)."""
    billing: dict[int, int] = {}
    for pick in picks:
        billing[pick.line_no] = billing.get(pick.line_no, 0) + pick.quantity
    return all(
        line.invoiced + line.returned + billing.get(line.line_no, 0) >= line.ordered
        for line in lines
    )


def price_invoice(
    currency: str,
    lines: Sequence[LineTerms],
    picks: Sequence[ParcelUnits],
    *,
    rounding: Rounding = Rounding.LINE,
    shipping: Shipping | None = None,
) -> Draft:
    """Price the units ``picks`` bills, carrying on from each line's ``invoiced`` count."""
    terms = {line.line_no: line for line in lines}
    counted = {line.line_no: line.invoiced for line in lines}
    out = []
    for pick in picks:
        line = terms[pick.line_no]
        before, after = counted[pick.line_no], counted[pick.line_no] + pick.quantity
        counted[pick.line_no] = after
        net = net_of(line, after, currency) - net_of(line, before, currency)
        tax = tax_of(net_of(line, after, currency), line.tax_rate, currency) - tax_of(
            net_of(line, before, currency), line.tax_rate, currency
        )
        out.append(
            DraftLine(
                line.line_no,
                line.sku,
                line.name,
                pick.shipment,
                pick.sscc,
                pick.quantity,
                line.unit_price,
                discount_of(line, after, currency) - discount_of(line, before, currency),
                line.tax_rate,
                net,
                tax,
            )
        )
    if shipping is not None:
        net = round_money(shipping.amount, currency)
        out.append(
            DraftLine(
                None,
                SHIPPING_SKU,
                shipping.name,
                None,
                None,
                1,
                net,
                ZERO,
                shipping.tax_rate,
                net,
                tax_of(net, shipping.tax_rate, currency),
            )
        )
    return _finish(currency, out, rounding, tuple(picks))


def _finish(
    currency: str, lines: list[DraftLine], rounding: Rounding, billed: tuple[ParcelUnits, ...]
) -> Draft:
    if rounding is Rounding.DOCUMENT:
        # The rate's tax is rounded once on its total; each line shows its own share of it,
        # rounded, and the last line of a rate takes what rounding left over.
        lines = _document_taxes(currency, lines)
    nets: dict[Decimal, Decimal] = {}
    taxes: dict[Decimal, Decimal] = {}
    for line in lines:
        nets[line.tax_rate] = nets.get(line.tax_rate, ZERO) + line.net
        taxes[line.tax_rate] = taxes.get(line.tax_rate, ZERO) + line.tax
    breakdown = tuple(RateTotal(rate, nets[rate], taxes[rate]) for rate in sorted(nets))
    return Draft(currency, tuple(lines), breakdown, billed)


def _document_taxes(currency: str, lines: list[DraftLine]) -> list[DraftLine]:
    nets: dict[Decimal, Decimal] = {}
    for line in lines:
        nets[line.tax_rate] = nets.get(line.tax_rate, ZERO) + line.net
    left = {rate: tax_of(net, rate, currency) for rate, net in nets.items()}
    last = {line.tax_rate: i for i, line in enumerate(lines)}
    out = []
    for i, line in enumerate(lines):
        tax = (
            left[line.tax_rate]
            if last[line.tax_rate] == i
            else tax_of(line.net, line.tax_rate, currency)
        )
        left[line.tax_rate] -= tax
        out.append(replace(line, tax=tax))
    return out


# --- credit notes ------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedLine(DraftLine):
    """A line of an issued invoice (its ``position``), and how much credit notes gave back."""

    position: int = field(kw_only=True)
    credited: int = field(default=0, kw_only=True)

    @property
    def creditable(self) -> int:
        return self.quantity - self.credited


def choose_credit(
    invoice: str, lines: Sequence[IssuedLine], quantities: Mapping[str, int] | None
) -> tuple[tuple[IssuedLine, int], ...]:
    """Which invoice lines a credit note gives back, and how many units of each.

    ``quantities`` None credits everything not credited yet (a full credit note, shipping
    included); otherwise units per SKU, from the invoice's earliest lines first.
    """
    if all(line.creditable == 0 for line in lines):
        raise NothingToCredit(
            f"Invoice {invoice} is credited in full already; there is nothing left to credit."
        )
    if quantities is None:
        return tuple((line, line.creditable) for line in lines if line.creditable)
    wanted = dict(quantities)
    skus = {line.sku for line in lines}
    unknown = [sku for sku in wanted if sku not in skus]
    if unknown:
        raise ExceedsBillable(
            f"Invoice {invoice} bills no {listing(unknown)}; it bills {listing(sorted(skus), 8)}."
        )
    too_many = []
    for sku, units in wanted.items():
        left = sum(line.creditable for line in lines if line.sku == sku)
        if units > left:
            too_many.append(f"{sku}: {units} asked, {left} creditable")
    if too_many:
        raise ExceedsBillable(
            f"Invoice {invoice}: more than it billed and was not credited yet "
            f"({'; '.join(too_many)})."
        )
    picks = []
    for line in lines:
        take = min(wanted.get(line.sku, 0), line.creditable)
        if take:
            picks.append((line, take))
            wanted[line.sku] -= take
    return tuple(picks)


def price_credit(
    currency: str,
    picks: Sequence[tuple[IssuedLine, int]],
    *,
    rounding: Rounding = Rounding.LINE,
) -> Draft:
    """Price a credit note: each line's share of the invoice line it gives back.

    The shares carry over (see the module's text): the credit notes of an invoice line add
    up exactly to that line.
    """
    out = []
    billed = []
    for line, units in picks:

        def share(amount: Decimal, line: IssuedLine = line, units: int = units) -> Decimal:
            after = line.credited + units
            whole = line.quantity
            return _share(amount, after, whole, currency) - _share(
                amount, line.credited, whole, currency
            )

        out.append(
            DraftLine(
                line.line_no,
                line.sku,
                line.name,
                line.shipment,
                line.sscc,
                units,
                line.unit_price,
                share(line.discount),
                line.tax_rate,
                share(line.net),
                share(line.tax),
                credits=line.position,
            )
        )
        if line.line_no is not None and line.shipment is not None and line.sscc is not None:
            billed.append(ParcelUnits(line.shipment, line.sscc, line.line_no, units))
    if rounding is Rounding.DOCUMENT and any(u != line.creditable for line, u in picks):
        # A partial credit rounds its own tax per rate, as the invoice did; a full one
        # gives back exactly what the invoice charged.
        return _finish(currency, out, rounding, tuple(billed))
    return _finish(currency, out, Rounding.LINE, tuple(billed))
