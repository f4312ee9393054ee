"""A PDF label embeds its fonts from subsets made once (issue 11): same PDF, its own text.

The subset of a font a label uses is made once per process and kept (printing/fonts.py). A
label made after other labels, with other names and other characters, must be the very PDF a
process makes for it with nothing kept (the document's date and id aside): the same glyphs
in the same slots, so it looks the same; and it says its own order only.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from printing.documents import ShippingLabel
from printing.pdf import shipping_label_pdf
from tests.printing.readback import text_of
from tests.printing.samples import label, sscc

ROOT = Path(__file__).resolve().parents[2]
# What differs between two runs of the same document: its dates and its id.
STAMPS = re.compile(rb"/(?:CreationDate|ModDate) \(D:[^)]*\)|/ID\s*\n?\[[^\]]*\]")
# In a fresh process, the labels in another order than the test makes them.
FRESH = (
    "import sys\n"
    "from pathlib import Path\n"
    "from printing.pdf import shipping_label_pdf\n"
    "from tests.printing.test_kept_font_subsets import labels\n"
    "made = labels()\n"
    "for i in (1, 0, 2):\n"
    "    Path(sys.argv[1], f'{i}.pdf').write_bytes(shipping_label_pdf(made[i]))\n"
)


def labels() -> list[ShippingLabel]:
    first = label()
    return [
        first,
        label(
            order_number="200777",
            sscc=sscc(42),
            carrier="Ωmega Post",
            ship_to=replace(first.ship_to, name="Zoë Ødegård-Łukaszewicz"),
        ),
        label(order_number="300999", sscc=sscc(43), ship_to=replace(first.ship_to, name="Bo")),
    ]


def test_a_label_made_after_other_labels_is_the_pdf_a_fresh_process_makes(
    tmp_path: Path,
) -> None:
    made = [shipping_label_pdf(x) for x in labels()]
    again = shipping_label_pdf(labels()[0])  # after the others

    subprocess.run([sys.executable, "-c", FRESH, str(tmp_path)], cwd=ROOT, timeout=120, check=True)
    fresh = [(tmp_path / f"{i}.pdf").read_bytes() for i in range(3)]
    for ours, theirs in zip([*made, again], [*fresh, fresh[0]], strict=True):
        assert STAMPS.sub(b"", ours) == STAMPS.sub(b"", theirs)

    # Each says its own order, its own name, in its own characters; none another's.
    texts = [text_of(pdf, tmp_path) for pdf in made]
    assert "Order 100234" in texts[0] and labels()[0].ship_to.name in texts[0]
    assert "Order 200777" in texts[1] and "Zoë Ødegård-Łukaszewicz" in texts[1]
    assert "Ωmega Post" in texts[1]
    assert "Order 300999" in texts[2] and "Order 100234" not in texts[2]
    assert "Zoë" not in texts[0] + texts[2]
