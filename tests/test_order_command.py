"""``packbench order create FILE.json`` as a script runs it: the real command in a subprocess
on a fresh home (embedded central store), signed in with --user and PACKBENCH_PIN."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.bootstrap import open_station
from app.config import Config
from app.db.models import Customer, Order
from app.domain.status import OrderStatus
from app.domain.users import Role
from app.services.auth import create_user

PIN = "5813"


def packbench(*args: str, pin: str = PIN) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PACKBENCH_PIN": pin},
    )


def order(reference: str, quantity: int, **extra: Any) -> dict[str, Any]:
    return {
        "reference": reference,
        "currency": "EUR",
        "customer": {"name": "Zoë Brontë", "email": "zoe@example.com"},
        "ship_to": {
            "name": "Zoë Brontë",
            "line1": "ul. Piotrkowska 1",
            "city": "Łódź",
            "postcode": "90-001",
            "country": "PL",
        },
        "carrier": "DPD",
        "lines": [
            {"sku": "MUG-BLUE-350", "name": "Blue mug", "quantity": quantity, "unit_price": "9.90"}
        ],
        **extra,
    }


def test_orders_typed_in_go_through_the_order_writer_and_a_bad_one_is_rejected_alone(
    config: Config, tmp_path: Path
) -> None:
    station = open_station(config)
    create_user(station.local, None, "Svetlana", Role.SUPERVISOR, PIN)
    create_user(station.local, None, "Paula", Role.PACKER, "2580")
    station.close()
    file = tmp_path / "orders.json"
    bad = order("PHONE-2", 1)
    del bad["lines"][0]["sku"]
    file.write_text(json.dumps([order("PHONE-1", 2, number="M-1001"), bad]), encoding="utf-8")

    made = packbench("order", "create", str(file), "--json", "--user", "Svetlana")
    assert made.returncode == 1, made.stderr  # one rejected
    summary = json.loads(made.stdout)
    assert summary["imported"] == 1 and summary["rejected"] == 1
    assert summary["synced"] is True
    problem = summary["errors"][0]
    assert problem["field"] == "lines[0].sku" and "SKU" in problem["reason"]

    station = open_station(config)
    with station.local(readonly=True) as uow:
        created = uow.session.scalar(select(Order).where(Order.number == "M-1001"))
        assert created is not None and created.channel == "manual"
        assert created.status in (OrderStatus.FINALIZED, OrderStatus.ALLOCATED, OrderStatus.ON_HOLD)
        assert [line.quantity_ordered for line in created.lines] == [2]
        customer = uow.session.get(Customer, created.customer_id)
        assert customer is not None and customer.email == "zoe@example.com"
    station.close()

    # The same reference again, with another quantity: the order is updated, not doubled.
    file.write_text(json.dumps(order("PHONE-1", 3)), encoding="utf-8")
    again = packbench("order", "create", str(file), "--user", "Svetlana")
    assert again.returncode == 0, again.stderr
    assert "updated" in again.stdout
    station = open_station(config)
    with station.local(readonly=True) as uow:
        numbers = uow.session.scalars(select(Order.number).where(Order.channel == "manual"))
        assert list(numbers) == ["M-1001"]
        updated = uow.session.scalar(select(Order).where(Order.number == "M-1001"))
        assert updated is not None and [line.quantity_ordered for line in updated.lines] == [3]
    station.close()

    refused = packbench("order", "create", str(file), "--user", "Paula", pin="2580")
    assert refused.returncode == 2
    assert "may not create orders" in refused.stderr
    assert "Traceback" not in refused.stderr
