"""``packbench decode`` keeps badges hidden and refuses a flood, as the bench does."""

import json
import subprocess
import sys

from app.domain.decode import BADGE_HIDDEN, TOO_LONG
from app.domain.scans import LONGEST_SYMBOL


def decode(text: str) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, "-m", "app", "decode", text],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode, result.stdout


def test_a_badge_is_decoded_as_a_badge_and_never_printed() -> None:
    code, out = decode("B-PACK-01")
    shown = json.loads(out)
    assert (code, shown["kind"], shown["valid"]) == (0, "badge", True)
    assert shown["raw"] == shown["reference"] == BADGE_HIDDEN
    assert "PACK-01" not in out


def test_a_code_longer_than_any_barcode_is_refused_in_a_short_answer() -> None:
    code, out = decode("1" * (LONGEST_SYMBOL + 1))
    shown = json.loads(out)
    assert (code, shown["kind"], shown["valid"], shown["errors"]) == (
        1,
        "unknown",
        False,
        [TOO_LONG],
    )
    assert len(out) < 2000
