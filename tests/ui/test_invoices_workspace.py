"""The Invoices workspace by the door a supervisor uses: the main window, signed in with a badge.

The station is the packing world's (a real central store, pulled), with shipments recorded as
the bench records them (tests/invoicing/world.py). The order is scanned with the wedge
scanner; the PDFs printed and saved are read back with pdftotext and pdfinfo.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication, QSpinBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.bootstrap import Station
from app.db.models import AuditEvent, Invoice
from app.domain.errors import NotAllowed
from app.domain.invoicing import Selection
from app.domain.users import Role, Workspace
from app.services import invoicing
from app.services.auth import create_user
from app.services.invoicing import InvoiceState
from app.sync.engine import sync_once
from tests.invoicing.test_central_refusal import copy_shipment
from tests.invoicing.world import person, ship
from tests.packing.conftest import bench, bench_home, central
from tests.packing.world import Item, add_orders
from tests.printing.readback import text_of
from tests.sync.stores import Central, open_test_station
from tests.ui.keys import wedge_scan
from ui.main_window import MainWindow
from ui.theme import Tone
from ui.workspaces.invoice_views import IssuedModel
from ui.workspaces.invoices import InvoicesPage

if TYPE_CHECKING:
    from conftest import Keyboard, Person

__all__ = ["bench", "bench_home", "central"]

# A dialog on the offscreen platform says it cannot size its window to its contents.
OFFSCREEN_DIALOG = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def station(bench: Station, people: dict[Role, Person]) -> Station:
    """The packing world's station, with the window tests' one user per role."""
    for p in people.values():
        create_user(bench.local, None, p.name, p.role, p.pin, badge=p.badge)
    return bench


def open_invoices(window: MainWindow, keyboard: Keyboard, qtbot: QtBot) -> InvoicesPage:
    keyboard.sign_in(window, Role.SUPERVISOR)
    assert window.desk is not None
    qtbot.mouseClick(window.desk.nav_buttons[Workspace.INVOICES], Qt.MouseButton.LeftButton)
    page = window.desk.current_page
    assert isinstance(page, InvoicesPage)
    return page


def scan_order(page: InvoicesPage, number: str) -> None:
    wedge_scan(page.order_field, number)
    QApplication.processEvents()


def issue(qtbot: QtBot, page: InvoicesPage) -> invoicing.Issued:
    with qtbot.waitSignal(page.controller.issued, timeout=10_000) as got:
        qtbot.keyClick(page.order_field, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not page.controller.busy, timeout=10_000)
    result = got.args[0]
    assert isinstance(result, invoicing.Issued)
    return result


def previewed(qtbot: QtBot, page: InvoicesPage, number: str) -> None:
    qtbot.waitUntil(
        lambda: (
            page.preview.preview is not None
            and page.preview.preview.number == number
            and page.preview.document.status() is QPdfDocument.Status.Ready
            and not page.controller.busy
        ),
        timeout=15_000,
    )


def test_a_supervisor_bills_one_shipment_of_a_partly_shipped_order_and_the_list_shows_it(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, station: Station
) -> None:
    first = ship(station, "100234", {1: 2}, {2: 1})
    second = ship(station, "100234", {2: 2})
    page = open_invoices(window, keyboard, qtbot)

    scan_order(page, "100234")

    assert window.desk is not None
    assert window.desk.scan_band.tone is Tone.DONE, window.desk.scan_band.text()
    assert page.subject.text().startswith("Order 100234  ·  Jürgen Müller  ·  5 units billable")
    rows = [
        tuple(page.bill_model.data(page.bill_model.index(r, c)) for c in (0, 2, 3, 4))
        for r in range(page.bill_model.rowCount())
    ]
    assert rows[0] == ("1  MUG-BLUE-350", "2 of 2", "0", "2")
    assert rows[1][0].startswith(f"    {first} · 0") and rows[1][1:] == ("2", "0", "2")  # SSCC
    assert rows[2] == ("2  TEA-EARL-100", "3 of 3", "0", "3")
    assert [row[0].split(" · ")[0].strip() for row in rows[3:5]] == [first, second]
    choices = [page.choice.itemText(i) for i in range(page.choice.count())]
    assert choices == [
        "Everything billable (5 units)",
        f"Shipment {first} (3 units)",
        f"Shipment {second} (2 units)",
        "Chosen units per line",
    ]

    page.choice.setCurrentIndex(2)  # the second shipment only
    assert page.bill_summary.text().startswith(f"The invoice bills 2 units from {second}")
    issued = issue(qtbot, page)

    assert {(x.sku, x.shipment, x.quantity) for x in issued.lines} == {("TEA-EARL-100", second, 2)}
    assert issued.partial_index == 1
    assert page.message.tone is Tone.DONE
    assert page.message.text().startswith(f"Partial invoice 1 {issued.number} issued: 2 units")
    qtbot.waitUntil(lambda: page.list_model.rowCount() == 1)
    listed = page.list_model.row_at(0)
    assert (listed.number, listed.order_number) == (issued.number, "100234")
    cells = [page.list_model.data(page.list_model.index(0, c)) for c in range(7)]
    assert cells[1] == "waiting to sync" and cells[2] == "Invoice"
    assert page.selected() is not None and page.selected().number == issued.number  # type: ignore[union-attr]
    # What is left: the first shipment's 3 units.
    assert page.subject.text().endswith("3 units billable of 5 shipped")
    assert [page.choice.itemText(i) for i in range(page.choice.count())][1] == (
        f"Shipment {first} (3 units)"
    )


def test_chosen_units_are_bounded_by_what_is_billable(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, station: Station
) -> None:
    ship(station, "100234", {1: 2, 2: 3})
    page = open_invoices(window, keyboard, qtbot)
    scan_order(page, "100234")
    page.choice.setCurrentIndex(page.choice.findData("quantities"))
    assert not page.issue_button.isEnabled()  # nothing chosen yet
    mug, tea = (
        page.bill_table.indexWidget(page.bill_model.index(row, page.bill_model.BILL))
        for row in page.bill_model.line_rows()[:2]
    )
    assert isinstance(mug, QSpinBox) and isinstance(tea, QSpinBox)
    mug.setFocus()
    qtbot.keyClick(mug, Qt.Key.Key_Tab)  # from one line's spin box to the next line's
    assert QApplication.focusWidget() is tea
    spin = tea
    assert spin.maximum() == 3
    spin.setValue(9)  # typed more than is billable: the spin box stops at 3
    spin.setValue(1)
    assert page.bill_summary.text().startswith("The invoice bills 1 unit")
    issued = issue(qtbot, page)
    assert [(x.sku, x.quantity) for x in issued.lines] == [("TEA-EARL-100", 1)]


def test_the_preview_draws_every_page_of_a_long_invoice(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, station: Station, central: Central,
    tmp_path: Path,
) -> None:  # fmt: skip
    parts = [Item(f"PART-{n:03d}", f"Spare part number {n}", f"40{n:011d}", 50) for n in range(70)]
    add_orders(central.engine, [("100300", [(item, 1, 1) for item in parts])])
    sync_once(station)
    ship(station, "100300", dict.fromkeys(range(1, 71), 1))
    page = open_invoices(window, keyboard, qtbot)
    scan_order(page, "100300")
    issued = issue(qtbot, page)
    previewed(qtbot, page, issued.number)

    pdf = invoicing.invoice_pdf(station, person(station, Role.SUPERVISOR), issued.number)
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = int(next(ln for ln in info.stdout.splitlines() if ln.startswith("Pages:")).split()[1])
    assert pages >= 2
    assert page.preview.pages == pages
    assert page.preview.caption.text() == f"{issued.number}  ·  {pages} pages"


@OFFSCREEN_DIALOG
def test_save_as_pdf_then_print_again_is_a_copy(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, station: Station, tmp_path: Path
) -> None:
    ship(station, "100234", {1: 2, 2: 3})
    page = open_invoices(window, keyboard, qtbot)
    scan_order(page, "100234")
    issued = issue(qtbot, page)
    previewed(qtbot, page, issued.number)
    assert page.print_button.text().startswith("&Print")

    qtbot.keyClick(page.list_table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    dialog = page.save_dialog
    assert dialog is not None
    target = tmp_path / "out" / f"{issued.number}.pdf"
    target.parent.mkdir()
    dialog.selectFile(str(target))
    with qtbot.waitSignal(page.controller.done, timeout=10_000):
        dialog.accept()
    assert page.message.text() == f"{issued.number} saved as {target}."
    text = text_of(target.read_bytes(), tmp_path)
    assert issued.number in text
    gross = f"{issued.summary.gross:.2f}"
    assert gross in text or gross.replace(".", ",") in text, text
    assert "COPY" not in text

    # Printed now, it is a reprint: the preview says so, the printer gets COPY.
    previewed(qtbot, page, issued.number)
    qtbot.waitUntil(lambda: page.print_button.text().startswith("&Reprint (COPY)"))
    # (Offscreen, no window is active again once the dialog closed: keys reach nothing.)
    with qtbot.waitSignal(page.controller.done, timeout=10_000):
        qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    assert page.message.text() == (
        f"COPY of {issued.number} is on its way to the documents printer."
    )
    documents = station.config.paths.documents_dir
    qtbot.waitUntil(lambda: any(documents.glob(f"*copy-{issued.number}*.pdf")), timeout=15_000)
    printed = next(documents.glob(f"*copy-{issued.number}*.pdf"))
    assert "COPY" in text_of(printed.read_bytes(), tmp_path)
    with station.local(readonly=True) as uow:
        actions = uow.session.scalars(
            select(AuditEvent.action).where(AuditEvent.subject == f"invoice:{issued.number}")
        ).all()
    assert "invoice.saved" in actions and "print.request" in actions


@pytest.mark.parametrize("role", [Role.PACKER, Role.RETURNS])
def test_packers_and_returns_clerks_cannot_issue_invoices(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, station: Station, role: Role
) -> None:
    ship(station, "100234", {1: 2})
    keyboard.sign_in(window, role)
    assert window.desk is not None and window.actor is not None
    assert Workspace.INVOICES not in window.desk.nav_buttons
    window.desk.open_workspace(Workspace.INVOICES)  # not theirs: the desk does not open it
    assert window.desk.current_workspace is not Workspace.INVOICES

    # Had the screen been offered, the service refuses, and the page says so in its band.
    page = InvoicesPage(window.desk._context)
    qtbot.addWidget(page)
    page.activate()
    assert page.message.tone is Tone.REFUSED
    assert "Ask a supervisor" in page.message.text(), page.message.text()
    page.order_field.setText("100234")
    page.order_field.returnPressed.emit()
    assert page.message.tone is Tone.REFUSED and "Ask a supervisor" in page.message.text()
    assert not page.issue_button.isEnabled()
    page.message.clear_message()
    with qtbot.waitSignal(page.controller.refused, timeout=10_000):
        page.controller.issue("100234", Selection.everything())
    assert page.message.tone is Tone.REFUSED and "Ask a supervisor" in page.message.text()

    with pytest.raises(NotAllowed, match="Ask a supervisor"):
        invoicing.issue_invoice(station, window.actor, "100234")
    with station.local(readonly=True) as uow:
        assert uow.session.scalars(select(Invoice)).first() is None


def test_an_invoice_the_central_store_refused_shows_why_in_the_list(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, station: Station, central: Central,
    tmp_path: Path,
) -> None:  # fmt: skip
    other = open_test_station(tmp_path / "st-02", central.url, "ST-02")
    try:
        sync_once(other)  # it has the orders
        shipment = ship(other, "100240", {1: 2})
        sync_once(other)  # the shipment reaches the central store
        copy_shipment(other, station, shipment)
        sync_once(station)  # this station sees the order shipped; nobody has billed it
        qtbot.waitUntil(lambda: window.status.central_checked, timeout=10_000)
        page = open_invoices(window, keyboard, qtbot)
        scan_order(page, "100240")
        mine = issue(qtbot, page)
        # The other station bills the same shipment and reaches the central store first.
        invoicing.issue_invoice(other, person(other, Role.SUPERVISOR), "100240")
        sync_once(other)
    finally:
        other.close()

    with qtbot.waitSignal(window.sync.synced, timeout=20_000):
        station.sync.sync_now()

    def refused() -> bool:
        rows = [page.list_model.row_at(r) for r in range(page.list_model.rowCount())]
        return any(x.number == mine.number and x.state is InvoiceState.REFUSED for x in rows)

    qtbot.waitUntil(refused, timeout=10_000)
    row = page.list_model.row_of(mine.number)
    assert row is not None
    state = page.list_model.data(page.list_model.index(row, IssuedModel.STATE))
    assert state.startswith("refused centrally: ") and "more than was shipped" in state, state
    assert "refused centrally" in page.list_hint.text()


@OFFSCREEN_DIALOG
def test_a_credit_note_for_some_units_of_the_selected_invoice_makes_them_billable_again(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, station: Station
) -> None:
    ship(station, "100234", {1: 2, 2: 3})
    page = open_invoices(window, keyboard, qtbot)
    scan_order(page, "100234")
    invoice = issue(qtbot, page)
    previewed(qtbot, page, invoice.number)
    page.hide_preview()

    qtbot.keyClick(page.list_table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = page.credit_form
    assert form is not None and set(form.spins) == {"MUG-BLUE-350", "TEA-EARL-100"}
    assert form.spins["TEA-EARL-100"].maximum() == 3
    form.spins["MUG-BLUE-350"].setValue(0)
    form.spins["TEA-EARL-100"].setValue(1)
    with qtbot.waitSignal(page.controller.issued, timeout=10_000) as got:
        form.accept()
    credit = got.args[0]
    assert isinstance(credit, invoicing.Issued) and credit.summary.corrects == invoice.number
    assert [(x.sku, x.quantity) for x in credit.lines] == [("TEA-EARL-100", 1)]
    assert page.message.text().startswith(
        f"Credit note {credit.number} issued for {invoice.number}: 1 unit"
    )
    qtbot.waitUntil(lambda: page.list_model.rowCount() == 2)
    kinds = {page.list_model.data(page.list_model.index(r, 2)) for r in range(2)}
    assert kinds == {"Invoice", f"Credit note for {invoice.number}"}
    assert page.subject.text().endswith("1 unit billable of 5 shipped")


@OFFSCREEN_DIALOG
def test_a_place_that_cannot_be_written_is_told_in_the_band_and_nothing_is_recorded(
    window: MainWindow, keyboard: Keyboard, qtbot: QtBot, station: Station, tmp_path: Path
) -> None:
    ship(station, "100234", {1: 2})
    page = open_invoices(window, keyboard, qtbot)
    scan_order(page, "100234")
    issued = issue(qtbot, page)
    previewed(qtbot, page, issued.number)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be", encoding="utf-8")

    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.save_dialog is not None
    page.save_dialog.selectFile(str(blocker / "invoice.pdf"))
    with qtbot.waitSignal(page.controller.refused, timeout=10_000):
        page.save_dialog.accept()

    assert page.message.tone is Tone.REFUSED
    assert page.message.text().startswith(f"{issued.number} was not saved: "), page.message.text()
    assert page.message.text().endswith("Choose another folder or name.")
    assert window.fault_band.isHidden()  # not a bug: nothing to report
    with station.local(readonly=True) as uow:
        saved = uow.session.scalars(
            select(AuditEvent).where(AuditEvent.subject == f"invoice:{issued.number}")
        ).all()
    assert saved == []
