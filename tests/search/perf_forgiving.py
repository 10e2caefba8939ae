"""Uncached search page and suggestion times on a large catalogue (issue 20): p50/p99 per request,
in-process (django.test.Client, no web server), the page cache off so every request searches.

Usage (a database holding bench's L catalogue, `python -m bench.catalogue ours --size L`):
    DATABASE_URL=postgres://…/search_db_l SHOP_PAGE_CACHE_SECONDS=0 DJANGO_DEBUG=1 \\
        DJANGO_ALLOWED_HOSTS=testserver python manage.py shell -c \\
        "exec(open('tests/search/perf_forgiving.py').read())"
The application is loaded through shop.wsgi first, as gunicorn loads it (its start-up freezes
what it loaded out of the garbage collector's full passes); PERF_WSGI=0 skips that.
PERF_ROUNDS repeats the query list (default 3), after one untimed pass over it. PERF_OUT writes the figures as JSON; with
PERF_BASELINE (such a JSON, of an earlier version) each figure is printed as before -> after.
`make search-perf` does both on one L database: the baseline commit (SEARCH_BASELINE, from
`git archive`) first, then the working tree, and prints the comparison.
"""

import importlib
import json
import os
import statistics
import time

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import setup_test_environment
from oscar.apps.catalogue.models import Product

from tests.search.relevance_set import CASES

try:  # the product cards' own cache (shop.search.listing); a baseline commit may not have it
    from shop.search.listing import expire_cards
except ImportError:
    expire_cards = None

ROUNDS = int(os.environ.get("PERF_ROUNDS", "3"))
WSGI = os.environ.get("PERF_WSGI", "1") == "1"
if WSGI:
    importlib.import_module("shop.wsgi")  # the server's start-up, whatever it does
client = Client()


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


CPU, SQL, MANY = [], [], {}


def measure(path, params_list, rounds=ROUNDS, before_each=None, warm=10):
    CPU.clear()
    SQL.clear()
    for params in params_list[:warm]:
        client.get(path, params)  # warm templates, thumbnails, connection
    times, queries = [], []
    connection.force_debug_cursor = True
    for _ in range(rounds):
        for params in params_list:
            if before_each is not None:
                before_each()
            reset_queries()
            start, cpu = time.perf_counter(), time.process_time()
            response = client.get(path, params)
            times.append((time.perf_counter() - start) * 1000)
            CPU.append((time.process_time() - cpu) * 1000)
            SQL.append(sum(float(q["time"]) for q in connection.queries) * 1000)
            queries.append(len(connection.queries))
            if len(connection.queries) > 12:
                kinds = {}
                for q in connection.queries:
                    table = q["sql"].split(" FROM ", 1)[-1].split()[0]
                    kinds[table] = kinds.get(table, 0) + 1
                MANY[params["q"]] = kinds
            assert response.status_code in (200, 404), (params, response.status_code)
            assert "X-Page-Cache" not in response, "the page cache is on: SHOP_PAGE_CACHE_SECONDS=0"
    connection.force_debug_cursor = False
    return times, queries


def typed(text):
    """What search-as-you-type asks while `text` is typed (from the 2nd letter on)."""
    return [text[:n] for n in range(2, len(text) + 1)]


# The seven queries of issue 20 that found no product before the forgiving search.
EXAMPLES = [
    "magnesium malate",
    "glycinate",
    "fish oil",
    "magnesiumoxyd",
    "malaat sprot",
    "magnesium 200mg",
    "magnesium voor het slapen",
]
figures = {"load_before": os.getloadavg()[0]}
print(
    f"browsable products: {Product.objects.browsable().count()}; load: {os.getloadavg()}; "
    f"loaded through shop.wsgi: {WSGI}"
)


def report(name, label, times, sql, digits=0, unit="page"):
    """Keep the figures of one measurement under `name` and print them."""
    figures[name] = {
        "p50": statistics.median(times),
        "p99": percentile(times, 0.99),
        "cpu_p99": percentile(CPU, 0.99),
        "sql_p99": percentile(SQL, 0.99),
        "queries_max": max(sql),
    }
    f = {key: f"{value:.{digits}f}" for key, value in figures[name].items()}
    print(
        f"{label}: p50 {f['p50']} ms, p99 {f['p99']} ms, max {max(times):.{digits}f} ms; "
        f"SQL per {unit} {min(sql)}-{max(sql)}; "
        f"process CPU p99 {f['cpu_p99']} ms, SQL time p99 {f['sql_p99']} ms"
    )


queries = [{"q": case.query} for case in CASES]
# Warmed with one pass over every query: the steady state, where each product card shown was
# rendered once (the worst case, every card rendered in the request, is measured below).
times, sql = measure("/search/", queries, warm=len(queries))
label = f"search page, {len(times)} uncached requests ({len(CASES)} queries x {ROUNDS})"
report("search", label, times, sql)
for q, kinds in list(MANY.items())[:3]:
    print(f"  more than 12 queries for {q!r}: {kinds}")
if expire_cards is not None:
    # The worst case: no product card stored (after a cache flush or a deploy), so every card of
    # every page is rendered in the request. Above, a card is rendered once and then kept until
    # a write to its product (or to what every card shows) replaces it.
    times, sql = measure("/search/", queries, rounds=2, before_each=lambda: expire_cards(None))
    label = (
        "search page with every product card rendered in the request (the card cache emptied "
        f"before each), {len(times)} requests ({len(CASES)} queries x 2)"
    )
    report("search_cards_rendered", label, times, sql)
prefixes = [{"q": p} for case in CASES[::4] for p in typed(case.query)]
times, sql = measure("/search/suggesties/", prefixes)
label = f"suggestions, {len(times)} uncached requests ({len(prefixes)} prefixes x {ROUNDS})"
report("suggest", label, times, sql, digits=1, unit="request")
setup_test_environment()  # from here on responses carry their context (slower: not timed)
figures["examples"] = {}
for q in EXAMPLES:
    context = client.get("/search/", {"q": q}).context
    figures["examples"][q] = {
        "products": context["paginator"].count,
        "guides": len(context["guides"]),
        "faqs": len(context["faqs"]),
    }
figures["load_after"] = os.getloadavg()[0]
print(f"load after: {os.getloadavg()}")
if os.environ.get("PERF_OUT"):
    with open(os.environ["PERF_OUT"], "w") as out:
        json.dump(figures, out, indent=1)
if os.environ.get("PERF_BASELINE"):
    with open(os.environ["PERF_BASELINE"]) as baseline:
        before = json.load(baseline)
    print(
        "\nbefore -> after (ms; the same L database, one after the other; load "
        f"{before['load_before']:.1f}-{before['load_after']:.1f} -> "
        f"{figures['load_before']:.1f}-{figures['load_after']:.1f}):"
    )
    for kind in ("search", "suggest"):
        old, new = before[kind], figures[kind]
        print(
            f"  {kind:8} p99 {old['p99']:.0f} -> {new['p99']:.0f} (x{old['p99'] / new['p99']:.1f}), "
            f"p50 {old['p50']:.0f} -> {new['p50']:.0f}, SQL time p99 {old['sql_p99']:.0f} -> "
            f"{new['sql_p99']:.0f}, CPU p99 {old['cpu_p99']:.0f} -> {new['cpu_p99']:.0f}, "
            f"queries max {old['queries_max']} -> {new['queries_max']}"
        )
    print("  the issue's examples (products / guides / FAQs found):")
    for q in EXAMPLES:
        old, new = before["examples"].get(q, {}), figures["examples"][q]
        print(
            f"    {q!r:30} {old.get('products')}/{old.get('guides')}/{old.get('faqs')} -> "
            f"{new['products']}/{new['guides']}/{new['faqs']}"
        )
