"""What a scan-driven bench answers, whatever the workspace: one value per scan or key.

Pack now, Pick and Returns next: a bench controller takes a scan (or a key), does what it
means through one service, and returns a ``BenchResult``: what to say, in which tone, which
line to flash, what the bench now waits for and what the NEXT line says. One place in the
window turns it into the last-scan band, a sound and a flash; the controller never reaches
into widgets. Plain values, no Qt: a controller's rules can be tested without a window.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Tone(StrEnum):
    """What a coloured thing means: green done, amber waiting, red refused."""

    DONE = "done"
    WAITING = "waiting"
    REFUSED = "refused"
    NEUTRAL = "neutral"


class Need(StrEnum):
    """What a bench can wait for before it takes anything else."""

    SERIAL = "serial"  # the serial number of the item just scanned
    CONFIRMATION = "confirmation"  # OK (or CANCEL) on something out of the ordinary
    REASON = "reason"  # words typed by the person (a partial shipment, a short pick)
    BIN = "bin"  # the bin the item is taken from or put in
    QUANTITY = "quantity"  # how many, counted or typed


@dataclass(frozen=True)
class Awaiting:
    """What the bench waits for: until it comes (or CANCEL), anything else is refused.

    ``prompt`` is the NEXT line while it waits; ``refusal`` is what a scan of anything else
    is told. A controller subclasses it to keep what it needs to finish the step (the item
    waiting for its serial, the weight waiting for OK).
    """

    need: Need
    prompt: str
    refusal: str


@dataclass(frozen=True)
class Prompt:
    """The NEXT line: what the person does now. Empty text hides the line."""

    text: str
    tone: Tone = Tone.NEUTRAL

    @property
    def shown(self) -> bool:
        return bool(self.text)


HIDDEN = Prompt("")


@dataclass(frozen=True)
class BenchResult:
    """What one scan or key did at a bench.

    ``said``: the last-scan band's words (None: the scan's own meaning, or nothing new for a
    key). ``tone``: DONE, WAITING (taken, and something must come next) or REFUSED (nothing
    was changed; ``said`` says why and what to do). ``flash_line``: the line the scan counted
    on. ``awaiting``: what the bench waits for now. ``next``: the NEXT line as it now is, or
    None to leave it as it was (a refusal leaves it).
    """

    said: str | None = None
    tone: Tone = Tone.DONE
    flash_line: int | None = None
    awaiting: Awaiting | None = None
    next: Prompt | None = None

    @property
    def refused(self) -> bool:
        return self.tone is Tone.REFUSED

    @classmethod
    def refusal(cls, why: str, awaiting: Awaiting | None = None) -> BenchResult:
        """Not taken: ``why`` in words; whatever the bench waited for, it still does."""
        return cls(why, Tone.REFUSED, awaiting=awaiting)

    @classmethod
    def taken(cls, said: str | None = None) -> BenchResult:
        """Taken by a page that keeps no bench state (the Devices test area)."""
        return cls(said)
