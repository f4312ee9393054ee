"""``packbench invoice``, ``packbench invoices`` and ``packbench print invoice`` in a subprocess.

The station's home is made by the packing world (a central SQLite store, a station that has
pulled it, a supervisor and a packer); the commands then run as a person runs them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from app.bootstrap import Station
from app.db.models import Address, Invoice, Order, User
from app.domain.money_format import format_amount
from app.domain.users import Role, hash_secret
from app.sync.engine import sync_once
from tests.invoicing.world import price, ship
from tests.printing.readback import text_of
from tests.sync.stores import Central

PIN = "4826"


def add_people(central: Central, station: Station) -> None:
    """A supervisor and a packer in the central store, pulled by the station."""
    from app.db.session import unit_of_work_factory
    from app.sync.clock import stamp_changes, track_changes

    uows = unit_of_work_factory(central.engine, before_commit=stamp_changes, on_open=track_changes)
    with uows() as uow:
        for name, role in (("Maria Keller", Role.SUPERVISOR), ("Tomasz Nowak", Role.PACKER)):
            uow.session.add(User(name=name, role=role, pin_hash=hash_secret(PIN)))
        uow.commit()
    sync_once(station)


def packbench(
    home: Path,
    central: Central,
    *args: str,
    user: str = "Maria Keller",
    pin: str = PIN,
    station: str = "ST-01",
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PACKBENCH_HOME": str(home),
        "PACKBENCH_CENTRAL_URL": central.url,
        "PACKBENCH_STATION": station,
        "PACKBENCH_USER": user,
        "PACKBENCH_PIN": pin,
    }
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def invoices(station: Station) -> int:
    with station.local(readonly=True) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(Invoice)) or 0)


def test_invoice_issues_refuses_and_credits_by_the_command_line(
    bench: Station, bench_home: Path, central: Central, tmp_path: Path
) -> None:
    add_people(central, bench)
    price(bench, "100234", "9.99", "0.19")
    first = ship(bench, "100234", {1: 2, 2: 1})

    done = packbench(bench_home, central, "invoice", "100234", "--json")
    assert done.returncode == 0, done.stderr
    issued = json.loads(done.stdout)
    assert issued["order"] == "100234" and issued["currency"] == "EUR"
    assert issued["number"].startswith("INV-ST-01-") and issued["number"].endswith("-000001")
    assert {(x["shipment"], x["quantity"]) for x in issued["lines"]} == {(first, 2), (first, 1)}
    assert (issued["net"], issued["tax"], issued["gross"]) == ("29.97", "5.70", "35.67")

    again = packbench(bench_home, central, "invoice", "100234")
    assert again.returncode == 1
    assert "invoiced in full" in again.stderr and "Traceback" not in again.stderr
    ship(bench, "100234", {2: 2})
    too_many = packbench(bench_home, central, "invoice", "100234", "--lines", "TEA-EARL-100:3")
    assert too_many.returncode == 1
    assert "TEA-EARL-100: 3 asked, 2 billable" in too_many.stderr
    assert invoices(bench) == 1  # nothing was written

    packer = packbench(bench_home, central, "invoice", "100234", user="Tomasz Nowak")
    assert packer.returncode == 2 and "may not issue or print invoices" in packer.stderr
    wrong = packbench(bench_home, central, "invoice", "100234", pin="9999")
    assert wrong.returncode == 2 and "Wrong PIN for Maria Keller" in wrong.stderr
    assert invoices(bench) == 1

    mistyped = packbench(bench_home, central, "invoice", "100240", "--credit", issued["number"])
    assert mistyped.returncode == 2 and "is for order 100234, not 100240" in mistyped.stderr
    credit = packbench(
        bench_home,
        central,
        "invoice",
        "100234",
        "--credit",
        issued["number"],
        "--lines",
        "MUG-BLUE-350:1",
        "--json",
    )
    assert credit.returncode == 0, credit.stderr
    note = json.loads(credit.stdout)
    assert note["kind"] == "credit_note" and note["corrects"] == issued["number"]
    assert note["number"].startswith("CN-ST-01-") and note["gross"] == "11.89"

    listed = packbench(bench_home, central, "invoices", "--order", "100234")
    assert listed.returncode == 0, listed.stderr
    assert issued["number"] in listed.stdout and "waiting to sync" in listed.stdout

    pdf = tmp_path / "invoice.pdf"
    printed = packbench(
        bench_home, central, "print", "invoice", issued["number"], "--pdf", str(pdf)
    )
    assert printed.returncode == 0, printed.stderr
    text = text_of(pdf.read_bytes(), tmp_path)
    assert issued["number"] in text and "35.67" in text and "Friedrichstraße 43" in text
    assert "PARTIAL INVOICE 1 for order 100234" in text and "COPY" not in text
    reprint = packbench(
        bench_home, central, "print", "invoice", issued["number"], "--pdf", str(pdf)
    )
    assert reprint.returncode == 0 and "a COPY of" in reprint.stdout
    assert "COPY" in text_of(pdf.read_bytes(), tmp_path)

    sent = packbench(bench_home, central, "print", "invoice", note["number"])
    assert sent.returncode == 0, sent.stderr
    assert f"{note['number']}: sent to" in sent.stdout
    documents = bench.config.paths.documents_dir
    (written,) = [p for p in documents.iterdir() if note["number"] in p.name]
    credit_text = text_of(written.read_bytes(), tmp_path)
    assert "CREDIT NOTE" in credit_text and issued["number"] in credit_text


ADDRESSES = {
    "de": ("Jürgen Müller", "Friedrichstraße 43", "Berlin", "DE"),
    "pl": ("Zofia Żółkiewska", "ul. Świętokrzyska 12", "Kraków", "PL"),
    "el": ("Νικόλαος Παπαδόπουλος", "Οδός Ερμού 15", "Αθήνα", "GR"),
    "ja": ("山田太郎", "丸の内1-1", "東京都千代田区", "JP"),
}


def test_each_invoice_keeps_the_address_it_was_issued_to_in_four_scripts(
    bench: Station, tmp_path: Path
) -> None:
    from app.services import invoicing
    from tests.invoicing.world import person

    boss = person(bench, Role.SUPERVISOR)
    numbers = {}
    for script, ((name, line1, city, country), items) in zip(
        ADDRESSES,
        zip(ADDRESSES.values(), ({1: 1}, {1: 1}, {2: 1}, {2: 1}), strict=True),
        strict=True,
    ):
        with bench.local() as uow:
            order = uow.session.scalar(select(Order).where(Order.number == "100234"))
            assert order is not None and order.bill_to is not None
            address: Address = order.bill_to
            address.name, address.line1, address.city, address.country = name, line1, city, country
            uow.commit()
        ship(bench, "100234", items)
        numbers[script] = invoicing.issue_invoice(bench, boss, "100234").number
    for script, number in numbers.items():
        text = text_of(invoicing.invoice_pdf(bench, boss, number), tmp_path)
        name, line1, city, _ = ADDRESSES[script]
        assert number in text
        for words in (name, line1, city):
            assert words in text, (script, words)
        for other, (other_name, *_) in ADDRESSES.items():
            if other != script:
                assert other_name not in text.split("Ship to")[0], (script, other)
        gross = invoicing.issued(bench, boss, number).summary.gross
        assert format_amount(gross, "EUR", bench.config.invoicing.locale) in text
