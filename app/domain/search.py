"""How people's words are matched against what the store holds: case- and accent-blind.

One rule for every search box: "muller" finds "Müller", "lodz" finds "Łódź". The words an
order is found by are folded with it once (app/db/order_search.py), and what is typed is
folded with it on each search, so SQL compares the two as they are.
"""

from __future__ import annotations

import unicodedata

# Latin letters that are not a base letter plus an accent, so NFKD leaves them alone; a
# keyboard without them still finds "Łódź" by typing "lodz".
_UNACCENTED = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)


def fold(text: str | None) -> str:
    """Case- and accent-blind form for matching: "Müller" is found by typing "muller"."""
    if not text:
        return ""
    if text.isascii():  # most names and numbers: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.casefold().translate(_UNACCENTED)


def words_of(text: str) -> list[str]:
    """The folded words of a search box, each to be found somewhere in an order."""
    return fold(text).split()
