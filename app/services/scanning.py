"""What a scan means at this station: decode it, then look it up in the station's catalogue.

The catalogue (products with their barcodes, order numbers, bins) is read from the local
database once into memory, so a scan is answered in microseconds; ``refresh`` reloads it
after an import or a sync.
"""

from __future__ import annotations

from sqlalchemy import select

from app.config import ScannerSettings
from app.db.models import Bin, Order, Product, ProductBarcode
from app.db.session import UnitOfWorkFactory
from app.domain.decode import (
    DEFAULT_GRAMMAR,
    InMemoryCatalogue,
    ScanGrammar,
    ScanMeaning,
    classify,
    decode,
)
from app.domain.scans import Scan


def grammar_for(settings: ScannerSettings) -> ScanGrammar:
    """The barcode conventions with this station's scanner prefix and GS substitute."""
    substitutes = DEFAULT_GRAMMAR.gs_substitutes
    if settings.gs_substitute:
        substitutes = (*substitutes, settings.gs_substitute)
    return ScanGrammar(
        scanner_prefix=settings.prefix, gs_substitutes=substitutes, gs_dropped=settings.drops_gs
    )


def load_catalogue(uows: UnitOfWorkFactory) -> InMemoryCatalogue:
    """The station's products, barcodes, order numbers and bins, as one in-memory index."""
    with uows(readonly=True) as uow:
        s = uow.session
        products = [
            {"id": r[0], "sku": r[1], "name": r[2], "serial_tracked": r[3], "lot_tracked": r[4]}
            for r in s.execute(
                select(
                    Product.id,
                    Product.sku,
                    Product.name,
                    Product.serial_tracked,
                    Product.lot_tracked,
                )
            )
        ]
        barcodes = [
            {"product_id": r[0], "code": r[1], "units": r[2]}
            for r in s.execute(
                select(ProductBarcode.product_id, ProductBarcode.code, ProductBarcode.units)
            )
        ]
        orders = list(s.scalars(select(Order.number)))
        bins = list(s.scalars(select(Bin.code)))
    return InMemoryCatalogue.from_rows(products, barcodes, orders, bins)


class ScanInterpreter:
    """Turns a ``Scan`` into a ``ScanMeaning`` for the workspace that receives it."""

    def __init__(self, uows: UnitOfWorkFactory, grammar: ScanGrammar = DEFAULT_GRAMMAR) -> None:
        self._uows = uows
        self.grammar = grammar
        self._catalogue: InMemoryCatalogue | None = None

    @property
    def catalogue(self) -> InMemoryCatalogue:
        if self._catalogue is None:
            self._catalogue = load_catalogue(self._uows)
        return self._catalogue

    def refresh(self) -> None:
        self._catalogue = load_catalogue(self._uows)

    def interpret(self, scan: Scan, *, quantity: int = 1) -> ScanMeaning:
        decoded = decode(scan.text, scan.symbology, self.grammar)
        return classify(decoded, self.catalogue, quantity=quantity)
