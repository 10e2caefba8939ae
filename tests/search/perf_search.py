"""Search page cost on a large catalogue: queries per request and median server time.

Usage (a database holding bench's L catalogue, 5,000 products; PERF_REPEATS / PERF_QUERIES
(comma-separated) shorten a run):
    DATABASE_URL=postgres://…/shop_h6_perf DJANGO_SETTINGS_MODULE=tests.settings \\
        python manage.py shell -c "exec(open('tests/search/perf_search.py').read())"
"""

import os
import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from oscar.apps.catalogue.models import Product

QUERIES = ["magnesium slapen", "glycinaat", "magnesuim", "threonaat geheugen", "kramp", "citraat"]
QUERIES = (
    os.environ.get("PERF_QUERIES", "").split(",") if os.environ.get("PERF_QUERIES") else QUERIES
)
REPEATS = int(os.environ.get("PERF_REPEATS", "15"))
setup_test_environment()  # so responses carry their template context
client = Client()
print(f"browsable products: {Product.objects.browsable().count()}")
for q in QUERIES:
    client.get("/search/", {"q": q})  # warm caches (thumbnails, templates)
    times, sql = [], []
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get("/search/", {"q": q})
            times.append((time.perf_counter() - start) * 1000)
        # Database time alone: less at the mercy of other processes on a shared machine.
        sql.append(sum(float(query["time"]) for query in ctx.captured_queries) * 1000)
    hits = response.context["paginator"].count
    print(
        f"{q!r}: {hits} product hits, {len(ctx)} queries, median {statistics.median(times):.0f} ms"
        f" (SQL {statistics.median(sql):.0f} ms)"
    )
