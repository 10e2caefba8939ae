"""`make scale-xl`: catalogue XL (50,000 products, 500 categories, 1,000 guides) against S.

    .venv/bin/python -m bench.xl                  # build what is missing, measure, print
    .venv/bin/python -m bench.xl measure --out f  # one catalogue (child process, its settings)
    .venv/bin/python -m bench.xl --search-only    # XL's uncached search only (no S, no cold SQL)

Catalogue XL is built once into `<prefix>_xl` (BENCH_DB_PREFIX, default "bench", as
bench.run) and reused while it exists (a build cut short leaves no database: it is built under
another name and renamed when done); S (`<prefix>_s`, the demo data) likewise. Both get the
current migrations and VACUUM (ANALYZE) on every run.

For each catalogue one child process with the production settings of `make bench` (Redis
caches, DEBUG off) prints:
* cold SQL per storefront page: every cache emptied before each request, after one discarded
  pass over all pages (thumbnails, the process's own memos);
* uncached search: the search page with the page cache off, each query once to warm up and then
  SEARCH_REPEATS times; p50/p99 over all timed requests, and whether each query's intended
  product is on the first results page (its rank).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import run
from bench.catalogue import BENCH_UPC

SIZES = ("S", "XL")
# Storefront pages in table order; the sitemap's sections are added by name (sitemap-<name>).
PAGES = [
    "home",
    "catalogue",
    "collection",
    "deep_category",
    "product",
    "product_variants",
    "guide",
    "guides",
    "faq",
    "search",
    "comparison",
    "basket",
    "legal",
    "sitemap",
]
SEARCH_REPEATS = int(os.environ.get("XL_SEARCH_REPEATS", "10"))
# Multi-word Dutch queries, each as typed right and with a typo in one word (every word in
# turn), with the product a customer means; and a few one-word queries.
SEARCHES = [
    ("magnesium", "MG-BIS-200"),
    ("glycinaat", "MG-GLY-150"),
    ("magnesuim", "MG-BIS-200"),
    ("magnesium threonaat", "MG-THR-144"),
    ("magnesuim threonaat", "MG-THR-144"),
    ("magnesium threonat", "MG-THR-144"),
    ("magnesiumcitraat poeder", "MG-CIT-PDR"),
    ("magnesiumcitrat poeder", "MG-CIT-PDR"),
    ("magnesiumcitraat poedr", "MG-CIT-PDR"),
    ("magnesiumchloride druppels", "MG-CHL-DRP"),
    ("magnesiumchloride drupels", "MG-CHL-DRP"),
    ("magnesium glycinaat gebufferd", "MG-GLY-150"),
    ("magnesium glycinat gebufferd", "MG-GLY-150"),
    ("magnesium glycinaat gebuferd", "MG-GLY-150"),
    ("malaat tabletten", "MG-MAL-SPORT"),
    ("malaat tablettten", "MG-MAL-SPORT"),
    ("olie spray huid", "MG-CHL-SPR"),
    ("olie sprey huid", "MG-CHL-SPR"),
    ("omega-3 visolie", "AAN-OMEGA3"),
    ("omega-3 visolei", "AAN-OMEGA3"),
    ("vitamine d3", "AAN-D3-25"),
    ("vitamne d3", "AAN-D3-25"),
]


def log(message: str) -> None:
    print(f"[scale-xl {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- the catalogues (parent process) --------------------------------------------------------


def ensure(size: str) -> float | None:
    """Build catalogue `size` into its database unless it exists; the build's seconds (None:
    reused). The schema is migrated and the statistics refreshed either way."""
    name = run.shop_database("ours", size)
    seconds = None
    if not run.database_exists(name):
        building = f"{name}_building"
        log(f"catalogue {size}: building {name} (once; reused while it exists)")
        started = time.perf_counter()
        run.recreate_database(building)
        env = run.shop_env("ours", size) | {"DATABASE_URL": run.db_url(building)}
        for args in (
            ["django", "migrate", "--noinput", "-v0"],
            ["bench.catalogue", "ours", "--size", size],
        ):
            child(args, env, size)
        rename(building, name)
        seconds = time.perf_counter() - started
        log(f"catalogue {size}: built in {seconds:.0f} s")
    else:
        log(f"catalogue {size}: reusing {name}")
    run.manage("ours", size, "migrate", "--noinput", "-v0")
    run.vacuum(name)
    return seconds


def child(args: list[str], env: dict, size: str) -> str:
    """`python -m <args>` in `env`; stderr to the catalogue's log file."""
    logfile = run.VAR / "logs" / f"xl-{size}.log"
    logfile.parent.mkdir(parents=True, exist_ok=True)
    with logfile.open("a") as err:
        done = subprocess.run(
            [run.PY, "-m", *args],
            cwd=run.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
    if done.returncode:
        raise SystemExit(f"python -m {' '.join(args)} failed ({size}); see {logfile}")
    return done.stdout


def rename(old: str, new: str) -> None:
    import psycopg

    with psycopg.connect(run.db_url("postgres"), autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{old}" RENAME TO "{new}"')


def measure(size: str, *, search: bool = True, pages: bool = True) -> dict:
    """Cold SQL per page (unless `pages` is off) and the search figures (unless `search` is
    off) of one catalogue, in a child process."""
    out = run.VAR / f"xl-{size.lower()}.json"
    env = run.shop_env("ours", size) | {"SHOP_PAGE_CACHE_SECONDS": "600"}
    flags = [*([] if search else ["--no-search"]), *([] if pages else ["--no-pages"])]
    child(["bench.xl", "measure", "--out", str(out), *flags], env, size)
    return json.loads(out.read_text())


def collect(*, search: bool = True) -> dict:
    """Build (or reuse) S and XL and measure both: {"built": …, "S": …, "XL": …}."""
    run.VAR.mkdir(parents=True, exist_ok=True)
    built = {size: ensure(size) for size in SIZES}
    log("collectstatic")
    run.manage("ours", "S", "collectstatic", "--noinput", "-v0")
    result = {"built": built}
    for size in SIZES:
        log(f"catalogue {size}: measuring")
        result[size] = measure(size, search=search)
    return result


# --- one catalogue (child process, Django set up) -------------------------------------------


def discover(client) -> dict[str, str]:
    """The path of every page on this catalogue."""
    from django.apps import apps
    from django.urls import reverse
    from oscar.apps.catalogue.models import Category, Product

    from features.seo.sitemaps import SITEMAPS

    product = Product.objects.get(upc=BENCH_UPC)
    parent = Product.objects.filter(structure=Product.PARENT, is_public=True).order_by("upc")[0]
    # The deepest category that lists products (four levels on XL, two on S).
    deep = (
        Category.objects.browsable()
        .filter(product__isnull=False)
        .order_by("-depth", "path")
        .first()
    )
    article = (
        apps.get_model("content", "Article")
        .objects.published()
        .filter(products=product)
        .order_by("pk")
        .first()
    )
    paths = {
        "home": "/",
        "catalogue": reverse("catalogue:index"),
        "collection": Category.objects.get(slug="magnesium", depth=1).get_absolute_url(),
        "deep_category": deep.get_absolute_url(),
        "product": product.get_absolute_url(),
        "product_variants": parent.get_absolute_url(),
        "guide": article.get_absolute_url(),
        "guides": reverse("content:article-list"),
        "faq": reverse("content:faq-list"),
        "search": reverse("search:search") + "?q=magnesium",
        "comparison": reverse("shop:form-comparison"),
        "basket": reverse("basket:summary"),
        "legal": "/verzending-en-retour/",
        "sitemap": reverse("sitemap-index"),
    }
    for section in SITEMAPS:
        paths[f"sitemap-{section}"] = reverse("sitemap-section", kwargs={"section": section})
    assert client.get(paths["home"]).status_code == 200
    return paths


def cold_counts(paths: dict[str, str]) -> dict[str, dict]:
    """Each page's SQL on an empty cache (the basket page with a basket holding a product)."""
    from django.test import Client

    from bench.queries import clear_caches, hit

    anonymous, shopper = (
        Client(HTTP_HOST="127.0.0.1", raise_request_exception=False),
        Client(HTTP_HOST="127.0.0.1", raise_request_exception=False),
    )
    product_pk = _product_pk()
    added = shopper.post(f"/basket/add/{product_pk}/", {"quantity": 1})
    if added.status_code != 302:
        raise RuntimeError(f"add to basket answered {added.status_code}")
    clients = {page: shopper if page == "basket" else anonymous for page in paths}
    clear_caches()
    for page, path in paths.items():  # discarded: thumbnails, templates, per-process memos
        clients[page].get(path)
    out = {}
    for page, path in paths.items():
        clear_caches()
        found = hit(clients[page], "GET", path)
        out[page] = {
            "path": path,
            "status": found["status"],
            "queries": found["queries"],
            "bytes": found["bytes"],
            "ms": found["ms"],
            "sql": found["sql"],
        }
    return out


def start_as_a_server() -> None:
    """Set Django up in this process as it is in each of the shop's gunicorn workers: through
    shop.wsgi, which loads the URLconf and freezes what start-up made (gc.freeze), so the
    garbage collector's full passes leave it alone. Set up with django.setup() alone, a full
    pass over that heap (about 90 ms in the XL measuring process) fell on one timed search in
    60-70, a cost no worker of the shop pays."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    importlib.import_module("shop.wsgi")


def _product_pk() -> int:
    from oscar.apps.catalogue.models import Product

    return Product.objects.get(upc=BENCH_UPC).pk


@contextlib.contextmanager
def uninstrumented():
    """Template renders as a server does them, for the timed requests: measure_here's
    setup_test_environment() makes every render copy its context into the response (Django's
    test instrumentation, which gunicorn never runs); it costs a search page some milliseconds
    (XL_INSTRUMENTED=1 keeps it, as the figures before 2026-12-01 were measured)."""
    from django.test.utils import setup_test_environment, teardown_test_environment

    if os.environ.get("XL_INSTRUMENTED") == "1":
        yield
        return
    teardown_test_environment()
    try:
        yield
    finally:
        setup_test_environment()


class Statements:
    """The SQL statements of the timed requests, counted and timed through Django's
    execute_wrapper hook. Not CaptureQueriesContext: its debug cursor formats every statement
    with its parameters (psycopg's mogrify, milliseconds for a search's tsqueries), work no
    server does."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


def search_figures() -> dict:
    """Uncached search page times and each query's intended product's rank (page one)."""
    from django.db import connection
    from django.test import Client, override_settings

    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    times, rows = [], []
    with override_settings(SHOP_PAGE_CACHE_SECONDS=0):
        for q, upc in SEARCHES:
            # Untimed, with the template context (the results).
            response = client.get("/search/", {"q": q})
            upcs = [p.upc for p in response.context["products"]]
            own = []
            with uninstrumented():
                for _ in range(SEARCH_REPEATS):
                    statements = Statements()
                    with connection.execute_wrapper(statements):
                        started = time.perf_counter()
                        client.get("/search/", {"q": q})
                        own.append((time.perf_counter() - started) * 1000)
            times += own
            rows.append(
                {
                    "q": q,
                    "upc": upc,
                    "status": response.status_code,
                    "hits": response.context["paginator"].count,
                    # The page shows the best hits and says "meer dan …" when there are more.
                    "capped": bool(response.context.get("capped")),
                    "rank": upcs.index(upc) + 1 if upc in upcs else None,
                    "median_ms": round(statistics.median(own), 1),
                    "max_ms": round(max(own), 1),
                    "sql_ms": round(statements.seconds * 1000, 1),
                    "queries": statements.count,
                }
            )
    return {
        "rows": rows,
        "requests": len(times),
        "p50_ms": round(percentile(times, 50), 1),
        "p99_ms": round(percentile(times, 99), 1),
    }


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile (p99 of 220 requests: the 218th fastest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def measure_here(*, search: bool = True, pages: bool = True) -> dict:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from bench.catalogue import counts

    setup_test_environment()  # responses carry their template context (the search results)
    paths = discover(Client(HTTP_HOST="127.0.0.1", raise_request_exception=False))
    figures = search_figures() if search else None
    return {
        "counts": counts(),
        "pages": cold_counts(paths) if pages else {},
        "search": figures,
    }


def search_only() -> str:
    """Build (or reuse) XL and measure its uncached search alone: the search table of the
    report for XL, without S and without the cold SQL per page (a search change's loop)."""
    run.VAR.mkdir(parents=True, exist_ok=True)
    ensure("XL")
    log("collectstatic")
    run.manage("ours", "XL", "collectstatic", "--noinput", "-v0")
    log("catalogue XL: measuring search only")
    large = measure("XL", pages=False)["search"]
    lines = search_report(None, large)
    return "\n".join(["# Catalogue XL: uncached search only", *lines]) + "\n"


# --- the report -----------------------------------------------------------------------------


def differences(result: dict) -> list[str]:
    """Pages whose cold SQL grows from S to XL, or that did not answer 200 (a page may cost
    less on XL when S shows something XL does not, tests/bench/test_scale_xl.py)."""
    small, large = result["S"]["pages"], result["XL"]["pages"]
    out = []
    for page in large:
        if page not in small:
            out.append(f"{page}: not on S")
        elif large[page]["status"] != 200 or small[page]["status"] != 200:
            out.append(f"{page}: status {small[page]['status']} (S), {large[page]['status']} (XL)")
        elif large[page]["queries"] > small[page]["queries"]:
            out.append(f"{page}: {small[page]['queries']} (S) vs {large[page]['queries']} (XL)")
    return out


def report(result: dict) -> str:
    small, large = result["S"], result["XL"]
    built = result["built"]["XL"]
    lines = [
        "# Catalogue XL against S (cold SQL per page, uncached search)",
        "",
        "S: " + ", ".join(f"{v:,} {k}" for k, v in small["counts"].items()),
        "XL: " + ", ".join(f"{v:,} {k}" for k, v in large["counts"].items()),
        "XL build: " + (f"{built:.0f} s (migrate + build + search index)" if built else "reused"),
        "",
        "| page | path (XL) | SQL cold S | SQL cold XL | difference | HTML XL | ms cold XL |",
        "|---|---|--:|--:|--:|--:|--:|",
    ]
    for page, row in large["pages"].items():
        s = small["pages"].get(page, {})
        diff = row["queries"] - s.get("queries", 0)
        status = "" if row["status"] == 200 else f" (status {row['status']})"
        lines.append(
            f"| {page} | `{row['path']}` | {s.get('queries', '-')} | {row['queries']}{status} "
            f"| {diff:+d} | {row['bytes']:,} B | {row['ms']:,.0f} |"
        )
    if small["search"] and large["search"]:
        lines += search_report(small["search"], large["search"])
    diffs = differences(result)
    lines.append(
        "\nCold SQL on XL no more than on S on every page"
        if not diffs
        else "\nCold SQL grows with the catalogue: " + "; ".join(diffs)
    )
    return "\n".join(lines) + "\n"


def search_report(small: dict | None, large: dict) -> list[str]:
    lines = [
        "",
        f"Uncached search ({SEARCH_REPEATS} timed requests per query, page cache off, in-process):",
        "",
        "| query | meant | S rank | XL rank | XL hits | XL median ms | XL SQL ms | XL queries |",
        "|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    by_q = {row["q"]: row for row in small["rows"]} if small else {}
    for row in large["rows"]:
        s = by_q.get(row["q"], {"rank": "-"})
        hits = f"more than {row['hits']:,}" if row.get("capped") else f"{row['hits']:,}"
        lines.append(
            f"| {row['q']} | {row['upc']} | {s['rank'] or 'not found'} "
            f"| {row['rank'] or 'not found'} | {hits} | {row['median_ms']} "
            f"| {row['sql_ms']} | {row['queries']} |"
        )
    for size, figures in (("S", small), ("XL", large)):
        if figures is None:
            continue
        found = sum(1 for row in figures["rows"] if row["rank"])
        lines.append(
            f"\n{size}: search p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms over "
            f"{figures['requests']} requests; intended product on page one for {found} of "
            f"{len(figures['rows'])} queries"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd")
    measure_cmd = sub.add_parser("measure", help="measure the catalogue of DATABASE_URL")
    measure_cmd.add_argument("--out", required=True)
    measure_cmd.add_argument("--no-search", action="store_true", help="cold SQL per page only")
    measure_cmd.add_argument("--no-pages", action="store_true", help="search figures only")
    parser.add_argument("--no-search", action="store_true", help="cold SQL per page only")
    parser.add_argument("--search-only", action="store_true", help="XL's uncached search only")
    args = parser.parse_args(argv)
    if args.cmd == "measure":
        start_as_a_server()
        found = measure_here(search=not args.no_search, pages=not args.no_pages)
        Path(args.out).write_text(json.dumps(found, indent=1), encoding="utf-8")
        return
    if args.search_only:
        text = search_only()
        (run.VAR / "xl-search.md").write_text(text, encoding="utf-8")
        print(text)
        return
    result = collect(search=not args.no_search)
    text = report(result)
    (run.VAR / "xl-report.md").write_text(text, encoding="utf-8")
    print(text)
    sys.exit(1 if differences(result) else 0)


if __name__ == "__main__":
    main()
