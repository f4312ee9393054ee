"""The fonts shipped in resources/fonts, so every address renders on a bare bench PC.

Qt takes the first family that has a glyph: Noto Sans for Latin, Greek and Cyrillic, then
Droid Sans Fallback for Chinese, Japanese and Korean (see resources/fonts/README.md).

Each bundled font is registered under a private family name ("Packbench Noto Sans", ...).
With its own name, a system font of the same name can shadow it: Debian's ghostscript pulls
in DroidSansFallbackFull.ttf, also called "Droid Sans Fallback" but without Hangul, and Qt
then rendered Korean addresses as empty boxes. The files on disk stay as published (the PDF
code embeds them by path); only the copy handed to Qt is renamed, in memory.
"""

from __future__ import annotations

import logging
import struct
from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QFontDatabase

FONT_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"

# In the order Qt should try them.
BUNDLED_FONT_FILES = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "DroidSansFallback.ttf")
FAMILY_PREFIX = "Packbench "

log = logging.getLogger(__name__)


def load_bundled_fonts(font_dir: Path = FONT_DIR) -> list[str]:
    """Register the bundled fonts with Qt; return their family names, preferred first.

    Needs a QGuiApplication. A missing or unreadable file is logged and skipped: the
    application still starts, with the system's fonts for that script.
    """
    families: list[str] = []
    for name in BUNDLED_FONT_FILES:
        path = font_dir / name
        try:
            data = with_private_family_name(path.read_bytes(), FAMILY_PREFIX)
        except (OSError, ValueError, struct.error) as error:
            log.warning(
                "bundled font %s cannot be used (%s); using the system's fonts", path, error
            )
            continue
        font_id = QFontDatabase.addApplicationFontFromData(QByteArray(data))
        if font_id < 0:
            log.warning("Qt refused the bundled font %s; using the system's fonts", path)
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in families:
                families.append(family)
    return families


# --- renaming a TrueType font's family (the 'name' table), without touching its glyphs -------

_FAMILY, _FULL_NAME, _POSTSCRIPT_NAME, _TYPOGRAPHIC_FAMILY = 1, 4, 6, 16


def with_private_family_name(font: bytes, prefix: str) -> bytes:
    """The same font with ``prefix`` before its family, full and PostScript names.

    The new 'name' table is appended and the table directory pointed at it; every other
    table is left byte for byte.
    """
    if font[:4] not in (b"\x00\x01\x00\x00", b"true"):
        raise ValueError("not a TrueType font file")
    (num_tables,) = struct.unpack_from(">H", font, 4)
    for i in range(num_tables):
        entry = 12 + 16 * i
        tag, _checksum, offset, _length = struct.unpack_from(">4sIII", font, entry)
        if tag == b"name":
            break
    else:
        raise ValueError("the font has no 'name' table")
    table = _renamed_name_table(font, offset, prefix)
    new_offset = _padded(len(font))
    out = bytearray(font) + bytes(new_offset - len(font)) + table
    out += bytes(_padded(len(out)) - len(out))
    struct.pack_into(">4sIII", out, entry, b"name", _checksum_of(table), new_offset, len(table))
    return bytes(out)


def _renamed_name_table(font: bytes, offset: int, prefix: str) -> bytes:
    table_format, count, storage_offset = struct.unpack_from(">HHH", font, offset)
    if table_format != 0:
        raise ValueError(f"'name' table format {table_format} is not handled")
    records: list[tuple[int, int, int, int, int, int]] = []
    storage = bytearray()
    for i in range(count):
        platform, encoding, language, name_id, length, start = struct.unpack_from(
            ">6H", font, offset + 6 + 12 * i
        )
        text_start = offset + storage_offset + start
        raw = font[text_start : text_start + length]
        if name_id in (_FAMILY, _FULL_NAME, _POSTSCRIPT_NAME, _TYPOGRAPHIC_FAMILY):
            raw = _prefixed(raw, platform, name_id, prefix)
        records.append((platform, encoding, language, name_id, len(raw), len(storage)))
        storage += raw
    header = struct.pack(">HHH", 0, len(records), 6 + 12 * len(records))
    return header + b"".join(struct.pack(">6H", *r) for r in records) + bytes(storage)


def _prefixed(raw: bytes, platform: int, name_id: int, prefix: str) -> bytes:
    codec = "latin-1" if platform == 1 else "utf-16-be"  # Macintosh Roman is ASCII here
    text = raw.decode(codec)
    if name_id == _POSTSCRIPT_NAME:  # no spaces allowed in a PostScript name
        text = prefix.strip().replace(" ", "") + "-" + text
    else:
        text = prefix + text
    return text.encode(codec)


def _padded(n: int) -> int:
    return (n + 3) & ~3


def _checksum_of(table: bytes) -> int:
    data = table + bytes(_padded(len(table)) - len(table))
    total: int = sum(struct.unpack(f">{len(data) // 4}I", data))
    return total & 0xFFFFFFFF
