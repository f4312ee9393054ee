"""The connector's one HTTP client: timeouts, retries with back-off, and the stores' limits.

Every call to a store goes through ``StoreApi.call``: a connection that fails or an answer of
5xx is tried again after 0.5, 1, 2, 4 s; a 429 waits as long as the store's Retry-After says
(at most a minute); a 401 reads the account's secret again (a renewed token is taken at once)
and tries once more. What still fails raises ``StoreUnreachable`` (the store or the network:
try again later) or ``StoreRefused`` (the store said no: the message says what it said). The
secret is sent in a header and never appears in a message or a log line.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from app.domain.errors import DomainError

_log = logging.getLogger(__name__)

ATTEMPTS = 5
LONGEST_WAIT = 60.0  # seconds: a Retry-After above this is cut to it
TIMEOUT = httpx.Timeout(30.0, connect=10.0)


class StoreUnreachable(DomainError):
    """The store did not answer usefully after the retries (network, 5xx, 429): later."""


class StoreRefused(DomainError):
    """The store refused the request (a 4xx): a person must act (the key, the order)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


Headers = Callable[[], dict[str, str]]


class StoreApi:
    """One account's REST API: ``auth`` builds the auth headers from the secret, read afresh
    after a 401; ``limits`` hears every answer (to slow down before a 429)."""

    def __init__(
        self,
        account: str,
        base_url: str,
        auth: Headers,
        *,
        stop: threading.Event | None = None,
        limits: Callable[[httpx.Response], float] | None = None,
        transport: httpx.BaseTransport | None = None,
        backoff: float = 0.5,
    ) -> None:
        self.account = account
        self._backoff = backoff  # seconds before the first retry; doubled each time
        self._auth = auth
        self._headers = auth()
        self._stop = stop or threading.Event()
        self._limits = limits
        self.client = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=TIMEOUT,
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": "packbench-connector"},
        )

    def close(self) -> None:
        self.client.close()

    def wait(self, seconds: float) -> None:
        self._stop.wait(seconds)

    def call(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> httpx.Response:
        """The store's answer (2xx), after the retries this module's docstring describes."""
        renewed = False
        last = ""
        for attempt in range(ATTEMPTS):
            if self._stop.is_set():
                raise StoreUnreachable(f"{self.account}: stopped before {method} {_path(url)}")
            try:
                response = self.client.request(
                    method, url, params=params, json=json, headers=self._headers
                )
            except httpx.TransportError as error:
                last = f"{type(error).__name__}: {error}"
                self._back_off(attempt, last)
                continue
            if self._limits is not None:
                pause = self._limits(response)
                if pause > 0:
                    self.wait(pause)
            status = response.status_code
            if status < 300:
                return response
            if status == 429:
                last = "HTTP 429 (too many requests)"
                self.wait(_retry_after(response, attempt))
                continue
            if status >= 500:
                last = f"HTTP {status}"
                self._back_off(attempt, last)
                continue
            if status == 401 and not renewed:
                renewed = True
                self._headers = self._auth()  # the secret may have been renewed meanwhile
                continue
            raise StoreRefused(
                f"{self.account}: the store refused {method} {_path(url)} (HTTP {status}"
                f"{_said(response)}){_todo(status)}",
                status,
            )
        raise StoreUnreachable(
            f"{self.account}: the store did not answer {method} {_path(url)} after "
            f"{ATTEMPTS} tries ({last}); the connector tries again on its next pass"
        )

    def _back_off(self, attempt: int, why: str) -> None:
        if attempt + 1 < ATTEMPTS:
            delay = self._backoff * 2**attempt
            _log.info("%s: %s; trying again in %.1f s", self.account, why, delay)
            self.wait(delay)


def _retry_after(response: httpx.Response, attempt: int) -> float:
    """Retry-After (seconds or a date); BigCommerce's X-Rate-Limit-Time-Reset-Ms."""
    reset_ms = response.headers.get("X-Rate-Limit-Time-Reset-Ms")
    if reset_ms and "Retry-After" not in response.headers:
        try:
            return min(LONGEST_WAIT, max(0.0, float(reset_ms) / 1000))
        except ValueError:
            pass
    value = response.headers.get("Retry-After", "")
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds()
        except (TypeError, ValueError):
            seconds = 0.5 * 2**attempt
    return min(LONGEST_WAIT, max(0.0, seconds))


def store_time(response: httpx.Response) -> datetime:
    """The store's clock (its Date header), or ours when it sends none."""
    try:
        return parsedate_to_datetime(response.headers["Date"]).astimezone(UTC)
    except (KeyError, TypeError, ValueError):
        return datetime.now(UTC)


def _path(url: str) -> str:
    return httpx.URL(url).path or url


def _said(response: httpx.Response) -> str:
    """The store's own words about the refusal (WooCommerce "message", Shopify "errors")."""
    try:
        body = response.json()
    except ValueError:
        return ""
    said: Any = None
    if isinstance(body, Mapping):
        said = body.get("message") or body.get("errors") or body.get("error")
    if not said:
        return ""
    text = str(said).replace("\n", " ")
    return f": {text[:200]}"


def _todo(status: int) -> str:
    if status in (401, 403):
        return (
            "; check the account's key or token and its permissions, and renew it where "
            "[channels] secret_env or secret_file says"
        )
    if status == 404:
        return "; check the account's url (and the order still exists in the store)"
    return ""
