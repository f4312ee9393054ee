"""Orders from CSV, one row per order line, the rows of an order next to each other.

Two layouts, told apart by the header:

- retail: the UCI "Online Retail" export (InvoiceNo, StockCode, Description, Quantity,
  InvoiceDate, UnitPrice, CustomerID, Country). An invoice number starting with "C", or an
  invoice whose quantities are all negative, is a cancellation: it becomes a cancelled order
  of its own (the C number is the cancellation's own number, not the invoice it cancels, so
  there is no original to void). Postage codes (POST, DOT, C2) are the order's shipping
  charge, not lines; money-only codes (D, B, CRUK, BANK CHARGES, AMAZONFEE) are left out.
- generic: our own layout, documented in docs/import-formats.md ("order_id", "sku", ...).

Files are read as a stream: ``check`` makes one pass over the whole file for what makes it
unreadable (not UTF-8, broken quoting, a last line cut short) before anything is imported;
``read`` then groups rows by order, holding one order's rows at a time.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import IO

from app.channels import fields as f
from app.channels import limits
from app.channels.countries import UnknownCountry, iso2
from app.channels.drafts import (
    AddressDraft,
    ChannelState,
    CustomerDraft,
    LineDraft,
    OrderDraft,
    Read,
    RowError,
    UnreadableFile,
    printable,
)

CHANNEL = "csv"

RETAIL_COLUMNS = (
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
)
# Stock codes of the retail data that are charges, not goods.
POSTAGE_CODES = frozenset({"POST", "DOT", "C2"})
MONEY_ONLY_CODES = frozenset({"D", "B", "CRUK", "BANK CHARGES", "AMAZONFEE"})
RETAIL_CURRENCY = "GBP"

GENERIC_REQUIRED = ("order_id", "placed_at", "currency", "sku", "quantity", "unit_price")
ADDRESS_PARTS = (
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
GENERIC_ORDER_COLUMNS = (
    "order_number",
    "placed_at",
    "currency",
    "status",
    "customer_id",
    "customer_name",
    "email",
    "phone",
    *(f"{side}_{part}" for side in ("ship", "bill") for part in ADDRESS_PARTS),
    "carrier",
    "service",
    "shipping_total",
)
GENERIC_LINE_COLUMNS = (
    "line_id",
    "sku",
    "name",
    "quantity",
    "unit_price",
    "tax_rate",
    "personalised",
)
GENERIC_COLUMNS = ("order_id", *GENERIC_ORDER_COLUMNS, *GENERIC_LINE_COLUMNS)
GENERIC_STATES = {
    "": ChannelState.OPEN,
    "open": ChannelState.OPEN,
    "paid": ChannelState.OPEN,
    "unpaid": ChannelState.UNPAID,
    "hold": ChannelState.ON_HOLD,
    "on_hold": ChannelState.ON_HOLD,
    "cancelled": ChannelState.CANCELLED,
    "canceled": ChannelState.CANCELLED,
    "completed": ChannelState.COMPLETED,
}
# The text columns, and how many characters of each the store keeps (limits.py; the customer
# id is stored as "csv:<id>"). Every cell also follows the text rule there.
_CUSTOMER_ID = limits.CUSTOMER_TEXT["channel_ref"] - len(f"{CHANNEL}:")
RETAIL_TEXT = {
    "InvoiceNo": (0, limits.ORDER_TEXT["external_id"]),
    "StockCode": (1, limits.LINE_TEXT["sku"]),
    "Description": (2, limits.LINE_TEXT["name"]),
    "CustomerID": (6, _CUSTOMER_ID),
    "Country": (7, None),
}
GENERIC_TEXT: dict[str, int | None] = {
    "order_id": limits.ORDER_TEXT["external_id"],
    "order_number": None,
    "customer_id": _CUSTOMER_ID,
    "customer_name": limits.CUSTOMER_TEXT["name"],
    "email": limits.CUSTOMER_TEXT["email"],
    "phone": limits.CUSTOMER_TEXT["phone"],
    # A country may be a name ("Germany"): mapping it to its code is its check.
    **{
        f"{side}_{part}": None if part == "country" else size
        for side in ("ship", "bill")
        for part, size in limits.ADDRESS_TEXT.items()
    },
    "carrier": limits.ORDER_TEXT["carrier"],
    "service": limits.ORDER_TEXT["service"],
    "line_id": limits.LINE_TEXT["external_line_id"],
    "sku": limits.LINE_TEXT["sku"],
    "name": limits.LINE_TEXT["name"],
}
_YES = frozenset({"1", "y", "yes", "true", "x"})
_NO = frozenset({"", "0", "n", "no", "false"})


@dataclass(frozen=True)
class CsvShape:
    """What the checking pass learnt: the layout and how many data rows follow the header."""

    layout: str  # "retail" or "generic"
    rows: int


Rows = list[tuple[int, list[str]]]  # (line number in the file, the row's fields)
Mapper = Callable[[str, str, Rows], Read]


def layout_of(header: Sequence[str], source: str) -> str:
    names = [h.strip().lstrip("\ufeff") for h in header]
    if tuple(names) == RETAIL_COLUMNS:
        return "retail"
    lowered = {n.lower() for n in names}
    if "order_id" in lowered and "sku" in lowered:
        missing = [c for c in GENERIC_REQUIRED if c not in lowered]
        if missing:
            raise UnreadableFile(
                f"{source}: the header lacks {', '.join(missing)} (see docs/import-formats.md). "
                "Nothing was imported."
            )
        return "generic"
    raise UnreadableFile(
        f"{source}: the first line is not a header we know "
        f"({printable(', '.join(names)[:120])}). Expected "
        f"the retail layout ({','.join(RETAIL_COLUMNS)}) or ours (order_id, sku, ...; see "
        "docs/import-formats.md). Nothing was imported."
    )


def check(stream: IO[str], source: str) -> CsvShape:
    """Read the whole file once and refuse it if it cannot be trusted as a whole."""
    lines = f.CsvLines(stream, source)
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise UnreadableFile(
                f"{source} is empty: not even a header line. Nothing was imported."
            )
        layout = layout_of(header, source)
        rows = sum(1 for row in reader if row)
    except csv.Error as error:
        raise UnreadableFile(
            f"{source} line {reader.line_num}: the CSV is broken ({error}): a quote is not closed "
            "or a field is malformed. Nothing was imported; fix the file and import it again."
        ) from error
    if lines.last and not lines.last.endswith(("\n", "\r")):
        raise UnreadableFile(
            f"{source} ends in the middle of line {lines.count} (no line break after it): the "
            "file looks cut short. Nothing was imported; export it again (a complete CSV ends "
            "with a line break)."
        )
    return CsvShape(layout, rows)


def read(stream: IO[str], source: str) -> Iterator[Read]:
    """Orders of a file that ``check`` accepted, one at a time, in file order."""
    reader = csv.reader(stream, strict=True)
    header = next(reader)
    numbered = ((reader.line_num, row) for row in reader)
    if layout_of(header, source) == "retail":
        return _groups(numbered, source, 0, len(RETAIL_COLUMNS), _retail_order, "invoice")
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    columns = {name: i for i, name in enumerate(names) if name}

    def mapper(source: str, key: str, rows: Rows) -> Read:
        return _generic_order(source, key, rows, columns)

    return _groups(numbered, source, columns["order_id"], len(names), mapper, "order")


def _groups(
    numbered: Iterable[tuple[int, list[str]]],
    source: str,
    key_index: int,
    width: int,
    mapper: Mapper,
    noun: str,
) -> Iterator[Read]:
    """Consecutive rows with the same key, mapped; a key seen before is reported, not merged."""
    seen: set[str] = set()
    key: str | None = None
    rows: Rows = []
    for line, row in numbered:
        if not any(cell.strip() for cell in row):
            continue
        row_key = row[key_index].strip() if len(row) > key_index else ""
        if row_key != key and rows:
            assert key is not None
            yield _one(source, key, rows, seen, mapper, noun, width)
            rows = []
        key = row_key
        rows.append((line, row))
    if rows:
        assert key is not None
        yield _one(source, key, rows, seen, mapper, noun, width)


def _one(
    source: str,
    key: str,
    rows: Rows,
    seen: set[str],
    mapper: Mapper,
    noun: str,
    width: int,
) -> Read:
    first = rows[0][0]
    if not key:
        return RowError(f"{source} line {first}", "order", f"the {noun} number is empty")
    if key in seen:
        return RowError(
            f"{source} line {first} ({noun} {key})",
            "order",
            f"{noun} {key} appears again after other {noun}s; the rows of one {noun} must be "
            "next to each other. These rows were not imported (the first ones were).",
        )
    seen.add(key)
    for line, row in rows:
        if len(row) != width:
            return RowError(
                f"{source} line {line} ({noun} {key})",
                "row",
                f"{len(row)} fields where the header has {width}: a comma inside a field that "
                "is not quoted? The whole order was left out.",
            )
    return mapper(source, key, rows)


class _Bad(Exception):
    def __init__(self, line: int, field: str, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.field = field
        self.reason = reason


def _where(source: str, rows: Rows, noun: str, key: str) -> str:
    first, last = rows[0][0], rows[-1][0]
    span = f"line {first}" if first == last else f"lines {first}-{last}"
    return f"{source} {span} ({noun} {key})"


# --- the retail layout ----------------------------------------------------------------------


def _retail_order(source: str, key: str, rows: Rows) -> Read:
    try:
        return limits.check_order(_retail(source, key, rows))
    except _Bad as bad:
        return RowError(f"{source} line {bad.line} (invoice {key})", bad.field, bad.reason)
    except limits.BadField as bad:
        return RowError(_where(source, rows, "invoice", key), bad.field, bad.reason)


def _texts(rows: Rows, columns: dict[str, tuple[int, int | None]]) -> None:
    """Every text cell of the order by the text rule, naming the line and column."""
    for line, row in rows:
        try:
            limits.check_texts((row[i], name, limit) for name, (i, limit) in columns.items())
        except limits.BadField as bad:
            raise _Bad(line, bad.field, bad.reason) from None


def _retail(source: str, key: str, rows: Rows) -> OrderDraft:
    _texts(rows, RETAIL_TEXT)
    first_line, first = rows[0]
    customer_id = _customer_id(first[6], first_line)
    country_name = first[7].strip()
    placed: datetime | None = None
    parsed = []
    for line, row in rows:
        if _customer_id(row[6], line) != customer_id:
            raise _Bad(line, "CustomerID", f"rows of invoice {key} name different customers")
        if row[7].strip() != country_name:
            raise _Bad(line, "Country", f"rows of invoice {key} name different countries")
        sku = row[1].strip()
        if not sku:
            raise _Bad(line, "StockCode", "empty: which product is it?")
        quantity = _int(row[3], line, "Quantity")
        if quantity == 0:
            raise _Bad(line, "Quantity", "0: a line needs a quantity")
        price = _amount(row[5], line, "UnitPrice")
        moment = _retail_time(row[4], line)
        placed = moment if placed is None else min(placed, moment)
        parsed.append((line, sku, " ".join(row[2].split()), quantity, price))
    assert placed is not None
    marked = key[:1].upper() == "C"
    negative = [q < 0 for _, _, _, q, _ in parsed]
    if marked and not all(negative):
        line = parsed[negative.index(False)][0]
        raise _Bad(
            line, "Quantity", f"invoice {key} is a cancellation but this quantity is positive"
        )
    if not marked and any(negative) and not all(negative):
        line = parsed[negative.index(True)][0]
        raise _Bad(line, "Quantity", "negative in an invoice with positive quantities")
    cancelled = marked or all(negative)
    try:
        country = iso2(country_name)
    except UnknownCountry as error:
        raise _Bad(first_line, "Country", str(error)) from None
    lines: list[LineDraft] = []
    shipping = f.ZERO
    service = None
    for _, sku, name, quantity, price in parsed:
        code = sku.upper()
        if code in POSTAGE_CODES:
            shipping += abs(quantity) * price
            service = service or name or code
        elif code not in MONEY_ONLY_CODES:
            lines.append(
                LineDraft(sku=sku, name=name or sku, quantity=abs(quantity), unit_price=price)
            )
    if not lines and not cancelled:
        codes = ", ".join(sorted({sku for _, sku, *_ in parsed}))
        raise _Bad(first_line, "StockCode", f"nothing to ship: only charges ({codes})")
    return OrderDraft(
        channel=CHANNEL,
        external_id=key,
        number=key,
        placed_at=placed,
        currency=RETAIL_CURRENCY,
        lines=tuple(lines),
        where=_where(source, rows, "invoice", key),
        customer=(
            CustomerDraft(name=f"Customer {customer_id}", channel_ref=f"{CHANNEL}:{customer_id}")
            if customer_id
            else None
        ),
        ship_to=AddressDraft(country=country),
        service=service,
        shipping_total=f.places(shipping),
        state=ChannelState.CANCELLED if cancelled else ChannelState.OPEN,
        channel_status="cancellation" if cancelled else "invoice",
    )


def _customer_id(value: str, line: int) -> str:
    text = value.strip()
    if text.endswith(".0") and text[:-2].isdigit():  # a spreadsheet made it a float
        text = text[:-2]
    if text and not text.isalnum():
        raise _Bad(line, "CustomerID", f"{value!r} is not a customer number")
    return text


def _retail_time(value: str, line: int) -> datetime:
    text = value.strip()
    for parse in (datetime.fromisoformat, lambda t: datetime.strptime(t, "%m/%d/%Y %H:%M")):
        try:
            moment = parse(text)
            # The export gives no time zone: read as UTC (the retailer's GMT in winter).
            return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        except ValueError:
            continue
        except OverflowError:  # year 1 at +01:00 is in year 0 in UTC, which has no datetime
            raise _Bad(line, "InvoiceDate", f"{limits.shown(value)} is out of range") from None
    raise _Bad(
        line,
        "InvoiceDate",
        f"{limits.shown(value)} is not a date and time (YYYY-MM-DD HH:MM:SS)",
    )


def _int(value: str, line: int, field: str) -> int:
    """A quantity; negative ones are the retail data's cancellations."""
    try:
        return limits.quantity(value, field, minimum=-limits.MAX_QUANTITY)
    except limits.BadField as bad:
        raise _Bad(line, bad.field, bad.reason) from None


def _amount(value: str, line: int, field: str, *, allow_negative: bool = False) -> Decimal:
    try:
        return limits.amount(value, field, negative=allow_negative)
    except limits.BadField as bad:
        raise _Bad(line, bad.field, bad.reason) from None


# --- the generic layout ---------------------------------------------------------------------


def _generic_order(source: str, key: str, rows: Rows, columns: dict[str, int]) -> Read:
    try:
        return limits.check_order(_generic(source, key, rows, columns))
    except _Bad as bad:
        return RowError(f"{source} line {bad.line} (order {key})", bad.field, bad.reason)
    except limits.BadField as bad:
        return RowError(_where(source, rows, "order", key), bad.field, bad.reason)


def _generic(source: str, key: str, rows: Rows, columns: dict[str, int]) -> OrderDraft:
    def cell(row: list[str], name: str) -> str:
        i = columns.get(name)
        return limits.squeeze(row[i]) if i is not None else ""

    _texts(rows, {n: (columns[n], size) for n, size in GENERIC_TEXT.items() if n in columns})

    first_line, first = rows[0]
    for line, row in rows[1:]:
        for name in GENERIC_ORDER_COLUMNS:
            if cell(row, name) and cell(row, name) != cell(first, name):
                raise _Bad(
                    line, name, f"rows of order {key} disagree ({cell(first, name)!r} first)"
                )
    status = cell(first, "status").lower()
    if status not in GENERIC_STATES:
        raise _Bad(
            first_line, "status", f"{status!r}: use open, unpaid, hold, cancelled or completed"
        )
    state = GENERIC_STATES[status]
    try:
        placed = f.iso_time(cell(first, "placed_at"), "placed_at")
        currency = f.currency_code(cell(first, "currency"), "currency")
        ship_to, bill_to = (_generic_address(first, side, cell) for side in ("ship", "bill"))
    except f.BadField as bad:
        raise _Bad(first_line, bad.field, bad.reason) from None
    lines = []
    for line, row in rows:
        sku = cell(row, "sku")
        if not sku:
            raise _Bad(line, "sku", "empty: which product is it?")
        quantity = _int(cell(row, "quantity"), line, "quantity")
        if quantity <= 0:
            raise _Bad(
                line, "quantity", f"{quantity}: a line needs at least 1 (cancel with status)"
            )
        flag = cell(row, "personalised").lower()
        if flag not in _YES | _NO:
            raise _Bad(line, "personalised", f"{flag!r}: write yes or no")
        lines.append(
            LineDraft(
                sku=sku,
                name=cell(row, "name") or sku,
                quantity=quantity,
                unit_price=_amount(cell(row, "unit_price"), line, "unit_price"),
                tax_rate=_rate(cell(row, "tax_rate"), line),
                personalised=flag in _YES,
                external_line_id=cell(row, "line_id") or None,
            )
        )
    customer_id = cell(first, "customer_id")
    email = cell(first, "email").lower() or None
    name = cell(first, "customer_name") or (ship_to.name if ship_to else "")
    shipping = cell(first, "shipping_total")
    return OrderDraft(
        channel=CHANNEL,
        external_id=key,
        number=cell(first, "order_number") or key,
        placed_at=placed,
        currency=currency,
        lines=tuple(lines),
        where=_where(source, rows, "order", key),
        customer=(
            CustomerDraft(
                name=name or email or f"Customer {customer_id}",
                email=email,
                phone=cell(first, "phone") or None,
                channel_ref=f"{CHANNEL}:{customer_id}" if customer_id else None,
            )
            if (customer_id or email or name)
            else None
        ),
        ship_to=ship_to,
        bill_to=bill_to,
        carrier=cell(first, "carrier") or None,
        service=cell(first, "service") or None,
        shipping_total=_amount(shipping, first_line, "shipping_total") if shipping else f.ZERO,
        state=state,
        channel_status=status or "open",
    )


def _generic_address(
    row: list[str], side: str, cell: Callable[[list[str], str], str]
) -> AddressDraft | None:
    parts = {part: cell(row, f"{side}_{part}") for part in ADDRESS_PARTS}
    if not any(
        parts[p] for p in ("name", "company", "line1", "line2", "city", "postcode", "country")
    ):
        return None
    try:
        country = iso2(parts["country"])
    except UnknownCountry as error:
        raise f.BadField(f"{side}_country", str(error)) from None
    return AddressDraft(
        name=parts["name"],
        company=parts["company"] or None,
        line1=parts["line1"],
        line2=parts["line2"] or None,
        city=parts["city"],
        region=parts["region"] or None,
        postcode=parts["postcode"] or None,
        country=country,
        phone=parts["phone"] or None,
    )


def _rate(value: str, line: int) -> Decimal:
    if not value:
        return f.ZERO
    percent = value.endswith("%")
    try:
        rate = limits.rate(value.removesuffix("%"), "tax_rate", percent=percent)
    except limits.BadField as bad:
        raise _Bad(line, bad.field, bad.reason) from None
    if not percent and rate > 1:
        raise _Bad(line, "tax_rate", f"{value}: write a fraction (0.20) or a percentage (20%)")
    return rate
