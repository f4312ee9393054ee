"""What a scan means at this station: decode it, then look it up in the station's catalogue.

The catalogue (products with their barcodes, order numbers, bins) is read from the local
database into memory on the first scan, so a scan is answered in microseconds. It follows
what sync brings by change number, never by reading everything again: ``catch_up`` reads the
rows stamped above the sync watermark the catalogue last saw and merges them. The window calls
it after each sync round; a scan that finds nothing calls it too (at most every
``MISS_RECHECK_S``), so an order pulled by ``packbench sync`` beside the app opens at once.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import ScannerSettings
from app.db.models import Bin, Order, Product, ProductBarcode
from app.db.session import UnitOfWorkFactory
from app.domain.decode import (
    DEFAULT_GRAMMAR,
    InMemoryCatalogue,
    ScanGrammar,
    ScanKind,
    ScanMeaning,
    classify,
    decode,
)
from app.domain.scans import Scan
from app.sync.pull import watermark_of

# A scan that found nothing looks for newly pulled rows at most this often: a scanner gone
# wild sending garbage must not query the database for every scan.
MISS_RECHECK_S = 0.5
# What a scan of something the station lacks comes out as ("GS1 data without a product").
_MISSES = frozenset({ScanKind.UNKNOWN, ScanKind.GS1})


def grammar_for(settings: ScannerSettings) -> ScanGrammar:
    """The barcode conventions with this station's scanner prefix and GS substitute."""
    substitutes = DEFAULT_GRAMMAR.gs_substitutes
    if settings.gs_substitute:
        substitutes = (*substitutes, settings.gs_substitute)
    return ScanGrammar(
        scanner_prefix=settings.prefix, gs_substitutes=substitutes, gs_dropped=settings.drops_gs
    )


def load_catalogue(uows: UnitOfWorkFactory) -> tuple[InMemoryCatalogue, int]:
    """The station's products, barcodes, order numbers and bins as one in-memory index, and
    the sync watermark they were read at."""
    with uows(readonly=True) as uow:
        watermark = watermark_of(uow.session)
        return InMemoryCatalogue.from_rows(*_rows(uow.session, None)), watermark


def _rows(
    s: Session, since: int | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str], list[str]]:
    """Catalogue rows: all of them, or those stamped with a change number above ``since``
    (a changed product comes with all its barcodes; they travel with it)."""
    product_query = select(
        Product.id, Product.sku, Product.name, Product.serial_tracked, Product.lot_tracked
    )
    barcode_query = select(ProductBarcode.product_id, ProductBarcode.code, ProductBarcode.units)
    order_query, bin_query = select(Order.number), select(Bin.code)
    if since is not None:
        product_query = product_query.where(Product.change_seq > since)
        changed_products = select(Product.id).where(Product.change_seq > since)
        barcode_query = barcode_query.where(ProductBarcode.product_id.in_(changed_products))
        order_query = order_query.where(Order.change_seq > since)
        bin_query = bin_query.where(Bin.change_seq > since)
    products = [
        {"id": r[0], "sku": r[1], "name": r[2], "serial_tracked": r[3], "lot_tracked": r[4]}
        for r in s.execute(product_query)
    ]
    barcodes = [{"product_id": r[0], "code": r[1], "units": r[2]} for r in s.execute(barcode_query)]
    return products, barcodes, list(s.scalars(order_query)), list(s.scalars(bin_query))


class ScanInterpreter:
    """Turns a ``Scan`` into a ``ScanMeaning`` for the workspace that receives it."""

    def __init__(self, uows: UnitOfWorkFactory, grammar: ScanGrammar = DEFAULT_GRAMMAR) -> None:
        self._uows = uows
        self.grammar = grammar
        self._catalogue: InMemoryCatalogue | None = None
        self._seen = 0  # the sync watermark the catalogue's rows were read at
        self._checked_at = 0.0

    @property
    def catalogue(self) -> InMemoryCatalogue:
        if self._catalogue is None:
            self._catalogue, self._seen = load_catalogue(self._uows)
            self._checked_at = time.monotonic()
        return self._catalogue

    def catch_up(self) -> int:
        """Merge the rows sync brought since the catalogue last looked; how many came.

        Cheap when nothing did: one read of the watermark. A catalogue not read yet is left
        for the first scan, which reads it whole.
        """
        if self._catalogue is None:
            return 0
        self._checked_at = time.monotonic()
        with self._uows(readonly=True) as uow:
            watermark = watermark_of(uow.session)
            rows = _rows(uow.session, self._seen) if watermark > self._seen else None
        if watermark < self._seen:  # the station's file was put back from a backup
            self._catalogue, self._seen = load_catalogue(self._uows)
            return 1
        if rows is None:
            return 0
        self._catalogue.merge(*rows)
        self._seen = watermark
        return sum(len(part) for part in rows)

    def interpret(self, scan: Scan, *, quantity: int = 1) -> ScanMeaning:
        decoded = decode(scan.text, scan.symbology, self.grammar)
        meaning = classify(decoded, self.catalogue, quantity=quantity)
        if (
            meaning.kind in _MISSES
            and time.monotonic() - self._checked_at >= MISS_RECHECK_S
            and self.catch_up()
        ):
            meaning = classify(decoded, self.catalogue, quantity=quantity)
        return meaning
