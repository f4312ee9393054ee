"""What a scan says: first its syntax (``decode``), then its meaning here (``classify``).

``decode`` needs nothing but the text, so it runs anywhere (``packbench decode``, tests,
the scanner thread) and never raises for any text: whatever cannot be read becomes a
``Decoded`` with ``valid=False`` and errors a person can read. ``classify`` asks a
``ScanCatalogue`` whether the product, order or bin exists and words a one-line message
for the bench. GS1 syntax is biip's, reached only through ``app.domain.gs1``.

Barcode conventions (``ScanGrammar`` defaults; our printed documents encode these, in
Code 128 unless a document says otherwise). Tried in this order, first match wins::

    kind                  printed as            example          reference
    command               %PB:<word>            %PB:CLOSE        (command)
                          %PB:QTY:<n>           %PB:QTY:6        (quantity = 6)
    order                 ORD-<number>          ORD-100234       100234
                          #<number>             #100234          100234
    pick list             PL-<id>               PL-000123        PL-000123
    tote                  TOTE-<id>             TOTE-017         TOTE-017
    return authorisation  RA-<id>               RA-000042        RA-000042
    bin                   bin_pattern           A-03-2, BULK-01  A-03-2
    badge                 B-<id>                B-PACK-01        B-PACK-01
    product / sscc / gs1  GS1 (see below)       5012345678900    the GTIN or SSCC
    text                  SKU or alias shaped   TEA-EARL-100     as read
    unknown               anything else         --               --

- Prefixes and bin codes are matched regardless of case (caps lock on a wedge scanner
  flips it) and references are upper-cased, except a badge, which is kept exactly as
  read: it is a credential, looked up by hash, never repeated in a message, and shown
  (``as_json``, ``show_scan``, screens, the audit trail) only as "badge (hidden)".
- After a prefix comes 1-32 of A-Z, 0-9, "-", "/", ".". A prefix with anything else
  after it is that kind with ``valid=False``, never silently something else.
- Command words: CLOSE, NEW-PARCEL, PRINT, REPRINT, UNDO, CANCEL, SHIP-PARTIAL, OK,
  SIGN-OUT, SHORT (short pick; SHORT:BIN-EMPTY, SHORT:DAMAGED, SHORT:NOT-FOUND carry its
  reason), RESTOCK, QUARANTINE, SCRAP (return dispositions),
  REOPEN (the last closed parcel), BOX:<code> (the box the parcel goes in; the code is
  the ``reference``), and QTY:n with 1 <= n <= ``max_quantity`` (the next product scan
  counts n times). "%" and
  ":" begin no SKU, GS1 data or URL, and both are in Code 128 set B.
- A bare number is never an order number by its syntax (6 digits read as a UPC-E, 8 as a
  GTIN-8, as GS1 says); printed order barcodes always carry ``ORD-``. ``classify`` still
  finds an order typed or scanned as a bare number when the station has that order.
  ``bare_order_lengths`` can make 5, 7 or 9 digits order numbers for a site that wants it.
- Text (a SKU or alias) is printable ASCII with at least one letter, up to 64
  characters. It is ``valid=False`` for ``decode``: no standard defines it, only the
  catalogue can say it is a product, and ``classify`` asks it. Anything else is unknown,
  though ``classify`` still asks the catalogue, so an odd alias a product carries is found.
- Bin zones must not be named like a prefix (ORD, PL, TOTE, RA); badge ids must not have
  the shape of a bin code: "B-11-4" is bin B-11-4, "B-PACK-01" is a badge.
- GS1 (product, sscc, gs1): GTIN-8/12/13/14 and UPC-E (kind product, ``gtin`` always 14
  digits), SSCC-18 (sscc), element strings in GS1-128, GS1 DataMatrix or GS1 QR (product
  when they hold AI 01, sscc with AI 00, otherwise gs1: a lot or date label), the
  bracketed form "(01)...(17)...", and GS1 Digital Link URIs. Read as GS1: anything
  with a GS1 or EAN/UPC AIM identifier, all-digit text, text starting with "(" and a
  digit, with http(s)://, with FNC1 ("\\xf1" or a leading GS), or starting with a digit
  and holding a GS, or starting with 8 or more digits (no SKU does; biip's own
  reference data holds such text to be invalid).
- Validity follows the GS1 reference data (biip's test vectors, tests/data): GS1 text is
  valid when it reads as GS1 at all. A key inside it with a wrong check digit (AI 00,
  01, 410) leaves it valid with a warning, and that key is not used. A bare GTIN or
  SSCC with a wrong check digit is invalid, naming the expected digit, unless the digits
  also read as element strings ("4006381333932" is AI 400): then it is valid gs1 with
  that warning, and ``classify`` refuses it all the same.

A scan longer than any barcode holds (``LONGEST_SYMBOL``, 7,089 characters: a QR code of
digits) is refused at once, unread: it is a scanner gone wild. Below that, decoding takes
time in step with the length (biip's element-string loop is driven here a field at a time).

Before any of that, ``decode`` strips surrounding whitespace and the trailing CR/LF/TAB
suffix, then the station's ``scanner_prefix``, then an AIM identifier ("]" + code
character + modifier, e.g. "]C1", "]E0", "]d2", "]Q3") unless the scanner link already
gave it as ``symbology``. A wedge scanner that cannot send GS (0x1d) for FNC1 is set up
with ``gs_substitutes`` (e.g. "~" or "|", or the Ctrl+] keystroke as the wedge reader
spells it); one that drops FNC1 altogether with ``gs_dropped``.

``Decoded.as_json()["raw"]`` shows each non-printable character by its ASCII name in
angle brackets (GS as "<GS>", CR as "<CR>", others as "<U+00A0>"), the notation of GS1
documents and zbar: JSON keeps it readable, and "<GS>" is accepted back as input (it is
a default substitute), so printed output can be pasted into ``packbench decode``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Protocol

from app.domain.barcodes import GTIN_LENGTHS, gs1_check_digit
from app.domain.errors import DomainError, NotFound
from app.domain.gs1 import (
    FNC1,
    GS,
    GS1_SYMBOLOGIES,
    GTIN_SYMBOLOGIES,
    Gs1Form,
    Gs1Parse,
    parse_gs1,
)
from app.domain.scans import LONGEST_SYMBOL

__all__ = [
    "BADGE_HIDDEN",
    "DEFAULT_GRAMMAR",
    "TOO_LONG",
    "Command",
    "Decoded",
    "InMemoryCatalogue",
    "InvalidScanGrammar",
    "ProductHit",
    "ScanCatalogue",
    "ScanGrammar",
    "ScanKind",
    "ScanMeaning",
    "classify",
    "decode",
    "is_badge",
    "show_scan",
    "show_text",
]


class InvalidScanGrammar(DomainError):
    """A station's barcode conventions cannot work (bad regex, clashing prefixes)."""


class ScanKind(StrEnum):
    PRODUCT = "product"  # GTIN or GS1 data with AI 01; a case barcode is a product too
    SSCC = "sscc"  # a parcel's or pallet's serial shipping container code
    GS1 = "gs1"  # GS1 element strings with no product or parcel key (a lot/date label)
    ORDER = "order"
    PICK_LIST = "pick_list"
    TOTE = "tote"
    BIN = "bin"
    RETURN_AUTHORISATION = "return_authorisation"
    BADGE = "badge"
    COMMAND = "command"
    TEXT = "text"  # code-like text: a SKU or an alias, for the catalogue to decide
    UNKNOWN = "unknown"


class Command(StrEnum):
    """Command barcodes ("%PB:" + value): every bench button has one."""

    CLOSE = "CLOSE"
    NEW_PARCEL = "NEW-PARCEL"
    PRINT = "PRINT"
    REPRINT = "REPRINT"
    UNDO = "UNDO"
    CANCEL = "CANCEL"
    SHIP_PARTIAL = "SHIP-PARTIAL"
    QTY = "QTY"
    OK = "OK"
    SIGN_OUT = "SIGN-OUT"
    SHORT = "SHORT"
    RESTOCK = "RESTOCK"
    QUARANTINE = "QUARANTINE"
    SCRAP = "SCRAP"
    BOX = "BOX"
    REOPEN = "REOPEN"


COMMAND_WORDS: Mapping[Command, str] = {
    Command.CLOSE: "Close parcel",
    Command.NEW_PARCEL: "New parcel",
    Command.PRINT: "Print",
    Command.REPRINT: "Reprint",
    Command.UNDO: "Undo last scan",
    Command.CANCEL: "Cancel",
    Command.SHIP_PARTIAL: "Ship partial",
    Command.QTY: "Quantity",
    Command.OK: "OK",
    Command.SIGN_OUT: "Sign out",
    Command.SHORT: "Short pick",
    Command.RESTOCK: "Restock",
    Command.QUARANTINE: "Quarantine",
    Command.SCRAP: "Scrap",
    Command.BOX: "Box",
    Command.REOPEN: "Reopen parcel",
}

SHORT_REASONS = ("BIN-EMPTY", "DAMAGED", "NOT-FOUND")
"""The reasons a short pick may carry on its barcode (%PB:SHORT:DAMAGED): the picker scans
one and the short pick is recorded with it (app.domain.picking.ShortReason)."""

_WHITESPACE = " \t\r\n\v\f"
_BOX_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{0,11}")
_DIGITS = frozenset("0123456789")
_IDENTIFIER = re.compile(r"[A-Z0-9][A-Z0-9./-]{0,31}")
# "]" + an ISO/IEC 15424 code character + one modifier character.
_AIM = re.compile(r"\][A-Za-z][0-9A-Za-z]")
_AIM_CODE_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUXYZcdeopsz")
_KEY_LENGTHS = frozenset((*GTIN_LENGTHS, 18))
_MAX_TEXT = 64  # the longest SKU or alias the catalogue stores
_SHOWN_LENGTH = 80  # the most of a scan's text a screen shows

BADGE_HIDDEN = "badge (hidden)"
"""What screens, logs and the audit trail show for a badge: it is a credential."""

TOO_LONG = (
    f"Refused: more than {LONGEST_SYMBOL:,} characters came as one scan, longer than any "
    "barcode holds. Check the scanner (a stuck trigger, or no suffix set) and scan again."
)
"""Why a scan longer than any barcode is refused, unread (the sentence the bench shows)."""


@dataclass(frozen=True)
class ScanGrammar:
    """A station's barcode conventions: plain data, loaded from config later.

    See the module docstring for what each convention means and why.
    """

    scanner_prefix: str = ""
    gs_substitutes: tuple[str, ...] = ("<GS>",)
    gs_dropped: bool = False
    command_prefix: str = "%PB:"
    order_prefixes: tuple[str, ...] = ("ORD-", "#")
    bare_order_lengths: tuple[int, ...] = ()
    pick_list_prefix: str = "PL-"
    tote_prefix: str = "TOTE-"
    return_prefix: str = "RA-"
    badge_prefix: str = "B-"
    bin_pattern: str = r"^[A-Z]{1,4}-\d{2}-\d$|^BULK-\d{2}$"
    max_quantity: int = 999
    _bin_re: re.Pattern[str] = field(init=False, repr=False, compare=False, hash=False)
    _prefixes: tuple[tuple[str, ScanKind], ...] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        try:
            bin_re = re.compile(self.bin_pattern)
        except re.error as error:
            raise InvalidScanGrammar(
                f"The bin code pattern {self.bin_pattern!r} is not a regular expression "
                f"({error}). Fix bin_pattern in the station's scan settings."
            ) from error
        prefixes = (
            *((p, ScanKind.ORDER) for p in self.order_prefixes),
            (self.pick_list_prefix, ScanKind.PICK_LIST),
            (self.tote_prefix, ScanKind.TOTE),
            (self.return_prefix, ScanKind.RETURN_AUTHORISATION),
        )
        named = [*(p for p, _ in prefixes), self.command_prefix, self.badge_prefix]
        for prefix in named:
            if not prefix or prefix[0].isdigit() or prefix[0] in "(]" + GS + FNC1:
                raise InvalidScanGrammar(
                    f"The barcode prefix {prefix!r} would clash with product barcodes: "
                    "a prefix must be set and must not start with a digit, '(' or ']'."
                )
        upper = [p.upper() for p in named]
        if len(set(upper)) != len(upper):
            raise InvalidScanGrammar(f"Two kinds of barcode share a prefix: {named}.")
        clashing = sorted(_KEY_LENGTHS.intersection(self.bare_order_lengths))
        if clashing:
            raise InvalidScanGrammar(
                f"Bare order numbers cannot be {clashing} digits long: GTINs and SSCCs are. "
                "Print order numbers with their prefix (ORD-) instead."
            )
        if self.max_quantity < 1:
            raise InvalidScanGrammar("max_quantity must be at least 1.")
        # Longest first, so "ORD-" is tried before a shorter prefix it starts with.
        ordered = tuple(sorted(((p.upper(), k) for p, k in prefixes), key=lambda x: -len(x[0])))
        object.__setattr__(self, "_bin_re", bin_re)
        object.__setattr__(self, "_prefixes", ordered)


DEFAULT_GRAMMAR = ScanGrammar()


@dataclass(frozen=True)
class Decoded:
    """The syntax of one scan: what kind of code it is and the values in it.

    ``raw`` is the text as received; ``data`` is what was read once the suffix, scanner
    prefix and AIM identifier were taken off; ``reference`` is what to look up (order
    number, bin code, GTIN, SSCC, the text itself) and is set only on a valid scan.
    ``valid`` is about syntax only: whether the product, order or bin exists is
    ``classify``'s business. ``warnings`` concern a valid scan that is still suspect.
    """

    raw: str
    kind: ScanKind
    valid: bool
    data: str = ""
    symbology: str | None = None
    reference: str | None = None
    gtin: str | None = None
    sscc: str | None = None
    ais: Mapping[str, str] = field(default_factory=dict, hash=False)
    lot: str | None = None
    serial: str | None = None
    expiry: dt.date | None = None
    best_before: dt.date | None = None
    command: Command | None = None
    quantity: int | None = None
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def too_long(self) -> bool:
        """Longer than any barcode: refused unread, whatever the screen was waiting for."""
        return self.errors == (TOO_LONG,)

    def as_json(self) -> dict[str, Any]:
        """The ``packbench decode`` contract: these keys, always all of them."""
        badge = self.kind is ScanKind.BADGE
        # A badge is never printed; a flood is printed cut; anything else exactly.
        raw = show_scan(self.raw, badge=badge) if badge or self.too_long else show_text(self.raw)
        return {
            "raw": raw,
            "symbology": self.symbology,
            "kind": self.kind.value,
            "gtin": self.gtin,
            "ais": dict(self.ais),
            "valid": self.valid,
            "errors": list(self.errors),
            "warnings": list(self.warnings),
            "sscc": self.sscc,
            "lot": self.lot,
            "serial": self.serial,
            "expiry": self.expiry.isoformat() if self.expiry else None,
            "best_before": self.best_before.isoformat() if self.best_before else None,
            "command": self.command.value if self.command else None,
            "quantity": self.quantity,
            "reference": BADGE_HIDDEN if badge and self.reference else self.reference,
        }


_ASCII_NAMES = (
    *("NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL"),
    *("BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI"),
    *("DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB"),
    *("CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US"),
)


def show_text(text: str) -> str:
    """``text`` with non-printable characters named: "01...<GS>17...", "<CR>"."""
    if text.isprintable():
        return text
    shown = []
    for char in text:
        if char.isprintable():
            shown.append(char)
        elif ord(char) < 32:
            shown.append(f"<{_ASCII_NAMES[ord(char)]}>")
        elif char == "\x7f":
            shown.append("<DEL>")
        else:
            shown.append(f"<U+{ord(char):04X}>")
    return "".join(shown)


def decode(
    text: str,
    symbology: str | None = None,
    grammar: ScanGrammar = DEFAULT_GRAMMAR,
) -> Decoded:
    """Read one scan's text (and the AIM identifier its link reported, if any).

    A ``symbology`` that is not shaped like an AIM identifier is ignored. Text longer than
    any barcode (``LONGEST_SYMBOL``) is refused at once; below that, the time taken grows
    in step with the length of the text.
    """
    data, symbology = _unwrap(text, symbology, grammar)
    if len(data) > LONGEST_SYMBOL:
        return Decoded(
            raw=text,
            kind=ScanKind.UNKNOWN,
            valid=False,
            symbology=symbology,
            errors=(TOO_LONG,),
        )
    if not data:
        return Decoded(
            raw=text,
            kind=ScanKind.UNKNOWN,
            valid=False,
            symbology=symbology,
            errors=("not recognised: nothing was read",),
        )
    ours = _our_convention(text, data, symbology, grammar)
    if ours is not None:
        return ours
    candidate = data
    for substitute in grammar.gs_substitutes:
        if substitute:
            candidate = candidate.replace(substitute, GS)
    looks_like_code = _looks_like_code(data)
    if _reads_as_gs1(candidate, symbology) or (not looks_like_code and data[0] in _DIGITS):
        return _decode_gs1(text, data, candidate, symbology, grammar)
    if looks_like_code:
        # Valid means a standard (GS1) or one of our conventions defines the code; a SKU
        # or alias is only known to the catalogue, which ``classify`` asks.
        return Decoded(
            raw=text,
            kind=ScanKind.TEXT,
            valid=False,
            data=data,
            symbology=symbology,
            reference=data,
            errors=(
                f"not a GS1 code or one of our barcodes: {show_text(data)!r} can only be a "
                "SKU or alias, which the catalogue decides",
            ),
        )
    if not data.isascii() and data.isprintable():
        return _not_recognised(text, data, symbology, _LAYOUT_HINT)
    return _not_recognised(text, data, symbology)


def _unwrap(text: str, symbology: str | None, grammar: ScanGrammar) -> tuple[str, str | None]:
    """The code inside a scan: suffix, whitespace, scanner prefix and AIM identifier off."""
    data = text.strip(_WHITESPACE)
    prefix = grammar.scanner_prefix
    if prefix and data.startswith(prefix):
        data = data[len(prefix) :].strip(_WHITESPACE)
    if symbology is not None and not _is_aim(symbology):
        symbology = None
    if _is_aim(data[:3]) and (symbology is None or data.startswith(symbology)):
        symbology, data = data[:3], data[3:]
    return data, symbology


def is_badge(text: str, grammar: ScanGrammar = DEFAULT_GRAMMAR) -> bool:
    """Whether ``text`` reads as a badge, readable or not: a credential, never shown or kept.

    As cheap as the prefix checks: no GS1 parsing. (At the login screen every scan is a
    badge whatever this says; that is the caller's to know.)
    """
    data, symbology = _unwrap(text, None, grammar)
    if not data or len(data) > LONGEST_SYMBOL:
        return False
    ours = _our_convention(text, data, symbology, grammar)
    return ours is not None and ours.kind is ScanKind.BADGE


def show_scan(text: str, *, badge: bool = False) -> str:
    """A scan's text as a screen or a log line shows it.

    A badge is ``BADGE_HIDDEN``; control characters are named ("<GS>"); text longer than a
    line is cut, saying how long it was, so a scanner gone wild cannot flood a table cell.
    """
    if badge:
        return BADGE_HIDDEN
    if len(text) <= _SHOWN_LENGTH:
        return show_text(text)
    return f"{show_text(text[:_SHOWN_LENGTH])}… ({len(text):,} characters)"


_LAYOUT_HINT = (
    "it holds letters no product barcode carries: "
    "is the scanner set to the same keyboard layout as this computer?"
)


def _is_aim(text: str) -> bool:
    return _AIM.fullmatch(text) is not None and text[1] in _AIM_CODE_CHARACTERS


def _not_recognised(
    raw: str, data: str, symbology: str | None, *details: str, kind: ScanKind = ScanKind.UNKNOWN
) -> Decoded:
    return Decoded(
        raw=raw,
        kind=kind,
        valid=False,
        data=data,
        symbology=symbology,
        errors=(f"not recognised: {show_text(data)!r}", *details),
    )


def _our_convention(
    raw: str, data: str, symbology: str | None, grammar: ScanGrammar
) -> Decoded | None:
    """Commands, orders, pick lists, totes, RAs, bins and badges, or None."""
    command_prefix = grammar.command_prefix
    if data[: len(command_prefix)].upper() == command_prefix.upper():
        return _decode_command(raw, data, symbology, data[len(command_prefix) :], grammar)
    for prefix, kind in grammar._prefixes:
        if data[: len(prefix)].upper() == prefix:
            rest = data[len(prefix) :].upper()
            if _IDENTIFIER.fullmatch(rest) is None:
                return _not_recognised(
                    raw,
                    data,
                    symbology,
                    f"{prefix} must be followed by 1-32 letters, digits, '-', '/' or '.'",
                    kind=kind,
                )
            reference = rest if kind is ScanKind.ORDER else data.upper()
            return Decoded(
                raw=raw, kind=kind, valid=True, data=data, symbology=symbology, reference=reference
            )
    if len(data) <= 32 and grammar._bin_re.fullmatch(data.upper()) is not None:
        return Decoded(
            raw=raw,
            kind=ScanKind.BIN,
            valid=True,
            data=data,
            symbology=symbology,
            reference=data.upper(),
        )
    if data[: len(grammar.badge_prefix)].upper() == grammar.badge_prefix.upper():
        if not _looks_like_code(data):
            return Decoded(
                raw=raw,
                kind=ScanKind.BADGE,
                valid=False,
                data=data,
                symbology=symbology,
                errors=("not recognised: a badge with characters no badge has",),
            )
        return Decoded(
            raw=raw, kind=ScanKind.BADGE, valid=True, data=data, symbology=symbology, reference=data
        )
    if (
        len(data) in grammar.bare_order_lengths
        and set(data) <= _DIGITS
        and symbology not in GS1_SYMBOLOGIES
        and symbology not in GTIN_SYMBOLOGIES
    ):
        return Decoded(
            raw=raw, kind=ScanKind.ORDER, valid=True, data=data, symbology=symbology, reference=data
        )
    return None


def _decode_command(
    raw: str, data: str, symbology: str | None, rest: str, grammar: ScanGrammar
) -> Decoded:
    word, _, argument = rest.upper().partition(":")
    try:
        command = Command(word)
    except ValueError:
        return _not_recognised(
            raw, data, symbology, f"{show_text(word)!r} is not a command", kind=ScanKind.COMMAND
        )
    quantity = None
    reference = None
    if command is Command.QTY:
        digits = 0 < len(argument) <= 9 and set(argument) <= _DIGITS
        if not (digits and 1 <= int(argument) <= grammar.max_quantity):
            return _not_recognised(
                raw,
                data,
                symbology,
                f"a quantity is a whole number from 1 to {grammar.max_quantity}",
                kind=ScanKind.COMMAND,
            )
        quantity = int(argument)
    elif command is Command.BOX:
        if not _BOX_CODE.fullmatch(argument):
            return _not_recognised(
                raw,
                data,
                symbology,
                "a box command names the box: %PB:BOX:M (1-12 letters, digits or '-')",
                kind=ScanKind.COMMAND,
            )
        reference = argument
    elif command is Command.SHORT and argument:
        if argument not in SHORT_REASONS:
            return _not_recognised(
                raw,
                data,
                symbology,
                "a short pick's reason is one of "
                + ", ".join(f"%PB:SHORT:{w}" for w in SHORT_REASONS),
                kind=ScanKind.COMMAND,
            )
        reference = argument
    elif argument:
        return _not_recognised(
            raw, data, symbology, f"{command} takes no value", kind=ScanKind.COMMAND
        )
    return Decoded(
        raw=raw,
        kind=ScanKind.COMMAND,
        valid=True,
        data=data,
        symbology=symbology,
        command=command,
        quantity=quantity,
        reference=reference,
    )


def _reads_as_gs1(candidate: str, symbology: str | None) -> bool:
    if symbology in GS1_SYMBOLOGIES or symbology in GTIN_SYMBOLOGIES:
        return True
    first = candidate[0]
    if first in (GS, FNC1):
        return True
    if first == "(":
        return candidate[1:2].isdigit()
    if first in "hH":
        return candidate[:8].lower().startswith(("http://", "https://"))
    if first not in _DIGITS:
        return False
    if GS in candidate or FNC1 in candidate:
        return True
    leading = len(candidate) - len(candidate.lstrip("0123456789"))
    return leading == len(candidate) or leading >= 8


def _looks_like_code(data: str) -> bool:
    """A SKU or alias could be this: printable ASCII with a letter, not too long.

    Code 128, Code 39 and keyboard wedges deliver ASCII; letters like "ß" or "ü" in a
    scan nearly always mean a keyboard layout that differs from the scanner's.
    """
    return (
        len(data) <= _MAX_TEXT
        and data.isascii()
        and data.isprintable()
        and any(c.isalpha() for c in data)
    )


def _decode_gs1(
    raw: str, data: str, candidate: str, symbology: str | None, grammar: ScanGrammar
) -> Decoded:
    # biip knows no "]J1" (GS1 DotCode); its data is element strings, as after "]C1".
    hint = "]C1" if symbology == "]J1" else symbology
    if hint not in GS1_SYMBOLOGIES and hint not in GTIN_SYMBOLOGIES:
        hint = None
    parsed = parse_gs1((hint or "") + candidate, gs_dropped=grammar.gs_dropped)
    if parsed.ok:
        return _from_gs1(raw, data, symbology, parsed)

    wrong_check_digit = _wrong_check_digit(data, symbology)
    if wrong_check_digit:
        return Decoded(
            raw=raw,
            kind=ScanKind.SSCC if len(data) == 18 else ScanKind.PRODUCT,
            valid=False,
            data=data,
            symbology=symbology,
            errors=(wrong_check_digit,),
        )
    return _not_recognised(raw, data, symbology, *parsed.errors)


def _wrong_check_digit(data: str, symbology: str | None) -> str:
    """What is wrong with a bare GTIN or SSCC whose check digit fails, or ""."""
    if len(data) not in _KEY_LENGTHS or not set(data) <= _DIGITS:
        return ""
    if symbology in GS1_SYMBOLOGIES:
        return ""
    expected = gs1_check_digit(data[:-1])
    if expected == data[-1]:
        return ""
    key = "SSCC" if len(data) == 18 else "GTIN"
    return f"wrong {key} check digit: expected {expected}, got {data[-1]}"


def _from_gs1(raw: str, data: str, symbology: str | None, parsed: Gs1Parse) -> Decoded:
    if parsed.sscc is not None or ("00" in parsed.ais and parsed.gtin is None):
        kind = ScanKind.SSCC
    elif parsed.gtin is not None or "01" in parsed.ais:
        kind = ScanKind.PRODUCT
    else:
        kind = ScanKind.GS1
    return Decoded(
        raw=raw,
        kind=kind,
        valid=True,
        data=data,
        symbology=symbology,
        reference=parsed.sscc if kind is ScanKind.SSCC else parsed.gtin,
        gtin=parsed.gtin,
        sscc=parsed.sscc,
        ais=parsed.ais,
        lot=parsed.lot,
        serial=parsed.serial,
        expiry=parsed.expiry,
        best_before=parsed.best_before,
        warnings=parsed.warnings + _bare_key_warnings(data, symbology, parsed),
    )


def _bare_key_warnings(data: str, symbology: str | None, parsed: Gs1Parse) -> tuple[str, ...]:
    """Bare digits of a GTIN's length that failed as a GTIN but read as element strings.

    "4006381333932" (a German EAN-13 mistyped) reads as AI 400; that is valid GS1, as
    the reference data has it, but the person almost surely scanned a product.
    """
    if parsed.form is not Gs1Form.ELEMENT_STRING or symbology is not None:
        return ()
    wrong = _wrong_check_digit(data, symbology)
    return (f"{wrong}; read as GS1 element strings instead",) if wrong else ()


# --- meaning in context -----------------------------------------------------------------


@dataclass(frozen=True)
class ProductHit:
    """A product as a scan finds it; ``units`` is what one scan of that code counts."""

    product_id: int
    sku: str
    name: str
    units: int = 1
    serial_tracked: bool = False
    lot_tracked: bool = False


class ScanCatalogue(Protocol):
    """What ``classify`` asks of the station's data; ``InMemoryCatalogue`` is one."""

    def product_by_code(self, code: str) -> ProductHit | None:
        """The product with this GTIN (any form), SKU or alias, or None."""
        ...

    def order_exists(self, number: str) -> bool: ...

    def bin_exists(self, code: str) -> bool: ...


@dataclass(frozen=True)
class ScanMeaning:
    """What a scan means here, and the sentence the bench shows for it.

    ``units`` is how many items a product scan counts (case units x any pending QTY);
    for a QTY command it is the quantity, otherwise 0.
    """

    kind: ScanKind
    decoded: Decoded
    message: str
    product: ProductHit | None = None
    units: int = 0


def classify(decoded: Decoded, catalogue: ScanCatalogue, *, quantity: int = 1) -> ScanMeaning:
    """Decide what ``decoded`` means here; ``quantity`` is a pending QTY command's n."""
    if quantity < 1:
        raise ValueError(f"quantity must be at least 1, got {quantity}")
    kind = decoded.kind
    if kind is ScanKind.PRODUCT and decoded.valid:
        return _product_meaning(decoded, catalogue, quantity)
    if kind is ScanKind.COMMAND and decoded.valid:
        assert decoded.command is not None
        if decoded.command is Command.QTY:
            n = decoded.quantity or 1
            return ScanMeaning(kind, decoded, f"Quantity {n} for the next item", units=n)
        return ScanMeaning(kind, decoded, COMMAND_WORDS[decoded.command])
    if kind is ScanKind.ORDER and decoded.valid:
        number = decoded.reference or ""
        if catalogue.order_exists(number):
            return ScanMeaning(kind, decoded, f"Order {number}")
        if decoded.data != number:  # carried the ORD- prefix: an order for sure
            return _unknown(decoded, f"Unknown order {number}: no order has that number here")
    elif kind is ScanKind.BIN and decoded.valid:
        if catalogue.bin_exists(decoded.reference or ""):
            return ScanMeaning(kind, decoded, f"Bin {decoded.reference}")
        hit = catalogue.product_by_code(decoded.data)
        if hit is not None:
            return _found(decoded, hit, quantity)
        return _unknown(decoded, f"Unknown bin {decoded.reference}: no bin has that code here")
    elif kind is ScanKind.SSCC and decoded.valid and decoded.sscc is not None:
        return ScanMeaning(kind, decoded, f"Parcel SSCC {decoded.sscc}")
    elif kind is ScanKind.GS1 and decoded.valid and not decoded.warnings:
        # A numeric SKU ("10002") also reads as element strings ((10) lot 002).
        hit = catalogue.product_by_code(decoded.data)
        if hit is not None:
            as_sku = replace(
                decoded,
                kind=ScanKind.TEXT,
                ais={},
                lot=None,
                serial=None,
                expiry=None,
                best_before=None,
                reference=decoded.data,
            )
            return _found(as_sku, hit, quantity)
        return ScanMeaning(kind, decoded, f"GS1 data without a product: {_hri(decoded.ais)}")
    elif kind in _NAMED and decoded.valid:
        return ScanMeaning(kind, decoded, f"{_NAMED[kind]} {decoded.reference}")
    elif kind is ScanKind.BADGE and decoded.valid:
        return ScanMeaning(kind, decoded, "Badge")  # a credential: never repeated

    # Anything left may still be a SKU or an alias the catalogue knows (a bare number,
    # a code with a bad check digit stored as an alias because a product carries it).
    if decoded.data and kind is not ScanKind.BADGE:
        hit = catalogue.product_by_code(decoded.data)
        if hit is not None:
            return _found(decoded, hit, quantity)
        if catalogue.order_exists(decoded.data):  # a number typed as it stands on the slip
            return ScanMeaning(ScanKind.ORDER, decoded, f"Order {decoded.data}")
        if kind is ScanKind.TEXT and catalogue.bin_exists(decoded.data):
            return ScanMeaning(ScanKind.BIN, decoded, f"Bin {decoded.data.upper()}")
    return _unknown(decoded, _refusal(decoded))


_NAMED = {
    ScanKind.PICK_LIST: "Pick list",
    ScanKind.TOTE: "Tote",
    ScanKind.RETURN_AUTHORISATION: "Return authorisation",
}


def _product_meaning(decoded: Decoded, catalogue: ScanCatalogue, quantity: int) -> ScanMeaning:
    if decoded.gtin is None:  # AI 01 with a wrong check digit
        return _unknown(decoded, _refusal(decoded))
    hit = catalogue.product_by_code(decoded.gtin)
    if hit is None and catalogue.order_exists(decoded.data):
        # A bare order number of 6 or 8 digits reads as a UPC-E or GTIN-8 too.
        return ScanMeaning(ScanKind.ORDER, decoded, f"Order {decoded.data}")
    if hit is None:
        shown = decoded.data if set(decoded.data) <= _DIGITS else decoded.gtin
        return _unknown(decoded, f"Unknown barcode {shown}: no product has it")
    return _found(decoded, hit, quantity)


def _found(decoded: Decoded, hit: ProductHit, quantity: int) -> ScanMeaning:
    units = hit.units * quantity
    if hit.units > 1 and quantity > 1:
        count = f" ×{units} ({quantity} cases of {hit.units})"
    elif hit.units > 1:
        count = f" ×{units} (case)"
    elif quantity > 1:
        count = f" ×{units}"
    else:
        count = ""
    details = [
        f"lot {decoded.lot}" if decoded.lot else "",
        f"serial {decoded.serial}" if decoded.serial else "",
        f"use by {decoded.expiry.isoformat()}" if decoded.expiry else "",
        f"best before {decoded.best_before.isoformat()}" if decoded.best_before else "",
    ]
    message = " · ".join([hit.name + count, *(d for d in details if d)])
    return ScanMeaning(ScanKind.PRODUCT, decoded, message, product=hit, units=units)


def _unknown(decoded: Decoded, message: str) -> ScanMeaning:
    return ScanMeaning(ScanKind.UNKNOWN, decoded, message)


def _refusal(decoded: Decoded) -> str:
    if not decoded.data:  # nothing read, or far too much
        reason = decoded.errors[0] if decoded.errors else "not recognised: nothing was read"
        return reason[:1].upper() + reason[1:]
    shown = show_text(decoded.data)
    if decoded.kind is ScanKind.BADGE:
        return "Not recognised: that badge cannot be read"
    if not decoded.valid and decoded.kind not in (ScanKind.UNKNOWN, ScanKind.TEXT):
        reason = decoded.errors[-1]
        return f"Not recognised: {shown!r}: {reason}"
    if len(decoded.errors) > 1:
        return f"Not recognised: {shown!r}: {decoded.errors[1]}"
    if decoded.warnings:
        return f"Not recognised: {shown!r}: {decoded.warnings[0]}"
    return f"Not recognised: {shown!r} is not a product, order, bin or command here"


def _hri(ais: Mapping[str, str]) -> str:
    return "".join(f"({ai}){value}" for ai, value in ais.items())


class InMemoryCatalogue:
    """A ``ScanCatalogue`` over plain dicts: built from rows, answers in microseconds.

    ``merge`` takes rows that changed later (a product with all its barcodes, new orders and
    bins), so the station keeps it current without reading everything again. GTINs are
    indexed as 14 digits, so any form of a GTIN finds its product; SKUs and aliases are found
    as written, and then regardless of case. When two products answer to one code (the SKU
    of one is an alias of another), a barcode wins over a SKU as written, a SKU over a
    barcode regardless of case, and then the lower product id: the order the rows came in
    does not matter, so a merged catalogue answers exactly as one built from all its rows.
    """

    def __init__(self) -> None:
        self._products: dict[int, ProductHit] = {}
        # The keys each product is filed under (as written, regardless of case).
        self._keys: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self._codes = _CodeIndex()
        self._folded = _CodeIndex()
        self._orders: set[str] = set()
        self._bins: set[str] = set()

    @classmethod
    def from_rows(
        cls,
        products: Iterable[Mapping[str, Any]],
        barcodes: Iterable[Mapping[str, Any]] = (),
        orders: Iterable[str] = (),
        bins: Iterable[str] = (),
    ) -> InMemoryCatalogue:
        """From rows shaped like the products and product_barcodes tables."""
        catalogue = cls()
        catalogue.merge(products, barcodes, orders, bins)
        return catalogue

    def merge(
        self,
        products: Iterable[Mapping[str, Any]],
        barcodes: Iterable[Mapping[str, Any]] = (),
        orders: Iterable[str] = (),
        bins: Iterable[str] = (),
    ) -> None:
        """Take changed rows: each product given replaces what was known of it, barcodes
        included (``barcodes`` are all of those products' barcodes, as they travel with
        their product); orders and bins are added."""
        codes: dict[int, list[tuple[str, int]]] = {}
        for row in barcodes:
            codes.setdefault(row["product_id"], []).append((row["code"], row.get("units", 1)))
        for row in products:
            self.put_product(
                row["id"],
                row["sku"],
                row["name"],
                serial_tracked=bool(row.get("serial_tracked", False)),
                lot_tracked=bool(row.get("lot_tracked", False)),
                barcodes=codes.pop(row["id"], ()),
            )
        if codes:
            product_id, orphans = next(iter(codes.items()))
            raise NotFound(f"Barcode {orphans[0][0]}: product {product_id} is not in the rows.")
        self._orders.update(orders)
        self._bins.update(code.upper() for code in bins)

    def put_product(
        self,
        product_id: int,
        sku: str,
        name: str,
        *,
        serial_tracked: bool = False,
        lot_tracked: bool = False,
        barcodes: Iterable[tuple[str, int]] = (),
    ) -> None:
        """A product with all its barcodes (code, units), new or replacing what was known."""
        self._withdraw(product_id)
        hit = ProductHit(product_id, sku, name, 1, serial_tracked, lot_tracked)
        self._products[product_id] = hit
        exact, folded = [sku], [sku.upper()]
        self._codes.file(sku, (1, product_id, sku), hit)
        self._folded.file(sku.upper(), (0, product_id, sku), hit)
        for code, units in barcodes:
            coded = replace(hit, units=units) if units != 1 else hit
            key = _gtin_key(code) or code
            self._codes.file(key, (0, product_id, code), coded)
            self._folded.file(key.upper(), (1, product_id, code), coded)
            exact.append(key)
            folded.append(key.upper())
        self._keys[product_id] = (tuple(exact), tuple(folded))

    def _withdraw(self, product_id: int) -> None:
        exact, folded = self._keys.pop(product_id, ((), ()))
        for key in exact:
            self._codes.withdraw(key, product_id)
        for key in folded:
            self._folded.withdraw(key, product_id)
        self._products.pop(product_id, None)

    def add_order(self, number: str) -> None:
        self._orders.add(number)

    def add_bin(self, code: str) -> None:
        self._bins.add(code.upper())

    def product_by_code(self, code: str) -> ProductHit | None:
        codes = self._codes.best
        hit = codes.get(code)
        if hit is not None:
            return hit
        key = _gtin_key(code)
        if key is not None and key in codes:
            return codes[key]
        return self._folded.best.get(code.upper())

    def order_exists(self, number: str) -> bool:
        return number in self._orders

    def bin_exists(self, code: str) -> bool:
        return code.upper() in self._bins


_Rank = tuple[int, int, str]  # (kind of key, product id, the code as stored)


class _CodeIndex:
    """Code -> the best-ranked product filed under it; the others wait in case it goes."""

    def __init__(self) -> None:
        self.best: dict[str, ProductHit] = {}
        self._filed: dict[str, list[tuple[_Rank, ProductHit]]] = {}

    def file(self, key: str, rank: _Rank, hit: ProductHit) -> None:
        entries = self._filed.setdefault(key, [])
        entries.append((rank, hit))
        if len(entries) > 1:
            entries.sort(key=lambda entry: entry[0])
        self.best[key] = entries[0][1]

    def withdraw(self, key: str, product_id: int) -> None:
        entries = self._filed.get(key)
        if entries is None:
            return
        entries[:] = [entry for entry in entries if entry[1].product_id != product_id]
        if entries:
            self.best[key] = entries[0][1]
        else:
            del self._filed[key], self.best[key]


def _gtin_key(code: str) -> str | None:
    """A GTIN in any form as its 14 digits; None for anything else."""
    if (
        len(code) in GTIN_LENGTHS
        and set(code) <= _DIGITS
        and gs1_check_digit(code[:-1]) == code[-1]
    ):
        return code.zfill(14)
    return None
