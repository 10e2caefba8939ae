"""The verdict of `make soak` (soak.run): its figures and the limits a run broke."""

from __future__ import annotations


def figures(
    run: dict,
    totals: dict,
    placed: dict,
    *,
    warmup_seconds: int,
    workers: int,
    max_rss_growth: float,
) -> tuple[dict, list[str]]:
    """The run's figures from its samples, locust's totals and the orders, and the limits it
    broke (none: the soak passed)."""
    samples = run["samples"]
    measured = [s for s in samples if s["t"] >= warmup_seconds]
    if not measured:
        raise SystemExit("no sample after the warm-up; is SOAK_MINUTES 0?")
    start, end = measured[0], measured[-1]
    per_worker = {}
    for pid, first in start["rss"].items():
        last = end["rss"].get(pid)
        per_worker[pid] = {
            "rss_start_mb": round(first / 2**20, 1),
            "rss_end_mb": round(last / 2**20, 1) if last else None,
            "growth": round(last / first - 1, 4) if last else None,
        }
    conn_counts = [s["connections"] for s in measured]
    result = {
        "warmup_seconds": warmup_seconds,
        "workers": workers,
        "requests": totals["requests"],
        "failures": totals["failures"],
        "rps": totals["rps"],
        "p50_ms": totals["p50_ms"],
        "p99_ms": totals["p99_ms"],
        "failure_kinds": totals["failure_kinds"],
        "per_name": totals["per_name"],
        "orders": placed,
        "place_order_requests": totals["per_name"].get("place order", {}),
        "worker_rss": per_worker,
        "connections": {
            "after_warmup": conn_counts[0],
            "end": conn_counts[-1],
            "min": min(conn_counts),
            "max": max(conn_counts),
            "series": conn_counts,
        },
        "loadavg": {
            "start": measured[0]["load"],
            "max": max(s["load"] for s in measured),
            "end": measured[-1]["load"],
        },
    }
    broken = []
    if totals["failures"]:
        broken.append(f"{totals['failures']} failed requests")
    if not placed["placed"]:
        broken.append("no order was placed")
    if placed["without_lines"]:
        broken.append(f"{placed['without_lines']} orders without lines")
    if set(end["rss"]) != set(start["rss"]):
        broken.append("gunicorn replaced a worker during the run")
    for pid, worker in per_worker.items():
        if worker["growth"] is not None and worker["growth"] > max_rss_growth:
            broken.append(f"worker {pid} RSS grew {worker['growth']:.1%}")
    if max(conn_counts) > workers:
        broken.append(f"{max(conn_counts)} database connections for {workers} workers")
    return result, broken
