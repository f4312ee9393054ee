"""Orders from CSV: the retail layout (UCI Online Retail) and our own generic layout."""

from __future__ import annotations

import csv
import io
import random
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from app.channels import ChannelState, OrderDraft, RowError, UnreadableFile, csv_orders
from tests.data.channel_samples import RETAIL_SAMPLE, retail_files

RETAIL_HEADER = (
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
)


def read(text: str) -> list[OrderDraft | RowError]:
    return csv_orders.read(io.BytesIO(text.encode()), "orders.csv")


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
    with path.open("rb") as data:
        out = csv_orders.read(data, path.name)
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


def test_the_rows_of_an_invoice_are_one_order_wherever_they_are_in_the_file() -> None:
    out = read(
        retail(
            "536528,22960,JAM SET,1,2010-12-01 13:17:00,4.25,15525,United Kingdom",
            "536530,22364,GLASS JAR,1,2010-12-01 13:21:00,2.95,17905,United Kingdom",
            "536528,22867,HAND WARMER,3,2010-12-01 13:17:00,2.1,15525,United Kingdom",
        )
    )
    first, second = out
    assert isinstance(first, OrderDraft) and isinstance(second, OrderDraft)
    assert first.external_id == "536528" and second.external_id == "536530"
    assert [line.sku for line in first.lines] == ["22960", "22867"]  # in the file's order
    assert first.where == "orders.csv lines 2, 4 (invoice 536528)"


def test_a_bad_row_far_from_the_rest_of_its_invoice_rejects_the_whole_invoice() -> None:
    out = read(
        retail(
            "536528,22960,JAM SET,1,2010-12-01 13:17:00,4.25,15525,United Kingdom",
            "536530,22364,GLASS JAR,1,2010-12-01 13:21:00,2.95,17905,United Kingdom",
            "536528,22867,HAND WARMER,lots,2010-12-01 13:17:00,2.1,15525,United Kingdom",
        )
    )
    assert out[0] == RowError(
        "orders.csv line 4 (invoice 536528)", "Quantity", "'lots' is not a whole number"
    )
    assert isinstance(out[1], OrderDraft) and out[1].external_id == "536530"


def test_rows_of_one_invoice_naming_different_customers_are_reported_not_mixed() -> None:
    error, other = read(
        retail(
            "536528,22960,JAM SET,1,2010-12-01 13:17:00,4.25,15525,United Kingdom",
            "536530,22364,GLASS JAR,1,2010-12-01 13:21:00,2.95,17905,United Kingdom",
            "536528,22867,HAND WARMER,3,2010-12-01 13:17:00,2.1,17905,United Kingdom",
        )
    )
    assert isinstance(error, RowError) and isinstance(other, OrderDraft)
    assert error.where == "orders.csv line 4 (invoice 536528)" and error.field == "CustomerID"
    assert "'15525' on line 2, '17905' here" in error.reason


def test_rows_of_one_invoice_days_apart_are_two_invoices_with_one_number() -> None:
    [error] = read(
        retail(
            "536528,22960,JAM SET,1,2010-12-01 13:17:00,4.25,15525,United Kingdom",
            "536528,22867,HAND WARMER,3,2011-03-04 09:00:00,2.1,15525,United Kingdom",
        )
    )
    assert isinstance(error, RowError) and error.field == "InvoiceDate"
    assert error.where == "orders.csv line 3 (invoice 536528)"
    assert "2010-12-01 13:17 on line 2" in error.reason


def test_rows_without_an_invoice_number_are_reported_each_run_on_its_own() -> None:
    out = read(
        retail(
            ",22960,JAM SET,1,2010-12-01 13:17:00,4.25,15525,United Kingdom",
            ",22960,JAM SET,1,2010-12-01 13:17:00,4.25,15525,United Kingdom",
            "536530,22364,GLASS JAR,1,2010-12-01 13:21:00,2.95,17905,United Kingdom",
            ",22960,JAM SET,1,2010-12-01 13:17:00,4.25,15525,United Kingdom",
        )
    )
    assert [getattr(o, "where", "") for o in out if isinstance(o, RowError)] == [
        "orders.csv lines 2-3",
        "orders.csv line 5",
    ]
    assert [o.external_id for o in out if isinstance(o, OrderDraft)] == ["536530"]


def test_an_invoice_number_holding_a_nul_is_its_own_order_not_a_row_without_a_number() -> None:
    # NUL may be in a row (the text rule refuses it with its order), so the index must not
    # take a number that starts with one for a run of rows without a number, nor merge them.
    out = read(
        retail(
            "\x00536528,22960,JAM SET,1,2010-12-01 13:17:00,4.25,15525,United Kingdom",
            ",22960,JAM SET,1,2010-12-01 13:17:00,4.25,15525,United Kingdom",
        )
    )
    assert [(o.where, o.field) for o in out if isinstance(o, RowError)] == [
        ("orders.csv line 3", "order"),
        ("orders.csv line 2 (invoice \\x00536528)", "InvoiceNo"),
    ]
    assert "U+0000 (NUL)" in out[1].reason  # type: ignore[union-attr]


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


def test_a_shuffled_file_gives_the_same_orders_as_the_grouped_one() -> None:
    with RETAIL_SAMPLE.open(newline="", encoding="utf-8") as f:
        header, *body = f.readlines()
    shuffled = [*body]
    random.Random(9).shuffle(shuffled)
    grouped = read(header + "".join(body))
    mixed = read(header + "".join(shuffled))

    def content(reads: list[OrderDraft | RowError]) -> dict[str, object]:
        out: dict[str, object] = {}
        for r in reads:
            if isinstance(r, OrderDraft):
                out[r.external_id] = replace(r, where="", lines=tuple(sorted(r.lines, key=repr)))
            else:
                out[r.where.rsplit("(", 1)[-1]] = (r.field, r.reason)
        return out

    assert len(mixed) == len(grouped)
    assert content(mixed) == content(grouped)


def test_a_file_with_a_byte_order_mark_and_quoted_line_breaks_is_read_by_offsets() -> None:
    text = "\ufeff" + retail(
        '536528,22960,"JAM SET, ""BIG""\nWITH JARS",1,2010-12-01 13:17:00,4.25,15525,France',
        "536530,22364,GLASS JÄR,1,2010-12-01 13:21:00,2.95,17905,France",
        "536528,22867,HÄND WARMER,3,2010-12-01 13:17:00,2.1,15525,France",
    ).replace("\n5", "\r\n5")
    first, second = drafts(text)
    assert [line.name for line in first.lines] == ['JAM SET, "BIG" WITH JARS', "HÄND WARMER"]
    assert first.where == "orders.csv lines 3, 5 (invoice 536528)"
    assert second.lines[0].name == "GLASS JÄR"


def test_a_file_changed_after_it_was_checked_is_not_read_as_if_it_were_the_same() -> None:
    data = io.BytesIO(
        retail(
            "536528,22960,JAM SET,1,2010-12-01 13:17:00,4.25,15525,France",
            "536530,22364,GLASS JAR,1,2010-12-01 13:21:00,2.95,17905,France",
        ).encode()
    )
    with csv_orders.CsvOrders(data, "o.csv") as orders:
        data.seek(len(RETAIL_HEADER))
        data.write(b"999999")
        with pytest.raises(UnreadableFile, match="changed while it was being imported"):
            list(orders)


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


def test_generic_order_columns_may_come_on_a_later_row_of_the_order() -> None:
    header, full, bare = GENERIC.splitlines(keepends=True)
    other = full.replace("W-1001,1001", "W-1002,1002")
    [mixed, _] = drafts(header + bare + other + full)
    [grouped] = drafts(GENERIC)
    assert replace(mixed, where="", lines=mixed.lines[::-1]) == replace(grouped, where="")


def test_generic_rows_far_apart_with_different_dates_are_reported_with_both_lines() -> None:
    header, full, bare = GENERIC.splitlines(keepends=True)
    other = full.replace("W-1001,1001", "W-1002,1002")
    later = bare.replace("W-1001,,,", "W-1001,,2026-03-09T08:00:00+01:00,")
    error, _ = read(header + full + other + later)
    assert isinstance(error, RowError) and error.field == "placed_at"
    assert error.where == "orders.csv line 4 (order W-1001)"
    assert error.reason.startswith(
        "rows of order W-1001 disagree: '2026-03-02T10:15:00+01:00' on line 2, "
        "'2026-03-09T08:00:00+01:00' here"
    )


def test_a_generic_header_without_its_required_columns_is_unreadable() -> None:
    with pytest.raises(UnreadableFile, match="lacks placed_at, currency"):
        csv_orders.check(io.StringIO("order_id,sku,quantity,unit_price\n1,A,1,2\n"), "o.csv")
