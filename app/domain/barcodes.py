"""Product barcodes as stored: GTINs with their check digit, and free aliases.

GS1 syntax (element strings, AIs, Digital Link) is biip's job in the scanning layer; here is
only what the catalogue needs: which barcodes a product may carry and their canonical form.
"""

from __future__ import annotations

from enum import StrEnum

from app.domain.errors import InvalidBarcode

GTIN_LENGTHS = (8, 12, 13, 14)


class BarcodeKind(StrEnum):
    GTIN = "gtin"  # GTIN-8/12/13/14, stored as 14 digits
    ALIAS = "alias"  # anything else a product answers to: supplier codes, old labels


def gs1_check_digit(digits: str) -> str:
    """The GS1 mod-10 check digit for the digits before it."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def is_valid_gtin(code: str) -> bool:
    return (
        code.isascii()
        and code.isdigit()
        and len(code) in GTIN_LENGTHS
        and gs1_check_digit(code[:-1]) == code[-1]
    )


def normalize_gtin(code: str) -> str:
    """A GTIN-8/12/13/14 as the 14 digits every form of it matches."""
    code = code.strip()
    if not (code.isascii() and code.isdigit()) or len(code) not in GTIN_LENGTHS:
        raise InvalidBarcode(
            f"{code!r} is not a GTIN: a GTIN has 8, 12, 13 or 14 digits. "
            "Store it as an alias if the product really carries it."
        )
    if not is_valid_gtin(code):
        raise InvalidBarcode(
            f"{code} has a wrong check digit (expected {gs1_check_digit(code[:-1])}): "
            "it was probably mistyped."
        )
    return code.zfill(14)


def classify_barcode(code: str) -> tuple[BarcodeKind, str]:
    """The kind and stored form of a barcode a product should answer to."""
    code = code.strip()
    if not code:
        raise InvalidBarcode("A barcode cannot be empty.")
    if code.isascii() and code.isdigit() and len(code) in GTIN_LENGTHS:
        return BarcodeKind.GTIN, normalize_gtin(code)
    return BarcodeKind.ALIAS, code


def make_gtin13(prefix_and_item: str) -> str:
    """Append the check digit to 12 digits."""
    if len(prefix_and_item) != 12 or not prefix_and_item.isdigit():
        raise InvalidBarcode("A GTIN-13 is made from exactly 12 digits plus its check digit.")
    return prefix_and_item + gs1_check_digit(prefix_and_item)


INTERNAL_PREFIX = "29"
"""GS1's restricted circulation range 20-29 is for numbers a company gives inside its own
walls; Packbench gives products with no barcode one from 29 (the demo catalogue uses 20
and 21)."""


def internal_gtin(product_id: int) -> str:
    """The GTIN-13 Packbench gives a product with no barcode: "29", the product's id in ten
    digits, the check digit. The same on every station (ids come from the central store),
    so two stations labelling one product print the same number."""
    if not 0 < product_id < 10**10:
        raise InvalidBarcode(f"Product id {product_id} does not fit an internal GTIN.")
    return make_gtin13(f"{INTERNAL_PREFIX}{product_id:010d}")
