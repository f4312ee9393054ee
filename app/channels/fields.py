"""Reading typed values out of a channel's JSON, with the path of whatever is wrong.

Readers raise ``BadField`` for a value they cannot use; the reader turns it into a
``RowError`` for that one order and goes on with the next. Numbers and text follow the
rules of ``app.channels.limits``, and each finished draft passes its check there.
"""

from __future__ import annotations

import html
import json
import sys
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import IO, Any, TypeVar

from app.channels import limits
from app.channels.countries import UnknownCountry, iso2
from app.channels.drafts import (
    AddressDraft,
    ChannelState,
    CustomerDraft,
    LineDraft,
    OrderDraft,
    RowError,
    UnreadableFile,
)

BadField = limits.BadField
ZERO = limits.ZERO
places = limits.places
T = TypeVar("T")


def load_json(stream: IO[str], source: str) -> Any:
    """The whole document; numbers with a fraction, and long ones, as Decimal (never float).

    What would sink the whole file in a JSON parser but is a fault of one value is let
    through to be refused with its order: NaN and Infinity (not JSON, but some exporters
    write them) become Decimal NaN/Infinity, an integer of 5,000 digits a Decimal, and a
    control character typed raw inside a string stays in the string.
    """
    try:
        text = stream.read()
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            f"{source} is not UTF-8 text (byte {error.start}): it is not a JSON export, or it "
            "is damaged. Nothing was imported."
        ) from error
    if not text.strip():
        raise UnreadableFile(f"{source} is empty: there is no JSON in it. Nothing was imported.")
    try:
        return json.loads(
            text, parse_float=Decimal, parse_int=_integer, parse_constant=Decimal, strict=False
        )
    except RecursionError:
        raise UnreadableFile(
            f"{source} is nested deeper than {_DEPTH:,} levels (lists and objects inside each "
            "other; an order needs fewer than 10): it is not an export of orders, or it is "
            "damaged. Nothing was imported."
        ) from None
    except json.JSONDecodeError as error:
        # Cut short: the parser wanted more at the very end, or a string never ends.
        cut = error.pos >= len(error.doc.rstrip()) - 1 or error.msg.startswith("Unterminated")
        raise UnreadableFile(
            f"{source} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
            + (": it ends too early, as if cut short" if cut else "")
            + ". Nothing was imported; export the file again."
        ) from error


# Python's JSON parser follows nesting by recursion, so the interpreter's limit is the depth
# it can read (less the frames already in use: a little under this many levels).
_DEPTH = sys.getrecursionlimit()


def _integer(digits: str) -> int | Decimal:
    # int() refuses more than 4,300 digits (a ValueError that would sink the whole file).
    return int(digits) if len(digits) <= 30 else Decimal(digits)


def obj(data: Any, field: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise BadField(field, f"expected an object, found {limits.kind(data)}")
    return data


def objects(data: Any, field: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The objects of a list, each with its path (``line_items[2]``)."""
    if data is None:
        return
    if not isinstance(data, list):
        raise BadField(field, f"expected a list, found {limits.kind(data)}")
    for i, item in enumerate(data):
        yield f"{field}[{i}]", obj(item, f"{field}[{i}]")


def money(
    data: Mapping[str, Any], key: str, field: str, *, default: Decimal | None = None
) -> Decimal:
    """An amount (``limits.amount``: finite, four places, below 10^10); missing: ``default``."""
    value = _given(data, key)
    return _default(default, field) if value is None else limits.amount(value, field)


def whole(
    data: Mapping[str, Any],
    key: str,
    field: str,
    *,
    default: int | None = None,
    maximum: int = limits.MAX_ID,
) -> int:
    """A whole number ≥ 0 (an id, a status); "2", 2 and 2.0000 are all 2, 2.5 is an error."""
    value = _given(data, key)
    if value is None:
        return _default(default, field)
    return limits.whole(value, field, maximum=maximum)


def quantity(
    data: Mapping[str, Any], key: str, field: str, *, default: int | None = None, minimum: int = 1
) -> int:
    """Units of a line (``limits.quantity``); ``minimum`` 0 for what was refunded."""
    value = _given(data, key)
    if value is None:
        return _default(default, field)
    return limits.quantity(value, field, minimum=minimum)


def _given(data: Mapping[str, Any], key: str) -> Any:
    """The value, or None when the file leaves it out, null or empty."""
    value = data.get(key)
    return None if value is None or value == "" else value


def _default(default: T | None, field: str) -> T:
    if default is None:
        raise BadField(field, "missing")
    return default


def rate(data: Mapping[str, Any], key: str, field: str, *, percent: bool = False) -> Decimal:
    """A tax rate as a fraction (``percent``: the file says 20 for 20 %); missing: 0."""
    value = _given(data, key)
    return ZERO if value is None else limits.rate(value, field, percent=percent)


def text(data: Any, key: str) -> str:
    """A text value, trimmed; numbers (a ZIP code sent as 78108) as their digits; None as ""."""
    return as_text(data.get(key) if isinstance(data, Mapping) else None)


def as_text(value: Any) -> str:
    if value is None or isinstance(value, bool | dict | list):
        return ""
    if isinstance(value, int) and not -(10**30) < value < 10**30:
        value = Decimal(value)  # str() of a 5,000-digit int raises
    return limits.squeeze(html.unescape(str(value)))


def optional(data: Mapping[str, Any], key: str) -> str | None:
    return text(data, key) or None


def joined(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def country(value: str, field: str) -> str:
    try:
        return iso2(value)
    except UnknownCountry as error:
        raise BadField(field, str(error)) from None


def address(
    *,
    first: str = "",
    last: str = "",
    name: str = "",
    company: str = "",
    line1: str = "",
    line2: str = "",
    city: str = "",
    region: str = "",
    postcode: str = "",
    country_code: str = "",
    phone: str = "",
    field: str,
) -> AddressDraft | None:
    """An address, or None when every part of it is empty (a virtual order's)."""
    full_name = name or joined(first, last)
    if not any((full_name, company, line1, line2, city, postcode, country_code)):
        return None
    return AddressDraft(
        source=field,
        name=full_name,
        company=company or None,
        line1=line1,
        line2=line2 or None,
        city=city,
        region=region or None,
        postcode=postcode or None,
        country=country(country_code, f"{field}.country"),
        phone=phone or None,
    )


def iso_time(value: str, field: str, *, naive_is_utc: bool = True) -> datetime:
    """An ISO 8601 time; one without an offset is taken as UTC."""
    if not value:
        raise BadField(field, "missing")
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise BadField(field, f"{limits.shown(value)} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        if not naive_is_utc:
            raise BadField(field, f"{limits.shown(value)} has no time zone")
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # year 1 at +01:00 is in year 0 in UTC, which has no datetime
        raise BadField(field, f"{limits.shown(value)} is out of range") from None


# Words in an option's or property's name that mean the customer supplied something to be
# made for them, so a person should check it before the item is picked.
_PERSONALISED_WORDS = (
    "personalis",
    "personaliz",
    "engrav",
    "monogram",
    "embroider",
    "initials",
    "custom text",
    "your text",
    "inscription",
    "printed name",
)


def looks_personalised(label: str) -> bool:
    low = label.lower()
    return any(word in low for word in _PERSONALISED_WORDS)


def fallback_sku(channel: str, *ids: Any) -> str:
    """A stand-in SKU for a line the channel sent without one, stable across imports."""
    parts = [t for t in map(as_text, ids) if t not in ("", "0")]
    return "-".join([channel, *parts]) if parts else f"{channel}-unknown"


def each_order(
    orders: list[Any],
    source: str,
    id_key: str,
    mapper: Callable[[Mapping[str, Any], str], OrderDraft],
) -> Iterator[OrderDraft | RowError]:
    """Map and check each order, turning what is wrong with one into its ``RowError``."""
    for i, raw in enumerate(orders):
        ident = raw.get(id_key) if isinstance(raw, Mapping) else None
        where = f"{source} order #{i + 1}"
        if isinstance(ident, str | int | Decimal) and not isinstance(ident, bool):
            shown = as_text(ident)
            if shown and len(shown) <= 40 and limits.text_fault(shown) is None:
                where = f"{source} order {shown}"
        try:
            yield limits.check_order(mapper(obj(raw, "order"), where))
        except BadField as bad:
            yield RowError(where, bad.field, bad.reason)


def require_lines(lines: list[LineDraft], state: ChannelState, field: str, why: str) -> None:
    """An order needs something in it: to ship, to record as shipped elsewhere, or as the
    void record of what was cancelled (app/channels/quantities.py)."""
    if not lines:
        if state is ChannelState.CANCELLED or state is ChannelState.COMPLETED:
            raise BadField(field, f"nothing in it: {why}")
        raise BadField(field, f"nothing to ship: {why}")


def currency_code(value: str, field: str) -> str:
    code = value.strip().upper()
    if len(code) != 3 or not (code.isascii() and code.isalpha()):
        raise BadField(
            field, f"{limits.shown(value)} is not an ISO 4217 currency code (e.g. GBP, EUR, USD)"
        )
    return code


class CsvLines:
    """The file's lines for csv.reader, remembering whether the last one was complete."""

    def __init__(self, stream: IO[str], source: str) -> None:
        self._stream = stream
        self._source = source
        self.count = 0
        self.last = ""

    def __iter__(self) -> Iterator[str]:
        try:
            for line in self._stream:
                self.count += 1
                if self.count == 1 and "\x00" in line:
                    # A NUL in a value is that order's fault (the text rule refuses it); one
                    # in the header means the file is UTF-16 or not text at all.
                    raise UnreadableFile(
                        f"{self._source} line 1 holds NUL bytes: it is not a CSV text file "
                        '(UTF-16?), or it is damaged. Save it as "CSV UTF-8" and import it '
                        "again. Nothing was imported."
                    )
                self.last = line
                yield line
        except UnicodeDecodeError as error:
            raise UnreadableFile(
                f"{self._source} is not UTF-8 text ({error.reason}): it is not a CSV export, or "
                'it is damaged. Save it as "CSV UTF-8" and import it again. Nothing was imported.'
            ) from error


def billing_customer(
    channel: str, label: str, order: Mapping[str, Any], billing: Mapping[str, Any]
) -> CustomerDraft | None:
    """The customer as WooCommerce and BigCommerce give one: an id and a billing address."""
    customer_id = text(order, "customer_id")
    ref = f"{channel}:{customer_id}" if customer_id not in ("", "0") else None
    email = text(billing, "email").lower() or None
    name = joined(text(billing, "first_name"), text(billing, "last_name"))
    if not (ref or email or name):
        return None
    return CustomerDraft(
        name=name or email or f"{label} customer {customer_id}",
        email=email,
        phone=optional(billing, "phone"),
        channel_ref=ref,
    )
