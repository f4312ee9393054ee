"""The line at the bottom of the window: station, who is signed in, and the state of each device.

Each indicator follows what the station's own parts report: the scanners, the print spooler,
the scale, and for the central order store the rounds of the sync loop (which go through the
station's one central link). The status bar opens nothing itself.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStatusBar, QWidget

from app.bootstrap import Station
from app.config import Config
from app.domain.users import Actor
from app.services.spooler import PrintState
from app.sync.engine import SyncProgress, SyncReport
from ui.domain_text import device_state
from ui.scanning import ScannerStatus
from ui.theme import Tone, repolish


def _said(words: str) -> str:
    return QCoreApplication.translate("StationStatusBar", words)


QT_TRANSLATE_NOOP("StationStatusBar", "none configured")
QT_TRANSLATE_NOOP("StationStatusBar", "not configured")


def describe_scanner(config: Config) -> tuple[str, str]:
    """(full, short) wording; the short one is for narrow windows."""
    scanner = config.scanner
    if scanner.mode == "wedge":
        return "keyboard wedge", "wedge"
    if scanner.mode == "serial":
        if not scanner.port:
            return "serial, no port set", "no port"
        return f"serial {scanner.port}", _tail(scanner.port)
    return _said("none configured"), device_state("none")


def describe_printer(config: Config) -> tuple[str, str]:
    printer = config.printer
    if printer.transport == "none":
        return _said("not configured"), device_state("none")
    full = f"{printer.transport} {printer.address}".strip()
    return full, _tail(printer.address) or printer.transport


def describe_scale(config: Config) -> tuple[str, str]:
    port = config.scale.port
    return (port, _tail(port)) if port else (_said("not configured"), device_state("none"))


def describe_central(config: Config) -> tuple[str, str]:
    """Where the central store is, never with a user name or password."""
    if config.central_is_embedded:
        return "embedded (local file)", "embedded"
    parts = urlsplit(config.central_url)
    kind = parts.scheme.split("+")[0]
    if kind == "sqlite":
        return "shared SQLite file", "SQLite file"
    if parts.hostname:
        return parts.hostname, parts.hostname
    return f"{kind} (local socket)", "local socket"


def _tail(address: str) -> str:
    """The telling end of a device path: /dev/serial/by-id/usb-X-if00 -> usb-X-if00."""
    return address.rstrip("/").rsplit("/", 1)[-1]


class Indicator(QWidget):
    """A coloured dot and a short label: ``scanner: keyboard wedge``.

    Holds a full and a short wording; the status bar picks the short one when the window is
    too narrow for all the full ones. The tooltip always has the full wording.
    """

    def __init__(self, name: str, *, dot: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._dot = QLabel(self)
        self._dot.setProperty("role", "dot")
        self._dot.setVisible(dot)
        self.label = QLabel(self)
        self.label.setProperty("role", "indicator")
        # May be narrower than its text: the bar must never make the window wider.
        self.label.setMinimumWidth(24)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self._dot)
        layout.addWidget(self.label)
        self.tone = Tone.NEUTRAL
        self._full = self._short = ""
        self._compact = False

    def set_state(self, text: str, tone: Tone, tooltip: str = "", short: str | None = None) -> None:
        prefix = f"{self.name}: " if self.name else ""
        self._full = prefix + text
        self._short = prefix + (text if short is None else short)
        self.tone = tone
        self._dot.setProperty("tone", tone.value)
        repolish(self._dot)
        self.setToolTip(f"{self._full}\n{tooltip}" if tooltip else self._full)
        self.setAccessibleName(self._full)
        self._show()

    def set_compact(self, compact: bool) -> None:
        self._compact = compact
        self._show()

    def width_needed(self, *, compact: bool) -> int:
        self.ensurePolished()
        self.label.ensurePolished()
        text = self._short if compact else self._full
        extra = self.sizeHint().width() - self.label.sizeHint().width()
        margins = self.label.contentsMargins()
        return (
            self.label.fontMetrics().horizontalAdvance(text)
            + extra
            + margins.left()
            + margins.right()
            + 8
        )

    def _show(self) -> None:
        self.label.setText(self._short if self._compact else self._full)

    def text(self) -> str:
        """The full wording, whichever is on screen."""
        return self._full


class StationStatusBar(QStatusBar):
    """Station id and signed-in user on the left, devices and central store on the right."""

    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        config = station.config
        self._station = station
        self.station_indicator = Indicator("", dot=False)
        demo = "  ·  " + self.tr("DEMO DATA") if station.demo else ""
        self.station_indicator.set_state(
            self.tr("station {station}").format(station=config.station_id) + demo,
            Tone.NEUTRAL,
            short=f"{config.station_id}{demo}",
        )
        self.user_indicator = Indicator("")
        self.scanner = Indicator(self.tr("scanner"))
        self.printer = Indicator(self.tr("printer"))
        self.scale = Indicator(self.tr("scale"))
        self.central = Indicator(self.tr("central"))
        self.set_user(None)
        later = "Packbench does not open these yet; this is what the configuration says."
        full, short = describe_scanner(config)
        self.scanner.set_state(full, Tone.NEUTRAL, "The Devices workspace tests it.", short=short)
        for indicator, (full, short) in (
            (self.printer, describe_printer(config)),
            (self.scale, describe_scale(config)),
        ):
            indicator.set_state(full, Tone.NEUTRAL, later, short=short)
        self._central_where = describe_central(config)
        self.central.set_state(
            self.tr("checking…"), Tone.WAITING, f"Trying to reach {self._central_where[0]}."
        )
        self.central_checked = False
        """The first sync round has said whether the central store answers."""

        self.addWidget(self.station_indicator)
        self.addWidget(self.user_indicator)
        for indicator in (self.scanner, self.printer, self.scale, self.central):
            self.addPermanentWidget(indicator)

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return (
            self.station_indicator,
            self.user_indicator,
            self.scanner,
            self.printer,
            self.scale,
            self.central,
        )

    def show_scanner(self, status: ScannerStatus) -> None:
        """A scanner's state as it changes: green when reading, red when unplugged."""
        tone = {"connected": Tone.DONE, "listening": Tone.DONE, "disconnected": Tone.REFUSED}
        words = (
            status.title.lower()
            if status.state in ("connected", "listening")
            else (f"{status.title.lower()} {device_state(status.state)}")
        )
        self.scanner.set_state(
            words,
            tone.get(status.state, Tone.WAITING),
            status.reason or status.title,
            short=device_state(status.state),
        )

    def show_printing(self, state: PrintState) -> None:
        """The label printer as the spooler last saw it, and any jobs waiting."""
        full, short = describe_printer(self._station.config)
        status = state.status
        waiting = f", {state.waiting} waiting" if state.waiting else ""
        if not state.configured:
            tone = Tone.WAITING if state.waiting else Tone.NEUTRAL
            self.printer.set_state(
                f"{full}{waiting}",
                tone,
                state.problem or "Labels go to the documents folder.",
                short=short,
            )
        elif status is not None and status.two_way and not status.ready:
            problem = status.problem or "not ready"
            self.printer.set_state(
                f"{problem.split(':')[0].lower()}{waiting}", Tone.REFUSED, problem, short="fault"
            )
        elif state.problem:
            word = "waiting" if state.waiting else "not reachable"
            self.printer.set_state(
                f"{full}: {word}{waiting}", Tone.REFUSED, state.problem, short=word
            )
        else:
            tone = Tone.DONE if (status is None or status.ready) else Tone.WAITING
            self.printer.set_state(f"{full} ready{waiting}", tone, full, short=short)
        self._fit()

    def show_scale(self, state: str, reason: str) -> None:
        full, short = describe_scale(self._station.config)
        tone = {"connected": Tone.DONE, "disconnected": Tone.REFUSED}.get(state, Tone.WAITING)
        self.scale.set_state(
            f"{full} {state}" if state != "connected" else full,
            tone,
            reason,
            short=state if state != "connected" else short,
        )
        self._fit()

    def set_user(self, actor: Actor | None) -> None:
        if actor is None:
            self.user_indicator.set_state(
                self.tr("nobody signed in"), Tone.NEUTRAL, short=self.tr("nobody")
            )
        else:
            self.user_indicator.set_state(
                f"{actor.name} ({QCoreApplication.translate('Role', actor.role.label)})",
                Tone.DONE,
                short=actor.name,
            )
        self._fit()

    def on_central_checked(self, answered: bool, failure: str) -> None:
        """Whether the central store answered; ``failure`` says why not."""
        self.central_checked = True
        full, short = self._central_where
        if answered:
            self.central.set_state(
                full, Tone.DONE, "The central order store answered.", short=short
            )
        else:
            self.central.set_state(
                self.tr("offline ({where})").format(where=full),
                Tone.REFUSED,
                f"The central order store did not answer ({failure}). This station keeps "
                "working on its own database; run `packbench doctor` to see what is wrong.",
                short=self.tr("offline"),
            )
        self._fit()

    @Slot(SyncReport)
    def on_synced(self, report: SyncReport) -> None:
        """Each sync round's outcome is the freshest word on the central store."""
        self.on_central_checked(report.online, "" if report.online else report.line())

    def show_sync_progress(self, progress: SyncProgress) -> None:
        """A long sync round shows how far it has got until its outcome is known."""
        full, _short = self._central_where
        percent = progress.percent
        if progress.step == "pulling" and percent is not None:
            short = f"pulling {percent}%"
        elif progress.step == "pushing":
            short = f"sending {progress.done:,} of {progress.total:,}"
        else:
            short = "syncing…"
        self.central.set_state(
            f"{full}, {short}", Tone.WAITING, f"Sync under way: {progress.line()}.", short=short
        )
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Full wordings where they fit; the short ones, least telling first, where not."""
        indicators = self.indicators
        room = self.width() - 24
        compact: set[Indicator] = set()
        needed = sum(i.width_needed(compact=False) for i in indicators)
        for indicator in self._shortened_first:
            if needed <= room:
                break
            needed += indicator.width_needed(compact=True) - indicator.width_needed(compact=False)
            compact.add(indicator)
        for indicator in indicators:
            indicator.set_compact(indicator in compact)

    @property
    def _shortened_first(self) -> tuple[Indicator, ...]:
        return (
            self.station_indicator,
            self.scanner,
            self.printer,
            self.scale,
            self.user_indicator,
            self.central,
        )
