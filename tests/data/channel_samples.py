"""The sales channels' sample files as pytest parameters: the bundled copies, and the team's
shared set next to the repository when it is there (it may hold more than these copies)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

BUNDLED = Path(__file__).parent
SHARED = Path(__file__).parents[3] / "shared" / "data"
RETAIL_SAMPLE = BUNDLED / "online_retail_sample_300.csv"
SHARED_RETAIL = SHARED / "online_retail_sample_2000_invoices.csv"


def _skip_shared(what: Path) -> Any:
    reason = f"{what} is absent (only the team's checkout has it); tests/data has a copy"
    return pytest.param(what, marks=pytest.mark.skip(reason=reason), id="shared")


def sample_dirs() -> list[Any]:
    """Folders holding the five channel samples under their shared names."""
    shared = SHARED / "channel_orders"
    return [
        pytest.param(BUNDLED / "channel_orders", id="bundled"),
        pytest.param(shared, id="shared") if shared.is_dir() else _skip_shared(shared),
    ]


def retail_files() -> list[Any]:
    return [
        pytest.param(RETAIL_SAMPLE, id="bundled"),
        pytest.param(SHARED_RETAIL, id="shared")
        if SHARED_RETAIL.is_file()
        else _skip_shared(SHARED_RETAIL),
    ]


def load(directory: Path, name: str) -> Any:
    return json.loads((directory / name).read_text(encoding="utf-8"))


def bigcommerce_inlined(directory: Path) -> dict[str, Any]:
    """The V2 order with its products list inlined, as exporters (and the contract check) do."""
    order = load(directory, "bigcommerce_v2_order.json")
    item = load(directory, "bigcommerce_v2_order_product.json")
    return dict(order, products=[dict(item, order_id=order["id"])])


def as_stream(data: Any) -> io.StringIO:
    return io.StringIO(json.dumps(data))
