"""A scan as every scanner delivers it, whatever the link (keyboard wedge, serial, test area)."""

from __future__ import annotations

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
