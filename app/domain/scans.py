"""A scan as every scanner delivers it, whatever the link (keyboard wedge, serial, test area)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Scan:
    """What arrived from a scanner, before anyone says what it means.

    ``text`` is the code without the scanner's configured prefix and suffix; a GS1 group
    separator stays as "\\x1d". ``symbology`` is the AIM identifier ("]C1", "]E0", "]d2",
    "]Q3") when the scanner sends one. ``at`` is ``time.monotonic()`` when the last
    character arrived.
    """

    text: str
    symbology: str | None = None
    source: str = "wedge"
    at: float = 0.0


GS = "\x1d"

LONGEST_SYMBOL = 7_089
"""The most characters one barcode holds: a version 40 QR code of digits (ISO/IEC 18004).

A longer scan is no barcode but a scanner gone wild (a stuck trigger, a suffix that never
comes): ``decode`` refuses it at once, and no link collects more than ``MAX_SCAN_TEXT``.
"""

MAX_SCAN_TEXT = LONGEST_SYMBOL + 64
"""The most characters a scanner link gathers into one scan: the longest symbol plus room for
a scanner's prefix, AIM identifier and suffix. A link that has gathered this many without
the end of a scan stops gathering, drops the rest until the scan ends, and delivers the
first ``MAX_SCAN_TEXT + 1`` characters, which ``decode`` refuses as too long. So a scanner
gone wild costs the bench bounded memory and time, and the next good scan works.
"""
# How a person writes the invisible GS1 group separator on a command line or in a file.
_GS_SPELLED = re.compile(r"\\x1d|<GS>", re.IGNORECASE)


def unescape_gs(text: str) -> str:
    r"""The text ``\x1d`` or ``<GS>`` typed by a person becomes the GS character (0x1D)."""
    return _GS_SPELLED.sub(GS, text)
