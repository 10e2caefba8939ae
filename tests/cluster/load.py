"""Locust (soak/locustfile.py, headless) through the cluster's proxy, and what it leaves in the
database: the soak's visitors, reused."""

from __future__ import annotations

import csv
import os
import subprocess
import time
from pathlib import Path

from cluster import run
from soak import run as soak_run


def start_locust(
    cluster: dict, out: Path, *, users: int, seconds: int, classes: tuple[str, ...] = ()
) -> subprocess.Popen:
    out.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [str(run.BIN / "locust"), "-f", str(run.BASE_DIR / "soak" / "locustfile.py"), *classes]
        + ["--headless", "--users", str(users), "--spawn-rate", str(users)]
        + ["--run-time", f"{seconds}s", "--host", cluster["varnish"], "--csv", str(out / "locust")]
        + ["--only-summary", "--stop-timeout", "30"],
        cwd=run.BASE_DIR,
        env={**os.environ, "SOAK_PATHS": str(run.VAR / "paths.json")},
        stdout=(out / "locust.log").open("w"),
        stderr=subprocess.STDOUT,
    )


def totals(out: Path) -> dict:
    """soak.run's reading of locust's CSV files in `out`."""
    soak_run.VAR = out
    return soak_run.locust_totals()


def place_order_p99(out: Path) -> str:
    for row in csv.DictReader((out / "locust_stats.csv").open()):
        if row["Name"] == "place order":
            return row["99%"]
    return "n/a"


def orders(db) -> dict:
    """Orders, orders per basket above one (duplicates) and stock records allocated beyond
    their stock (oversold)."""
    placed = db.execute("SELECT count(*) FROM order_order").fetchone()[0]
    duplicates = db.execute(
        "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM order_order "
        "WHERE basket_id IS NOT NULL GROUP BY basket_id HAVING count(*) > 1) d"
    ).fetchone()[0]
    oversold = db.execute(
        "SELECT coalesce(sum(num_allocated - num_in_stock), 0) FROM partner_stockrecord "
        "WHERE num_allocated > num_in_stock"
    ).fetchone()[0]
    return {"placed": placed, "duplicates": int(duplicates), "oversold": int(oversold)}


def wait(process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.5)
