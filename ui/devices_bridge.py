"""The station's print spooler and scale, brought onto the GUI thread as Qt signals.

``app.bootstrap`` builds the spooler and the scale and the station runs them, each on its
own thread, in plain Python. These thin links re-emit what they report as signals, so
widgets only ever hear of it on the GUI thread. They build nothing and start nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.bootstrap import ScaleFeed
from app.services.spooler import PrintSpooler, PrintState
from devices.scale import Reading, ScaleState

__all__ = ["PrintState", "StationPrinting", "StationScale"]


class StationPrinting(QObject):
    """The station's print spooler, as the window sees it: what waits and why.

    Signals:
        changed: a ``PrintState`` after each pass of the spooler.
    """

    changed = Signal(PrintState)

    def __init__(self, spooler: PrintSpooler, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._spooler = spooler
        self.last: PrintState | None = spooler.last
        self.changed.connect(self._remember)
        spooler.changed.connect(self._relay)

    def kick(self) -> None:
        """Look at the queue now (a shipment was just made, a reprint asked for)."""
        self._spooler.kick()

    def close(self) -> None:
        self._spooler.changed.disconnect(self._relay)

    def _relay(self, state: PrintState) -> None:  # on the spooler's thread
        self.changed.emit(state)

    def _remember(self, state: PrintState) -> None:
        self.last = state


class StationScale(QObject):
    """The bench scale's readings and state as signals; ``stable_grams`` for closing parcels.

    Signals:
        reading: each ``Reading`` (about five a second).
        state_changed: (state, sentence) when the scale connects or drops.
    """

    reading = Signal(Reading)
    state_changed = Signal(str, str)

    def __init__(self, feed: ScaleFeed | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._feed = feed
        self.port = feed.port if feed is not None else ""
        self.state = ScaleState.STOPPED.value
        self.reason = "not configured"
        self.state_changed.connect(self._remember_state)
        if feed is not None:
            feed.reading.connect(self._relay_reading)
            feed.state_changed.connect(self._relay_state)

    @property
    def configured(self) -> bool:
        return self._feed is not None

    @property
    def last(self) -> Reading | None:
        return self._feed.last if self._feed is not None else None

    def stable_grams(self, max_age_s: float = 2.0) -> int | None:
        """The last stable weight, if it is fresh (the parcel is still on the scale)."""
        return self._feed.stable_grams(max_age_s) if self._feed is not None else None

    def zero(self) -> None:
        if self._feed is not None:
            self._feed.zero()

    def close(self) -> None:
        if self._feed is not None:
            self._feed.reading.disconnect(self._relay_reading)
            self._feed.state_changed.disconnect(self._relay_state)

    def _relay_reading(self, reading: Reading) -> None:  # on the scale's thread
        self.reading.emit(reading)

    def _relay_state(self, state: ScaleState, reason: str) -> None:  # on the scale's thread
        self.state_changed.emit(state.value, reason)

    def _remember_state(self, state: str, reason: str) -> None:
        self.state, self.reason = state, reason
