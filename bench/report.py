"""The bench's table: ours vs stock Oscar per page and visitor, as Markdown (pure functions)."""

from __future__ import annotations

import re

from bench.queries import PAGES

LABELS = {
    "home": "home",
    "collection": "collection (Magnesium)",
    "product": "product",
    "guide": "guide",
    "search": "search ?q=magnesium",
    "basket_add": "add to basket (POST)",
    "basket": "basket",
}
VISITORS = {"anon": "anonymous", "cookie": "basket cookie"}
# Stock Oscar has no guide page; the issue compares ours with its product page.
STOCK_EQUIVALENT = {"guide": "product"}


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
    """One row per page and visitor; a page a shop lacks is None on that side."""
    ours, stock = catalogue["shops"].get("ours", {}), catalogue["shops"].get("stock", {})
    out = []
    for visitor in VISITORS:
        for page in PAGES:
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
        if row["stock_page"] != row["page"]:
            label += " ¹"
        lines.append(
            "| "
            + " | ".join(
                [
                    label,
                    VISITORS[row["visitor"]],
                    _rps(row["ours"]),
                    _rps(row["stock"]),
                    f"{_num(factor)}×" if factor is not None else "–",
                    _latency(row["ours"]),
                    _latency(row["stock"]),
                    _sql(row["ours_sql"]),
                    _sql(row["stock_sql"]),
                    _kb(row["ours"]),
                    _kb(row["stock"]),
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def targets(catalogue: dict) -> list[tuple[str, str, bool]]:
    """Issue 8's targets for this catalogue: (target, measured, met)."""
    out = []
    for row in rows(catalogue):
        ours, page = row["ours"], LABELS[row["page"]]
        if not ours or "rps" not in ours:
            continue
        if row["visitor"] == "anon" and row["page"] in ("home", "collection", "product", "guide"):
            measured = f"{_num(ours['rps'])} req/s, p99 {_num(ours['p99'])} ms"
            met = ours["rps"] >= 850 and (ours["p99"] or 1e9) <= 30
            out.append((f"{page}, anonymous: ≥ 850 req/s, p99 ≤ 30 ms", measured, met))
        if row["visitor"] == "cookie":
            factor = ratio(ours, row["stock"])
            measured = f"{factor:.2f}× stock, p99 {_num(ours['p99'])} ms" if factor else "–"
            met = bool(factor and factor >= 3 and (ours["p99"] or 1e9) <= 100)
            out.append((f"{page}, basket cookie: ≥ 3× stock, p99 ≤ 100 ms", measured, met))
        if row["page"] == "search" and row["visitor"] == "anon":
            met = (ours["p99"] or 1e9) <= 100
            out.append(("search: p99 ≤ 100 ms", f"p99 {_num(ours['p99'])} ms", met))
        sql = row["ours_sql"]
        if sql and row["page"] != "basket_add":
            most = max(sql["cold"], sql["warm"])
            out.append(
                (f"{page}, {VISITORS[row['visitor']]}: ≤ 12 SQL queries", str(most), most <= 12)
            )
    return out


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
                        f"{side}, {VISITORS[row['visitor']]}",
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
        "- ¹ stock Oscar has no guide page: compared with its product page, as the issue says.",
    ]
    if meta.get("quick"):
        out.append("- BENCH_QUICK: short runs on a subset of URLs; a smoke test, not a result.")
    for size, catalogue in results["catalogues"].items():
        counts = catalogue.get("counts", {})
        described = ", ".join(f"{v:,} {k}" for k, v in counts.get("ours", {}).items())
        out += ["", f"## Catalogue {size}: {described}", ""]
        for shop, load in catalogue.get("loadavg", {}).items():
            before_after = " → ".join(f"{x:.1f}" for x in load)
            out.append(f"- machine load (1-min average) while {shop} ran: {before_after}")
        out += ["", table(catalogue), ""]
        checks = targets(catalogue)
        if size == "L" and checks:
            out += ["### Targets of issue 8 (catalogue L)", ""]
            out += [f"- {'✓' if ok else '✗'} {what}: {measured}" for what, measured, ok in checks]
        adds = accepted_adds(catalogue)
        if adds:
            out += ["", "### Add to basket: every request added its unit", ""]
            out += [f"- {'✓' if ok else '✗'} {what}: {measured}" for what, measured, ok in adds]
        out += repeated_reads(catalogue)
    return "\n".join(out) + "\n"


def repeated_reads(catalogue: dict) -> list[str]:
    """Where our pages read one table several times per request (the N+1 suspects)."""
    lines = []
    for visitor, pages in catalogue["shops"].get("ours", {}).get("queries", {}).items():
        for page, counts in pages.items():
            reads = ", ".join(f"{n}× {table}" for n, table in counts.get("repeated") or [])
            if reads:
                lines.append(f"- {LABELS[page]}, {VISITORS[visitor]}: {reads}")
    if not lines:
        return []
    return ["", "### Tables our pages read more than once per request (warm)", "", *lines]
