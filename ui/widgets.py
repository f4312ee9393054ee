"""Small building blocks shared by the screens: labels with a look, the message band."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from ui.domain_text import translated
from ui.theme import Tone, repolish


def styled_label(text: str, role: str, parent: QWidget | None = None) -> QLabel:
    """A label whose look comes from the theme's ``role`` (prompt, title, subject, hint...)."""
    label = QLabel(text, parent)
    label.setProperty("role", role)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class MessageBand(QLabel):
    """The coloured line that says in words what just happened: green, amber or red.

    Hidden while there is nothing to say, so it never shows a stale message.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "band")
        self.setProperty("tone", Tone.NEUTRAL.value)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setAccessibleName("Message")
        self.hide()

    @property
    def tone(self) -> Tone:
        return Tone(self.property("tone"))

    def show_message(self, text: str, tone: Tone) -> None:
        self.setText(translated(text))
        self.setProperty("tone", tone.value)
        repolish(self)
        self.show()

    def show_done(self, text: str) -> None:
        self.show_message(text, Tone.DONE)

    def show_refused(self, text: str) -> None:
        self.show_message(text, Tone.REFUSED)

    def clear_message(self) -> None:
        self.clear()
        self.hide()
