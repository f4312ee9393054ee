"""An unexpected error in the window: told to the person calmly, and the bench goes on.

``FaultHook`` is the app's one excepthook. An exception that escapes a Qt slot (PySide6 hands
it to ``sys.excepthook``) or a thread (``threading.excepthook``), and a bug the station's own
loops caught (``Station.faulted``), become a ``Fault`` (``app.faults``): the environment's
faults with what to do, a bug with its crash report saved and logged. The window shows it in
its ``FaultBand`` with the error sound and goes on: each scan was committed on its own, so
nothing confirmed before is lost. Nobody at the bench ever sees a traceback.

Every window shows what the station's loops report; the excepthooks themselves are
installed by ``ui.application.open_window`` for the running app (``install``) and removed when
the window goes. Tests that build a bare ``MainWindow`` leave them to pytest-qt, which fails a
test on any exception in a slot.
"""

from __future__ import annotations

import html
import sys
import threading
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from app.bootstrap import Station
from app.faults import Fault
from ui.theme import Tone
from ui.widgets import MessageBand

WINDOW = "while handling the last scan or click"
"""Where a bug that escaped a slot happened, as the person is told it."""


class FaultHook(QObject):
    """Turns every unexpected error of the running app into one ``happened`` signal.

    Signals:
        happened: a ``Fault``, on the GUI thread, whichever thread met it.
        interrupted: the same ``Fault`` when it cut short what the window was doing (a
            scan, a click): what the window last said about that is stale.
    """

    happened = Signal(Fault)
    interrupted = Signal(Fault)

    def __init__(self, station: Station, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self._previous: tuple[object, object] | None = None
        station.faulted.connect(self._relay)

    def install(self) -> None:
        if self._previous is None:
            self._previous = (sys.excepthook, threading.excepthook)
            sys.excepthook = self.on_exception
            threading.excepthook = self.on_thread_exception

    def uninstall(self) -> None:
        self._station.faulted.disconnect(self._relay)
        if self._previous is not None:
            if sys.excepthook == self.on_exception:
                sys.excepthook = self._previous[0]  # type: ignore[assignment]
            if threading.excepthook == self.on_thread_exception:
                threading.excepthook = self._previous[1]  # type: ignore[assignment]
            self._previous = None

    def on_exception(
        self,
        kind: type[BaseException],
        error: BaseException,
        trace: TracebackType | None,
    ) -> None:
        """``sys.excepthook``: an exception that escaped a slot (or the event loop)."""
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        if error.__traceback__ is None:
            error = error.with_traceback(trace)
        self.interrupted.emit(self._station.report(error, WINDOW))

    def on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        """``threading.excepthook``: an exception that ended a thread."""
        error = args.exc_value
        if error is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "a background"
        self._station.report(error, f"in the {name} thread")

    def _relay(self, fault: Fault) -> None:  # on whichever thread reported it
        self.happened.emit(fault)


class FaultBand(QWidget):
    """A band across the top of the window: what went wrong, what to do, where the report is.

    Red for a condition of the surroundings the person can put right (a full disk, the
    printer gone), amber for a bug (nothing for them to do but carry on and pass the report
    on). The text can be selected, so the report's path can be copied. A condition of the
    surroundings goes with the next scan (which tries again: the band comes back if it
    persists); a bug's band stays until dismissed or replaced, for its report's path.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = MessageBand()
        self.message.setProperty("compact", "true")  # the work below keeps its room
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setAccessibleName(self.tr("Something went wrong"))
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dismiss = QPushButton(self.tr("Dismiss"))
        self.dismiss.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # scans keep their place
        self.dismiss.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(28, 10, 28, 0)
        layout.setSpacing(12)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.dismiss, 0, Qt.AlignmentFlag.AlignVCenter)
        self.fault: Fault | None = None
        self.hide()

    @Slot(Fault)
    def show_fault(self, fault: Fault) -> None:
        self.fault = fault
        tone = Tone.WAITING if fault.is_bug else Tone.REFUSED
        said = f"<b>{html.escape(fault.what)}</b>"
        if fault.todo:
            said += f"<br>{html.escape(fault.todo)}"
        self.message.show_message(said, tone)
        self.show()

    def on_scan(self) -> None:
        """A scan arrived: it tries again what the surroundings stopped."""
        if self.fault is not None and not self.fault.is_bug:
            self.clear()

    @Slot()
    def clear(self) -> None:
        self.fault = None
        self.message.clear_message()
        self.hide()

    def text(self) -> str:
        """What the band says, as plain text (what happened, a line break, what to do)."""
        if self.fault is None:
            return ""
        return f"{self.fault.what}\n{self.fault.todo}".strip()
