"""Telling a person that long work is getting on: one line at most every second, none for
work that ends sooner. The import and ``packbench sync`` both say it this way."""

from __future__ import annotations

import time
from collections.abc import Callable

PROGRESS_SECONDS = 1.0


class Ticker:
    """Says ``label: what, N s`` when a second has passed since it last spoke (or began).

    ``what`` may be a function, so a line nobody will read is never put together.
    """

    def __init__(
        self,
        say: Callable[[str], None] | None,
        label: str,
        every_s: float = PROGRESS_SECONDS,
    ) -> None:
        self._say = say
        self._label = label
        self._every = every_s
        self._started = self._last = time.monotonic()
        self.spoke = False

    def tick(self, what: str | Callable[[], str]) -> None:
        now = time.monotonic()
        if self._say is None or now - self._last < self._every:
            return
        self._last = now
        self.spoke = True
        text = what() if callable(what) else what
        self._say(f"{self._label}: {text}, {now - self._started:.0f} s")

    def say(self, text: str) -> None:
        """Say this now, whatever the time (the last word of work that was long)."""
        if self._say is not None:
            self._say(f"{self._label}: {text}")
