"""The Stock workspace (supervisors): every warehouse's stock, and transfers received by scan.

The top table shows each product's stock in hand, committed, available and in transit, per
warehouse and in total (app/services/warehouses.stock_overview). The bottom one lists the
transfers still in transit; receiving one is done by scans, as at the other benches: the
transfer number (``TR-000001``), then the bin the items go into, then each item (a case
counts its units), each scan its own transaction. "Receive all" puts everything still in
transit into the bin scanned (or the bins of the same codes it left); "Close short" writes
off what never arrived, reported as a discrepancy. The services check the right themselves.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.bootstrap import Station
from app.domain.bench import BenchResult
from app.domain.decode import ScanMeaning
from app.domain.errors import DomainError
from app.domain.users import Actor, Workspace
from app.services.transfers import TransferView, list_transfers, receive_transfer
from app.services.warehouses import ProductStock, StockInWarehouse, stock_overview
from ui.tables import ModelIndex, RowsModel, read_only_table
from ui.widgets import MessageBand
from ui.workspaces.base import PageContext, WorkspacePage

TRANSFER_SCAN = re.compile(r"TR-\d{6}", re.IGNORECASE)


class StockModel(RowsModel[tuple[ProductStock, StockInWarehouse]]):
    """One row per product and warehouse, then the product's total."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.COLUMNS = (  # type: ignore[misc]
            self.tr("SKU"),
            self.tr("Product"),
            self.tr("Warehouse"),
            self.tr("In hand"),
            self.tr("Committed"),
            self.tr("Available"),
            self.tr("In transit"),
        )

    def set_stock(self, products: list[ProductStock]) -> None:
        rows: list[tuple[ProductStock, StockInWarehouse]] = []
        for p in products:
            rows.extend((p, w) for w in p.warehouses)
            rows.append((p, p.total))
        self.show_rows(rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        product, w = self._rows[index.row()]
        total = w.code == "all"  # the total row (warehouse codes are capitals)
        if role == Qt.ItemDataRole.DisplayRole:
            where = self.tr("Total") if total else w.code
            return (
                product.sku,
                product.name,
                where,
                w.on_hand,
                w.committed,
                w.available,
                w.in_transit,
            )[index.column()]
        if role == Qt.ItemDataRole.FontRole and total:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class TransfersModel(RowsModel[TransferView]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.COLUMNS = (  # type: ignore[misc]
            self.tr("Transfer"),
            self.tr("From"),
            self.tr("To"),
            self.tr("State"),
            self.tr("Sent"),
            self.tr("Received"),
            self.tr("In transit"),
            self.tr("By"),
        )

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        t = self._rows[index.row()]
        return (
            t.number,
            t.from_code,
            t.to_code,
            t.state,
            t.sent,
            t.received,
            t.in_transit,
            t.created_by,
        )[index.column()]


class StockPage(WorkspacePage):
    """Stock per warehouse on top; the transfers in transit below, received by scans."""

    def __init__(self, station: Station, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(Workspace.STOCK, parent)
        self._station = station
        self._actor = actor
        self.transfer: str | None = None  # the transfer being received (scanned)
        self.bin_code: str | None = None  # the bin its items go into

        self.message = MessageBand()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("SKU or product name"))
        self.search.setAccessibleName(self.tr("Find stock"))
        self.search.returnPressed.connect(self.load)
        find = QHBoxLayout()
        label = QLabel(self.tr("Find:"))
        label.setBuddy(self.search)
        find.addWidget(label)
        find.addWidget(self.search, 1)

        self.stock_model = StockModel(self)
        self.stock_table = read_only_table(self.stock_model, self.tr("Stock per warehouse"))
        header = self.stock_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.transfers_model = TransfersModel(self)
        self.transfers_table = read_only_table(
            self.transfers_model, self.tr("Transfers in transit")
        )
        header = self.transfers_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        self.transfers_table.setMinimumHeight(170)

        self.step = QLabel()
        self.step.setObjectName("next-action")
        self.step.setWordWrap(True)
        self.receive_all_button = QPushButton(self.tr("&Receive all"))
        self.receive_all_button.clicked.connect(self.receive_all)
        self.close_button = QPushButton(self.tr("Close &short"))
        self.close_button.clicked.connect(self.close_short)
        buttons = QHBoxLayout()
        buttons.addWidget(self.step, 1)
        buttons.addWidget(self.receive_all_button)
        buttons.addWidget(self.close_button)

        self.body.addWidget(self.message)
        self.body.addLayout(find)
        self.body.addWidget(self.stock_table, 2)
        transfers_label = QLabel(self.tr("Transfers in transit"))
        transfers_label.setObjectName("section")
        self.body.addWidget(transfers_label)
        self.body.addWidget(self.transfers_table, 1)
        self.body.addLayout(buttons)
        self._show_step()

    def activate(self) -> None:
        self.load()

    def on_synced(self, report: Any) -> None:
        if self.isVisible():
            self.load()

    def load(self) -> None:
        try:
            stock = stock_overview(self._station, self._actor, self.search.text())
            transfers = list_transfers(self._station, open_only=True)
        except DomainError as error:
            self.message.show_refused(error.message)
            return
        self.stock_model.set_stock(stock)
        self.transfers_model.show_rows(transfers)
        self.subject.setText(
            self.tr("%n product(s)", "", len(stock))
            + "  ·  "
            + self.tr("%n transfer(s) in transit", "", len(transfers))
        )

    def _show_step(self) -> None:
        if self.transfer is None:
            text = self.tr("Scan a transfer number (TR-…) to receive it.")
        elif self.bin_code is None:
            text = self.tr("Receiving %1: scan the bin the items go into.").replace(
                "%1", self.transfer
            )
        else:
            text = (
                self.tr("Receiving %1 into bin %2: scan each item, or Receive all.")
                .replace("%1", self.transfer)
                .replace("%2", self.bin_code)
            )
        self.step.setText(text)
        self.receive_all_button.setEnabled(self.transfer is not None)
        self.close_button.setEnabled(self.transfer is not None)

    def _open_numbers(self) -> set[str]:
        model = self.transfers_model
        return {model.row_at(r).number for r in range(model.rowCount())}

    def _select(self, number: str) -> None:
        for row in range(self.transfers_model.rowCount()):
            if self.transfers_model.row_at(row).number == number:
                self.transfers_table.selectRow(row)

    def on_scan(self, meaning: ScanMeaning) -> BenchResult:
        text = (meaning.decoded.data or meaning.decoded.raw).strip()
        if TRANSFER_SCAN.fullmatch(text):
            number = text.upper()
            open_numbers = self._open_numbers()
            if number not in open_numbers:
                self.load()
                open_numbers = self._open_numbers()
            if number not in open_numbers:
                return BenchResult.refusal(
                    self.tr("Transfer %1 is not in transit: nothing to receive.").replace(
                        "%1", number
                    )
                )
            self.transfer, self.bin_code = number, None
            self._select(number)
            self._show_step()
            return BenchResult.taken(self.tr("Transfer %1: scan the bin.").replace("%1", number))
        if self.transfer is None:
            return BenchResult.refusal(self.tr("Scan a transfer number (TR-…) first."))
        if self.bin_code is None:
            self.bin_code = text
            self._show_step()
            return BenchResult.taken(self.tr("Bin %1: scan the items.").replace("%1", text))
        try:
            view = receive_transfer(
                self._station, self._actor, self.transfer, bin_code=self.bin_code, scan=text
            )
        except DomainError as error:
            return BenchResult.refusal(error.message)
        said = (
            self.tr("Received into %1; %2 still in transit.")
            .replace("%1", self.bin_code)
            .replace("%2", str(view.in_transit))
        )
        self._after(view)
        return BenchResult.taken(said)

    def _after(self, view: TransferView) -> None:
        if view.in_transit == 0:
            self.message.show_done(
                self.tr("Transfer %1 is %2.").replace("%1", view.number).replace("%2", view.state)
            )
            self.transfer, self.bin_code = None, None
        self._show_step()
        self.load()

    def receive_all(self) -> None:
        if self.transfer is None:
            return
        try:
            view = receive_transfer(
                self._station, self._actor, self.transfer, bin_code=self.bin_code
            )
        except DomainError as error:
            self.message.show_refused(error.message)
            return
        self._after(view)

    def close_short(self) -> None:
        if self.transfer is None:
            return
        try:
            view = receive_transfer(self._station, self._actor, self.transfer, close=True)
        except DomainError as error:
            self.message.show_refused(error.message)
            return
        self._after(view)


def create_page(context: PageContext) -> WorkspacePage:
    return StockPage(context.station, context.actor)
