"""A local double of the parts of Mollie's v2 API the shop uses, as a real HTTP server.

GET /v2/methods, POST/GET /v2/payments[/{id}], POST/GET /v2/payments/{id}/refunds, with bodies
shaped as Mollie documents them (resource, id, mode, amount{value,currency}, status, _links,
errors as {status, title, detail, field, _links}), Idempotency-Key replay, and a hosted checkout
page (/checkout/{id}) where a browser picks paid, failed, canceled or expired: the double then
calls the payment's webhook (POST id=tr_…) and redirects the browser to its redirectUrl, as
Mollie does. The official client reaches it through its API-endpoint setting.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

METHODS_NL = [
    ("ideal", "iDEAL"),
    ("creditcard", "Creditcard"),
    ("bancontact", "Bancontact"),
    ("paypal", "PayPal"),
]
FINAL = {"paid", "failed", "canceled", "expired"}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _link(href: str, kind: str = "application/hal+json") -> dict:
    return {"href": href, "type": kind}


class MollieDouble:
    """The double's state and server; `url` is what MOLLIE_API_ENDPOINT points at."""

    def __init__(self, *, mode: str = "test"):
        self.mode = mode
        self.payments: dict[str, dict] = {}
        self.refunds: dict[str, list[dict]] = {}
        self.idempotent: dict[str, tuple[int, dict]] = {}
        self.requests: list[tuple[str, str]] = []
        self.webhook_calls: list[tuple[str, int]] = []
        self.down = False  # answer every API call with a 503, as a Mollie outage would
        self.methods = list(METHODS_NL)
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> MollieDouble:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- what a test does to the double ---------------------------------------------------------

    def created(self, method: str = "POST", prefix: str = "/v2/payments") -> int:
        """How many calls of `method` to a path starting with `prefix` the double answered."""
        return sum(1 for m, path in self.requests if m == method and path.startswith(prefix))

    def set_status(self, payment_id: str, status: str) -> dict:
        """Move a payment on, as the customer and the bank do on Mollie's side."""
        with self.lock:
            payment = self.payments[payment_id]
            payment["status"] = status
            payment["isCancelable"] = False
            if status != "open":
                payment["_links"].pop("checkout", None)
            if status == "paid":
                payment["paidAt"] = _now()
                payment["amountRefunded"] = {"value": "0.00", "currency": "EUR"}
                payment["amountRemaining"] = dict(payment["amount"])
                payment["settlementAmount"] = dict(payment["amount"])
            elif status in FINAL:
                payment[f"{status}At"] = _now()
            return payment

    def call_webhook(self, payment_id: str) -> int:
        """POST id=tr_… to the payment's webhookUrl, as Mollie does after a change."""
        payment = self.payments[payment_id]
        body = urllib.parse.urlencode({"id": payment_id}).encode()
        request = urllib.request.Request(payment["webhookUrl"], data=body, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        self.webhook_calls.append((payment_id, status))
        return status

    # --- the API -------------------------------------------------------------------------------

    def _payment_create(self, data: dict) -> tuple[int, dict]:
        amount = data.get("amount") or {}
        try:
            value = Decimal(amount["value"])
            assert amount["currency"] == "EUR" and amount["value"] == f"{value:.2f}"
        except Exception:
            return self._error(422, "The amount is invalid", field="amount")
        for field in ("description", "redirectUrl"):
            if not data.get(field):
                return self._error(422, f"The {field} is missing", field=field)
        payment_id = "tr_" + secrets.token_hex(5)
        self_url = f"{self.url}/v2/payments/{payment_id}"
        payment = {
            "resource": "payment",
            "id": payment_id,
            "mode": self.mode,
            "createdAt": _now(),
            "amount": {"value": amount["value"], "currency": amount["currency"]},
            "description": data["description"],
            "method": data.get("method"),
            "metadata": data.get("metadata"),
            "status": "open",
            "isCancelable": False,
            "expiresAt": (datetime.now(UTC) + timedelta(minutes=15)).strftime(
                "%Y-%m-%dT%H:%M:%S+00:00"
            ),
            "locale": data.get("locale"),
            "profileId": "pfl_QkEhN94Ba",
            "sequenceType": "oneoff",
            "redirectUrl": data["redirectUrl"],
            "webhookUrl": data.get("webhookUrl"),
            "_links": {
                "self": _link(self_url),
                "checkout": _link(f"{self.url}/checkout/{payment_id}", "text/html"),
                "documentation": _link(
                    "https://docs.mollie.com/reference/v2/payments-api/create-payment", "text/html"
                ),
            },
        }
        self.payments[payment_id] = payment
        return 201, payment

    def _refund_create(self, payment_id: str, data: dict) -> tuple[int, dict]:
        payment = self.payments.get(payment_id)
        if payment is None:
            return self._error(404, "No payment exists with token " + payment_id)
        if payment["status"] != "paid":
            return self._error(422, "The payment cannot be refunded")
        try:
            value = Decimal(data["amount"]["value"])
        except Exception:
            return self._error(422, "The amount is invalid", field="amount")
        remaining = Decimal(payment["amountRemaining"]["value"])
        if value <= 0 or value > remaining:
            return self._error(
                422, "The amount is higher than the amount remaining", field="amount"
            )
        payment["amountRemaining"]["value"] = f"{remaining - value:.2f}"
        refunded = Decimal(payment["amountRefunded"]["value"]) + value
        payment["amountRefunded"]["value"] = f"{refunded:.2f}"
        refund_id = "re_" + secrets.token_hex(5)
        refund = {
            "resource": "refund",
            "id": refund_id,
            "amount": {"currency": "EUR", "value": f"{value:.2f}"},
            "status": "pending",
            "createdAt": _now(),
            "description": data.get("description", ""),
            "metadata": data.get("metadata"),
            "paymentId": payment_id,
            "_links": {
                "self": _link(f"{self.url}/v2/payments/{payment_id}/refunds/{refund_id}"),
                "payment": _link(f"{self.url}/v2/payments/{payment_id}"),
                "documentation": _link(
                    "https://docs.mollie.com/reference/v2/refunds-api/create-refund", "text/html"
                ),
            },
        }
        self.refunds.setdefault(payment_id, []).append(refund)
        payment["_links"]["refunds"] = _link(f"{self.url}/v2/payments/{payment_id}/refunds")
        return 201, refund

    def _methods(self) -> tuple[int, dict]:
        methods = [
            {
                "resource": "method",
                "id": method_id,
                "description": description,
                "minimumAmount": {"value": "0.01", "currency": "EUR"},
                "maximumAmount": {"value": "50000.00", "currency": "EUR"},
                "image": {
                    "size1x": f"https://www.mollie.com/external/icons/payment-methods/{method_id}.png",
                    "size2x": f"https://www.mollie.com/external/icons/payment-methods/{method_id}%402x.png",
                    "svg": f"https://www.mollie.com/external/icons/payment-methods/{method_id}.svg",
                },
                "status": "activated",
                "_links": {"self": _link(f"{self.url}/v2/methods/{method_id}")},
            }
            for method_id, description in self.methods
        ]
        return 200, {
            "count": len(methods),
            "_embedded": {"methods": methods},
            "_links": {
                "self": _link(f"{self.url}/v2/methods"),
                "documentation": _link(
                    "https://docs.mollie.com/reference/v2/methods-api/list-methods", "text/html"
                ),
            },
        }

    @staticmethod
    def _error(status: int, detail: str, field: str | None = None) -> tuple[int, dict]:
        titles = {401: "Unauthorized Request", 404: "Not Found", 422: "Unprocessable Entity"}
        body = {
            "status": status,
            "title": titles.get(status, "Error"),
            "detail": detail,
            "_links": {
                "documentation": _link(
                    "https://docs.mollie.com/overview/handling-errors", "text/html"
                )
            },
        }
        if field:
            body["field"] = field
        return status, body

    def api(self, method: str, path: str, headers, body: bytes) -> tuple[int, dict]:
        if self.down:
            return 503, {"status": 503, "title": "Service Unavailable", "detail": "Down"}
        auth = headers.get("Authorization", "")
        if not auth.startswith(f"Bearer {self.mode}_"):
            return self._error(401, "Missing authentication, or failed to authenticate")
        parts = urllib.parse.urlsplit(path).path.strip("/").split("/")[1:]  # without "v2"
        data = json.loads(body or b"{}")
        key = headers.get("Idempotency-Key")
        with self.lock:
            if method == "POST" and key and key in self.idempotent:
                return self.idempotent[key]
            if parts == ["methods"] and method == "GET":
                answer = self._methods()
            elif parts == ["payments"] and method == "POST":
                answer = self._payment_create(data)
            elif len(parts) == 2 and parts[0] == "payments" and method == "GET":
                payment = self.payments.get(parts[1])
                answer = (200, payment) if payment else self._error(404, "No such payment")
            elif len(parts) == 3 and parts[0] == "payments" and parts[2] == "refunds":
                if method == "POST":
                    answer = self._refund_create(parts[1], data)
                else:
                    refunds = self.refunds.get(parts[1], [])
                    answer = (
                        200,
                        {
                            "count": len(refunds),
                            "_embedded": {"refunds": refunds},
                            "_links": {"self": _link(f"{self.url}/v2{path}")},
                        },
                    )
            else:
                answer = self._error(404, "Not found")
            if method == "POST" and key and answer[0] < 500:
                self.idempotent[key] = answer
            return answer

    # --- HTTP -----------------------------------------------------------------------------------

    def _handler(self):
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _json(self, status: int, body: dict) -> None:
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/hal+json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _dispatch(self, method: str) -> None:
                body = self._body() if method == "POST" else b""
                double.requests.append((method, urllib.parse.urlsplit(self.path).path))
                if self.path.startswith("/v2/"):
                    self._json(*double.api(method, self.path, self.headers, body))
                elif self.path.startswith("/checkout/"):
                    self._checkout(method, body)
                else:
                    self._json(*double._error(404, "Not found"))

            def do_GET(self):
                self._dispatch("GET")

            def do_POST(self):
                self._dispatch("POST")

            def _checkout(self, method: str, body: bytes) -> None:
                payment_id = self.path.split("/")[2]
                payment = double.payments.get(payment_id)
                if payment is None:
                    self._json(*double._error(404, "No such payment"))
                    return
                if method == "POST":
                    status = urllib.parse.parse_qs(body.decode()).get("status", [""])[0]
                    if status in FINAL and payment["status"] == "open":
                        double.set_status(payment_id, status)
                        if payment.get("webhookUrl"):
                            double.call_webhook(payment_id)
                    self.send_response(303)
                    self.send_header("Location", payment["redirectUrl"])
                    self.end_headers()
                    return
                buttons = "".join(
                    f'<button type="submit" name="status" value="{s}">{s}</button> '
                    for s in ("paid", "failed", "canceled", "expired")
                )
                page = (
                    "<!doctype html><html lang='nl'><head><meta charset='utf-8'>"
                    "<title>Mollie (test double)</title></head><body>"
                    f"<h1>Testbetaling {html.escape(payment_id)}</h1>"
                    f"<p>{html.escape(payment['description'])}: € {payment['amount']['value']}"
                    f" ({html.escape(str(payment.get('method')))})</p>"
                    f"<form method='post'>{buttons}</form></body></html>"
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

        return Handler


if __name__ == "__main__":
    # A local demo without a Mollie account: `python -m tests.shop.mollie_double 8765`, then run
    # the shop with MOLLIE_API_KEY=test_local_double_0123456789abcdef0123 and
    # MOLLIE_API_ENDPOINT=http://127.0.0.1:8765 (the double pretends to be Mollie in test mode).
    import sys

    double = MollieDouble()
    double.server.server_close()
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8765
    double.server = ThreadingHTTPServer(("127.0.0.1", port), double._handler())
    double.url = f"http://127.0.0.1:{port}"
    print(f"Mollie double on {double.url} (test mode); Ctrl-C stops it")
    double.server.serve_forever()
