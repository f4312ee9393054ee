"""The A4 invoice and credit note, read back as a person (pdftotext) and a scanner (zbar)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from printing.documents import InvoiceDocument
from printing.invoice_pdf import invoice_pdf
from tests.printing.invoice_samples import (
    ATHENS,
    TOKYO,
    WARSAW,
    credit_note,
    invoice,
    line,
    long_invoice,
)
from tests.printing.readback import barcodes_of, pages_of, text_of


def _read(document: InvoiceDocument, tmp_path: Path, *, reading_order: bool = False) -> str:
    """The printed text, see ``_plain``."""
    text = text_of(invoice_pdf(document), tmp_path, reading_order=reading_order)
    return _plain(text)


def _plain(text: str) -> str:
    """No-break spaces as plain ones, and "19 %" as one word: pdftotext sets the gap between
    a figure and its per cent sign by its width, so the same rate reads either way."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"(\d) %", r"\1%", text)


def _words(row: str) -> list[str]:
    return row.split()


def _row(text: str, starts: str) -> str:
    return next(row for row in text.splitlines() if row.strip().startswith(starts))


def _containing(text: str, part: str) -> str:
    return next(row for row in text.splitlines() if part in row)


def test_an_invoice_shows_seller_buyer_references_lines_breakdown_and_totals(
    tmp_path: Path,
) -> None:
    text = _read(invoice(), tmp_path)
    for expected in (
        "INVOICE",
        "INV-ST01-2026-000123",
        "Packbench Demo Trading Ltd",
        "Tax ID GB123456789",  # the seller's
        "Tax ID DE811907980",  # the buyer's
        "BILL TO",
        "SHIP TO",
        "12.05.2026",  # issued, as Germans write it
        "26.05.2026",  # due
        "100234",
        "S-100234-1",
        "PO-4711",
        "Payable within 14 days without deduction.",
        "IBAN DE89 3704 0044 0532 0130 00",
    ):
        assert expected in text, expected
    # quantity, unit price, discount, tax rate, net, gross
    assert _words(_row(text, "TEA-EARL-001"))[-5:] == ["2", "12,50", "19%", "25,00", "29,75"]
    assert _words(_row(text, "TEA-EARL-003"))[-6:] == ["3", "4,20", "1,26", "19%", "11,34", "13,49"]
    # the tax breakdown, one row per rate: rate, net, tax, gross
    breakdown = [_words(row)[-4:] for row in text.splitlines() if row.rstrip().endswith("55")]
    assert ["7%", "7,99", "0,56", "8,55"] in breakdown
    assert _words(_containing(text, "41,24"))[-4:] == ["19%", "41,24", "7,83", "49,07"]
    assert _words(_row(text, "Net total"))[-2:] == ["49,23", "€"]
    assert _words(_row(text, "Total due"))[-2:] == ["57,62", "€"]
    assert "Total credited" not in text


def test_lines_are_grouped_under_the_shipment_and_parcel_they_came_from(tmp_path: Path) -> None:
    text = _read(invoice(), tmp_path, reading_order=True)
    order = [
        "Shipment S-100234-1 · parcel SSCC 376130320000000012",
        "TEA-EARL-001",
        "TEA-EARL-002",
        "Shipment S-100234-1 · parcel SSCC 376130320000000029",
        "TEA-EARL-003",
        "Other charges",
        "TEA-EARL-004",
    ]
    positions = [text.index(item) for item in order]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("bill_to", "ship_to", "expected"),
    [
        (
            invoice().bill_to,
            WARSAW,
            [
                "Jürgen Müller",
                "Müller & Söhne GmbH",
                "Hauptstraße 5",
                "Zofia Wiśniewska-Łęcka",
                "ul. Świętokrzyska 14/7",
                "00-050 Warszawa",
            ],
        ),
        (
            TOKYO,
            ATHENS,
            [
                "山田太郎",
                "東京都渋谷区神南1-2-3",
                "渋谷マンション 101号室",
                "Νίκος Παπαδόπουλος",
                "Οδός Ερμού 12",
                "105 63 Αθήνα",
            ],
        ),
    ],
    ids=["german-polish", "japanese-greek"],
)
def test_addresses_in_four_scripts_read_back_as_the_same_characters(
    tmp_path: Path, bill_to: object, ship_to: object, expected: list[str]
) -> None:
    text = _read(invoice(bill_to=bill_to, ship_to=ship_to), tmp_path)
    lines = [" ".join(row.split()) for row in text.splitlines()]
    for address_line in expected:
        assert any(address_line in row for row in lines), address_line


@pytest.mark.parametrize(
    ("locale", "currency", "price", "total"),
    [
        ("de_DE", "EUR", "1037.44", "1.234,55 €"),
        ("en_GB", "GBP", "1028.79", "£1,234.55"),
        ("pl_PL", "PLN", "1003.70", "1 234,55 zł"),
        ("el_GR", "EUR", "995.61", "1.234,56 €"),
        ("ja_JP", "JPY", "1123", "￥1,235"),
    ],
)
def test_the_total_is_written_as_the_documents_locale_writes_money(
    tmp_path: Path, locale: str, currency: str, price: str, total: str
) -> None:
    rate = {"en_GB": "0.20", "pl_PL": "0.23", "el_GR": "0.24", "ja_JP": "0.10"}.get(locale, "0.19")
    billed = line(1, quantity=1, unit_price=price, rate=rate, currency=currency)
    document = invoice((billed,), locale=locale, currency=currency)
    assert _row(_read(document, tmp_path), "Total due").split("Total due")[1].strip() == total


def test_a_long_invoice_numbers_its_pages_and_repeats_the_header_on_each(tmp_path: Path) -> None:
    document = long_invoice(400)
    pages = [_plain(page) for page in pages_of(invoice_pdf(document), tmp_path)]
    count = len(pages)
    assert count >= 8
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {count}" in page
        assert "INVOICE" in page and "INV-ST01-2026-000123" in page
        for title in ("SKU", "Description", "Qty", "Unit price", "Discount", "Net", "Gross"):
            assert title in page, (number, title)
    printed = [word for page in pages for word in page.split() if word.startswith("TEA-EARL-")]
    assert printed == [each.sku for each in document.lines]
    # A page that starts inside a parcel's lines says which parcel they are still from.
    assert any(re.search(r"parcel SSCC \d{18} \(continued\)", page) for page in pages[1:])
    assert sum(page.count("Total due") for page in pages) == 1
    assert "Total due" in pages[-1]


def test_the_totals_stay_whole_and_on_the_last_page_whatever_the_line_count(
    tmp_path: Path,
) -> None:
    """Somewhere in this range the last lines fill a page and the totals go to a new one."""
    tail_alone = 0
    for count in range(40, 62):
        pages = pages_of(invoice_pdf(long_invoice(count)), tmp_path)
        assert sum(page.count("Total due") for page in pages) == 1
        assert "Total due" in pages[-1] and "Payment terms" in pages[-1]
        assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
        printed = [w for page in pages for w in page.split() if w.startswith("TEA-EARL-")]
        assert len(printed) == count
        tail_alone += "TEA-EARL-" not in pages[-1]
    assert tail_alone, "no line count in the range put the totals on a page of their own"


def test_a_partial_invoice_says_which_part_of_which_order_it_is(tmp_path: Path) -> None:
    text = _read(invoice(partial_index=2), tmp_path)
    assert text.count("PARTIAL INVOICE 2 for order 100234") == 1


def test_a_full_invoice_does_not_say_partial(tmp_path: Path) -> None:
    assert "PARTIAL" not in _read(invoice(), tmp_path)


def test_a_reprint_is_marked_copy_on_every_page_and_is_otherwise_the_same(
    tmp_path: Path,
) -> None:
    pages = pages_of(invoice_pdf(long_invoice(120, copy=True)), tmp_path)
    assert len(pages) > 1
    for page in pages:
        assert "COPY" in page
    original = _read(invoice(), tmp_path, reading_order=True)
    reprint = _read(invoice(copy=True), tmp_path, reading_order=True)
    assert "COPY" not in original
    assert reprint.count("COPY") == 2  # under the number, and in the footer
    assert sorted(reprint.replace("COPY", "").replace("·", "").split()) == sorted(
        original.replace("·", "").split()
    )


def test_the_qr_code_on_every_page_scans_as_the_invoice_number(tmp_path: Path) -> None:
    pdf = invoice_pdf(long_invoice(120))
    symbols = barcodes_of(pdf, tmp_path, resolution=150, mono=False)
    pages = len(pages_of(pdf, tmp_path))
    assert [(s.type, s.page, s.data) for s in symbols] == [
        ("QR-Code", page, "INV-ST01-2026-000123") for page in range(1, pages + 1)
    ]


@pytest.mark.parametrize(
    "number",
    ["INV-ST01-2026-000001", "INV-ST02-2027-999999", "R/2026/05/0042", "FV 12/2026/KRK"],
)
def test_other_invoice_numbers_scan_back_too(tmp_path: Path, number: str) -> None:
    symbols = barcodes_of(invoice_pdf(invoice(number=number)), tmp_path, resolution=150)
    assert [(s.type, s.data) for s in symbols] == [("QR-Code", number)]


def test_a_credit_note_names_the_invoice_it_corrects_and_what_it_credits(tmp_path: Path) -> None:
    text = _read(credit_note(), tmp_path)
    flat = " ".join(text.split())
    for expected in (
        "CREDIT NOTE",
        "CRN-ST01-2026-000007",
        "Credit note for invoice INV-ST01-2026-000123 of 12.05.2026",
        "Corrects INV-ST01-2026-000123",
        "Refund",
        "Refunded to the original means of payment",
    ):
        assert expected in flat, expected
    assert "INVOICE" not in text.replace("INV-", "")
    assert "Total due" not in text
    # The credited amounts are written as on the invoice, not as negative figures.
    assert _words(_row(text, "TEA-EARL-001"))[-5:] == ["2", "12,50", "19%", "25,00", "29,75"]
    assert _words(_row(text, "Total credited"))[-2:] == ["29,75", "€"]
    assert not re.search(r"(?<![\w-])[-−]\d", text)


def test_a_long_description_wraps_within_its_column(tmp_path: Path) -> None:
    name = "Gyokuro Asahi, shade-grown green tea from Yame, 100 g 玉露 八女茶 朝日 特上"
    text = _read(invoice((line(1, name=name, unit_price=str(Decimal("33.10"))),)), tmp_path)
    words = " ".join(text.split())
    assert "Gyokuro Asahi," in words and "特上" in words
    assert _words(_row(text, "TEA-EARL-001"))[-5:] == ["2", "33,10", "19%", "66,20", "78,78"]
