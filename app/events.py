"""Callbacks a device thread or a station loop calls, for whoever listens: plain Python.

The station's scanners, scale, print spooler and sync loop run on their own threads and know
nothing of Qt. Each reports through an ``Event``; the window adds its thin links (which
re-emit as Qt signals, handled on the GUI thread) and a headless command adds plain
functions, or nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, ParamSpec

P = ParamSpec("P")

log = logging.getLogger(__name__)


class Event(Generic[P]):
    """A list of callbacks, each called in turn on the thread that emits.

    Connecting and disconnecting are safe from any thread (the list is replaced, never
    changed in place). A callback that raises is logged and the others still run: one bad
    listener must not stop a scanner's thread.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._callbacks: tuple[Callable[P, object], ...] = ()

    def connect(self, callback: Callable[P, object]) -> None:
        self._callbacks = (*self._callbacks, callback)

    def disconnect(self, callback: Callable[P, object]) -> None:
        self._callbacks = tuple(c for c in self._callbacks if c != callback)

    def emit(self, *args: P.args, **kwargs: P.kwargs) -> None:
        for callback in self._callbacks:
            try:
                callback(*args, **kwargs)
            except Exception:
                log.exception("a listener of %s failed", self.name)
