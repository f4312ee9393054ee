"""``packbench --self-test``, the part without Qt: the database, the documents and GS1.

Each check does the real work once on small data (a throwaway SQLite file migrated to this
Packbench's schema, one label, one slip and one invoice drawn, one GS1 scan decoded), so a
build that lost a data file (Alembic's scripts, a font, biip's tables) fails here and says
which. ``ui.self_test`` checks what Qt loads; ``app.cli`` runs both.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from app.db.migrate import current_revision, ensure_schema, head_revision
from app.db.session import create_db_engine
from app.domain.gs1 import parse_gs1
from app.domain.packing import sscc
from printing.documents import (
    DocumentKind,
    InvoiceDocument,
    InvoiceLine,
    PackingSlip,
    Party,
    ShippingLabel,
    SlipLine,
    TaxBreakdownRow,
)
from printing.invoice_pdf import invoice_pdf
from printing.pdf import packing_slip_pdf, shipping_label_pdf
from printing.zpl import shipping_label_zpl


@dataclass(frozen=True)
class Outcome:
    """One check: its name, whether it passed and what it saw (or what went wrong)."""

    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.name}: {self.detail}"


def run_checks(checks: list[tuple[str, Callable[[], str]]]) -> Iterator[Outcome]:
    """Run each check; an exception is that check's failure, never the end of the run."""
    for name, check in checks:
        try:
            yield Outcome(name, True, check())
        except Exception as error:
            yield Outcome(name, False, f"{type(error).__name__}: {error}")


def _database() -> str:
    with tempfile.TemporaryDirectory(prefix="packbench-self-test-") as folder:
        file = Path(folder) / "station.sqlite3"
        engine = create_db_engine(f"sqlite:///{file}")
        try:
            ensure_schema(engine, file)
            revision = current_revision(engine)
        finally:
            engine.dispose()
    if revision != head_revision():
        raise RuntimeError(f"migrated to {revision}, not to the head {head_revision()}")
    return f"a new database migrated to {revision}"


_FROM = Party("Packbench Demo Warehouse", ("Unit 4, Riverside Park", "Leeds LS10 1AB"), "GB")
_TO = Party("Jürgen Müller", ("Friedrichstraße 43", "10117 Berlin"), "DE")


def sample_label() -> ShippingLabel:
    """A whole label with German umlauts (also the settings dialog's test label)."""
    return ShippingLabel(
        sscc=sscc(0, "0614141", 1),
        ship_to=_TO,
        ship_from=_FROM,
        order_number="100001",
        shipment_number="ST-01-S000001",
        parcel_no=1,
        parcel_count=1,
        weight_g=1250,
        carrier="DHL",
        service="Paket",
        box="M",
    )


def _label() -> str:
    label = sample_label()
    zpl = shipping_label_zpl(label)
    pdf = shipping_label_pdf(label)
    _is_pdf(pdf)
    return f"ZPL {len(zpl)} bytes, PDF {len(pdf)} bytes"


def _slip() -> str:
    slip = PackingSlip(
        order_number="100001",
        shipment_number="ST-01-S000001",
        placed_at=dt.date(2026, 5, 12),
        ship_to=_TO,
        ship_from=_FROM,
        lines=(SlipLine("SKU-1", "Blue mug, 350 ml", 2, 2, 0, 0),),
        parcel_count=1,
        partial=False,
    )
    pdf = packing_slip_pdf(slip)
    _is_pdf(pdf)
    return f"PDF {len(pdf)} bytes"


def _invoice() -> str:
    net, tax = Decimal("20.00"), Decimal("3.80")
    document = InvoiceDocument(
        kind=DocumentKind.INVOICE,
        number="INV-ST01-2026-000001",
        issued_on=dt.date(2026, 5, 12),
        currency="EUR",
        locale="de_DE",
        seller=_FROM,
        seller_tax_id="GB123456789",
        bill_to=_TO,
        ship_to=_TO,
        order_number="100001",
        lines=(
            InvoiceLine(
                sku="SKU-1",
                name="Blue mug, 350 ml",
                quantity=2,
                unit_price=Decimal("10.00"),
                discount=Decimal(0),
                tax_rate=Decimal("0.19"),
                net=net,
                gross=net + tax,
                shipment_number=None,
                sscc=None,
            ),
        ),
        tax_breakdown=(TaxBreakdownRow(Decimal("0.19"), net, tax, net + tax),),
        net_total=net,
        tax_total=tax,
        gross_total=net + tax,
        payment_terms="Payable within 30 days of the invoice date.",
    )
    pdf = invoice_pdf(document)
    _is_pdf(pdf)
    return f"PDF {len(pdf)} bytes"


def _is_pdf(data: bytes) -> None:
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-64:]:
        raise RuntimeError("the PDF drawn is not a whole PDF file")


def _gs1() -> str:
    scan = "]C1010950110153000317270101" + "\x1d" + "10ABC123"
    parsed = parse_gs1(scan.removeprefix("]C1"), separator_chars=("\x1d",))
    if not parsed.ok or parsed.gtin != "09501101530003" or parsed.lot != "ABC123":
        raise RuntimeError(f"read as {parsed!r}")
    return f"GTIN {parsed.gtin}, lot {parsed.lot}, expiry {parsed.expiry}"


CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("database", _database),
    ("label", _label),
    ("packing slip", _slip),
    ("invoice", _invoice),
    ("GS1 scan", _gs1),
]
