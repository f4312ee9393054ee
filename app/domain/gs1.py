"""GS1 syntax, read by biip and handed on in our own types.

biip (github.com/jodal/biip) knows GTINs, UPC-E, SSCCs, Application Identifiers, the
bracketed human-readable form (HRI), GS1 Digital Link URIs and AIM symbology identifiers.
This module is the only place that imports it: the rest of Packbench sees a ``Gs1Parse``,
so a biip upgrade or replacement touches one file. Nothing here raises: whatever biip
reports or throws becomes an entry in ``Gs1Parse.errors``.

What biip does not do is ours, and done here because it needs biip's AI table:

- a leading FNC1 written as "\\xf1" (python-barcode's notation) is dropped, and "\\xf1"
  between fields is read as the GS separator;
- separator substitutes of any length (a wedge scanner programmed to send "~" or "<GS>")
  become GS before biip sees the text;
- ``gs_dropped=True`` recovers fixed-length element strings that a variable-length one
  swallowed because the scanner sent nothing for FNC1 (lot, then expiry).

GTINs come out as 14 digits whatever form was scanned (GTIN-8/12/13/14, UPC-E), so a
product matches however its barcode was printed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

import biip
from biip import ParseConfig
from biip.gs1_element_strings import GS1ElementString, GS1ElementStrings
from biip.gs1_messages import GS1Message
from biip.gtin import Gtin
from biip.sscc import Sscc
from biip.symbology import GS1Symbology, SymbologyIdentifier
from biip.upc import Upc

GS = "\x1d"
FNC1 = "\xf1"  # how python-barcode (and some test tools) write FNC1 in a string

# AIM symbology identifiers whose data is GS1 element strings or a Digital Link URI.
GS1_SYMBOLOGIES = frozenset({"]C1", "]e0", "]e1", "]e2", "]d2", "]Q3", "]J1"})
# AIM symbology identifiers of EAN/UPC and ITF-14 symbols: the data is a GTIN.
GTIN_SYMBOLOGIES = frozenset({"]E0", "]E3", "]E4", "]I1"})

_DIGITS = frozenset("0123456789")


class Gs1Form(StrEnum):
    """Which reading of the text was taken: it decides where gtin/sscc/lot come from."""

    GTIN = "gtin"  # a bare GTIN-8/12/13/14
    UPC_E = "upc_e"  # a zero-suppressed UPC-E, expanded to its GTIN
    SSCC = "sscc"  # a bare 18-digit SSCC
    ELEMENT_STRING = "element_string"  # AIs and values, GS between them where needed
    HRI = "hri"  # "(01)09501101530003(17)251231"
    DIGITAL_LINK = "digital_link"  # https://id.gs1.org/01/09501101530003/10/AB12
    NONE = "none"  # nothing GS1 could be read


@dataclass(frozen=True)
class Gs1Parse:
    """What the GS1 rules make of a scan, in Packbench's own terms.

    ``ais`` maps each Application Identifier to its raw value, in scan order. When bare
    digits read both as a GTIN or SSCC and as element strings (13 digits starting "21"
    are a GTIN-13 and also a serial number under AI 21), the GTIN/SSCC reading is taken
    (``form``), ``ais`` still shows the element-string reading, and lot, serial and dates
    are left empty: without an AIM identifier nobody can tell, and an EAN-13 is by far
    the likelier. Dates with day 00 mean the last day of the month, as GS1 says.

    ``errors`` say why nothing could be read. ``warnings`` are about a message that was
    read but holds a key with a wrong check digit (a GLN in AI 410, an SSCC in AI 00) or
    an AI twice: the syntax is valid, as biip and the GS1 reference data have it, but
    that key is not used (``gtin``/``sscc`` stay empty).
    """

    symbology: str | None = None
    form: Gs1Form = Gs1Form.NONE
    gtin: str | None = None
    sscc: str | None = None
    ais: Mapping[str, str] = field(default_factory=dict, hash=False)
    lot: str | None = None
    serial: str | None = None
    expiry: dt.date | None = None  # AI 17, use by / expiry
    best_before: dt.date | None = None  # AI 15
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Something was read as GS1 data."""
        return self.form is not Gs1Form.NONE and not self.errors


def parse_gs1(
    text: str,
    *,
    separator_chars: tuple[str, ...] = (GS,),
    gs_dropped: bool = False,
) -> Gs1Parse:
    """Read ``text`` as GTIN, UPC-E, SSCC, element strings, HRI or Digital Link.

    ``separator_chars`` are what the scanner sends for FNC1 between fields (any length);
    ``gs_dropped`` says it sends nothing at all, so swallowed fixed-length fields are
    split back out of a trailing variable-length one.
    """
    try:
        return _parse(text, separator_chars, gs_dropped)
    except Exception as error:  # biip is a library boundary; an odd input must not escape
        return Gs1Parse(errors=(f"GS1 parser failed on {text!r}: {error}",))


def _parse(text: str, separator_chars: tuple[str, ...], gs_dropped: bool) -> Gs1Parse:
    value = text.strip()
    for separator in separator_chars:
        if separator and separator != GS:
            value = value.replace(separator, GS)
    if value.startswith(FNC1):
        value = value[1:]
    value = value.replace(FNC1, GS).strip(" \t\r\n" + GS)
    if value.startswith("("):
        return _parse_hri(value)
    if value[:8].lower().startswith(("http://", "https://")):
        # QR codes in alphanumeric mode may upper-case the scheme; biip wants it lower.
        scheme, _, rest = value.partition(":")
        value = f"{scheme.lower()}:{rest}"
    result = _biip_parse(value)
    if gs_dropped and result.gs1_message is not None:
        result = _recover_dropped_separators(value, result)
    return _from_result(result)


# No GTIN, UPC or SSCC is longer: biip.parse reads text up to this long as it is.
_SHORT = 64
# biip's longest element string is AI 7256 with 90 percent-escaped characters (4 + 540); a
# field never reaches past this many characters from its start.
_ELEMENT_WINDOW = 1024
_BIIP_MESSAGE_SYMBOLOGIES = GS1Symbology.with_gs1_messages()
_BIIP_OTHER_SYMBOLOGIES = GS1Symbology.with_gtin() | GS1Symbology.with_gs1_digital_link_uri()


def _biip_parse(value: str) -> biip.ParseResult:
    """``biip.parse(value)``, in time that grows in step with the length of ``value``.

    biip reads a GS1 message a field at a time, slicing the rest of the text after each
    one: time grows with the square of the length (76 s for 2,000,000 digits). Text longer
    than any bare key can only be a message (or a Digital Link, which biip reads in linear
    time), so for such text the message is read here, with biip's own field parser on a
    window of the text, and its GTIN and SSCC promoted as biip does.
    """
    if len(value) <= _SHORT or value.startswith("http"):
        return biip.parse(value)
    identifier = SymbologyIdentifier.extract(value) if value.startswith("]") else None
    data = value[len(identifier) :] if identifier is not None else value
    symbology = identifier.gs1_symbology if identifier is not None else None
    if identifier is None:
        reads_message = not data.startswith("http")
    else:
        reads_message = (
            symbology in _BIIP_MESSAGE_SYMBOLOGIES or symbology not in _BIIP_OTHER_SYMBOLOGIES
        )
    if not reads_message:
        return biip.parse(value)
    result = biip.ParseResult(value=value, symbology_identifier=identifier)
    try:
        message = _gs1_message(data)
    except biip.ParseError as error:
        return replace(result, gs1_message_error=str(error))
    result = replace(result, gs1_message=message)
    sscc_element = message.element_strings.get(ai="00")
    if sscc_element is not None:
        try:
            result = replace(result, sscc=Sscc.parse(sscc_element.value))
        except biip.ParseError as error:
            result = replace(result, sscc_error=str(error))
    gtin_element = message.element_strings.get(ai="01")
    if gtin_element is not None:
        try:
            result = replace(result, gtin=Gtin.parse(gtin_element.value))
        except biip.ParseError as error:
            result = replace(result, gtin_error=str(error))
    return result


def _gs1_message(text: str) -> GS1Message:
    """``GS1Message.parse(text)`` reading each field from a bounded window, not the rest."""
    value = text.strip()
    separators = ParseConfig().separator_chars
    elements = GS1ElementStrings()
    at = 0
    while at < len(value):
        element = GS1ElementString.extract(value[at : at + _ELEMENT_WINDOW])
        elements.append(element)
        at += len(element)
        while at < len(value) and value[at] in separators:
            at += 1
    return GS1Message(value=value, element_strings=elements)


def _parse_hri(value: str) -> Gs1Parse:
    try:
        message = GS1Message.parse_hri(value)
    except biip.ParseError as error:
        return Gs1Parse(errors=(str(error),))
    return _from_elements(Gs1Form.HRI, None, message.element_strings, gtin=None, sscc=None)


def _from_result(result: biip.ParseResult) -> Gs1Parse:
    symbology = result.symbology_identifier.value if result.symbology_identifier else None
    data = result.value[len(symbology) :] if symbology else result.value
    gtin = result.gtin.as_gtin_14() if result.gtin is not None else None
    sscc = result.sscc.value if result.sscc is not None else None

    if symbology in GTIN_SYMBOLOGIES and gtin is None:
        gtin = _upc_e_as_gtin(data)  # biip tries only GTIN after an EAN/UPC identifier
        if gtin is not None:
            return Gs1Parse(symbology=symbology, form=Gs1Form.UPC_E, gtin=gtin)

    form = Gs1Form.NONE
    elements: GS1ElementStrings | None = None
    if result.gs1_digital_link_uri is not None:
        form, elements = Gs1Form.DIGITAL_LINK, result.gs1_digital_link_uri.element_strings
    elif result.gs1_message is not None and result.gs1_message.element_strings:
        form, elements = Gs1Form.ELEMENT_STRING, result.gs1_message.element_strings
    ais = _ais(elements) if elements is not None else {}

    # Bare digits that are a whole GTIN or SSCC are read as that key first (see Gs1Parse).
    digits_only = bool(data) and set(data) <= _DIGITS
    bare_key = symbology in GTIN_SYMBOLOGIES or (digits_only and symbology not in GS1_SYMBOLOGIES)
    if bare_key and result.gtin is not None and "01" not in ais:
        expanded = len(data) <= 8 and result.gtin.value != data
        return Gs1Parse(
            symbology=symbology,
            form=Gs1Form.UPC_E if expanded else Gs1Form.GTIN,
            gtin=gtin,
            ais=ais,
        )
    if bare_key and result.sscc is not None and "00" not in ais:
        return Gs1Parse(symbology=symbology, form=Gs1Form.SSCC, sscc=sscc, ais=ais)
    if elements is not None:
        return _from_elements(form, symbology, elements, gtin=gtin, sscc=sscc)
    return Gs1Parse(symbology=symbology, errors=_failure_reasons(result, data))


def _from_elements(
    form: Gs1Form,
    symbology: str | None,
    elements: Iterable[GS1ElementString],
    *,
    gtin: str | None,
    sscc: str | None,
) -> Gs1Parse:
    ais: dict[str, str] = {}
    warnings: list[str] = []
    dates: dict[str, dt.date] = {}
    for element in elements:
        ai = element.ai.ai
        if ai in ais and ais[ai] != element.value:
            warnings.append(f"AI ({ai}) appears twice, as {ais[ai]!r} and {element.value!r}.")
        ais.setdefault(ai, element.value)
        warnings.extend(e for e in (element.gtin_error, element.sscc_error, element.gln_error) if e)
        if element.date is not None:
            dates.setdefault(ai, element.date)
        if ai == "01" and gtin is None and element.gtin is not None:
            gtin = element.gtin.as_gtin_14()
        if ai == "00" and sscc is None and element.sscc is not None:
            sscc = element.sscc.value
    return Gs1Parse(
        symbology=symbology,
        form=form,
        gtin=gtin,
        sscc=sscc,
        ais=ais,
        lot=ais.get("10"),
        serial=ais.get("21"),
        expiry=dates.get("17"),
        best_before=dates.get("15"),
        warnings=tuple(warnings),
    )


def _ais(elements: Iterable[GS1ElementString]) -> dict[str, str]:
    ais: dict[str, str] = {}
    for element in elements:
        ais.setdefault(element.ai.ai, element.value)
    return ais


def _upc_e_as_gtin(data: str) -> str | None:
    try:
        return Upc.parse(data).as_gtin_14()
    except biip.BiipException:
        return None


def _failure_reasons(result: biip.ParseResult, data: str) -> tuple[str, ...]:
    """The one or two biip errors that explain the failure, not every parser's complaint."""
    if result.gs1_digital_link_uri_error:
        return (result.gs1_digital_link_uri_error,)
    digits_only = bool(data) and set(data) <= _DIGITS
    if digits_only and len(data) in (8, 12, 13, 14):
        preferred = [result.gtin_error]
    elif digits_only and len(data) == 18:
        preferred = [result.sscc_error]
    elif digits_only and len(data) in (6, 7):
        preferred = [result.upc_error]
    else:
        preferred = []
    preferred += [
        result.gs1_message_error,
        result.gtin_error,
        result.sscc_error,
        result.upc_error,
    ]
    for reason in preferred:
        if reason:
            return (reason,)
    return (f"{data!r} is not GS1 data.",)


def _recover_dropped_separators(value: str, result: biip.ParseResult) -> biip.ParseResult:
    """Split fixed-length fields back out of a trailing variable-length one.

    A scanner that drops FNC1 turns "10AB12<GS>17251231" into "10AB1217251231", which
    reads as lot "AB1217251231". The earliest split whose tail starts with a valid
    fixed-length element string (dates and check digits verified by biip), repeats no AI,
    and leaves a valid head wins. Only the last field can have swallowed the rest, and
    at most one variable-length field can be recovered: GS1 asks for them last anyway.
    """
    message = result.gs1_message
    assert message is not None
    elements = list(message.element_strings)
    last = elements[-1]
    if not last.ai.separator_required:
        return result
    seen = {e.ai.ai for e in elements}
    ai, data = last.ai.ai, last.value
    if not value.endswith(data):
        return result
    for cut in range(1, len(data)):
        tail = data[cut:]
        if not tail[0].isdigit():
            continue
        try:
            tail_elements = GS1Message.parse(tail).element_strings
            GS1ElementString.parse(ai + data[:cut])
        except (biip.ParseError, ValueError):
            continue
        if tail_elements[0].ai.separator_required:
            continue
        if any(e.ai.separator_required for e in tail_elements[:-1]):
            continue
        tail_ais = [e.ai.ai for e in tail_elements]
        if seen & set(tail_ais) or len(set(tail_ais)) != len(tail_ais):
            continue
        head_length = len(value) - len(data) + cut
        repaired = _biip_parse(value[:head_length] + GS + value[head_length:])
        if repaired.gs1_message is not None:
            return repaired
    return result
