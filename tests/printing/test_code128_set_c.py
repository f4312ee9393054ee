"""Code 128 set C: printing.barcodes' own path for even runs of digits (a pick list draws
thousands of GTINs) against reportlab's encoder, which it replaces there."""

from __future__ import annotations

import random

from reportlab.graphics.barcode.code128 import Code128

from printing.barcodes import _bars, code128_bars


def test_even_digit_runs_are_encoded_in_set_c_exactly_as_reportlab_does() -> None:
    """printing.barcodes' own set C path (a pick list's thousands of GTINs) against the
    encoder it replaces there."""
    rng = random.Random(5)
    for _ in range(300):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.choice((2, 4, 14, 18, 20))))
        symbol = Code128(digits, quiet=0)
        symbol.validate()
        symbol.encode()
        assert code128_bars(digits) == _bars(symbol.decompose()), digits
