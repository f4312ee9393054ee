"""A return taken back at another station than the one that invoiced the order.

A fresh PostgreSQL database is the central store. Station ST-01 (the supervisor's) ships
order 100234 and invoices it with ``packbench invoice``; both documents reach every station
by the ordinary ``packbench sync``. At ST-02 the returns clerk takes two teas back with
``packbench returns``: the credit note, numbered in ST-02's own series, corrects ST-01's
invoice for exactly those units, and after ST-02's sync the central store holds it. A
credit note that would give back more than the invoice billed is refused centrally.
"""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db.models import Invoice, InvoiceLineRow
from app.sync.engine import sync_once
from tests.invoicing.test_central_refusal import postgres
from tests.invoicing.test_invoice_command import packbench as run_packbench
from tests.packing.world import TEA
from tests.printing.readback import text_of
from tests.returns.test_returns_command import BOSS, CLERK, PIN, add_people, ok
from tests.returns.world import ship
from tests.sync.stores import Central, open_test_station

__all__ = ["postgres"]  # the fresh PostgreSQL central store, a fixture


def packbench(
    home: Path, central: Central, station: str, *args: str, user: str = CLERK
) -> subprocess.CompletedProcess[str]:
    return run_packbench(home, central, *args, user=user, pin=PIN, station=station)


def synced(home: Path, central: Central, station: str) -> dict:  # type: ignore[type-arg]
    done = packbench(home, central, station, "sync", "--once", "--json", user=BOSS)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["rejected"] == 0, report
    return report  # type: ignore[no-any-return]


def invoiced_at_one_synced_at_both(central: Central, a_home: Path, b_home: Path) -> str:
    """ST-01 ships three teas of order 100234 and invoices them by the command line; both
    stations sync. The invoice's number."""
    a = open_test_station(a_home, central.url, "ST-01")
    b = open_test_station(b_home, central.url, "ST-02")
    try:
        add_people(central, a)
        sync_once(b)
        ship(a, "100234", {2: 3})  # three teas
    finally:
        a.close()
        b.close()
    invoiced = ok(packbench(a_home, central, "ST-01", "invoice", "100234", "--json", user=BOSS))
    invoice: str = invoiced["number"]
    assert invoice.startswith("INV-ST-01-")
    synced(a_home, central, "ST-01")
    synced(b_home, central, "ST-02")
    return invoice


@pytest.mark.postgres
def test_a_return_at_another_station_credits_the_invoice_issued_elsewhere(
    postgres: Central, tmp_path: Path
) -> None:
    a_home, b_home = tmp_path / "st-01", tmp_path / "st-02"
    invoice = invoiced_at_one_synced_at_both(postgres, a_home, b_home)

    # ST-02 sees ST-01's invoice, recorded, and nothing left to bill.
    listed = packbench(b_home, postgres, "ST-02", "invoices", "--order", "100234", "--json",
                       user=BOSS)  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    seen = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(x["number"], x["state"]) for x in seen] == [(invoice, "recorded")]
    again = packbench(b_home, postgres, "ST-02", "invoice", "100234", user=BOSS)
    assert again.returncode == 1 and "invoiced in full" in again.stderr
    # Its original left ST-01: printed here, it is a COPY.
    pdf = tmp_path / "inv.pdf"
    printed = packbench(b_home, postgres, "ST-02", "print", "invoice", invoice, "--pdf", str(pdf),
                        user=BOSS)  # fmt: skip
    assert printed.returncode == 0, printed.stderr
    assert "COPY" in text_of(pdf.read_bytes(), tmp_path)

    def desk(*args: str) -> dict:  # type: ignore[type-arg]
        return ok(packbench(b_home, postgres, "ST-02", "returns", *args, "--json"))

    ra = desk("open", "100234")["number"]
    desk("receive", ra, TEA)
    desk("receive", ra, TEA)
    done = desk("confirm", ra)
    assert len(done["credit_notes"]) == 1
    note = done["credit_notes"][0]
    assert note.startswith("CN-ST-02-"), note
    synced(b_home, postgres, "ST-02")

    with postgres.engine.connect() as c:
        kept = c.execute(
            select(Invoice.number, Invoice.kind, Invoice.corrects, Invoice.gross, Invoice.station)
        ).all()
        tea = c.execute(
            select(InvoiceLineRow.quantity, InvoiceLineRow.net, InvoiceLineRow.tax)
            .join(Invoice, Invoice.id == InvoiceLineRow.invoice_id)
            .where(Invoice.number == invoice, InvoiceLineRow.sku == "TEA-EARL-100")
        ).one()
        credit_lines = c.execute(
            select(InvoiceLineRow.sku, InvoiceLineRow.quantity, InvoiceLineRow.credits)
            .join(Invoice, Invoice.id == InvoiceLineRow.invoice_id)
            .where(Invoice.number == note)
        ).all()
    by_number = {row.number: row for row in kept}
    assert set(by_number) == {invoice, note}
    credit = by_number[note]
    assert (credit.kind, credit.corrects, credit.station) == ("credit_note", invoice, "ST-02")
    assert [(sku, qty) for sku, qty, _ in credit_lines] == [("TEA-EARL-100", 2)]
    # Two of the three invoiced teas, priced as the invoice billed them.
    assert tea.quantity == 3
    assert Decimal(credit.gross) > 0
    assert Decimal(credit.gross) < Decimal(by_number[invoice].gross)
    assert abs(Decimal(credit.gross) - (Decimal(tea.net) + Decimal(tea.tax)) * 2 / 3) <= Decimal(
        "0.02"
    )


@pytest.mark.postgres
def test_the_central_store_refuses_a_return_credit_beyond_what_the_invoice_billed(
    postgres: Central, tmp_path: Path
) -> None:
    """ST-01 credits its whole invoice while ST-02, not synced since, credits two of the
    same teas at the returns desk: the central store keeps the first and refuses the second,
    and ST-02 shows the refusal with the store's reason."""
    a_home, b_home = tmp_path / "st-01", tmp_path / "st-02"
    invoice = invoiced_at_one_synced_at_both(postgres, a_home, b_home)
    ok(packbench(a_home, postgres, "ST-01", "invoice", "100234", "--credit", invoice,
                 "--json", user=BOSS))  # fmt: skip
    synced(a_home, postgres, "ST-01")

    def desk(*args: str) -> dict:  # type: ignore[type-arg]
        return ok(packbench(b_home, postgres, "ST-02", "returns", *args, "--json"))

    ra = desk("open", "100234")["number"]
    desk("receive", ra, TEA)
    desk("receive", ra, TEA)
    (note,) = desk("confirm", ra)["credit_notes"]
    done = packbench(b_home, postgres, "ST-02", "sync", "--once", "--json", user=BOSS)
    assert json.loads(done.stdout)["rejected"] >= 1, done.stdout + done.stderr

    shown = packbench(b_home, postgres, "ST-02", "invoices", "--state", "refused", "--json",
                      user=BOSS)  # fmt: skip
    refused = [json.loads(line) for line in shown.stdout.splitlines()]
    assert [x["number"] for x in refused] == [note], shown.stdout + shown.stderr
    assert "would credit more TEA-EARL-100 than invoice" in refused[0]["reason"]
    with postgres.engine.connect() as c:
        kept = c.execute(select(Invoice.number).where(Invoice.kind == "credit_note")).all()
    assert note not in {n for (n,) in kept} and len(kept) == 1
