"""Browsing and checkout driven continuously against the shop, every answer recorded with its
start and end time, for tests/faults."""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from dataclasses import dataclass

import requests

CSRF = secrets.token_hex(16)  # a valid CSRF secret, sent as cookie and form field
# Seconds before a request is given up (recorded as no answer). The test counts an answer slower
# than a few seconds during the outage as a hang; this only bounds the wait.
TIMEOUT = 30
OUTAGE_MARKER = "We zijn zo terug"


@dataclass
class Answer:
    flow: str
    method: str
    path: str
    start: float
    end: float
    status: int | None  # None: no answer (timeout, connection refused or reset)
    branded_503: bool = False
    cached: bool = False  # served from the shop's page cache (X-Page-Cache: hit), no database
    error: str = ""
    location: str = ""

    @property
    def seconds(self) -> float:
        return self.end - self.start


class Recorder:
    def __init__(self):
        self.answers: list[Answer] = []
        self.placed: list[tuple[float, str]] = []  # (time, flow) of orders confirmed to a client
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def add(self, answer: Answer) -> None:
        with self.lock:
            self.answers.append(answer)


class Visitor:
    """One browser: its own cookies (sent by hand: the shop's cookies are Secure, and requests'
    cookie jar would not send them back over http), no redirects followed."""

    def __init__(self, base: str, recorder: Recorder, flow: str):
        self.base = base
        self.recorder = recorder
        self.flow = flow
        self.cookies = {"csrftoken": CSRF}
        self.http = requests.Session()

    def request(
        self, method: str, path: str, data: dict | None = None, timeout: float = TIMEOUT
    ) -> Answer:
        start = time.monotonic()
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if method == "POST":
            data = {"csrfmiddlewaretoken": CSRF, **(data or {})}
        try:
            response = self.http.request(
                method,
                self.base + path,
                data=data,
                headers=headers,
                allow_redirects=False,
                timeout=timeout,
            )
        except requests.RequestException as exc:
            answer = Answer(self.flow, method, path, start, time.monotonic(), None, error=repr(exc))
            self.http = requests.Session()
        else:
            self.cookies.update(
                {c.name: c.value for c in response.cookies if c.value and c.name != "csrftoken"}
            )
            answer = Answer(
                self.flow,
                method,
                path,
                start,
                time.monotonic(),
                response.status_code,
                branded_503=(
                    response.status_code == 503
                    and OUTAGE_MARKER in response.text
                    and response.headers.get("Retry-After", "").isdigit()
                ),
                cached=response.headers.get("X-Page-Cache") == "hit",
                error="" if response.status_code < 500 else response.text[:300],
                location=response.headers.get("Location", ""),
            )
        self.recorder.add(answer)
        return answer


def browse(base: str, recorder: Recorder, paths: list[str], flow: str, with_session: bool):
    """GET the pages in turn; a visitor with a session carries a basket (private pages)."""
    visitor = Visitor(base, recorder, flow)
    if with_session:
        paths = [*paths, "/basket/"]
    for path in itertools.cycle(paths):
        if recorder.stop.is_set():
            return
        visitor.request("GET", path)
        time.sleep(0.05)


def checkout(base: str, recorder: Recorder, urls: dict, address: dict, flow: str, product: int):
    """Guest checkouts one after another: add, gateway, address, shipping, payment, preview,
    place order. A step that does not answer as expected ends that checkout; the next starts
    afresh (a new visitor)."""
    for number in itertools.count():
        if recorder.stop.is_set():
            return
        visitor = Visitor(base, recorder, flow)
        steps = [
            ("POST", urls["add"].format(pk=product), {"quantity": 1}, 302),
            (
                "POST",
                urls["gateway"],
                {"username": f"{flow}-{number}@example.nl", "options": "anonymous"},
                302,
            ),
            ("POST", urls["address"], address, 302),
            ("POST", urls["shipping"], {"method_code": "standaard"}, 302),
            ("POST", urls["payment"], {"method": "bankoverschrijving"}, 302),
            ("GET", urls["preview"], None, 200),
            ("POST", urls["preview"], {"action": "place_order"}, 302),
        ]
        for method, path, data, expected in steps:
            answer = visitor.request(method, path, data)
            if answer.status != expected:
                time.sleep(0.2)
                break
        else:
            if not answer.location.endswith(urls["thank_you"]):
                continue
            with recorder.lock:
                recorder.placed.append((time.monotonic(), flow))
            visitor.request("GET", urls["thank_you"])
