"""Orders from CSV: the retail layout (UCI Online Retail) and our own generic layout."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from app.channels import ChannelState, OrderDraft, RowError, UnreadableFile, csv_orders
from tests.data.channel_samples import retail_files

RETAIL_HEADER = (
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
)


def read(text: str) -> list[OrderDraft | RowError]:
    csv_orders.check(io.StringIO(text), "orders.csv")
    return list(csv_orders.read(io.StringIO(text), "orders.csv"))


def drafts(text: str) -> list[OrderDraft]:
    out = read(text)
    assert all(isinstance(d, OrderDraft) for d in out), out
    return [d for d in out if isinstance(d, OrderDraft)]


def retail(*rows: str) -> str:
    return RETAIL_HEADER + "".join(row + "\n" for row in rows)


@pytest.mark.parametrize("path", retail_files())
def test_every_invoice_of_the_retail_sample_becomes_an_order_or_a_reason(path: Path) -> None:
    with path.open(newline="", encoding="utf-8") as f:
        invoices = {row["InvoiceNo"] for row in csv.DictReader(f)}
    with path.open(newline="", encoding="utf-8") as f:
        shape = csv_orders.check(f, path.name)
    assert shape.layout == "retail"
    with path.open(newline="", encoding="utf-8") as f:
        out = list(csv_orders.read(f, path.name))
    assert len(out) == len(invoices)
    ids = {d.external_id for d in out if isinstance(d, OrderDraft)}
    assert ids <= invoices
    for error in out:
        if isinstance(error, RowError):
            assert error.where.startswith(f"{path.name} line ") and error.field and error.reason


def test_an_invoice_maps_to_one_order_with_its_customer_and_country() -> None:
    [draft] = drafts(
        retail(
            "536528,22960,JAM MAKING SET WITH JARS,1,2010-12-01 13:17:00,4.25,15525,United Kingdom",
            "536528,22867,HAND WARMER BIRD DESIGN,3,2010-12-01 13:17:00,2.1,15525,United Kingdom",
        )
    )
    assert (draft.channel, draft.external_id, draft.number, draft.currency) == (
        "csv",
        "536528",
        "536528",
        "GBP",
    )
    assert draft.placed_at == datetime(2010, 12, 1, 13, 17, tzinfo=UTC)
    assert [(ln.sku, ln.quantity, ln.unit_price) for ln in draft.lines] == [
        ("22960", 1, Decimal("4.25")),
        ("22867", 3, Decimal("2.1")),
    ]
    assert draft.customer is not None and draft.customer.channel_ref == "csv:15525"
    assert draft.ship_to is not None and draft.ship_to.country == "GB"
    assert draft.state is ChannelState.OPEN


def test_an_invoice_without_a_customer_id_is_still_an_order() -> None:
    [draft] = drafts(
        retail("536596,21967,PACK OF 12 SKULL TISSUES,1,2010-12-01 17:29:00,0.29,,EIRE")
    )
    assert draft.customer is None and draft.ship_to is not None and draft.ship_to.country == "IE"


def test_a_c_invoice_is_a_cancelled_order_of_its_own_with_positive_quantities() -> None:
    [draft] = drafts(
        retail("C538085,82486,WOOD S/3 CABINET,-1,2010-12-09 14:43:00,7.95,16350,United Kingdom")
    )
    assert draft.state is ChannelState.CANCELLED and draft.external_id == "C538085"
    assert draft.lines[0].quantity == 1


def test_an_invoice_whose_quantities_are_all_negative_is_a_cancellation_too() -> None:
    [draft] = drafts(retail("536998,85067,,-6,2010-12-03 15:30:00,0,,United Kingdom"))
    assert draft.state is ChannelState.CANCELLED
    assert draft.lines[0].name == "85067"  # no description: the stock code stands in


def test_mixed_signs_in_one_invoice_are_rejected_with_the_line() -> None:
    [error] = read(
        retail(
            "536600,22960,JAM SET,2,2010-12-01 13:17:00,4.25,15525,France",
            "536600,22867,HAND WARMER,-1,2010-12-01 13:17:00,2.1,15525,France",
        )
    )
    assert error == RowError(
        "orders.csv line 3 (invoice 536600)",
        "Quantity",
        "negative in an invoice with positive quantities",
    )


def test_postage_is_the_shipping_charge_and_money_only_codes_are_not_lines() -> None:
    [draft] = drafts(
        retail(
            "550661,22960,JAM SET,6,2011-04-20 09:20:00,4.25,12656,France",
            "550661,POST,POSTAGE,4,2011-04-20 09:20:00,18,12656,France",
            "550661,BANK CHARGES,Bank Charges,1,2011-04-20 09:20:00,15,12656,France",
        )
    )
    assert [line.sku for line in draft.lines] == ["22960"]
    assert (draft.shipping_total, draft.service) == (Decimal(72), "POSTAGE")


def test_an_invoice_of_postage_only_has_nothing_to_ship() -> None:
    [error] = read(retail("545323,POST,POSTAGE,1,2011-03-01 14:57:00,40,12352,Norway"))
    assert isinstance(error, RowError) and "nothing to ship" in error.reason


def test_a_bad_row_rejects_its_invoice_only_naming_line_and_field() -> None:
    out = read(
        retail(
            "536528,22960,JAM SET,1,2010-12-01 13:17:00,4.25,15525,United Kingdom",
            "536530,22364,GLASS JAR,lots,2010-12-01 13:21:00,2.95,17905,United Kingdom",
            "536562,21181,METAL SIGN,12,2010-12-01 15:08:00,2.1,13468,Atlantis",
            "536591,21620,ROSE CANDLES,1,2010-12-01 16:57:00,3.75,14606,United Kingdom",
        )
    )
    assert [d.external_id for d in out if isinstance(d, OrderDraft)] == ["536528", "536591"]
    errors = [d for d in out if isinstance(d, RowError)]
    assert errors[0] == RowError(
        "orders.csv line 3 (invoice 536530)", "Quantity", "'lots' is not a whole number"
    )
    assert errors[1].where == "orders.csv line 4 (invoice 536562)" and errors[1].field == "Country"


def test_an_invoice_seen_again_after_others_is_reported_not_merged() -> None:
    out = read(
        retail(
            "536528,22960,JAM SET,1,2010-12-01 13:17:00,4.25,15525,United Kingdom",
            "536530,22364,GLASS JAR,1,2010-12-01 13:21:00,2.95,17905,United Kingdom",
            "536528,22867,HAND WARMER,3,2010-12-01 13:17:00,2.1,15525,United Kingdom",
        )
    )
    first, _, again = out
    assert isinstance(first, OrderDraft) and len(first.lines) == 1
    assert isinstance(again, RowError) and again.where == "orders.csv line 4 (invoice 536528)"
    assert "next to each other" in again.reason


def test_a_row_with_an_unquoted_comma_rejects_its_invoice() -> None:
    [error] = read(retail("536591,90214S,LETTER S, BLING,1,2010-12-01 16:57:00,1.25,14606,Spain"))
    assert isinstance(error, RowError) and error.field == "row" and "9 fields" in error.reason


def test_a_file_cut_in_the_middle_of_a_line_is_unreadable() -> None:
    text = retail("536528,22960,JAM SET,1,2010-12-01 13:17:00,4.25,15525,United Kingdom")
    with pytest.raises(UnreadableFile, match="ends in the middle of line 3"):
        csv_orders.check(io.StringIO(text + "536530,22364,GLASS JAR,1,2010-12-01 13:2"), "o.csv")


def test_a_quote_that_never_closes_is_unreadable() -> None:
    text = retail('536591,90214S,"LETTER S BLING,1,2010-12-01 16:57:00,1.25,14606,Spain')
    with pytest.raises(UnreadableFile, match="CSV is broken"):
        csv_orders.check(io.StringIO(text), "o.csv")


def test_a_file_that_is_not_text_is_unreadable() -> None:
    raw = io.TextIOWrapper(io.BytesIO(RETAIL_HEADER.encode() + b"\xff\xfe\x00\x01junk\n"), "utf-8")
    with pytest.raises(UnreadableFile, match="not UTF-8"):
        csv_orders.check(raw, "o.csv")


@pytest.mark.parametrize("text", ["", "order,thing,count\n1,2,3\n"])
def test_an_empty_file_or_an_unknown_header_is_unreadable(text: str) -> None:
    with pytest.raises(UnreadableFile):
        csv_orders.check(io.StringIO(text), "o.csv")


def test_rows_are_read_one_order_at_a_time() -> None:
    """The reader holds one order's rows: it hands out the first order long before the end."""
    pulled = 0

    def lines() -> Iterator[str]:
        nonlocal pulled
        yield RETAIL_HEADER
        for n in range(1_000_000):
            pulled += 1
            yield f"{600000 + n // 3},22960,JAM SET,1,2010-12-01 13:17:00,4.25,15525,France\n"

    reader = csv_orders.read(lines(), "big.csv")  # type: ignore[arg-type]  # csv only iterates
    first = next(reader)
    assert isinstance(first, OrderDraft) and len(first.lines) == 3
    assert pulled <= 5


GENERIC = (
    "order_id,order_number,placed_at,currency,status,customer_id,customer_name,email,"
    "ship_name,ship_line1,ship_city,ship_postcode,ship_country,bill_country,carrier,service,"
    "shipping_total,line_id,sku,name,quantity,unit_price,tax_rate,personalised\n"
    "W-1001,1001,2026-03-02T10:15:00+01:00,EUR,open,C-77,Jürgen Müller,JM@example.de,"
    "Jürgen Müller,Hauptstr. 5,Berlin,10115,DE,DE,DHL,Paket,4.90,1,MUG-BLUE-350,Blue mug,2,"
    "8.00,19%,no\n"
    "W-1001,,,,,,,,,,,,,,,,,2,TEA-EARL-100,Earl Grey,1,4.20,0.07,yes\n"
)


def test_the_generic_layout_maps_an_order_over_several_rows() -> None:
    [draft] = drafts(GENERIC)
    assert (draft.external_id, draft.number, draft.currency) == ("W-1001", "1001", "EUR")
    assert draft.placed_at == datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
    assert draft.customer is not None and draft.customer.email == "jm@example.de"
    assert draft.customer.channel_ref == "csv:C-77"
    assert draft.ship_to is not None and draft.ship_to.city == "Berlin"
    assert (draft.carrier, draft.service, draft.shipping_total) == ("DHL", "Paket", Decimal("4.9"))
    mug, tea = draft.lines
    assert (mug.tax_rate, mug.personalised, mug.external_line_id) == (Decimal("0.19"), False, "1")
    assert (tea.tax_rate, tea.personalised) == (Decimal("0.07"), True)


def test_generic_rows_that_disagree_about_the_order_are_rejected() -> None:
    text = GENERIC.replace("W-1001,,,,,", "W-1001,,,USD,,", 1)
    [error] = read(text)
    assert isinstance(error, RowError) and error.field == "currency" and "disagree" in error.reason


def test_a_generic_header_without_its_required_columns_is_unreadable() -> None:
    with pytest.raises(UnreadableFile, match="lacks placed_at, currency"):
        csv_orders.check(io.StringIO("order_id,sku,quantity,unit_price\n1,A,1,2\n"), "o.csv")
