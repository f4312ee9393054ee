"""The product catalogue CSV mapped to product drafts."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from app.channels import ProductDraft, RowError, UnreadableFile, products

HEADER = "sku,name,barcodes,units per barcode,weight,price,bin,on_hand\n"


def read(text: str) -> list[ProductDraft | RowError]:
    products.check(io.StringIO(text), "catalogue.csv")
    return list(products.read(io.StringIO(text), "catalogue.csv"))


def test_a_row_maps_a_product_with_its_barcodes_and_its_stock_in_one_bin() -> None:
    [draft] = read(
        HEADER + "TEA-EARL-100,Earl Grey 100 g,5012345678900;CASE-TEA-12,1;12,110,4.20,B-11-4,36\n"
    )
    assert draft == ProductDraft(
        sku="TEA-EARL-100",
        where="catalogue.csv line 2 (SKU TEA-EARL-100)",
        name="Earl Grey 100 g",
        barcodes=(("5012345678900", 1), ("CASE-TEA-12", 12)),
        weight_g=110,
        price=Decimal("4.20"),
        bin_code="B-11-4",
        on_hand=36,
    )


def test_one_units_number_applies_to_every_barcode_and_empty_cells_stay_empty() -> None:
    [draft] = read(HEADER + "MUG-BLUE-350,,4006381333931|96385074,6,,,,\n")
    assert isinstance(draft, ProductDraft)
    assert draft.barcodes == (("4006381333931", 6), ("96385074", 6))
    assert (draft.name, draft.weight_g, draft.price, draft.bin_code, draft.on_hand) == (
        None,
        None,
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("MUG,Mug,111;222,1;2;3,,,,\n", "units_per_barcode"),
        ("MUG,Mug,,,,,,5\n", "bin"),
        ("MUG,Mug,,,,,A-01-1,-2\n", "on_hand"),
        ("MUG,Mug,,,heavy,,,\n", "weight_g"),
        ("MUG,Mug,,,,free,,\n", "price"),
        (",Mug,,,,,,\n", "sku"),
    ],
)
def test_a_bad_cell_rejects_its_row_naming_the_field(row: str, field: str) -> None:
    [error] = read(HEADER + row)
    assert isinstance(error, RowError) and error.field == field
    assert error.where.startswith("catalogue.csv line 2")


def test_the_check_lists_the_bins_the_file_names() -> None:
    shape = products.check(io.StringIO(HEADER + "A,a,,,,,A-01-2,1\nB,b,,,,,A-01-10,1\n"), "c.csv")
    assert (shape.rows, shape.bins) == (2, frozenset({"A-01-2", "A-01-10"}))


def test_a_file_without_a_sku_column_is_unreadable() -> None:
    with pytest.raises(UnreadableFile, match="needs at least a sku column"):
        products.check(io.StringIO("name,price\nMug,4\n"), "c.csv")
