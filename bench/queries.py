"""SQL queries per request, in-process, and the URLs the load test drives, for either shop.

    DJANGO_SETTINGS_MODULE=shop.settings python -m bench.queries --out q.json
    DJANGO_SETTINGS_MODULE=bench.stock_settings python -m bench.queries --out q.json

Django's test Client with CaptureQueriesContext (it turns the debug cursor on only while it
captures, so DEBUG stays off). Three visitor kinds (VISITORS); every cache is emptied before
each page's first request, the "cold" count; the last of a few repeats is the "warm" one. The customer is logged in with Client.force_login (the load test logs in over
HTTP through Oscar's login form).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import time
from collections import Counter
from pathlib import Path

from bench.catalogue import BENCH_CUSTOMER_EMAIL, BENCH_UPC

# The pages of the issue, in table order. "guide" is our Kennisbank article page; stock Oscar
# has no such page, so the bench compares it with stock Oscar's product page. "private" is our
# private-parts request of a shared page (GET /persoonlijk/?product=<pk>, fetched by shop.js);
# stock Oscar renders those parts into every page and has no such request.
PAGES = ["home", "collection", "product", "guide", "search", "basket_add", "basket", "private"]
POSTS = {"basket_add"}
# The visitor kinds, in table order: a first-time visitor without cookies (an anonymous add is a
# new basket each time), a visitor with a basket cookie (a basket holding the bench product), and
# a logged-in customer whose basket holds the bench product.
VISITORS = ("anon", "cookie", "customer")
WRITES = ("INSERT", "UPDATE", "DELETE")


def wanted(page: str) -> bool:
    """Whether `page` is measured: every page, or those of BENCH_PAGES (bench/README.md)."""
    only = [p for p in os.environ.get("BENCH_PAGES", "").replace(" ", "").split(",") if p]
    return not only or page in only


REPEATS = 3


def discover(client) -> dict[str, str | None]:
    """The path of every page for this shop and catalogue (None: the shop has no such page)."""
    from django.apps import apps
    from django.urls import NoReverseMatch, reverse
    from oscar.core.loading import get_model

    product = get_model("catalogue", "Product").objects.get(upc=BENCH_UPC)
    category = get_model("catalogue", "Category").objects.get(slug="magnesium", depth=1)
    # The home page is wherever "/" ends up: stock Oscar redirects it to /catalogue/, and a 302
    # would be a meaningless thing to load-test.
    home = client.get("/", follow=True)
    guide = None
    if apps.is_installed("content"):
        article_model = apps.get_model("content", "Article")
        article = article_model.objects.published().filter(products=product).order_by("pk").first()
        try:
            guide = article.get_absolute_url() if article else None
        except NoReverseMatch:
            guide = None
    return {
        "home": home.redirect_chain[-1][0] if home.redirect_chain else "/",
        "collection": category.get_absolute_url(),
        "product": product.get_absolute_url(),
        "guide": guide,
        "search": reverse("search:search") + "?q=magnesium",
        "basket_add": reverse("basket:add", kwargs={"pk": product.pk}),
        "basket": reverse("basket:summary"),
        "private": _private_path(product),
        "login": reverse("customer:login"),  # not a page: the load test logs the customer in
    }


def _private_path(product) -> str | None:
    """Our private-parts request for the bench product's page; None in stock Oscar."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("shop:private") + f"?product={product.pk}"
    except NoReverseMatch:
        return None


def customer():
    """The bench's customer account (made by `bench.catalogue prepare`)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model().objects.filter(email__iexact=BENCH_CUSTOMER_EMAIL).order_by("pk").first()
    )


def clear_caches() -> None:
    """Empty every cache alias: ours keeps pages and fragments in a per-process tier too."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


def request(client, method: str, path: str) -> tuple[object, list[dict], float, float]:
    """One request (a POST adds one unit): the response, the queries it sent, ms in-process
    (wall clock, and CPU of this process only: the database's work is not in it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        started, cpu = time.perf_counter(), time.process_time()
        if method == "POST":
            response = client.post(path, {"quantity": 1})
        else:
            response = client.get(path)
        ms = (time.perf_counter() - started) * 1000
        cpu_ms = (time.process_time() - cpu) * 1000
    return response, ctx.captured_queries, ms, cpu_ms


def hit(client, method: str, path: str) -> dict:
    """One request: status, queries (of which writes), response bytes and in-process time."""
    response, captured, ms, cpu_ms = request(client, method, path)
    sql = [q["sql"] for q in captured]
    slowest = sorted(captured, key=lambda q: -float(q["time"]))[:3]
    return {
        "slowest": [[round(float(q["time"]) * 1000, 1), q["sql"][:200]] for q in slowest],
        "status": response.status_code,
        "queries": len(sql),
        "writes": sum(1 for s in sql if s.lstrip().upper().startswith(WRITES)),
        "bytes": len(response.content),
        "ms": round(ms, 1),
        "cpu_ms": round(cpu_ms, 1),
        "sql": [s[:300] for s in sql],
    }


def measure(client_factory, paths: dict[str, str | None]) -> dict:
    """Cold and warm counts per page for each visitor kind, every cache emptied before each
    page's first request: a page's cold count does not depend on what the pages before it left in
    the cache (the product cards of the collection page are the search page's too)."""
    from django.conf import settings

    cookie_name = settings.OSCAR_BASKET_COOKIE_OPEN
    out = {visitor: {} for visitor in VISITORS}
    clear_caches()
    anon = client_factory()
    for page in PAGES:
        path = paths[page]
        if path is None or not wanted(page):
            continue
        clear_caches()  # this page's first request is cold, whatever the pages before it left
        if page in POSTS:
            # Every anonymous add is a first add: a new visitor, so a new basket each time.
            # (One client without its cookies: a new Client builds a new handler, whose
            # middlewares start anew, WhiteNoise scanning every static file.)
            runs = []
            for _ in range(REPEATS + 1):
                anon.cookies.clear()
                runs.append(hit(anon, "POST", path))
                runs[-1]["basket_cookie_set"] = cookie_name in anon.cookies
            anon.cookies.clear()
        else:
            runs = [hit(anon, "GET", path) for _ in range(REPEATS + 1)]
        out["anon"][page] = summarise(runs)

    clear_caches()
    shopper = client_factory()
    first_add = hit(shopper, "POST", paths["basket_add"])
    if cookie_name not in shopper.cookies:
        raise RuntimeError(f"add to basket set no basket cookie (status {first_add['status']})")
    out["cookie"] = visit(shopper, paths)

    clear_caches()
    user = customer()
    if user is None:
        raise RuntimeError(f"no customer {BENCH_CUSTOMER_EMAIL}: run `bench.catalogue prepare`")
    member = client_factory()
    member.force_login(user)
    first_add = hit(member, "POST", paths["basket_add"])
    if first_add["status"] != 302:
        raise RuntimeError(f"the customer's add to basket answered {first_add['status']}")
    out["customer"] = visit(member, paths)
    return out


def visit(client, paths: dict[str, str | None]) -> dict:
    """Every page, a few times each, as one returning visitor (basket cookie or logged in)."""
    out = {}
    for page in PAGES:
        path = paths[page]
        if path is None or not wanted(page):
            continue
        method = "POST" if page in POSTS else "GET"
        clear_caches()  # as in measure(): the first request cold (the visitor's session and
        # basket are rows in the database, read through the cache)
        out[page] = summarise([hit(client, method, path) for _ in range(REPEATS + 1)])
    return out


def repeated(sql: list[str], top: int = 3) -> list[list]:
    """The tables read more than once in one request, most often first: [count, table]."""
    tables = Counter(
        found.group(1) for s in sql if (found := re.search(r'^\s*SELECT .*? FROM "(\w+)"', s, re.S))
    )
    return [[n, table] for table, n in tables.most_common(top) if n > 1]


def summarise(runs: list[dict]) -> dict:
    cold, warm = runs[0], runs[-1]
    return {
        "repeated": repeated(warm["sql"]),
        "slowest_ms": warm["slowest"],
        "status": warm["status"],
        "cold": cold["queries"],
        "warm": warm["queries"],
        "writes": warm["writes"],
        "bytes": warm["bytes"],
        "ms": statistics.median(r["ms"] for r in runs[1:]),
        "cpu_ms": statistics.median(r["cpu_ms"] for r in runs[1:]),
        "basket_cookie_set": warm.get("basket_cookie_set"),
        "sql": warm["sql"],
        "cold_sql": cold["sql"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="SQL queries per page of one shop")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    import django

    django.setup()
    from django.test import Client

    clear_caches()

    def client_factory():
        return Client(HTTP_HOST="127.0.0.1")

    paths = discover(client_factory())
    result = {"paths": paths, "counts": measure(client_factory, paths)}
    Path(args.out).write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
