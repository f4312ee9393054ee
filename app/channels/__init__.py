"""Sales channels' export files, mapped to plain drafts: no database, standard library only.

One module per format. Each JSON channel's ``read(stream, source)`` hands out an
``OrderDraft`` or a ``RowError`` per order, in file order; JSON files are parsed whole first
(so a truncated one fails before any order is handed out). CSV orders are read with
``csv_orders.CsvOrders`` from the file opened in binary: one pass checks the whole file and
records where each order's rows are, then each order is read whole by seeking to its rows.
Every draft a reader hands out has passed ``limits.check_order`` (the one rule for text and
numbers), so the store can keep each of its values. docs/import-formats.md says what each
field is taken from, and why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO

from app.channels import amazon, bigcommerce, csv_orders, magento, repeats, shopify, woocommerce
from app.channels.drafts import (
    AddressDraft,
    ChannelState,
    CustomerDraft,
    LineDraft,
    OrderDraft,
    ProductDraft,
    Read,
    RowError,
    UnreadableFile,
)

Reader = Callable[[IO[str], str], Iterator[Read]]

# The JSON channels; "csv" is read by csv_orders.CsvOrders (it needs the file itself).
ORDER_READERS: dict[str, Reader] = {
    "woocommerce": woocommerce.read,
    "shopify": shopify.read,
    "bigcommerce": bigcommerce.read,
    "magento": magento.read,
    "amazon": amazon.read,
}

__all__ = [
    "ORDER_READERS",
    "AddressDraft",
    "ChannelState",
    "CustomerDraft",
    "LineDraft",
    "OrderDraft",
    "ProductDraft",
    "Read",
    "Reader",
    "RowError",
    "UnreadableFile",
    "csv_orders",
    "repeats",
]
