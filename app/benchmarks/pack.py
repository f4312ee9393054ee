"""Pack benchmark: an item scan committed, a ZPL label, a PDF label, each next to its floor.

1. ``pack-scan``: ``app.services.packing.pack_item`` on an open order in a station's own
   SQLite file (WAL, synchronous=FULL), from the decoded scan to the scan row committed and
   the screen's view of the order's lines made, one scan at a time. Floor: a bare sqlite3
   connection to a file with the same settings inserting one row and committing.
2. ``pack-zpl``: ``printing.zpl.shipping_label_zpl`` per label. Floor: one f-string of the
   same size with the same values, encoded to UTF-8.
3. ``pack-pdf``: ``printing.pdf.shipping_label_pdf`` per label (barcode and QR included).
   Floor: a bare reportlab 4x6 page with the same text and nothing else. The two are timed
   turn about, label by label, and their medians compared. Goal: ratio <= 2.
"""

from __future__ import annotations

import io
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from app.benchmarks import percentiles_ms
from app.bootstrap import Station, open_station
from app.config import load_config
from app.db.models import Allocation, Bin, Order, OrderLine, Product, StockLevel
from app.domain.status import OrderStatus
from app.domain.users import Actor, Role, permissions_of
from app.services import packing
from printing.documents import Party, ShippingLabel
from printing.pdf import shipping_label_pdf
from printing.zpl import shipping_label_zpl

DEFAULT_SCANS = 2_000
ZPL_LABELS = 20_000
PDF_LABELS = 200

Emit = Callable[[dict[str, object]], None]


def run(n: int | None, emit: Emit) -> None:
    scans = n or DEFAULT_SCANS
    with tempfile.TemporaryDirectory(prefix="packbench-bench-pack-") as tmp:
        folder = Path(tmp)
        _scan(folder, scans, emit)
    _zpl(emit)
    _pdf(emit)


def _ratio(ours: dict[str, float], floor: dict[str, float]) -> dict[str, float]:
    return {
        "floor_p50_ms": floor["p50_ms"],
        "floor_p99_ms": floor["p99_ms"],
        "ratio_p50": round(ours["p50_ms"] / floor["p50_ms"], 2),
        "ratio_p99": round(ours["p99_ms"] / floor["p99_ms"], 2),
    }


# --- scans ---------------------------------------------------------------------------------


def _scan(folder: Path, n: int, emit: Emit) -> None:
    floor = _floor_inserts(folder / "floor.sqlite3", n)
    emit(
        {
            "bench": "pack-scan-floor",
            "n": n,
            **floor,
            "what": "bare sqlite3 INSERT of one row + COMMIT, WAL, synchronous=FULL",
        }
    )
    station = open_station(
        load_config({"PACKBENCH_HOME": str(folder / "home"), "PACKBENCH_STATION": "ST-BENCH"})
    )
    try:
        product_id = _one_big_order(station, n)
        actor = Actor(1, "Bench", Role.PACKER, permissions_of(Role.PACKER), "ST-BENCH")
        session_id = packing.open_order(station, actor, "900001").session_id
        took = []
        for _ in range(n):
            start = time.perf_counter()
            packing.pack_item(station, actor, session_id, product_id, 1, shown="BENCH-SKU")
            took.append(time.perf_counter() - start)
    finally:
        station.close()
    ours = percentiles_ms(took)
    emit(
        {
            "bench": "pack-scan",
            "n": n,
            **ours,
            **_ratio(ours, floor),
            "what": "packing.pack_item: session read, checked, scan row committed, view made",
        }
    )


def _floor_inserts(path: Path, n: int) -> dict[str, float]:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE scans (id INTEGER PRIMARY KEY, line INTEGER, units INTEGER)")
    took = []
    for i in range(n):
        start = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO scans (line, units) VALUES (?, 1)", (i,))
        db.execute("COMMIT")
        took.append(time.perf_counter() - start)
    db.close()
    return percentiles_ms(took)


def _one_big_order(station: Station, units: int) -> int:
    """An allocated order of ``units`` of one product, written straight into the station."""
    with station.local() as uow:
        s = uow.session
        product = Product(sku="BENCH-SKU", name="Bench item", weight_g=100, price=Decimal(1))
        bin_ = Bin(code="A-01-1", zone="A", walk_sequence=1)
        s.add_all([product, bin_])
        s.flush()
        s.add(StockLevel(product_id=product.id, bin_id=bin_.id, on_hand=units, committed=units))
        order = Order(
            number="900001",
            channel="manual",
            external_id="bench",
            currency="GBP",
            status=OrderStatus.ALLOCATED,
        )
        order.lines.append(
            OrderLine(
                line_no=1,
                product_id=product.id,
                sku=product.sku,
                name=product.name,
                quantity_ordered=units,
                quantity_allocated=units,
                unit_price=Decimal(1),
            )
        )
        s.add(order)
        s.flush()
        s.add(
            Allocation(
                order_line_id=order.lines[0].id,
                bin_id=bin_.id,
                product_id=product.id,
                quantity=units,
            )
        )
        uow.commit()
        return product.id


# --- labels --------------------------------------------------------------------------------


# Labels go to people with other names in other letters: a label's font subsets differ.
_SHIP_TO = (
    Party("Jürgen Müller", ("Friedrichstraße 43", "10117 Berlin"), "DE"),
    Party("Zoë Ødegård", ("Bygdøy allé 12", "0262 Oslo"), "NO"),
    Party("François Lefèvre", ("12, rue de l'Église", "69002 Lyon"), "FR"),
    Party("Łukasz Wójcik", ("ul. Źródlana 7", "31-546 Kraków"), "PL"),
    Party("Ana Núñez", ("Calle de Alcalá 48", "28014 Madrid"), "ES"),
    Party("Sam Okafor", ("4 Canal Street", "Manchester M1 3HE"), "GB"),
    Party("Γιώργος Παπαδόπουλος", ("Οδός Ερμού 20", "105 63 Αθήνα"), "GR"),
)


def _label(i: int) -> ShippingLabel:
    from app.domain.packing import sscc

    return ShippingLabel(
        sscc=sscc(0, "0614141", i),
        ship_to=_SHIP_TO[i % len(_SHIP_TO)],
        ship_from=Party("Packbench Demo Warehouse", ("Unit 4, Riverside Park", "Leeds"), "GB"),
        order_number=f"{100000 + i}",
        shipment_number=f"ST-01-S{i:06d}",
        parcel_no=1,
        parcel_count=2,
        weight_g=1250 + i % 500,
        carrier="DHL",
        service="Paket",
        box="M",
    )


def _zpl(emit: Emit) -> None:
    labels = [_label(i) for i in range(1, 201)]
    size = len(shipping_label_zpl(labels[0]))
    template = "X" * max(size - 200, 0) + "{}{}{}{}{}{}{}{}"

    def floor(x: ShippingLabel) -> bytes:
        return template.format(
            x.ship_to.name,
            x.ship_to.lines[0],
            x.order_number,
            x.shipment_number,
            x.parcel_no,
            x.parcel_count,
            x.weight_g,
            x.sscc,
        ).encode()

    floor_us = _per_item_us(lambda i: floor(labels[i % 200]), ZPL_LABELS)
    ours_us = _per_item_us(lambda i: shipping_label_zpl(labels[i % 200]), ZPL_LABELS)
    emit(
        {
            "bench": "pack-zpl",
            "n": ZPL_LABELS,
            "bytes": size,
            "per_label_us": round(ours_us, 2),
            "floor_per_label_us": round(floor_us, 2),
            "ratio": round(ours_us / floor_us, 2),
            "what": "shipping_label_zpl vs an f-string of the same size, UTF-8 encoded",
        }
    )


def _pdf(emit: Emit) -> None:
    from reportlab.lib.units import inch
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from printing.fonts import REGULAR, font_file

    # The floor is bare reportlab: the label's Noto Sans file read by reportlab's own TTFont,
    # which makes its subset anew in every document (the label's fonts keep theirs).
    font = "PackbenchBenchFloorNotoSans"
    pdfmetrics.registerFont(TTFont(font, str(font_file(REGULAR))))
    labels = [_label(i) for i in range(1, PDF_LABELS + 1)]

    def floor(x: ShippingLabel) -> bytes:
        out = io.BytesIO()
        page = Canvas(out, pagesize=(4 * inch, 6 * inch))
        y = 6 * inch - 30
        for text in (
            x.ship_from.name,
            *x.ship_from.lines,
            x.ship_to.name,
            *x.ship_to.lines,
            f"Order {x.order_number}",
            f"Shipment {x.shipment_number}",
            f"Parcel {x.parcel_no} of {x.parcel_count}",
            x.weight_text,
            x.sscc_hri,
        ):
            page.setFont(font, 12)  # the same Noto Sans as the label, embedded
            page.drawString(20, y, text)
            y -= 16
        page.showPage()
        page.save()
        return out.getvalue()

    floor_us, ours_us = _alternating_median_us(
        lambda i: floor(labels[i]), lambda i: shipping_label_pdf(labels[i]), PDF_LABELS
    )
    emit(
        {
            "bench": "pack-pdf",
            "n": PDF_LABELS,
            "per_label_ms": round(ours_us / 1000, 3),
            "floor_per_label_ms": round(floor_us / 1000, 3),
            "ratio": round(ours_us / floor_us, 2),
            "goal_ratio": 2.0,
            "what": "shipping_label_pdf (GS1-128 + QR) vs a bare reportlab 4x6 page, same text "
            "and font",
        }
    )


def _alternating_median_us(
    floor: Callable[[int], object], ours: Callable[[int], object], n: int
) -> tuple[float, float]:
    """Median µs of each, timed turn about: a burst of other work on a shared machine then
    falls on both alike instead of on whichever ran during it."""
    floor(0)  # warm: imports, font registration
    ours(0)
    floor_times: list[float] = []
    our_times: list[float] = []
    for i in range(n):
        for work, times in ((floor, floor_times), (ours, our_times)):
            start = time.perf_counter()
            work(i)
            times.append(time.perf_counter() - start)
    return statistics.median(floor_times) * 1e6, statistics.median(our_times) * 1e6


def _per_item_us(work: Callable[[int], object], n: int) -> float:
    work(0)  # warm: imports, font registration, templates
    start = time.perf_counter()
    for i in range(n):
        work(i)
    return (time.perf_counter() - start) / n * 1e6
