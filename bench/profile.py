"""Profile one kind of request in-process: where the CPU of an add to basket (or a page) goes.

    python -m bench.profile --shop ours --db add_db_prof --page basket_add --visitor cookie
    python -m bench.profile --shop stock --db add_db_prof_stock --page basket_add --visitor customer

Runs the shop with the settings `make bench` serves it with (ours: DEBUG off, PostgreSQL, the
caches in Redis; stock: bench/stock_settings.py) on a catalogue database `bench.run` built, warms
the request up, then sends it --repeat times one after the other through Django's test Client,
under cProfile, and prints the CPU and wall time per request, the SQL per request and the
functions that took the most time. The database's own work is not in the CPU figure.
Everything is in-process: the test Client skips the WSGI server, so a request here costs a
little less than one served by gunicorn.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path

from bench.queries import VISITORS

VAR = Path(os.environ.get("BENCH_VAR", Path(__file__).resolve().parent.parent / "var" / "bench"))


def configure(shop: str, db: str, redis_url: str) -> None:
    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/").rsplit("/", 1)[0]
    if shop == "ours":
        os.environ.update(
            DJANGO_SETTINGS_MODULE="shop.settings",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="bench-" + "x" * 50,
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
            DJANGO_CONN_MAX_AGE="60",
            REDIS_URL=redis_url,
            DATABASE_URL=f"{server}/{db}",
            # bench.run's collected static files and media (the pages name hashed files).
            DJANGO_STATIC_ROOT=str(VAR / "static-ours"),
            DJANGO_MEDIA_ROOT=str(VAR / "media"),
        )
    else:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="bench.stock_settings", BENCH_STOCK_DB=f"{server}/{db}"
        )
    os.environ["PYTHONWARNINGS"] = "ignore"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shop", choices=["ours", "stock"], default="ours")
    parser.add_argument("--db", required=True, help="a catalogue database built by bench.run")
    parser.add_argument("--page", default="basket_add")
    parser.add_argument("--visitor", choices=VISITORS, default="cookie")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="tottime", choices=["tottime", "cumulative"])
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--no-profile", action="store_true", help="time only")
    args = parser.parse_args()
    configure(args.shop, args.db, args.redis)

    import django

    django.setup()
    from django.conf import settings
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.catalogue import prepare_for_load
    from bench.queries import clear_caches, customer, discover

    prepare_for_load()
    clear_caches()

    def client() -> Client:
        return Client(HTTP_HOST="127.0.0.1")

    paths = discover(client())
    path = paths[args.page]
    method = "post" if args.page == "basket_add" else "get"
    visitor = client()
    if args.visitor == "customer":
        visitor.force_login(customer())
    if args.visitor != "anon":
        visitor.post(paths["basket_add"], {"quantity": 1})
        if args.visitor == "cookie":
            assert settings.OSCAR_BASKET_COOKIE_OPEN in visitor.cookies

    kept = (
        ()
        if args.visitor == "anon"
        else (settings.SESSION_COOKIE_NAME, settings.OSCAR_BASKET_COOKIE_OPEN)
    )
    fixed = {name: visitor.cookies[name].value for name in kept if name in visitor.cookies}

    def one():
        # Every request sends the same cookies, as wrk does: an anonymous add is a new visitor
        # (a new basket) each time, and no message piles up. The same client throughout: a new
        # Client would start the middlewares anew.
        # What request_started does under gunicorn, which the test Client leaves out: with
        # CONN_HEALTH_CHECKS the request's first query is preceded by a `SELECT 1` (a round trip
        # that Django sends past its query log, so the counts below do not show it).
        close_old_connections()
        visitor.cookies = SimpleCookie()
        for name, value in fixed.items():
            visitor.cookies[name] = value
        response = getattr(visitor, method)(path, {"quantity": 1} if method == "post" else None)
        assert response.status_code in (200, 302), response.status_code
        return response

    for _ in range(20):
        one()
    with CaptureQueriesContext(connection) as ctx:
        one()
    health = " (and the health check's SELECT 1)" if connection.health_check_enabled else ""
    print(f"{args.shop} {args.page} {args.visitor}: {len(ctx.captured_queries)} queries{health}")
    for query in ctx.captured_queries:
        print(f"  {query['time']:>6} {query['sql'][:160]}")

    profiler = cProfile.Profile()
    started, cpu = time.perf_counter(), time.process_time()
    if not args.no_profile:
        profiler.enable()
    for _ in range(args.repeat):
        one()
    if not args.no_profile:
        profiler.disable()
    wall = (time.perf_counter() - started) * 1000 / args.repeat
    cpu_ms = (time.process_time() - cpu) * 1000 / args.repeat
    print(f"per request: {wall:.2f} ms wall, {cpu_ms:.2f} ms CPU (profiled: {not args.no_profile})")
    if not args.no_profile:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())
    sys.stdout.flush()


if __name__ == "__main__":
    main()
