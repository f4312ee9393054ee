"""An invoice document refuses figures that do not add up before anything is printed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from decimal import Decimal

import pytest

from printing.documents import DocumentKind, InvoiceLine, TaxBreakdownRow
from tests.printing.invoice_samples import credit_note, invoice, line


def test_the_sample_invoice_and_credit_note_are_consistent() -> None:
    document = invoice()
    assert document.title == "INVOICE"
    assert document.shipment_numbers == ("S-100234-1",)
    assert credit_note().title == "CREDIT NOTE"
    assert invoice(partial_index=2).partial_text == "PARTIAL INVOICE 2 for order 100234"
    assert document.partial_text is None


def test_a_credit_note_must_name_the_invoice_it_corrects() -> None:
    with pytest.raises(ValueError, match="must name the invoice it corrects"):
        credit_note(corrects=None)


def test_an_invoice_corrects_nothing() -> None:
    with pytest.raises(ValueError, match="corrects nothing"):
        invoice(corrects="INV-1")


def test_a_credit_note_is_never_a_partial_invoice() -> None:
    with pytest.raises(ValueError, match="cannot be a partial invoice"):
        credit_note(partial_index=1)


def test_the_kind_must_be_a_document_kind() -> None:
    with pytest.raises(ValueError, match="is not a DocumentKind"):
        invoice(kind="invoice ")


def test_totals_must_add_up_to_the_breakdown() -> None:
    document = invoice()
    with pytest.raises(
        ValueError, match=re.escape("gross_total is 57.63, the breakdown adds up to 57.62")
    ):
        replace(document, gross_total=document.gross_total + Decimal("0.01"))


def test_the_breakdown_must_add_up_to_the_lines_at_each_rate() -> None:
    document = invoice()
    low, high = document.tax_breakdown
    shifted = (
        TaxBreakdownRow(low.rate, low.net + 1, low.tax, low.gross + 1),
        TaxBreakdownRow(high.rate, high.net - 1, high.tax, high.gross - 1),
    )
    with pytest.raises(
        ValueError, match=re.escape("the lines at 0.07 add up to 7.99, the breakdown says")
    ):
        replace(document, tax_breakdown=shifted)


def test_the_breakdown_needs_one_row_per_rate() -> None:
    document = invoice()
    with pytest.raises(ValueError, match="one row per rate"):
        replace(document, tax_breakdown=document.tax_breakdown[:1])


def test_amounts_must_be_rounded_to_the_currency() -> None:
    with pytest.raises(ValueError, match="not rounded to the EUR minor unit"):
        invoice((line(1, discount="0.005"),))
    invoice((line(1, unit_price="0.125", quantity=1),))  # a unit price may have more places
    with pytest.raises(ValueError, match="not rounded to the JPY minor unit"):
        invoice((line(1, unit_price="100.50", quantity=1, currency="EUR"),), currency="JPY")


def test_a_line_net_must_be_quantity_times_price_less_discount() -> None:
    good = line(1)
    wrong = replace(good, net=good.net + 1, gross=good.gross + 1)
    with pytest.raises(ValueError, match=r"net 26.00 is not 2 x 12.50 - 0 = 25.00"):
        invoice((wrong,))


def test_a_line_is_checked_on_its_own() -> None:
    with pytest.raises(ValueError, match="at least one unit"):
        line(1, quantity=0)
    with pytest.raises(ValueError, match="wrong check digit"):
        replace(line(1), sscc="376130320000000013")
    with pytest.raises(ValueError, match="needs its shipment number"):
        replace(line(1), shipment_number=None)
    with pytest.raises(ValueError, match="discount must be a Decimal of 0 or more"):
        replace(line(1), discount=Decimal(-1))
    with pytest.raises(ValueError, match=re.escape("gross 1.00 is less than net")):
        replace(line(1), gross=Decimal("1.00"))


def test_the_number_is_printable_ascii_for_the_qr_code() -> None:
    with pytest.raises(ValueError, match="must be printable ASCII"):
        invoice(number="FV 12/2026 Kraków")


def test_an_unknown_locale_or_currency_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="Locale 'tlh_QO'"):
        invoice(locale="tlh_QO")
    with pytest.raises(ValueError, match="Currency 'eur'"):
        invoice(currency="eur")


def test_an_invoice_bills_at_least_one_line() -> None:
    with pytest.raises(ValueError, match="at least one line"):
        invoice((), tax_breakdown=())


def test_a_charge_from_no_parcel_has_no_source() -> None:
    shipping = line(9, shipment=None, parcel=None)
    assert shipping.source is None
    assert isinstance(shipping, InvoiceLine)
    assert line(1).source == ("S-100234-1", line(1).sscc)
    assert DocumentKind("credit_note") is DocumentKind.CREDIT_NOTE
    assert invoice(issued_on=dt.date(2026, 1, 1)).issued_on.year == 2026
