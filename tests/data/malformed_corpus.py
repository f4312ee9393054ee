"""Writes tests/data/malformed/: files every importer must survive, and what each must give.

    .venv/bin/python tests/data/malformed_corpus.py [FOLDER]

For each import format (csv in both layouts, woocommerce, shopify, bigcommerce, magento,
products) it writes small files with one fault each, and ``expected.json`` saying, per file,
the exit code of ``packbench import FORMAT FILE --json`` and how many orders (catalogue rows)
are accepted and rejected, with the field each rejection must name, or what the message of a
refused file must say. Most faults sit in the middle order of three, so the test also shows
that the good orders beside a bad one import. The files are made from the samples in
tests/data (channel_orders/*.json and the retail CSV); tests/data/README.md says where those
come from. The output is deterministic: tests/test_malformed_imports.py checks the folder is
what this script writes.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
SAMPLES = HERE / "channel_orders"
RETAIL = HERE / "online_retail_sample_300.csv"
OUT = HERE / "malformed"

LONG = 100_000  # characters: "very long text"
DEEP = 5_000  # levels: far past what the JSON parser follows (one file goes to 100,000)


@dataclass(frozen=True)
class Raw:
    """JSON text written as it is (NaN, 1e308, -0, duplicate keys, a raw control character)."""

    text: str


@dataclass(frozen=True)
class Expect:
    exit: int
    accepted: int = 0
    rejected: int = 0
    fields: tuple[str, ...] = ()  # the field each rejection names, in order
    message: str = ""  # for exit 2: what stderr must say

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"exit": self.exit}
        if self.exit == 2:
            out["message"] = self.message
        else:
            out.update(accepted=self.accepted, rejected=self.rejected, fields=list(self.fields))
        return out


def rejected(field: str, *, good: int = 2) -> Expect:
    return Expect(1, accepted=good, rejected=1, fields=(field,))


def accepted(n: int = 3) -> Expect:
    return Expect(0, accepted=n)


def refused(message: str) -> Expect:
    return Expect(2, message=message)


# --- JSON --------------------------------------------------------------------------------------


def dump(document: Any, *, indent: int | None = None) -> str:
    raws: list[str] = []

    def swap(value: Any) -> Any:
        if isinstance(value, Raw):
            raws.append(value.text)
            return f"@@RAW{len(raws) - 1}@@"
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v) for v in value]
        return value

    text = json.dumps(swap(document), indent=indent, ensure_ascii=True)
    for i, raw in enumerate(raws):
        text = text.replace(f'"@@RAW{i}@@"', raw)
    return text


def load(name: str) -> Any:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


def keep(data: dict[str, Any], keys: str) -> dict[str, Any]:
    """Only these keys (space-separated) of the sample: the ones the importer reads."""
    return {k: data[k] for k in keys.split() if k in data}


Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Channel:
    """One JSON channel: a good order, how to number it, how a file holds several."""

    name: str
    base: dict[str, Any]
    number: Callable[[dict[str, Any], int], None]
    wrap: Callable[[list[Any]], Any]
    where: dict[str, tuple[Path_, str]]  # role -> (path in the order, field a rejection names)


def woocommerce() -> Channel:
    order = keep(
        load("woocommerce_order.json"),
        "id number status currency date_created date_created_gmt "
        "shipping_total customer_id billing shipping line_items shipping_lines",
    )
    order["line_items"] = [
        keep(item, "id name product_id variation_id quantity total total_tax sku meta_data")
        for item in order["line_items"]
    ]
    order["line_items"][0]["sku"] = "WOO-SINGLE-1"

    def number(o: dict[str, Any], n: int) -> None:
        o.update(id=n, number=str(n))

    return Channel(
        "woocommerce",
        order,
        number,
        lambda orders: orders,
        _roles(
            "line_items", "total", "shipping", "address_1", "id", "date_created_gmt", "currency"
        ),
    )


def shopify() -> Channel:
    order = keep(
        load("shopify_order.json")["order"],
        "id name order_number created_at currency financial_status "
        "fulfillment_status cancelled_at taxes_included tax_lines line_items "
        "shipping_lines shipping_address billing_address customer email",
    )
    order["financial_status"] = "paid"
    order["customer"] = keep(order["customer"], "id email first_name last_name phone")
    order["line_items"] = [
        keep(
            item,
            "id sku name title quantity price requires_shipping gift_card taxable tax_lines "
            "discount_allocations total_discount properties product_id variant_id",
        )
        for item in order["line_items"]
    ]

    def number(o: dict[str, Any], n: int) -> None:
        o.update(id=n, name=f"#{n}", order_number=n)

    return Channel(
        "shopify",
        order,
        number,
        lambda orders: {"orders": orders},
        _roles(
            "line_items", "price", "shipping_address", "address1", "id", "created_at", "currency"
        ),
    )


def bigcommerce() -> Channel:
    order = keep(
        load("bigcommerce_v2_order.json"),
        "id status_id status is_deleted date_created currency_code default_currency_code "
        "customer_id billing_address shipping_addresses shipping_cost_ex_tax "
        "handling_cost_ex_tax",
    )
    order.update(status_id=11, status="Awaiting Fulfillment")
    product = keep(
        load("bigcommerce_v2_order_product.json"),
        "id order_id product_id variant_id name sku type quantity quantity_refunded "
        "price_ex_tax total_ex_tax total_tax applied_discounts product_options "
        "configurable_fields",
    )
    order["products"] = [dict(product, order_id=order["id"])]

    def number(o: dict[str, Any], n: int) -> None:
        o["id"] = n
        for p in o["products"]:
            p["order_id"] = n

    roles = _roles(
        "products",
        "total_ex_tax",
        "billing_address",
        "street_1",
        "id",
        "date_created",
        "currency_code",
    )
    return Channel("bigcommerce", order, number, lambda orders: orders, roles)


def magento() -> Channel:
    full = load("magento2_order.json")
    order = keep(
        full,
        "entity_id increment_id state status created_at order_currency_code "
        "base_currency_code customer_email customer_firstname "
        "customer_lastname customer_id customer_is_guest shipping_amount "
        "shipping_discount_amount shipping_description billing_address",
    )
    order.update(state="processing", status="processing")
    order["items"] = [  # the simple item
        keep(
            full["items"][0],
            "item_id parent_item_id product_type is_virtual sku name qty_ordered qty_canceled "
            "qty_refunded price row_total discount_amount tax_percent product_id",
        )
    ]
    assignment = full["extension_attributes"]["shipping_assignments"][0]
    order["extension_attributes"] = {
        "shipping_assignments": [{"shipping": keep(assignment["shipping"], "address method")}]
    }

    def number(o: dict[str, Any], n: int) -> None:
        o.update(entity_id=n, increment_id=f"{n:09d}")

    roles = _roles(
        "items",
        "row_total",
        "billing_address",
        "city",
        "entity_id",
        "created_at",
        "order_currency_code",
    )
    roles["quantity"] = (("items", 0, "qty_ordered"), "items[0].qty_ordered")
    return Channel("magento", order, number, lambda orders: {"items": orders}, roles)


def _roles(
    lines: str, price: str, address: str, line1: str, ident: str, date: str, currency: str
) -> dict[str, tuple[Path_, str]]:
    part = "city" if line1 == "city" else "line1"
    return {
        "quantity": ((lines, 0, "quantity"), f"{lines}[0].quantity"),
        "price": ((lines, 0, price), f"{lines}[0].{price}"),
        "name": ((lines, 0, "name"), f"{lines}[0].name"),
        "sku": ((lines, 0, "sku"), f"{lines}[0].sku"),
        "lines": ((lines,), lines),
        "line": ((lines, 0), f"{lines}[0]"),
        "address": ((address,), address),
        "address_line": ((address, line1), f"{address}.{part}"),
        "id": ((ident,), ident),
        "date": ((date,), date),
        "currency": ((currency,), currency),
    }


def put(order: dict[str, Any], path: Path_, value: Any) -> None:
    node: Any = order
    for key in path[:-1]:
        node = node[key]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value


_DELETE = object()


@dataclass(frozen=True)
class Duplicate:
    """A key written twice in one object, with these two values (JSON text)."""

    first: str
    last: str


# The JSON files with faulty orders: each is [good, faulty..., good]. A faulty order changes
# one value (by its role, see Channel.where); ``True`` means it must be refused naming that
# role's field, ``False`` that it must import.
Change = tuple[str, Any, bool]

JSON_FILES: list[tuple[str, list[Change]]] = [
    ("quantity_1e308", [("quantity", Raw("1e308"), True)]),
    ("quantity_10e30", [("quantity", 10**30, True)]),
    ("quantity_forty_nines", [("quantity", Raw("9" * 40), True)]),
    ("quantity_5000_digits", [("quantity", Raw("7" * 5000), True)]),
    ("quantity_text_1e30_and_1E+400", [("quantity", "1e30", True), ("quantity", "1E+400", True)]),
    (
        "quantity_nan_infinity_minus_zero",
        [
            ("quantity", Raw("NaN"), True),
            ("quantity", Raw("Infinity"), True),
            ("quantity", Raw("-0"), True),
        ],
    ),
    ("quantity_negative_and_fraction", [("quantity", -3, True), ("quantity", Raw("2.5"), True)]),
    (
        "quantity_text_bool_null_list_missing",
        [
            ("quantity", "two", True),
            ("quantity", True, True),
            ("quantity", None, True),
            ("quantity", [1], True),
            ("quantity", _DELETE, True),
        ],
    ),
    ("price_1e308", [("price", Raw("1e308"), True)]),
    (
        "price_1E+400_forty_nines_minus_infinity",
        [("price", "1E+400", True), ("price", "9" * 40, True), ("price", Raw("-Infinity"), True)],
    ),
    (
        "values_that_import",  # "2", a price that rounds to 0, white space and scripts, a key twice
        [
            ("quantity", "2", False),
            ("price", Raw("1e-400"), False),
            ("name", "Tea\tcup\r\nمرحبا\u200f 👩\u200d🔧", False),
            ("quantity", Duplicate('"two"', "2"), False),
        ],
    ),
    ("lone_surrogates", [("name", "Woo \ud800 Single", True), ("sku", "\udfffSKU-1", True)]),
    (
        "control_characters",
        [
            ("name", "Nul\x00Name", True),
            ("name", "\x1b[31mRed\x1b[0m", True),
            ("name", "Name\x9bwith CSI", True),
            ("name", Raw('"Raw\x07bell"'), True),
        ],
    ),
    ("right_to_left_override", [("sku", "SKU-\u202e1-KCAB", True)]),
    (
        "text_too_long",
        [("name", "N" * 5000, True), ("sku", "S" * 65, True), ("address_line", "A" * 201, True)],
    ),
    (
        "lines_wrong_types",
        [("lines", {"0": {"quantity": 1}}, True), ("lines", "two mugs", True), ("line", 7, True)],
    ),
    ("address_wrong_types", [("address", 12, True), ("address", ["1 High St"], True)]),
    ("id_wrong", [("id", _DELETE, True), ("id", {"id": 1}, True), ("id", Raw("1e30"), True)]),
    ("required_missing_or_wrong", [("lines", _DELETE, True), ("currency", "€€€", True)]),
    (
        "dates_wrong",
        [("date", "yesterday", True), ("date", "0001-01-01T00:30:00+01:00", True)],
    ),
    ("duplicate_key_last_is_bad", [("quantity", Duplicate("2", '"two"'), True)]),
]


# The counts a channel gives beside the quantity ordered (cancelled, refunded, shipped by the
# channel; app/channels/quantities.py) follow the same number rule: per channel, (where in the
# order, the value, the field a rejection names). A value that is a function is given the
# order's first line id (Shopify's refunds and fulfilments point at lines by id).
Counted = tuple[Path_, Any, str]
_SHOPIFY_SHIPPED: Path_ = ("fulfillments",)
_SHOPIFY_REFUNDED: Path_ = ("refunds",)


def _fulfilled(quantity: Any) -> Callable[[Any], Any]:
    return lambda line_id: [
        {"status": "success", "line_items": [{"id": line_id, "quantity": quantity}]}
    ]


def _refunded(quantity: Any) -> Callable[[Any], Any]:
    return lambda line_id: [
        {"refund_line_items": [{"line_item_id": line_id, "quantity": quantity}]}
    ]


COUNTS: dict[str, list[Counted]] = {
    "shopify": [
        (_SHOPIFY_SHIPPED, _fulfilled(Raw("1e308")), "fulfillments[0].line_items[0].quantity"),
        (_SHOPIFY_SHIPPED, _fulfilled("NaN"), "fulfillments[0].line_items[0].quantity"),
        (_SHOPIFY_REFUNDED, _refunded(10**30), "refunds[0].refund_line_items[0].quantity"),
        (_SHOPIFY_SHIPPED, _fulfilled(2_000_000), "fulfillments[0].line_items[0].quantity"),
    ],
    "bigcommerce": [
        (("products", 0, "quantity_shipped"), Raw("1e308"), "products[0].quantity_shipped"),
        (("products", 0, "quantity_shipped"), -1, "products[0].quantity_shipped"),
        (("products", 0, "quantity_refunded"), 10**30, "products[0].quantity_refunded"),
        (("products", 0, "quantity_shipped"), 2_000_000, "products[0].quantity_shipped"),
    ],
    "magento": [
        (("items", 0, "qty_shipped"), 10**30, "items[0].qty_shipped"),
        (("items", 0, "qty_shipped"), Raw("2.5"), "items[0].qty_shipped"),
        (("items", 0, "qty_refunded"), Raw("1e308"), "items[0].qty_refunded"),
        (("items", 0, "qty_canceled"), "Infinity", "items[0].qty_canceled"),
        (("items", 0, "qty_shipped"), 2_000_000, "items[0].qty_shipped"),
    ],
}


def json_cases(channel: Channel) -> dict[str, tuple[bytes, Expect]]:
    def order(n: int) -> dict[str, Any]:
        o = copy.deepcopy(channel.base)
        channel.number(o, n)
        return o

    def file(*middle: Any) -> bytes:
        return dump(channel.wrap([order(9001), *middle, order(9099)])).encode()

    def changed(n: int, role: str, value: Any) -> dict[str, Any]:
        path = channel.where[role][0]
        bad = order(n)
        if isinstance(value, Duplicate):  # the same key twice: the last one is read
            value = Raw(f'{value.first}, "{path[-1]}": {value.last}')
        put(bad, path, value)
        return bad

    files: dict[str, tuple[bytes, Expect]] = {}
    for name, changes in JSON_FILES:
        middle = [changed(9002 + i, role, value) for i, (role, value, _) in enumerate(changes)]
        fields = tuple(channel.where[role][1] for role, _, bad in changes if bad)
        good = 2 + sum(not bad for _, _, bad in changes)
        files[f"{name}.json"] = (
            file(*middle),
            Expect(1 if fields else 0, good, len(fields), fields),
        )
    files["order_a_list_or_a_number.json"] = (
        file([order(9002)], 42),
        Expect(1, 2, 2, ("order", "order")),
    )
    counts = COUNTS.get(channel.name, [])
    if counts:
        middle = []
        for i, (path, value, _) in enumerate(counts):
            bad = order(9002 + i)
            line_id = bad[channel.where["lines"][0][0]][0].get("id")
            put(bad, path, value(line_id) if callable(value) else value)
            middle.append(bad)
        fields = tuple(field for _, _, field in counts)
        files["counts_shipped_refunded_cancelled.json"] = (
            file(*middle),
            Expect(1, 2, len(fields), fields),
        )
    if channel.name == "bigcommerce":  # its reader also reads "status_id"
        bad = order(9002)
        bad["status_id"] = 10**30
        files["status_id_10e30.json"] = (file(bad), rejected("status_id"))
    if channel.name == "woocommerce":
        files["name_100000_characters.json"] = (
            file(changed(9002, "name", "N" * LONG)),
            rejected(channel.where["name"][1]),
        )

    files["bom.json"] = (b"\xef\xbb\xbf" + file(order(9002)), accepted())
    text = dump(channel.wrap([order(9001), order(9002), order(9003)]), indent=1)
    mixed = "".join(line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(text.split("\n")))
    files["mixed_line_endings.json"] = (mixed.encode(), accepted())
    files["empty.json"] = (b"", refused("is empty"))
    files["only_white_space.json"] = (b" \r\n\t\n", refused("is empty"))
    full = file(order(9002))
    files["truncated.json"] = (full[: len(full) * 2 // 3], refused("ends too early"))
    files["utf16.json"] = (full.decode().encode("utf-16"), refused("not UTF-8"))
    cut = full.index(b'"', full.index(b"9002")) + 1
    files["latin1_byte.json"] = (full[:cut] + b"\xe9" + full[cut:], refused("not UTF-8"))
    files["surrogate_as_bytes.json"] = (
        full[:cut] + b"\xed\xa0\x80" + full[cut:],
        refused("not UTF-8"),
    )
    files["top_level_number.json"] = (b"42\n", refused("does not hold"))
    depth = 100_000 if channel.name == "woocommerce" else DEEP
    files[f"nested_{depth}_deep.json"] = (
        ("[" * depth + "]" * depth).encode(),
        refused("nested deeper than"),
    )
    inside = channel.where["line"][0] + ("extra",)
    files["nested_deep_inside_an_order.json"] = (
        file(_with(order(9002), inside, DEEP)),
        refused("nested deeper than"),
    )
    files["nested_50_inside_an_order.json"] = (file(_with(order(9002), inside, 50)), accepted())
    return files


def _with(order: dict[str, Any], path: Path_, depth: int) -> dict[str, Any]:
    put(order, path, Raw("[" * depth + "1" + "]" * depth))
    return order


# --- CSV ---------------------------------------------------------------------------------------

RETAIL_HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"
RETAIL_COLUMNS = RETAIL_HEADER.split(",")


def retail_rows() -> dict[str, list[list[str]]]:
    with RETAIL.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))[1:]
    by_invoice: dict[str, list[list[str]]] = {}
    for row in rows:
        by_invoice.setdefault(row[0], []).append(row)
    return {k: by_invoice[k][:2] for k in ("536528", "536530", "536591")}


def csv_text(header: str, rows: list[list[str]], *, end: str = "\n") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=end)
    writer.writerows(rows)
    return header + end + out.getvalue()


# The CSV files with faulty orders, [good, faulty..., good] as in JSON_FILES; the roles are
# the columns quantity, price, name and sku of each layout.
CSV_FILES: list[tuple[str, list[Change]]] = [
    ("quantity_1e308", [("quantity", "1e308", True)]),
    ("quantity_30_digits", [("quantity", "1" + "0" * 30, True)]),
    ("quantity_forty_nines", [("quantity", "9" * 40, True)]),
    ("quantity_1e30_and_1E+400", [("quantity", "1e30", True), ("quantity", "1E+400", True)]),
    (
        "quantity_nan_infinity_minus_zero",
        [("quantity", "NaN", True), ("quantity", "Infinity", True), ("quantity", "-0", True)],
    ),
    (
        "quantity_fraction_text_bool_empty_underscores",
        [
            ("quantity", "2.5", True),
            ("quantity", "two", True),
            ("quantity", "true", True),
            ("quantity", "", True),
            ("quantity", "1_000", True),
        ],
    ),
    ("price_1e30", [("price", "1e30", True)]),
    ("price_1E+400_forty_nines", [("price", "1E+400", True), ("price", "9" * 40, True)]),
    (
        "price_nan_infinity_decimal_comma",
        [("price", "NaN", True), ("price", "-Infinity", True), ("price", "4,25", True)],
    ),
    (
        "values_that_import",  # a price that rounds to 0, a line break in quotes, scripts
        [
            ("price", "1e-400", False),
            ("name", "Tea\r\ncup\tblue", False),
            ("name", "مرحبا\u200f 👩\u200d🔧", False),
        ],
    ),
    (
        "control_characters",
        [
            ("name", "Nul\x00Name", True),
            ("name", "\x1b[31mRed\x1b[0m", True),
            ("name", "Name\x9bwith CSI", True),
        ],
    ),
    ("right_to_left_override", [("sku", "SKU-\u202e1", True)]),
    ("text_too_long", [("name", "N" * 5000, True), ("sku", "S" * 65, True)]),
]


def csv_files(
    layout: str,
    columns: dict[str, str],
    changed: Callable[[int, list[tuple[str, str]]], list[list[str]]],
    file: Callable[[list[list[str]]], bytes],
    extra: list[tuple[str, list[tuple[str, str, str | None]]]],
) -> dict[str, tuple[bytes, Expect]]:
    """CSV_FILES and this layout's ``extra`` ones (column, value, field named or None)."""
    files: dict[str, tuple[bytes, Expect]] = {}
    groups = [
        (name, [(columns[role], value, columns[role] if bad else None) for role, value, bad in cs])
        for name, cs in CSV_FILES
    ]
    for name, changes in groups + extra:
        orders = [(changed(i, [(c, v)]), field) for i, (c, v, field) in enumerate(changes)]
        rows = [r for order_rows, _ in orders for r in order_rows]
        # CSV orders are handed out by their number as text (the first column of both
        # layouts; app/channels/grouping.py), so the rejections come in that order.
        by_number = sorted(orders, key=lambda order: order[0][0][0].strip())
        fields = tuple(field for _, field in by_number if field is not None)
        good = 2 + sum(field is None for _, _, field in changes)
        files[f"{name}.csv"] = (file(rows), Expect(1 if fields else 0, good, len(fields), fields))
    return files


def retail_cases() -> dict[str, tuple[bytes, Expect]]:
    good = retail_rows()
    columns = {
        "quantity": "Quantity",
        "price": "UnitPrice",
        "name": "Description",
        "sku": "StockCode",
    }

    def file(middle: list[list[str]]) -> bytes:
        rows = good["536528"] + middle + good["536591"]
        return csv_text(RETAIL_HEADER, rows).encode()

    def changed(i: int, values: list[tuple[str, str]]) -> list[list[str]]:
        rows = copy.deepcopy(good["536530"])
        for row in rows:
            row[0] = f"5365{40 + i}"
        for column, value in values:
            rows[0][RETAIL_COLUMNS.index(column)] = value
        return rows

    extra: list[tuple[str, list[tuple[str, str, str | None]]]] = [
        ("name_100000_characters", [("Description", "N" * LONG, "Description")]),
        (
            "dates_wrong",
            [
                ("InvoiceDate", "yesterday", "InvoiceDate"),
                ("InvoiceDate", "0001-01-01T00:30:00+01:00", "InvoiceDate"),
            ],
        ),
        (
            "identifiers_wrong",
            [("CustomerID", "7" * 70, "CustomerID"), ("InvoiceNo", "5365\x1b99", "InvoiceNo")],
        ),
    ]
    files = csv_files("retail", columns, changed, file, extra)
    negative = changed(0, [("Quantity", "-2")]) + changed(0, [])  # a minus among positives
    files["quantity_negative_among_positive.csv"] = (file(negative), rejected("Quantity"))
    short = changed(0, [])
    short[0] = short[0][:5]
    files["row_too_few_fields.csv"] = (file(short), rejected("row"))
    files.update(_csv_file_cases(file(changed(0, [])), RETAIL_HEADER, "retail"))
    return files


GENERIC_HEADER = (
    "order_id,order_number,placed_at,currency,status,customer_id,customer_name,email,ship_name,"
    "ship_line1,ship_city,ship_postcode,ship_country,bill_country,carrier,service,shipping_total,"
    "line_id,sku,name,quantity,unit_price,tax_rate,personalised"
)
GENERIC_COLUMNS = GENERIC_HEADER.split(",")


def generic_order(n: int) -> list[list[str]]:
    """The order of docs/import-formats.md, numbered ``n``."""
    first = (
        f"W-{n},{n},2026-03-02T10:15:00+01:00,EUR,open,C-77,Jürgen Müller,jm@example.de,"
        "Jürgen Müller,Hauptstr. 5,Berlin,10115,DE,DE,DHL,Paket,4.90,1,MUG-BLUE-350,Blue mug,2,"
        "8.00,19%,no"
    ).split(",")
    second = [f"W-{n}", *[""] * 16, "2", "TEA-EARL-100", "Earl Grey", "1", "4.20", "0.07", "yes"]
    return [first, second]


def generic_cases() -> dict[str, tuple[bytes, Expect]]:
    columns = {"quantity": "quantity", "price": "unit_price", "name": "name", "sku": "sku"}
    line_columns = set(columns.values())

    def file(middle: list[list[str]]) -> bytes:
        rows = generic_order(1001) + middle + generic_order(1099)
        return csv_text(GENERIC_HEADER, rows).encode()

    def changed(i: int, values: list[tuple[str, str]]) -> list[list[str]]:
        rows = generic_order(1002 + i)
        for column, value in values:  # line columns on the second row, order columns the first
            rows[1 if column in line_columns else 0][GENERIC_COLUMNS.index(column)] = value
        return rows

    def each(*changes: tuple[str, str]) -> list[tuple[str, str, str | None]]:
        return [(column, value, column) for column, value in changes]

    extra = [
        (
            "order_columns_wrong",
            each(("placed_at", "yesterday"), ("placed_at", "0001-01-01T00:30:00+01:00"))
            + each(("currency", "€€€"), ("status", "shipped-by-pigeon"))
            + each(("personalised", "maybe"), ("ship_country", "Atlantis")),
        ),
        (
            "amounts_wrong",
            each(("shipping_total", "1e308"), ("tax_rate", "1e30%"), ("tax_rate", "-5%"))
            + each(("tax_rate", "NaN"), ("quantity", "-3")),
        ),
        (
            "text_columns_too_long_or_marked",
            each(("ship_line1", "A" * 201), ("email", "e" * 243 + "@example.com"))
            + each(("customer_name", "\u202eJürgen")),
        ),
    ]
    files = csv_files("generic", columns, changed, file, extra)
    disagree = generic_order(1002)
    disagree[1][GENERIC_COLUMNS.index("currency")] = "GBP"
    no_sku = changed(1, [("sku", "")])
    files["rows_disagree_or_sku_empty.csv"] = (
        file(disagree + no_sku),
        Expect(1, 2, 2, ("currency", "sku")),
    )
    files.update(_csv_file_cases(file(generic_order(1002)), GENERIC_HEADER, "generic"))
    files["header_lacks_a_required_column.csv"] = (
        file(generic_order(1002)).replace(b",unit_price,", b",price,", 1),
        refused("lacks unit_price"),
    )
    return files


def _csv_file_cases(good: bytes, header: str, layout: str) -> dict[str, tuple[bytes, Expect]]:
    """Faults of a whole CSV file (and a few it must take), the same for both layouts."""
    text = good.decode()
    lines = text.split("\n")
    mixed = "".join(line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(lines[:-1]))
    body = text.split("\n", 1)[1]
    return {
        "bom.csv": (b"\xef\xbb\xbf" + good, accepted()),
        "mixed_line_endings.csv": (mixed.encode(), accepted()),
        "cr_line_endings.csv": (text.replace("\n", "\r").encode(), accepted()),
        "header_only.csv": ((header + "\n").encode(), Expect(0)),
        "empty.csv": (b"", refused("is empty")),
        "truncated_mid_line.csv": (good[: len(good) - 7], refused("cut short")),
        "latin1_byte.csv": (
            good.replace("ü".encode(), b"\xfc")
            if "ü" in text
            else good[:-20] + b"\xe9" + good[-20:],
            refused("not UTF-8"),
        ),
        "surrogate_as_bytes.csv": (good[:-20] + b"\xed\xa0\x80" + good[-20:], refused("not UTF-8")),
        "utf16.csv": (text.encode("utf-16"), refused("not UTF-8")),
        # UTF-16 without its BOM: the retail file is ASCII, so every other byte is a NUL; the
        # generic one's "ü" is not UTF-8 at all.
        "utf16_without_bom.csv": (
            text.encode("utf-16-le"),
            refused("NUL" if layout == "retail" else "not UTF-8"),
        ),
        "quote_not_closed.csv": (
            "\n".join([lines[0], '"' + lines[1], *lines[2:]]).encode(),
            refused("broken"),
        ),
        "unknown_header.csv": (
            ("id,product,qty\n" + body).encode(),
            refused("not a header we know"),
        ),
        "json_not_csv.csv": (b'[{"id": 1}]\n', refused("not a header we know")),
    } | (
        {"nul_in_header.csv": (("\x00" + text).encode(), refused("NUL"))}
        if layout == "retail"
        else {}
    )


# --- the catalogue ---------------------------------------------------------------------------

PRODUCTS_HEADER = "sku,name,barcodes,units_per_barcode,weight_g,price,currency,bin,on_hand"
PRODUCTS_COLUMNS = PRODUCTS_HEADER.split(",")
GOOD_PRODUCTS = [
    "TEA-EARL-100,Earl Grey 100 g,5012345678900;CASE-TEA-12,1;12,110,4.20,GBP,B-11-4,36",
    "MUG-BLUE-350,Blue mug 350 ml,4006381333931,1,320,7.50,GBP,A-03-2,12",
    "JAR-JAM-SET,Jam making set,5000000000005,1,900,4.25,GBP,C-01-1,5",
]


def products_cases() -> dict[str, tuple[bytes, Expect]]:
    def file(*middle: str) -> bytes:
        return "".join(
            f"{row}\n" for row in [PRODUCTS_HEADER, GOOD_PRODUCTS[0], *middle, GOOD_PRODUCTS[2]]
        ).encode()

    def changed(i: int, column: str, value: str) -> str:
        """The mug under a SKU of its own and without its barcode, with one cell changed."""
        cells = next(csv.reader([GOOD_PRODUCTS[1]]))
        cells[0], cells[2], cells[3] = f"MUG-BLUE-{350 + i}", "", ""
        cells[PRODUCTS_COLUMNS.index(column)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(cells)
        return out.getvalue().removesuffix("\n")

    groups: list[tuple[str, list[tuple[str, str, bool]]]] = [
        ("on_hand_thirty_nines", [("on_hand", "9" * 30, True)]),
        ("on_hand_1e30_and_1E+400", [("on_hand", "1e30", True), ("on_hand", "1E+400", True)]),
        (
            "on_hand_negative_fraction_nan",
            [("on_hand", "-1", True), ("on_hand", "2.5", True), ("on_hand", "NaN", True)],
        ),
        ("price_1e308", [("price", "1e308", True)]),
        (
            "price_forty_nines_infinity_negative",
            [("price", "9" * 40, True), ("price", "Infinity", True), ("price", "-4.20", True)],
        ),
        (
            "weight_and_units_out_of_range",
            [
                ("weight_g", "1e30", True),
                ("units_per_barcode", "0", True),
                ("units_per_barcode", "1" + "0" * 30, True),
            ],
        ),
        (
            "values_that_import",  # -0 units in stock, a price that rounds to 0, scripts
            [
                ("on_hand", "-0", False),
                ("price", "1e-400", False),
                ("name", "Mug\r\nمرحبا 👩\u200d🔧", False),
            ],
        ),
        ("name_100000_characters", [("name", "N" * LONG, True)]),
        ("control_characters", [("name", "Nul\x00Name", True), ("name", "\x1b[31mRed", True)]),
        ("right_to_left_override", [("sku", "MUG-\u202eBLUE", True)]),
        (
            "text_too_long",
            [("sku", "S" * 65, True), ("bin", "B" * 33, True), ("barcodes", "1" * 65, True)],
        ),
        ("sku_empty", [("sku", "", True)]),
    ]
    files: dict[str, tuple[bytes, Expect]] = {}
    for name, changes in groups:
        rows = [changed(i, column, value) for i, (column, value, _) in enumerate(changes)]
        fields = tuple(column for column, _, bad in changes if bad)
        good = 2 + sum(not bad for _, _, bad in changes)
        files[f"{name}.csv"] = (file(*rows), Expect(1 if fields else 0, good, len(fields), fields))
    files["row_too_few_fields.csv"] = (file("MUG-BLUE-350,Blue mug"), rejected("row"))
    good = file(GOOD_PRODUCTS[1])
    text = good.decode()
    mixed = "".join(
        line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(text.split("\n")[:-1])
    )
    files.update(
        {
            "bom.csv": (b"\xef\xbb\xbf" + good, accepted()),
            "mixed_line_endings.csv": (mixed.encode(), accepted()),
            "empty.csv": (b"", refused("is empty")),
            "no_sku_column.csv": (text.replace("sku,", "code,", 1).encode(), refused("sku")),
            "truncated_mid_line.csv": (good[:-5], refused("cut short")),
            "latin1_byte.csv": (good[:-10] + b"\xe9" + good[-10:], refused("not UTF-8")),
            "utf16.csv": (text.encode("utf-16"), refused("not UTF-8")),
        }
    )
    return files


# --- writing -----------------------------------------------------------------------------------


def corpus() -> dict[str, tuple[str, bytes, Expect]]:
    """Every file: relative path -> (import format, bytes, what the import must give)."""
    out: dict[str, tuple[str, bytes, Expect]] = {}
    for channel in (woocommerce(), shopify(), bigcommerce(), magento()):
        for name, (data, expect) in json_cases(channel).items():
            out[f"{channel.name}/{name}"] = (channel.name, data, expect)
    for folder, made in (
        ("csv_retail", retail_cases()),
        ("csv_generic", generic_cases()),
        ("products", products_cases()),
    ):
        fmt = "products" if folder == "products" else "csv"
        for name, (data, expect) in made.items():
            out[f"{folder}/{name}"] = (fmt, data, expect)
    return out


def write(folder: Path) -> None:
    expected: dict[str, Any] = {}
    for relative, (fmt, data, expect) in sorted(corpus().items()):
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expected[relative] = {"format": fmt, **expect.as_json()}
    (folder / "expected.json").write_text(
        json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
