"""Good-scan and bad-scan feedback a person notices without looking: a sound and a flash.

QtMultimedia is loaded only when first needed: it needs Debian's libpulse0 to import at all,
and a bench PC (or a test machine) may have no audio device. Without one the flash alone
carries the result, and nothing fails.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtWidgets import QWidget

from ui.theme import Tone, repolish

SOUND_DIR = Path(__file__).resolve().parent.parent / "resources" / "sounds"
FLASH_MS = 450
_FLASH_TIMER = "scan-flash-timer"

log = logging.getLogger(__name__)


class ScanFeedback(QObject):
    """Plays the good or bad sound and flashes a widget in the matching colour."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sounds: dict[Tone, Any] | None = None  # QSoundEffect per tone, once loaded

    @property
    def sound_available(self) -> bool:
        return bool(self._load_sounds())

    def good(self, widget: QWidget | None = None) -> None:
        self._signal(Tone.DONE, widget)

    def bad(self, widget: QWidget | None = None) -> None:
        self._signal(Tone.REFUSED, widget)

    def _signal(self, tone: Tone, widget: QWidget | None) -> None:
        sound = self._load_sounds().get(tone)
        if sound is not None:
            sound.play()
        if widget is not None:
            self.flash(widget, tone)

    def flash(self, widget: QWidget, tone: Tone) -> None:
        """Tint ``widget`` (its ``flash`` property, styled by the theme) for a moment."""
        widget.setProperty("flash", tone.value)
        repolish(widget)
        # The timer is the widget's child: a widget deleted while it flashes (the packer signs
        # out at once) takes its timer with it, instead of being unflashed after its death.
        timer = widget.findChild(QTimer, _FLASH_TIMER)
        if timer is None:
            timer = QTimer(widget)
            timer.setObjectName(_FLASH_TIMER)
            timer.setSingleShot(True)
            timer.timeout.connect(lambda w=widget: self._unflash(w))
        timer.start(FLASH_MS)

    @staticmethod
    def _unflash(widget: QWidget) -> None:
        widget.setProperty("flash", "")
        repolish(widget)

    def _load_sounds(self) -> dict[Tone, Any]:
        if self._sounds is not None:
            return self._sounds
        self._sounds = {}
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except ImportError as error:  # libpulse0 missing: the flash still works
            log.info("no scan sounds: QtMultimedia cannot load (%s)", error)
            return self._sounds
        if not QMediaDevices.audioOutputs():
            log.info("no scan sounds: no audio output device")
            return self._sounds
        for tone, name in ((Tone.DONE, "good.wav"), (Tone.REFUSED, "bad.wav")):
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(SOUND_DIR / name)))
            effect.setVolume(0.9)
            self._sounds[tone] = effect
        return self._sounds
