"""The Invoices workspace: an order's billable view, issuing, the list, preview, print, save.

A supervisor types or scans an order number and sees per line, and per shipment and parcel
under it, what shipped, what was invoiced and what is still billable; bills everything, one
shipment, or chosen units per line (spin boxes bounded by what is billable); and issues the
invoice (Ctrl+I). The list below filters every issued invoice and credit note (order,
customer, dates, kind, state centrally, with the reason of a refusal); the one selected is
previewed beside it by QtPdf from the very PDF the printer gets, and is printed to the
documents printer (Ctrl+P; any later print or save is a COPY, recorded in the audit trail),
saved as PDF (Ctrl+S) or corrected by a credit note (Ctrl+N).

Every step calls one service in ``app.services.invoicing``, which checks the person's right
itself: a packer or a returns clerk who reached this page would be refused there, in words,
in the page's band. Issuing, drawing, printing and saving run on a daemon thread (as Pack's
claims do); their answers come back as signals on the GUI thread.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Mapping
from contextlib import suppress
from pathlib import Path

from PySide6.QtCore import (
    QDate,
    QItemSelection,
    QObject,
    QStandardPaths,
    Qt,
    QTimer,
    Signal,
    SignalInstance,
    Slot,
)
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import Station
from app.domain.bench import BenchResult
from app.domain.decode import ScanKind, ScanMeaning
from app.domain.errors import DomainError
from app.domain.invoicing import Selection
from app.domain.money_format import format_money
from app.domain.users import Actor, Workspace
from app.domain.wording import count, listing
from app.faults import environment_fault
from app.services import invoicing
from app.services.invoicing import (
    InvoiceFilter,
    InvoiceState,
    Issued,
    IssuedSummary,
    OrderBilling,
)
from app.sync.engine import SyncReport
from printing.invoice_pdf import invoice_pdf
from ui.devices_bridge import StationPrinting
from ui.tables import read_only_table
from ui.widgets import MessageBand, styled_label
from ui.workspaces.base import PageContext, WorkspacePage
from ui.workspaces.invoice_views import (
    BillableModel,
    BillTable,
    Choice,
    CreditForm,
    IssuedModel,
    PdfPreview,
    Preview,
    SpinDelegate,
)

log = logging.getLogger(__name__)

ISSUE_KEY = "Ctrl+I"
PRINT_KEY = "Ctrl+P"
SAVE_KEY = "Ctrl+S"
CREDIT_KEY = "Ctrl+N"
ORDER_KEY = "Ctrl+O"
FIND_KEY = "Ctrl+F"

# The date filters' "no date": QDateEdit shows its special text at its minimum date.
NO_DATE = QDate(2000, 1, 1)


class InvoicesController(QObject):
    """One service call per intent; the slow ones on a daemon thread, one at a time.

    Signals:
        billing_shown: the ``OrderBilling`` of the order picked (or read again).
        invoices_listed: the ``list[IssuedSummary]`` the filters let through.
        issued: an ``Issued`` invoice or credit note.
        preview_ready: a ``Preview`` (the PDF as it prints now).
        done: what was done, in words (printed, saved).
        refused: why not, in words (the service's refusal, or the surroundings').
        busy_changed: True while a step runs off the GUI thread.
    """

    billing_shown = Signal(OrderBilling)
    invoices_listed = Signal(list)
    issued = Signal(Issued)
    preview_ready = Signal(Preview)
    done = Signal(str)
    refused = Signal(str)
    busy_changed = Signal(bool)
    _finished = Signal()

    def __init__(
        self,
        station: Station,
        actor: Actor,
        printing: StationPrinting | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.station = station
        self.actor = actor
        self.printing = printing
        self.busy = False
        self._next_preview: str | None = None
        self._finished.connect(self._on_finished)

    # --- quick reads, on the GUI thread (the station's own file) ------------------------

    def show_order(self, number: str) -> bool:
        try:
            billing = invoicing.billing(self.station, self.actor, number)
        except DomainError as error:
            self.refused.emit(error.message)
            return False
        self.billing_shown.emit(billing)
        return True

    def list_documents(self, filters: InvoiceFilter) -> None:
        try:
            found = invoicing.list_invoices(self.station, self.actor, filters)
        except DomainError as error:
            self.refused.emit(error.message)
            found = []
        self.invoices_listed.emit(found)

    # --- slow steps, off the GUI thread --------------------------------------------------

    def issue(self, order: str, selection: Selection) -> None:
        def work() -> None:
            self.issued.emit(invoicing.issue_invoice(self.station, self.actor, order, selection))

        self._run(f"issuing an invoice for order {order}", work)

    def credit(self, number: str, quantities: Mapping[str, int] | None) -> None:
        def work() -> None:
            self.issued.emit(
                invoicing.issue_credit_note(self.station, self.actor, number, quantities)
            )

        self._run(f"issuing a credit note for {number}", work)

    def preview(self, number: str) -> None:
        """Draw ``number`` as it would print now; only the latest asked for is drawn."""
        if self.busy:
            self._next_preview = number
            return

        def work() -> None:
            document = invoicing.invoice_document(self.station, self.actor, number)
            self.preview_ready.emit(Preview(number, invoice_pdf(document), document.copy))

        self._run(f"drawing {number}", work)

    def print(self, number: str) -> None:
        printing = self.printing

        def work() -> None:
            out = invoicing.print_invoice(self.station, self.actor, number)
            if printing is not None:
                printing.kick()
            what = f"COPY of {out.number}" if out.copy else out.number
            if out.waiting_already:
                self.done.emit(f"{what} is waiting for the documents printer already.")
            else:
                self.done.emit(f"{what} is on its way to the documents printer.")

        self._run(f"printing {number}", work, then_preview=number)

    def save(self, number: str, path: Path) -> None:
        def work() -> None:
            try:
                out = invoicing.save_invoice_pdf(self.station, self.actor, number, path)
            except OSError as error:
                if environment_fault(error) is not None:
                    raise  # a full disk, no right to write: said with what to do
                reason = error.strerror or type(error).__name__
                raise DomainError(
                    f"{number} was not saved: {path} cannot be written ({reason.lower()}). "
                    "Choose another folder or name."
                ) from error
            what = f"A COPY of {out.number}" if out.copy else out.number
            self.done.emit(f"{what} saved as {path}.")

        self._run(f"saving {number}", work, then_preview=number)

    def issued_lines(self, number: str) -> Issued | None:
        try:
            return invoicing.issued(self.station, self.actor, number)
        except DomainError as error:
            self.refused.emit(error.message)
            return None

    def _run(self, what: str, work: Callable[[], None], then_preview: str | None = None) -> None:
        if self.busy:
            self.refused.emit("Still busy with the last step; try again in a moment.")
            return
        self.busy = True
        self.busy_changed.emit(True)
        if then_preview is not None:  # the next preview says COPY once it is printed
            self._next_preview = then_preview
        threading.Thread(target=self._work, args=(what, work), name="invoices", daemon=True).start()

    def _work(self, what: str, work: Callable[[], None]) -> None:
        try:
            work()
        except DomainError as error:
            self._emit(self.refused, error.message)
        except Exception as error:  # the surroundings (a full disk), or a bug (reported)
            fault = environment_fault(error)
            if fault is None:
                fault = self.station.report(error, f"while {what}")
            self._emit(self.refused, fault.line())
        finally:
            with suppress(RuntimeError):  # the page went (signed out) while it worked
                self._finished.emit()

    @staticmethod
    def _emit(signal: SignalInstance, text: str) -> None:
        with suppress(RuntimeError):
            signal.emit(text)

    @Slot()
    def _on_finished(self) -> None:
        self.busy = False
        self.busy_changed.emit(False)
        number, self._next_preview = self._next_preview, None
        if number is not None:
            self.preview(number)


class InvoicesPage(WorkspacePage):
    """The order's billable view on top; the list and the preview below, side by side."""

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(Workspace.INVOICES, parent)
        self.controller = InvoicesController(context.station, context.actor, context.printing, self)
        self.billing: OrderBilling | None = None
        self._loaded = False
        self._wanted: str | None = None  # the number to select when the list comes
        self._preview_wanted = False
        self._stale = False  # a sync round ended while the page was not shown
        self._drawing: str | None = None  # the number asked to be drawn last
        self._save_dir = Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            or Path.home()
        )
        self.save_dialog: QFileDialog | None = None
        self.credit_form: CreditForm | None = None

        self.message = MessageBand()
        self.body.addWidget(self.message)

        # --- the order and what to bill --------------------------------------------------
        self.order_field = QLineEdit()
        self.order_field.setPlaceholderText(self.tr("Type or scan an order number, then Enter"))
        self.order_field.setAccessibleName(self.tr("Order to invoice"))
        self.order_field.setClearButtonEnabled(True)
        self.order_field.returnPressed.connect(self._on_order_entered)
        self.order_field.setMinimumWidth(self.fontMetrics().averageCharWidth() * 16)
        order_caption = QLabel("&Order:")
        order_caption.setBuddy(self.order_field)

        self.bill_model = BillableModel(self)
        self.bill_table = BillTable()
        self.bill_table.setModel(self.bill_model)
        self.bill_table.setAccessibleName(self.tr("Billable per line and shipment"))
        self.bill_table.setItemDelegateForColumn(BillableModel.BILL, SpinDelegate(self.bill_table))
        self.bill_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.bill_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.bill_table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.bill_table.setWordWrap(False)
        self.bill_table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.bill_table.verticalHeader().hide()
        header = self.bill_table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # Room for a spin box of four digits with its arrows, whatever the column shows now.
        header.setSectionResizeMode(BillableModel.BILL, QHeaderView.ResizeMode.Fixed)
        probe = QSpinBox()
        probe.setRange(0, 9999)
        header.resizeSection(BillableModel.BILL, probe.sizeHint().width() + 16)
        rows = self.bill_table.verticalHeader()
        rows.setDefaultSectionSize(max(rows.defaultSectionSize(), probe.minimumSizeHint().height()))
        self.bill_model.dataChanged.connect(self._on_bill_changed)

        self.choice = QComboBox()
        self.choice.setAccessibleName(self.tr("What to bill"))
        self.choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.choice.addItem("an order first", None)
        self.choice.currentIndexChanged.connect(self._on_choice_changed)
        choice_caption = QLabel("&Bill:")
        choice_caption.setBuddy(self.choice)
        self.issue_button = QPushButton(f"&Issue invoice  {ISSUE_KEY}")
        self.issue_button.setEnabled(False)
        self.issue_button.clicked.connect(self.issue)
        self.bill_summary = styled_label("", "hint")

        order_row = QHBoxLayout()
        order_row.setSpacing(12)
        order_row.addWidget(order_caption)
        order_row.addWidget(self.order_field, 1)
        order_row.addSpacing(12)
        order_row.addWidget(choice_caption)
        order_row.addWidget(self.choice)
        order_row.addWidget(self.issue_button)

        top = _column(order_row, self.bill_table, self.bill_summary)

        # --- the list and its filters ----------------------------------------------------
        self.filter_order = QLineEdit()
        self.filter_order.setPlaceholderText(self.tr("Order"))
        self.filter_order.setAccessibleName(self.tr("Filter: order"))
        self.filter_order.setClearButtonEnabled(True)
        self.filter_customer = QLineEdit()
        self.filter_customer.setPlaceholderText(self.tr("Customer"))
        self.filter_customer.setAccessibleName(self.tr("Filter: customer"))
        self.filter_customer.setClearButtonEnabled(True)
        em = self.fontMetrics().averageCharWidth()
        self.filter_order.setMinimumWidth(10 * em)
        self.filter_customer.setMinimumWidth(12 * em)
        self.filter_from = _date_edit("Filter: issued from", "any date")
        self.filter_to = _date_edit("Filter: issued until", "any date")
        self.filter_kind = QComboBox()
        self.filter_kind.setAccessibleName(self.tr("Filter: kind"))
        for text, kind in (
            ("All kinds", None),
            ("Invoices", "invoice"),
            ("Credit notes", "credit_note"),
        ):
            self.filter_kind.addItem(text, kind)
        self.filter_state = QComboBox()
        self.filter_state.setAccessibleName(self.tr("Filter: state"))
        self.filter_state.addItem("Any state", None)
        for state in InvoiceState:
            self.filter_state.addItem(state.label.capitalize(), state.value)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(250)
        self._filter_timer.timeout.connect(self.reload)
        for field in (self.filter_order, self.filter_customer):
            field.textChanged.connect(self._filter_timer.start)
        for edit in (self.filter_from, self.filter_to):
            edit.dateChanged.connect(self._filter_timer.start)
        for combo in (self.filter_kind, self.filter_state):
            combo.currentIndexChanged.connect(self.reload)
        filters = QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(self.filter_order, 2)
        filters.addWidget(self.filter_customer, 3)
        issued_caption = QLabel("Issued:")
        filters.addWidget(issued_caption)
        filters.addWidget(self.filter_from)
        filters.addWidget(QLabel("–"))
        filters.addWidget(self.filter_to)
        filters.addWidget(self.filter_kind)
        filters.addWidget(self.filter_state)

        self.list_model = IssuedModel(self)
        self.list_table = read_only_table(self.list_model, "Invoices and credit notes")
        self.list_table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        list_header = self.list_table.horizontalHeader()
        list_header.setHighlightSections(False)
        list_header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        list_header.setStretchLastSection(True)
        self.list_table.selectionModel().selectionChanged.connect(self._on_list_selection)
        self.list_hint = styled_label("", "hint")
        self.list_hint.setWordWrap(True)  # the buttons beside it keep their whole names
        self.list_hint.setMinimumWidth(self.fontMetrics().averageCharWidth() * 8)

        # --- what to do with the selected document ---------------------------------------
        self.preview_button = QPushButton(self.tr("Pre&view") + "  Enter")
        self.preview_button.clicked.connect(self.show_preview)
        self.print_button = QPushButton(f"&Print  {PRINT_KEY}")
        self.print_button.clicked.connect(self.print_selected)
        self.save_button = QPushButton(f"&Save as PDF…  {SAVE_KEY}")
        self.save_button.clicked.connect(self.save_selected)
        self.credit_button = QPushButton(f"Cre&dit note…  {CREDIT_KEY}")
        self.credit_button.clicked.connect(self.credit_selected)
        self.back_button = QPushButton(self.tr("&Back to the list") + "  Esc")
        self.back_button.clicked.connect(self.hide_preview)
        self.list_table.activated.connect(self.show_preview)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.list_hint, 1)
        for button in (self.preview_button, self.print_button, self.save_button):
            actions.addWidget(button)
        actions.addWidget(self.credit_button)

        lower = _column(filters, self.list_table, actions)

        # --- the preview: beside the work on a wide screen, in its place on a narrow one --
        self.preview = PdfPreview()
        preview_actions = QHBoxLayout()
        preview_actions.setSpacing(8)
        preview_actions.addWidget(self.back_button)
        preview_actions.addStretch(1)
        self.preview_print = QPushButton(f"Print  {PRINT_KEY}")
        self.preview_print.clicked.connect(self.print_selected)
        self.preview_save = QPushButton(f"Save as PDF…  {SAVE_KEY}")
        self.preview_save.clicked.connect(self.save_selected)
        preview_actions.addWidget(self.preview_print)
        preview_actions.addWidget(self.preview_save)
        self.preview_panel = _column(self.preview, preview_actions)

        self.work = QSplitter(Qt.Orientation.Vertical)
        self.work.setChildrenCollapsible(False)
        self.work.addWidget(top)
        self.work.addWidget(lower)
        self.work.setStretchFactor(0, 3)  # the order's lines first; the list scrolls
        self.work.setStretchFactor(1, 2)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.work)
        self.splitter.addWidget(self.preview_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.body.addWidget(self.splitter, 1)
        self.previewing = False  # on a narrow screen: the preview shown instead of the work
        self._split = False
        self._place()

        for key, slot in (
            (ISSUE_KEY, self.issue),
            (PRINT_KEY, self.print_selected),
            (SAVE_KEY, self.save_selected),
            (CREDIT_KEY, self.credit_selected),
            (ORDER_KEY, self._focus_order),
            (FIND_KEY, self._focus_filters),
            ("Esc", self.hide_preview),
        ):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        self.setFocusProxy(self.order_field)
        QWidget.setTabOrder(self.order_field, self.choice)
        QWidget.setTabOrder(self.choice, self.bill_table)
        QWidget.setTabOrder(self.bill_table, self.issue_button)
        QWidget.setTabOrder(self.issue_button, self.filter_order)
        QWidget.setTabOrder(self.filter_order, self.filter_customer)
        QWidget.setTabOrder(self.filter_customer, self.filter_from)
        QWidget.setTabOrder(self.filter_from, self.filter_to)
        QWidget.setTabOrder(self.filter_to, self.filter_kind)
        QWidget.setTabOrder(self.filter_kind, self.filter_state)
        QWidget.setTabOrder(self.filter_state, self.list_table)

        c = self.controller
        c.billing_shown.connect(self.on_billing_shown)
        c.invoices_listed.connect(self.on_invoices_listed)
        c.issued.connect(self.on_issued)
        c.preview_ready.connect(self.on_preview_ready)
        c.done.connect(self.message.show_done)
        c.refused.connect(self.message.show_refused)
        c.refused.connect(self._forget_drawing)  # selecting it again tries again
        c.busy_changed.connect(self._on_busy)
        self._show_subject()
        self._enable()

    # --- the order -----------------------------------------------------------------------

    def activate(self) -> None:
        if not self._loaded or self._stale:
            self._loaded, self._stale = True, False
            self._read_again()

    def on_synced(self, report: SyncReport) -> None:
        # The central store's answers (recorded, refused) and new shipments come with sync:
        # read again now when shown, else when next shown.
        if not self._loaded:
            return
        if self.isVisible():
            self._read_again()
        else:
            self._stale = True

    def _read_again(self) -> None:
        self.reload()
        if self.billing is not None and not self.controller.busy:
            self.controller.show_order(self.billing.view.order_number)

    def on_scan(self, meaning: ScanMeaning) -> BenchResult:
        if meaning.kind is ScanKind.ORDER:
            decoded = meaning.decoded
            # A bare number found as an order was read as something else first (a UPC-E).
            number = (decoded.reference if decoded.kind is ScanKind.ORDER else None) or decoded.data
            self.order_field.setText(number)
            if self.open_order(number):
                return BenchResult.taken(f"Order {number}: {self._billable_words()}")
            return BenchResult.refusal(self.message.text())
        if meaning.kind is ScanKind.UNKNOWN:
            return BenchResult.refusal(meaning.message)
        return BenchResult.refusal(
            f"{meaning.message}: not an order. Scan an order number or its packing slip to "
            "see what is billable."
        )

    def open_order(self, number: str) -> bool:
        number = number.strip()
        if not number:
            return False
        self.message.clear_message()
        if not self.controller.show_order(number):
            return False
        if self.filter_order.text() != number:
            self.filter_order.setText(number)  # the list shows this order's documents
        return True

    @Slot()
    def _on_order_entered(self) -> None:
        if self.open_order(self.order_field.text()) and self.bill_model.total_billed():
            self.issue_button.setFocus()

    @Slot(OrderBilling)
    def on_billing_shown(self, billing: OrderBilling) -> None:
        view = billing.view
        focused = QApplication.focusWidget()
        if focused is not None and self.bill_table.isAncestorOf(focused):
            self.bill_table.setFocus()  # the spin box that has it is about to go
        # Closed by the view before the rows go: a spin box dropped with them would still
        # hand in its value as it loses the focus.
        for row in self.bill_model.line_rows():
            index = self.bill_model.index(row, BillableModel.BILL)
            if self.bill_table.isPersistentEditorOpen(index):
                self.bill_table.closePersistentEditor(index)
        self.billing = billing
        self.bill_model.set_view(view)
        self.choice.blockSignals(True)
        self.choice.clear()
        if view.billable:
            self.choice.addItem(
                f"Everything billable ({count(view.billable, 'unit')})", Choice.EVERYTHING.value
            )
            for shipment in view.shipments():
                units = sum(p.billable for p in view.parcels if p.shipment == shipment)
                self.choice.addItem(
                    f"Shipment {shipment} ({count(units, 'unit')})", f"shipment:{shipment}"
                )
            self.choice.addItem("Chosen units per line", Choice.QUANTITIES.value)
        else:
            self.choice.addItem("Nothing billable", None)
        self.choice.blockSignals(False)
        self._on_choice_changed()
        self._show_subject()

    @Slot()
    def _on_choice_changed(self) -> None:
        data = self.choice.currentData()
        if isinstance(data, str) and data.startswith("shipment:"):
            self.bill_model.choose(Choice.SHIPMENT, data.removeprefix("shipment:"))
        elif data == Choice.QUANTITIES.value:
            self.bill_model.choose(Choice.QUANTITIES)
        else:
            self.bill_model.choose(Choice.EVERYTHING)
        self._open_spin_boxes()
        self._on_bill_changed()

    def _open_spin_boxes(self) -> None:
        quantities = self.bill_model.choice is Choice.QUANTITIES
        first = None
        for row in self.bill_model.line_rows():
            index = self.bill_model.index(row, BillableModel.BILL)
            if quantities and self.bill_model.editable(index):
                self.bill_table.openPersistentEditor(index)
                first = first or index
            elif self.bill_table.isPersistentEditorOpen(index):
                self.bill_table.closePersistentEditor(index)
        if first is not None and self.choice.hasFocus():
            self.bill_table.setCurrentIndex(first)

    @Slot()
    def _on_bill_changed(self, *_: object) -> None:
        self._enable()
        billing = self.billing
        if billing is None:
            self.bill_summary.setText("")
            return
        units = self.bill_model.total_billed()
        if not billing.billable:
            self.bill_summary.setText(self._billable_words())
        elif units:
            shipments = sorted(
                {p.shipment for p in billing.view.parcels if self.bill_model.billed_parcel(p)}
            )
            where = f" from {listing(shipments)}" if shipments else ""
            self.bill_summary.setText(
                f"The invoice bills {count(units, 'unit')}{where}; {self._shipping_words()}"
            )
        else:
            self.bill_summary.setText("Type how many units of each line to bill.")

    def _shipping_words(self) -> str:
        billing = self.billing
        if billing is None or not billing.shipping:
            return "the order has no shipping charge."
        if billing.shipping_billed:
            return "shipping was billed before."
        return "shipping is charged once, as the station is set up."

    def _billable_words(self) -> str:
        billing = self.billing
        if billing is None:
            return ""
        shipped = sum(line.shipped for line in billing.view.lines)
        if billing.billable:
            return f"{count(billing.billable, 'unit')} billable of {shipped} shipped"
        if not shipped:
            return "nothing shipped yet, so nothing to bill"
        return f"invoiced in full for the {count(shipped, 'unit')} shipped"

    def selection(self) -> Selection | None:
        """What the Bill choice asks for, or None when nothing is chosen."""
        model = self.bill_model
        if model.choice is Choice.QUANTITIES:
            wanted = model.quantities()
            return Selection.of_quantities(wanted) if wanted else None
        if model.choice is Choice.SHIPMENT and model.shipment is not None:
            return Selection.of_shipment(model.shipment)
        return Selection.everything()

    @Slot()
    def issue(self) -> None:
        billing = self.billing
        if billing is None:
            self.message.show_refused("Type or scan an order number first (Ctrl+O).")
            self._focus_order()
            return
        if not billing.billable:
            self.message.show_refused(
                f"Order {billing.view.order_number}: {self._billable_words()}."
            )
            return
        selection = self.selection()
        if selection is None:
            self.message.show_refused("Choose at least one unit to bill (the Bill column).")
            return
        self.controller.issue(billing.view.order_number, selection)

    @Slot(Issued)
    def on_issued(self, issued: Issued) -> None:
        s = issued.summary
        if s.is_credit_note:
            said = f"Credit note {s.number} issued for {s.corrects}"
        elif issued.partial_index:
            said = f"Partial invoice {issued.partial_index} {s.number} issued"
        else:
            said = f"Invoice {s.number} issued"
        units = sum(line.quantity for line in issued.lines if line.shipment is not None)
        self.message.show_done(
            f"{said}: {count(units, 'unit')}, {format_money(s.gross, s.currency)}. Print it with "
            f"{PRINT_KEY} or save it with {SAVE_KEY}."
        )
        self._wanted = s.number
        self._preview_wanted = True  # a preview before printing
        self.controller.show_order(s.order_number)
        if self.filter_order.text() != s.order_number:
            self.filter_order.setText(s.order_number)
        self._filter_timer.stop()
        self.reload()

    # --- the list ------------------------------------------------------------------------

    def filters(self) -> InvoiceFilter:
        kind = self.filter_kind.currentData()
        state = self.filter_state.currentData()
        return InvoiceFilter(
            order=self.filter_order.text().strip() or None,
            customer=self.filter_customer.text().strip() or None,
            issued_from=_date_of(self.filter_from),
            issued_to=_date_of(self.filter_to),
            kind=kind,
            state=InvoiceState(state) if state else None,
        )

    @Slot()
    def reload(self) -> None:
        chosen = self.selected()
        if self._wanted is None and chosen is not None:
            self._wanted = chosen.number
        self.controller.list_documents(self.filters())

    @Slot(list)
    def on_invoices_listed(self, found: list[IssuedSummary]) -> None:
        wanted, self._wanted = self._wanted, None
        shown_before = self.preview.preview.number if self.preview.preview else None
        self.list_model.show_rows(found)
        self.list_table.resizeColumnsToContents()
        header = self.list_table.horizontalHeader()
        widest = self.list_table.fontMetrics().averageCharWidth() * 24
        for column in range(self.list_model.columnCount() - 1):
            header.resizeSection(column, min(header.sectionSize(column) + 12, widest))
        refused = sum(1 for x in found if x.state is InvoiceState.REFUSED)
        waiting = sum(1 for x in found if x.state is InvoiceState.WAITING)
        parts = [count(len(found), "document")]
        if waiting:
            parts.append(f"{waiting} waiting to sync")
        if refused:
            parts.append(f"{refused} refused centrally (the State column says why)")
        self.list_hint.setText(
            "  ·  ".join(parts) if found else "No invoice or credit note matches the filters."
        )
        row = self.list_model.row_of(wanted) if wanted else None
        if row is None and found and self.filter_order.text().strip():
            row = 0  # an order's documents: its newest shown at once
        if row is not None:
            self.list_table.selectRow(row)
            if self.list_model.row_at(row).number != shown_before:
                self._on_list_selection()
            if self._preview_wanted:
                self.show_preview()
        else:
            self.list_table.clearSelection()
            self.preview.clear()
        self._preview_wanted = False
        self._show_subject()
        self._enable()

    def selected(self) -> IssuedSummary | None:
        rows = self.list_table.selectionModel().selectedRows()
        return self.list_model.row_at(rows[0].row()) if rows else None

    @Slot(QItemSelection, QItemSelection)
    def _on_list_selection(self, *_: object) -> None:
        chosen = self.selected()
        self._enable()
        if chosen is None:
            return
        shown = self.preview.preview.number if self.preview.preview is not None else None
        if chosen.number not in (shown, self._drawing):
            self._drawing = chosen.number
            self.preview.clear()
            self.preview.caption.setText(f"Drawing {chosen.number}…")
            self.controller.preview(chosen.number)

    @Slot()
    def _forget_drawing(self) -> None:
        self._drawing = None

    @Slot(Preview)
    def on_preview_ready(self, preview: Preview) -> None:
        if self._drawing == preview.number:
            self._drawing = None
        self.preview.show_preview(preview)
        self._enable()

    # --- the selected document -----------------------------------------------------------

    @Slot()
    def print_selected(self) -> None:
        chosen = self._chosen("print")
        if chosen is not None:
            self.controller.print(chosen.number)

    @Slot()
    def save_selected(self) -> None:
        chosen = self._chosen("save")
        if chosen is None:
            return
        dialog = QFileDialog(self, f"Save {chosen.number} as PDF")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilter("PDF documents (*.pdf)")
        dialog.setDefaultSuffix("pdf")
        dialog.setDirectory(str(self._save_dir))
        dialog.selectFile(f"{chosen.number}.pdf")
        dialog.fileSelected.connect(lambda path, n=chosen.number: self._save_to(n, path))
        dialog.finished.connect(dialog.deleteLater)
        self.save_dialog = dialog
        dialog.open()

    def _save_to(self, number: str, path: str) -> None:
        self.save_dialog = None
        if not path:
            return
        target = Path(path)
        self._save_dir = target.parent
        self.controller.save(number, target)

    @Slot()
    def credit_selected(self) -> None:
        chosen = self._chosen("credit")
        if chosen is None:
            return
        if chosen.is_credit_note:
            self.message.show_refused(
                f"{chosen.number} is a credit note; select the invoice it corrected "
                f"({chosen.corrects}) to credit more of it."
            )
            return
        issued = self.controller.issued_lines(chosen.number)
        if issued is None:
            return
        form = CreditForm(issued, self)
        form.accepted.connect(lambda: self.controller.credit(form.number, form.quantities()))
        form.finished.connect(form.deleteLater)
        self.credit_form = form
        form.open()

    def _chosen(self, doing: str) -> IssuedSummary | None:
        chosen = self.selected()
        if chosen is None:
            self.message.show_refused(f"Select an invoice in the list to {doing} it.")
        return chosen

    # --- the preview's place ------------------------------------------------------------

    WIDE = 1400  # page width from which the preview stays beside the work

    @property
    def wide(self) -> bool:
        return self.width() >= self.WIDE

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def _place(self) -> None:
        wide = self.wide
        if wide and not self._split:  # the document gets room to be read
            self._split = True
            self.splitter.setSizes([self.width() * 11 // 20, self.width() * 9 // 20])
        self.work.setVisible(wide or not self.previewing)
        self.preview_panel.setVisible(wide or self.previewing)
        self.back_button.setVisible(not wide)
        for button in (self.preview_print, self.preview_save):
            button.setVisible(not wide)  # on a wide screen the list's buttons are in view
        self.preview_button.setVisible(not wide)

    @Slot()
    def show_preview(self) -> None:
        """The selected document drawn as it prints (beside the list, or in its place)."""
        if self._chosen("preview") is None:
            return
        self.previewing = not self.wide  # on a wide screen it is in view already
        self._place()
        self.preview.view.setFocus()

    @Slot()
    def hide_preview(self) -> None:
        if self.previewing:
            self.previewing = False
            self._place()
            self.list_table.setFocus()

    # --- the page's state ----------------------------------------------------------------

    @Slot(bool)
    def _on_busy(self, busy: bool) -> None:
        self._enable()
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def _enable(self) -> None:
        busy = self.controller.busy
        chosen = self.selected()
        self.issue_button.setEnabled(
            not busy and self.billing is not None and self.bill_model.total_billed() > 0
        )
        for button in (
            self.preview_button,
            self.print_button,
            self.save_button,
            self.preview_print,
            self.preview_save,
        ):
            button.setEnabled(not busy and chosen is not None)
        self.credit_button.setEnabled(not busy and chosen is not None and not chosen.is_credit_note)
        copy = self.preview.preview is not None and self.preview.preview.copy
        self.print_button.setText(
            f"&Reprint (COPY)  {PRINT_KEY}" if copy else f"&Print  {PRINT_KEY}"
        )

    def _show_subject(self) -> None:
        billing = self.billing
        if billing is None:
            self.subject.setText("Type or scan an order to see what is billable")
            return
        self.subject.setText(
            f"Order {billing.view.order_number}  ·  {billing.customer}  ·  {self._billable_words()}"
        )

    @Slot()
    def _focus_order(self) -> None:
        self.order_field.setFocus()
        self.order_field.selectAll()

    @Slot()
    def _focus_filters(self) -> None:
        self.filter_customer.setFocus()
        self.filter_customer.selectAll()


def _column(*parts: QWidget | QLayout) -> QWidget:
    """Rows stacked without margins; the first widget that is not a label takes the room."""
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(8)
    stretched = False
    for part in parts:
        if isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            grows = not stretched and not isinstance(part, QLabel)
            layout.addWidget(part, 1 if grows else 0)
            stretched = stretched or grows
    return column


def _date_edit(name: str, empty: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setAccessibleName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText(empty)
    edit.setDate(NO_DATE)
    return edit


def _date_of(edit: QDateEdit) -> dt.date | None:
    date = edit.date()
    if date == NO_DATE:
        return None
    return dt.date(date.year(), date.month(), date.day())


def create_page(context: PageContext) -> WorkspacePage:
    return InvoicesPage(context)
