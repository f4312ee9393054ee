"""The Devices workspace: this station's scanners, what each last read, and a test area.

Every scan that arrives while the page is shown is decoded here in full (kind, GTIN, GS1
data, errors), so a supervisor can check a scanner's set-up (prefix, suffix, AIM
identifiers, GS) by scanning a few codes. A badge shows as "badge (hidden)", here as in
the scanners' last scan: it is a credential. A serial scanner (or ``packbench sim scanner``)
can be opened for the session by its port. Label printer and scale come in a later version.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.bench import BenchResult
from app.domain.decode import ScanKind, ScanMeaning, show_scan
from app.domain.scans import Scan
from app.domain.users import Workspace
from ui.domain_text import device_state
from ui.scanning import ScannerStatus, StationScanning
from ui.tables import ModelIndex, RowsModel, read_only_table
from ui.theme import Tone, tint, tint_ink
from ui.widgets import MessageBand, styled_label
from ui.workspaces.base import PageContext, WorkspacePage

_STATE_TONES = {
    "connected": Tone.DONE,
    "listening": Tone.DONE,
    "connecting": Tone.WAITING,
    "disconnected": Tone.REFUSED,
}


class ScannersModel(RowsModel[ScannerStatus]):
    COLUMNS = (
        str(QT_TRANSLATE_NOOP("ScannersModel", "Scanner")),
        str(QT_TRANSLATE_NOOP("ScannersModel", "State")),
        str(QT_TRANSLATE_NOOP("ScannersModel", "Last scan")),
    )

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        status, column = self._rows[index.row()], index.column()
        tone = _STATE_TONES.get(status.state)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return status.title
            if column == 1:
                quiet = status.state in ("connected", "listening") or not status.reason
                state = device_state(status.state)
                return state if quiet else f"{state}: {status.reason}"
            return status.last or "—"
        if role == Qt.ItemDataRole.ToolTipRole:
            return status.reason or status.title
        if role == Qt.ItemDataRole.BackgroundRole and column == 1 and tone:
            return tint(tone)
        if role == Qt.ItemDataRole.ForegroundRole and column == 1 and tone:
            return tint_ink(tone)
        return None


def describe(meaning: ScanMeaning) -> str:
    """Everything the decoder read from one scan, a line per fact; of a badge, only that."""
    d = meaning.decoded
    badge = d.kind is ScanKind.BADGE
    lines = [
        f"Means:      {meaning.message}",
        f"Kind:       {meaning.kind.value}" + ("" if d.valid else "  (not valid on its own)"),
        f"Read:       {show_scan(d.raw, badge=badge)}",
    ]
    if badge:
        return "\n".join([*lines, *(f"Problem:    {e}" for e in d.errors)])
    if d.symbology:
        lines.append(f"Symbology:  {d.symbology}")
    if d.gtin:
        lines.append(f"GTIN:       {d.gtin}")
    if d.sscc:
        lines.append(f"SSCC:       {d.sscc}")
    if d.ais:
        lines.append("GS1 data:   " + " ".join(f"({ai}){value}" for ai, value in d.ais.items()))
    if d.expiry:
        lines.append(f"Use by:     {d.expiry.isoformat()}")
    if meaning.product is not None:
        p = meaning.product
        lines.append(f"Product:    {p.sku}  {p.name}  ×{meaning.units}")
    lines += [f"Problem:    {e}" for e in d.errors]
    lines += [f"Note:       {w}" for w in d.warnings]
    return "\n".join(lines)


class DevicesPage(WorkspacePage):
    """Scanners with their state and last scan, a serial port to open, and a test area."""

    def __init__(self, context: PageContext) -> None:
        super().__init__(Workspace.DEVICES)
        self.scanning: StationScanning = context.scanning
        config = context.station.config
        self._config_file = config.paths.config_file
        self.subject.setText(self.tr("Scanners"))

        self.model = ScannersModel(self)
        self.table = read_only_table(self.model, self.tr("Scanners"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setMinimumHeight(150)
        self.table.setMaximumHeight(220)

        self.port_field = QLineEdit()
        self.port_field.setPlaceholderText(
            self.tr(
                "Serial scanner port: /dev/serial/by-id/…, or the path packbench sim scanner "
                "printed"
            )
        )
        self.port_field.setAccessibleName(self.tr("Serial scanner port"))
        self.open_button = QPushButton(self.tr("&Open serial scanner"))
        self.port_field.returnPressed.connect(self.open_serial)
        self.open_button.clicked.connect(self.open_serial)
        port_row = QHBoxLayout()
        port_row.addWidget(self.port_field, 1)
        port_row.addWidget(self.open_button)

        self.message = MessageBand()
        self.test_field = QLineEdit()
        self.test_field.setProperty("role", "big")
        self.test_field.setPlaceholderText(
            self.tr("Test: scan here, or type a code and press Enter")
        )
        self.test_field.setAccessibleName(self.tr("Test scan"))
        self.test_field.returnPressed.connect(self.submit_test)
        self.test_field.setMinimumHeight(self.test_field.sizeHint().height())
        self.decoded = QPlainTextEdit(self.tr("Scan anything: what it means here shows here."))
        self.decoded.setReadOnly(True)
        self.decoded.setAccessibleName(self.tr("Decoded scan"))
        self.decoded.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.decoded.setMinimumHeight(170)
        other = config.printer.transport
        self.later = styled_label(
            self.tr(
                "Label printer and scale are set up here in a later version; for now see the "
                "status bar (printer: %s, scale: %s)."
            )
            % (other, config.scale.port or self.tr("none")),
            "hint",
        )
        self.later.setWordWrap(True)

        # In a scroll area: on a small screen the page scrolls instead of squashing its parts.
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(12)
        column.addWidget(self.table)
        column.addLayout(port_row)
        column.addWidget(self.message)
        column.addWidget(styled_label(self.tr("Test scan"), "section"))
        column.addWidget(self.test_field)
        column.addWidget(self.decoded, 1)
        column.addWidget(self.later)
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setWidget(content)
        self.body.addWidget(scroller, 1)
        self.setFocusProxy(self.test_field)

        self.scanning.hub.scanner_changed.connect(self.on_scanner_changed)
        self.on_scanner_changed(None)

    def activate(self) -> None:
        self.on_scanner_changed(None)

    def on_scanner_changed(self, _status: ScannerStatus | None) -> None:
        self.model.show_rows(list(self.scanning.hub.scanners.values()))

    def open_serial(self) -> None:
        port = self.port_field.text().strip()
        if not port:
            self.message.show_refused(self.tr("Type the scanner's port first, e.g. /dev/ttyACM0."))
            return
        self.scanning.open_serial(port)
        self.message.show_done(
            self.tr(
                "Reading %s for this session. To keep it, set it as [scanner] port "
                '(with mode = "serial") in %s.'
            )
            % (port, self._config_file.name)
        )

    def submit_test(self) -> None:
        text = self.test_field.text()
        self.test_field.clear()
        if text:
            self.scanning.hub.deliver(Scan(text, None, "test", time.monotonic()))

    def on_scan(self, meaning: ScanMeaning) -> BenchResult:
        self.decoded.setPlainText(describe(meaning))
        if meaning.kind is ScanKind.UNKNOWN:
            return BenchResult.refusal(meaning.message)
        return BenchResult.taken()


def create_page(context: PageContext) -> WorkspacePage:
    return DevicesPage(context)
