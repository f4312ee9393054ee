"""Keys as a keyboard-wedge scanner sends them, stamped the way the window system stamps them.

The wedge reader tells a scanner from a person by the gaps between key stamps. ``QTest``
sends keys without a stamp, so the reader falls back to the clock, and on a loaded machine
the test's own pauses between two keys can look like a person typing. Stamped keys keep a
scanner's gaps however long Python takes to send them, as a real window system does.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

# Every burst starts a second after the last one ended: stamps only move forward.
_next_burst = itertools.count(10_000_000, 1_000_000)

_SPECIAL = {"\r": Qt.Key.Key_Return, "\t": Qt.Key.Key_Tab}


def wedge_scan(target: QWidget, text: str, *, every_ms: int = 2, enter: bool = True) -> None:
    """Send ``text`` (then Enter) to ``target`` as a wedge scanner would, ``every_ms`` apart.

    A GS (``\\x1d``) goes as Ctrl+], as scanners that cannot type GS send it.
    """
    if QApplication.focusWidget() is not target and not target.isWindow():
        # Keys go to the focused widget of the active window, as a keyboard's do.
        target.window().activateWindow()
        target.setFocus()
        QApplication.processEvents()
    stamp = next(_next_burst)
    for char in text + ("\r" if enter else ""):
        if char == "\x1d":
            key, modifiers, typed = Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier, ""
        else:
            key = _SPECIAL.get(char) or Qt.Key(ord(char.upper()))
            modifiers, typed = Qt.KeyboardModifier.NoModifier, char
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, modifiers, typed)
            event.setTimestamp(stamp)
            QApplication.sendEvent(target, event)
        stamp += every_ms
