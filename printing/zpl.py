"""The 4x6 in shipping label in ZPL II, and a small parser for ZPL the tests and simulator use.

The layout (printing/label_layout.py) is written in dots of a 203 dpi head. Zebra's
"203 dpi" and "300 dpi" are really 8 and 12 dots/mm, so a 300 dpi label is the 203 dpi
one times 1.5 (^PW1218 ^LL1827 for 4x6 in), not times 300/203. Each resolution and shape
of data (how many address lines, which optional fields) gets its template once; a label
is then only its own text slotted in, about 4x the time of a bare f-string of its size.

Text: ^CI28 makes field data UTF-8, and the bytes sent are UTF-8. Which characters print
depends on the font. The printer's built-in scalable font 0 (^A0) prints Latin: taken here
as the characters of Zebra's code pages 850 and 1252 (``FONT_0``), so Greek, Cyrillic,
Chinese, Japanese and Korean are not in it. A site may load a Unicode TrueType font onto the
printer (docs/packing.md) and name it in ``[printer] zpl_font``: the label maps it to a font
letter with ^CW and sets every address and reference line in it (``PrinterFont``). Any line
with a character the font in use lacks is drawn as a picture instead (^GF, from
printing/raster.py with the bundled fonts), so it prints on any ZPL printer; Latin labels
stay plain text, and only one quick look at the whole text decides that.

Escaping: "^" and "~" in a field would start a command, so every text field carries ^FH
and "^", "~" and "_" (the escape character itself) travel as _5E, _7E and _5F: nothing of
a name is dropped. Control characters become spaces.

Pictures travel as ^GFA with Zebra's ASCII compression (a count letter before a repeated
hex digit, "," for the rest of a row blank, ":" for a row like the one before), which
makes a line of CJK a few kilobytes instead of tens.
"""

from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass

from printing import label_layout as layout
from printing.documents import Party, ShippingLabel
from printing.raster import Bitmap, text_bitmap

__all__ = [
    "DOTS_PER_MM",
    "FONT_0",
    "PrinterFont",
    "ZplCommand",
    "ZplField",
    "decode_graphic",
    "graphic_field",
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


def _code_page_characters(*code_pages: str) -> frozenset[int]:
    found = set(range(32, 127))
    for code_page in code_pages:
        for byte in range(0xA0, 0x100):
            try:
                found.add(ord(bytes([byte]).decode(code_page)))
            except UnicodeDecodeError:
                continue
        for byte in range(0x80, 0xA0):
            try:
                char = bytes([byte]).decode(code_page)
            except UnicodeDecodeError:
                continue
            if char.isprintable():
                found.add(ord(char))
    return frozenset(found)


FONT_0 = _code_page_characters("cp850", "cp1252")
"""What the built-in font 0 is trusted to print: ASCII and Zebra's code pages 850 and 1252
(Western European letters, €, typographic quotes and dashes)."""

_SPACES = frozenset((*range(32), 127))  # control characters: sent as spaces


@dataclass(frozen=True)
class PrinterFont:
    """A TrueType font stored on the printer, used as font ``letter`` through ^CW.

    ``name`` is where the printer keeps it ("E:NOTOSANS.TTF"); ``characters`` are the code
    points it has glyphs for (read from the same file here, ``printing.fonts``).
    """

    name: str
    characters: frozenset[int]
    letter: str = "J"

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[REBA]:[A-Z0-9_-]{1,16}\.(TTF|TTE|FNT)", self.name):
            raise ValueError(
                f"Printer font {self.name!r} is not a printer file name such as E:NOTOSANS.TTF."
            )
        if not re.fullmatch(r"[A-Z1-9]", self.letter):
            raise ValueError(f"Font letter {self.letter!r} must be one of A-Z or 1-9.")


@functools.cache
def _missing(characters: frozenset[int]) -> re.Pattern[str]:
    """A pattern that finds the first character outside ``characters`` (and the controls)."""
    points = sorted(characters | _SPACES)
    ranges: list[str] = []
    start = previous = points[0]
    for point in [*points[1:], -1]:
        if point == previous + 1:
            previous = point
            continue
        ranges.append(
            re.escape(chr(start)) + ("-" + re.escape(chr(previous)) if previous > start else "")
        )
        start = previous = point
    return re.compile("[^" + "".join(ranges) + "]")


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
    x: int
    top: int
    width: int
    bold: bool = False


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
def _template(dpi: int, font: tuple[str, str] | None = None) -> _Template:
    """The label at ``dpi``; ``font`` (letter, printer file) sets the text in a ^CW font."""
    try:
        scale = DOTS_PER_MM[dpi] / _BASE_DOTS_PER_MM
    except KeyError:
        raise ValueError(
            f"No label layout for {dpi} dpi: use one of {sorted(DOTS_PER_MM)}."
        ) from None

    def d(value: int) -> int:
        return round(value * scale)

    letter = font[0] if font else "0"

    def slot(box: layout.TextBox, bold: bool = False) -> _Slot:
        prefix = f"^FO{d(box.x)},{d(box.top)}^A{letter}N,{d(box.height)},"
        max_chars = max(1, int(box.width / (box.height * _CHAR_WIDTH)))
        full = f"{prefix}{d(box.height)}^FH^FD"
        return _Slot(
            prefix, d(box.height), full, max_chars, d(box.x), d(box.top), d(box.width), bold
        )

    def caption(box: layout.TextBox, text: str) -> str:
        size = d(box.height)
        return f"^FO{d(box.x)},{d(box.top)}^A0N,{size},{size}^FD{text}^FS\n"

    def rule(top: int) -> str:
        width, thickness = d(layout.TEXT_WIDTH), d(layout.RULE_THICKNESS)
        return f"^FO{d(layout.MARGIN)},{d(top)}^GB{width},{thickness},{thickness}^FS\n"

    head = "".join(
        (
            "^XA\n^CI28\n",
            f"^CW{font[0]},{font[1]}\n" if font else "",
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
        from_name=slot(layout.FROM_NAME, bold=True),
        from_lines=tuple(slot(box) for box in layout.FROM_LINES),
        to_name=slot(layout.TO_NAME, bold=True),
        to_lines=tuple(slot(box) for box in layout.TO_LINES),
        carrier=slot(layout.CARRIER, bold=True),
        service=slot(layout.SERVICE),
        box=slot(layout.BOX),
        order=slot(layout.ORDER, bold=True),
        shipment=slot(layout.SHIPMENT),
        parcel=slot(layout.PARCEL, bold=True),
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
    dpi: int,
    from_lines: int,
    to_lines: int,
    optional: tuple[bool, bool, bool, bool],
    font: tuple[str, str] | None = None,
) -> tuple[list[str], tuple[_Slot, ...], tuple[int, ...]]:
    """The label for one shape of data: the ZPL between its values, its slots, their room.

    The values go between the pieces by slice assignment and one join, which is about
    three times faster than ``str.format`` parsing a 1 kB template on every label.
    """
    t = _template(dpi, font)
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


def shipping_label_zpl(
    label: ShippingLabel, dpi: int = 203, font: PrinterFont | None = None
) -> bytes:
    """The label as ZPL II bytes (UTF-8), for a 4x6 in label at ``dpi`` (203 or 300).

    Text is set in the printer's font 0, or in ``font`` when the printer has one loaded;
    a line with characters that font lacks is drawn as a picture (module docstring).
    """
    key = (font.letter, font.name) if font is not None else None
    t = _template(dpi, key)
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
    between, slots, room = _form(dpi, len(from_lines), len(to_lines), shape, key)
    # One look at all the text: almost every label needs no escaping and no picture.
    joined = "".join(texts)
    printable = joined.isprintable()
    if "^" in joined or "~" in joined or "_" in joined or not printable:
        values = [text.translate(_ESCAPES) for text in texts]
    else:
        values = texts.copy()
    characters = font.characters if font is not None else FONT_0
    pictures: frozenset[int] = frozenset()
    if not (printable and _has_latin_1(characters) and _is_latin_1(joined)):
        missing = _missing(characters)
        if missing.search(joined) is not None:
            pictures = _pictures(texts, missing)
    if pictures or not all(map(operator.le, map(len, texts), room)):
        between = between.copy()
        for index, (text, slot) in enumerate(zip(texts, slots, strict=True)):
            if index in pictures:
                # The font cannot show it: the text goes as a picture where it would stand.
                between[index] = between[index].removesuffix(slot.full)
                values[index] = _picture(text, slot)
            elif len(text) > slot.max_chars:
                # Too long for its place: condense its characters rather than cut the text.
                width = max(slot.height * slot.max_chars // len(text), slot.height // 3)
                between[index] = between[index].replace(slot.full, f"{slot.prefix}{width}^FH^FD")
    values += (label.digital_link, label.element_string, label.sscc_hri)
    parts = between + values  # the right length; now interleave them
    parts[::2] = between
    parts[1::2] = values
    return "".join(parts).encode()


_LATIN_1 = frozenset((*range(0x20, 0x7F), *range(0xA0, 0x100)))


@functools.cache
def _has_latin_1(characters: frozenset[int]) -> bool:
    return _LATIN_1.issubset(characters | {0xA0, 0xAD})  # no-break space, soft hyphen aside


def _is_latin_1(text: str) -> bool:
    """Only Latin-1 characters (ten times quicker than the pattern, for most labels)."""
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _pictures(texts: list[str], missing: re.Pattern[str]) -> frozenset[int]:
    return frozenset(i for i, text in enumerate(texts) if missing.search(text) is not None)


def _picture(text: str, slot: _Slot) -> str:
    """``text`` drawn for ``slot``, as a positioned ^GF field (its ^FS follows in the form)."""
    bitmap = text_bitmap(" ".join(text.split()), slot.height, slot.width, bold=slot.bold)
    if not bitmap.width:
        return f"^FO{slot.x},{slot.top}^GB1,1,0"  # nothing visible: an empty box
    return f"^FO{slot.x + bitmap.left},{max(slot.top + bitmap.top, 0)}{graphic_field(bitmap)}"


_LOW_COUNTS = "GHIJKLMNOPQRSTUVWXY"  # 1 to 19
_HIGH_COUNTS = "ghijklmnopqrstuvwxyz"  # 20, 40, ... 400


def _count(n: int) -> str:
    """Zebra's repeat count for ``n`` copies of the next hex digit ("" for one copy)."""
    if n == 1:
        return ""
    high, low = divmod(n, 20)
    text = "z" * (high // 20)
    if high % 20:
        text += _HIGH_COUNTS[high % 20 - 1]
    if low:
        text += _LOW_COUNTS[low - 1]
    return text


def _compress_row(digits: str) -> str:
    body = digits.rstrip("0")
    if not body:
        return ","
    out = []
    index = 0
    while index < len(body):
        char = body[index]
        end = index + 1
        while end < len(body) and body[end] == char:
            end += 1
        run = end - index
        out.append(char * run if run < 3 else _count(run) + char)
        index = end
    if len(body) < len(digits):
        out.append(",")
    return "".join(out)


def graphic_field(bitmap: Bitmap) -> str:
    """``^GFA,...`` for ``bitmap``, compressed; the caller adds ^FO before and ^FS after."""
    per_row = bitmap.row_bytes
    total = per_row * bitmap.height
    rows: list[str] = []
    previous = None
    for row in bitmap.rows:
        if row == previous:
            rows.append(":")
            continue
        rows.append(_compress_row(row.hex().upper()))
        previous = row
    return f"^GFA,{total},{total},{per_row},{''.join(rows)}"


def decode_graphic(field: ZplField) -> Bitmap:
    """The picture of a ``^GF`` field (format A: hex, ASCII-compressed or not) as a bitmap.

    Raises ``ValueError`` on data that does not fill its declared size or is not hex.
    """
    if field.command != "GF":
        raise ValueError(f"not a ^GF field but {field.command}")
    kind, total, _, per_row = (*field.params, "", "", "", "")[:4]
    if kind != "A":
        raise ValueError(f"^GF format {kind!r}: only A (ASCII hex) is read here")
    width_digits = 2 * int(per_row)
    rows: list[str] = []
    current: list[str] = []
    count = 0

    def finish(fill: str) -> None:
        nonlocal current
        row = "".join(current)
        rows.append(row + fill * (width_digits - len(row)))
        current = []

    for char in field.data:
        if char in _LOW_COUNTS:
            count += _LOW_COUNTS.index(char) + 1
        elif char in _HIGH_COUNTS:
            count += 20 * (_HIGH_COUNTS.index(char) + 1)
        elif char == ",":
            finish("0")
        elif char == "!":
            finish("F")  # every bit of the rest of the row set
        elif char == ":":
            if current:
                finish("0")
            if not rows:
                raise ValueError("^GF data starts with ':' (repeat the row before)")
            rows.append(rows[-1])
        elif char in "0123456789ABCDEFabcdef":
            current.append(char.upper() * max(count, 1))
            count = 0
            if sum(map(len, current)) >= width_digits:
                row = "".join(current)
                if len(row) > width_digits:
                    raise ValueError("^GF row longer than its declared width")
                rows.append(row)
                current = []
        elif not char.isspace():
            raise ValueError(f"^GF data holds {char!r}, which is not hex nor a count")
    if current:
        finish("0")
    data = bytes.fromhex("".join(rows))
    if len(data) != int(total):
        raise ValueError(f"^GF declares {total} bytes and its data makes {len(data)}")
    rows_bytes = tuple(data[i : i + int(per_row)] for i in range(0, len(data), int(per_row)))
    return Bitmap(8 * int(per_row), rows_bytes)


def font_map(zpl: bytes) -> dict[str, str]:
    """The ^CW font letters a format maps to printer font files ("J": "E:NOTOSANS.TTF")."""
    found = {}
    for command in zpl_commands(zpl):
        if command.name == "CW":
            letter, _, name = command.params.decode("ascii", "replace").partition(",")
            found[letter.strip()] = name.strip()
    return found


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
        elif name == "GF":
            head = cmd.params.decode("ascii", "replace").split(",", 4)
            command, params = "GF", tuple(head[:4])
            data = (head[4] if len(head) > 4 else "").encode()
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
