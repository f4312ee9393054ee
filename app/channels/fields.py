"""Reading typed values out of a channel's JSON, with the path of whatever is wrong.

Readers raise ``BadField`` for a value they cannot use; the reader turns it into a
``RowError`` for that one order and goes on with the next.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import IO, Any

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

STORE_PLACES = Decimal("0.0001")  # the store keeps money and rates to four places
ZERO = Decimal(0)


class BadField(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def load_json(stream: IO[str], source: str) -> Any:
    """The whole document, numbers with a fraction as Decimal (never float)."""
    try:
        return json.load(stream, parse_float=Decimal)
    except json.JSONDecodeError as error:
        cut = error.pos >= len(error.doc.rstrip()) - 1
        raise UnreadableFile(
            f"{source} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
            + (": it ends too early, as if cut short" if cut else "")
            + ". Nothing was imported; export the file again."
        ) from error
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            f"{source} is not UTF-8 text (byte {error.start}): it is not a JSON export, or it "
            "is damaged. Nothing was imported."
        ) from error


def places(value: Decimal) -> Decimal:
    return value.quantize(STORE_PLACES, rounding=ROUND_HALF_UP)


def obj(data: Any, field: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise BadField(field, f"expected an object, found {_kind(data)}")
    return data


def objects(data: Any, field: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The objects of a list, each with its path (``line_items[2]``)."""
    if data is None:
        return
    if not isinstance(data, list):
        raise BadField(field, f"expected a list, found {_kind(data)}")
    for i, item in enumerate(data):
        yield f"{field}[{i}]", obj(item, f"{field}[{i}]")


def money(
    data: Mapping[str, Any], key: str, field: str, *, default: Decimal | None = None
) -> Decimal:
    value = data.get(key)
    if value is None or value == "":
        if default is not None:
            return default
        raise BadField(field, "missing")
    if isinstance(value, bool):
        raise BadField(field, f"expected an amount, found {value!r}")
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise BadField(field, f"{value!r} is not an amount") from None
    if not amount.is_finite():
        raise BadField(field, f"{value!r} is not an amount")
    return amount


def whole(data: Mapping[str, Any], key: str, field: str, *, default: int | None = None) -> int:
    """A whole number (a quantity); "2", 2 and 2.0000 are all 2, 2.5 is an error."""
    value = data.get(key)
    if value is None or value == "":
        if default is not None:
            return default
        raise BadField(field, "missing")
    if isinstance(value, bool):
        raise BadField(field, f"expected a whole number, found {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise BadField(field, f"{value!r} is not a number") from None
    if not number.is_finite() or number != number.to_integral_value():
        raise BadField(field, f"{value} is not a whole number")
    return int(number)


def text(data: Mapping[str, Any], key: str) -> str:
    """A text value, trimmed; numbers (a ZIP code sent as 78108) as their digits; None as ""."""
    value = data.get(key)
    if value is None or isinstance(value, bool | dict | list):
        return ""
    return " ".join(html.unescape(str(value)).split())


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
        raise BadField(field, f"{value!r} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        if not naive_is_utc:
            raise BadField(field, f"{value!r} has no time zone")
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


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
    parts = [str(i) for i in ids if i not in (None, "", 0, "0")]
    return "-".join([channel, *parts]) if parts else f"{channel}-unknown"


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    return {
        dict: "an object",
        list: "a list",
        str: "text",
        int: "a number",
        bool: "true/false",
        Decimal: "a number",
    }.get(type(value), type(value).__name__)


def each_order(
    orders: list[Any],
    source: str,
    id_key: str,
    mapper: Callable[[Mapping[str, Any], str], OrderDraft],
) -> Iterator[OrderDraft | RowError]:
    """Map each order, turning what is wrong with one into its ``RowError``."""
    for i, raw in enumerate(orders):
        ident = raw.get(id_key) if isinstance(raw, Mapping) else None
        where = f"{source} order {ident}" if ident not in (None, "") else f"{source} order #{i + 1}"
        try:
            yield mapper(obj(raw, "order"), where)
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
    if len(code) != 3 or not code.isalpha():
        raise BadField(field, f"{value!r} is not an ISO 4217 currency code (e.g. GBP, EUR, USD)")
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
                if "\x00" in line:
                    raise UnreadableFile(
                        f"{self._source} line {self.count} holds NUL bytes: it is not a CSV "
                        "text file, or it is damaged. Nothing was imported."
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
