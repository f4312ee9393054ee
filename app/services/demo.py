"""Demo data: a believable warehouse with orders in every state, made from a seed.

A new user, a sales laptop and the UI tests all need a store that looks lived in: a real
catalogue (resources/demo/products.csv, from the UCI Online Retail data), customers in many
countries and scripts, and orders at every step of the lifecycle with stock, allocations and
quantities that agree with each other. ``build_demo_dataset`` makes the rows without touching a
database (deterministic for a seed, so tests can check them); ``load_demo`` bulk-inserts them
with SQLAlchemy Core in one transaction.
"""

from __future__ import annotations

import csv
import io
import json
import random
import secrets
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cache
from importlib.resources import files
from itertools import accumulate
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, func, insert, select, text, update
from sqlalchemy.orm import Session, selectinload

from app.db.fulfilment import ItemRecord, ParcelRecord, ShipmentRecord, write_shipment
from app.db.models import (
    DEFAULT_WAREHOUSE_ID,
    Address,
    Allocation,
    Base,
    Bin,
    Customer,
    Invoice,
    Order,
    OrderLine,
    PackSession,
    Product,
    ProductBarcode,
    ReturnRecord,
    Setting,
    Shipment,
    StockLevel,
    User,
    Warehouse,
)
from app.db.session import unit_of_work_factory
from app.domain.barcodes import BarcodeKind, gs1_check_digit, make_gtin13, normalize_gtin
from app.domain.errors import DomainError
from app.domain.invoicing import Selection
from app.domain.money import round_money
from app.domain.orders import LineQuantities
from app.domain.status import OrderStatus
from app.domain.stock import BinStock, allocate, pack, pick, quarantine
from app.domain.users import (
    Actor,
    Permission,
    Role,
    badge_lookup_hash,
    check_new_pin,
    hash_secret,
    permissions_of,
)
from app.services.auth import BADGE_SALT_KEY
from app.services.packing import Bench, next_shipment_number, next_sscc
from app.sync.clock import next_change_seq

Row = dict[str, Any]
S = OrderStatus

DEMO_SETTING_KEY = "demo"


@dataclass(frozen=True)
class DemoUser:
    """A demo sign-in: scan ``badge``, or pick ``name`` and type ``pin``."""

    name: str
    role: Role
    badge: str
    pin: str
    grants: frozenset[Permission] = frozenset()


# Fixed, so the README and a trainer can hand them out. Every PIN passes check_new_pin.
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("Priya Shah", Role.PICKER, "B-PICK-01", "4826"),
    DemoUser("Tomasz Nowak", Role.PACKER, "B-PACK-01", "5173"),
    DemoUser(
        "Grace O'Neill", Role.PACKER, "B-PACK-02", "6391", frozenset({Permission.SHIP_PARTIAL})
    ),
    DemoUser("Sam Okafor", Role.RETURNS, "B-RET-01", "7048"),
    DemoUser("Helen Marsh", Role.SUPERVISOR, "B-SUP-01", "8264"),
    DemoUser("Alex Morgan", Role.ADMIN, "B-ADMIN-01", "305871"),
)

# Fixed GBP exchange rates: the demo must come out the same every time it is built.
GBP_RATES: dict[str, Decimal] = {
    "GBP": Decimal("1"),
    "EUR": Decimal("1.17"),
    "USD": Decimal("1.27"),
    "PLN": Decimal("5.05"),
    "SEK": Decimal("13.60"),
    "UAH": Decimal("52.50"),
    "JPY": Decimal("190"),
    "CNY": Decimal("9.20"),
    "KRW": Decimal("1720"),
}

# Share of orders per status: most are well on their way, every state is there to look at.
STATUS_SHARES: dict[OrderStatus, float] = {
    S.DRAFT: 0.02,
    S.IMPORTED: 0.05,
    S.ON_HOLD: 0.06,
    S.FINALIZED: 0.08,
    S.ALLOCATED: 0.12,
    S.PICKING: 0.04,
    S.PICKED: 0.05,
    S.PACKING: 0.03,
    S.PARTIALLY_SHIPPED: 0.03,
    S.SHIPPED: 0.14,
    S.FULFILLED: 0.30,
    S.PARTIALLY_RETURNED: 0.025,
    S.RETURNED: 0.015,
    S.VOID: 0.04,
}
# How many days ago orders in each status were placed (older orders have got further).
STATUS_AGE_DAYS: dict[OrderStatus, tuple[float, float]] = {
    S.DRAFT: (0, 2),
    S.IMPORTED: (0, 1),
    S.ON_HOLD: (0, 6),
    S.FINALIZED: (0, 2),
    S.ALLOCATED: (0, 3),
    S.PICKING: (0, 1),
    S.PICKED: (0, 2),
    S.PACKING: (0, 1),
    S.PARTIALLY_SHIPPED: (1, 12),
    S.SHIPPED: (0.5, 7),
    S.FULFILLED: (3, 60),
    S.PARTIALLY_RETURNED: (12, 60),
    S.RETURNED: (12, 60),
    S.VOID: (0, 60),
}
# Statuses whose open lines hold stock in the bins.
ALLOCATING_STATUSES = frozenset({S.ALLOCATED, S.PICKING, S.PICKED, S.PACKING, S.PARTIALLY_SHIPPED})
# Statuses where everything ordered has left the building.
ALL_SHIPPED_STATUSES = frozenset({S.SHIPPED, S.FULFILLED, S.PARTIALLY_RETURNED, S.RETURNED})

CHANNEL_WEIGHTS = {
    "shopify": 30,
    "woocommerce": 25,
    "magento": 12,
    "bigcommerce": 10,
    "csv": 10,
    "manual": 8,
}

HOLD_FIRST_ORDER = "First order over £250: check the payment before releasing"
HOLD_COUNTRIES_DIFFER = "Billing and shipping country differ"
HOLD_PERSONALISED = "Personalised item: check the engraving text"
HOLD_NO_HOUSE_NUMBER = "Address missing house number"
OTHER_HOLD_REASONS = (
    "Postcode does not match the city",
    "E-mail address looks mistyped: confirm with the customer",
    "Customer asked to change the delivery address",
    "Fraud score high at the sales channel: check the payment",
    "Parcel locker delivery: check the parcel will fit",
    "Second order from this customer today: ship them together?",
)
VOID_REASONS = (
    "Customer cancelled by e-mail",
    "Duplicate of an earlier order",
    "Payment failed at the sales channel",
    "Out of stock: customer did not want to wait",
    "Fraud check failed",
    "Address undeliverable and the customer did not reply",
    "Test order from the shop set-up",
)
ENGRAVINGS = (
    "Happy 40th, Sam!",
    "For Nana, with love",
    "Jürgen & Ana 2026",
    "Best teacher ever",
    "Welcome, baby Zoë",
    "Merry Christmas, Oisín",
    "Für Oma",
    "Félicitations !",
)

_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # as in UK postcodes: no letters that pass for digits
_EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
_ASCII_FOLD = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "ı": "i",
        "đ": "d",
        "'": "",
        " ": "",
        "-": "",
    }
)


# --- the dataset ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoDataset:
    """Rows for every demo table, keyed by column name, ids already assigned."""

    seed: int
    now: datetime
    # Warehouse 1 (MAIN, made by migration 0010) is Leeds; these are the other two.
    main_warehouse: Row = field(default_factory=dict)
    warehouses: list[Row] = field(default_factory=list)
    products: list[Row] = field(default_factory=list)
    product_barcodes: list[Row] = field(default_factory=list)
    bins: list[Row] = field(default_factory=list)
    stock_levels: list[Row] = field(default_factory=list)
    customers: list[Row] = field(default_factory=list)
    addresses: list[Row] = field(default_factory=list)
    orders: list[Row] = field(default_factory=list)
    order_lines: list[Row] = field(default_factory=list)
    allocations: list[Row] = field(default_factory=list)

    def tables(self) -> list[tuple[Table, list[Row]]]:
        """Each table with its rows, parents before children (the order to insert them)."""
        return [
            (_table(Warehouse), self.warehouses),
            (_table(Product), self.products),
            (_table(ProductBarcode), self.product_barcodes),
            (_table(Bin), self.bins),
            (_table(StockLevel), self.stock_levels),
            (_table(Customer), self.customers),
            (_table(Address), self.addresses),
            (_table(Order), self.orders),
            (_table(OrderLine), self.order_lines),
            (_table(Allocation), self.allocations),
        ]

    def status_counts(self) -> Counter[OrderStatus]:
        return Counter(o["status"] for o in self.orders)

    def summary(self) -> dict[str, int]:
        """Rows per table, for the CLI and the log."""
        return {table.name: len(rows) for table, rows in self.tables()}


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


# --- resources --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _City:
    city: str
    region: str
    postcode: str


@dataclass(frozen=True)
class _Carrier:
    carrier: str
    service: str
    price_gbp: Decimal
    express: bool


@dataclass(frozen=True)
class _Country:
    """One country's pools from people.json."""

    code: str
    weight: float
    currency: str
    tax_rate: Decimal
    name_format: str
    given: dict[str, tuple[str, ...]]
    family: tuple[dict[str, str], ...]  # {"male": ..., "female": ...}, the same when neutral
    romanized: dict[str, str]
    companies: tuple[str, ...]
    streets: tuple[str, ...]
    line1_format: str
    house_numbers: tuple[str, ...]
    line2_formats: tuple[str, ...]
    cities: tuple[_City, ...]
    phone_formats: tuple[str, ...]
    carriers: tuple[_Carrier, ...]


def _resource_text(name: str) -> str:
    return (files("resources") / "demo" / name).read_text(encoding="utf-8")


@cache
def demo_catalogue() -> tuple[tuple[str, str, Decimal], ...]:
    """(sku, name, GBP price) of every product in resources/demo/products.csv."""
    reader = csv.DictReader(io.StringIO(_resource_text("products.csv")))
    return tuple((r["sku"], r["name"], Decimal(r["price"])) for r in reader)


@cache
def _countries() -> tuple[_Country, ...]:
    data = json.loads(_resource_text("people.json"))["countries"]
    countries = []
    for code, c in data.items():
        family = tuple(
            f if isinstance(f, dict) else {"male": f, "female": f} for f in c["family_names"]
        )
        countries.append(
            _Country(
                code=code,
                weight=float(c["weight"]),
                currency=c["currency"],
                tax_rate=Decimal(c["tax_rate"]),
                name_format=c["name_format"],
                given={g: tuple(names) for g, names in c["given_names"].items()},
                family=family,
                romanized=dict(c.get("romanized", {})),
                companies=tuple(c["companies"]),
                streets=tuple(c["streets"]),
                line1_format=c["line1_format"],
                house_numbers=tuple(c["house_numbers"]),
                line2_formats=tuple(c["line2_formats"]),
                cities=tuple(_City(**city) for city in c["cities"]),
                phone_formats=tuple(c["phone_formats"]),
                carriers=tuple(
                    _Carrier(
                        k["carrier"], k["service"], Decimal(k["price_gbp"]), bool(k["express"])
                    )
                    for k in c["carriers"]
                ),
            )
        )
    return tuple(countries)


# --- small generators -------------------------------------------------------------------------


def _fill(pattern: str, rng: random.Random) -> str:
    """Expand a pattern: % a digit 1-9, # a digit 0-9, @ a capital letter."""
    out = []
    for ch in pattern:
        if ch == "%":
            out.append(rng.choice("123456789"))
        elif ch == "#":
            out.append(rng.choice("0123456789"))
        elif ch == "@":
            out.append(rng.choice(_LETTERS))
        else:
            out.append(ch)
    return "".join(out)


def _ascii(text: str, romanized: dict[str, str]) -> str:
    if text in romanized:
        return romanized[text]
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD))
    return "".join(c for c in folded if c.isascii() and c.isalnum()).lower()


@dataclass(frozen=True)
class _Person:
    name: str
    email: str
    phone: str


def _person(country: _Country, rng: random.Random) -> _Person:
    gender = rng.choice(("female", "male"))
    given = rng.choice(country.given[gender])
    family = rng.choice(country.family)[gender]
    family2 = rng.choice(country.family)[gender]
    name = country.name_format.format(given=given, family=family, family2=family2)
    first, last = _ascii(given, country.romanized), _ascii(family, country.romanized)
    local = rng.choice(
        (
            f"{first}.{last}",
            f"{first}{last}",
            f"{first[:1]}{last}",
            f"{first}.{last}{rng.randint(1, 99)}",
            f"{last}{rng.randint(60, 2009)}",
        )
    )
    email = f"{local or 'customer'}@{rng.choice(_EMAIL_DOMAINS)}"
    return _Person(name, email, _fill(rng.choice(country.phone_formats), rng))


def _weighted_index(rng: random.Random, n: int) -> int:
    """An index in range(n), the first ones likelier (carriers are listed commonest first)."""
    return rng.choices(range(n), weights=[1 / (i + 1) for i in range(n)])[0]


# --- building ---------------------------------------------------------------------------------


@dataclass
class _Line:
    """An order line while it is being built (quantities settle after allocation)."""

    row: Row
    product_id: int
    ordered: int
    shipped: int = 0


@dataclass
class _Build:
    rng: random.Random
    now: datetime
    ds: DemoDataset
    product_cum_weights: list[float] = field(default_factory=list)
    case_units: dict[int, int] = field(default_factory=dict)
    price_gbp: dict[int, Decimal] = field(default_factory=dict)
    product_bins: dict[int, list[int]] = field(default_factory=dict)
    bin_walk: dict[int, tuple[str, int]] = field(default_factory=dict)
    used_codes: set[str] = field(default_factory=set)

    def unique_code(self, make: Callable[[], str]) -> str:
        while True:
            code = make()
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code


def build_demo_dataset(
    seed: int = 7, orders: int = 2400, products: int = 600, *, now: datetime | None = None
) -> DemoDataset:
    """Every demo row, the same for the same seed and ``now`` (default: this hour, UTC).

    Pure apart from reading the resources: nothing touches a database, so the rows can be
    checked in tests and inserted in one go.
    """
    catalogue = demo_catalogue()
    if not 1 <= products <= len(catalogue):
        raise ValueError(f"the demo catalogue has {len(catalogue)} products; asked for {products}")
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    b = _Build(random.Random(seed), now, DemoDataset(seed=seed, now=now))
    _make_bins(b)
    _make_products(b, sorted(b.rng.sample(catalogue, products)))
    lines = _make_orders(b, orders)
    _stock_and_allocate(b, lines)
    _other_warehouses(b)
    return b.ds


# Leeds ships the demo's orders; Manchester and Berlin hold part of the range, so an order
# imported onto the demo ships whole from one, or only split (app/domain/warehouses.py).
_MAIN = {
    "name": "Leeds",
    "address_lines": ["Unit 4, Riverside Park", "Leeds LS9 0RP"],
    "country": "GB",
    "serves": ["GB"],
    "priority": 2,
}
_OTHERS = (
    ("MAN", "Manchester", ["Unit 12, Trafford Park", "Manchester M17 1AB"], "GB", ["GB", "IE"], 1),
    ("BER", "Berlin", ["Lagerstraße 8", "12347 Berlin"], "DE", ["DE", "AT", "CH", "NL"], 0),
)


def _other_warehouses(b: _Build) -> None:
    """MAN and BER with 80 shelf bins each (the same codes as Leeds' zone A: a bin code is
    unique within its warehouse) and stock of about half the products each."""
    b.ds.main_warehouse.update(_MAIN)
    shares = {"MAN": 0.45, "BER": 0.35}
    for n, (code, name, lines, country, serves, priority) in enumerate(_OTHERS, 2):
        b.ds.warehouses.append(
            {
                "id": n,
                "code": code,
                "name": name,
                "address_lines": lines,
                "country": country,
                "serves": serves,
                "priority": priority,
                "active": True,
            }
        )
        first = len(b.ds.bins) + 1
        for bay in range(1, 21):
            for level in range(1, 5):
                b.ds.bins.append(
                    {
                        "id": len(b.ds.bins) + 1,
                        "warehouse_id": n,
                        "code": f"A-{bay:02d}-{level}",
                        "zone": "A",
                        "walk_sequence": (bay * 4 + level) * 10,
                    }
                )
        for product in b.ds.products:
            if b.rng.random() < shares[code]:
                b.ds.stock_levels.append(
                    {
                        "product_id": product["id"],
                        "bin_id": first + product["id"] % 80,
                        "warehouse_id": n,
                        "on_hand": b.rng.randint(2, 30),
                        "committed": 0,
                    }
                )


def _make_bins(b: _Build) -> None:
    """Shelving zones A, B and C (walked aisle by aisle, A nearest the benches), then bulk."""
    walk = 0
    for zone in "ABC":
        for bay in range(1, 21):
            for level in range(1, 5):
                walk += 10
                b.ds.bins.append(
                    {
                        "id": len(b.ds.bins) + 1,
                        "warehouse_id": DEFAULT_WAREHOUSE_ID,
                        "code": f"{zone}-{bay:02d}-{level}",
                        "zone": zone,
                        "walk_sequence": walk,
                    }
                )
    for n in range(1, 13):
        walk += 10
        b.ds.bins.append(
            {
                "id": len(b.ds.bins) + 1,
                "warehouse_id": DEFAULT_WAREHOUSE_ID,
                "code": f"BULK-{n:02d}",
                "zone": "BULK",
                "walk_sequence": walk,
            }
        )
    b.bin_walk = {r["id"]: (r["code"], r["walk_sequence"]) for r in b.ds.bins}


def _make_products(b: _Build, picked: list[tuple[str, str, Decimal]]) -> None:
    rng = b.rng
    popularity = list(range(len(picked)))
    rng.shuffle(popularity)  # rank of each product: rank 0 sells most
    b.product_cum_weights = list(accumulate(1 / (rank + 8) for rank in popularity))
    shelves = {z: [r["id"] for r in b.ds.bins if r["zone"] == z] for z in "ABC"}
    bulk = [r["id"] for r in b.ds.bins if r["zone"] == "BULK"]
    third = len(picked) / 3
    for index, (sku, name, price) in enumerate(picked):
        product_id = index + 1
        tracking = rng.random()
        weight_g = max(15, int(rng.lognormvariate(0, 0.5) * (60 + float(price) * 70)))
        volume_cm3 = weight_g / rng.uniform(0.15, 0.7)
        sides = sorted(
            (rng.uniform(1, 3), rng.uniform(0.6, 1.5), rng.uniform(0.2, 1)), reverse=True
        )
        scale = (volume_cm3 / (sides[0] * sides[1] * sides[2])) ** (1 / 3) * 10
        length, width, height = (max(5, round(s * scale)) for s in sides)
        b.ds.products.append(
            {
                "id": product_id,
                "sku": sku,
                "name": name,
                "weight_g": weight_g,
                "length_mm": length,
                "width_mm": width,
                "height_mm": height,
                "price": price,
                "currency": "GBP",
                "serial_tracked": tracking < 0.05,
                "lot_tracked": 0.05 <= tracking < 0.10,
                "incomplete": False,
                "updated_at": b.now - timedelta(days=rng.uniform(60, 400)),
            }
        )
        b.price_gbp[product_id] = price
        _make_barcodes(b, product_id)
        # ABC slotting: the best sellers live in zone A, nearest the packing benches.
        zone = "ABC"[min(2, int(popularity[index] / third))]
        homes = [rng.choice(shelves[zone])]
        if rng.random() < 0.15:
            homes.append(rng.choice(bulk))
        elif rng.random() < 0.06:
            homes.append(rng.choice(shelves["C"]))
        b.product_bins[product_id] = homes


def _make_barcodes(b: _Build, product_id: int) -> None:
    """A GTIN-13 in the GS1 restricted-circulation range (20), some case codes and aliases."""
    rng = b.rng
    unit = b.unique_code(lambda: make_gtin13(f"20{rng.randrange(10**10):010d}"))
    rows = [(normalize_gtin(unit), BarcodeKind.GTIN, 1)]
    if rng.random() < 0.2:
        units = rng.choice((6, 12))
        if rng.random() < 0.7:  # GTIN-14: packaging indicator + the unit's GTIN without check
            body = f"{1 if units == 6 else 2}{unit[:12]}"
            case = b.unique_code(lambda: body + gs1_check_digit(body))
        else:
            case = b.unique_code(lambda: make_gtin13(f"21{rng.randrange(10**10):010d}"))
        rows.append((normalize_gtin(case), BarcodeKind.GTIN, units))
        b.case_units[product_id] = units
    if rng.random() < 0.1:
        rows.append(
            (b.unique_code(lambda: f"SUP-{rng.randrange(10**6):06d}"), BarcodeKind.ALIAS, 1)
        )
    for code, kind, units in rows:
        b.ds.product_barcodes.append(
            {
                "id": len(b.ds.product_barcodes) + 1,
                "product_id": product_id,
                "code": code,
                "kind": kind,
                "units": units,
            }
        )


def _status_plan(rng: random.Random, orders: int) -> list[OrderStatus]:
    """Exactly the shares above (at least one of each when there is room), shuffled."""
    counts = {s: int(share * orders) for s, share in STATUS_SHARES.items()}
    if orders >= len(STATUS_SHARES):
        counts = {s: max(1, n) for s, n in counts.items()}
    while sum(counts.values()) > orders:
        counts[max(counts, key=lambda s: counts[s])] -= 1
    counts[S.FULFILLED] += orders - sum(counts.values())
    plan = [s for s, n in counts.items() for _ in range(n)]
    rng.shuffle(plan)
    return plan


class _ExternalIds:
    """Plausible order and line ids per sales channel, rising with time."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.order = {
            "woocommerce": 48210,
            "shopify": 5820136400000,
            "bigcommerce": 21840,
            "magento": 12040,
            "csv": 0,
        }
        self.line = {
            "woocommerce": 91020,
            "shopify": 14690552100000,
            "bigcommerce": 3310,
            "magento": 30550,
        }
        self.customer = {
            "woocommerce": 310,
            "shopify": 7410283600000,
            "bigcommerce": 1120,
            "magento": 2480,
        }

    def order_id(self, channel: str, number: str, placed: datetime) -> str:
        if channel == "manual":
            return f"M-{number}"
        step = self.rng.randint(1000, 90000) if channel == "shopify" else self.rng.randint(1, 3)
        self.order[channel] += step
        n = self.order[channel]
        if channel == "magento":
            return f"{n:09d}"
        if channel == "csv":
            return f"CSV-{placed:%Y%m%d}-{n:05d}"
        return str(n)

    def line_id(self, channel: str) -> str | None:
        if channel not in self.line:
            return None
        self.line[channel] += self.rng.randint(1, 4) if channel != "shopify" else 1021
        return str(self.line[channel])

    def customer_ref(self, channel: str) -> str | None:
        if channel not in self.customer:
            return None
        self.customer[channel] += self.rng.randint(1, 5) if channel != "shopify" else 104729
        return str(self.customer[channel])


@dataclass
class _CustomerInfo:
    id: int
    country: _Country
    address_id: int
    orders: int = 0


def _make_orders(b: _Build, count: int) -> list[tuple[Row, list[_Line]]]:
    rng = b.rng
    countries = _countries()
    country_weights = [c.weight for c in countries]
    plan = _status_plan(rng, count)
    placed = [
        b.now - timedelta(seconds=int(rng.uniform(*STATUS_AGE_DAYS[s]) * 86400) + 60) for s in plan
    ]
    ids = _ExternalIds(rng)
    customers: list[_CustomerInfo] = []
    channels, channel_weights = list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values())
    built: list[tuple[Row, list[_Line]]] = []
    for index, (placed_at, status) in enumerate(sorted(zip(placed, plan, strict=True))):
        order_id = index + 1
        number = str(100001 + index)
        if status is S.DRAFT:
            channel = "manual"
        else:
            channel = rng.choices(channels, weights=channel_weights)[0]
            while status is S.IMPORTED and channel == "manual":
                channel = rng.choices(channels, weights=channel_weights)[0]

        returning = bool(customers) and rng.random() < 0.3
        if returning:
            customer = rng.choice(customers)
        else:
            country = rng.choices(countries, weights=country_weights)[0]
            customer = _new_customer(b, country, channel, ids)
            customers.append(customer)
        customer.orders += 1
        first_order = customer.orders == 1
        country = customer.country

        reasons: list[str] = []
        if status is S.ON_HOLD:
            reasons = _hold_reasons(rng, first_order)
        ship_to = bill_to = customer.address_id
        if HOLD_NO_HOUSE_NUMBER in reasons:
            ship_to = _address(b, country, customer.id, _name_of(b, customer), no_number=True)
        elif returning and rng.random() < 0.1:  # a gift sent to someone else
            ship_to = _address(b, country, customer.id, _person(country, rng).name)
        if HOLD_COUNTRIES_DIFFER in reasons:
            elsewhere = rng.choice([c for c in countries if c.code != country.code])
            bill_to = _address(b, elsewhere, customer.id, _name_of(b, customer))

        carrier = country.carriers[_weighted_index(rng, len(country.carriers))]
        priority = 1 if carrier.express else 0
        if rng.random() < 0.04:
            priority = 2  # a rush the supervisor set by hand
        lines = _make_lines(
            b,
            order_id,
            channel,
            country,
            ids,
            big=HOLD_FIRST_ORDER in reasons,
            personalised=HOLD_PERSONALISED in reasons or rng.random() < 0.03,
        )
        goods_gbp = sum((b.price_gbp[ln.product_id] * ln.ordered for ln in lines), Decimal(0))
        free = not carrier.express and goods_gbp >= 60
        shipping = (
            Decimal(0)
            if free
            else round_money(carrier.price_gbp * GBP_RATES[country.currency], country.currency)
        )
        order = {
            "id": order_id,
            "number": number,
            "channel": channel,
            "external_id": ids.order_id(channel, number, placed_at),
            "customer_id": customer.id,
            "ship_to_id": ship_to,
            "bill_to_id": bill_to,
            "currency": country.currency,
            "priority": priority,
            "carrier": carrier.carrier,
            "service": carrier.service,
            "status": status,
            "hold_reasons": reasons,
            "void_reason": rng.choice(VOID_REASONS) if status is S.VOID else None,
            "shipping_total": shipping,
            "placed_at": placed_at,
            "updated_at": min(b.now, placed_at + timedelta(hours=rng.uniform(0.1, 30))),
            "version": 1,
        }
        _plan_shipments(rng, status, lines)
        b.ds.orders.append(order)
        built.append((order, lines))
    return built


def _new_customer(b: _Build, country: _Country, channel: str, ids: _ExternalIds) -> _CustomerInfo:
    person = _person(country, b.rng)
    customer_id = len(b.ds.customers) + 1
    b.ds.customers.append(
        {
            "id": customer_id,
            "name": person.name,
            "email": person.email,
            "phone": person.phone,
            "channel_ref": ids.customer_ref(channel),
        }
    )
    address_id = _address(b, country, customer_id, person.name, phone=person.phone)
    return _CustomerInfo(customer_id, country, address_id)


def _name_of(b: _Build, customer: _CustomerInfo) -> str:
    return cast(str, b.ds.customers[customer.id - 1]["name"])


def _address(
    b: _Build,
    country: _Country,
    customer_id: int,
    name: str,
    *,
    phone: str | None = None,
    no_number: bool = False,
) -> int:
    rng = b.rng
    street = rng.choice(country.streets)
    if no_number:
        line1 = street
    else:
        number = _fill(rng.choice(country.house_numbers), rng)
        line1 = country.line1_format.format(street=street, number=number)
    city = rng.choice(country.cities)
    address_id = len(b.ds.addresses) + 1
    b.ds.addresses.append(
        {
            "id": address_id,
            "customer_id": customer_id,
            "name": name,
            "company": rng.choice(country.companies) if rng.random() < 0.12 else None,
            "line1": line1,
            "line2": _fill(rng.choice(country.line2_formats), rng) if rng.random() < 0.25 else None,
            "city": city.city,
            "region": city.region,
            "postcode": _fill(city.postcode, rng),
            "country": country.code,
            "phone": phone or _fill(rng.choice(country.phone_formats), rng),
        }
    )
    return address_id


def _hold_reasons(rng: random.Random, first_order: bool) -> list[str]:
    candidates = [
        HOLD_COUNTRIES_DIFFER,
        HOLD_PERSONALISED,
        HOLD_NO_HOUSE_NUMBER,
        *OTHER_HOLD_REASONS,
    ]
    if first_order:
        candidates += [HOLD_FIRST_ORDER] * 4  # the commonest hold of all
    reasons = [rng.choice(candidates)]
    if rng.random() < 0.2:
        other = rng.choice(candidates)
        if other not in reasons:
            reasons.append(other)
    return reasons


def _make_lines(
    b: _Build,
    order_id: int,
    channel: str,
    country: _Country,
    ids: _ExternalIds,
    *,
    big: bool,
    personalised: bool,
) -> list[_Line]:
    rng = b.rng
    n = rng.choices(range(1, 7), weights=(40, 25, 15, 10, 6, 4))[0]
    if big:
        n = max(n, 3)
    product_ids: list[int] = []
    while len(product_ids) < n:
        pid = rng.choices(range(1, len(b.ds.products) + 1), cum_weights=b.product_cum_weights)[0]
        if big and b.price_gbp[pid] < 5:
            continue
        if pid not in product_ids:
            product_ids.append(pid)
    quantities = []
    for pid in product_ids:
        case = b.case_units.get(pid)
        if case and rng.random() < 0.2:
            quantities.append(case * rng.choice((1, 1, 2)))
        else:
            quantities.append(
                rng.choices((1, 2, 3, 4, 5, 6, 10, 12), weights=(60, 20, 8, 5, 2, 3, 1, 1))[0]
            )
    engraved = rng.randrange(n) if personalised else -1
    if engraved >= 0:
        quantities[engraved] = 1  # each engraving is one of a kind
    if big:  # the rule fires on value, so make sure there is value
        total = sum(b.price_gbp[p] * q for p, q in zip(product_ids, quantities, strict=True))
        if total < 250:
            top = max(
                (i for i in range(n) if i != engraved), key=lambda i: b.price_gbp[product_ids[i]]
            )
            quantities[top] += int((250 - total) / b.price_gbp[product_ids[top]]) + 1
    lines = []
    for line_no, (pid, qty) in enumerate(zip(product_ids, quantities, strict=True), start=1):
        product = b.ds.products[pid - 1]
        name = product["name"]
        if line_no - 1 == engraved:
            name = f"{name} (engraved: {rng.choice(ENGRAVINGS)})"[:200]
        row = {
            "id": len(b.ds.order_lines) + 1,
            "order_id": order_id,
            "line_no": line_no,
            "product_id": pid,
            "sku": product["sku"],
            "name": name,
            "quantity_ordered": qty,
            "unit_price": round_money(
                b.price_gbp[pid] * GBP_RATES[country.currency], country.currency
            ),
            "tax_rate": country.tax_rate,
            "personalised": line_no - 1 == engraved,
            "external_line_id": ids.line_id(channel),
        }
        b.ds.order_lines.append(row)
        lines.append(_Line(row, pid, qty))
    return lines


def _plan_shipments(rng: random.Random, status: OrderStatus, lines: list[_Line]) -> None:
    """How much of each line has left the building, before any stock is allocated."""
    if status in ALL_SHIPPED_STATUSES:
        for line in lines:
            line.shipped = line.ordered
    elif status is S.PARTIALLY_SHIPPED:
        first = lines[0]
        if first.ordered < 2:  # a partial shipment needs something left behind
            first.ordered = first.row["quantity_ordered"] = 2
        first.shipped = rng.randint(1, first.ordered - 1)
        for line in lines[1:]:
            line.shipped = rng.choice((line.ordered, 0, rng.randint(0, line.ordered)))


def _stock_and_allocate(b: _Build, orders: list[tuple[Row, list[_Line]]]) -> None:
    """Stock generously for what open orders want, short on a few items, then allocate.

    Allocation runs oldest order first through the stock rules the services apply
    (``app.domain.stock.allocate``, from bins in walk order), so committed stock is the sum
    of the allocation rows and never exceeds what is on hand.
    """
    rng = b.rng
    demand: Counter[int] = Counter()
    for order, lines in orders:
        if order["status"] in ALLOCATING_STATUSES:
            for line in lines:
                demand[line.product_id] += line.ordered - line.shipped
    on_hand: dict[tuple[int, int], int] = {}
    for product in b.ds.products:
        pid = product["id"]
        want = demand[pid]
        roll = rng.random()
        if want >= 2 and roll < 0.03:
            total = want - rng.randint(1, min(3, want - 1))  # a few lines will stay short
        elif roll < 0.05:
            total = want  # sold out once these orders ship
        else:
            total = want + rng.randint(2, 40)
        homes = b.product_bins[pid]
        if len(homes) == 1:
            on_hand[(pid, homes[0])] = total
        else:
            face = min(total, rng.randint(3, 24))  # the pick face; the rest waits behind it
            on_hand[(pid, homes[0])] = face
            on_hand[(pid, homes[1])] = total - face
    stock: dict[int, dict[str, BinStock]] = {}
    bin_ids: dict[str, int] = {}
    for (pid, bin_id), quantity in on_hand.items():
        code, walk = b.bin_walk[bin_id]
        stock.setdefault(pid, {})[code] = BinStock(code, walk, quantity, 0)
        bin_ids[code] = bin_id
    for order, lines in orders:
        status = order["status"]
        for line in lines:
            done = line.shipped  # shipped before: allocated, picked and packed as far
            quantities = LineQuantities(line.ordered, done, done, done, done)
            if status in ALLOCATING_STATUSES and line.ordered > line.shipped:
                bins = stock[line.product_id]
                moved = allocate(quantities, {}, bins.values())
                bins.update(moved.bins)
                for code, quantity in moved.held.items():
                    b.ds.allocations.append(
                        {
                            "order_line_id": line.row["id"],
                            "bin_id": bin_ids[code],
                            "product_id": line.product_id,
                            "quantity": quantity,
                        }
                    )
                quantities = moved.line
            _settle_line(rng, status, line, quantities)
        if status is S.PARTIALLY_RETURNED:
            _return_part(rng, lines)
    for (pid, bin_id), quantity in sorted(on_hand.items()):
        if quantity > 0 or bin_id == b.product_bins[pid][0]:
            b.ds.stock_levels.append(
                {
                    "product_id": pid,
                    "bin_id": bin_id,
                    "warehouse_id": DEFAULT_WAREHOUSE_ID,
                    "on_hand": quantity,
                    "committed": stock[pid][b.bin_walk[bin_id][0]].committed,
                }
            )


def _settle_line(
    rng: random.Random, status: OrderStatus, line: _Line, quantities: LineQuantities
) -> None:
    """Picked, packed, invoiced and returned as far as the order's status has got, each step
    by the stock rules (app/domain/stock.py)."""
    q = quantities
    if status is S.PICKING:
        q = _steps(pick, q, rng.randint(0, q.allocated) - q.picked)
    elif status in (S.PICKED, S.PACKING):
        q = _steps(pick, q, q.allocated - q.picked)
        packed = rng.randint(0, q.picked) if status is S.PACKING else 0
        q = _steps(pack, q, packed - q.packed)
    # Orders long done were invoiced before Packbench; shipped and partly shipped ones are
    # invoiced (some, partly) by real invoices at the station: ``seed_invoices``.
    if status in (S.FULFILLED, S.PARTIALLY_RETURNED, S.RETURNED):
        q = replace(q, invoiced=q.shipped)  # raises if the demo ever contradicts itself
    if status is S.RETURNED:
        q = _steps(quarantine, q, q.shipped)
    line.row.update(
        quantity_allocated=q.allocated,
        quantity_picked=q.picked,
        quantity_packed=q.packed,
        quantity_shipped=q.shipped,
        quantity_invoiced=q.invoiced,
        quantity_returned=q.returned,
    )


def _steps(
    step: Callable[[LineQuantities, int], LineQuantities], q: LineQuantities, units: int
) -> LineQuantities:
    return step(q, units) if units > 0 else q


def _return_part(rng: random.Random, lines: list[_Line]) -> None:
    """Some, never all, of a shipped order has come back."""
    units = sum(line.shipped for line in lines)
    if units < 2:
        first = lines[0]
        first.ordered = first.shipped = 2
        first.row.update(
            quantity_ordered=2,
            quantity_allocated=2,
            quantity_picked=2,
            quantity_packed=2,
            quantity_shipped=2,
            quantity_invoiced=2,
        )
    back = rng.randint(1, sum(line.shipped for line in lines) - 1)
    for line in rng.sample(lines, len(lines)):
        take = min(back, line.shipped)
        r = line.row
        q = LineQuantities(
            r["quantity_ordered"],
            r["quantity_allocated"],
            r["quantity_picked"],
            r["quantity_packed"],
            r["quantity_shipped"],
            r["quantity_invoiced"],
        )
        r["quantity_returned"] = _steps(quarantine, q, take).returned
        back -= take


# --- loading ----------------------------------------------------------------------------------


def load_demo(engine: Engine, dataset: DemoDataset) -> None:
    """Insert the dataset and the demo users in one transaction, into an empty store.

    Refuses a store that already holds demo data or real orders: demo orders mixed with real
    ones could be picked, packed and shipped by mistake. Every synced row carries the change
    number of this transaction, so stations pull the demo like any other change.
    """
    with engine.begin() as conn:
        _refuse_unless_empty(conn)
        with Session(conn) as session:  # joins this transaction; closing it ends nothing
            seq = next_change_seq(session)
        salt_hex = conn.scalar(select(Setting.value).where(Setting.key == BADGE_SALT_KEY))
        settings = [{"key": DEMO_SETTING_KEY, "value": "1"}]
        if salt_hex is None:
            salt_hex = secrets.token_hex(16)
            settings.append({"key": BADGE_SALT_KEY, "value": salt_hex})
        conn.execute(insert(_table(Setting)), settings)
        if dataset.main_warehouse:
            conn.execute(
                update(_table(Warehouse))
                .where(_table(Warehouse).c.id == DEFAULT_WAREHOUSE_ID)
                .values(**dataset.main_warehouse, change_seq=seq)
            )
        for table, rows in dataset.tables():
            if rows:
                conn.execute(insert(table), _stamped(table, rows, seq))
                if conn.dialect.name == "postgresql" and "id" in table.c:
                    # Rows inserted with their ids: the next one made takes the one after.
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"(SELECT max(id) FROM {table.name}))"
                        )
                    )
        users = _user_rows(conn, bytes.fromhex(salt_hex))
        conn.execute(insert(_table(User)), _stamped(_table(User), users, seq))


def _stamped(table: Table, rows: list[Row], seq: int) -> list[Row]:
    """The rows with the transaction's change number, if the table is one stations pull."""
    if "change_seq" not in table.c:
        return rows
    return [{**row, "change_seq": seq} for row in rows]


def _refuse_unless_empty(conn: Connection) -> None:
    if _demo_marker(conn):
        raise DomainError(
            "This database already holds the demo data. To start the demo "
            "afresh, delete the database file (or point Packbench at a new "
            "one) and load it again."
        )
    orders = conn.scalar(select(func.count()).select_from(_table(Order))) or 0
    if orders:
        raise DomainError(
            f"This database holds {orders} orders that are not demo data; demo "
            "orders must not mix with real ones. Load the demo into a new, empty "
            "database instead."
        )
    products = conn.scalar(select(func.count()).select_from(_table(Product))) or 0
    if products:
        raise DomainError(
            f"This database already has a catalogue ({products} products); the "
            "demo brings its own. Load the demo into a new, empty database."
        )


def _user_rows(conn: Connection, salt: bytes) -> list[Row]:
    """The demo users, hashed exactly as app.services.auth.create_user does."""
    taken = set(conn.scalars(select(User.name)))
    clash = [u.name for u in DEMO_USERS if u.name in taken]
    if clash:
        raise DomainError(
            f"This database already has users called {', '.join(clash)}. "
            "Load the demo into a new, empty database."
        )
    created = datetime.now(UTC)
    rows = []
    for user in DEMO_USERS:
        problem = check_new_pin(user.pin)
        if problem:  # a broken constant, not a user error
            raise ValueError(f"demo PIN of {user.name}: {problem}")
        rows.append(
            {
                "name": user.name,
                "role": user.role,
                "pin_hash": hash_secret(user.pin),
                "badge_hash": badge_lookup_hash(user.badge, salt),
                "grants": sorted(g.value for g in user.grants),
                "active": True,
                "failed_attempts": 0,
                "locked_until": None,
                "created_at": created,
            }
        )
    return rows


def _demo_marker(conn: Connection) -> bool:
    value = conn.scalar(select(Setting.value).where(Setting.key == DEMO_SETTING_KEY))
    return value == "1"


def is_demo(engine: Engine) -> bool:
    """Whether the database was filled by load_demo (the app shows a DEMO badge then)."""
    with engine.connect() as conn:
        conn.execution_options(readonly=True)
        return _demo_marker(conn)


def count_orders(engine: Engine) -> int:
    with engine.connect() as conn:
        conn.execution_options(readonly=True)
        return conn.scalar(select(func.count()).select_from(_table(Order))) or 0


# --- shipments of the demo's shipped orders ---------------------------------------------------


def seed_shipments(station: Bench) -> int:
    """Shipments, parcels and SSCCs for the shipped demo orders this station holds.

    The demo's shipped orders arrive by pull with their shipped quantities but without the
    shipments that made them (shipments are written where they are made, and in the central
    store by the station's command). So that ``packbench print label`` and ``print slip``
    work right after ``make run``, the demo records them as made at this station, numbered
    from its own series, in both databases. Does nothing when the station has shipments.
    """
    records = []
    with station.local() as uow:
        s = uow.session
        if s.scalar(select(func.count()).select_from(Shipment)):
            return 0
        weights = dict(s.execute(select(Product.id, Product.weight_g)).tuples().all())
        box = station.packing.boxes[min(1, len(station.packing.boxes) - 1)]
        orders = s.scalars(
            select(Order)
            .where(Order.status.in_([*ALL_SHIPPED_STATUSES, S.PARTIALLY_SHIPPED]))
            .order_by(Order.placed_at, Order.id)
        ).all()
        for order in orders:
            shipped = [line for line in order.lines if line.quantity_shipped > 0]
            if not shipped:
                continue
            items = [ItemRecord(line.line_no, line.sku, line.quantity_shipped) for line in shipped]
            # Up to three lines a parcel: bigger orders go in several boxes.
            parcels = [items[i : i + 3] for i in range(0, len(items), 3)]
            records.append(
                ShipmentRecord(
                    number=next_shipment_number(s, station.station_id),
                    order_number=order.number,
                    station=station.station_id,
                    user_name="Tomasz Nowak",
                    shipped_at=order.updated_at,
                    partial=order.status is S.PARTIALLY_SHIPPED,
                    partial_reason="demo: the rest is on backorder"
                    if order.status is S.PARTIALLY_SHIPPED
                    else None,
                    carrier=order.carrier,
                    service=order.service,
                    parcels=tuple(
                        ParcelRecord(
                            parcel_no=n,
                            sscc=next_sscc(s, station.packing),
                            box_code=box.code,
                            weight_g=box.tare_g
                            + sum(
                                (weights.get(_product_of(order, i.line_no)) or 0) * i.quantity
                                for i in group
                            ),
                            items=tuple(group),
                        )
                        for n, group in enumerate(parcels, start=1)
                    ),
                )
            )
        for record in records:
            write_shipment(s, record)
        uow.commit()
    with unit_of_work_factory(station.central_engine())() as uow:
        for record in records:
            write_shipment(uow.session, record)
        uow.commit()
    return len(records)


SUPERVISOR = "Helen Marsh"


def seed_invoices(station: Bench) -> int:
    """Invoices for some shipped demo orders, so the Invoices workspace has something to show.

    Issued by the invoicing service in the demo supervisor's name, as a supervisor would:
    of the shipped and partly shipped orders, every third is invoiced in full and every
    third (from the second) in part (half the units of its first shipped line), so the
    demo holds partly shipped, partly invoiced orders; the rest wait to be billed. Run
    after ``seed_shipments``; the next sync takes them to the central store. Does nothing
    when the station has invoices. Returns how many were issued.
    """
    from app.services.invoicing import issue_in

    issued = 0
    with station.local() as uow:
        s = uow.session
        if s.scalar(select(func.count()).select_from(Invoice)):
            return 0
        numbers = s.scalars(
            select(Order.number)
            .where(Order.status.in_([S.SHIPPED, S.PARTIALLY_SHIPPED]))
            .order_by(Order.placed_at, Order.id)
        ).all()
        for n, number in enumerate(numbers):
            order = s.scalar(select(Order).where(Order.number == number))
            assert order is not None
            shipped = [line for line in order.lines if line.quantity_shipped > 0]
            if not shipped or n % 3 == 2:
                continue
            selection = None
            if n % 3 == 1:
                first = shipped[0]
                selection = Selection.of_quantities(
                    {first.sku: max(1, first.quantity_shipped // 2)}
                )
            try:
                issue_in(uow, station.config, SUPERVISOR, number, selection)
            except DomainError:  # nothing billable here (shipped before the demo's shipments)
                continue
            issued += 1
        uow.commit()
    return issued


def _product_of(order: Order, line_no: int) -> int:
    return next(line.product_id for line in order.lines if line.line_no == line_no)


# --- the headless tour: one order packed by scans ---------------------------------------------

TOUR_PACKER = DEMO_USERS[1]  # Tomasz Nowak, packer


@dataclass(frozen=True)
class PackingTour:
    """A demo order a packer can pack whole, and the scans that do it, in the bench's order."""

    packer: DemoUser
    order_number: str
    scans: tuple[str, ...]  # the packer's badge, the order, then each line's items


def packing_tour(station: Bench) -> PackingTour:
    """The first allocated demo order here that packs whole with product scans alone.

    Whole: every line allocated in full, nothing packed or shipped yet, no pack session
    begun. Product scans alone: every item has a unit GTIN and a catalogue weight (so the
    scale can check the parcel) and none is serial-tracked. A few lines of a few items each
    are preferred: something to show that fits the default box. Raises DomainError when no
    order is left.
    """
    with station.local(readonly=True) as uow:
        s = uow.session
        started = select(PackSession.order_number)
        orders = s.scalars(
            select(Order)
            .where(Order.status == S.ALLOCATED, Order.number.not_in(started))
            .options(selectinload(Order.lines))
            .order_by(Order.placed_at, Order.id)
        ).all()
        products = {p.id: p for p in s.scalars(select(Product))}
        units = dict(
            s.execute(
                select(ProductBarcode.product_id, func.min(ProductBarcode.code))
                .where(ProductBarcode.kind == BarcodeKind.GTIN, ProductBarcode.units == 1)
                .group_by(ProductBarcode.product_id)
            )
            .tuples()
            .all()
        )
        fits = []
        for order in orders:
            lines = sorted(order.lines, key=lambda line: line.line_no)
            if all(_packs_by_scan(line, products.get(line.product_id), units) for line in lines):
                fits.append((order.number, lines))
        if not fits:
            raise DomainError(
                "No demo order is left that the tour can pack at this station. To start the "
                "demo afresh, run it with a new PACKBENCH_HOME."
            )
        number, lines = next(
            (
                (number, lines)
                for number, lines in fits
                if 2 <= len(lines) <= 4 and all(line.quantity_ordered <= 3 for line in lines)
            ),
            fits[0],
        )
        scans = [TOUR_PACKER.badge, f"ORD-{number}"]
        for line in lines:
            code = units[line.product_id]
            if line.quantity_ordered > 1:
                scans.append(f"%PB:QTY:{line.quantity_ordered}")
            # Stored as GTIN-14; the scanner reads the EAN-13 on the item, 13 digits.
            scans.append(code[1:] if len(code) == 14 and code.startswith("0") else code)
        return PackingTour(TOUR_PACKER, number, tuple(scans))


def _packs_by_scan(line: OrderLine, product: Product | None, units: dict[int, str]) -> bool:
    return (
        product is not None
        and not product.serial_tracked
        and product.weight_g is not None
        and line.product_id in units
        and line.quantity_shipped == 0
        and line.quantity_packed == 0
        and line.quantity_allocated == line.quantity_ordered
    )


RETURNS_CLERK = "Sam Okafor"


def seed_returns(station: Bench) -> int:
    """A few returns, so the returns desk and its report have something to show.

    Taken back through the returns service as a clerk would (a supervisor accepts those
    outside the window, saying so): of the shipped orders not returned yet, the first
    unit of every fourth comes back; reasons take turns, so some are restocked to their
    bin and some quarantined or scrapped; the last one is left open (saved, to finish).
    Run after ``seed_invoices``. Does nothing when the station has returns. Returns how many
    were confirmed."""
    from app.domain.returns import LateReturn, Reason
    from app.services import returns

    clerk = Actor(0, RETURNS_CLERK, Role.RETURNS, permissions_of(Role.RETURNS), station.station_id)
    boss = Actor(
        0, SUPERVISOR, Role.SUPERVISOR, permissions_of(Role.SUPERVISOR), station.station_id
    )
    with station.local(readonly=True) as uow:
        s = uow.session
        if s.scalar(select(func.count()).select_from(ReturnRecord)):
            return 0
        rows = s.execute(
            select(Order.number, OrderLine.sku)
            .join(OrderLine, OrderLine.order_id == Order.id)
            .join(Product, Product.id == OrderLine.product_id)
            .where(
                Order.status.in_([S.SHIPPED, S.FULFILLED]),
                OrderLine.quantity_shipped > OrderLine.quantity_returned,
                Product.serial_tracked.is_(False),
            )
            .order_by(Order.placed_at.desc(), Order.id, OrderLine.line_no)
        ).all()
    firsts: dict[str, str] = {}
    for number, sku in rows:
        firsts.setdefault(number, sku)
    chosen = list(firsts.items())[::4][:7]
    reasons = (
        Reason.NO_LONGER_WANTED,
        Reason.DAMAGED,
        Reason.WRONG_ITEM,
        Reason.NOT_AS_DESCRIBED,
        Reason.ARRIVED_LATE,
    )
    confirmed = 0
    for n, (number, sku) in enumerate(chosen):
        try:
            try:
                ra = returns.open_return(station, clerk, number).number
            except LateReturn:
                ra = returns.open_return(station, boss, number, "demo: goodwill").number
            returns.receive(station, clerk, ra, sku)
            returns.set_unit(station, clerk, ra, reason=reasons[n % len(reasons)])
            if n < len(chosen) - 1:
                returns.confirm(station, clerk, ra)
                confirmed += 1
        except DomainError:  # an order this station cannot take back (no bin, refused)
            continue
    return confirmed
