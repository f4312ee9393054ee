"""Where everything sits on the 4x6 in shipping label, for the ZPL and the PDF alike.

Written once in dots of an 8 dots/mm head (812 x 1218 for 4 x 6 in; Zebra calls it
203 dpi): ZPL scales by 1.5 for a 12 dots/mm head, the PDF converts to points. Text
boxes are given by their top, like a ZPL ^FO field; ``height`` is the ^A0 character
height and ``width`` the room before the next thing on the line.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, LENGTH = 812, 1218
MARGIN = 30
TEXT_WIDTH = WIDTH - 2 * MARGIN


@dataclass(frozen=True)
class TextBox:
    x: int
    top: int
    height: int
    width: int


FROM_CAPTION = TextBox(MARGIN, 24, 20, 200)
FROM_NAME = TextBox(MARGIN, 48, 26, 540)
FROM_LINES = tuple(TextBox(MARGIN, 78 + 26 * i, 24, 540) for i in range(5))
CARRIER = TextBox(590, 30, 44, 192)
SERVICE = TextBox(590, 82, 30, 192)
BOX = TextBox(590, 122, 26, 192)

TO_CAPTION = TextBox(MARGIN, 238, 24, 200)
TO_NAME = TextBox(MARGIN, 268, 56, TEXT_WIDTH)
TO_LINES = tuple(TextBox(MARGIN, 330 + 48 * i, 44, TEXT_WIDTH) for i in range(6))

ORDER = TextBox(MARGIN, 640, 40, 540)
SHIPMENT = TextBox(MARGIN, 690, 32, 540)
PARCEL = TextBox(MARGIN, 734, 56, 540)
WEIGHT = TextBox(MARGIN, 800, 32, 270)
REFERENCE = TextBox(320, 800, 32, 260)
QR_X, QR_TOP, QR_MODULE = 600, 640, 6  # version 3 (29 modules) for an SSCC Digital Link

SSCC_CAPTION = TextBox(MARGIN, 862, 22, 200)
# GS1-128 of 00 + SSCC: start, FNC1, ten digit pairs, check, stop = 145 modules, centred.
SSCC_MODULES, SSCC_MODULE, SSCC_BAR_HEIGHT = 145, 4, 254
SSCC_X = (WIDTH - SSCC_MODULES * SSCC_MODULE) // 2
SSCC_TOP = 890
HRI_TOP, HRI_HEIGHT = 1152, 36

RULES = (226, 626, 852)  # tops of the full-width lines between the blocks
RULE_THICKNESS = 3
