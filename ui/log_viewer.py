"""The log viewer: the station's log files, filtered by level and text, for supervisors."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.logs import LEVELS, read_entries
from ui.icons import icon
from ui.widgets import styled_label


class LogViewer(QDialog):
    """The newest entries of the log folder's files; Reload reads them again."""

    def __init__(self, log_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.log_dir = log_dir
        self.setWindowTitle(self.tr("Log — {folder}").format(folder=log_dir))
        self.setWindowIcon(icon("logs"))
        self.level = QComboBox()
        self.level.setAccessibleName(self.tr("Level"))
        for name in LEVELS[:4]:
            self.level.addItem(self.tr("{level} and above").format(level=name), name)
        self.level.setCurrentIndex(1)
        self.level.currentIndexChanged.connect(self.reload)
        self.filter = QLineEdit()
        self.filter.setAccessibleName(self.tr("Text"))
        self.filter.setPlaceholderText(self.tr("Only entries containing…"))
        self.filter.textChanged.connect(self.reload)
        reload = QPushButton(self.tr("Reload"))
        reload.clicked.connect(self.reload)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        self.count = styled_label("", "hint")
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setAccessibleName(self.tr("Log entries"))

        bar = QHBoxLayout()
        bar.addWidget(self.level)
        bar.addWidget(self.filter, 1)
        bar.addWidget(reload)
        foot = QHBoxLayout()
        foot.addWidget(self.count, 1)
        foot.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(
            styled_label(self.tr("Log folder: {folder}").format(folder=log_dir), "hint")
        )
        layout.addLayout(bar)
        layout.addWidget(self.text, 1)
        layout.addLayout(foot)
        self.resize(1200, 760)
        self.reload()

    @Slot()
    def reload(self) -> None:
        entries = read_entries(
            self.log_dir, level=self.level.currentData(), containing=self.filter.text()
        )
        self.text.setPlainText("\n".join(e.line() for e in entries))
        # The newest entry in view, from the start of its line.
        self.text.moveCursor(QTextCursor.MoveOperation.End)
        self.text.moveCursor(QTextCursor.MoveOperation.StartOfBlock)
        self.text.horizontalScrollBar().setValue(0)
        self.count.setText(self.tr("Entries shown: {n}").format(n=len(entries)))
