"""Orders from CSV, one row per order line, grouped by the order's number wherever its rows are.

Two layouts, told apart by the header:

- retail: the UCI "Online Retail" export (InvoiceNo, StockCode, Description, Quantity,
  InvoiceDate, UnitPrice, CustomerID, Country). An invoice number starting with "C", or an
  invoice whose quantities are all negative, is a cancellation: it becomes a cancelled order
  of its own (the C number is the cancellation's own number, not the invoice it cancels, so
  there is no original to void). Postage codes (POST, DOT, C2) are the order's shipping
  charge, not lines; money-only codes (D, B, CRUK, BANK CHARGES, AMAZONFEE) are left out.
- generic: our own layout, documented in docs/import-formats.md ("order_id", "sku", ...).

Files are read twice and never held whole: ``check`` makes one pass over the whole file for
what makes it unreadable (not UTF-8, broken quoting, a last line cut short) before anything
is imported, and records where each order's rows are (app/channels/grouping.py);
``CsvOrders`` then reads the file order by order, seeking to each order's rows, holding one
order's rows at a time. An order's lines keep the order of the file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import TracebackType
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
from app.channels.grouping import OrderIndex

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
# The rows of one invoice are stamped within a minute or so of each other (at most 60 s in
# the sample); rows of one number further apart than this are two invoices, not one.
RETAIL_SPAN = timedelta(hours=1)
BOM = b"\xef\xbb\xbf"

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
    """What the checking pass learnt: the layout, the header and how many rows and orders."""

    layout: str  # "retail" or "generic"
    rows: int
    header: tuple[str, ...] = ()
    orders: int = 0  # orders (and groups of rows without a number); 0 unless indexed


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


def check(stream: IO[str], source: str, index: OrderIndex | None = None) -> CsvShape:
    """Read the whole file once and refuse it if it cannot be trusted as a whole; with an
    ``index``, record where each order's rows are."""
    lines = _Counted(f.CsvLines(stream, source))
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise UnreadableFile(
                f"{source} is empty: not even a header line. Nothing was imported."
            )
        layout = layout_of(header, source)
        key_at = _key_column(layout, header)
        rows = 0
        start, before = lines.offset, reader.line_num
        for row in reader:
            end = lines.offset
            if row:
                rows += 1
                if index is not None and any(cell.strip() for cell in row):
                    key = row[key_at].strip() if len(row) > key_at else ""
                    index.add(key, start, end - start, before)
            start, before = end, reader.line_num
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
    orders = index.finish() if index is not None else 0
    return CsvShape(layout, rows, tuple(header), orders)


class _Counted:
    """The checked lines for csv.reader, counting the bytes they take in the file."""

    def __init__(self, lines: f.CsvLines) -> None:
        self._lines = lines
        self.offset = 0  # bytes read so far, after any byte-order mark

    @property
    def count(self) -> int:
        return self._lines.count

    @property
    def last(self) -> str:
        return self._lines.last

    def __iter__(self) -> Iterator[str]:
        first = True
        for line in self._lines:
            if first:
                first = False
                line_bytes = line.lstrip("\ufeff")  # a BOM is not part of the text's offsets
            else:
                line_bytes = line
            self.offset += len(line_bytes) if line_bytes.isascii() else len(line_bytes.encode())
            yield line


def _key_column(layout: str, header: Sequence[str]) -> int:
    if layout == "retail":
        return 0
    return _generic_columns(header)["order_id"]


def _generic_columns(header: Sequence[str]) -> dict[str, int]:
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    return {name: i for i, name in enumerate(names) if name}


class CsvOrders:
    """The orders of a CSV file, each read whole wherever its rows are.

    Made from the file opened in binary: the constructor checks the whole file (raising
    ``UnreadableFile`` before any order is handed out) and indexes it; iterating hands out one
    ``OrderDraft`` or ``RowError`` per order, in the order of the order numbers (as text; rows
    without a number first). Close it (or use ``with``) to remove the index.
    """

    def __init__(self, data: IO[bytes], source: str) -> None:
        self._data = data
        self._source = source
        self._index = OrderIndex()
        try:
            text = io.TextIOWrapper(data, encoding="utf-8", newline="")
            try:
                self.shape = check(text, source, self._index)
            finally:
                text.detach()
            data.seek(0)
            self._base = len(BOM) if data.read(len(BOM)) == BOM else 0
        except BaseException:
            self._index.close()
            raise

    def __iter__(self) -> Iterator[Read]:
        source, header = self._source, self.shape.header
        width = len(header)
        if self.shape.layout == "retail":
            key_at, mapper, noun = 0, _retail_order, "invoice"
        else:
            columns = _generic_columns(header)
            key_at, noun = columns["order_id"], "order"

            def mapper(source: str, key: str, rows: Rows) -> Read:
                return _generic_order(source, key, rows, columns)

        for key, runs in self._index.groups():
            rows: Rows = []
            for run in runs:
                self._data.seek(self._base + run.offset)
                text = self._data.read(run.length).decode("utf-8")
                reader = csv.reader(io.StringIO(text, newline=""), strict=True)
                taken = 0
                for row in reader:
                    if not any(cell.strip() for cell in row):
                        continue
                    row_key = row[key_at].strip() if len(row) > key_at else ""
                    if row_key != (key or ""):
                        raise self._changed(run.line + reader.line_num)
                    rows.append((run.line + reader.line_num, row))
                    taken += 1
                if taken != run.rows:
                    raise self._changed(run.line + 1)
            yield _one(source, key, rows, mapper, noun, width)

    def _changed(self, line: int) -> UnreadableFile:
        return UnreadableFile(
            f"{self._source} changed while it was being imported (line {line} is not what it "
            "was when the file was checked)"
        )

    def close(self) -> None:
        self._index.close()

    def __enter__(self) -> CsvOrders:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def read(data: IO[bytes], source: str) -> list[Read]:
    """Every order of a small file at once (tests, tools): ``CsvOrders`` for big ones."""
    with CsvOrders(data, source) as orders:
        return list(orders)


def _one(source: str, key: str | None, rows: Rows, mapper: Mapper, noun: str, width: int) -> Read:
    if key is None:
        return RowError(_where(source, rows, noun, ""), "order", f"the {noun} number is empty")
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
    """``orders.csv lines 2-4 (invoice 536528)``; rows spread over the file are listed."""
    lines = [line for line, _ in rows]
    if len(lines) == 1:
        span = f"line {lines[0]}"
    elif lines == list(range(lines[0], lines[0] + len(lines))):
        span = f"lines {lines[0]}-{lines[-1]}"
    else:
        shown = ", ".join(str(n) for n in lines[:4])
        more = f" and {len(lines) - 4} more" if len(lines) > 4 else ""
        span = f"lines {shown}{more}"
    return f"{source} {span}" + (f" ({noun} {key})" if key else "")


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
    times = []
    for line, row in rows:
        other = _customer_id(row[6], line)
        if other != customer_id:
            raise _Bad(
                line,
                "CustomerID",
                f"rows of invoice {key} name different customers ({_shown(customer_id)} on line "
                f"{first_line}, {_shown(other)} here): the whole invoice was left out",
            )
        if row[7].strip() != country_name:
            raise _Bad(
                line,
                "Country",
                f"rows of invoice {key} name different countries ({_shown(country_name)} on "
                f"line {first_line}, {_shown(row[7].strip())} here): the whole invoice was left "
                "out",
            )
        sku = row[1].strip()
        if not sku:
            raise _Bad(line, "StockCode", "empty: which product is it?")
        quantity = _int(row[3], line, "Quantity")
        if quantity == 0:
            raise _Bad(line, "Quantity", "0: a line needs a quantity")
        price = _amount(row[5], line, "UnitPrice")
        moment = _retail_time(row[4], line)
        placed = moment if placed is None else min(placed, moment)
        times.append((moment, line))
        parsed.append((line, sku, " ".join(row[2].split()), quantity, price))
    assert placed is not None
    (earliest, early_line), (latest, late_line) = min(times), max(times)
    if latest - earliest > RETAIL_SPAN:
        raise _Bad(
            late_line,
            "InvoiceDate",
            f"rows of invoice {key} were made at different times ({earliest:%Y-%m-%d %H:%M} on "
            f"line {early_line}, {latest:%Y-%m-%d %H:%M} here): two invoices with one number? "
            "The whole invoice was left out",
        )
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
    services = []
    for _, sku, name, quantity, price in parsed:
        code = sku.upper()
        if code in POSTAGE_CODES:
            shipping += abs(quantity) * price
            services.append(name or code)
        elif code not in MONEY_ONLY_CODES:
            lines.append(
                LineDraft(sku=sku, name=name or sku, quantity=abs(quantity), unit_price=price)
            )
    if not lines:
        codes = ", ".join(sorted({sku for _, sku, *_ in parsed}))
        what = "nothing in it" if cancelled else "nothing to ship"
        raise _Bad(first_line, "StockCode", f"{what}: only charges ({codes})")
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
        # The same whatever order the rows come in, so a re-sorted export changes nothing.
        service=min(services) if services else None,
        shipping_total=f.places(shipping),
        state=ChannelState.CANCELLED if cancelled else ChannelState.OPEN,
        channel_status="cancellation" if cancelled else "invoice",
    )


def _shown(value: str) -> str:
    return limits.shown(value) if value else "none"


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

    # Order columns may be given on any row of the order (a file sorted by SKU can put the
    # row that carries them anywhere); rows that give one must agree.
    given: dict[str, tuple[str, int]] = {}
    for line, row in rows:
        for name in GENERIC_ORDER_COLUMNS:
            value = cell(row, name)
            if not value:
                continue
            known = given.setdefault(name, (value, line))
            if known[0] != value:
                raise _Bad(
                    line,
                    name,
                    f"rows of order {key} disagree: {limits.shown(known[0])} on line {known[1]}, "
                    f"{limits.shown(value)} here. The whole order was left out",
                )
    first_line = rows[0][0]
    first = list(rows[0][1])
    for name, (value, _) in given.items():
        first[columns[name]] = value

    def line_of(name: str) -> int:
        return given[name][1] if name in given else first_line

    status = cell(first, "status").lower()
    if status not in GENERIC_STATES:
        raise _Bad(
            line_of("status"),
            "status",
            f"{limits.shown(status)}: use open, unpaid, hold, cancelled or completed",
        )
    state = GENERIC_STATES[status]
    try:
        placed = f.iso_time(cell(first, "placed_at"), "placed_at")
        currency = f.currency_code(cell(first, "currency"), "currency")
        ship_to, bill_to = (_generic_address(first, side, cell) for side in ("ship", "bill"))
    except f.BadField as bad:
        raise _Bad(line_of(bad.field), bad.field, bad.reason) from None
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
        shipping_total=(
            _amount(shipping, line_of("shipping_total"), "shipping_total") if shipping else f.ZERO
        ),
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
