"""The 4x6 in shipping label in ZPL II, and a small parser for ZPL the tests and simulator use.

The layout (printing/label_layout.py) is written in dots of a 203 dpi head. Zebra's
"203 dpi" and "300 dpi" are really 8 and 12 dots/mm, so a 300 dpi label is the 203 dpi
one times 1.5 (^PW1218 ^LL1827 for 4x6 in), not times 300/203. Each resolution and shape
of data (how many address lines, which optional fields) gets its template once; a label
is then only its own text slotted in, about 4x the time of a bare f-string of its size.

Text: ^CI28 makes field data UTF-8, and the bytes sent are UTF-8, so "Müller", Greek and
Cyrillic print with the scalable font ^A0. Chinese, Japanese and Korean need a printer
font that has those glyphs: ^A0 has none. The data is sent as it is; a site shipping to
Asia downloads a CJK TrueType font and maps font 0 to it with ^CW (not tried on a
printer here).

Escaping: "^" and "~" in a field would start a command, so every text field carries ^FH
and "^", "~" and "_" (the escape character itself) travel as _5E, _7E and _5F: nothing of
a name is dropped. Control characters become spaces.
"""

from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass

from printing import label_layout as layout
from printing.documents import Party, ShippingLabel

__all__ = [
    "DOTS_PER_MM",
    "ZplCommand",
    "ZplField",
    "parse_zpl_fields",
    "shipping_label_zpl",
    "zpl_commands",
    "zpl_text",
]

# 600 dpi heads exist, but ^BY and ^BQ stop at 10 dots a module: this layout would not fit.
DOTS_PER_MM = {203: 8, 300: 12}

_BASE_DOTS_PER_MM = 8  # printing/label_layout.py is written in these
_CHAR_WIDTH = 0.55  # ^A0's average advance per dot of width, to condense long lines

_ESCAPES = {ord("^"): "_5E", ord("~"): "_7E", ord("_"): "_5F"}
_ESCAPES.update(dict.fromkeys((*range(32), 127), " "))


def zpl_text(text: str) -> str:
    """Field data safe inside ^FH^FD...^FS, losing nothing (see the module docstring)."""
    if "^" in text or "~" in text or "_" in text or not text.isprintable():
        return text.translate(_ESCAPES)
    return text


@dataclass(frozen=True)
class _Slot:
    """One line of text at a fixed place, already scaled to a resolution."""

    prefix: str  # "^FOx,y^A0N,h,"
    height: int
    full: str  # prefix + "h^FH^FD": the usual case, a text that fits at full width
    max_chars: int


@dataclass(frozen=True)
class _Template:
    head: str
    tail: str
    from_name: _Slot
    from_lines: tuple[_Slot, ...]
    to_name: _Slot
    to_lines: tuple[_Slot, ...]
    carrier: _Slot
    service: _Slot
    box: _Slot
    order: _Slot
    shipment: _Slot
    parcel: _Slot
    weight: _Slot
    reference: _Slot
    qr_prefix: str
    barcode_prefix: str
    hri_prefix: str


@functools.cache
def _template(dpi: int) -> _Template:
    try:
        scale = DOTS_PER_MM[dpi] / _BASE_DOTS_PER_MM
    except KeyError:
        raise ValueError(
            f"No label layout for {dpi} dpi: use one of {sorted(DOTS_PER_MM)}."
        ) from None

    def d(value: int) -> int:
        return round(value * scale)

    def slot(box: layout.TextBox) -> _Slot:
        prefix = f"^FO{d(box.x)},{d(box.top)}^A0N,{d(box.height)},"
        max_chars = max(1, int(box.width / (box.height * _CHAR_WIDTH)))
        return _Slot(prefix, d(box.height), f"{prefix}{d(box.height)}^FH^FD", max_chars)

    def caption(box: layout.TextBox, text: str) -> str:
        size = d(box.height)
        return f"^FO{d(box.x)},{d(box.top)}^A0N,{size},{size}^FD{text}^FS\n"

    def rule(top: int) -> str:
        width, thickness = d(layout.TEXT_WIDTH), d(layout.RULE_THICKNESS)
        return f"^FO{d(layout.MARGIN)},{d(top)}^GB{width},{thickness},{thickness}^FS\n"

    head = "".join(
        (
            "^XA\n^CI28\n",
            f"^PW{d(layout.WIDTH)}^LL{d(layout.LENGTH)}^LH0,0^PON\n",
            caption(layout.FROM_CAPTION, "FROM"),
            caption(layout.TO_CAPTION, "SHIP TO"),
            caption(layout.SSCC_CAPTION, "SSCC"),
            *(rule(top) for top in layout.RULES),
        )
    )
    hri = d(layout.HRI_HEIGHT)
    return _Template(
        head=head,
        tail="^PQ1\n^XZ\n",
        from_name=slot(layout.FROM_NAME),
        from_lines=tuple(slot(box) for box in layout.FROM_LINES),
        to_name=slot(layout.TO_NAME),
        to_lines=tuple(slot(box) for box in layout.TO_LINES),
        carrier=slot(layout.CARRIER),
        service=slot(layout.SERVICE),
        box=slot(layout.BOX),
        order=slot(layout.ORDER),
        shipment=slot(layout.SHIPMENT),
        parcel=slot(layout.PARCEL),
        weight=slot(layout.WEIGHT),
        reference=slot(layout.REFERENCE),
        # ^BQ: model 2; "MA," = error correction M, automatic input mode.
        qr_prefix=(f"^FO{d(layout.QR_X)},{d(layout.QR_TOP)}^BQN,2,{d(layout.QR_MODULE)}^FDMA,"),
        # GS1-128: ">;" starts in code set C, ">8" is FNC1.
        barcode_prefix=(
            f"^FO{d(layout.SSCC_X)},{d(layout.SSCC_TOP)}^BY{d(layout.SSCC_MODULE)}"
            f"^BCN,{d(layout.SSCC_BAR_HEIGHT)},N,N,N^FD>;>8"
        ),
        hri_prefix=f"^FO0,{d(layout.HRI_TOP)}^A0N,{hri},{hri}^FB{d(layout.WIDTH)},1,0,C^FD",
    )


def _lines(party: Party, slots: int) -> list[str]:
    lines = [*party.lines, party.country]
    if len(lines) > slots:  # more lines than room: the last slot takes the rest
        lines = [*lines[: slots - 1], ", ".join(lines[slots - 1 :])]
    return lines


@functools.cache
def _form(
    dpi: int, from_lines: int, to_lines: int, optional: tuple[bool, bool, bool, bool]
) -> tuple[list[str], tuple[_Slot, ...], tuple[int, ...]]:
    """The label for one shape of data: the ZPL between its values, its slots, their room.

    The values go between the pieces by slice assignment and one join, which is about
    three times faster than ``str.format`` parsing a 1 kB template on every label.
    """
    t = _template(dpi)
    carrier, service, box, reference = optional
    slots = (
        t.from_name,
        *t.from_lines[:from_lines],
        *((t.carrier,) if carrier else ()),
        *((t.service,) if service else ()),
        *((t.box,) if box else ()),
        t.to_name,
        *t.to_lines[:to_lines],
        t.order,
        t.shipment,
        t.parcel,
        t.weight,
        *((t.reference,) if reference else ()),
    )
    between = [t.head + slots[0].full]
    between += (f"^FS\n{slot.full}" for slot in slots[1:])
    between += (f"^FS\n{t.qr_prefix}", f"^FS\n{t.barcode_prefix}", f"^FS\n{t.hri_prefix}")
    between.append("^FS\n" + t.tail)
    return between, slots, tuple(slot.max_chars for slot in slots)


def shipping_label_zpl(label: ShippingLabel, dpi: int = 203) -> bytes:
    """The label as ZPL II bytes (UTF-8), for a 4x6 in label at ``dpi`` (203 or 300)."""
    t = _template(dpi)
    sender, recipient = label.ship_from, label.ship_to
    from_lines = _lines(sender, len(t.from_lines))
    to_lines = _lines(recipient, len(t.to_lines))
    carrier, service = label.carrier, label.service
    box = label.box and f"Box {label.box}"
    reference = label.reference and f"Ref {label.reference}"
    texts = [
        sender.name,
        *from_lines,
        *((carrier,) if carrier else ()),
        *((service,) if service else ()),
        *((box,) if box else ()),
        recipient.name,
        *to_lines,
        f"Order {label.order_number}",
        f"Shipment {label.shipment_number}",
        f"Parcel {label.parcel_no} of {label.parcel_count}",
        f"Weight {label.weight_text}",
        *((reference,) if reference else ()),
    ]
    shape = (bool(carrier), bool(service), bool(box), bool(reference))
    between, slots, room = _form(dpi, len(from_lines), len(to_lines), shape)
    # One look at all the text: almost every label needs no escaping at all.
    joined = "".join(texts)
    if "^" in joined or "~" in joined or "_" in joined or not joined.isprintable():
        values = [text.translate(_ESCAPES) for text in texts]
    else:
        values = texts.copy()
    if not all(map(operator.le, map(len, texts), room)):
        # A line too long for its place: condense its characters rather than cut the text.
        between = between.copy()
        for index, (text, slot) in enumerate(zip(texts, slots, strict=True)):
            if len(text) > slot.max_chars:
                width = max(slot.height * slot.max_chars // len(text), slot.height // 3)
                between[index] = between[index].replace(slot.full, f"{slot.prefix}{width}^FH^FD")
    values += (label.digital_link, label.element_string, label.sscc_hri)
    parts = between + values  # the right length; now interleave them
    parts[::2] = between
    parts[1::2] = values
    return "".join(parts).encode()


# --- reading ZPL back ---------------------------------------------------------------------


@dataclass(frozen=True)
class ZplCommand:
    """One command: its prefix ("^" or "~"), name ("FO", "BC", "A") and raw parameters."""

    prefix: str
    name: str
    params: bytes


@dataclass(frozen=True)
class ZplField:
    """A printed field: where (^FO), how (the font or barcode command) and what (^FD).

    ``command`` is e.g. "A0" (font 0), "BC", "BQ"; ``params`` its parameters, split at
    commas. ``data`` is the field data with ^FH escapes decoded, as text.
    """

    x: int
    y: int
    command: str
    params: tuple[str, ...]
    data: str


_COMMAND = re.compile(rb"([\^~])([^\^~]*)")
_ONE_LETTER = frozenset(b"A")  # ^A<font>: the font name follows the letter directly


def zpl_commands(zpl: bytes) -> list[ZplCommand]:
    """Split ZPL into its commands, in order; line breaks between commands are dropped."""
    commands = []
    for match in _COMMAND.finditer(zpl):
        body = match.group(2)
        size = 1 if body[:1] and body[0] in _ONE_LETTER else 2
        name, params = body[:size].decode("ascii", "replace").upper(), body[size:]
        if name != "FD":
            params = params.rstrip(b"\r\n")
        commands.append(ZplCommand(match.group(1).decode(), name, params))
    return commands


def parse_zpl_fields(zpl: bytes) -> list[ZplField]:
    """The fields of a ZPL format, each with its position, command and decoded data."""
    fields: list[ZplField] = []
    encoding = "cp850"  # the printer's default before any ^CI
    x = y = 0
    command, params = "", tuple[str, ...]()
    hex_indicator: bytes | None = None
    data: bytes | None = None
    for cmd in zpl_commands(zpl):
        name = cmd.name
        if name == "CI":
            encoding = "utf-8" if cmd.params.split(b",")[0].strip() == b"28" else "cp850"
        elif name in ("FO", "FT"):
            x, y = _position(cmd.params)
        elif name == "A" or (name.startswith("B") and name not in ("BY",)) or name == "GB":
            command, params = _command_and_params(name, cmd.params)
        elif name == "FH":
            hex_indicator = cmd.params[:1] or b"_"
        elif name == "FD":
            data = cmd.params
        elif name == "FS":
            if data is not None:
                if hex_indicator is not None:
                    data = _unescape(data, hex_indicator)
                fields.append(ZplField(x, y, command, params, data.decode(encoding, "replace")))
            x = y = 0
            command, params = "", ()
            hex_indicator = data = None
    return fields


def _position(params: bytes) -> tuple[int, int]:
    values = [*params.split(b","), b"0", b"0"]
    return int(values[0] or 0), int(values[1] or 0)


def _command_and_params(name: str, params: bytes) -> tuple[str, tuple[str, ...]]:
    text = params.decode("ascii", "replace")
    if name == "A":
        font, rest = text[:1], text[1:].lstrip(",")
        return "A" + font, _split(rest)
    return name, _split(text)


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split(",")) if text else ()


def _unescape(data: bytes, indicator: bytes) -> bytes:
    pattern = re.escape(indicator) + rb"([0-9A-Fa-f]{2})"
    return re.sub(pattern, lambda m: bytes.fromhex(m.group(1).decode()), data)
