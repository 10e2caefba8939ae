"""`make soak`: mixed browsing and checkout (soak/locustfile.py, locust headless) against gunicorn
with production settings (DEBUG off, PostgreSQL, the cache in Redis) on the demo catalogue.

    .venv/bin/python -m soak.run                  # 1 minute of warm-up, then 10 measured minutes
    SOAK_MINUTES=1 SOAK_WARMUP_SECONDS=20 ...     # a short run while developing

It prints, and writes to var/soak/result.json: requests and failures, orders placed (and orders
without lines), the RSS of each gunicorn worker after the warm-up and at the end, and the
database's connections sampled through the run; it exits 1 when a limit is broken: any failed
request, no order placed, an order without lines, a worker whose RSS grew more than
SOAK_MAX_RSS_GROWTH (10%) or that was replaced, or more connections than workers (each sync worker
keeps one persistent connection, so more means connections leak).

Environment: DATABASE_URL (the PostgreSQL server; the database SOAK_DATABASE on it is dropped and
built anew), SOAK_REDIS_URL (a Redis database of its own: it is emptied), SOAK_PORT, SOAK_USERS,
SOAK_WORKERS, SOAK_REUSE=1 (keep the last run's database). Everything listens on 127.0.0.1; gunicorn and locust are stopped by their PIDs.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psutil
import psycopg
import redis

from soak.figures import figures

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("SOAK_VAR", BASE_DIR / "var" / "soak"))
PY = sys.executable
BIN = Path(PY).parent
HOST = "127.0.0.1"
PORT = int(os.environ.get("SOAK_PORT", "8310"))
DATABASE = os.environ.get("SOAK_DATABASE", "soak")
REDIS_URL = os.environ.get("SOAK_REDIS_URL", "redis://127.0.0.1:6379/8")
MINUTES = float(os.environ.get("SOAK_MINUTES", "10"))
WARMUP_SECONDS = int(os.environ.get("SOAK_WARMUP_SECONDS", "60"))
USERS = int(os.environ.get("SOAK_USERS", "10"))
WORKERS = int(os.environ.get("SOAK_WORKERS", "2"))
SAMPLE_SECONDS = 5
REUSE = os.environ.get("SOAK_REUSE") == "1"  # keep the database of the last run (development)
MAX_RSS_GROWTH = float(os.environ.get("SOAK_MAX_RSS_GROWTH", "0.10"))


def log(message: str) -> None:
    print(f"[soak {time.strftime('%H:%M:%S')}] {message}", flush=True)


def server_url(name: str = "postgres") -> str:
    parts = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/"))
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


def shop_env() -> dict[str, str]:
    """Production settings, as the README's production section sets them (TLS is the proxy's)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SOAK_"))}
    return env | {
        "PYTHONWARNINGS": "ignore",
        "DJANGO_SETTINGS_MODULE": "shop.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "soak-" + "s" * 50,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # no TLS proxy in front of the soak
        "DATABASE_URL": server_url(DATABASE),
        "REDIS_URL": REDIS_URL,
        "DJANGO_STATIC_ROOT": str(VAR / "static"),
        "DJANGO_MEDIA_ROOT": str(VAR / "media"),
    }


def manage(*args: str) -> str:
    done = subprocess.run([PY, *args], cwd=BASE_DIR, env=shop_env(), capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"python {' '.join(args)} failed:\n{done.stdout}{done.stderr[-3000:]}")
    return done.stdout


def build() -> None:
    with psycopg.connect(server_url(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if REUSE and exists:
            log(f"database {DATABASE}: reused (SOAK_REUSE=1)")
        else:
            log(f"database {DATABASE}: demo catalogue, stock raised for the orders")
            conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
    if not (REUSE and exists):
        manage("manage.py", "migrate", "--noinput", "-v0")
        manage("manage.py", "load_demo")
        manage("manage.py", "collectstatic", "--noinput", "-v0")
    log(manage("-m", "soak.paths", "--out", str(VAR / "paths.json")).strip())
    redis.Redis.from_url(REDIS_URL).flushdb()


def start_gunicorn() -> subprocess.Popen:
    with socket.socket() as s:
        if s.connect_ex((HOST, PORT)) == 0:
            raise SystemExit(f"port {PORT} is taken; set SOAK_PORT")
    out = (VAR / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "shop.wsgi_media:application",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=shop_env(),
        stdout=out,
        stderr=out,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {out.name}")
        try:
            urllib.request.urlopen(f"http://{HOST}:{PORT}/", timeout=30).read()
            return process
        except OSError:
            time.sleep(0.5)
    stop(process)
    raise SystemExit(f"gunicorn did not answer on port {PORT}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def worker_rss(master: subprocess.Popen) -> dict[int, int]:
    """RSS in bytes of each gunicorn worker, by PID."""
    rss = {}
    for child in psutil.Process(master.pid).children():
        try:
            rss[child.pid] = child.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return rss


def connections(conn) -> int:
    sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
    return conn.execute(sql, [DATABASE]).fetchone()[0]


def locust_totals() -> dict:
    """Requests and failures per name, and in all, from locust's CSV."""
    rows = list(csv.DictReader((VAR / "locust_stats.csv").open()))
    per_name = {
        row["Name"]: {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"])}
        for row in rows
        if row["Name"] != "Aggregated"
    }
    total = next(row for row in rows if row["Name"] == "Aggregated")
    failures = list(csv.DictReader((VAR / "locust_failures.csv").open()))
    return {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p50_ms": total["50%"],
        "p99_ms": total["99%"],
        "per_name": per_name,
        "failure_kinds": [
            f"{row['Occurrences']}× {row['Method']} {row['Name']}: {row['Error']}"
            for row in failures
        ],
    }


def orders(before: dict | None = None) -> dict:
    """Orders and queued mails in the soak's database (made since `before`, if given)."""
    before = before or {"placed": 0, "queued_mail": 0}
    with psycopg.connect(server_url(DATABASE), autocommit=True) as conn:
        placed = conn.execute("SELECT count(*) FROM order_order").fetchone()[0]
        without_lines = conn.execute(
            "SELECT count(*) FROM order_order o WHERE NOT EXISTS "
            "(SELECT 1 FROM order_line l WHERE l.order_id = o.id)"
        ).fetchone()[0]
        queued_mail = conn.execute("SELECT count(*) FROM post_office_email").fetchone()[0]
    return {
        "placed": placed - before["placed"],
        "without_lines": without_lines,
        "queued_mail": queued_mail - before["queued_mail"],
    }


def soak(master: subprocess.Popen) -> dict:
    run_seconds = int(WARMUP_SECONDS + MINUTES * 60)
    log(
        f"locust: {USERS} users for {WARMUP_SECONDS} s warm-up + {MINUTES:g} min on "
        f"http://{HOST}:{PORT} ({WORKERS} gunicorn workers)"
    )
    locust = subprocess.Popen(
        [
            str(BIN / "locust"),
            "-f",
            str(BASE_DIR / "soak" / "locustfile.py"),
            "--headless",
            "--users",
            str(USERS),
            "--spawn-rate",
            str(max(1, USERS // 5)),
            "--run-time",
            f"{run_seconds}s",
            "--host",
            f"http://{HOST}:{PORT}",
            "--csv",
            str(VAR / "locust"),
            "--only-summary",
            "--stop-timeout",
            "30",
        ],
        cwd=BASE_DIR,
        env={**os.environ, "SOAK_PATHS": str(VAR / "paths.json")},
        stdout=(VAR / "locust.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    started = time.time()
    samples = []
    with psycopg.connect(server_url(), autocommit=True) as conn:
        try:
            while locust.poll() is None:
                samples.append(
                    {
                        "t": round(time.time() - started),
                        "rss": worker_rss(master),
                        "connections": connections(conn),
                        "load": round(os.getloadavg()[0], 2),
                    }
                )
                time.sleep(SAMPLE_SECONDS)
        finally:
            stop(locust)
    return {"samples": samples, "locust_exit": locust.returncode}


def main() -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    build()
    before = orders()
    master = start_gunicorn()
    try:
        run = soak(master)
    finally:
        stop(master)
    totals = locust_totals()
    placed = orders(before)
    result, broken = figures(
        run,
        totals,
        placed,
        warmup_seconds=WARMUP_SECONDS,
        workers=WORKERS,
        max_rss_growth=MAX_RSS_GROWTH,
    )
    result |= {"minutes": MINUTES, "users": USERS}
    result["broken"] = broken
    (VAR / "result.json").write_text(json.dumps(result | {"samples": run["samples"]}, indent=1))
    rss = ", ".join(
        f"{w['rss_start_mb']} → {w['rss_end_mb']} MB ({w['growth']:+.1%})"
        for w in result["worker_rss"].values()
        if w["growth"] is not None
    )
    conns = result["connections"]
    log(
        f"requests {result['requests']:,} ({result['rps']:.1f}/s, p50 {result['p50_ms']} ms, "
        f"p99 {result['p99_ms']} ms), failures {result['failures']}"
    )
    log(
        f"orders placed {placed['placed']} ('place order' requests "
        f"{result['place_order_requests'].get('requests', 0)}), without lines "
        f"{placed['without_lines']}, mails queued {placed['queued_mail']}"
    )
    log(f"worker RSS after warm-up → end: {rss} (limit +{MAX_RSS_GROWTH:.0%})")
    log(
        f"database connections after warm-up {conns['after_warmup']}, end {conns['end']}, "
        f"min {conns['min']}, max {conns['max']} (limit {WORKERS})"
    )
    log(f"load average {result['loadavg']} (2 cores, shared machine)")
    for kind in result["failure_kinds"][:20]:
        log(f"failure: {kind}")
    if broken:
        log("LIMITS BROKEN: " + "; ".join(broken))
        raise SystemExit(1)
    log(f"all limits held; figures in {VAR / 'result.json'}")


if __name__ == "__main__":
    main()
