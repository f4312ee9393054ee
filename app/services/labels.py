"""Labels for shelves and goods: the bins in walk order, and products' barcodes.

``bin_labels`` reads the station's warehouse's bins (one zone if asked) in walk order.
``product_labels`` reads products by SKU; one with no barcode (an incomplete product an
import created, say) is given an internal GTIN from the restricted range 20-29
(``app.domain.barcodes.internal_gtin``) once: it is written as the product's barcode in the
same transaction, audited, and sent to the central store (``product.barcode``), so every
later label and scan uses the same number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from app.context import StationContext
from app.db.models import Bin, Product, ProductBarcode, Warehouse
from app.domain.barcodes import BarcodeKind, internal_gtin
from app.domain.errors import DomainError, NotFound
from app.domain.users import Actor, Permission
from printing.shelf_labels import BinLabel, ProductLabel

MAX_COPIES = 500


def bin_labels(station: StationContext, zone: str | None = None) -> list[BinLabel]:
    """Every bin of the station's warehouse (or of ``zone``), in walk order."""
    code = station.config.warehouses.code or None
    with station.local(readonly=True) as uow:
        s = uow.session
        query = select(Bin.code, Bin.zone, Warehouse.code).join(
            Warehouse, Warehouse.id == Bin.warehouse_id
        )
        if code:
            query = query.where(Warehouse.code == code)
        if zone:
            query = query.where(Bin.zone == zone.strip().upper())
        rows = s.execute(query.order_by(Bin.walk_sequence, Bin.code)).all()
        several = len({r[2] for r in rows}) > 1
    if not rows:
        where = f" in zone {zone}" if zone else ""
        raise NotFound(f"There is no bin{where} at this station: check the zone, or sync first.")
    return [BinLabel(r[0], r[1], r[2] if several else None) for r in rows]


@dataclass(frozen=True)
class Asked:
    sku: str
    copies: int


def parse_request(text: str) -> list[Asked]:
    """ "SKU[:COPIES],..." as typed on the command line."""
    asked = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        sku, _, copies = part.partition(":")
        try:
            n = int(copies) if copies else 1
        except ValueError:
            raise DomainError(f"{part!r}: copies must be a number, e.g. {sku}:3.") from None
        if not 1 <= n <= MAX_COPIES:
            raise DomainError(f"{part!r}: between 1 and {MAX_COPIES} copies.")
        asked.append(Asked(sku.strip(), n))
    if not asked:
        raise DomainError("Name the products: SKU[:COPIES],... e.g. TEA-EARL-100:3,MUG-BLUE-350.")
    return asked


def product_labels(
    station: StationContext, actor: Actor, asked: Sequence[Asked]
) -> tuple[list[ProductLabel], list[str]]:
    """The labels asked for, and the SKUs given an internal GTIN now (one transaction)."""
    actor.require(Permission.PLAN_PICKING, "print product labels")
    labels: list[ProductLabel] = []
    given: list[str] = []
    with station.local() as uow:
        s = uow.session
        for a in asked:
            product = s.scalar(select(Product).where(Product.sku == a.sku))
            if product is None:
                raise NotFound(f"There is no product {a.sku}: check the SKU, or sync first.")
            codes = sorted(
                (b.code for b in product.barcodes if b.kind is BarcodeKind.GTIN and b.units == 1),
                key=lambda c: (c.startswith("02"), c),
            )
            if codes:
                gtin = codes[0]
            else:
                gtin = internal_gtin(product.id).zfill(14)
                holder = s.scalar(select(ProductBarcode).where(ProductBarcode.code == gtin))
                if holder is not None:
                    raise DomainError(
                        f"{a.sku} has no barcode, and its internal GTIN {gtin[1:]} is already "
                        "another product's: give it a barcode in the catalogue (import products)."
                    )
                product.barcodes.append(ProductBarcode(code=gtin, kind=BarcodeKind.GTIN, units=1))
                given.append(product.sku)
                uow.command("product.barcode", {"sku": product.sku, "code": gtin})
                uow.audit(
                    station.station_id,
                    "product.barcode",
                    actor=actor,
                    subject=f"product:{product.sku}",
                    detail=f"internal GTIN {gtin[1:]} given (it had no barcode)",
                )
            labels.append(
                ProductLabel(
                    product.sku, product.name, gtin[1:] if gtin[0] == "0" else gtin, a.copies
                )
            )
        uow.commit()
    return labels, given
