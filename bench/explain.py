"""EXPLAIN every SELECT the storefront pages make, on catalogue L (issue 8). See bench/EXPLAIN.md.

    make explain      # = python -m bench.explain --size L --out bench/results/explain.md
    python -m bench.explain --out FILE [--json FILE] [--as-is]   # settings from the environment

In-process, like bench/queries.py: Django's test Client requests every storefront page once as
an anonymous visitor and once with a basket cookie, each time right after every cache is emptied, so
the page, fragment, listing and basket-summary caches are all empty and every query the page
can make is captured (CaptureQueriesContext). Each distinct SELECT of a page (literals
normalised away) is then run again as `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)`, replayed in the
page's order inside one transaction that is rolled back.

The captured SQL is the statement as sent: Django's psycopg 3 backend uses client-side binding
and `last_executed_query` returns psycopg's merged query, so it can be re-run without parameters.
(With `server_side_binding` on it would hold `$1` placeholders; the script stops on that.)

A plan is flagged when it has a Seq Scan on a table of more than 1,000 rows or a Sort of more
than 1,000 rows. What was decided about each flagged lookup lives in REVIEWED below, so the
report stays right when the script is re-run on changed code: a flag that matches no entry is
reported as "not reviewed".

Before the requests, tables autovacuum would have processed by now get `VACUUM (ANALYZE)`
(this machine's PostgreSQL runs with autovacuum off); --as-is skips that. Page views write
what they write in production (the add-to-basket POST creates baskets and lines).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from bench.run import PRODUCTION_SETTINGS

LARGE_TABLE = 1000  # rows: a Seq Scan over more, or a Sort of more, is flagged
REPEATS = 3  # EXPLAIN ANALYZE runs per statement after one warm-up; the median time is reported

# Storefront pages, in report order: (name, method). Paths come from discover().
PAGES = [
    ("home", "GET"),
    ("collection", "GET"),
    ("product", "GET"),
    ("guide", "GET"),
    ("faq", "GET"),
    ("comparison", "GET"),
    ("search", "GET"),
    ("search_glycinaat", "GET"),
    ("basket", "GET"),
    ("basket_add", "POST"),
]


@dataclass
class Review:
    """The decision about a flagged lookup: matched on its normalised SQL and on what was
    flagged (a table's name for a Seq Scan, "sort" for a Sort). The first match wins."""

    pattern: str  # regular expression searched in the normalised statement
    targets: tuple[str, ...]  # flagged relations (Seq Scan) and/or "sort"
    verdict: str
    index: str = ""  # the index added for it, if any

    def matches(self, normalised: str, flag: Flag) -> bool:
        target = flag.relation if flag.kind == "Seq Scan" else "sort"
        return target in self.targets and re.search(self.pattern, normalised, re.S) is not None


# Indexes added for flagged lookups: the report shows which statements of the run use each one.
ADDED_INDEXES = {
    "shop_product_browse_popular": "shop 0006: catalogue_product (rating DESC, title, id) "
    "WHERE is_public AND parent_id IS NULL",
    "shop_productcategory_category_product": "shop 0006: catalogue_productcategory "
    "(category_id, product_id)",
}

# The decisions taken on catalogue L (bench/EXPLAIN.md has the before/after figures). A flag no
# entry matches is reported as "not reviewed": look at it, then add an entry here.
_LISTING_POPULAR = (
    r'^SELECT "catalogue_product"\."id" AS "pk" FROM "catalogue_product" WHERE '
    r'\("catalogue_product"\."is_public" AND "catalogue_product"\."parent_id" IS NULL'
)
_POPULAR_ORDER = r'ORDER BY "catalogue_product"\."rating" DESC, "catalogue_product"\."title" ASC'
_SEARCH_HITS = r'IN \(SELECT U0\."id" AS "pk" FROM "catalogue_product" U0 WHERE U0\."id" IN'
REVIEWED: list[Review] = [
    Review(
        _LISTING_POPULAR + r"\) " + _POPULAR_ORDER,
        ("catalogue_product", "sort"),
        "Added for this (home: ids of all browsable products in the default order). Served by "
        "an Index Only Scan without Sort once the table is vacuumed (5.7 -> 0.5 ms on L). Still "
        "flagged means the index is not used: table never vacuumed (--as-is), or the ORDER BY "
        "no longer matches the index.",
        index="shop_product_browse_popular",
    ),
    Review(
        _LISTING_POPULAR + r' AND .*"catalogue_productcategory" V0 .*' + _POPULAR_ORDER,
        ("catalogue_product", "catalogue_productcategory"),
        "Added for this (collection: ids of the products in a category subtree, default "
        "order): Index Only Scans of both tables instead of Seq Scans (2.7 -> 1.2 ms on L). "
        "Still flagged means an index is not used (see the home row).",
        index="shop_product_browse_popular + shop_productcategory_category_product",
    ),
    Review(
        _LISTING_POPULAR + r' AND .*"catalogue_productcategory" V0 .*' + _POPULAR_ORDER,
        ("sort",),
        "Left: the subtree's ids (1,125 on L) come out of a hash semi join and are sorted "
        "again, about 0.2 ms; a plan that keeps the index order costs the planner more.",
    ),
    Review(
        r'^SELECT "catalogue_product"\."id", .*EXISTS\(SELECT \? AS "a" FROM '
        r'"catalogue_productattributevalue"',
        ("sort",),
        "The page's order: the form comparison lists every browsable product with a magnesium "
        "form (1,124 on L) by title, sorted in memory. It filters with Exists() now; the join "
        "it had needed a DISTINCT that sorted the rows on all 44 selected columns (4.9 ms then, "
        "5.1 ms now: reading the rows is the cost, not the sort). The guides it links are read "
        "with Exists() as well: 6.0 -> 0.5 ms. The page is cached whole for anonymous visitors.",
    ),
    Review(
        r'FROM "partner_stockrecord" WHERE "partner_stockrecord"\."product_id" IN \(…\)$',
        ("partner_stockrecord",),
        "Seq Scan is right when the id list is a large share of the table (the comparison's "
        "1,124 products: 22%): forced Index Scan 0.9 ms vs 0.57 ms. The cards' 24-id prefetches "
        "use partner_stockrecord_product_id (a Seq Scan only before the table was analysed).",
    ),
    Review(
        r"",
        ("catalogue_productattributevalue_value_multi_option",),
        "Small table (1,128 rows, 7 pages), just over the threshold; Oscar's index on "
        "productattributevalue_id exists and the planner reads the 7 pages instead (forced "
        "index: 0.47 vs 0.64 ms for the comparison's 10,124 ids, equal for search facets). No "
        "new index.",
    ),
    Review(
        r"",
        ("content_articleproduct",),
        "Small table (1,009 link rows) read for 40-100% of its rows (the comparison's 1,124 "
        "products, all 200 guides); the (article, product) and product indexes exist, forced "
        "index plans were no faster when measured (0.51 vs 0.41 ms). No new index.",
    ),
    Review(
        r'FROM "content_articleproduct" WHERE "content_articleproduct"\."article_id" IN',
        ("sort",),
        "Sorting all 1,009 link rows by position: about 0.1 ms. Left.",
    ),
    Review(
        r'"shop_productsearchdocument"\."document" @@',
        ("shop_productsearchdocument", "catalogue_product", "sort"),
        "Not an index matter: 'magnesium' matches 4,997 of 5,000 documents, so every row is "
        "read and ranked (ts_rank per hit is most of the ~30 ms; forced index plan no faster). "
        "A selective term (glycinaat) uses the GIN indexes (BitmapOr of shop_psd_document_gin "
        "and shop_psd_title_trgm, ~3 ms) under the search's SET LOCAL random_page_cost.",
    ),
    Review(
        _SEARCH_HITS + r'.*ORDER BY "catalogue_product"\."date_created" DESC$',
        ("sort",),
        "Not an index matter: the price facet keeps Product's default ordering "
        "(date_created DESC), a Sort of every hit (4,997 for 'magnesium') it does not need; "
        ".order_by() in the facet query drops it (code, for the search's owner).",
    ),
    Review(
        _SEARCH_HITS,
        (
            "catalogue_product",
            "shop_productsearchdocument",
            "catalogue_productcategory",
            "sort",
        ),
        "Search facets over the hits: for 'magnesium' that is 4,997 of 5,000 products, so a "
        "facet reads whole tables and hashes them; forced index plans measured slower "
        "(in-stock count 6.2 vs 5.2 ms, category facet 7.9 vs 6.5 ms, forms 4.9 vs 3.7 ms). "
        "For glycinaat's 162 hits the same statements use the primary keys. The Sorts are the "
        "GROUP BY of COUNT(DISTINCT). No index.",
    ),
]


@dataclass
class Flag:
    kind: str  # "Seq Scan" or "Sort"
    relation: str  # table name for a Seq Scan, sort key for a Sort
    rows: int  # table rows (Seq Scan) or sorted rows (Sort)
    detail: str = ""


@dataclass
class Explained:
    sql: str
    normalised: str
    ms: float  # median execution time
    planning_ms: float
    nodes: list[str]
    flags: list[Flag]
    shared_hit: int = 0
    shared_read: int = 0
    error: str = ""
    pages: list[str] = field(default_factory=list)


# --- statements ------------------------------------------------------------------------------

_STRING = re.compile(r"'(?:[^']|'')*'")
_NUMBER = re.compile(r"(?<![\w\"$])-?\d+(?:\.\d+)?(?![\w\"])")
_IN_LIST = re.compile(r"\((?:\s*\?\s*,)+\s*\?\s*\)")


def normalise(sql: str) -> str:
    """The statement with its literals replaced by ?, IN lists collapsed and spaces squeezed."""
    out = _STRING.sub("?", sql)
    out = _NUMBER.sub("?", out)
    out = _IN_LIST.sub("(…)", out)
    return re.sub(r"\s+", " ", out).strip()


def is_select(sql: str) -> bool:
    head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    return head in ("SELECT", "WITH") and not re.search(
        r"\b(INSERT|UPDATE|DELETE)\b\s", sql.upper().split("SELECT", 1)[0]
    )


def shorten(sql: str, width: int = 150) -> str:
    """A readable one-liner: the column list collapsed, then cut to width."""
    text = re.sub(r"\s+", " ", sql).strip()
    text = re.sub(r"^SELECT (DISTINCT )?.*? FROM ", r"SELECT \1… FROM ", text, count=1)
    text = text.replace('"', "")
    return text if len(text) <= width else text[: width - 1] + "…"


# --- plans -----------------------------------------------------------------------------------


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def walk(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from walk(child)


def table_rows(cursor, relation: str, cache: dict[str, int]) -> int:
    if relation not in cache:
        cursor.execute(f'SELECT count(*) FROM "{relation}"')  # noqa: S608 (name from the plan)
        cache[relation] = cursor.fetchone()[0]
    return cache[relation]


def flags_of(plan: dict, cursor, sizes: dict[str, int]) -> list[Flag]:
    found = []
    for node in walk(plan):
        kind = node["Node Type"]
        if kind == "Seq Scan":
            relation = node["Relation Name"]
            rows = table_rows(cursor, relation, sizes)
            if rows > LARGE_TABLE:
                found.append(
                    Flag(
                        "Seq Scan",
                        relation,
                        rows,
                        f"{node.get('Actual Rows', 0)} of {rows:,} rows kept"
                        + (f", filter {clip(node['Filter'], 90)}" if node.get("Filter") else ""),
                    )
                )
        elif kind in ("Sort", "Incremental Sort"):
            rows = int(node.get("Actual Rows", 0)) * max(1, int(node.get("Actual Loops", 1)))
            if rows > LARGE_TABLE:
                keys = clip(", ".join(node.get("Sort Key", [])), 90)
                found.append(Flag("Sort", keys, rows, f"{rows:,} rows, {node.get('Sort Method')}"))
    return found


def explain(cursor, sql: str, sizes: dict[str, int]) -> Explained:
    from django.db import transaction

    norm = normalise(sql)
    times, plan = [], None
    try:
        # A savepoint only to survive an error: the page's transaction (analyse()) is rolled
        # back as a whole, and a statement's SET LOCAL must outlive the statement.
        with transaction.atomic():
            for i in range(REPEATS + 1):
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
                result = cursor.fetchone()[0]
                result = json.loads(result) if isinstance(result, str) else result
                plan = result[0]
                if i:
                    times.append(plan["Execution Time"])
            node_flags = flags_of(plan["Plan"], cursor, sizes)
    except Exception as exc:  # noqa: BLE001 (reported per statement, the run goes on)
        return Explained(sql, norm, 0.0, 0.0, [], [], error=str(exc).splitlines()[0])
    top = plan["Plan"]
    nodes = []
    for node in walk(top):
        name = node["Node Type"]
        if node.get("Relation Name"):
            name += f" {node['Relation Name']}"
        if node.get("Index Name"):
            name += f" ({node['Index Name']})"
        if name not in nodes:
            nodes.append(name)
    return Explained(
        sql=sql,
        normalised=norm,
        ms=statistics.median(times),
        planning_ms=plan.get("Planning Time", 0.0),
        nodes=nodes,
        flags=node_flags,
        shared_hit=top.get("Shared Hit Blocks", 0),
        shared_read=top.get("Shared Read Blocks", 0),
    )


# --- pages -----------------------------------------------------------------------------------


def paths(client) -> dict[str, str | None]:
    """bench.queries.discover()'s pages plus the FAQ page, the form comparison and a second search."""
    from django.urls import reverse

    from bench.queries import discover

    found = discover(client)
    found["faq"] = reverse("content:faq-list")
    found["comparison"] = reverse("shop:form-comparison")
    found["search_glycinaat"] = reverse("search:search") + "?q=glycinaat"
    return found


def capture(client, method: str, path: str) -> tuple[int, list[str], float]:
    """One request on empty caches: status, every statement it sent, wall time in ms."""
    from bench.queries import clear_caches, request

    clear_caches()
    response, captured, ms = request(client, method, path)
    return response.status_code, [q["sql"] for q in captured], ms


def visit_each_page(visitor: str, client_for_page, urls: dict[str, str | None]) -> list[dict]:
    """One row for each page of PAGES that `urls` names, asked with `client_for_page()`."""
    rows = []
    for page, method in PAGES:
        if urls.get(page) is None:
            continue
        status, sql, ms = capture(client_for_page(), method, urls[page])
        rows.append(
            {
                "visitor": visitor,
                "page": page,
                "method": method,
                "path": urls[page],
                "status": status,
                "sql": sql,
                "ms": ms,
            }
        )
    return rows


def visit(client_factory, urls: dict[str, str | None]) -> list[dict]:
    """Every page for an anonymous visitor (a fresh client each) and with a basket cookie."""
    from django.conf import settings

    visits = visit_each_page("anonymous", client_factory, urls)
    shopper = client_factory()
    shopper.post(urls["basket_add"], {"quantity": 1})
    if settings.OSCAR_BASKET_COOKIE_OPEN not in shopper.cookies:
        raise RuntimeError("add to basket set no basket cookie")
    return visits + visit_each_page("basket", lambda: shopper, urls)


_TIMESTAMP = re.compile(r"'\d{4}-\d\d-\d\d[ T][\d:.]+(?:[+-]\d\d(?::\d\d)?)?'::timestamptz")


def same_statement(sql: str) -> str:
    """The key a statement is explained once under: its text with the clock masked (a
    published_at <= now() filter differs on every request but plans the same)."""
    return _TIMESTAMP.sub("'…'::timestamptz", sql)


def analyse(visits: list[dict]) -> dict[str, Explained]:
    """EXPLAIN each distinct SELECT: one per normalised text within a page (the first literal
    values seen), once across pages per exact text (clock masked), so the same statement with
    other literals (the second search term) gets its own plan and a repeat does not.

    Each page's statements are replayed in order in one transaction that is rolled back at the
    end: a statement that sets planner settings for its transaction (the search sets
    random_page_cost and the trigram threshold with set_config(..., true)) then applies to the
    statements after it, as in the request."""
    from django.db import connection, transaction

    statements: dict[str, Explained] = {}
    sizes: dict[str, int] = {}
    for v in visits:
        v["statements"], seen = [], set()
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in v["sql"]:
                if not is_select(sql):
                    continue
                if re.search(r"\$\d+\b", _STRING.sub("", sql)):
                    raise RuntimeError("captured SQL holds server-side placeholders: " + sql[:200])
                key, norm = same_statement(sql), normalise(sql)
                if key in statements:
                    if "set_config(" in sql:
                        cursor.execute(sql)  # its settings, for the statements after it
                    if norm in seen:
                        continue
                else:
                    if norm in seen and "set_config(" not in sql:
                        continue
                    statements[key] = explain(cursor, sql, sizes)
                seen.add(norm)
                statements[key].pages.append(f"{v['page']} ({v['visitor']})")
                v["statements"].append(key)
            transaction.set_rollback(True)
    return statements


# --- report ----------------------------------------------------------------------------------


def review_of(e: Explained, flag: Flag) -> Review | None:
    return next((r for r in REVIEWED if r.matches(e.normalised, flag)), None)


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def flag_groups(statements: dict[str, Explained]) -> list[dict]:
    """Flags by normalised statement and flagged relation: the same lookup on several pages or
    with other literal values is one finding (its slowest instance shown)."""
    groups: dict[tuple, dict] = {}
    for e in statements.values():
        for f in e.flags:
            key = (e.normalised, f.kind, f.relation)
            group = groups.setdefault(key, {"flag": f, "worst": e, "pages": [], "review": None})
            if e.ms > group["worst"].ms:
                group["worst"], group["flag"] = e, f
            group["pages"] += [p for p in e.pages if p not in group["pages"]]
            group["review"] = group["review"] or review_of(e, f)
    return list(groups.values())


def report(visits: list[dict], statements: dict[str, Explained], meta: dict) -> str:
    ids = {sql: f"S{i}" for i, sql in enumerate(statements, 1)}
    lines = [
        "# EXPLAIN of the storefront pages",
        "",
        f"Database `{meta['database']}` ({meta['products']:,} products), git `{meta['git']}`, "
        f"{meta['when']}. Generated by `python -m bench.explain` (how-to and findings: "
        "bench/EXPLAIN.md).",
        "",
        "Every page requested on an empty cache (every cache alias emptied first), as an anonymous visitor "
        "and with a basket cookie; each distinct SELECT of a page run as `EXPLAIN (ANALYZE, "
        f"BUFFERS, FORMAT JSON)`: execution time is the median of {REPEATS} runs after a warm-up. "
        f"Flagged (⚑): a Seq Scan on a table of more than {LARGE_TABLE:,} rows, or a Sort of more "
        f"than {LARGE_TABLE:,} rows. A statement seen before (same text) is not explained again: "
        "its row says (above) and keeps its id.",
        "",
    ]
    if meta.get("vacuumed"):
        lines += [
            "Before the requests this run ran `VACUUM (ANALYZE)` on the tables autovacuum "
            "would have processed by now (autovacuum is off on this "
            "server; without it the planner has no statistics and no visibility map): "
            + clip(", ".join(f"`{t}`" for t in meta["vacuumed"]), 600)
            + ".",
            "",
        ]
    if meta.get("due"):
        lines += [
            "**Run with --as-is**: these tables are due for autovacuum (never vacuumed or "
            "analysed, or changed since), so their plans may differ from production's: "
            + clip(", ".join(f"`{t}`" for t in meta["due"]), 600)
            + ".",
            "",
        ]
    seen: set[str] = set()
    for v in visits:
        total = sum(statements[sql].ms for sql in v["statements"])
        lines += [
            f"## {v['page']} — {v['visitor']}",
            "",
            f"`{v['method']} {v['path']}` → {v['status']}: {len(v['sql'])} statements, "
            f"{len(v['statements'])} distinct SELECTs taking {total:.2f} ms together in EXPLAIN "
            f"ANALYZE; the request took {v['ms']:.0f} ms in-process.",
            "",
            "| id | statement | ms | buffers hit/read | plan nodes | flags |",
            "|---|---|---:|---:|---|---|",
        ]
        for sql in v["statements"]:
            e = statements[sql]
            if sql in seen:
                lines.append(
                    f"| {ids[sql]} | (above) {cell(shorten(e.sql, 80))} | {e.ms:.3f} | | | "
                    f"{'⚑' if e.flags else ''} |"
                )
                continue
            seen.add(sql)
            flag_text = "; ".join(f"⚑ {f.kind} {f.relation} ({f.detail})" for f in e.flags)
            if e.error:
                flag_text = f"error: {e.error}"
            lines.append(
                f"| {ids[sql]} | {cell(shorten(e.sql))} | {e.ms:.3f} | "
                f"{e.shared_hit}/{e.shared_read} | {cell(', '.join(e.nodes))} | {cell(flag_text)} |"
            )
        lines.append("")

    lines += [
        "## Indexes added for flagged lookups",
        "",
        "| index | definition | used by (this run) |",
        "|---|---|---|",
    ]
    for name, definition in ADDED_INDEXES.items():
        users = [e for e in statements.values() if any(f"({name})" in n for n in e.nodes)]
        used = (
            ", ".join(
                f"{ids[same_statement(e.sql)]} {e.ms:.2f} ms ({e.pages[0].split(' ')[0]})"
                for e in users
            )
            or "**not used by any statement of this run**"
        )
        lines.append(f"| `{name}` | {cell(definition)} | {used} |")
    lines.append("")

    groups = flag_groups(statements)
    lines += ["## Flagged statements and what was done", ""]
    if not groups:
        lines += ["None: no Seq Scan on a table over 1,000 rows, no sort over 1,000 rows.", ""]
    else:
        lines += [
            "| id | statement | pages | ms | flag | decision |",
            "|---|---|---|---:|---|---|",
        ]
        for g in groups:
            e, f, r = g["worst"], g["flag"], g["review"]
            decision = r.verdict if r else "**not reviewed** (new since the last review)"
            if r and r.index:
                decision = f"index `{r.index}`: {decision}"
            lines.append(
                f"| {ids[same_statement(e.sql)]} | {cell(shorten(e.sql, 110))} | {cell(', '.join(g['pages']))} "
                f"| {e.ms:.3f} | {f.kind} {cell(f.relation)} ({cell(f.detail)}) | "
                f"{cell(decision)} |"
            )
        lines.append("")
    errors = [e for e in statements.values() if e.error]
    if errors:
        lines += ["## Statements that could not be explained", ""]
        lines += [f"- `{cell(shorten(e.sql))}`: {cell(e.error)}" for e in errors]
        lines.append("")
    slow = sorted(statements.values(), key=lambda e: -e.ms)[:10]
    lines += ["## Slowest statements", "", "| id | ms | statement | pages |", "|---|---:|---|---|"]
    lines += [
        f"| {ids[same_statement(e.sql)]} | {e.ms:.3f} | {cell(shorten(e.sql, 110))} | {cell(', '.join(e.pages))} |"
        for e in slow
    ]
    lines.append("")
    return "\n".join(lines)


# autovacuum's default thresholds (PostgreSQL 13+): what it would have done by now on a server
# where it runs. Tables never vacuumed or analysed (a bulk-loaded catalogue) always qualify.
_DUE_FOR_AUTOVACUUM = """
    SELECT relname FROM pg_stat_user_tables
    WHERE schemaname = current_schema() AND (
        (last_analyze IS NULL AND last_autoanalyze IS NULL)
        OR (last_vacuum IS NULL AND last_autovacuum IS NULL AND n_live_tup > 0)
        OR n_mod_since_analyze > 50 + 0.1 * n_live_tup
        OR n_dead_tup > 50 + 0.2 * n_live_tup
        OR n_ins_since_vacuum > 1000 + 0.2 * n_live_tup
    )
    ORDER BY relname
"""


def due_for_autovacuum() -> list[str]:
    """Tables autovacuum would have vacuumed or analysed by now (bench.explain's servers may run
    with autovacuum off, like this machine's CI configuration)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_DUE_FOR_AUTOVACUUM)
        return [row[0] for row in cursor.fetchall()]


def vacuum_analyse(tables: list[str]) -> None:
    """VACUUM (ANALYZE): planner statistics, and the visibility map an Index Only Scan needs.
    Writes no rows. Runs outside a transaction (Django's autocommit)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'VACUUM (ANALYZE) "{table}"')


def metadata() -> dict:
    import subprocess
    from datetime import UTC, datetime

    from django.db import connection
    from oscar.core.loading import get_model

    try:
        git = subprocess.run(
            ["git", "describe", "--always", "--dirty"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        git = "unknown"
    return {
        "database": connection.settings_dict["NAME"],
        "products": get_model("catalogue", "Product").objects.count(),
        "git": git,
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def production_env(size: str) -> dict[str, str]:
    """Our shop's production settings as the benchmark serves them, on catalogue `size`
    (database bench_<size> on the PostgreSQL server of DATABASE_URL). Cache in local memory:
    this script empties the cache before every page, and a shared Redis is not its to empty."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/"))
    server = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    var = Path(os.environ.get("BENCH_VAR", Path(__file__).resolve().parent.parent / "var/bench"))
    return PRODUCTION_SETTINGS | {
        "DJANGO_STATIC_ROOT": str(var / "static-ours"),
        "DJANGO_MEDIA_ROOT": str(var / "media"),
        "DATABASE_URL": f"{server}/bench_{size.lower()}",
        "BENCH_VAR": str(var),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="EXPLAIN the SELECTs of the storefront pages")
    parser.add_argument("--out", required=True, help="Markdown report")
    parser.add_argument("--json", help="also write the raw plans' summary as JSON")
    parser.add_argument(
        "--as-is",
        action="store_true",
        help="do not first VACUUM (ANALYZE) the tables autovacuum would have processed by now",
    )
    parser.add_argument(
        "--size",
        choices=["S", "L"],
        help="set production settings and DATABASE_URL=…/bench_<size> (built by make bench) "
        "instead of taking them from the environment",
    )
    args = parser.parse_args(argv)
    if args.size:
        for name in [k for k in os.environ if k.startswith("DJANGO_") or k == "REDIS_URL"]:
            del os.environ[name]
        os.environ.update(production_env(args.size))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from oscar.core.loading import get_model

    from bench.catalogue import BENCH_UPC

    def client_factory():
        return Client(HTTP_HOST="127.0.0.1")

    if connection.vendor != "postgresql":
        raise SystemExit("bench.explain needs PostgreSQL (EXPLAIN ANALYZE, FORMAT JSON)")
    if not get_model("catalogue", "Product").objects.filter(upc=BENCH_UPC).exists():
        raise SystemExit(
            f"no bench product {BENCH_UPC} in {connection.settings_dict['NAME']}: build the "
            "catalogue first (BENCH_SIZES=L make bench, see bench/README.md)"
        )
    # A server with autovacuum off (this machine's CI configuration) never gathers statistics or
    # sets visibility maps after the catalogue's bulk build: the planner then guesses row counts,
    # cannot use Index Only Scans, and its plans say little about production, where autovacuum
    # runs. So first do what autovacuum would have done by now (no rows are written).
    due = due_for_autovacuum()
    if due and not args.as_is:
        vacuum_analyse(due)

    urls = paths(client_factory())
    visits = visit(client_factory, urls)
    failed = [f"{v['page']} ({v['visitor']}): {v['status']}" for v in visits if v["status"] >= 400]
    if failed:
        raise SystemExit("pages failed: " + ", ".join(failed))
    statements = analyse(visits)
    meta = metadata()
    meta["vacuumed"] = [] if args.as_is else due
    meta["due"] = due_for_autovacuum() if args.as_is else []
    Path(args.out).write_text(report(visits, statements, meta), encoding="utf-8")
    if args.json:
        data = {
            "pages": [
                {k: v[k] for k in ("visitor", "page", "path", "status", "statements")}
                for v in visits
            ],
            "statements": {
                n: {
                    "sql": e.sql,
                    "normalised": e.normalised,
                    "ms": e.ms,
                    "planning_ms": e.planning_ms,
                    "shared_hit": e.shared_hit,
                    "shared_read": e.shared_read,
                    "nodes": e.nodes,
                    "flags": [f.__dict__ for f in e.flags],
                    "pages": e.pages,
                    "error": e.error,
                }
                for n, e in statements.items()
            },
        }
        Path(args.json).write_text(json.dumps(data, indent=1, ensure_ascii=False), "utf-8")
    groups = flag_groups(statements)
    flagged = len(groups)
    unreviewed = sum(1 for g in groups if g["review"] is None)
    print(
        f"{len(statements)} distinct SELECTs on {len(visits)} page views; "
        f"{flagged} flagged lookups, {unreviewed} not reviewed; report: {args.out}"
    )


if __name__ == "__main__":
    main()
