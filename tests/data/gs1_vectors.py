"""The GS1 test vectors as pytest parameters: the bundled copy, and the team's shared set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

BUNDLED_VECTORS = Path(__file__).with_name("gs1_vectors_50.json")
SHARED_GS1 = Path(__file__).parents[3] / "shared" / "data" / "gs1"


def vector_params(paths: list[Path]) -> list[Any]:
    return [
        pytest.param(vector, id=f"{path.stem}-{index}")
        for path in paths
        for index, vector in enumerate(json.loads(path.read_text(encoding="utf-8"))["vectors"])
    ]


def shared_params() -> list[Any]:
    """Every vector file in ../shared/data/gs1 (held-back sets included), when it is there."""
    if not SHARED_GS1.is_dir():
        reason = f"{SHARED_GS1} is absent (only the team's checkout has it); tests/data has a copy"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="shared")]
    return vector_params(sorted(SHARED_GS1.glob("*.json")))
