"""Tell a keyboard-wedge scanner from a person typing, from key timing alone.

A wedge scanner is a USB keyboard as far as the computer knows: a scan arrives as keystrokes
in whatever widget has focus. The only differences from a person are speed (a scanner sends a
key every few milliseconds, a person every hundred or so) and the suffix the scanner is set to
send after each code (Enter or Tab). This module decides, one key at a time, whether a key
belongs to a scan, so the application can route scans to the active workspace and leave typed
text (a search, a PIN) where the person typed it.

It is pure Python, with no Qt, so the rules are tested with plain ``(char, time)`` sequences.
The Qt event filter in ``ui/`` feeds it every key press that produces a character and applies
each verdict the same way::

    verdict = detector.feed(char, now_ms, event_copy)
    for held_event in verdict.released:   # they were typing after all: give them back
        replay(held_event)
    if verdict.scan is not None:
        scan_read.emit(Scan(verdict.scan))
    restart_timer(detector.deadline_ms)   # then call detector.flush(now_ms) when it fires
    return verdict.swallow                # True: the widget never sees this key

The rules:

- A scan is at least ``min_length`` characters (the suffix not counted) where every gap
  between two keys is at most ``max_key_interval_ms``, ended by one of ``suffixes`` or by
  silence (``flush`` after ``idle_timeout_ms``). A person's double-tap or a fast pair of keys
  is shorter than ``min_length``, so it stays typing.
- Every character key is held at first, because any key may start a scan. A held run shorter
  than ``min_length`` is given back as soon as it cannot become a scan any more: when a key
  comes later than ``max_key_interval_ms`` (or ``flush`` is called after that long), or when a
  suffix ends it. So a person's key reaches the widget about ``max_key_interval_ms`` late.
- A run long and fast enough waits up to ``idle_timeout_ms`` for its suffix (a slow scanner or
  a busy event loop can delay the Enter a little, and an Enter that leaks into the widget
  after a scan would press a default button); ``idle_timeout_ms`` is never shorter than
  ``max_key_interval_ms``. Without a suffix it is still a scan: scanners configured to send
  nothing after the code exist.
- A suffix with nothing held (or after keys that are not a scan) is a person's Enter or Tab:
  it passes at once, after any held keys are given back.
- Any other control character (Backspace, Escape, Ctrl+letter) and any multi-character text
  never belongs to a scan: held keys are given back first, then it passes.
- No burst is held beyond ``max_length + 1`` characters: past that, the burst's further
  character keys are swallowed and dropped, and when it ends it is delivered as a scan of
  its first ``max_length + 1`` characters, longer than any barcode, for ``decode`` to refuse.
  A scanner typing without end (a stuck trigger) costs bounded memory, never reaches a
  field, and the next scan after it is read as usual.
- The GS1 group separator arrives as ``"\\x1d"`` (Ctrl+] on a keyboard: the filter maps that
  chord to ``"\\x1d"`` when Qt gives no text for it) and stays in the scan text. Scanners that
  cannot send control characters are set to send a substitute character for GS; list it in
  ``gs_substitutes`` and it becomes ``"\\x1d"`` in the scan (never in released typing).

Times are milliseconds on any clock that only goes forward, the same one for ``feed`` and
``flush``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from app.domain.scans import MAX_SCAN_TEXT

K = TypeVar("K")

GS = "\x1d"

SUFFIX_KEYS = {"enter": ("\r",), "tab": ("\t",), "none": ()}
"""The characters Qt gives for the ``[scanner] suffix`` setting's keys."""


class WedgeAction(StrEnum):
    """What became of the key just fed (or, for ``flush`` and ``release``, of the held keys)."""

    HOLD = "hold"
    """The key is held: it may be part of a scan. The widget must not see it now."""
    SCAN_DONE = "scan_done"
    """The key completed ``scan`` (it was the suffix); the widget must not see it."""
    RELEASE = "release"
    """``released`` were typing: replay them; the key (if any) then goes on as usual."""
    PASS = "pass"
    """Nothing was held and the key is not a scan's start: it goes on as usual."""


@dataclass(frozen=True)
class HeldKey(Generic[K]):
    """A key kept back while the detector decides, with what the caller gave to replay it."""

    char: str
    t_ms: float
    key: K


@dataclass(frozen=True)
class WedgeVerdict(Generic[K]):
    """One decision. Apply all of it: replay ``released`` first, then deliver ``scan``."""

    action: WedgeAction
    released: tuple[K, ...] = ()
    """Held keys that turned out to be typing, oldest first, to be replayed to the widget."""
    released_text: str = ""
    """The characters of ``released``, for logs and tests."""
    scan: str | None = None
    """A completed scan's text (suffix removed, GS substitutes turned into GS)."""

    @property
    def swallow(self) -> bool:
        """True when the key just fed must not reach the focused widget."""
        return self.action in (WedgeAction.HOLD, WedgeAction.SCAN_DONE)


class WedgeDetector(Generic[K]):
    """Classify key presses as scan or typing; see the module docstring for the rules.

    ``K`` is whatever the caller needs to replay a held key (a copy of the Qt key event);
    the detector only stores it and hands it back in ``WedgeVerdict.released``.
    """

    def __init__(
        self,
        max_key_interval_ms: float = 30,
        min_length: int = 4,
        suffixes: Iterable[str] = ("\r", "\t"),
        idle_timeout_ms: float = 100,
        gs_substitutes: Iterable[str] = (),
        max_length: int = MAX_SCAN_TEXT,
    ) -> None:
        self.max_key_interval_ms = float(max_key_interval_ms)
        self.min_length = min_length
        self.suffixes = frozenset(suffixes)
        # A suffix may come a little later than the keys before it, never earlier.
        self.idle_timeout_ms = max(float(idle_timeout_ms), self.max_key_interval_ms)
        self.gs_substitutes = frozenset(gs_substitutes)
        if self.max_key_interval_ms <= 0:
            raise ValueError("max_key_interval_ms must be positive")
        if min_length < 1:
            raise ValueError("min_length must be at least 1")
        if any(len(s) != 1 for s in self.suffixes | self.gs_substitutes):
            raise ValueError("suffixes and GS substitutes are single characters")
        self._limit = max(max_length, min_length) + 1
        self._held: list[HeldKey[K]] = []
        self._last_ms = 0.0  # the last key of the held burst, held or (past the limit) dropped

    @property
    def holding(self) -> bool:
        """True while keys are held back."""
        return bool(self._held)

    @property
    def deadline_ms(self) -> float | None:
        """When ``flush`` can decide about the held keys (None: nothing held)."""
        if not self._held:
            return None
        return self._last_ms + self._wait_ms()

    @property
    def discarding(self) -> bool:
        """True while a burst too long for any barcode is being swallowed unheld."""
        return len(self._held) >= self._limit

    def feed(self, char: str, t_ms: float, key: K) -> WedgeVerdict[K]:
        """Decide about one key press producing ``char`` at ``t_ms``."""
        gap = t_ms - self._last_ms if self._held else 0.0
        if char in self.suffixes:
            if self._held and self._qualifies() and gap <= self.idle_timeout_ms:
                return self._take_scan()
            return self._let_through(t_ms)
        if len(char) != 1 or self._is_control(char):
            return self._let_through(t_ms)

        ended = self._end_burst() if self._held and gap > self.max_key_interval_ms else None
        self._last_ms = t_ms
        if len(self._held) < self._limit:
            self._held.append(HeldKey(char, t_ms, key))
        if ended is None:
            return WedgeVerdict(WedgeAction.HOLD)
        return WedgeVerdict(
            WedgeAction.HOLD,
            released=ended.released,
            released_text=ended.released_text,
            scan=ended.scan,
        )

    def flush(self, t_ms: float) -> WedgeVerdict[K]:
        """Decide about the held keys if nothing more can join them by ``t_ms``.

        Call it when ``deadline_ms`` has passed. Before that it returns HOLD and changes
        nothing; with nothing held it returns PASS. There is no key here, so ``swallow``
        means nothing.
        """
        if not self._held:
            return WedgeVerdict(WedgeAction.PASS)
        if t_ms - self._last_ms < self._wait_ms():
            return WedgeVerdict(WedgeAction.HOLD)
        return self._end_burst()

    def release(self) -> WedgeVerdict[K]:
        """Give back every held key as typing, now (focus moved, a shortcut, a mouse click).

        A burst too long to be typing (past the limit) is ended as a scan instead.
        """
        if self.discarding:
            return self._take_scan()
        return self._release()

    def _wait_ms(self) -> float:
        return self.idle_timeout_ms if self._qualifies() else self.max_key_interval_ms

    def _let_through(self, t_ms: float) -> WedgeVerdict[K]:
        # This key is not part of a scan. A burst that fell silent before it still counts
        # as a scan; anything else held is typing, replayed before this key.
        ended = self.flush(t_ms)
        if ended.action is WedgeAction.SCAN_DONE:
            return WedgeVerdict(WedgeAction.PASS, scan=ended.scan)
        if ended.action is WedgeAction.RELEASE:
            return ended
        if self.discarding:
            return WedgeVerdict(WedgeAction.PASS, scan=self._take_scan().scan)
        return self._release()

    def _qualifies(self) -> bool:
        return len(self._held) >= self.min_length

    def _end_burst(self) -> WedgeVerdict[K]:
        if self._qualifies():
            return self._take_scan()
        return self._release()

    def _take_scan(self) -> WedgeVerdict[K]:
        text = "".join(GS if k.char in self.gs_substitutes else k.char for k in self._held)
        self._held.clear()
        return WedgeVerdict(WedgeAction.SCAN_DONE, scan=text)

    def _release(self) -> WedgeVerdict[K]:
        if not self._held:
            return WedgeVerdict(WedgeAction.PASS)
        held, self._held = self._held, []
        return WedgeVerdict(
            WedgeAction.RELEASE,
            released=tuple(k.key for k in held),
            released_text="".join(k.char for k in held),
        )

    @staticmethod
    def _is_control(char: str) -> bool:
        return char != GS and (ord(char) < 0x20 or ord(char) == 0x7F)
