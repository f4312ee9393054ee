"""The product catalogue with stock, from CSV: one row per product and bin.

Columns (header names are matched without regard to case; spaces count as underscores):
``sku`` (required), ``name``, ``barcodes`` (several separated by ``;`` or ``|``),
``units_per_barcode`` (one number for all of them, or one per barcode), ``weight_g`` (or
``weight``, in grams), ``price``, ``currency``, ``bin``, ``on_hand``. An empty cell leaves
what the store has. docs/import-formats.md has an example.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from app.channels import fields as f
from app.channels import limits
from app.channels.drafts import ProductDraft, RowError, UnreadableFile

COLUMNS = (
    "sku",
    "name",
    "barcodes",
    "units_per_barcode",
    "weight_g",
    "price",
    "currency",
    "bin",
    "on_hand",
)
_ALIASES = {
    "weight": "weight_g",
    "units": "units_per_barcode",
    "bin_code": "bin",
    "onhand": "on_hand",
}
_SPLIT = re.compile(r"[;|]")


@dataclass(frozen=True)
class CatalogueShape:
    rows: int
    bins: frozenset[str]  # every bin code the file names


def _columns(header: list[str], source: str) -> dict[str, int]:
    columns: dict[str, int] = {}
    for i, raw in enumerate(header):
        name = "_".join(raw.strip().lstrip("\ufeff").lower().split())
        name = _ALIASES.get(name, name)
        if name in COLUMNS:
            columns[name] = i
    if "sku" not in columns:
        raise UnreadableFile(
            f"{source}: the first line is not a catalogue header (it needs at least a sku column; "
            f"the columns are {', '.join(COLUMNS)}). Nothing was imported."
        )
    return columns


def check(stream: IO[str], source: str) -> CatalogueShape:
    """One pass over the whole file: refuse what cannot be trusted, list the bins it names."""
    lines = f.CsvLines(stream, source)
    reader = csv.reader(lines, strict=True)
    bins: set[str] = set()
    rows = 0
    try:
        header = next(reader, None)
        if header is None:
            raise UnreadableFile(
                f"{source} is empty: not even a header line. Nothing was imported."
            )
        columns = _columns(header, source)
        at = columns.get("bin")
        for row in reader:
            if not row:
                continue
            rows += 1
            code = limits.squeeze(row[at]) if at is not None and at < len(row) else ""
            # A code the text rule refuses is refused with its row; it is no bin to prepare.
            if (
                code
                and len(code) <= limits.PRODUCT_TEXT["bin_code"]
                and not limits.text_fault(code)
            ):
                bins.add(code)
    except csv.Error as error:
        raise UnreadableFile(
            f"{source} line {reader.line_num}: the CSV is broken ({error}). Nothing was imported."
        ) from error
    if lines.last and not lines.last.endswith(("\n", "\r")):
        raise UnreadableFile(
            f"{source} ends in the middle of line {lines.count} (no line break after it): the "
            "file looks cut short. Nothing was imported; export it again."
        )
    return CatalogueShape(rows, frozenset(bins))


def read(stream: IO[str], source: str) -> Iterator[ProductDraft | RowError]:
    reader = csv.reader(stream, strict=True)
    columns = _columns(next(reader), source)
    width = max(columns.values()) + 1
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        line = reader.line_num
        sku = row[columns["sku"]].strip() if len(row) > columns["sku"] else ""
        named = sku and len(sku) <= limits.PRODUCT_TEXT["sku"] and not limits.text_fault(sku)
        where = f"{source} line {line}" + (f" (SKU {sku})" if named else "")
        if len(row) < width:
            yield RowError(where, "row", f"{len(row)} fields, fewer than the header's columns")
            continue
        try:
            yield limits.check_product(_product(row, columns, sku, where))
        except f.BadField as bad:
            yield RowError(where, bad.field, bad.reason)


def _product(row: list[str], columns: dict[str, int], sku: str, where: str) -> ProductDraft:
    def cell(name: str) -> str:
        i = columns.get(name)
        return limits.squeeze(row[i]) if i is not None and i < len(row) else ""

    if not sku:
        raise f.BadField("sku", "empty: every row needs the product's SKU")
    codes = [c.strip() for c in _SPLIT.split(cell("barcodes")) if c.strip()]
    units_text = [u.strip() for u in _SPLIT.split(cell("units_per_barcode")) if u.strip()]
    units = [
        limits.whole(u, "units_per_barcode", minimum=1, maximum=limits.MAX_QUANTITY)
        for u in units_text
    ]
    if not units:
        units = [1] * len(codes)
    elif len(units) == 1:
        units = units * len(codes)
    elif len(units) != len(codes):
        raise f.BadField(
            "units_per_barcode", f"{len(units)} numbers for {len(codes)} barcodes: give one each"
        )
    bin_code = cell("bin") or None
    on_hand = (
        limits.whole(cell("on_hand"), "on_hand", maximum=limits.MAX_STOCK)
        if cell("on_hand")
        else None
    )
    if on_hand is not None and bin_code is None:
        raise f.BadField("bin", "on_hand needs the bin the stock is in")
    price = limits.amount(cell("price"), "price", negative=False) if cell("price") else None
    currency = f.currency_code(cell("currency"), "currency") if cell("currency") else None
    return ProductDraft(
        sku=sku,
        where=where,
        name=cell("name") or None,
        barcodes=tuple(zip(codes, units, strict=True)),
        weight_g=(
            limits.whole(cell("weight_g"), "weight_g", maximum=limits.MAX_WEIGHT_G)
            if cell("weight_g")
            else None
        ),
        price=price,
        currency=currency,
        bin_code=bin_code,
        on_hand=on_hand,
    )
