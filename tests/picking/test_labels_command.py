"""``packbench print bin-labels`` and ``print product-labels`` in a subprocess: the sheets
read back by pdftotext and zbarimg, every barcode meaning what ``decode`` says it means; a
product with no barcode is given an internal GTIN (20-29) once, kept, and sent centrally."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from app.bootstrap import Station
from app.db.models import Product, ProductBarcode
from app.db.session import unit_of_work_factory
from app.domain.barcodes import internal_gtin
from app.domain.decode import ScanKind, decode
from app.sync.clock import stamp_changes, track_changes
from app.sync.engine import sync_once
from tests.picking.test_picklist_command import packbench
from tests.printing.readback import barcodes_of, text_of
from tests.returns.test_returns_command import add_people
from tests.sync.stores import Central


def _incomplete(central: Central) -> None:
    uows = unit_of_work_factory(central.engine, before_commit=stamp_changes, on_open=track_changes)
    with uows() as uow:
        uow.session.add(
            Product(
                sku="IMPORTED-7", name="Imported, no barcode", price=Decimal("1"), incomplete=True
            )
        )
        uow.commit()


def test_bin_labels_walk_the_bins_and_decode_as_bins(
    bench: Station, bench_home: Path, central: Central, tmp_path: Path
) -> None:
    sheet = tmp_path / "bins.pdf"
    done = packbench(bench_home, central, "print", "bin-labels", "--pdf", str(sheet))
    assert done.returncode == 0, done.stderr
    assert "3 bin labels" in done.stdout
    pdf = sheet.read_bytes()
    text = text_of(pdf, tmp_path)
    assert [b for b in ("A-01-1", "A-02-1", "A-03-1") if b in text] == sorted(
        ("A-01-1", "A-02-1", "A-03-1"), key=text.index
    )
    read = [decode(s.data) for s in barcodes_of(pdf, tmp_path)]
    assert sorted((d.kind, d.reference) for d in read) == [
        (ScanKind.BIN, "A-01-1"),
        (ScanKind.BIN, "A-02-1"),
        (ScanKind.BIN, "A-03-1"),
    ]
    zpl = tmp_path / "bins.zpl"
    done = packbench(bench_home, central, "print", "bin-labels", "--zone", "a", "--zpl", str(zpl))
    assert done.returncode == 0, done.stderr
    assert zpl.read_bytes().count(b"^BCN") == 3 and b"^FDA-02-1^FS" in zpl.read_bytes()
    none = packbench(bench_home, central, "print", "bin-labels", "--zone", "Q", "--pdf", str(sheet))
    assert none.returncode == 2 and "no bin in zone Q" in none.stderr


def test_product_labels_give_a_missing_barcode_once_and_every_label_decodes(
    bench: Station, bench_home: Path, central: Central, tmp_path: Path
) -> None:
    add_people(central, bench)
    _incomplete(central)
    sync_once(bench)
    sheet = tmp_path / "goods.pdf"
    asked = "MUG-BLUE-350:2,IMPORTED-7"
    done = packbench(bench_home, central, "print", "product-labels", asked, "--pdf", str(sheet))
    assert done.returncode == 0, done.stderr
    assert "3 product labels" in done.stdout and "internal GTIN given to IMPORTED-7" in done.stdout
    with central.engine.connect() as c:
        product_id = c.execute(select(Product.id).where(Product.sku == "IMPORTED-7")).scalar_one()
    given = internal_gtin(product_id)
    assert given.startswith("29")
    pdf = sheet.read_bytes()
    # zbar reports a symbol once per page however often it is printed: the copies are
    # counted in the text.
    found = {(s.type, decode(s.data).kind, decode(s.data).gtin) for s in barcodes_of(pdf, tmp_path)}
    assert found == {
        ("EAN-13", ScanKind.PRODUCT, "05012345678900"),
        ("EAN-13", ScanKind.PRODUCT, given.zfill(14)),
    }
    assert text_of(pdf, tmp_path).count("MUG-BLUE-350") == 2
    again = packbench(
        bench_home, central, "print", "product-labels", "IMPORTED-7", "--pdf", str(sheet)
    )
    assert again.returncode == 0 and "internal GTIN given" not in again.stdout
    assert [s.data for s in barcodes_of(sheet.read_bytes(), tmp_path)] == [given]
    synced = packbench(bench_home, central, "sync", "--once")
    assert synced.returncode == 0, synced.stderr
    with central.engine.connect() as c:
        codes = (
            c.execute(select(ProductBarcode.code).where(ProductBarcode.product_id == product_id))
            .scalars()
            .all()
        )
    assert codes == [given.zfill(14)]
    bad = packbench(bench_home, central, "print", "product-labels", "NOPE-1:2", "--pdf", str(sheet))
    assert bad.returncode == 2 and "There is no product NOPE-1" in bad.stderr
