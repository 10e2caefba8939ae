"""The figures of one `make cluster-test` run as a table (issue 17): read from the JSON files the
tests of tests/cluster wrote to var/cluster/ in that run, written to cluster/results/ (one file
per run, and latest.md) and printed.

    .venv/bin/python -m cluster.results
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from cluster import run

RESULTS = run.BASE_DIR / "cluster" / "results"
# What each test writes (tests/cluster), cleared when a run starts (tests/cluster/conftest.py).
FIGURES = ("wrk", "orders", "edits", "failover", "media")


def figure_files() -> dict[str, Path]:
    return {name: run.VAR / f"{name}.json" for name in FIGURES}


def read() -> dict:
    return {
        name: json.loads(path.read_text()) for name, path in figure_files().items() if path.exists()
    }


def table(figures: dict) -> str:
    lines = [
        f"# Cluster figures, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        "One run of `make cluster-test` on this machine (2 cores, shared with other work: the "
        "load average is given with each figure).",
        "",
    ]
    topology = run.VAR / "topology.txt"
    if topology.exists():
        lines += ["## Topology (cluster/run.py, cluster/hosts.py)", "", "```"]
        lines += [topology.read_text().rstrip(), "```", ""]
    if "wrk" in figures:
        commands = sorted({f.get("command", "wrk -t2 -c32 -d8s") for f in figures["wrk"].values()})
        lines += [
            f"## Pages ({', '.join(commands)} --latency, through Varnish and from one app server "
            "directly)",
            "",
            "Target through Varnish: >= 10,000 req/s, p99 <= 10 ms. The same connection count "
            "for every page, visitor and server (why: tests/cluster/test_figures.py).",
            "",
            "| page, visitor | req/s | p99 ms | non-2xx | load average |",
            "| --- | ---: | ---: | ---: | --- |",
        ]
        for name, f in figures["wrk"].items():
            lines.append(
                f"| {name} | {f['rps']:,} | {f['p99_ms']} | {f['non_2xx']} | {f['load']} |"
            )
        lines.append("")
    if "orders" in figures:
        lines += [
            "## Orders (10 locust buyers for 60 s through Varnish)",
            "",
            "| app servers | orders | orders/min | place-order p99 ms | failures | load average |",
            "| --- | ---: | ---: | ---: | ---: | --- |",
        ]
        for name, f in figures["orders"].items():
            lines.append(
                f"| {name} | {f['orders']} | {f['orders_per_min']} | "
                f"{f['place_order_p99_ms']} | {f['failures']} | {f['load']} |"
            )
        lines.append("")
    if "edits" in figures:
        f = figures["edits"]
        lines += [
            "## Edit to visible through Varnish",
            "",
            f"{f['edits']} title edits saved through the dashboard's product form on "
            f"{f['saved_on']}, each read through Varnish every 5 ms from the dashboard's answer "
            f"until it shows: median {f['median_ms']} ms, max {f['max_ms']} ms (target <= 1,000 "
            f"ms); not visible within {f['not_visible_within_s']['limit']} s: "
            f"{f['not_visible_within_s']['count']}. The dashboard's post itself: median "
            f"{f['dashboard_post']['median_ms']} ms, max {f['dashboard_post']['max_ms']} ms. "
            f"The read that first showed the edit (Varnish's miss, the app server's render of "
            f"the purged page): median {f['fresh_read']['median_ms']} ms, max "
            f"{f['fresh_read']['max_ms']} ms. "
            f"Load average {f['loadavg']}.",
            "",
        ]
    if "failover" in figures:
        f = figures["failover"]
        lines += [
            "## Failover",
            "",
            f"App server 2 killed (SIGKILL, master and workers) {f['killed_at_s']} s into a "
            f"locust run of 8 browsing and buying users through Varnish, restarted at "
            f"{f['restarted_at_s']} s: requests {f['requests']}, failed {f['failed']}"
            f"{' (' + '; '.join(f['failure_kinds']) + ')' if f['failure_kinds'] else ''}, "
            f"orders placed {f['orders_placed']} of {f['orders_expected']} confirmed to the "
            f"buyers, oversold {f['oversold']}, duplicates {f['duplicates']}, out of Varnish's "
            f"rotation {f['routed_around_s']} s after the kill (target <= 5 s), back in "
            f"{f['rejoined_s']} s after its restart began. Load average {f['loadavg']}.",
            "",
        ]
    if "media" in figures:
        f = figures["media"]
        lines += [
            "## Media",
            "",
            f"Uploaded through the dashboard on app server 1: {f['original']}, served through "
            f"Varnish to {f['visitors']} kinds of visitor; {f['thumbnails']} thumbnails in the "
            f"bucket, {f['made_again']} made again when both servers rendered the page anew.",
            "",
        ]
    return "\n".join(lines)


def main() -> None:
    figures = read()
    if not figures:
        raise SystemExit("no figures in var/cluster/: run `make cluster-test`")
    text = table(figures)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M", time.gmtime())
    (RESULTS / f"{stamp}.md").write_text(text + "\n")
    (RESULTS / "latest.md").write_text(text + "\n")
    print(text)
    print(f"\n(written to {os.path.relpath(RESULTS / 'latest.md', run.BASE_DIR)})")


if __name__ == "__main__":
    main()
