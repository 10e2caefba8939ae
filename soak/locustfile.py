"""The soak's visitors (locust): browsers who read the catalogue and the Kennisbank as a browser
does (each shared page, then its private parts from /persoonlijk/), and buyers who put a product in
a new basket and place a real guest order by bank transfer through every checkout step.

Every answer other than the expected one counts as a failure; `soak.run` fails on any. The paths
come from SOAK_PATHS (written by soak.paths).
"""

from __future__ import annotations

import html
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task

ORDER_NUMBER = re.compile(r"Betalingskenmerk</dt><dd[^>]*>\d+")
PATHS = json.loads(Path(os.environ["SOAK_PATHS"]).read_text())
ADDRESS = {
    "first_name": "Soak",
    "last_name": "Klant",
    "line1": "Oudegracht 12",
    "line2": "",
    "postcode": "3511 AB",
    "line4": "Utrecht",
    "country": "NL",
    "phone_number": "",
    "notes": "",
}


def mentions(text: str):
    escaped = html.escape(text)  # as Django's templates escape it
    return lambda response: None if escaped in response.text else f"{text!r} missing"


def shows_order_number(response):
    """The bank-transfer instructions name the placed order's number as payment reference."""
    if not ORDER_NUMBER.search(response.text):
        return "no order number on the thank-you page"
    return None


class Visitor(HttpUser):
    abstract = True

    def keep_cookies(self) -> None:
        """Send the shop's Secure cookies (session, CSRF, basket) back over the soak's plain
        HTTP, as a browser sends them through the TLS proxy in front of production."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def get(self, path: str, name: str, *, check=None):
        """A page that must answer 200; `check(response)` may name what else is wrong."""
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as r:
            self.keep_cookies()
            problem = f"{r.status_code} instead of 200" if r.status_code != 200 else None
            if problem is None and check is not None:
                problem = check(r)
            if problem:
                r.failure(problem)
            return r

    def post(self, path: str, name: str, data: dict, *, redirect_to: str | None = None):
        """A form post with the visitor's CSRF token; it must answer 302 (to `redirect_to`)."""
        data = {"csrfmiddlewaretoken": self.csrf, **data}
        with self.client.post(
            path, data=data, name=name, allow_redirects=False, catch_response=True
        ) as r:
            self.keep_cookies()
            location = r.headers.get("Location", "")
            if r.status_code != 302:
                r.failure(f"{r.status_code} instead of 302")
            elif redirect_to is not None and location != redirect_to:
                r.failure(f"redirected to {location!r} instead of {redirect_to!r}")
            return r

    def private(self, product_pk: int | None = None) -> None:
        """The private parts a shared page asks for, with the CSRF token for its forms."""
        query = f"?product={product_pk}" if product_pk else ""
        self.csrf = ""

        def keep_token(response):
            try:
                self.csrf = response.json()["csrf"]
            except (ValueError, KeyError):
                return "no CSRF token"
            return None

        self.get(PATHS["private"] + query, "/persoonlijk/", check=keep_token)


class Browser(Visitor):
    """Reads the shop: home, collection pages, products, guides, FAQs, search."""

    weight = 4
    wait_time = between(1, 4)

    @task(3)
    def product(self):
        product = random.choice(PATHS["products"])
        self.get(product["url"], "product")
        self.private(product["pk"])

    @task(2)
    def category(self):
        self.get(random.choice(PATHS["categories"]), "category")
        self.private()

    @task(2)
    def page(self):
        self.get(random.choice(PATHS["pages"]), "page")
        self.private()

    @task(1)
    def guide(self):
        if PATHS["guides"]:
            self.get(random.choice(PATHS["guides"]), "guide")
            self.private()

    @task(2)
    def search(self):
        term = random.choice(PATHS["search_terms"])
        self.get(f"{PATHS['search']}?q={term}", "search")
        self.private()


class Buyer(Visitor):
    """A new visitor who buys one product as a guest and pays by bank transfer."""

    weight = 1
    wait_time = between(2, 6)

    @task
    def buy(self):
        self.client.cookies.clear()
        product = random.choice(PATHS["buyable"])
        self.get(product["url"], "product")
        self.private(product["pk"])
        quantity = random.randint(1, 3)
        self.post(f"/basket/add/{product['pk']}/", "basket add", {"quantity": quantity})
        self.get("/basket/", "basket", check=mentions(product["title"]))
        email = f"soak{random.randrange(10**9)}@example.nl"
        steps = [
            ("/checkout/", {"username": email, "options": "anonymous"}),
            ("/checkout/shipping-address/", ADDRESS),
            ("/checkout/shipping-method/", {"method_code": "standaard"}),
            ("/checkout/payment-method/", {"method": "bankoverschrijving"}),
        ]
        for path, form in steps:
            if self.post(path, f"checkout {path}", form).status_code != 302:
                return
        self.get("/checkout/preview/", "checkout preview", check=mentions(product["title"]))
        placed = self.post(
            "/checkout/preview/",
            "place order",
            {"action": "place_order"},
            redirect_to="/checkout/thank-you/",
        )
        if placed.status_code == 302:
            self.get("/checkout/thank-you/", "thank you", check=shows_order_number)
