"""Uncached search page and suggestion times on a large catalogue (issue 20): p50/p99 per request,
in-process (django.test.Client, no web server), the page cache off so every request searches.

Usage (a database holding bench's L catalogue, `python -m bench.catalogue ours --size L`):
    DATABASE_URL=postgres://…/search_db_l SHOP_PAGE_CACHE_SECONDS=0 DJANGO_DEBUG=1 \\
        DJANGO_ALLOWED_HOSTS=testserver python manage.py shell -c \\
        "exec(open('tests/search/perf_forgiving.py').read())"
PERF_ROUNDS repeats the query list (default 3).
"""

import os
import statistics
import time

from django.db import connection, reset_queries
from django.test import Client
from oscar.apps.catalogue.models import Product

from tests.search.relevance_set import CASES

ROUNDS = int(os.environ.get("PERF_ROUNDS", "3"))
client = Client()


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


CPU, SQL, MANY = [], [], {}


def measure(path, params_list):
    CPU.clear()
    SQL.clear()
    for params in params_list[:10]:
        client.get(path, params)  # warm templates, thumbnails, connection
    times, queries = [], []
    connection.force_debug_cursor = True
    for _ in range(ROUNDS):
        for params in params_list:
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


print(f"browsable products: {Product.objects.browsable().count()}; load: {os.getloadavg()}")
queries = [{"q": case.query} for case in CASES]
times, sql = measure("/search/", queries)
print(
    f"search page, {len(times)} uncached requests ({len(CASES)} queries x {ROUNDS}): "
    f"p50 {statistics.median(times):.0f} ms, p99 {percentile(times, 0.99):.0f} ms, "
    f"max {max(times):.0f} ms; SQL per page {min(sql)}-{max(sql)}; "
    f"process CPU p99 {percentile(CPU, 0.99):.0f} ms, SQL time p99 {percentile(SQL, 0.99):.0f} ms"
)
for q, kinds in list(MANY.items())[:3]:
    print(f"  more than 12 queries for {q!r}: {kinds}")
prefixes = [{"q": p} for case in CASES[::4] for p in typed(case.query)]
times, sql = measure("/search/suggesties/", prefixes)
print(
    f"suggestions, {len(times)} uncached requests ({len(prefixes)} prefixes x {ROUNDS}): "
    f"p50 {statistics.median(times):.1f} ms, p99 {percentile(times, 0.99):.1f} ms, "
    f"max {max(times):.1f} ms; SQL per request {min(sql)}-{max(sql)}; "
    f"process CPU p99 {percentile(CPU, 0.99):.1f} ms, SQL time p99 {percentile(SQL, 0.99):.1f} ms"
)
print(f"load after: {os.getloadavg()}")
