"""Where scans enter the GUI, from every scanner, and reach the active workspace.

- ``WedgeReader``: an event filter on the whole application. A keyboard-wedge scanner types
  into whatever widget has focus; the reader holds each key back while
  ``devices.wedge.WedgeDetector`` decides whether it is a scanner's burst or a person typing.
  A scan never lands in a search box or a PIN field; typing is handed back to the widget
  untouched (about ``max_key_interval_ms`` late).
- ``SerialScannerLink``: re-emits the scans and states of a serial scanner the station reads
  (``app.bootstrap.ScannerFeed``: they arrive on its reader thread) as Qt signals handled on
  the GUI thread.
- ``ScanHub``: the one place every scan goes through; the window connects the active
  workspace (or the login screen) to it. It keeps each scanner's last scan as screens may
  show it: a badge (any scan at the login screen, a ``B-`` code anywhere) as
  "badge (hidden)", a long one cut.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.bootstrap import ScannerFeed, Station
from app.config import ScannerSettings
from app.domain.decode import (
    BADGE_HIDDEN,
    DEFAULT_GRAMMAR,
    ScanGrammar,
    ScanMeaning,
    is_badge,
    show_scan,
)
from app.domain.scans import Scan
from app.services.scanning import ScanInterpreter, grammar_for
from app.sync.engine import SyncReport
from devices.serial_scanner import ScannerState
from devices.wedge import WedgeDetector, WedgeVerdict
from ui.feedback import ScanFeedback


@dataclass
class ScannerStatus:
    """What the Devices workspace and the status bar show about one scanner."""

    source: str
    title: str
    state: str
    reason: str = ""
    last: str | None = field(default=None)
    """The last scan as a screen shows it (``show_scan``); None before the first."""


class ScanHub(QObject):
    """Every scan, from every scanner, on the GUI thread.

    ``reading_badges`` is True while the login screen is up, where every scan is a badge:
    the window sets it. Badges never reach a ``ScannerStatus`` in clear.

    Signals:
        scan_read: a ``Scan`` arrived (from the wedge, a serial scanner, or a test field).
        scanner_changed: a ``ScannerStatus`` changed (connected, unplugged, last scan).
    """

    scan_read = Signal(Scan)
    scanner_changed = Signal(ScannerStatus)

    def __init__(self, grammar: ScanGrammar = DEFAULT_GRAMMAR, parent: QObject | None = None):
        super().__init__(parent)
        self.grammar = grammar
        self.reading_badges = True
        self.scanners: dict[str, ScannerStatus] = {}
        self._last: dict[str, Scan] = {}

    def add_scanner(self, status: ScannerStatus) -> None:
        self.scanners[status.source] = status
        self.scanner_changed.emit(status)

    def set_state(self, source: str, state: str, reason: str) -> None:
        status = self.scanners.get(source)
        if status is None:
            return
        status.state, status.reason = state, reason
        self.scanner_changed.emit(status)

    def deliver(self, scan: Scan) -> None:
        status = self.scanners.get(scan.source)
        if status is not None:
            badge = self.reading_badges or is_badge(scan.text, self.grammar)
            status.last = show_scan(scan.text, badge=badge)
            self._last[scan.source] = scan
            self.scanner_changed.emit(status)
        self.scan_read.emit(scan)

    def hide(self, scan: Scan) -> None:
        """``scan`` was taken as a badge: if it is still its scanner's last, show it hidden.

        For a scan that arrived just before the login screen came back (queued behind a
        sign-out), when ``reading_badges`` did not know yet.
        """
        status = self.scanners.get(scan.source)
        if status is None or self._last.get(scan.source) is not scan:
            return
        if status.last != BADGE_HIDDEN:
            status.last = BADGE_HIDDEN
            self.scanner_changed.emit(status)


def _now_ms() -> float:
    return time.monotonic() * 1000.0


class WedgeReader(QObject):
    """Application-wide key filter that lifts wedge scans out of the focused widget."""

    def __init__(self, hub: ScanHub, settings: ScannerSettings, parent: QObject | None = None):
        super().__init__(parent)
        self._hub = hub
        self.source = "wedge"
        self._detector: WedgeDetector[tuple[QWidget, QKeyEvent]] = WedgeDetector(
            max_key_interval_ms=settings.max_key_interval_ms,
            min_length=settings.min_length,
            suffixes=tuple(settings.suffix_chars),
            idle_timeout_ms=settings.idle_timeout_ms,
            gs_substitutes=(settings.gs_substitute,) if settings.gs_substitute else (),
        )
        self._replaying = False
        # Key times: the window system's stamp when there is one (it keeps the real gaps
        # even when the GUI was busy), else the monotonic clock. ``_clock`` maps between them.
        self._clock = (0.0, 0.0)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_deadline)
        hub.add_scanner(ScannerStatus(self.source, "Keyboard wedge", "listening"))

    def install(self, app: QApplication) -> None:
        app.installEventFilter(self)

    def uninstall(self, app: QApplication) -> None:
        app.removeEventFilter(self)
        self._apply(self._detector.release())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(watched, QWidget) or not _is_key_target(watched):
            return False  # the same key also passes the window first: decide once
        assert isinstance(event, QKeyEvent)
        if event.key() in _MODIFIER_KEYS:
            return False  # the Shift before a capital, the Ctrl of Ctrl+]: part of the next key
        char = _char_of(event)
        if char is None:
            self._apply(self._detector.release())
            return False
        stamp = float(event.timestamp())
        now = _now_ms()
        t_ms = stamp if stamp else now
        self._clock = (t_ms, now)
        copy = QKeyEvent(
            event.type(),
            event.key(),
            event.modifiers(),
            event.text(),
            event.isAutoRepeat(),
            event.count(),
        )
        verdict = self._detector.feed(char, t_ms, (watched, copy))
        self._apply(verdict)
        return verdict.swallow

    def _on_deadline(self) -> None:
        stamp, at = self._clock
        self._apply(self._detector.flush(stamp + (_now_ms() - at)))

    def _apply(self, verdict: WedgeVerdict[tuple[QWidget, QKeyEvent]]) -> None:
        if verdict.released:
            self._replaying = True
            try:
                for widget, key in verdict.released:
                    if shiboken6.isValid(widget):
                        QApplication.sendEvent(widget, key)
            finally:
                self._replaying = False
        if verdict.scan is not None:
            self._hub.deliver(Scan(verdict.scan, None, self.source, time.monotonic()))
        deadline = self._detector.deadline_ms
        if deadline is None:
            self._timer.stop()
        else:
            stamp, at = self._clock
            self._timer.start(max(0, int(deadline - stamp - (_now_ms() - at)) + 1))


_MODIFIER_KEYS = frozenset(
    {
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_CapsLock,
        Qt.Key.Key_NumLock,
    }
)


def _is_key_target(widget: QWidget) -> bool:
    focus = QApplication.focusWidget()
    return widget is focus or (focus is None and widget.isWindow())


def _char_of(event: QKeyEvent) -> str | None:
    """The one character a key press types, as the detector reads it; None for others."""
    key = event.key()
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if key == Qt.Key.Key_BracketRight and modifiers & Qt.KeyboardModifier.ControlModifier:
        return "\x1d"  # GS1 separator sent as Ctrl+]
    if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        return "\r"
    if key == Qt.Key.Key_Tab and not modifiers & ~Qt.KeyboardModifier.ShiftModifier:
        return "\t"
    if modifiers & (
        Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.AltModifier
        | Qt.KeyboardModifier.MetaModifier
    ):
        return None  # a shortcut, never part of a scan
    text = event.text()
    return text if len(text) == 1 else None


class SerialScannerLink(QObject):
    """A serial scanner of the station, its reader thread's reports as Qt signals.

    Signals:
        scanned: a ``Scan`` (emitted on the reader thread, delivered on the GUI thread).
        state_changed: (``ScannerState`` value, the sentence for the person).
    """

    scanned = Signal(Scan)
    state_changed = Signal(str, str)

    def __init__(self, hub: ScanHub, feed: ScannerFeed, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.feed = feed
        self.port = feed.port
        self.source = feed.source
        short = self.port.rstrip("/").rsplit("/", 1)[-1]  # /dev/serial/by-id/usb-X -> usb-X
        hub.add_scanner(ScannerStatus(self.source, f"Serial {short}", "connecting"))
        self.scanned.connect(hub.deliver)
        self.state_changed.connect(lambda state, reason: hub.set_state(self.source, state, reason))
        feed.scanned.connect(self._relay_scan)
        feed.state_changed.connect(self._relay_state)

    def close(self) -> None:
        """Stop listening (the station stops the scanner itself)."""
        self.feed.scanned.disconnect(self._relay_scan)
        self.feed.state_changed.disconnect(self._relay_state)

    @property
    def state(self) -> ScannerState:
        return self.feed.state

    def _relay_scan(self, scan: Scan) -> None:  # on the reader thread
        self.scanned.emit(scan)

    def _relay_state(self, state: ScannerState, reason: str) -> None:  # on the reader thread
        self.state_changed.emit(state.value, reason)


class StationScanning(QObject):
    """This station's scanners, feedback and scan interpreter, wired for one window.

    The wedge reader when ``[scanner] mode = "wedge"``; a link to each serial scanner the
    station has (``mode = "serial"``); ``open_serial`` asks the station for one more, for the
    session (the Devices workspace). Parent it to the window: its event filter goes with it.
    """

    def __init__(self, station: Station, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._station = station
        settings = station.config.scanner
        self.settings = settings
        grammar = grammar_for(settings)
        self.hub = ScanHub(grammar, self)
        self.feedback = ScanFeedback(self)
        self.interpreter = ScanInterpreter(station.local, grammar)
        self.wedge: WedgeReader | None = None
        self.serial: dict[str, SerialScannerLink] = {}
        if settings.mode == "wedge":
            self.wedge = WedgeReader(self.hub, settings, self)
            app = QApplication.instance()
            if isinstance(app, QApplication):
                self.wedge.install(app)
        for feed in station.scanners.values():
            self.serial[feed.port] = SerialScannerLink(self.hub, feed, self)

    def open_serial(self, port: str) -> SerialScannerLink:
        """Read a serial scanner at ``port`` (a path or pyserial URL) from now on."""
        link = self.serial.get(port)
        if link is None:
            link = SerialScannerLink(self.hub, self._station.add_scanner(port), self)
            self.serial[port] = link
        link.feed.start()
        return link

    def interpret(self, scan: Scan) -> ScanMeaning:
        return self.interpreter.interpret(scan)

    @Slot(SyncReport)
    def on_synced(self, _report: SyncReport) -> None:
        """Sync may have brought orders, products or barcodes: make them scannable now."""
        self.interpreter.catch_up()

    def close(self) -> None:
        for link in self.serial.values():
            link.close()
        self.serial.clear()
        app = QApplication.instance()
        if self.wedge is not None and isinstance(app, QApplication):
            self.wedge.uninstall(app)
