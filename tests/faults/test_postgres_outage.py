"""PostgreSQL stopped for 10 s while visitors browse and check out (`make faults`).

A throwaway PostgreSQL 15 cluster (initdb/pg_ctl, its own port) holds the demo shop; the shop runs
under gunicorn with production settings. Four visitors browse and check out without pause; the
cluster is stopped (`pg_ctl stop -m fast`, FAULTS_STOP_MODE=immediate for a crash) for
FAULTS_OUTAGE_SECONDS, started again, and the visitors go on. Measured and asserted:

- every answer during the outage is the branded 503 page or a page that needs no database (the
  shared page cache), never a 500, never a hang over HANG_SECONDS;
- the first answer from the database comes at most RECOVERY_SECONDS after the cluster is back;
- no order without lines, and no error after that first answer.

Five to eight minutes on two cores (migrate and collectstatic of the fresh database take most),
so not part of `make test` (its addopts deselect -m faults): `make faults` runs it.
"""

from __future__ import annotations

import os
import threading
import time

import pytest
from django.urls import reverse

from tests.factories import ADDRESS
from tests.faults import load
from tests.faults.servers import (
    PG_BIN,
    Gunicorn,
    PostgresCluster,
    manage,
    manage_in_background,
    shop_env,
)

pytestmark = pytest.mark.faults

OUTAGE_SECONDS = float(os.environ.get("FAULTS_OUTAGE_SECONDS", "10"))
STOP_MODE = os.environ.get("FAULTS_STOP_MODE", "fast")
WARM_SECONDS = 8
AFTER_SECONDS = 20
HANG_SECONDS = 3.0
RECOVERY_SECONDS = 5.0
DATABASE = "shop_faults"
# Every checkout buys one unit of one product.
ORDERS_NOT_ONE_LINE_OF_ONE = (
    "SELECT count(*) FROM order_order o WHERE (SELECT count(*) FROM order_line l"
    " WHERE l.order_id = o.id) <> 1 OR (SELECT sum(quantity) FROM order_line l"
    " WHERE l.order_id = o.id) IS DISTINCT FROM 1"
)
ORDERS_WITHOUT_LINES = (
    "SELECT count(*) FROM order_order o"
    " WHERE NOT EXISTS (SELECT 1 FROM order_line l WHERE l.order_id = o.id)"
)


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """The cluster with the demo shop's database, and gunicorn on it; both stopped at the end,
    also when the set-up fails."""
    if not (PG_BIN / "initdb").exists():
        pytest.fail(f"no PostgreSQL binaries in {PG_BIN}: apt-get install postgresql-15")
    var = tmp_path_factory.mktemp("faults")
    cluster = PostgresCluster()
    server = static = None
    try:
        cluster.init().start()
        cluster.create_database(DATABASE)
        env = shop_env(cluster.url(DATABASE), var)
        began = time.monotonic()
        # Hashing and compressing the static files (WhiteNoise) needs no database: alongside.
        static = manage_in_background(env, "collectstatic", "--noinput", "-v0")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_demo", "-v0")
        static.wait()
        print(f"\nset-up (migrate, load_demo, collectstatic): {time.monotonic() - began:.0f} s")
        # Enough stock for every order of the run (the demo has a few units per product).
        cluster.query(DATABASE, "UPDATE partner_stockrecord SET num_in_stock = 100000 RETURNING 1")
        server = Gunicorn(env, var / "gunicorn.log").start()
        yield cluster, server
    finally:
        if static is not None:
            static.stop()
        if server is not None:
            server.stop()
        cluster.remove()


def shop_urls(cluster) -> tuple[list[str], dict[str, str], int]:
    products = cluster.query(
        DATABASE,
        "SELECT p.id, p.slug FROM catalogue_product p"
        " JOIN partner_stockrecord s ON s.product_id = p.id"
        " WHERE p.is_public AND p.structure = 'standalone' ORDER BY p.id",
    )
    assert products, "the demo data has no product to buy"
    pages = [
        reverse("catalogue:index"),
        "/kennisbank/",
        reverse("search:search") + "?q=magnesium",
    ]
    pages += [
        reverse("catalogue:detail", kwargs={"product_slug": slug, "pk": pk})
        for pk, slug in products[:4]
    ]
    checkout = {
        "add": reverse("basket:add", kwargs={"pk": 0}).replace("/0/", "/{pk}/"),
        "gateway": reverse("checkout:index"),
        "address": reverse("checkout:shipping-address"),
        "shipping": reverse("checkout:shipping-method"),
        "payment": reverse("checkout:payment-method"),
        "preview": reverse("checkout:preview"),
        "thank_you": reverse("checkout:thank-you"),
    }
    return pages, checkout, products[0][0]


def test_postgres_outage_answers_503_recovers_and_loses_no_order_line(shop):
    cluster, server = shop
    pages, checkout_urls, product = shop_urls(cluster)

    # Before anything fails: every page answers 200 (a few times, so each worker has loaded it;
    # the first render of a page makes its thumbnails) and one checkout goes through.
    warm = load.Recorder()
    visitor = load.Visitor(server.url, warm, "warm-up")
    for page in pages * 3:
        assert visitor.request("GET", page, timeout=120).status == 200, warm.answers[-1]
    one = threading.Thread(
        target=load.checkout,
        args=(server.url, warm, checkout_urls, ADDRESS, "warm-up", product),
    )
    one.start()
    began = time.monotonic()
    while not warm.placed and time.monotonic() - began < 180:
        time.sleep(0.1)
    warm.stop.set()
    one.join(30)
    assert warm.placed, warm.answers[-8:]

    recorder = load.Recorder()
    visitors = [
        threading.Thread(target=load.browse, args=(server.url, recorder, pages, "browse", False)),
        threading.Thread(
            target=load.browse, args=(server.url, recorder, pages, "browse-session", True)
        ),
        *(
            threading.Thread(
                target=load.checkout,
                args=(server.url, recorder, checkout_urls, ADDRESS, f"checkout-{n}", product),
            )
            for n in (1, 2)
        ),
    ]
    try:
        for thread in visitors:
            thread.start()
        time.sleep(WARM_SECONDS)
        stop_called = time.monotonic()
        cluster.stop(STOP_MODE)
        stopped = time.monotonic()
        time.sleep(max(0.0, stopped + OUTAGE_SECONDS - time.monotonic()))
        start_called = time.monotonic()
        cluster.start()
        back = time.monotonic()
        time.sleep(AFTER_SECONDS)
    finally:
        recorder.stop.set()
        for thread in visitors:
            thread.join(load.TIMEOUT + 5)

    answers = sorted(recorder.answers, key=lambda a: a.start)
    before = [a for a in answers if a.end < stop_called]
    during = [a for a in answers if a.end >= stop_called and a.start <= back]
    branded = [a for a in during if a.branded_503]
    cached = [a for a in during if a.status == 200 and a.cached]
    finished = [a for a in during if a.status and a.status < 400 and not a.cached]
    wrong = [a for a in during if not (a.branded_503 or (a.status and a.status < 400))]
    hangs = [a for a in during if a.seconds > HANG_SECONDS]
    from_db = [a for a in answers if a.start >= back and a.status == 200 and not a.cached]
    assert from_db, "no answer from the database after the cluster came back"
    recovered = from_db[0].end
    after = [a for a in answers if a.start >= recovered]
    errors_after = [a for a in after if a.status is None or a.status >= 400]
    errors_before = [a for a in before if a.status is None or a.status >= 400]
    in_flight = [
        a
        for a in answers
        if a.method == "POST"
        and a.path == checkout_urls["preview"]
        and a.start <= back
        and a.end >= stop_called
    ]
    orders = cluster.query(DATABASE, "SELECT count(*) FROM order_order")[0][0]
    orders_without_lines = cluster.query(DATABASE, ORDERS_WITHOUT_LINES)[0][0]
    orders_not_whole = cluster.query(DATABASE, ORDERS_NOT_ONE_LINE_OF_ONE)[0][0]
    confirmed = len(recorder.placed) + len(warm.placed)
    placed_after = [t for t, _flow in recorder.placed if t >= recovered]

    figures = {
        "stop mode": STOP_MODE,
        "pg_ctl stop took (s)": round(stopped - stop_called, 2),
        "database down (s)": round(start_called - stopped, 2),
        "pg_ctl start -w took (s)": round(back - start_called, 2),
        "answers before the outage": len(before),
        "errors before the outage": len(errors_before),
        "answers during the outage": len(during),
        "  branded 503 (Retry-After)": len(branded),
        "  200 from the page cache": len(cached),
        "  other answers < 400 (in flight at the stop, or as it came up)": len(finished),
        "  anything else (500, other 5xx/4xx, no answer)": len(wrong),
        f"  slower than {HANG_SECONDS:g} s": len(hangs),
        "slowest answer during the outage (s)": round(max(a.seconds for a in during), 3),
        "place-order posts during the outage": len(in_flight),
        "from database back to first 200 from the database (s)": round(recovered - back, 3),
        "answers after recovery": len(after),
        "errors after recovery": len(errors_after),
        "orders confirmed to visitors (warm-up included)": confirmed,
        "orders confirmed after recovery": len(placed_after),
        "orders in the database": orders,
        "  placed, but the visitor got the 503 page": orders - confirmed,
        "orders without lines": orders_without_lines,
        "orders not of exactly one line of one unit": orders_not_whole,
    }
    width = max(map(len, figures))
    print("\nPostgreSQL outage under load (tests/faults/test_postgres_outage.py):")
    for name, value in figures.items():
        print(f"  {name:<{width}}  {value}")
    for label, bad in (("wrong", wrong), ("hangs", hangs), ("errors after", errors_after)):
        for answer in bad[:5]:
            print(f"  {label}: {answer}")

    assert branded, "the outage produced no 503: it did not reach the shop"
    assert wrong == [] and hangs == []
    assert recovered - back <= RECOVERY_SECONDS
    assert errors_before == [] and errors_after == []
    assert orders_without_lines == 0
    assert placed_after, "no checkout completed after recovery"
    assert orders_not_whole == 0
    assert orders >= confirmed
