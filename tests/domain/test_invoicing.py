"""The billing rules: what is billable, what an invoice costs, what a credit note gives back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.barcodes import gs1_check_digit
from app.domain.errors import DomainError
from app.domain.invoicing import (
    Draft,
    ExceedsBillable,
    IssuedLine,
    LineTerms,
    NothingBillable,
    NothingToCredit,
    ParcelUnits,
    Rounding,
    Selection,
    Shipping,
    ShippingCharge,
    billable_view,
    charges_shipping,
    check_within,
    choose,
    choose_credit,
    completes_order,
    parse_quantities,
    price_credit,
    price_invoice,
)
from printing.documents import (
    DocumentKind,
    InvoiceDocument,
    InvoiceLine,
    Party,
    TaxBreakdownRow,
)

MUG = LineTerms(1, "MUG-BLUE-350", "Blue mug", 5, 5, Decimal("9.99"), Decimal("0.19"))
TEA = LineTerms(2, "TEA-EARL-100", "Earl Grey", 3, 2, Decimal("4.35"), Decimal("0.07"))
SHIPPED = (
    ParcelUnits("ST-01-S000001", "006141410000000012", 1, 3),
    ParcelUnits("ST-01-S000001", "006141410000000012", 2, 2),
    ParcelUnits("ST-01-S000002", "006141410000000029", 1, 2),
)


def view(lines=(MUG, TEA), billed=()):  # type: ignore[no-untyped-def]
    return billable_view("100234", "EUR", lines, SHIPPED, billed)


def test_the_billable_view_shows_each_line_and_parcel_shipped_and_not_yet_billed() -> None:
    billed = [ParcelUnits("ST-01-S000001", "006141410000000012", 1, 3)]
    mug = MUG.__class__(**{**MUG.__dict__, "invoiced": 3})
    seen = view((mug, TEA), billed)
    assert [(line.sku, line.billable) for line in seen.lines] == [
        ("MUG-BLUE-350", 2),
        ("TEA-EARL-100", 2),
    ]
    assert [(p.shipment, p.billable) for p in seen.lines[0].parcels] == [
        ("ST-01-S000001", 0),
        ("ST-01-S000002", 2),
    ]
    assert seen.shipments() == ("ST-01-S000001", "ST-01-S000002")


def test_units_invoiced_or_returned_beyond_this_station_come_off_the_earliest_parcels() -> None:
    mug = MUG.__class__(**{**MUG.__dict__, "invoiced": 1, "returned": 1})
    seen = view((mug, TEA))
    assert [p.billable for p in seen.lines[0].parcels] == [1, 2]


def test_one_shipment_bills_only_its_parcels() -> None:
    picks = choose(view(), Selection.of_shipment("ST-01-S000002"))
    assert picks == (ParcelUnits("ST-01-S000002", "006141410000000029", 1, 2),)


def test_chosen_quantities_come_from_the_earliest_parcels_and_are_refused_above_billable() -> None:
    picks = choose(view(), Selection.of_quantities({"MUG-BLUE-350": 4}))
    assert [(p.shipment, p.quantity) for p in picks] == [("ST-01-S000001", 3), ("ST-01-S000002", 1)]
    with pytest.raises(ExceedsBillable, match="MUG-BLUE-350: 6 asked, 5 billable"):
        choose(view(), Selection.of_quantities({"MUG-BLUE-350": 6}))
    with pytest.raises(ExceedsBillable, match="no line for CUP"):
        choose(view(), Selection.of_quantities({"CUP": 1}))


def test_nothing_billable_says_why() -> None:
    unshipped = [LineTerms(1, "MUG", "Mug", 2, 0, Decimal("1"), Decimal(0))]
    with pytest.raises(NothingBillable, match="shipped nothing yet"):
        choose(billable_view("7", "EUR", unshipped, ()), Selection.everything())
    done = [
        MUG.__class__(**{**MUG.__dict__, "invoiced": 5}),
        TEA.__class__(**{**TEA.__dict__, "invoiced": 2}),
    ]
    with pytest.raises(NothingBillable, match="invoiced in full"):
        choose(view(done), Selection.everything())


def test_quantities_are_parsed_or_refused_by_name() -> None:
    assert parse_quantities("MUG:2, TEA:1,MUG:1") == {"MUG": 3, "TEA": 1}
    for bad in ("MUG", "MUG:x", "MUG:0", ""):
        with pytest.raises(DomainError):
            parse_quantities(bad)


def test_the_central_check_refuses_a_second_bill_of_the_same_parcel() -> None:
    first = choose(view(), Selection.of_shipment("ST-01-S000002"))
    mug = MUG.__class__(**{**MUG.__dict__, "invoiced": 2})
    after = view((mug, TEA), first)
    assert check_within(after, first) is not None
    assert "ST-01-S000002" in (check_within(after, first) or "")
    assert check_within(view(), first) is None


def test_an_invoice_prices_lines_taxes_per_rate_and_shipping_once() -> None:
    picks = choose(view(), Selection.everything())
    draft = price_invoice(
        "EUR", [MUG, TEA], picks, shipping=Shipping(Decimal("4.90"), Decimal("0.19"))
    )
    assert draft.net == Decimal("5") * Decimal("9.99") + Decimal("8.70") + Decimal("4.90")
    rates = {r.rate: (r.net, r.tax) for r in draft.breakdown}
    assert rates[Decimal("0.07")] == (Decimal("8.70"), Decimal("0.61"))
    assert rates[Decimal("0.19")][0] == Decimal("54.85")
    assert draft.gross == draft.net + draft.tax
    assert charges_shipping(
        ShippingCharge.FIRST, Shipping(Decimal("4.90"), Decimal(0)), False, False
    )
    assert not charges_shipping(
        ShippingCharge.FIRST, Shipping(Decimal("4.90"), Decimal(0)), True, True
    )
    assert not charges_shipping(
        ShippingCharge.LAST, Shipping(Decimal("4.90"), Decimal(0)), False, False
    )
    assert not completes_order([MUG, TEA], picks)  # one tea still to ship


def test_yen_have_no_minor_unit() -> None:
    line = LineTerms(1, "TEA", "Tea", 3, 3, Decimal("333"), Decimal("0.10"), Decimal("100"))
    draft = price_invoice("JPY", [line], [ParcelUnits("S", "006141410000000012", 1, 3)])
    assert draft.net == Decimal("899") and draft.tax == Decimal("90")


def test_a_full_credit_note_gives_back_exactly_the_invoice_and_no_more() -> None:
    picks = choose(view(), Selection.everything())
    draft = price_invoice(
        "EUR", [MUG, TEA], picks, shipping=Shipping(Decimal("4.90"), Decimal("0.19"))
    )
    issued = issued_lines(draft)
    credit = price_credit("EUR", choose_credit("INV-1", issued, None))
    assert (credit.net, credit.tax, credit.gross) == (draft.net, draft.tax, draft.gross)
    done = [IssuedLine(**{**line.__dict__, "credited": line.quantity}) for line in issued]
    with pytest.raises(NothingToCredit):
        choose_credit("INV-1", done, None)
    with pytest.raises(ExceedsBillable, match="TEA-EARL-100: 3 asked, 2 creditable"):
        choose_credit("INV-1", issued, {"TEA-EARL-100": 3})


def issued_lines(draft: Draft, credited: dict[int, int] | None = None) -> list[IssuedLine]:
    return [
        IssuedLine(**{**line.__dict__, "position": n, "credited": (credited or {}).get(n, 0)})
        for n, line in enumerate(draft.lines)
    ]


def sscc(n: int) -> str:
    body = f"0614141{n:010d}"
    return body + gs1_check_digit(body)


# --- properties ----------------------------------------------------------------------------

prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2)
fine_prices = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("50"), places=4)
rates = st.sampled_from(
    [Decimal(0), Decimal("0.05"), Decimal("0.07"), Decimal("0.19"), Decimal("0.23")]
)


@st.composite
def orders(draw: st.DrawFn, price_strategy: st.SearchStrategy[Decimal] = prices) -> list[LineTerms]:
    n = draw(st.integers(1, 4))
    lines = []
    for line_no in range(1, n + 1):
        ordered = draw(st.integers(1, 12))
        price = draw(price_strategy)
        discount = draw(st.decimals(min_value=0, max_value=price * ordered / 2, places=2))
        lines.append(
            LineTerms(
                line_no,
                f"SKU-{line_no}",
                f"Item {line_no}",
                ordered,
                0,
                price,
                draw(rates),
                discount,
            )
        )
    return lines


def document(draft: Draft, currency: str = "EUR") -> InvoiceDocument:
    """The printed form: its own checks say the figures add up."""
    party = Party("Jürgen Müller", ("Friedrichstraße 43", "10117 Berlin"), "DE")
    return InvoiceDocument(
        kind=DocumentKind.INVOICE,
        number="INV-ST-01-2026-000001",
        issued_on=dt.date(2026, 12, 3),
        currency=currency,
        locale="de_DE",
        seller=party,
        seller_tax_id="DE123456789",
        bill_to=party,
        ship_to=party,
        order_number="100234",
        lines=tuple(
            InvoiceLine(
                x.sku,
                x.name,
                x.quantity,
                x.unit_price,
                x.discount,
                x.tax_rate,
                x.net,
                x.gross,
                x.shipment,
                x.sscc,
            )
            for x in draft.lines
        ),
        tax_breakdown=tuple(
            TaxBreakdownRow(r.rate, r.net, r.tax, r.gross) for r in draft.breakdown
        ),
        net_total=draft.net,
        tax_total=draft.tax,
        gross_total=draft.gross,
        payment_terms="30 days",
    )


@settings(max_examples=150, deadline=None)
@given(orders(fine_prices), st.data())
def test_partial_invoices_add_up_to_the_one_full_invoice_of_the_same_units(
    lines: list[LineTerms], data: st.DataObject
) -> None:
    shipped = [LineTerms(**{**line.__dict__, "shipped": line.ordered}) for line in lines]
    parcels = [
        ParcelUnits("S1", "006141410000000012", line.line_no, line.ordered) for line in shipped
    ]
    full = price_invoice("EUR", shipped, parcels)
    document(full)
    totals: dict[Decimal, tuple[Decimal, Decimal]] = {}
    current = shipped
    while True:
        seen = billable_view("1", "EUR", current, parcels, [])
        if seen.billable == 0:
            break
        wanted = {
            line.sku: data.draw(st.integers(1, line.billable))
            for line in seen.lines
            if line.billable and data.draw(st.booleans())
        } or {seen.lines[[x.billable > 0 for x in seen.lines].index(True)].sku: 1}
        picks = choose(seen, Selection.of_quantities(wanted))
        partial = price_invoice("EUR", current, picks)
        document(partial)
        for row in partial.breakdown:
            net, tax = totals.get(row.rate, (Decimal(0), Decimal(0)))
            totals[row.rate] = (net + row.net, tax + row.tax)
        billed = partial.quantities()
        current = [
            LineTerms(**{**x.__dict__, "invoiced": x.invoiced + billed.get(x.line_no, 0)})
            for x in current
        ]
    assert totals == {row.rate: (row.net, row.tax) for row in full.breakdown}


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[LineTerms], list[tuple[str, int]]]:
    lines = draw(orders())
    steps = draw(
        st.lists(
            st.tuples(st.sampled_from(["ship", "invoice", "credit", "return"]), st.integers(0, 10)),
            max_size=25,
        )
    )
    return lines, steps


@settings(max_examples=150, deadline=None)
@given(histories(), st.sampled_from(list(Rounding)), st.data())
def test_invoiced_never_exceeds_shipped_whatever_the_sequence(
    history: tuple[list[LineTerms], list[tuple[str, int]]], rounding: Rounding, data: st.DataObject
) -> None:
    lines, steps = history
    shipped: list[ParcelUnits] = []
    billed: dict[tuple[str, str, int], int] = {}
    invoices: list[list[IssuedLine]] = []
    for n, (step, seed) in enumerate(steps):
        if step == "ship":
            parcel = sscc(n)
            for i, line in enumerate(lines):
                units = min(line.ordered - line.shipped, (seed + i) % 4)
                if units:
                    shipped.append(ParcelUnits(f"S{n}", parcel, line.line_no, units))
                    lines[i] = LineTerms(**{**line.__dict__, "shipped": line.shipped + units})
        elif step == "return":
            i = seed % len(lines)
            line = lines[i]
            if line.shipped > line.returned:
                lines[i] = LineTerms(**{**line.__dict__, "returned": line.returned + 1})
        elif step == "invoice":
            seen = billable_view(
                "1", "EUR", lines, shipped, [ParcelUnits(*k, q) for k, q in billed.items()]
            )
            try:
                if seed % 3 == 0:
                    picks = choose(seen, Selection.everything())
                else:
                    picks = choose(
                        seen,
                        Selection.of_quantities(
                            {x.sku: min(x.billable, seed % 3) for x in seen.lines if x.billable}
                        ),
                    )
            except (NothingBillable, ExceedsBillable, DomainError):
                continue
            assert check_within(seen, picks) is None
            draft = price_invoice("EUR", lines, picks, rounding=rounding)
            document(draft)
            for pick in picks:
                billed[pick.key] = billed.get(pick.key, 0) + pick.quantity
            got = draft.quantities()
            lines = [
                LineTerms(**{**x.__dict__, "invoiced": x.invoiced + got.get(x.line_no, 0)})
                for x in lines
            ]
            invoices.append(issued_lines(draft))
        elif invoices:
            k = seed % len(invoices)
            issued = invoices[k]
            try:
                picks_c = choose_credit("INV", issued, None if seed % 2 else {issued[0].sku: 1})
            except DomainError:
                continue
            credit = price_credit("EUR", picks_c, rounding=rounding)
            assert credit.net <= sum((x.net for x in issued), Decimal(0))
            back = credit.quantities()
            for line, units in picks_c:
                if line.shipment and line.sscc and line.line_no:
                    key = (line.shipment, line.sscc, line.line_no)
                    billed[key] -= units
            invoices[k] = [
                IssuedLine(
                    **{
                        **x.__dict__,
                        "credited": x.credited
                        + {p.position: u for p, u in picks_c}.get(x.position, 0),
                    }
                )
                for x in issued
            ]
            lines = [
                LineTerms(**{**x.__dict__, "invoiced": x.invoiced - back.get(x.line_no, 0)})
                for x in lines
            ]
        for line in lines:
            assert 0 <= line.invoiced <= line.shipped
        for key, units in billed.items():
            assert 0 <= units <= sum(p.quantity for p in shipped if p.key == key)
    for issued in invoices:  # credit notes of an invoice add up to it exactly
        rest = [x for x in issued if x.creditable]
        if rest:
            credit = price_credit("EUR", [(x, x.creditable) for x in rest])
            if all(x.credited == 0 for x in issued):
                assert credit.net == sum((x.net for x in issued), Decimal(0))
