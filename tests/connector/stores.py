"""Local HTTP servers that answer as WooCommerce (REST API v3) and Shopify (Admin REST API)
do, for the connector's tests: real sockets on 127.0.0.1, port 0.

The answers are built from the published samples in tests/data (an order, order notes, a
fulfillment order, a fulfillment: see tests/data/README.md), copied and renumbered; the
paging follows the stores' documents (WooCommerce: ``page``/``per_page`` with X-WP-Total
and X-WP-TotalPages; Shopify: ``limit`` and a Link header with ``page_info``), and so do the
errors (WordPress's ``{"code", "message", "data": {"status"}}``; Shopify's ``{"errors"}``,
Retry-After on 429, X-Shopify-Shop-Api-Call-Limit on every answer).

``faults`` scripts what goes wrong: ``(path prefix, status, headers)`` answered once to the
next request whose path starts with the prefix (a 429, a 500, a 401).
"""

from __future__ import annotations

import base64
import copy
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

DATA = Path(__file__).parents[1] / "data"
ORDERS = DATA / "channel_orders"
API = DATA / "channel_api"


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _gmt(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


class Store:
    """What both servers share: orders by id, scripted faults, the requests seen."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.orders: dict[int, dict[str, Any]] = {}
        self.faults: list[tuple[str, int, dict[str, str]]] = []
        self.requests: list[tuple[str, str]] = []  # (method, path?query)
        self.page_delay = 0.0
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def fault_for(self, path: str) -> tuple[int, dict[str, str]] | None:
        with self.lock:
            for i, (prefix, status, headers) in enumerate(self.faults):
                if path.startswith(prefix):
                    del self.faults[i]
                    return status, headers
        return None

    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        raise NotImplementedError


class WooStore(Store):
    """/wp-json/wc/v3/orders and its notes, with HTTP Basic auth (consumer key:secret)."""

    base = "/wp-json/wc/v3"

    def __init__(self, secret: str = "ck_test:cs_test") -> None:
        super().__init__(secret)
        self.notes: dict[int, list[dict[str, Any]]] = {}
        self.sample = _load(ORDERS / "woocommerce_order.json")
        self.note_sample = _load(API / "woocommerce_order_notes.json")[0]
        self.note_delay = 0.0
        self.refund_sample = _load(API / "woocommerce_order_refund.json")
        self.refunds: dict[int, list[dict[str, Any]]] = {}

    def add(self, n: int, *, created: datetime, status: str = "processing") -> dict[str, Any]:
        """Order ``n``: the published sample, renumbered, with its own lines' SKUs."""
        order = copy.deepcopy(self.sample)
        oid = 1000 + n
        order.update(id=oid, number=str(oid), status=status)
        order["date_created_gmt"] = order["date_modified_gmt"] = _gmt(created)
        for i, item in enumerate(order["line_items"]):
            item["id"] = oid * 10 + i
            item["sku"] = f"WOO-{i + 1}"
        with self.lock:
            self.orders[oid] = order
            self.notes[oid] = []
        return order

    def touch(self, oid: int, **changes: Any) -> None:
        with self.lock:
            self.orders[oid].update(changes, date_modified_gmt=_gmt(datetime.now(UTC)))

    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        split = urlsplit(h.path)
        path, query = split.path, parse_qs(split.query)
        expected = "Basic " + base64.b64encode(self.secret.encode()).decode()
        if h.headers.get("Authorization") != expected:
            return _send(
                h,
                401,
                {
                    "code": "woocommerce_rest_cannot_view",
                    "message": "Sorry, you cannot list resources.",
                    "data": {"status": 401},
                },
            )
        rel = path[len(self.base) :]
        if rel == "/orders" and method == "GET":
            return self._list(h, query)
        parts = rel.strip("/").split("/")
        if len(parts) >= 2 and parts[0] == "orders" and parts[1].isdigit():
            oid = int(parts[1])
            with self.lock:
                order = self.orders.get(oid)
            if order is None:
                return _send(
                    h,
                    404,
                    {
                        "code": "woocommerce_rest_shop_order_invalid_id",
                        "message": "Invalid ID.",
                        "data": {"status": 404},
                    },
                )
            if len(parts) == 2 and method == "GET":
                return _send(h, 200, order)
            if len(parts) == 2 and method == "PUT":
                body = _body(h)
                self.touch(oid, **{k: v for k, v in body.items() if k == "status"})
                return _send(h, 200, self.orders[oid])
            if parts[2:] == ["refunds"] and method == "GET":
                return _send(h, 200, self.refunds.get(oid, []))
            if parts[2:] == ["refunds"] and method == "POST":
                body = _body(h)
                refund = copy.deepcopy(self.refund_sample)
                refund.update(
                    id=len(self.refunds.get(oid, [])) + 1,
                    amount=body.get("amount"),
                    reason=body.get("reason", ""),
                    refunded_payment=bool(body.get("api_refund", True)),
                    line_items=[
                        {
                            "id": i["id"],
                            "quantity": -i["quantity"],
                            "total": f"-{i['refund_total']}",
                        }
                        for i in body.get("line_items") or []
                    ],
                )
                with self.lock:
                    self.refunds.setdefault(oid, []).insert(0, refund)
                return _send(h, 201, refund)
            if parts[2:] == ["notes"] and method == "GET":
                return _send(h, 200, self.notes[oid])
            if parts[2:] == ["notes"] and method == "POST":
                body = _body(h)
                note = copy.deepcopy(self.note_sample)
                note.update(
                    id=len(self.notes[oid]) + 1,
                    note=body.get("note", ""),
                    customer_note=bool(body.get("customer_note")),
                )
                with self.lock:
                    self.notes[oid].insert(0, note)
                time.sleep(self.note_delay)  # kept, and not yet answered
                return _send(h, 201, note)
        _send(h, 404, {"code": "rest_no_route", "message": "No route.", "data": {"status": 404}})

    def _list(self, h: BaseHTTPRequestHandler, query: dict[str, list[str]]) -> None:
        after = query.get("modified_after", [""])[0]
        per_page = int(query.get("per_page", ["10"])[0])
        page = int(query.get("page", ["1"])[0])
        with self.lock:
            found = [
                o for o in self.orders.values() if not after or o["date_modified_gmt"] > after[:19]
            ]
        found.sort(key=lambda o: (o["date_created_gmt"], o["id"]))
        pages = max(1, -(-len(found) // per_page))
        if self.page_delay:
            time.sleep(self.page_delay)
        _send(
            h,
            200,
            found[(page - 1) * per_page : page * per_page],
            {"X-WP-Total": str(len(found)), "X-WP-TotalPages": str(pages)},
        )


class ShopifyStore(Store):
    """/admin/api/2024-07/orders.json and fulfillments, with X-Shopify-Access-Token."""

    base = "/admin/api/2024-07"

    def __init__(self, secret: str = "shpat_test") -> None:
        super().__init__(secret)
        self.sample = _load(ORDERS / "shopify_order.json")["order"]
        self.fo_sample = _load(API / "shopify_fulfillment_order.json")["fulfillment_order"]
        self.fulfillment_sample = _load(API / "shopify_fulfillment.json")["fulfillment"]
        self.fulfillments: dict[int, list[dict[str, Any]]] = {}
        self.calls = 0

    def add(self, n: int, *, updated: datetime, paid: bool = True) -> dict[str, Any]:
        order = copy.deepcopy(self.sample)
        oid = 5000 + n
        order.update(id=oid, order_number=oid, name=f"#{oid}")
        order["financial_status"] = "paid" if paid else "pending"
        order["updated_at"] = order["created_at"] = updated.astimezone(UTC).isoformat()
        for i, item in enumerate(order["line_items"]):
            item["id"] = oid * 10 + i
            item["sku"] = f"SHOP-{i + 1}"
        with self.lock:
            self.orders[oid] = order
            self.fulfillments[oid] = []
        return order

    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        split = urlsplit(h.path)
        path, query = split.path, parse_qs(split.query)
        self.calls += 1
        limit = {"X-Shopify-Shop-Api-Call-Limit": f"{min(40, self.calls % 40 + 1)}/40"}
        if h.headers.get("X-Shopify-Access-Token") != self.secret:
            return _send(
                h,
                401,
                {
                    "errors": "[API] Invalid API key or access token (unrecognized login or wrong "
                    "password)"
                },
                limit,
            )
        rel = path[len(self.base) :]
        if rel == "/orders.json" and method == "GET":
            return self._list(h, query, limit)
        if rel == "/fulfillments.json" and method == "POST":
            body = _body(h)["fulfillment"]
            return self._fulfil(h, body, limit)
        parts = rel.strip("/").split("/")
        if len(parts) >= 2 and parts[0] == "orders":
            oid = int(parts[1].removesuffix(".json"))
            order = self.orders.get(oid)
            if order is None:
                return _send(h, 404, {"errors": "Not Found"}, limit)
            if len(parts) == 2 and method == "GET":
                return _send(h, 200, {"order": order}, limit)
            if parts[2:] == ["fulfillments.json"]:
                return _send(h, 200, {"fulfillments": self.fulfillments[oid]}, limit)
            if parts[2:] == ["fulfillment_orders.json"]:
                return _send(h, 200, {"fulfillment_orders": [self._fo(order)]}, limit)
            if parts[2:] == ["cancel.json"] and method == "POST":
                order["cancelled_at"] = datetime.now(UTC).isoformat()
                return _send(h, 200, {"order": order}, limit)
        _send(h, 404, {"errors": "Not Found"}, limit)

    def _fo(self, order: dict[str, Any]) -> dict[str, Any]:
        """The order's one fulfillment order (the sample's shape), what is left to fulfil."""
        fo = copy.deepcopy(self.fo_sample)
        fo.update(id=order["id"] * 100, order_id=order["id"])
        done: dict[int, int] = {}
        for f in self.fulfillments[order["id"]]:
            for item in f["line_items"]:
                done[item["id"]] = done.get(item["id"], 0) + item["quantity"]
        template = fo["line_items"][0]
        fo["line_items"] = []
        for line in order["line_items"]:
            left = line["quantity"] - done.get(line["id"], 0)
            fo["line_items"].append(
                dict(
                    template,
                    id=line["id"] * 7,
                    fulfillment_order_id=fo["id"],
                    line_item_id=line["id"],
                    quantity=line["quantity"],
                    fulfillable_quantity=left,
                )
            )
        fo["status"] = (
            "open" if any(i["fulfillable_quantity"] for i in fo["line_items"]) else "closed"
        )
        return fo

    def _fulfil(
        self, h: BaseHTTPRequestHandler, body: dict[str, Any], limit: dict[str, str]
    ) -> None:
        groups = body["line_items_by_fulfillment_order"]
        oid = groups[0]["fulfillment_order_id"] // 100
        order = self.orders[oid]
        by_fo_item = {line["id"] * 7: line for line in order["line_items"]}
        made = copy.deepcopy(self.fulfillment_sample)
        tracking = body.get("tracking_info") or {}
        made.update(
            id=len(self.fulfillments[oid]) + 1,
            order_id=oid,
            status="success",
            tracking_company=tracking.get("company"),
            tracking_number=tracking.get("number"),
            tracking_numbers=[tracking["number"]] if tracking.get("number") else [],
        )
        made["line_items"] = [
            dict(by_fo_item[i["id"]], quantity=i["quantity"])
            for g in groups
            for i in g["fulfillment_order_line_items"]
        ]
        self.fulfillments[oid].append(made)
        _send(h, 201, {"fulfillment": made}, limit)

    def _list(
        self, h: BaseHTTPRequestHandler, query: dict[str, list[str]], limit: dict[str, str]
    ) -> None:
        size = int(query.get("limit", ["50"])[0])
        if "page_info" in query:  # the cursor carries the filter; nothing else may be given
            state = json.loads(base64.urlsafe_b64decode(query["page_info"][0]))
            since, last_id = state["since"], state["after"]
        else:
            since, last_id = query.get("updated_at_min", [""])[0], 0
        with self.lock:
            found = sorted(
                (
                    o
                    for o in self.orders.values()
                    if not since
                    or datetime.fromisoformat(o["updated_at"]) >= datetime.fromisoformat(since)
                ),
                key=lambda o: o["id"],
            )
        found = [o for o in found if o["id"] > last_id]
        page, rest = found[:size], found[size:]
        headers = dict(limit)
        if rest:
            info = base64.urlsafe_b64encode(
                json.dumps({"since": since, "after": page[-1]["id"]}).encode()
            ).decode()
            nxt = (
                f"{self.url}{self.base}/orders.json?{urlencode({'limit': size, 'page_info': info})}"
            )
            headers["Link"] = f'<{nxt}>; rel="next"'
        if self.page_delay:
            time.sleep(self.page_delay)
        _send(h, 200, {"orders": page}, headers)


class BigCommerceStore(Store):
    """/v2/orders (sorted, paged; 204 when a page is empty), each order's products, shipping
    addresses and shipments, with X-Auth-Token; a 429 says when to come back in
    X-Rate-Limit-Time-Reset-Ms, as BigCommerce does."""

    def __init__(self, secret: str = "bc_token") -> None:
        super().__init__(secret)
        self.sample = _load(ORDERS / "bigcommerce_v2_order.json")
        self.product_sample = _load(ORDERS / "bigcommerce_v2_order_product.json")
        self.address_sample = _load(API / "bigcommerce_v2_order_shipping_address.json")
        self.shipment_sample = _load(API / "bigcommerce_v2_order_shipment.json")
        self.products: dict[int, list[dict[str, Any]]] = {}
        self.shipments: dict[int, list[dict[str, Any]]] = {}

    def add(self, n: int, *, created: datetime) -> dict[str, Any]:
        order = copy.deepcopy(self.sample)
        oid = 300 + n
        stamp = format_datetime(created.astimezone(UTC), usegmt=True)
        order.update(id=oid, status_id=11, status="Awaiting Fulfillment")
        order.update(date_created=stamp, date_modified=stamp)
        products = []
        for i in range(2):
            product = copy.deepcopy(self.product_sample)
            product.update(id=oid * 10 + i, order_id=oid, sku=f"BC-{i + 1}", quantity=i + 1)
            products.append(product)
        with self.lock:
            self.orders[oid] = order
            self.products[oid] = products
            self.shipments[oid] = []
        return order

    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        split = urlsplit(h.path)
        path, query = split.path, parse_qs(split.query)
        if h.headers.get("X-Auth-Token") != self.secret:
            return _send(h, 401, [{"status": 401, "message": "You are not authorized."}])
        if path == "/v2/orders" and method == "GET":
            return self._list(h, query)
        parts = path.strip("/").split("/")
        if len(parts) >= 3 and parts[:2] == ["v2", "orders"]:
            oid = int(parts[2])
            order = self.orders.get(oid)
            if order is None:
                return _send(
                    h, 404, [{"status": 404, "message": "The requested resource was not found."}]
                )
            rest = parts[3:]
            if not rest and method == "GET":
                return _send(h, 200, order)
            if not rest and method == "PUT":
                order.update(_body(h))
                return _send(h, 200, order)
            if rest == ["products"]:
                return _send(h, 200, self.products[oid])
            if rest == ["shipping_addresses"]:
                address = dict(self.address_sample, id=oid * 100, order_id=oid)
                return _send(h, 200, [address])
            if rest == ["shipments"] and method == "GET":
                made = self.shipments[oid]
                return _send(h, 200, made) if made else _empty(h)
            if rest == ["shipments"] and method == "POST":
                body = _body(h)
                made = copy.deepcopy(self.shipment_sample)
                made.update(
                    id=len(self.shipments[oid]) + 1,
                    order_id=oid,
                    order_address_id=body["order_address_id"],
                    tracking_number=body.get("tracking_number", ""),
                    comments=body.get("comments", ""),
                    items=[dict(i, product_id=0) for i in body["items"]],
                )
                self.shipments[oid].append(made)
                return _send(h, 201, made)
        _send(h, 404, [{"status": 404, "message": "The requested resource was not found."}])

    def _list(self, h: BaseHTTPRequestHandler, query: dict[str, list[str]]) -> None:
        since = query.get("min_date_modified", [""])[0]
        limit = int(query.get("limit", ["50"])[0])
        page = int(query.get("page", ["1"])[0])
        with self.lock:
            found = [
                o
                for o in self.orders.values()
                if not since
                or parsedate_to_datetime(o["date_modified"]) >= parsedate_to_datetime(since)
            ]
        found.sort(key=lambda o: (parsedate_to_datetime(o["date_created"]), o["id"]))
        chunk = found[(page - 1) * limit : page * limit]
        if not chunk:
            return _empty(h)
        _send(h, 200, chunk)


class MagentoStore(Store):
    """/rest/V1/orders searched (searchCriteria: updated_at gteq, pageSize, currentPage; a
    page past the end answers the last page again, as Magento does), one order, ship and
    invoice (their answers are the new entity's id), the shipments searched by order_id;
    Bearer token auth. Shipping and invoicing move the items' qty_shipped and qty_invoiced
    (a bundle's parts with their bundle)."""

    base = "/rest/V1"

    def __init__(self, secret: str = "mg_token") -> None:
        super().__init__(secret)
        self.sample = _load(ORDERS / "magento2_order.json")
        self.shipments: list[dict[str, Any]] = []
        self.invoices: list[dict[str, Any]] = []

    def add(self, n: int, *, updated: datetime) -> dict[str, Any]:
        order = copy.deepcopy(self.sample)
        oid = 700 + n
        stamp = updated.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        order.update(entity_id=oid, increment_id=f"0000{oid}", state="processing")
        order.update(status="processing", created_at=stamp, updated_at=stamp)
        for item in order["items"]:
            item["order_id"] = oid
            item["item_id"] = oid * 100 + item["item_id"]
            if item.get("parent_item_id"):
                item["parent_item_id"] = oid * 100 + item["parent_item_id"]
                if isinstance(item.get("parent_item"), dict):
                    item["parent_item"]["item_id"] = item["parent_item_id"]
        with self.lock:
            self.orders[oid] = order
        return order

    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        split = urlsplit(h.path)
        path, query = split.path, parse_qs(split.query)
        if h.headers.get("Authorization") != f"Bearer {self.secret}":
            return _send(
                h,
                401,
                {
                    "message": "The consumer isn't authorized to access %resources.",
                    "parameters": {"resources": "Magento_Sales::actions_view"},
                },
            )
        rel = path[len(self.base) :]
        parts = rel.strip("/").split("/")
        if rel == "/orders" and method == "GET":
            return self._search(h, query)
        if rel == "/shipments" and method == "GET":
            oid = query.get("searchCriteria[filter_groups][0][filters][0][value]", ["0"])[0]
            found = [x for x in self.shipments if str(x["order_id"]) == oid]
            return _send(h, 200, {"items": found, "search_criteria": {}, "total_count": len(found)})
        if len(parts) == 2 and parts[0] == "orders" and method == "GET":
            order = self.orders.get(int(parts[1]))
            if order is None:
                return _send(h, 404, {"message": "The entity that was requested doesn't exist."})
            return _send(h, 200, order)
        if len(parts) == 3 and parts[0] == "orders" and parts[2] == "cancel":
            self.orders[int(parts[1])].update(state="canceled", status="canceled")
            return _send(h, 200, True)
        if len(parts) == 3 and parts[0] == "order" and parts[2] in ("ship", "invoice"):
            order = self.orders[int(parts[1])]
            body = _body(h)
            column = "qty_shipped" if parts[2] == "ship" else "qty_invoiced"
            by_id = {i["item_id"]: i for i in order["items"]}
            for wanted in body.get("items") or []:
                item = by_id[wanted["order_item_id"]]
                item[column] = item.get(column, 0) + wanted["qty"]
                for kid in order["items"]:
                    if kid.get("parent_item_id") == item["item_id"]:
                        per = kid["qty_ordered"] // item["qty_ordered"]
                        kid[column] = kid.get(column, 0) + wanted["qty"] * per
            made = {
                "entity_id": len(self.shipments) + len(self.invoices) + 1,
                "order_id": order["entity_id"],
                **body,
            }
            (self.shipments if parts[2] == "ship" else self.invoices).append(made)
            return _send(h, 200, made["entity_id"])
        _send(h, 404, {"message": "Request does not match any route."})

    def _search(self, h: BaseHTTPRequestHandler, query: dict[str, list[str]]) -> None:
        c = "searchCriteria"
        since = query.get(f"{c}[filter_groups][0][filters][0][value]", [""])[0]
        size = int(query.get(f"{c}[pageSize]", ["20"])[0])
        page = int(query.get(f"{c}[currentPage]", ["1"])[0])
        with self.lock:
            found = [o for o in self.orders.values() if not since or o["updated_at"] >= since]
        found.sort(key=lambda o: (o["created_at"], o["entity_id"]))
        last = max(1, -(-len(found) // size))
        page = min(page, last)  # Magento's quirk: past the end, the last page again
        chunk = found[(page - 1) * size : page * size]
        _send(
            h,
            200,
            {
                "items": chunk,
                "search_criteria": {"page_size": size, "current_page": page},
                "total_count": len(found),
            },
        )


def _empty(h: BaseHTTPRequestHandler) -> None:
    h.send_response(204)
    h.send_header("Content-Length", "0")
    h.end_headers()


def _body(h: BaseHTTPRequestHandler) -> dict[str, Any]:
    length = int(h.headers.get("Content-Length") or 0)
    data: dict[str, Any] = json.loads(h.rfile.read(length) or b"{}")
    return data


def _send(
    h: BaseHTTPRequestHandler, status: int, body: Any, headers: dict[str, str] | None = None
) -> None:
    data = json.dumps(body).encode()
    h.send_response(status)
    h.send_header("Content-Type", "application/json; charset=UTF-8")
    h.send_header("Content-Length", str(len(data)))
    for name, value in (headers or {}).items():
        h.send_header(name, value)
    h.end_headers()
    h.wfile.write(data)


@contextmanager
def serving(store: Store) -> Iterator[Store]:
    """The store on 127.0.0.1, port 0, in a thread, for the test's length."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _any(self, method: str) -> None:
            with store.lock:
                store.requests.append((method, self.path))
            fault = store.fault_for(urlsplit(self.path).path)
            if fault is not None:
                status, headers = fault
                body: Any = (
                    {
                        "errors": "Exceeded 2 calls per second for api client. Reduce request "
                        "rates to resume uninterrupted service."
                    }
                    if status == 429
                    else {"code": "internal_server_error", "message": "Internal Server Error"}
                )
                if self.headers.get("Content-Length"):
                    self.rfile.read(int(self.headers["Content-Length"]))
                return _send(self, status, body, headers)
            store.handle(self, method)

        def do_GET(self) -> None:
            self._any("GET")

        def do_POST(self) -> None:
            self._any("POST")

        def do_PUT(self) -> None:
            self._any("PUT")

        def date_time_string(self, timestamp: float | None = None) -> str:
            return format_datetime(datetime.now(UTC), usegmt=True)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            pass  # a client killed in the middle of an answer (the SIGKILL tests)

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    store.server = server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield store
    finally:
        server.shutdown()
        server.server_close()


def ago(seconds: float) -> datetime:
    return datetime.now(UTC) - timedelta(seconds=seconds)


class AmazonStore(Store):
    """The Selling Partner API's Orders v0: GET /orders/v0/orders (MarketplaceIds,
    LastUpdatedAfter, MaxResultsPerPage, then NextToken) and /orders/v0/orders/{id}/orderItems
    (its items two a page, with NextToken), answered as ``{"payload": ...}`` in the shapes of
    the model's sandbox examples; the access token in ``x-amz-access-token``; a 403 with
    Amazon's ``{"errors": [...]}`` for a wrong one."""

    def __init__(self, secret: str = "Atza|token") -> None:
        super().__init__(secret)
        self.sample = _load(ORDERS / "amazon_sp_get_orders.json")["payload"]["Orders"][0]
        self.item = _load(ORDERS / "amazon_sp_get_order_items.json")["payload"]["OrderItems"][0]
        self.items: dict[str, list[dict[str, Any]]] = {}
        self.by_id: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, list[dict[str, Any]]] = {}

    def add(
        self, n: int, *, updated: datetime, items: int = 1, fba: bool = False, status: str = ""
    ) -> dict[str, Any]:
        order = copy.deepcopy(self.sample)
        oid = f"902-0000000-{n:07d}"
        stamp = _gmt(updated) + "Z"
        order.update(AmazonOrderId=oid, PurchaseDate=stamp, LastUpdateDate=stamp)
        order["ShippingAddress"] = dict(order.pop("DefaultShipFromLocationAddress"))
        if fba:
            order.update(FulfillmentChannel="AFN", OrderStatus=status or "Shipped")
        elif status:
            order["OrderStatus"] = status
        lines = []
        for i in range(items):
            item = copy.deepcopy(self.item)
            item.update(OrderItemId=f"{n:07d}{i:02d}", SellerSKU=f"AZ-{i + 1}")
            if fba:
                item["QuantityShipped"] = item["QuantityOrdered"]
            lines.append(item)
        with self.lock:
            self.by_id[oid] = order
            self.items[oid] = lines
        return order

    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        split = urlsplit(h.path)
        path, query = split.path, parse_qs(split.query)
        if h.headers.get("x-amz-access-token") != self.secret:
            return _send(
                h,
                403,
                {
                    "errors": [
                        {
                            "code": "Unauthorized",
                            "message": "Access to requested resource is denied.",
                        }
                    ]
                },
            )
        parts = path.strip("/").split("/")
        if path == "/orders/v0/orders":
            token = query.get("NextToken", [""])[0]
            if token:
                found = self.tokens.pop(token)
            else:
                assert query.get("MarketplaceIds"), query
                since = query["LastUpdatedAfter"][0]
                with self.lock:
                    found = [o for o in self.by_id.values() if o["LastUpdateDate"] >= since]
                found.sort(key=lambda o: o["LastUpdateDate"])
            size = int(query.get("MaxResultsPerPage", [str(self.page_size)])[0])
            self.page_size = size
            payload: dict[str, Any] = {"Orders": found[:size]}
            if found[size:]:
                token = f"tok{len(self.tokens) + 1}x{len(found)}"
                self.tokens[token] = found[size:]
                payload["NextToken"] = token
            return _send(h, 200, {"payload": payload})
        if len(parts) == 5 and parts[4] == "orderItems":
            items = self.items[parts[3]]
            start = int(query.get("NextToken", ["0"])[0])
            payload = {"AmazonOrderId": parts[3], "OrderItems": items[start : start + 2]}
            if items[start + 2 :]:
                payload["NextToken"] = str(start + 2)
            return _send(h, 200, {"payload": payload})
        _send(h, 404, {"errors": [{"code": "NotFound", "message": "Not found"}]})

    page_size = 100
