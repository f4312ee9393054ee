"""What the connector asks of each kind of store: pages of orders since a cursor, and news
sent back. One class per store, all through ``http.StoreApi``; the orders are mapped by the
same readers as the store's export files (app/channels), so a pulled order and an imported
one are the same draft.

A cursor is plain JSON kept in ``channel_accounts.cursor`` and written in the transaction of
the page it follows: ``since`` (the store's time when the current run began, less a second),
and where the run has got (a page number, or the store's own next-page link).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any, Protocol

import httpx

from app.channels import RowError, amazon, bigcommerce, magento, shopify, woocommerce
from app.channels import fields as f
from app.channels.drafts import OrderDraft
from app.config import ChannelAccountSettings
from app.services.connector.http import StoreApi, StoreRefused, store_time

Cursor = dict[str, Any]
SLACK = timedelta(seconds=1)  # the stores' times are to the second: overlap rather than miss


@dataclass(frozen=True)
class Page:
    """One page of a pull: its orders mapped (or why not), and the cursor past it."""

    orders: list[OrderDraft | RowError]
    cursor: Cursor
    last: bool  # the run is done; the next one starts from ``cursor["since"]``


@dataclass(frozen=True)
class News:
    """One event for the store (a ``channel_events`` row)."""

    key: str
    kind: str  # shipment | void
    external_id: str
    order_number: str
    payload: dict[str, Any]


class Store(Protocol):
    def pages(self, cursor: Cursor) -> Iterator[Page]: ...

    def send(self, news: News) -> str:
        """Apply the news at most once; say what was done ("already done" included)."""
        ...

    def close(self) -> None: ...


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _next_since(started: str) -> str:
    return _iso(datetime.fromisoformat(started) - SLACK)


def _tracking_text(news: News) -> str:
    p = news.payload
    carrier = " ".join(x for x in (p.get("carrier"), p.get("service")) if x)
    numbers = ", ".join(p.get("tracking") or [])
    return f"Shipped{f' by {carrier}' if carrier else ''}; tracking {numbers or '(none)'}"


# --- WooCommerce (REST API v3) -------------------------------------------------------------


class WooCommerce:
    """GET /wp-json/wc/v3/orders?modified_after=…&orderby=date&order=asc&page=N, paged by
    number (X-WP-TotalPages). Ordered by creation, an order changed during a run can only
    push others later (seen twice, which changes nothing), never earlier (missed); the next
    run starts at the store's time when this one began, so it is read again then."""

    def __init__(self, account: ChannelAccountSettings, api: StoreApi | None = None) -> None:
        self.account = account
        self.api = api or StoreApi(account.name, account.url, lambda: _basic(account))
        self.base = "/wp-json/wc/v3"

    def close(self) -> None:
        self.api.close()

    def pages(self, cursor: Cursor) -> Iterator[Page]:
        since: str | None = cursor.get("since")
        page = int(cursor.get("page") or 1)
        started: str | None = cursor.get("started")
        while True:
            params: dict[str, Any] = {
                "orderby": "date",
                "order": "asc",
                "per_page": self.account.page_size,
                "page": page,
                "dates_are_gmt": "true",
            }
            if since:
                params["modified_after"] = since
            response = self.api.call("GET", f"{self.base}/orders", params=params)
            if started is None:
                started = _iso(store_time(response))
            body = response.json()
            if not isinstance(body, list):
                raise StoreRefused(
                    f"{self.account.name}: GET {self.base}/orders did not answer a list of "
                    "orders; check the account's url",
                    response.status_code,
                )
            total = int(response.headers.get("X-WP-TotalPages") or 1)
            where = f"{self.account.name} page {page}"
            orders = list(f.each_order(body, where, "id", woocommerce.map_order))
            if page >= total or not body:
                yield Page(orders, {"since": _next_since(started)}, last=True)
                return
            page += 1
            yield Page(orders, {"since": since, "page": page, "started": started}, last=False)

    def send(self, news: News) -> str:
        """A note with the tracking (to the customer) and, once shipped whole, "completed".

        WooCommerce takes no idempotency key: the order's notes are read first, and a note
        carrying the event's key means it was done; the status is set only if it differs."""
        order_path = f"{self.base}/orders/{news.external_id}"
        order = self.api.call("GET", order_path).json()
        status = str(order.get("status") or "")
        if news.kind == "void":
            if status in ("cancelled", "refunded"):
                return f"already {status}"
            self.api.call("PUT", order_path, json={"status": "cancelled"})
            return "cancelled"
        if news.kind == "refund":
            return self._refund(order_path, news)
        if news.kind == "complete":
            if status == "completed":
                return "already completed"
            self.api.call("PUT", order_path, json={"status": "completed"})
            return "completed"
        notes = self.api.call("GET", f"{order_path}/notes").json()
        done = []
        if not any(news.key in str(n.get("note", "")) for n in notes if isinstance(n, dict)):
            text = f"{_tracking_text(news)}. [{news.key}]"
            self.api.call("POST", f"{order_path}/notes", json={"note": text, "customer_note": True})
            done.append("note added")
        if news.payload.get("complete") and status != "completed":
            self.api.call("PUT", order_path, json={"status": "completed"})
            done.append("completed")
        return ", ".join(done) or "already done"

    def _refund(self, order_path: str, news: News) -> str:
        """A refund recorded in the order (``api_refund`` false: the money goes back the way
        the shop pays refunds; WooCommerce is told what and how much), unless one with the
        event's key in its reason is there."""
        made = self.api.call("GET", f"{order_path}/refunds").json()
        if any(news.key in str(r.get("reason", "")) for r in made if isinstance(r, dict)):
            return "already refunded"
        p = news.payload
        body = {
            "amount": p["total"],
            "reason": f"Return {p['return']} [{news.key}]",
            "api_refund": False,
            "line_items": [
                {
                    "id": int(x["external_line_id"]),
                    "quantity": x["quantity"],
                    "refund_total": x["amount"],
                }
                for x in p.get("lines") or []
                if str(x.get("external_line_id") or "").isdigit()
            ],
        }
        self.api.call("POST", f"{order_path}/refunds", json=body)
        return "refund recorded"


def _basic(account: ChannelAccountSettings) -> dict[str, str]:
    """WooCommerce's consumer key and secret ("ck_…:cs_…") as HTTP Basic over HTTPS."""
    token = base64.b64encode(account.secret().encode("utf-8")).decode("ascii")
    return {"Authorization": f"Basic {token}"}


# --- Shopify (Admin REST API) ----------------------------------------------------------------


class Shopify:
    """GET /admin/api/VERSION/orders.json?status=any&updated_at_min=…&limit=N, then the Link
    header's rel="next" (page_info) until there is none. The next-page link is kept in the
    cursor; one the store no longer takes (400) starts the run again from ``since``."""

    def __init__(self, account: ChannelAccountSettings, api: StoreApi | None = None) -> None:
        self.account = account
        self.base = f"/admin/api/{account.api_version or '2024-07'}"
        self.api = api or StoreApi(
            account.name,
            account.url,
            lambda: {"X-Shopify-Access-Token": account.secret()},
            limits=_shopify_bucket,
        )

    def close(self) -> None:
        self.api.close()

    def pages(self, cursor: Cursor) -> Iterator[Page]:
        since: str | None = cursor.get("since")
        started: str | None = cursor.get("started")
        link: str | None = cursor.get("next")
        page = int(cursor.get("page") or 1)
        while True:
            if link:
                try:
                    response = self.api.call("GET", link)
                except StoreRefused as refused:
                    if refused.status != 400:
                        raise
                    link, page = None, 1  # the page_info expired: this run again from since
                    continue
            else:
                params: dict[str, Any] = {"status": "any", "limit": self.account.page_size}
                if since:
                    params["updated_at_min"] = since + "Z"
                response = self.api.call("GET", f"{self.base}/orders.json", params=params)
            if started is None:
                started = _iso(store_time(response))
            orders_raw = response.json().get("orders")
            if not isinstance(orders_raw, list):
                raise StoreRefused(
                    f'{self.account.name}: orders.json did not answer {{"orders": [...]}}; '
                    "check the account's url",
                    response.status_code,
                )
            where = f"{self.account.name} page {page}"
            orders = list(f.each_order(orders_raw, where, "id", shopify.map_order))
            link = _next_link(response)
            if not link:
                yield Page(orders, {"since": _next_since(started)}, last=True)
                return
            page += 1
            yield Page(
                orders,
                {"since": since, "next": link, "page": page, "started": started},
                last=False,
            )

    def send(self, news: News) -> str:
        order_path = f"{self.base}/orders/{news.external_id}"
        if news.kind == "void":
            order = self.api.call("GET", f"{order_path}.json").json().get("order") or {}
            if order.get("cancelled_at"):
                return "already cancelled"
            self.api.call("POST", f"{order_path}/cancel.json", json={})
            return "cancelled"
        if news.kind == "refund":
            return self._refund(order_path, news)
        if news.kind == "complete":
            order = self.api.call("GET", f"{order_path}.json").json().get("order") or {}
            return _complete_or_say(
                self.account, news, order.get("fulfillment_status") == "fulfilled"
            )
        tracking = list(news.payload.get("tracking") or [])
        made = self.api.call("GET", f"{order_path}/fulfillments.json").json()
        for fulfillment in made.get("fulfillments") or []:
            numbers = set(fulfillment.get("tracking_numbers") or [])
            if fulfillment.get("tracking_number"):
                numbers.add(fulfillment["tracking_number"])
            if tracking and tracking[0] in numbers and fulfillment.get("status") != "cancelled":
                return "already fulfilled"
        found = self.api.call("GET", f"{order_path}/fulfillment_orders.json").json()
        wanted = {
            str(line.get("external_line_id")): int(line["quantity"])
            for line in news.payload.get("lines") or []
            if line.get("external_line_id")
        }
        by_order: list[dict[str, Any]] = []
        for fo in found.get("fulfillment_orders") or []:
            if fo.get("status") not in ("open", "in_progress"):
                continue
            items = []
            for item in fo.get("line_items") or []:
                want = wanted.get(str(item.get("line_item_id")), 0)
                take = min(want, int(item.get("fulfillable_quantity") or 0))
                if take > 0:
                    items.append({"id": item["id"], "quantity": take})
                    wanted[str(item.get("line_item_id"))] = want - take
            if items:
                by_order.append(
                    {"fulfillment_order_id": fo["id"], "fulfillment_order_line_items": items}
                )
        if not by_order:
            raise StoreRefused(
                f"{self.account.name}: order {news.order_number} has nothing open to fulfil "
                "in Shopify (fulfilled or cancelled there?); see it in Shopify",
                422,
            )
        body: dict[str, Any] = {
            "line_items_by_fulfillment_order": by_order,
            "notify_customer": True,
            "tracking_info": {"number": tracking[0] if tracking else None},
        }
        if news.payload.get("carrier"):
            body["tracking_info"]["company"] = news.payload["carrier"]
        self.api.call("POST", f"{self.base}/fulfillments.json", json={"fulfillment": body})
        return "fulfilled"

    def _refund(self, order_path: str, news: News) -> str:
        """The returned units recorded as a refund (no transactions: the money goes back the
        way the shop pays refunds), unless a refund whose note carries the key is there."""
        made = self.api.call("GET", f"{order_path}/refunds.json").json()
        if any(news.key in str(r.get("note") or "") for r in made.get("refunds") or []):
            return "already refunded"
        p = news.payload
        body = {
            "refund": {
                "note": f"Return {p['return']}: {p['total']} {p.get('currency') or ''} "
                f"[{news.key}]",
                "notify": True,
                "refund_line_items": [
                    {
                        "line_item_id": int(x["external_line_id"]),
                        "quantity": x["quantity"],
                        "restock_type": "no_restock",
                    }
                    for x in p.get("lines") or []
                    if str(x.get("external_line_id") or "").isdigit()
                ],
            }
        }
        self.api.call("POST", f"{order_path}/refunds.json", json=body)
        return "refund recorded"


def _shopify_bucket(response: httpx.Response) -> float:
    """X-Shopify-Shop-Api-Call-Limit: "32/40" — a nearly full bucket drains at 2 calls/s."""
    used, _, size = response.headers.get("X-Shopify-Shop-Api-Call-Limit", "").partition("/")
    try:
        return 1.0 if int(size) - int(used) <= 2 else 0.0
    except ValueError:
        return 0.0


def _next_link(response: httpx.Response) -> str | None:
    """The rel="next" URL of a Link header (RFC 8288), as Shopify's cursor paging sends it."""
    for part in response.headers.get("Link", "").split(","):
        url, _, rest = part.partition(";")
        if 'rel="next"' in rest.replace(" ", ""):
            return str(url.strip().strip("<>"))
    return None


# --- BigCommerce (V2 orders API) ------------------------------------------------------------


class BigCommerce:
    """GET /v2/orders?min_date_modified=…&sort=date_created:asc&limit=N&page=P until a page
    is short (or 204 No Content); each order's products and shipping addresses are read
    (GET /v2/orders/{id}/products, /shipping_addresses) and inlined, as an export holds
    them. ``url`` is the API path of the store: https://api.bigcommerce.com/stores/HASH."""

    def __init__(self, account: ChannelAccountSettings, api: StoreApi | None = None) -> None:
        self.account = account
        self.api = api or StoreApi(
            account.name, account.url, lambda: {"X-Auth-Token": account.secret()}
        )

    def close(self) -> None:
        self.api.close()

    def _list(self, path: str, params: dict[str, Any] | None = None) -> tuple[list[Any], Any]:
        response = self.api.call("GET", path, params=params)
        if response.status_code == 204 or not response.content:
            return [], response
        body = response.json()
        if not isinstance(body, list):
            raise StoreRefused(
                f"{self.account.name}: GET {path} did not answer a list; check the account's url",
                response.status_code,
            )
        return body, response

    def pages(self, cursor: Cursor) -> Iterator[Page]:
        since: str | None = cursor.get("since")
        page = int(cursor.get("page") or 1)
        started: str | None = cursor.get("started")
        size = self.account.page_size
        while True:
            params: dict[str, Any] = {"sort": "date_created:asc", "limit": size, "page": page}
            if since:
                params["min_date_modified"] = format_datetime(
                    datetime.fromisoformat(since).replace(tzinfo=UTC)
                )
            body, response = self._list("/v2/orders", params)
            if started is None:
                started = _iso(store_time(response))
            whole = [
                dict(
                    order,
                    products=self._list(f"/v2/orders/{order['id']}/products")[0],
                    shipping_addresses=self._list(f"/v2/orders/{order['id']}/shipping_addresses")[
                        0
                    ],
                )
                for order in body
                if isinstance(order, dict) and "id" in order
            ]
            where = f"{self.account.name} page {page}"
            orders = list(f.each_order(whole, where, "id", bigcommerce.map_order))
            if len(body) < size:
                yield Page(orders, {"since": _next_since(started)}, last=True)
                return
            page += 1
            yield Page(orders, {"since": since, "page": page, "started": started}, last=False)

    def send(self, news: News) -> str:
        path = f"/v2/orders/{news.external_id}"
        if news.kind == "void":
            order = self.api.call("GET", path).json()
            if int(order.get("status_id") or 0) == 5:
                return "already cancelled"
            self.api.call("PUT", path, json={"status_id": 5})  # 5: Cancelled
            return "cancelled"
        if news.kind == "complete":
            order = self.api.call("GET", path).json()
            if int(order.get("status_id") or 0) == 10:
                return "already completed"
            self.api.call("PUT", path, json={"status_id": 10})  # 10: Completed
            return "completed"
        if news.kind != "shipment":
            raise _not_sent(self.account, news)
        tracking = list(news.payload.get("tracking") or [])
        made, _ = self._list(f"{path}/shipments")
        if any(s.get("tracking_number") in tracking for s in made if isinstance(s, dict)):
            return "already shipped"
        addresses, _ = self._list(f"{path}/shipping_addresses")
        if not addresses:
            raise StoreRefused(
                f"{self.account.name}: order {news.order_number} has no shipping address in "
                "BigCommerce to ship to",
                422,
            )
        items = [
            {"order_product_id": int(x["external_line_id"]), "quantity": x["quantity"]}
            for x in news.payload.get("lines") or []
            if str(x.get("external_line_id") or "").isdigit()
        ]
        carrier = " ".join(
            x for x in (news.payload.get("carrier"), news.payload.get("service")) if x
        )
        self.api.call(
            "POST",
            f"{path}/shipments",
            json={
                "order_address_id": addresses[0]["id"],
                "tracking_number": tracking[0] if tracking else "",
                "shipping_provider": "",
                "tracking_carrier": "",
                "comments": f"{_tracking_text(news)}{f' ({carrier})' if carrier else ''}. "
                f"[{news.key}]",
                "items": items,
            },
        )
        return "shipment created"


# --- Magento 2 (REST V1) -----------------------------------------------------------------------


class Magento:
    """GET /rest/V1/orders with searchCriteria: updated_at at or after SINCE, sorted by
    created_at then entity_id, pageSize N, currentPage P; the pages are counted from
    ``total_count`` (Magento answers a page past the end with the last page again). The
    secret is an integration's access token (Bearer)."""

    def __init__(self, account: ChannelAccountSettings, api: StoreApi | None = None) -> None:
        self.account = account
        self.base = "/rest/V1"
        self.api = api or StoreApi(
            account.name, account.url, lambda: {"Authorization": f"Bearer {account.secret()}"}
        )

    def close(self) -> None:
        self.api.close()

    def pages(self, cursor: Cursor) -> Iterator[Page]:
        since: str | None = cursor.get("since")
        page = int(cursor.get("page") or 1)
        started: str | None = cursor.get("started")
        size = self.account.page_size
        while True:
            c = "searchCriteria"
            params: dict[str, Any] = {
                f"{c}[sortOrders][0][field]": "created_at",
                f"{c}[sortOrders][0][direction]": "ASC",
                f"{c}[sortOrders][1][field]": "entity_id",
                f"{c}[sortOrders][1][direction]": "ASC",
                f"{c}[pageSize]": size,
                f"{c}[currentPage]": page,
            }
            if since:
                where = f"{c}[filter_groups][0][filters][0]"
                params[f"{where}[field]"] = "updated_at"
                params[f"{where}[value]"] = since.replace("T", " ")
                params[f"{where}[condition_type]"] = "gteq"
            response = self.api.call("GET", f"{self.base}/orders", params=params)
            if started is None:
                started = _iso(store_time(response))
            body = response.json()
            items = body.get("items") if isinstance(body, dict) else None
            if not isinstance(items, list):
                raise StoreRefused(
                    f'{self.account.name}: /rest/V1/orders did not answer {{"items": [...]}}; '
                    "check the account's url",
                    response.status_code,
                )
            total = int(body.get("total_count") or 0)
            where_text = f"{self.account.name} page {page}"
            orders = list(f.each_order(items, where_text, "increment_id", magento.map_order))
            if page * size >= total or not items:
                yield Page(orders, {"since": _next_since(started)}, last=True)
                return
            page += 1
            yield Page(orders, {"since": since, "page": page, "started": started}, last=False)

    def send(self, news: News) -> str:
        """Ship with the tracking numbers (unless a shipment of the order carries the first
        one), then invoice what is shipped and not invoiced (read from the order, so a retry
        invoices nothing twice). A void cancels the order unless it is canceled or closed."""
        order_path = f"{self.base}/orders/{news.external_id}"
        order = self.api.call("GET", order_path).json()
        if news.kind == "void":
            if order.get("state") in ("canceled", "closed"):
                return f"already {order['state']}"
            self.api.call("POST", f"{order_path}/cancel")
            return "cancelled"
        if news.kind == "complete":
            return _complete_or_say(self.account, news, order.get("state") == "complete")
        if news.kind != "shipment":
            raise _not_sent(self.account, news)
        done = []
        tracking = list(news.payload.get("tracking") or [])
        c = "searchCriteria[filter_groups][0][filters][0]"
        found = self.api.call(
            "GET",
            f"{self.base}/shipments",
            params={f"{c}[field]": "order_id", f"{c}[value]": news.external_id},
        ).json()
        shipped = {
            t.get("track_number") for s in found.get("items") or [] for t in s.get("tracks") or []
        }
        if not tracking or tracking[0] not in shipped:
            self.api.call(
                "POST",
                f"{self.base}/order/{news.external_id}/ship",
                json={
                    "items": _magento_items(order, news.payload.get("lines") or []),
                    "notify": True,
                    "tracks": [
                        {
                            "track_number": number,
                            "title": news.payload.get("carrier") or "Packbench",
                            "carrier_code": "custom",
                        }
                        for number in tracking
                    ],
                },
            )
            done.append("shipped")
            order = self.api.call("GET", order_path).json()
        to_invoice = [
            {"order_item_id": item["item_id"], "qty": left}
            for item in order.get("items") or []
            if not item.get("parent_item_id")
            and (left := int(item.get("qty_shipped") or 0) - int(item.get("qty_invoiced") or 0)) > 0
        ]
        if to_invoice:
            self.api.call(
                "POST",
                f"{self.base}/order/{news.external_id}/invoice",
                json={"capture": True, "notify": True, "items": to_invoice},
            )
            done.append("invoiced")
        return ", ".join(done) or "already shipped and invoiced"


def _magento_items(order: dict[str, Any], lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Our lines as Magento shipment items: a bundle's part ships through its bundle (units
    of the bundle: the part's units over its units per bundle), everything else as itself."""
    items = {str(i.get("item_id")): i for i in order.get("items") or []}
    units: dict[int, int] = {}
    for line in lines:
        item = items.get(str(line.get("external_line_id")))
        if item is None:
            continue
        parent = items.get(str(item.get("parent_item_id") or ""))
        if parent is not None:
            per = max(1, int(item.get("qty_ordered") or 1) // max(1, int(parent["qty_ordered"])))
            key, qty = int(parent["item_id"]), -(-int(line["quantity"]) // per)
        else:
            key, qty = int(item["item_id"]), int(line["quantity"])
        units[key] = max(units.get(key, 0), qty) if parent is not None else units.get(key, 0) + qty
    return [{"order_item_id": k, "qty": q} for k, q in sorted(units.items())]


# --- Amazon (Selling Partner API, Orders v0) -------------------------------------------------


class Amazon:
    """GET /orders/v0/orders?MarketplaceIds=…&LastUpdatedAfter=SINCE&MaxResultsPerPage=N, then
    ``NextToken`` (kept in the cursor) until a page has none; each order's items are read
    (GET /orders/v0/orders/{id}/orderItems, following its own NextToken) and inlined, as an
    import file holds them. ``url`` is the region's endpoint (https://sellingpartnerapi-eu.
    amazon.com); the secret is a Login with Amazon access token, sent as
    ``x-amz-access-token`` and read again after a 401 (a helper renews it hourly).
    getOrders allows a request a minute after a burst of 20: a 429 waits as Amazon says."""

    def __init__(self, account: ChannelAccountSettings, api: StoreApi | None = None) -> None:
        self.account = account
        self.api = api or StoreApi(
            account.name, account.url, lambda: {"x-amz-access-token": account.secret()}
        )

    def close(self) -> None:
        self.api.close()

    def _payload(self, path: str, params: dict[str, Any]) -> tuple[dict[str, Any], Any]:
        response = self.api.call("GET", path, params=params)
        body = response.json()
        payload = body.get("payload") if isinstance(body, dict) else None
        if not isinstance(payload, dict):
            raise StoreRefused(
                f"{self.account.name}: GET {path} did not answer a payload; check the "
                "account's url",
                response.status_code,
            )
        return payload, response

    def _items(self, order_id: str) -> list[Any]:
        items: list[Any] = []
        params: dict[str, Any] = {}
        while True:
            payload, _ = self._payload(f"/orders/v0/orders/{order_id}/orderItems", params)
            items.extend(payload.get("OrderItems") or [])
            token = payload.get("NextToken")
            if not token:
                return items
            params = {"NextToken": token}

    def pages(self, cursor: Cursor) -> Iterator[Page]:
        since: str | None = cursor.get("since")
        token: str | None = cursor.get("next")
        started: str | None = cursor.get("started")
        page = int(cursor.get("page") or 1)
        while True:
            params: dict[str, Any] = {"MarketplaceIds": self.account.marketplace_ids}
            if token:
                params["NextToken"] = token
            else:
                params["MaxResultsPerPage"] = min(self.account.page_size, 100)
                # One of CreatedAfter or LastUpdatedAfter is required: the first run takes all.
                params["LastUpdatedAfter"] = f"{since or '2000-01-01T00:00:00'}Z"
            payload, response = self._payload("/orders/v0/orders", params)
            if started is None:
                started = _iso(store_time(response))
            body = payload.get("Orders")
            body = body if isinstance(body, list) else []
            whole = [
                dict(order, OrderItems=self._items(str(order["AmazonOrderId"])))
                for order in body
                if isinstance(order, dict) and order.get("AmazonOrderId")
            ]
            where = f"{self.account.name} page {page}"
            orders = list(f.each_order(whole, where, "AmazonOrderId", amazon.map_order))
            token = payload.get("NextToken") or None
            if not token:
                yield Page(orders, {"since": _next_since(started)}, last=True)
                return
            page += 1
            yield Page(
                orders,
                {"since": since, "next": token, "page": page, "started": started},
                last=False,
            )

    def send(self, news: News) -> str:
        # Amazon takes shipments through its feeds (POST_ORDER_FULFILLMENT_DATA), not the
        # Orders API: not sent yet, shown in the Sync workspace to confirm in Seller Central.
        raise _not_sent(self.account, news)


def _complete_or_say(account: ChannelAccountSettings, news: News, complete: bool) -> str:
    """Stores that complete an order only by fulfilling (Shopify) or shipping and invoicing it
    (Magento): complete already, or a person finishes it there."""
    if complete:
        return "already complete"
    raise StoreRefused(
        f"{account.name}: order {news.order_number} was completed by hand here, but {account.kind} "
        "completes an order only when everything in it is fulfilled there: finish it in "
        f"{account.kind}",
        0,
    )


def _not_sent(account: ChannelAccountSettings, news: News) -> StoreRefused:
    return StoreRefused(
        f"{account.name}: a {news.kind} is not sent to {account.kind} stores yet; record it "
        f"there by hand for order {news.order_number}",
        0,
    )


STORES: dict[str, Callable[[ChannelAccountSettings], Store]] = {
    "woocommerce": WooCommerce,
    "shopify": Shopify,
    "bigcommerce": BigCommerce,
    "magento": Magento,
    "amazon": Amazon,
}


def open_store(account: ChannelAccountSettings) -> Store:
    kind = STORES.get(account.kind)
    if kind is None:
        raise StoreRefused(
            f"{account.name}: the connector does not pull from {account.kind} stores yet", 0
        )
    return kind(account)
