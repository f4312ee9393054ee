"""The pattern of a scan-driven bench (Pack now; Pick and Returns next): controller and page.

A ``BenchController`` takes what a scan means (``ScanMeaning``) or a key, runs one service
per intent and returns a ``BenchResult`` (app/domain/bench.py). It holds what the bench
waits for (``awaiting``): until that comes, or CANCEL, anything else is refused with the
awaited thing's own words. A ``BenchPage`` shows a result on the page (the NEXT line, the
line that counted flashing); ``show_answer`` is the one place that shows it in the window
(the last-scan band, the sound, the band's flash). docs/architecture.md, "How to write a
bench workspace", walks through a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from app.domain.bench import HIDDEN, Awaiting, BenchResult, Prompt, Tone
from app.domain.decode import Command, ScanKind, ScanMeaning
from app.domain.errors import DomainError
from app.domain.users import Workspace
from ui.feedback import ScanFeedback
from ui.widgets import MessageBand
from ui.workspaces.base import WorkspacePage

LINE_FLASH_MS = 700

Step = Callable[[], BenchResult]
Key = tuple[str, str, Callable[[], object]]
"""A bench key: its key sequence ("F2", "Esc"), its words, and what it does."""


def show_answer(
    band: MessageBand, feedback: ScanFeedback, result: BenchResult, scanned: str | None = None
) -> None:
    """The window's part of a result: the last-scan band, the sound and the band's flash.

    ``scanned``: the scan's own meaning when a scan brought the result; the band says it when
    the bench had nothing more to say, and a taken scan beeps. A key, a typed field or an
    answer that arrived later changes the band only when it has words, and sounds only
    when refused (the person is looking at the screen; a refusal must still be heard).
    """
    if result.refused:
        band.show_refused(result.said or "")
        feedback.bad(band)
        return
    text = result.said or scanned
    if text:
        band.show_message(text, result.tone)
    if scanned is not None:
        feedback.good(band)


class BenchController(QObject):
    """A bench's state and its one service call per intent; every entry returns a result.

    A subclass implements ``take`` (a scan, nothing awaited), ``command`` (a command barcode
    or key, nothing awaited), ``cancel`` and ``prompt`` (the NEXT line as the bench now
    stands), and overrides ``take_awaited``/``command_awaited`` for what it waits for.
    Steps end with ``self.done(...)``; a ``DomainError`` they raise becomes the refusal,
    having changed nothing.

    Signals:
        answered: a ``BenchResult`` the bench reached by itself, not in answer to a scan or
            a key (a claim's answer that came back from the central store).
    """

    answered = Signal(BenchResult)

    doing = "working"
    """What a person does here ("packing"), for the words that refuse a badge."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.awaiting: Awaiting | None = None

    # --- entries -----------------------------------------------------------------------

    def on_scan(self, meaning: ScanMeaning) -> BenchResult:
        return self.run(lambda: self._scan(meaning))

    def on_key(self, command: Command, argument: str = "") -> BenchResult:
        return self.run(lambda: self._command(command, argument, None))

    def run(self, step: Step) -> BenchResult:
        """A step (a scan, a key, a typed field): its result, or its refusal in words."""
        try:
            return step()
        except DomainError as refusal:
            return self.refused(refusal.message)

    def _scan(self, meaning: ScanMeaning) -> BenchResult:
        decoded = meaning.decoded
        if meaning.kind is ScanKind.COMMAND and decoded.command is not None:
            return self._command(decoded.command, decoded.reference or "", decoded.quantity)
        if decoded.kind is ScanKind.BADGE:  # a credential: never taken for a serial, never kept
            return self.refused(f"A badge: sign out first (Ctrl+L) to change who is {self.doing}.")
        if self.awaiting is not None:
            return self.take_awaited(meaning, self.awaiting)
        return self.take(meaning)

    def _command(self, command: Command, argument: str, quantity: int | None) -> BenchResult:
        if self.awaiting is not None:
            return self.valued_command_awaited(command, argument, quantity, self.awaiting)
        return self.command(command, argument, quantity)

    # --- for subclasses ----------------------------------------------------------------

    def take(self, meaning: ScanMeaning) -> BenchResult:
        """A scan that is not a command, while nothing is awaited."""
        raise NotImplementedError

    def command(self, command: Command, argument: str, quantity: int | None) -> BenchResult:
        """A command barcode or its key, while nothing is awaited."""
        raise NotImplementedError

    def take_awaited(self, meaning: ScanMeaning, awaiting: Awaiting) -> BenchResult:
        """A scan while ``awaiting``: refused unless the subclass takes it (a serial)."""
        return self.refused(awaiting.refusal)

    def command_awaited(self, command: Command, awaiting: Awaiting) -> BenchResult:
        """A command while ``awaiting``: CANCEL goes back; the subclass adds OK and the like."""
        if command is Command.CANCEL:
            return self.cancel()
        return self.refused(awaiting.refusal)

    def valued_command_awaited(
        self, command: Command, argument: str, quantity: int | None, awaiting: Awaiting
    ) -> BenchResult:
        """A command with its value (SHORT:DAMAGED, QTY:3) while ``awaiting``: a subclass
        whose awaited step takes a value overrides this; by default ``command_awaited``."""
        return self.command_awaited(command, awaiting)

    def cancel(self) -> BenchResult:
        raise NotImplementedError

    def prompt(self) -> Prompt:
        """The NEXT line as the bench now stands: what is awaited, else the next action."""
        if self.awaiting is not None:
            return Prompt(self.awaiting.prompt, Tone.WAITING)
        return HIDDEN

    # --- results -----------------------------------------------------------------------

    def done(
        self,
        said: str | None = None,
        *,
        flash_line: int | None = None,
        prompt: Prompt | None = None,
        keep_prompt: bool = False,
    ) -> BenchResult:
        """A step taken: amber while something is awaited, else green. The NEXT line is
        ``prompt`` when given, else the bench's own (``keep_prompt``: left as it is)."""
        return BenchResult(
            said,
            Tone.WAITING if self.awaiting is not None else Tone.DONE,
            flash_line,
            self.awaiting,
            None if keep_prompt else (prompt or self.prompt()),
        )

    def refused(self, why: str) -> BenchResult:
        return BenchResult.refusal(why, self.awaiting)


class FlashingLines(Protocol):
    """A lines table that can tint one line for a moment (``flash_line``)."""

    flash_line: int | None

    def refresh(self) -> None: ...


class BenchPage(WorkspacePage):
    """A workspace page driven by a ``BenchController``: it shows each result.

    The page places ``next_band`` in its layout and sets ``lines`` to its lines model; a
    key or a typed field runs through ``act``. What the page shows beyond the NEXT line and
    the flash (an input to show or hide) goes in ``on_result``.
    """

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self.next_band = MessageBand()
        self.next_band.setAccessibleName(self.tr("Next action"))
        self.lines: FlashingLines | None = None
        self.buttons: dict[str, QPushButton] = {}
        self._controller: BenchController | None = None
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.setInterval(LINE_FLASH_MS)
        self._flash_timer.timeout.connect(self._end_flash)

    def key_grid(self, keys: list[Key], per_row: int, *, compact: bool = False) -> QGridLayout:
        """A button per key, ``per_row`` to a row, each also on its key (while the page has
        the focus); ``self.buttons`` holds them by key. The buttons never take the focus:
        the scanner's keystrokes stay with the page. ``compact``: less padding and columns
        of one width, for a bench with many keys on a 1280 px screen."""
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        for index, (key, words, action) in enumerate(keys):
            button = QPushButton(f"{key}  {words}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setToolTip(f"{words} ({key})")
            if compact:
                button.setStyleSheet("padding: 8px 6px;")
                grid.setColumnStretch(index % per_row, 1)
            button.clicked.connect(action)
            grid.addWidget(button, index // per_row, index % per_row)
            self.buttons[key] = button
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)
        return grid

    def drive(self, controller: BenchController) -> None:
        """Take the results of ``controller`` (set once, after the page is built)."""
        self._controller = controller
        controller.answered.connect(self._on_answered)

    @property
    def bench(self) -> BenchController:
        assert self._controller is not None, "a bench page drives a controller"
        return self._controller

    # WorkspacePage
    def on_scan(self, meaning: ScanMeaning) -> BenchResult:
        result = self.bench.on_scan(meaning)
        self.show_result(result)
        return result

    def act(self, step: Step) -> BenchResult:
        """A key or a typed field: run like a scan, shown here and in the window."""
        result = self.bench.run(step)
        self.present(result)
        return result

    def present(self, result: BenchResult) -> None:
        """A result reached without a scan: shown here, and handed to the window."""
        self.show_result(result)
        self.answered.emit(result)

    def show_result(self, result: BenchResult) -> None:
        if result.next is not None:
            if result.next.shown:
                self.next_band.show_message(result.next.text, result.next.tone)
            else:
                self.next_band.clear_message()
        if not result.refused and result.flash_line is not None and self.lines is not None:
            self.lines.flash_line = result.flash_line
            self.lines.refresh()
            self._flash_timer.start()
        self.on_result(result)

    def on_result(self, result: BenchResult) -> None:
        """What else the page shows for a result (inputs shown or hidden, the focus)."""

    def _on_answered(self, result: BenchResult) -> None:
        self.present(result)

    def _end_flash(self) -> None:
        if self.lines is not None:
            self.lines.flash_line = None
            self.lines.refresh()
