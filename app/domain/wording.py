"""How messages for people are put together: counted nouns, lists, sentences.

Every message the bench shows is built from parts: a count ("1 item"), a statement from the
rules ("Order 100234 is being packed at ST-02 until 10:57."), the next step from the bench
("scan another order"). Joining them by hand gave "1 items", "packed. scan 1 more" and
"10:57.: scan another order"; these functions are the one place that joins them.
"""

from __future__ import annotations

from collections.abc import Sequence

_ENDINGS = (".", "!", "?", "…")


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun in the right number: "1 item", "0 items", "2 tries"."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def listing(names: Sequence[str], limit: int = 3) -> str:
    """ "A", "A and B", "A, B and C", then "A, B, C and 2 more" past ``limit``."""
    if not names:
        return ""
    shown = list(names[:limit])
    rest = len(names) - len(shown)
    if rest:
        return f"{', '.join(shown)} and {rest} more"
    if len(shown) == 1:
        return shown[0]
    return f"{', '.join(shown[:-1])} and {shown[-1]}"


def capitalised(text: str) -> str:
    """The first letter upper case, the rest as it is (SKUs and names keep their case)."""
    return text[:1].upper() + text[1:]


def sentence(text: str) -> str:
    """``text`` as a sentence: a capital first, a full stop last unless it ends with one."""
    text = text.strip()
    if not text:
        return ""
    return capitalised(text) + ("" if text.endswith(_ENDINGS) else ".")


def sentences(*parts: str | None) -> str:
    """The non-empty parts, each made a sentence, joined by one space."""
    return " ".join(sentence(part) for part in parts if part and part.strip())


def statement(text: str) -> str:
    """``text`` without its closing full stop, ready for what follows a colon or comma."""
    text = text.strip()
    while text.endswith("."):
        text = text[:-1].rstrip()
    return text


def then(said: str, instruction: str) -> str:
    """What happened, a colon, what to do: "… until 10:57: scan another order." """
    return sentence(f"{statement(said)}: {statement(instruction)}")
