"""The connector's HTTP client against a real local server: what it retries, how long it
waits, when it reads the secret again, and what it says when the store refuses."""

from __future__ import annotations

import base64
import time

import pytest

from app.services.connector.http import StoreApi, StoreRefused, StoreUnreachable
from tests.connector.stores import WooStore, ago, serving

ORDERS = "/wp-json/wc/v3/orders"


def _api(url: str, secrets: list[str], backoff: float = 0.5) -> StoreApi:
    """``secrets[0]`` is where the secret lives: read on each call of ``auth``."""

    def auth() -> dict[str, str]:
        return {"Authorization": "Basic " + base64.b64encode(secrets[0].encode()).decode()}

    return StoreApi("woo-test", url, auth, backoff=backoff)


def test_a_500_and_a_429_are_waited_out_and_the_page_comes() -> None:
    with serving(WooStore("ck:cs")) as woo:
        assert isinstance(woo, WooStore)
        woo.add(1, created=ago(60))
        woo.faults += [(ORDERS, 500, {}), (ORDERS, 429, {"Retry-After": "1"})]
        api = _api(woo.url, ["ck:cs"])
        started = time.monotonic()
        response = api.call("GET", ORDERS, params={"per_page": 10})
        waited = time.monotonic() - started
        api.close()
    assert [o["id"] for o in response.json()] == [1001]
    assert waited >= 1.4  # 0.5 s after the 500, the 1 s the 429 asked for
    assert [m for m, _ in woo.requests] == ["GET", "GET", "GET"]


def test_a_401_reads_the_secret_again_once() -> None:
    secrets = ["ck:old"]
    with serving(WooStore("ck:new")) as woo:
        api = _api(woo.url, secrets)
        with pytest.raises(StoreRefused) as refused:
            api.call("GET", ORDERS)
        assert refused.value.status == 401
        assert "Sorry, you cannot list resources" in refused.value.message
        assert "ck:old" not in refused.value.message
        secrets[0] = "ck:new"  # renewed where the secret lives
        assert api.call("GET", ORDERS).status_code == 200
        api.close()


def test_a_store_that_keeps_failing_is_given_up_with_what_happened() -> None:
    with serving(WooStore("ck:cs")) as woo:
        woo.faults += [(ORDERS, 503, {})] * 5
        api = _api(woo.url, ["ck:cs"], backoff=0.01)
        with pytest.raises(StoreUnreachable, match=r"after 5 tries \(HTTP 503\)"):
            api.call("GET", ORDERS)
        api.close()
