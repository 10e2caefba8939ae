"""The bench's table: ours vs stock Oscar per page and visitor, as Markdown (pure functions)."""

from __future__ import annotations

import re

from bench.queries import PAGES, VISITORS

LABELS = {
    "home": "home",
    "collection": "collection (Magnesium)",
    "product": "product",
    "guide": "guide",
    "search": "search ?q=magnesium",
    "basket_add": "add to basket (POST)",
    "basket": "basket",
    "private": "private parts",
}
VISITOR_LABELS = {"anon": "anonymous", "cookie": "basket cookie", "customer": "customer"}
# Stock Oscar has no guide page; the issue compares ours with its product page. It has no
# private-parts request either (None): it renders those parts into every page.
STOCK_EQUIVALENT = {"guide": "product", "private": None}
NOT_APPLICABLE = "—"
# Issue 13's targets (catalogue L).
SHARED_PAGES = ("home", "collection", "product", "guide", "search")
SHARED_RPS, SHARED_P99_MS, SHARED_RATIO = 850, 30, 30
PRIVATE_SQL, PRIVATE_RPS = 3, 500
ADD_RATIO = 5
COLD_SQL = 12


def parse_wrk(text: str) -> dict:
    """req/s, latency percentiles (ms), request count, errors and timeouts from `wrk --latency`."""

    def ms(value: str) -> float:
        number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", value).groups()
        return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

    out = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))}
    for p in ("50", "75", "90", "99"):
        found = re.search(rf"^\s+{p}(?:\.0+)?%\s+(\S+)", text, re.M)
        out[f"p{p}"] = round(ms(found.group(1)), 2) if found else None
    out["requests"] = int(re.search(r"(\d+) requests in", text).group(1))
    found = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    out["non2xx"] = int(found.group(1)) if found else 0
    found = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    out["errors"] = sum(int(n) for n in found.groups()[:3]) if found else 0
    out["timeouts"] = int(found.group(4)) if found else 0
    return out


def _num(value: float | None) -> str:
    if value is None:
        return "–"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _latency(run: dict | None) -> str:
    if not run or "rps" not in run:
        return "–"
    if not run.get("requests"):
        return "no response in time"
    text = f"{_num(run['p50'])} / {_num(run['p99'])}"
    if run.get("timeouts"):
        text += f" ({run['timeouts']} timeouts)"
    if run.get("non2xx") or run.get("errors"):
        text += f" ({run.get('non2xx', 0) + run.get('errors', 0)} failed)"
    return text


def _sql(counts: dict | None) -> str:
    if not counts:
        return "–"
    text = str(counts["warm"])
    extras = []
    if counts["cold"] != counts["warm"]:
        extras.append(f"cold {counts['cold']}")
    if counts.get("writes"):
        extras.append(f"{counts['writes']} write" + ("s" if counts["writes"] > 1 else ""))
    return text + (f" ({', '.join(extras)})" if extras else "")


def _kb(run: dict | None) -> str:
    if not run or run.get("bytes") is None:
        return "–"
    if run.get("status") not in (None, 200):
        return f"({run['status']})"
    return f"{run['bytes'] / 1000:.1f}"


def _rps(run: dict | None) -> str:
    if not run:
        return "–"
    if "rps" not in run:
        return f"status {run.get('status')}" if run.get("status") else "–"
    return _num(run["rps"])


def rows(catalogue: dict) -> list[dict]:
    """One row per page and visitor kind (the kinds of one page together); a page a shop lacks
    is None on that side, and `stock_page` is None where stock Oscar has no such request."""
    ours, stock = catalogue["shops"].get("ours", {}), catalogue["shops"].get("stock", {})
    out = []
    for page in PAGES:
        for visitor in VISITORS:
            stock_page = STOCK_EQUIVALENT.get(page, page)
            mine = ours.get("load", {}).get(visitor, {}).get(page)
            theirs = stock.get("load", {}).get(visitor, {}).get(stock_page)
            if mine is None and theirs is None:
                continue
            out.append(
                {
                    "page": page,
                    "visitor": visitor,
                    "stock_page": stock_page,
                    "ours": mine,
                    "stock": theirs,
                    "ours_sql": ours.get("queries", {}).get(visitor, {}).get(page),
                    "stock_sql": stock.get("queries", {}).get(visitor, {}).get(stock_page),
                }
            )
    return out


def ratio(ours: dict | None, stock: dict | None) -> float | None:
    if not ours or not stock or not ours.get("rps") or not stock.get("rps"):
        return None
    return ours["rps"] / stock["rps"]


def table(catalogue: dict) -> str:
    """The Markdown table of one catalogue."""
    lines = [
        "| page | visitor | req/s ours | req/s stock | ours ÷ stock | p50 / p99 ms ours "
        "| p50 / p99 ms stock | SQL ours | SQL stock | HTML kB ours | HTML kB stock |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows(catalogue):
        factor = ratio(row["ours"], row["stock"])
        label = LABELS[row["page"]]
        if row["stock_page"] is None:
            label += " ²"
        elif row["stock_page"] != row["page"]:
            label += " ¹"
        if row["stock_page"] is None:  # stock Oscar has no such request
            stock_cells = [NOT_APPLICABLE] * 2
            factor_cell = NOT_APPLICABLE
            stock_sql, stock_kb = NOT_APPLICABLE, NOT_APPLICABLE
        else:
            stock_cells = [_rps(row["stock"]), _latency(row["stock"])]
            factor_cell = f"{_num(factor)}×" if factor is not None else "–"
            stock_sql, stock_kb = _sql(row["stock_sql"]), _kb(row["stock"])
        lines.append(
            "| "
            + " | ".join(
                [
                    label,
                    VISITOR_LABELS[row["visitor"]],
                    _rps(row["ours"]),
                    stock_cells[0],
                    factor_cell,
                    _latency(row["ours"]),
                    stock_cells[1],
                    _sql(row["ours_sql"]),
                    stock_sql,
                    _kb(row["ours"]),
                    stock_kb,
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def _loaded(run: dict | None) -> bool:
    return bool(run and run.get("rps") and run.get("requests"))


def _p99(run: dict) -> float:
    return run["p99"] if run.get("p99") is not None else float("inf")


def _failed(run: dict) -> int:
    return run.get("non2xx", 0) + run.get("errors", 0) + run.get("timeouts", 0)


def _fast(run: dict | None, rps: float, p99: float | None = None) -> tuple[str, bool]:
    """`rps` req/s at least (and a p99 of at most `p99` ms), no failed request."""
    if not _loaded(run):
        return _not_measured(run), False
    measured = f"{_num(run['rps'])} req/s"
    met = run["rps"] >= rps
    if p99 is not None:
        measured += f", p99 {_num(run['p99'])} ms"
        met = met and _p99(run) <= p99
    if _failed(run):
        measured += f", {_failed(run):,} failed"
        met = False
    return measured, met


def _times(ours: dict | None, stock: dict | None, least: float) -> tuple[str, bool]:
    factor = ratio(ours, stock)
    if factor is None:
        missing = ours if not _loaded(ours) else stock
        side = "ours" if not _loaded(ours) else "stock"
        return f"{side}: {_not_measured(missing)}", False
    measured = f"{factor:.1f}× ({_num(ours['rps'])} vs {_num(stock['rps'])} req/s)"
    if _failed(ours):
        measured += f", {_failed(ours):,} failed"
    return measured, factor >= least and not _failed(ours)


def _not_measured(run: dict | None) -> str:
    if run and run.get("status") not in (None, 200, 302):
        return f"not measured (status {run['status']})"
    if run and "rps" in run and not run.get("requests"):
        return "no response in time"
    return "not measured"


def targets(catalogue: dict, small: dict | None = None) -> list[tuple[str, str, bool]]:
    """Issue 13's targets for catalogue L (`catalogue`), `small` being catalogue S of the same
    run (cold SQL must be the same on both): (target, measured, met), ours only."""
    by_key = {(row["page"], row["visitor"]): row for row in rows(catalogue)}
    ours_queries = catalogue["shops"].get("ours", {}).get("queries", {})
    small_queries = (small or {}).get("shops", {}).get("ours", {}).get("queries", {})
    out = []

    def check(what: str, result: tuple[str, bool]) -> None:
        out.append((what, *result))

    for page in SHARED_PAGES:
        for visitor in VISITORS:
            row = by_key.get((page, visitor), {})
            name = f"{LABELS[page]}, {VISITOR_LABELS[visitor]}"
            check(
                f"{name}: ≥ {SHARED_RPS} req/s, p99 ≤ {SHARED_P99_MS} ms",
                _fast(row.get("ours"), SHARED_RPS, SHARED_P99_MS),
            )
            check(
                f"{name}: ≥ {SHARED_RATIO}× stock",
                _times(row.get("ours"), row.get("stock"), SHARED_RATIO),
            )
    for visitor in VISITORS:
        name = f"{LABELS['private']}, {VISITOR_LABELS[visitor]}"
        sql = ours_queries.get(visitor, {}).get("private")
        if sql:
            measured = f"{sql['warm']} warm (cold {sql['cold']})"
            check(f"{name}: ≤ {PRIVATE_SQL} SQL queries", (measured, sql["warm"] <= PRIVATE_SQL))
        else:
            check(f"{name}: ≤ {PRIVATE_SQL} SQL queries", ("not counted", False))
        row = by_key.get(("private", visitor), {})
        check(f"{name}: ≥ {PRIVATE_RPS} req/s", _fast(row.get("ours"), PRIVATE_RPS))
    for visitor in VISITORS:
        row = by_key.get(("basket_add", visitor), {})
        name = f"{LABELS['basket_add']}, {VISITOR_LABELS[visitor]}"
        check(f"{name}: ≥ {ADD_RATIO}× stock", _times(row.get("ours"), row.get("stock"), ADD_RATIO))
        check(f"{name}: every add counted", _every_add(row.get("ours")))
    for page in PAGES:
        if page == "basket_add":
            continue
        for visitor in VISITORS:
            check(
                f"{LABELS[page]}, {VISITOR_LABELS[visitor]}: cold SQL ≤ {COLD_SQL}, "
                "the same on S and L",
                _cold(
                    ours_queries.get(visitor, {}).get(page),
                    small_queries.get(visitor, {}).get(page) if small else None,
                    small is not None,
                ),
            )
    return out


def _every_add(run: dict | None) -> tuple[str, bool]:
    if not _loaded(run) or "units_added" not in run:
        return _not_measured(run), False
    measured = f"{run['requests']:,} requests, {run['units_added']:,} units added"
    return measured, run["units_added"] >= run["requests"]


def _cold(large: dict | None, small: dict | None, small_ran: bool) -> tuple[str, bool]:
    if not large:
        return "not counted", False
    measured = f"L {large['cold']}"
    if not small_ran:
        return measured + ", S not run", False
    if not small:
        return measured + ", S not counted", False
    measured += f", S {small['cold']}"
    return measured, large["cold"] <= COLD_SQL and large["cold"] == small["cold"]


def accepted_adds(catalogue: dict) -> list[tuple[str, str, bool]]:
    """Did every add-to-basket request wrk counted add its unit? (A refused add answers 302
    too.) wrk stops counting at its deadline; adds still in flight land after it."""
    out = []
    for row in rows(catalogue):
        for side in ("ours", "stock"):
            run = row[side]
            if run and "units_added" in run:
                out.append(
                    (
                        f"{side}, {VISITOR_LABELS[row['visitor']]}",
                        f"{run['requests']:,} requests, {run['units_added']:,} units added",
                        run["units_added"] >= run["requests"],
                    )
                )
    return out


def report(results: dict) -> str:
    """The whole Markdown report: set-up, then per catalogue its table and targets."""
    meta = results["meta"]
    out = [
        f"# `make bench`: ours vs stock django-oscar {meta.get('oscar', '')}".rstrip(),
        "",
        f"- Run: {meta['started']} → {meta.get('finished', '…')} on {meta['host']}; "
        f"git {meta.get('git', '?')}; {meta['cpus']} CPUs (shared: figures are noisy).",
        f"- Load: `{meta['wrk']}` per URL after a warm-up; gunicorn `{meta['gunicorn']}`; "
        "ours with production settings (DEBUG off, WhiteNoise, Redis, CONN_MAX_AGE 60), stock Oscar "
        "from `bench/stock_settings.py` (Oscar's own apps/templates/views, Whoosh search).",
        "- SQL = queries per request in-process (test Client + CaptureQueriesContext), warm "
        "(cold first request in brackets when different, and writes); HTML kB = response body.",
        "- Visitors: anonymous (no cookie but the CSRF one), basket cookie (a basket holding "
        "the bench product), customer (logged in through Oscar's login form, the bench product "
        "in its basket); each kind's SQL is counted after every cache was emptied.",
        "- ¹ stock Oscar has no guide page: compared with its product page, as the issue says.",
        "- ² ours only: `GET /persoonlijk/?product=<pk>`, the private parts of a shared page "
        "(account, basket summary, messages, wishlists, CSRF token); stock Oscar renders them "
        f"into every page and has no such request ({NOT_APPLICABLE}).",
    ]
    if meta.get("quick"):
        out.append("- BENCH_QUICK: short runs on a subset of URLs; a smoke test, not a result.")
    if meta.get("pages"):
        out.append(f"- BENCH_PAGES: only the rows {', '.join(meta['pages'])}.")
    for size, catalogue in results["catalogues"].items():
        counts = catalogue.get("counts", {})
        described = ", ".join(f"{v:,} {k}" for k, v in counts.get("ours", {}).items())
        out += ["", f"## Catalogue {size}: {described}", ""]
        for shop, load in catalogue.get("loadavg", {}).items():
            before_after = " → ".join(f"{x:.1f}" for x in load)
            out.append(f"- machine load (1-min average) while {shop} ran: {before_after}")
        out += ["", table(catalogue), ""]
        if size == "L":
            checks = targets(catalogue, results["catalogues"].get("S"))
            if meta.get("pages"):
                # A run of some rows (BENCH_PAGES) checks the targets of those rows only.
                labels = tuple(f"{LABELS[page]}," for page in meta["pages"])
                checks = [check for check in checks if check[0].startswith(labels)]
            out += target_lines(checks)
        adds = accepted_adds(catalogue)
        if adds:
            out += ["", "### Add to basket: every request added its unit", ""]
            out += [f"- {'✓' if ok else '✗'} {what}: {measured}" for what, measured, ok in adds]
        out += request_times(catalogue)
        out += repeated_reads(catalogue)
    return "\n".join(out) + "\n"


def request_times(catalogue: dict) -> list[str]:
    """In-process time of the add to basket and the basket page (median of the warm repeats of
    bench.queries, one request at a time): wall clock and this process's CPU (the database's
    work is not in the CPU figure)."""
    lines = []
    for row in rows(catalogue):
        if row["page"] not in ("basket_add", "basket"):
            continue
        cells = []
        for side in ("ours", "stock"):
            sql = row[f"{side}_sql"] or {}
            if "cpu_ms" in sql:
                cells.append(f"{side} {_num(sql['ms'])} ms (CPU {_num(sql['cpu_ms'])} ms)")
        if cells:
            lines.append(
                f"- {LABELS[row['page']]}, {VISITOR_LABELS[row['visitor']]}: " + "; ".join(cells)
            )
    if not lines:
        return []
    return ["", "### In-process time per request (warm, one at a time)", "", *lines]


def target_lines(checks: list[tuple[str, str, bool]]) -> list[str]:
    met = sum(1 for *_, ok in checks if ok)
    return [
        "### Targets of issue 13 (catalogue L, ours)",
        "",
        f"{met} of {len(checks)} met.",
        "",
        *(f"- {'PASS' if ok else 'FAIL'} {what}: {measured}" for what, measured, ok in checks),
        "",
    ]


def repeated_reads(catalogue: dict) -> list[str]:
    """Where our pages read one table several times per request (the N+1 suspects)."""
    lines = []
    for visitor, pages in catalogue["shops"].get("ours", {}).get("queries", {}).items():
        for page, counts in pages.items():
            reads = ", ".join(f"{n}× {table}" for n, table in counts.get("repeated") or [])
            if reads:
                lines.append(f"- {LABELS[page]}, {VISITOR_LABELS[visitor]}: {reads}")
    if not lines:
        return []
    return ["", "### Tables our pages read more than once per request (warm)", "", *lines]
