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
# How a person writes the invisible GS1 group separator on a command line or in a file.
_GS_SPELLED = re.compile(r"\\x1d|<GS>", re.IGNORECASE)


def unescape_gs(text: str) -> str:
    r"""The text ``\x1d`` or ``<GS>`` typed by a person becomes the GS character (0x1D)."""
    return _GS_SPELLED.sub(GS, text)
