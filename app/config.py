"""The station's configuration: one TOML file, overridden by a few environment variables.

Every setting is declared once in ``SETTINGS`` below; that table validates the file, fills the
defaults and writes the commented file a new station starts with. A bad value is reported by
its section and key with what is allowed, never as a traceback.

Environment (scripts and checks rely on these names):

- ``PACKBENCH_HOME``: one directory replacing every user directory (config, data, logs and the
  embedded central store); for isolated runs and tests.
- ``PACKBENCH_CONFIG``: path of the TOML file.
- ``PACKBENCH_CENTRAL_URL``: overrides ``[central] url``.
- ``PACKBENCH_STATION``: overrides ``[station] id``.
- ``PACKBENCH_WAREHOUSE``: overrides ``[station] warehouse``.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from app.domain.invoicing import Rounding, ShippingCharge
from app.domain.money_format import LOCALES
from app.domain.packing import BoxType, parse_boxes
from app.domain.returns import (
    DEFAULT_DISPOSITIONS,
    DEFAULT_RESTOCKING_FEES,
    DEFAULT_SHIPPING_REFUNDED,
    Reason,
    ReturnPolicy,
    parse_dispositions,
    parse_fees,
    parse_reasons,
)
from app.domain.review import ADDRESS_FIELDS, ReviewRules
from app.domain.warehouses import WAREHOUSE_CODE, Ranking, parse_ranking

APP_NAME = "packbench"
CONFIG_FILE_NAME = "config.toml"


class ConfigError(Exception):
    """The configuration cannot be used; the message names the key and what to do."""


@dataclass(frozen=True)
class Paths:
    """Where this user's files live (all under PACKBENCH_HOME when it is set)."""

    config_dir: Path
    data_dir: Path
    log_dir: Path
    config_file: Path

    @property
    def embedded_central_file(self) -> Path:
        return self.data_dir / "central.sqlite3"

    @property
    def default_local_file(self) -> Path:
        return self.data_dir / "station.sqlite3"

    @property
    def documents_dir(self) -> Path:
        """Where slips (and PDF labels without a label printer) go by default."""
        return self.data_dir / "documents"


def resolve_paths(env: Mapping[str, str] | None = None) -> Paths:
    env = os.environ if env is None else env
    home = env.get("PACKBENCH_HOME")
    if home:
        root = Path(home).expanduser().absolute()
        config_dir, data_dir, log_dir = root / "config", root / "data", root / "logs"
    else:
        config_dir = Path(platformdirs.user_config_dir(APP_NAME))
        data_dir = Path(platformdirs.user_data_dir(APP_NAME))
        log_dir = Path(platformdirs.user_log_dir(APP_NAME))
    config_file = (
        Path(env["PACKBENCH_CONFIG"]).expanduser().absolute()
        if env.get("PACKBENCH_CONFIG")
        else config_dir / CONFIG_FILE_NAME
    )
    return Paths(config_dir, data_dir, log_dir, config_file)


# --- the settings table -------------------------------------------------------------------

Validator = Callable[[Any], str | None]  # returns what is wrong, or None


class OneOf:
    """A setting that takes one of a few values (the settings dialog offers them in a list)."""

    def __init__(self, *allowed: Any) -> None:
        self.allowed = allowed

    def __call__(self, value: Any) -> str | None:
        if value in self.allowed:
            return None
        return "must be one of " + ", ".join(map(repr, self.allowed))


def _one_of(*allowed: Any) -> Validator:
    return OneOf(*allowed)


class IntRange:
    """A whole number from ``low`` to ``high``."""

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def __call__(self, value: Any) -> str | None:
        if self.low <= value <= self.high:
            return None
        return f"must be a whole number from {self.low} to {self.high}"


def _int_range(low: int, high: int) -> Validator:
    return IntRange(low, high)


_STATION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$")


def _station_id(value: Any) -> str | None:
    if _STATION_ID.match(value):
        return None
    return "must be 1 to 16 letters, digits, '-' or '_' (it is printed on labels), e.g. \"ST-01\""


_URL_FORMS = (
    'the allowed forms are "postgresql+psycopg://USER@HOST/DATABASE" (PostgreSQL, e.g. '
    '"postgresql+psycopg://station01@db.example/orders"), "sqlite:////PATH/central.sqlite3" '
    '(a shared SQLite file) and "" (the embedded store)'
)
# The drivers Packbench is built and tested with, by SQLAlchemy's names ("" is the default).
DATABASE_DRIVERS = {"postgresql": ("psycopg",), "sqlite": ("", "pysqlite")}


def _database_url(value: Any) -> str | None:
    if value == "":
        return None
    try:
        url = make_url(value)
    except ArgumentError:
        return f"is not a database URL; {_URL_FORMS}"
    backend, _, driver = url.drivername.partition("+")
    if backend not in DATABASE_DRIVERS:
        return f"names the database {backend!r}, which Packbench does not use; {_URL_FORMS}"
    if driver not in DATABASE_DRIVERS[backend]:
        named = f"the driver {driver!r}" if driver else "no driver (that means psycopg2)"
        return f"names {named}, which Packbench does not use; {_URL_FORMS}"
    return None


def shown_url(value: Any) -> str:
    """A database URL fit for a message: the password, if any, replaced by ***."""
    try:
        return make_url(value).render_as_string(hide_password=True)
    except ArgumentError:
        return re.sub(r"(://[^/:@]*:)[^/@]*@", r"\1***@", str(value))


def _address_fields(value: Any) -> str | None:
    unknown = [n.strip() for n in value.split(",") if n.strip() not in (*ADDRESS_FIELDS, "")]
    if unknown:
        return f"names {', '.join(unknown)}: use some of {', '.join(ADDRESS_FIELDS)}"
    return None


def _boxes(value: Any) -> str | None:
    try:
        parse_boxes(value)
    except ValueError as error:
        return str(error)
    return None


def _company_prefix(value: Any) -> str | None:
    if isinstance(value, str) and value.isdigit() and 6 <= len(value) <= 12:
        return None
    return 'must be your GS1 company prefix: 6 to 12 digits in quotes, e.g. "0614141"'


_PRINTER_FONT = re.compile(r"^[REBA]:[A-Z0-9_-]{1,16}\.(TTF|TTE|FNT)$")


def _printer_font(value: Any) -> str | None:
    if value == "" or _PRINTER_FONT.match(value):
        return None
    return (
        'must name a font file on the printer, e.g. "E:NOTOSANS.TTF" (docs/packing.md says '
        'how to load one), or "" for the built-in font'
    )


def _font_file(value: Any) -> str | None:
    bundled = files("resources") / "fonts" / value
    if value and (bundled.is_file() or Path(value).expanduser().is_file()):
        return None
    return (
        'must be a TrueType file: a bundled one ("NotoSans-Regular.ttf") or the path of one '
        "that exists"
    )


def _parsed_by(parse: Callable[[str], Any]) -> Validator:
    def check(value: Any) -> str | None:
        try:
            parse(value)
        except ValueError as error:
            return str(error)
        return None

    return check


def _number_prefix(value: Any) -> str | None:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9{}_./-]{1,28}", value):
        return (
            "must be letters, digits and - _ . / with {station} and {year}, "
            'e.g. "INV-{station}-{year}-"'
        )
    try:
        shown = value.format(station="ST-01", year=2026)
    except (KeyError, IndexError, ValueError):
        return "may name only {station} and {year}"
    return (
        None if len(shown) <= 33 else "is too long: at most 33 characters with the station and year"
    )


def _warehouse_code(value: Any) -> str | None:
    if value == "" or (isinstance(value, str) and WAREHOUSE_CODE.fullmatch(value)):
        return None
    return 'must be a warehouse code: 1-16 capital letters, digits and - _, e.g. "MAN"'


def _country(value: Any) -> str | None:
    if isinstance(value, str) and len(value) == 2 and value.isalpha() and value.isupper():
        return None
    return 'must be a two-letter ISO country code, e.g. "GB"'


@dataclass(frozen=True)
class Setting:
    section: str
    key: str
    default: Any
    comment: str
    check: Validator | None = None
    secret: bool = False  # may hold a password: messages show it through shown_url

    def shown(self, value: Any) -> str:
        return _toml_value(shown_url(value) if self.secret else value)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "station",
        "id",
        "ST-01",
        "Name of this bench; printed on labels and in the audit log.",
        _station_id,
    ),
    Setting(
        "station",
        "warehouse",
        "",
        "The code of the warehouse this bench is in (packbench warehouse list): it pulls only\n"
        "that warehouse's orders, stock and bins. Empty: the only warehouse (MAIN).",
        _warehouse_code,
    ),
    Setting(
        "central",
        "url",
        "",
        "Central order store as a SQLAlchemy URL. Empty: the embedded SQLite store in the\n"
        "data directory (single bench, demo). A real warehouse uses PostgreSQL, e.g.\n"
        "postgresql+psycopg://station01@db.example/orders",
        _database_url,
        secret=True,
    ),
    Setting(
        "central",
        "password_file",
        "",
        "A file holding the central store's password (readable by this user only), so the\n"
        "URL need not carry it. PACKBENCH_CENTRAL_PASSWORD also works.",
    ),
    Setting(
        "central",
        "sync_seconds",
        30,
        "How often the station pulls from and pushes to the central store.",
        _int_range(5, 3600),
    ),
    Setting(
        "local",
        "database",
        "",
        "This station's own SQLite file. Empty: station.sqlite3 in the data directory.",
    ),
    Setting(
        "ui",
        "font_size",
        15,
        "Base type size in points (the bench monitor is read from a metre away).",
        _int_range(9, 40),
    ),
    Setting(
        "ui",
        "theme",
        "light",
        "light for a bright hall, dark for a dim one.",
        _one_of("light", "dark"),
    ),
    Setting(
        "ui",
        "language",
        "",
        'Language of the screens: "en" or "de"; empty: the system\'s language, else English.',
        _one_of("", "en", "de"),
    ),
    Setting(
        "security",
        "pin_attempts",
        5,
        "Wrong PINs in a row before the user is locked out.",
        _int_range(1, 20),
    ),
    Setting(
        "security",
        "lockout_minutes",
        15,
        "How long a locked-out user waits (a supervisor can unlock sooner).",
        _int_range(1, 1440),
    ),
    Setting(
        "backup",
        "daily",
        True,
        "true: the app backs up this station's database once a day by itself.",
    ),
    Setting(
        "backup",
        "keep",
        14,
        "How many backups to keep; older ones are removed.",
        _int_range(1, 3650),
    ),
    Setting(
        "backup",
        "folder",
        "",
        "Where backups go. Empty: the backups folder in the data directory.",
    ),
    Setting(
        "scanner",
        "mode",
        "wedge",
        "wedge (USB keyboard emulation), serial (USB-CDC or RS-232), or none.",
        _one_of("wedge", "serial", "none"),
    ),
    Setting(
        "scanner",
        "port",
        "",
        "Serial scanner: a pyserial port or URL, e.g. /dev/serial/by-id/usb-...-if00.",
    ),
    Setting(
        "scanner",
        "baudrate",
        9600,
        "Serial scanner line speed.",
        _one_of(1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200),
    ),
    Setting(
        "scanner",
        "suffix",
        "enter",
        "What the scanner sends after each code.",
        _one_of("enter", "tab", "none"),
    ),
    Setting(
        "scanner",
        "max_key_interval_ms",
        30,
        "Wedge: longest gap between two keystrokes of one scan (a person types slower).",
        _int_range(1, 500),
    ),
    Setting(
        "scanner",
        "min_length",
        4,
        "Wedge: fewest characters a scan has (a person's fast double-tap is shorter).",
        _int_range(1, 40),
    ),
    Setting(
        "scanner",
        "idle_timeout_ms",
        100,
        "Wedge: how long a fast burst waits for its suffix before it counts as a scan.",
        _int_range(1, 2000),
    ),
    Setting("scanner", "prefix", "", "Characters the scanner sends before every code (stripped)."),
    Setting(
        "scanner",
        "gs_substitute",
        "",
        'A scanner that cannot send the GS1 separator (GS) sends this instead, e.g. "~";\n'
        "empty: none.",
    ),
    Setting(
        "scanner",
        "drops_gs",
        False,
        "true for a scanner that drops the GS1 separator altogether: fixed-length fields\n"
        "after a lot or serial number are then recovered from the data.",
    ),
    Setting(
        "printer",
        "transport",
        "none",
        "Label printer link: tcp, serial, usb, cups, or none.",
        _one_of("tcp", "serial", "usb", "cups", "none"),
    ),
    Setting(
        "printer",
        "address",
        "",
        "tcp: host:port (port 9100); serial: port; usb: /dev/usb/lp0; cups: queue name.",
    ),
    Setting("printer", "dpi", 203, "Print head resolution.", _one_of(203, 300)),
    Setting(
        "printer",
        "zpl_font",
        "",
        'A Unicode TrueType font loaded onto the label printer, e.g. "E:NOTOSANS.TTF"\n'
        "(docs/packing.md: Fonts on a Zebra printer). Empty: the built-in font, Latin only.\n"
        "Text the printer's font cannot show is printed as a picture either way.",
        _printer_font,
    ),
    Setting(
        "printer",
        "zpl_font_file",
        "NotoSans-Regular.ttf",
        "The same font file here, to know which characters it has: a bundled font's name\n"
        "or a path.",
        _font_file,
    ),
    Setting(
        "printer",
        "documents",
        "",
        "Where packing slips (PDF) go: a folder, or cups:QUEUE for a CUPS printer queue.\n"
        "Empty: the documents folder in the data directory. Labels go there too, as PDF,\n"
        "when transport is none.",
    ),
    Setting(
        "scale", "port", "", "Mettler Toledo SICS scale: a pyserial port or URL; empty: no scale."
    ),
    Setting(
        "scale",
        "baudrate",
        9600,
        "Scale line speed.",
        _one_of(1200, 2400, 4800, 9600, 19200, 38400),
    ),
    Setting(
        "packing",
        "boxes",
        "S: 250x180x100 mm, 150 g; M: 350x250x150 mm, 260 g; L: 450x350x250 mm, 420 g",
        "The boxes at this bench, separated by ';': CODE: inner LxWxH mm, tare g. The first\n"
        "is the default; a box barcode %PB:BOX:CODE picks another.",
        _boxes,
    ),
    Setting(
        "packing",
        "weight_tolerance_pct",
        10,
        "A parcel's weight may differ this much (%) from its items plus its box before the\n"
        "packer is asked to confirm it.",
        _int_range(0, 100),
    ),
    Setting(
        "packing",
        "weight_tolerance_min_g",
        50,
        "...but never less than this many grams (light parcels, scale resolution).",
        _int_range(0, 10_000),
    ),
    Setting(
        "gs1",
        "company_prefix",
        "0614141",
        "Your GS1 company prefix (6-12 digits), the start of every parcel's SSCC.",
        _company_prefix,
    ),
    Setting("gs1", "extension_digit", 0, "The SSCC extension digit, 0-9.", _int_range(0, 9)),
    Setting(
        "gs1",
        "sscc_first",
        1,
        "This station's range of SSCC serial references: give every station its own range\n"
        "so parcels are numbered without asking anyone.",
        _int_range(0, 10**10 - 1),
    ),
    Setting(
        "gs1",
        "sscc_last",
        99_999,
        "The last serial reference of this station's range.",
        _int_range(0, 10**10 - 1),
    ),
    Setting("ship_from", "name", "Packbench Demo Warehouse", "Sender name on labels and slips."),
    Setting(
        "ship_from",
        "address",
        "Unit 4, Riverside Park | Leeds LS10 1AB",
        "Sender address lines on labels and slips, separated by '|'.",
    ),
    Setting("ship_from", "country", "GB", "Sender country (ISO 3166 alpha-2).", _country),
    Setting(
        "invoicing",
        "invoice_prefix",
        "INV-{station}-{year}-",
        "Invoice numbers: this prefix, then a gap-free six-digit count per station and year.",
        _number_prefix,
    ),
    Setting(
        "invoicing",
        "credit_prefix",
        "CN-{station}-{year}-",
        "Credit note numbers: the same, in a series of their own.",
        _number_prefix,
    ),
    Setting(
        "invoicing",
        "rounding",
        "line",
        "Round tax per line (partial invoices then add up to the full one) or per document.",
        _one_of(*(r.value for r in Rounding)),
    ),
    Setting(
        "invoicing",
        "shipping",
        "first",
        "Charge the order's shipping on its first invoice, its last, or never.",
        _one_of(*(c.value for c in ShippingCharge)),
    ),
    Setting(
        "invoicing",
        "auto_invoice",
        False,
        "true: issue an invoice for each shipment the moment it is made (a packer's\n"
        "shipment is invoiced in the station's name; a supervisor prints it).",
    ),
    Setting(
        "invoicing",
        "locale",
        "en_GB",
        "How amounts and dates are written on invoices.",
        _one_of(*sorted(LOCALES)),
    ),
    Setting(
        "invoicing", "seller_tax_id", "GB123456789", "Your VAT or tax number, on every invoice."
    ),
    Setting(
        "invoicing",
        "payment_terms",
        "Payable within 30 days of the invoice date.",
        "The payment terms printed under the totals.",
    ),
    Setting("invoicing", "due_days", 30, "Days from issue to the due date.", _int_range(0, 365)),
    Setting(
        "returns",
        "window_days",
        30,
        "Days after shipping a return is accepted; later only a supervisor (or a user granted\n"
        "accept_late_returns) accepts it, with a reason.",
        _int_range(0, 3650),
    ),
    Setting(
        "returns",
        "ra_prefix",
        "RA-{station}-",
        "Return authorisation numbers: this prefix, then a gap-free six-digit count.",
        _number_prefix,
    ),
    Setting(
        "returns",
        "default_reason",
        Reason.NO_LONGER_WANTED.value,
        "The reason a unit gets when it is scanned, until the clerk says another.",
        _one_of(*(r.value for r in Reason)),
    ),
    Setting(
        "returns",
        "dispositions",
        DEFAULT_DISPOSITIONS,
        "The disposition each reason proposes (reason:disposition, ...); a clerk confirms it\n"
        "with one scan. Dispositions: restock, quarantine, scrap, return_to_vendor.",
        _parsed_by(parse_dispositions),
    ),
    Setting(
        "returns",
        "shipping_refunded",
        DEFAULT_SHIPPING_REFUNDED,
        "Reasons for which the order's shipping is refunded (once), comma-separated.",
        _parsed_by(parse_reasons),
    ),
    Setting(
        "returns",
        "restocking_fees",
        DEFAULT_RESTOCKING_FEES,
        "A restocking fee per reason, percent of the units' goods (reason:percent, ...).",
        _parsed_by(parse_fees),
    ),
    Setting(
        "review",
        "first_order_over",
        250,
        "Hold a customer's first order when its total (goods with tax, plus shipping) is above\n"
        "this, in the order's own currency; 0: off.",
        _int_range(0, 1_000_000_000),
    ),
    Setting(
        "review",
        "countries_differ",
        True,
        "Hold orders whose billing and shipping countries differ.",
    ),
    Setting(
        "review",
        "personalised",
        True,
        "Hold orders with a personalised line (engraving, custom text) so someone checks it.",
    ),
    Setting(
        "review",
        "required_address_fields",
        "name,line1,city,postcode,country",
        "Hold orders whose ship-to address lacks any of these, comma-separated, from: name,\n"
        "company, line1, line2, city, region, postcode, country, phone. Empty: off.",
        _address_fields,
    ),
    Setting(
        "review",
        "unpaid",
        True,
        "Hold orders the sales channel says are not paid yet; a re-import that shows them\n"
        "paid releases them.",
    ),
    Setting(
        "warehouses",
        "when_none_whole",
        "split",
        "When no warehouse can ship an order whole: split it into one part per warehouse\n"
        '("split"), or keep it whole in its preferred warehouse until stock comes ("wait").',
        _one_of("split", "wait"),
    ),
    Setting(
        "warehouses",
        "ranking",
        "",
        "Nearest warehouses per ship-to country, nearest first, e.g.\n"
        '"GB: MAN, LON, BER; DE: BER, LON, MAN; *: LON, MAN, BER" (* for any other country).\n'
        'Used after "serves the ship-to country"; then the warehouses\' priority decides.',
        _parsed_by(parse_ranking),
    ),
)


# --- the loaded configuration ----------------------------------------------------------------


@dataclass(frozen=True)
class ScannerSettings:
    mode: str
    port: str
    baudrate: int
    suffix: str
    max_key_interval_ms: int
    min_length: int
    idle_timeout_ms: int
    prefix: str
    gs_substitute: str
    drops_gs: bool

    @property
    def suffix_chars(self) -> str:
        return {"enter": "\r", "tab": "\t", "none": ""}[self.suffix]


@dataclass(frozen=True)
class PrinterSettings:
    transport: str
    address: str
    dpi: int
    documents: str = ""
    zpl_font: str = ""
    zpl_font_file: str = "NotoSans-Regular.ttf"


@dataclass(frozen=True)
class ScaleSettings:
    port: str
    baudrate: int


@dataclass(frozen=True)
class PackingSettings:
    """The bench's boxes, weight tolerance, SSCC numbering and sender address."""

    boxes: tuple[BoxType, ...]
    weight_tolerance_pct: int
    weight_tolerance_min_g: int
    company_prefix: str
    extension_digit: int
    sscc_first: int
    sscc_last: int
    ship_from_name: str
    ship_from_lines: tuple[str, ...]
    ship_from_country: str


@dataclass(frozen=True)
class InvoicingSettings:
    """Numbering, rounding, shipping and the seller's words on invoices ([invoicing])."""

    invoice_prefix: str = "INV-{station}-{year}-"
    credit_prefix: str = "CN-{station}-{year}-"
    rounding: Rounding = Rounding.LINE
    shipping: ShippingCharge = ShippingCharge.FIRST
    auto_invoice: bool = False
    locale: str = "en_GB"
    seller_tax_id: str = "GB123456789"
    payment_terms: str = "Payable within 30 days of the invoice date."
    due_days: int = 30


@dataclass(frozen=True)
class WarehouseSettings:
    """The station's warehouse and the assignment rule set ([station] warehouse,
    [warehouses])."""

    code: str = ""  # empty: the only warehouse
    when_none_whole: str = "split"
    ranking: Ranking = field(default_factory=dict)


@dataclass(frozen=True)
class ReturnsSettings:
    """The returns desk's numbering and rules ([returns])."""

    ra_prefix: str = "RA-{station}-"
    policy: ReturnPolicy = field(default_factory=ReturnPolicy)


@dataclass(frozen=True)
class Config:
    """Everything the station needs to know, validated; built by ``load_config``."""

    paths: Paths
    station_id: str
    central_url: str
    local_database: Path
    font_size: int
    pin_attempts: int
    lockout_minutes: int
    scanner: ScannerSettings
    printer: PrinterSettings
    scale: ScaleSettings
    packing: PackingSettings
    central_password_file: str = ""
    sync_interval_s: int = 30
    review: ReviewRules = field(default_factory=ReviewRules)
    invoicing: InvoicingSettings = field(default_factory=InvoicingSettings)
    returns: ReturnsSettings = field(default_factory=lambda: ReturnsSettings())
    warehouses: WarehouseSettings = field(default_factory=WarehouseSettings)
    channels: tuple[ChannelAccountSettings, ...] = ()
    partners: tuple[PartnerSettings, ...] = ()
    theme: str = "light"
    language: str = ""
    backup_daily: bool = True
    backup_keep: int = 14
    backup_folder: Path | None = None

    @property
    def central_is_embedded(self) -> bool:
        return self.central_url == embedded_central_url(self.paths)

    @property
    def local_url(self) -> str:
        return f"sqlite:///{self.local_database}"


def embedded_central_url(paths: Paths) -> str:
    return f"sqlite:///{paths.embedded_central_file}"


def default_config_text() -> str:
    """The file a new station starts with: every setting, commented out, with what it does."""
    out = [
        "# Packbench station configuration.",
        "# Every setting is shown with its default, commented out: remove the '#' to change one.",
        "# Environment variables win over this file: PACKBENCH_STATION, PACKBENCH_CENTRAL_URL.",
    ]
    section = ""
    for s in SETTINGS:
        if s.section != section:
            section = s.section
            out += ["", f"[{section}]"]
        out += [f"# {line}" for line in s.comment.splitlines()]
        out.append(f"# {s.key} = {_toml_value(s.default)}")
    return "\n".join(out) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value).lower() if isinstance(value, bool) else str(value)


def ensure_config_file(paths: Paths) -> bool:
    """Create the commented default file on first run; True when it was created."""
    if paths.config_file.exists():
        return False
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    # The file may later hold a database password: readable by its owner only.
    fd = os.open(paths.config_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(default_config_text())
    return True


def load_config(env: Mapping[str, str] | None = None, *, create: bool = True) -> Config:
    """Read, validate and resolve the configuration; raise ConfigError naming what is wrong."""
    env = os.environ if env is None else env
    paths = resolve_paths(env)
    if create and not env.get("PACKBENCH_CONFIG"):  # a named file is the user's to create
        ensure_config_file(paths)
    raw: dict[str, Any] = {}
    if paths.config_file.exists():
        try:
            with paths.config_file.open("rb") as f:
                raw = tomllib.load(f)
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(
                f"{paths.config_file}: not valid TOML ({error}). Fix that line, or delete the file "
                "to start again from the commented defaults."
            ) from error
        except OSError as error:
            raise ConfigError(f"{paths.config_file}: cannot be read ({error.strerror}).") from error
    elif env.get("PACKBENCH_CONFIG"):
        raise ConfigError(
            f"PACKBENCH_CONFIG names {paths.config_file}, which does not exist. "
            "Create it, or unset PACKBENCH_CONFIG to use the default file."
        )
    return config_from_raw(raw, paths, env)


def config_from_raw(
    raw: dict[str, Any], paths: Paths, env: Mapping[str, str] | None = None
) -> Config:
    """Validate a parsed file's tables and resolve them, with the environment's overrides;
    ``ConfigError`` names what is wrong (the settings dialog checks its form with this too)."""
    env = os.environ if env is None else env
    raw = dict(raw)
    channels = _channel_accounts(raw.pop("channels", {}), paths.config_file)
    partners = _partners(raw.pop("partners", {}), paths.config_file)
    values = _validated(raw, paths.config_file)
    overrides = {
        ("station", "id"): "PACKBENCH_STATION",
        ("station", "warehouse"): "PACKBENCH_WAREHOUSE",
        ("central", "url"): "PACKBENCH_CENTRAL_URL",
    }
    for (section, key), var in overrides.items():
        if var in env:
            setting = next(s for s in SETTINGS if (s.section, s.key) == (section, key))
            problem = setting.check(env[var]) if setting.check else None
            if problem:
                raise ConfigError(f"{var}={setting.shown(env[var])} {problem}.")
            values[section, key] = env[var]

    width = 16 - len(values["gs1", "company_prefix"])
    first, last = values["gs1", "sscc_first"], values["gs1", "sscc_last"]
    if not first <= last < 10**width:
        raise ConfigError(
            f"{paths.config_file}: [gs1] sscc_first..sscc_last ({first}..{last}) must run "
            f"upwards and fit the {width} digits company prefix "
            f"{values['gs1', 'company_prefix']} leaves for the serial reference."
        )
    local = str(values["local", "database"])
    local_path = Path(local).expanduser() if local else paths.default_local_file
    if not local_path.is_absolute():
        local_path = (paths.config_file.parent / local_path).absolute()
    return Config(
        channels=channels,
        partners=partners,
        paths=paths,
        station_id=values["station", "id"],
        central_url=values["central", "url"] or embedded_central_url(paths),
        local_database=local_path,
        font_size=values["ui", "font_size"],
        theme=values["ui", "theme"],
        backup_daily=values["backup", "daily"],
        backup_keep=values["backup", "keep"],
        backup_folder=Path(values["backup", "folder"]).expanduser()
        if values["backup", "folder"]
        else None,
        language=values["ui", "language"],
        pin_attempts=values["security", "pin_attempts"],
        lockout_minutes=values["security", "lockout_minutes"],
        scanner=ScannerSettings(
            *(
                values["scanner", k]
                for k in (
                    "mode",
                    "port",
                    "baudrate",
                    "suffix",
                    "max_key_interval_ms",
                    "min_length",
                    "idle_timeout_ms",
                    "prefix",
                    "gs_substitute",
                    "drops_gs",
                )
            )
        ),
        printer=PrinterSettings(
            *(
                values["printer", k]
                for k in ("transport", "address", "dpi", "documents", "zpl_font", "zpl_font_file")
            )
        ),
        scale=ScaleSettings(values["scale", "port"], values["scale", "baudrate"]),
        packing=PackingSettings(
            boxes=parse_boxes(values["packing", "boxes"]),
            weight_tolerance_pct=values["packing", "weight_tolerance_pct"],
            weight_tolerance_min_g=values["packing", "weight_tolerance_min_g"],
            company_prefix=values["gs1", "company_prefix"],
            extension_digit=values["gs1", "extension_digit"],
            sscc_first=values["gs1", "sscc_first"],
            sscc_last=values["gs1", "sscc_last"],
            ship_from_name=values["ship_from", "name"],
            ship_from_lines=tuple(
                part.strip() for part in values["ship_from", "address"].split("|") if part.strip()
            ),
            ship_from_country=values["ship_from", "country"],
        ),
        central_password_file=values["central", "password_file"],
        sync_interval_s=values["central", "sync_seconds"],
        review=ReviewRules(
            first_order_over=Decimal(values["review", "first_order_over"]),
            countries_differ=values["review", "countries_differ"],
            personalised=values["review", "personalised"],
            required_address_fields=tuple(
                n.strip()
                for n in values["review", "required_address_fields"].split(",")
                if n.strip()
            ),
            unpaid=values["review", "unpaid"],
        ),
        invoicing=InvoicingSettings(
            invoice_prefix=values["invoicing", "invoice_prefix"],
            credit_prefix=values["invoicing", "credit_prefix"],
            rounding=Rounding(values["invoicing", "rounding"]),
            shipping=ShippingCharge(values["invoicing", "shipping"]),
            auto_invoice=values["invoicing", "auto_invoice"],
            locale=values["invoicing", "locale"],
            seller_tax_id=values["invoicing", "seller_tax_id"],
            payment_terms=values["invoicing", "payment_terms"],
            due_days=values["invoicing", "due_days"],
        ),
        warehouses=WarehouseSettings(
            code=values["station", "warehouse"],
            when_none_whole=values["warehouses", "when_none_whole"],
            ranking=parse_ranking(values["warehouses", "ranking"]),
        ),
        returns=ReturnsSettings(
            ra_prefix=values["returns", "ra_prefix"],
            policy=ReturnPolicy(
                window_days=values["returns", "window_days"],
                default_reason=Reason(values["returns", "default_reason"]),
                dispositions=parse_dispositions(values["returns", "dispositions"]),
                shipping_refunded=parse_reasons(values["returns", "shipping_refunded"]),
                restocking_fee_pct=parse_fees(values["returns", "restocking_fees"]),
            ),
        ),
    )


CHANNEL_KINDS = ("woocommerce", "shopify", "bigcommerce", "magento", "amazon")


@dataclass(frozen=True)
class ChannelAccountSettings:
    """One ``[channels.NAME]`` table: a store account the connector pulls from.

    The secret (an API key or token) is never in this file: ``secret_env`` names an
    environment variable, or ``secret_file`` a file readable by its owner only.
    """

    name: str
    kind: str
    url: str
    secret_env: str = ""
    secret_file: str = ""
    pull_seconds: int = 300
    page_size: int = 100
    api_version: str = ""  # Shopify's Admin API version, e.g. "2024-07"
    marketplace_ids: str = ""  # Amazon: the marketplaces pulled, comma-separated

    def secret(self, env: Mapping[str, str] | None = None) -> str:
        """The account's secret, read afresh each time (a renewed token is taken at once)."""
        env = os.environ if env is None else env
        if self.secret_env:
            value = env.get(self.secret_env, "").strip()
            if not value:
                raise ConfigError(
                    f"[channels.{self.name}] secret_env = {self.secret_env!r}: that environment "
                    "variable is not set. Set it to the account's API key or token."
                )
            return value
        path = Path(self.secret_file).expanduser()
        if file_readable_by_others(path):
            raise ConfigError(
                f"[channels.{self.name}] secret_file {str(path)!r} may be read by other users: "
                f"make it readable by its owner only (chmod 600 {path})."
            )
        try:
            value = path.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ConfigError(
                f"[channels.{self.name}] secret_file {str(path)!r} cannot be read "
                f"({error.strerror})."
            ) from error
        if not value:
            raise ConfigError(f"[channels.{self.name}] secret_file {str(path)!r} is empty.")
        return value


_ACCOUNT_KEYS: dict[str, type] = {
    "kind": str,
    "url": str,
    "secret_env": str,
    "secret_file": str,
    "pull_seconds": int,
    "page_size": int,
    "api_version": str,
    "marketplace_ids": str,
}


def _channel_accounts(raw: Any, source: Path) -> tuple[ChannelAccountSettings, ...]:
    """``[channels.NAME]`` tables, each checked; every problem named at once."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: channels must be [channels.NAME] tables, one per account.")
    problems: list[str] = []
    accounts: list[ChannelAccountSettings] = []
    for name, table in raw.items():
        where = f"[channels.{name}]"
        if not isinstance(table, dict):
            problems.append(f"{where} must be a table (kind, url, secret_env or secret_file)")
            continue
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", name):
            problems.append(f"{where}: an account name is letters, digits, '-', '_' or '.'")
        bad = False
        for key, value in table.items():
            expected = _ACCOUNT_KEYS.get(key)
            if expected is None:
                problems.append(
                    f"{where} {key} is not a setting we know{_did_you_mean(key, _ACCOUNT_KEYS)}"
                )
                bad = True
            elif type(value) is not expected:
                problems.append(f"{where} {key} must be {_TYPE_NAMES[expected]}")
                bad = True
        if bad:
            continue
        kind = table.get("kind", "")
        if kind not in CHANNEL_KINDS:
            problems.append(f"{where} kind = {kind!r} must be one of {', '.join(CHANNEL_KINDS)}")
            continue
        url = table.get("url", "")
        if not re.match(r"https?://[^/\s]+", url):
            problems.append(f"{where} url = {url!r} must be the store's address, https://...")
            continue
        if bool(table.get("secret_env")) == bool(table.get("secret_file")):
            problems.append(
                f"{where} needs exactly one of secret_env (an environment variable) or "
                "secret_file (a file readable by its owner only) for its API key or token"
            )
            continue
        seconds = table.get("pull_seconds", 300)
        if not 1 <= seconds <= 86400:
            problems.append(f"{where} pull_seconds = {seconds} must be 1 to 86400")
            continue
        size = table.get("page_size", 100)
        if not 1 <= size <= 250:
            problems.append(f"{where} page_size = {size} must be 1 to 250")
            continue
        if kind == "amazon" and not re.fullmatch(
            r"[A-Z0-9]+(,[A-Z0-9]+)*", table.get("marketplace_ids", "")
        ):
            problems.append(
                f"{where} needs marketplace_ids: the Amazon marketplaces to pull, comma-separated "
                '(e.g. "A1F83G8C2ARO7P" for amazon.co.uk)'
            )
            continue
        accounts.append(ChannelAccountSettings(name=name, **table))
    if problems:
        raise ConfigError(
            f"{source}: " + "; ".join(problems) + ". Fix the file (docs/connector.md)."
        )
    return tuple(accounts)


PARTNER_KINDS = ("dropship", "3pl")
# The order file's columns, ours → the partner's header (docs/connector.md, "Partners").
PARTNER_COLUMNS = (
    "order",
    "external_id",
    "channel",
    "line",
    "sku",
    "name",
    "quantity",
    "carrier",
    "service",
    "ship_name",
    "ship_company",
    "ship_street",
    "ship_street2",
    "ship_city",
    "ship_region",
    "ship_postcode",
    "ship_country",
    "ship_phone",
    "ship_email",
)
# The tracking file's columns, ours → the partner's header.
TRACKING_COLUMNS = ("order", "tracking", "carrier", "shipped", "sku", "quantity")


@dataclass(frozen=True)
class PartnerSettings:
    """One ``[partners.NAME]`` table: a dropship supplier or 3PL warehouse reached by SFTP.

    Its orders are not picked here: the connector writes them to ``folder_out`` as CSV in the
    partner's columns and reads its tracking files back from ``folder_in``."""

    name: str
    kind: str
    host: str
    user: str
    port: int = 22
    secret_env: str = ""
    secret_file: str = ""
    host_key: str = ""  # the server's public key line ("ssh-ed25519 AAAA..."); required
    folder_out: str = "orders"
    folder_in: str = "tracking"
    folder_done: str = "tracking/done"
    folder_error: str = "tracking/error"
    skus: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    columns: tuple[tuple[str, str], ...] = ()  # (ours, theirs) for the order file
    tracking_columns: tuple[tuple[str, str], ...] = ()  # (ours, theirs) for tracking files
    delimiter: str = ","

    @property
    def label(self) -> str:
        return f"fulfilled by {self.name}"

    def secret(self, env: Mapping[str, str] | None = None) -> str:
        """The SFTP password, read afresh each time, as a channel account's secret."""
        return ChannelAccountSettings(
            name=self.name,
            kind="partner",
            url="",
            secret_env=self.secret_env,
            secret_file=self.secret_file,
        ).secret(env)


_PARTNER_KEYS: dict[str, type] = {
    "kind": str,
    "host": str,
    "port": int,
    "user": str,
    "secret_env": str,
    "secret_file": str,
    "host_key": str,
    "folder_out": str,
    "folder_in": str,
    "folder_done": str,
    "folder_error": str,
    "skus": list,
    "accounts": list,
    "columns": dict,
    "tracking_columns": dict,
    "delimiter": str,
}


def _column_map(
    where: str, key: str, given: dict[str, Any], ours: tuple[str, ...], problems: list[str]
) -> tuple[tuple[str, str], ...]:
    unknown = [k for k in given if k not in ours]
    if unknown:
        problems.append(
            f"{where} {key}: {', '.join(map(repr, unknown))} is not a column we know "
            f"({', '.join(ours)})"
        )
    bad = [k for k, v in given.items() if not isinstance(v, str) or not v.strip()]
    if bad:
        problems.append(f"{where} {key}: {', '.join(bad)} must name the partner's column")
    return tuple((k, str(given.get(k, k))) for k in ours)


def _partners(raw: Any, source: Path) -> tuple[PartnerSettings, ...]:
    """``[partners.NAME]`` tables, each checked; every problem named at once."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: partners must be [partners.NAME] tables, one per partner.")
    problems: list[str] = []
    partners: list[PartnerSettings] = []
    for name, table in raw.items():
        where = f"[partners.{name}]"
        if not isinstance(table, dict):
            problems.append(f"{where} must be a table (kind, host, user, secret_env, ...)")
            continue
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", name):
            problems.append(f"{where}: a partner name is letters, digits, '-', '_' or '.'")
        bad = False
        for key, value in table.items():
            expected = _PARTNER_KEYS.get(key)
            if expected is None:
                problems.append(
                    f"{where} {key} is not a setting we know{_did_you_mean(key, _PARTNER_KEYS)}"
                )
                bad = True
            elif type(value) is not expected:
                shown = {"list": "a list of text", "dict": "a table"}.get(expected.__name__)
                problems.append(f"{where} {key} must be {shown or _TYPE_NAMES[expected]}")
                bad = True
        if bad:
            continue
        if table.get("kind") not in PARTNER_KINDS:
            problems.append(
                f"{where} kind = {table.get('kind', '')!r} must be one of "
                f"{', '.join(PARTNER_KINDS)}"
            )
            continue
        for needed in ("host", "user", "host_key"):
            if not str(table.get(needed, "")).strip():
                problems.append(f"{where} needs {needed}")
        if bool(table.get("secret_env")) == bool(table.get("secret_file")):
            problems.append(
                f"{where} needs exactly one of secret_env or secret_file for the SFTP password"
            )
        if not table.get("skus") and not table.get("accounts"):
            problems.append(
                f"{where} needs skus (the SKUs it fulfils) or accounts (the [channels.NAME] "
                "accounts whose orders it fulfils)"
            )
        if not 1 <= table.get("port", 22) <= 65535:
            problems.append(f"{where} port must be 1 to 65535")
        if len(table.get("delimiter", ",")) != 1:
            problems.append(f"{where} delimiter must be one character")
        values = dict(table)
        values["skus"] = tuple(str(v) for v in table.get("skus", ()))
        values["accounts"] = tuple(str(v) for v in table.get("accounts", ()))
        values["columns"] = _column_map(
            where, "columns", table.get("columns", {}), PARTNER_COLUMNS, problems
        )
        values["tracking_columns"] = _column_map(
            where, "tracking_columns", table.get("tracking_columns", {}), TRACKING_COLUMNS, problems
        )
        if not problems:
            partners.append(PartnerSettings(name=name, **values))
    if problems:
        raise ConfigError(
            f"{source}: " + "; ".join(problems) + ". Fix the file (docs/connector.md)."
        )
    return tuple(partners)


def _validated(raw: dict[str, Any], source: Path) -> dict[tuple[str, str], Any]:
    known: dict[str, dict[str, Setting]] = {}
    for s in SETTINGS:
        known.setdefault(s.section, {})[s.key] = s
    values = {(s.section, s.key): s.default for s in SETTINGS}
    problems: list[str] = []
    for section, table in raw.items():
        if section not in known:
            problems.append(f"[{section}] is not a section we know{_did_you_mean(section, known)}")
            continue
        if not isinstance(table, dict):
            problems.append(f"{section} must be a [{section}] section, not a single value")
            continue
        for key, value in table.items():
            setting = known[section].get(key)
            where = f"[{section}] {key}"
            if setting is None:
                problems.append(
                    f"{where} is not a setting we know{_did_you_mean(key, known[section])}"
                )
                continue
            expected = type(setting.default)
            if type(value) is not expected:
                problems.append(
                    f"{where} = {_toml_value(value)} must be {_TYPE_NAMES[expected]}, "
                    f"e.g. {setting.key} = {_toml_value(setting.default)}"
                )
                continue
            problem = setting.check(value) if setting.check else None
            if problem:
                problems.append(f"{where} = {setting.shown(value)} {problem}")
                continue
            values[section, key] = value
    if problems:
        raise ConfigError(
            f"{source}: "
            + "; ".join(problems)
            + ". Fix the file, or delete the line to use the default."
        )
    return values


_TYPE_NAMES = {
    str: "text in quotes",
    int: "a whole number",
    bool: "true or false",
    float: "a number",
}


def _did_you_mean(word: str, choices: Mapping[str, Any]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


def file_readable_by_others(path: Path) -> bool:
    try:
        return bool(path.stat().st_mode & (stat.S_IRGRP | stat.S_IROTH))
    except OSError:
        return False


def central_connect_url(config: Config, env: Mapping[str, str] | None = None) -> URL:
    """The central store's URL with its password, from the URL itself, the environment
    (PACKBENCH_CENTRAL_PASSWORD) or ``[central] password_file``, in that order.

    Show it only through ``render_as_string(hide_password=True)``: a password never goes
    into a log line, an error message or ``doctor``.
    """
    env = os.environ if env is None else env
    url = make_url(config.central_url)
    if url.password or url.drivername.startswith("sqlite"):
        return url
    password = env.get("PACKBENCH_CENTRAL_PASSWORD")
    if not password and config.central_password_file:
        path = Path(config.central_password_file).expanduser()
        try:
            password = path.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ConfigError(
                f"[central] password_file = {str(path)!r} cannot be read ({error.strerror}). "
                "Create it (chmod 600) or remove the setting."
            ) from error
    return url.set(password=password) if password else url
