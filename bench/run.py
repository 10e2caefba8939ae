"""`make bench`: build catalogues S and L, serve ours and stock Oscar in turn, load them, report.

    .venv/bin/python -m bench.run                 # full run (about 30 minutes on 2 cores)
    BENCH_QUICK=1 .venv/bin/python -m bench.run   # smoke run: 5 s per URL, fewer URLs
    BENCH_REUSE=1 ...                             # keep the catalogues of the previous run

Everything listens on 127.0.0.1 only; servers are started and stopped by PID. Databases on the
PostgreSQL server of DATABASE_URL (default postgres://postgres@127.0.0.1:5432): bench_s, bench_l
(ours) and bench_stock_s, bench_stock_l (stock Oscar, same products). See bench/README.md.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from bench.catalogue import BENCH_CUSTOMER_EMAIL, BENCH_CUSTOMER_PASSWORD
from bench.queries import PAGES, POSTS, VISITORS
from bench.report import parse_wrk, report

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("BENCH_VAR", BASE_DIR / "var" / "bench"))
RESULTS = BASE_DIR / "bench" / "results"
PY = sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))
HOST = "127.0.0.1"
# Another engineer's run on the same machine uses other ports and databases (BENCH_PORTS,
# BENCH_DB_PREFIX): the defaults are the integrator's.
PORTS = dict(
    zip(
        ("ours", "stock"),
        map(int, os.environ.get("BENCH_PORTS", "8201,8202").split(",")),
        strict=True,
    )
)
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "bench")
WORKERS = ["-w", "2", "-k", "sync"]
QUICK = os.environ.get("BENCH_QUICK") == "1"
REUSE = os.environ.get("BENCH_REUSE") == "1"
SIZES = os.environ.get("BENCH_SIZES", "S,L").split(",")
DURATION = os.environ.get("BENCH_DURATION", "5s" if QUICK else "15s")
# wrk's default 2 s timeout would drop the slow listing pages from the latency histogram.
WRK = ["wrk", "-t2", "-c16", f"-d{DURATION}", "--latency", "--timeout", "30s"]
PORT_WAIT_SECONDS = int(os.environ.get("BENCH_PORT_WAIT", "600"))
WARM_UP_SECONDS = 10  # per page: sequential requests until 6 are done or this much time passed
QUICK_PAGES = ["collection", "product", "search", "basket", "private"]
# Only these rows (e.g. BENCH_PAGES=basket_add,basket), for both shops, in table order.
ONLY_PAGES = [p for p in os.environ.get("BENCH_PAGES", "").replace(" ", "").split(",") if p]
CSRF = secrets.token_hex(16)  # a valid CSRF secret: 32 characters of [0-9a-f]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- databases and child processes ---------------------------------------------------------


def server_url() -> str:
    parts = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/"))
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def db_url(name: str) -> str:
    return f"{server_url()}/{name}"


def recreate_database(name: str) -> None:
    import psycopg

    with psycopg.connect(db_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(db_url("postgres"), autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


# Our shop's production settings as the benchmark serves them (bench.explain serves the same).
PRODUCTION_SETTINGS = {
    "DJANGO_SETTINGS_MODULE": "shop.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "bench-" + "x" * 50,
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_CONN_MAX_AGE": "60",
}


def shop_env(shop: str, size: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "BENCH_STOCK"))}
    env["PYTHONWARNINGS"] = "ignore"
    env["BENCH_VAR"] = str(VAR)
    if shop == "ours":
        return {
            **env,
            **PRODUCTION_SETTINGS,
            # Production settings: the page, fragment and thumbnail caches in Redis, shared by
            # both workers (a database of its own, emptied by bench.queries for cold counts).
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3"),
            "DJANGO_STATIC_ROOT": str(VAR / "static-ours"),
            "DJANGO_MEDIA_ROOT": str(VAR / "media"),
            "DATABASE_URL": db_url(shop_database("ours", size)),
        }
    return env | {
        "DJANGO_SETTINGS_MODULE": "bench.stock_settings",
        "BENCH_STOCK_DB": db_url(shop_database("stock", size)),
        "BENCH_WHOOSH": f"whoosh-{size.lower()}",
        "BENCH_CONN_MAX_AGE": "60",
    }


def django(shop: str, size: str, *args: str) -> str:
    """Run `python -m <args>` for one shop and catalogue; its output goes to a log file."""
    logfile = VAR / "logs" / f"{shop}-{size}.log"
    logfile.parent.mkdir(parents=True, exist_ok=True)
    with logfile.open("a") as out:
        out.write(f"\n$ python -m {' '.join(args)}\n")
        out.flush()
        done = subprocess.run(
            [PY, "-m", *args],
            cwd=BASE_DIR,
            env=shop_env(shop, size),
            stdout=subprocess.PIPE,
            stderr=out,
            text=True,
        )
        out.write(done.stdout)
    if done.returncode:
        tail = "".join(logfile.read_text().splitlines(keepends=True)[-25:])
        raise SystemExit(f"python -m {' '.join(args)} failed ({shop}, {size}):\n{tail}")
    return done.stdout


def manage(shop: str, size: str, *args: str) -> str:
    return django(shop, size, "django", *args)


# --- catalogues --------------------------------------------------------------------------------


def vacuum(name: str) -> None:
    """VACUUM (ANALYZE) one database: autovacuum may be off on the server (it is on the CI
    machine), and a freshly bulk-built catalogue without statistics gets plans production would
    not (sequential scans for 24-id lookups). Both shops' databases get it, the same way."""
    import psycopg

    with psycopg.connect(db_url(name), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


def build(size: str) -> None:
    ours, stock = shop_database("ours", size), shop_database("stock", size)
    if REUSE and database_exists(ours) and database_exists(stock):
        log(f"catalogue {size}: reusing {ours} and {stock} (BENCH_REUSE=1)")
        manage("ours", size, "migrate", "--noinput", "-v0")
        for name in (ours, stock):
            vacuum(name)
        return
    log(f"catalogue {size}: building {ours} (ours) and {stock} (stock Oscar, same products)")
    for name in (ours, stock):
        recreate_database(name)
    manage("ours", size, "migrate", "--noinput", "-v0")
    django("ours", size, "bench.catalogue", "ours", "--size", size)
    spec = VAR / f"spec-{size.lower()}.json"
    django("ours", size, "bench.catalogue", "dump", "--out", str(spec))
    manage("stock", size, "migrate", "--noinput", "-v0")
    django("stock", size, "bench.catalogue", "stock", "--spec", str(spec))
    shutil.rmtree(VAR / f"whoosh-{size.lower()}", ignore_errors=True)
    log(f"catalogue {size}: indexing stock Oscar's products in Whoosh")
    manage("stock", size, "rebuild_index", "--noinput")
    for name in (ours, stock):
        vacuum(name)


def counts(shop: str, size: str) -> dict:
    code = (
        "import django,json;django.setup();from bench.catalogue import counts;"
        "print(json.dumps(counts()))"
    )
    logfile = VAR / "logs" / f"{shop}-{size}.log"
    out = subprocess.run(
        [PY, "-c", code], cwd=BASE_DIR, env=shop_env(shop, size), capture_output=True, text=True
    )
    if out.returncode:
        logfile.open("a").write(out.stderr)
        raise SystemExit(f"counting {shop} {size} failed, see {logfile}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- HTTP ----------------------------------------------------------------------------------------


def request(
    port: int, method: str, path: str, cookie: str = "", form: dict | None = None
) -> tuple[int, bytes, list]:
    """One request with the fixed CSRF cookie (+ `cookie`); a POST sends the CSRF token and
    `form` (default: quantity 1, the add-to-basket form)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    headers = {"Cookie": f"csrftoken={CSRF}" + (f"; {cookie}" if cookie else "")}
    body = None
    if method == "POST":
        body = urlencode({"csrfmiddlewaretoken": CSRF, **(form or {"quantity": 1})})
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, data, response.getheaders()


def basket_cookie(port: int, add_path: str) -> str:
    """Add the bench product to a new basket; return the basket cookie Oscar set."""
    status, _, headers = request(port, "POST", add_path)
    for name, value in headers:
        if name.lower() == "set-cookie" and value.startswith("oscar_open_basket="):
            return value.split(";", 1)[0]
    raise SystemExit(f"add to basket answered {status} without a basket cookie")


def set_cookie(headers: list, name: str) -> str | None:
    """`name=value` of the Set-Cookie header for cookie `name` (None: not set, or deleted)."""
    for header, value in headers:
        if header.lower() == "set-cookie" and value.startswith(f"{name}="):
            pair = value.split(";", 1)[0]
            return pair if pair != f"{name}=" and pair != f'{name}=""' else None
    return None


def customer_cookie(shop: str, size: str, paths: dict) -> str:
    """Log the bench's customer in through Oscar's login form (e-mail and password, as a
    browser posts it) and put the bench product in the customer's basket; return the session
    cookie. The login rotates the CSRF token, but a token stays valid with its own cookie, so
    the fixed one is kept."""
    port = PORTS[shop]
    form = {
        "login-username": BENCH_CUSTOMER_EMAIL,
        "login-password": BENCH_CUSTOMER_PASSWORD,
        "login-redirect_url": "",
        "login_submit": "Log In",
    }
    status, _, headers = request(port, "POST", paths["login"], form=form)
    session = set_cookie(headers, "sessionid")
    if status != 302 or not session:
        raise RuntimeError(
            f"{shop}: logging the customer in answered {status} "
            f"{'without' if not session else 'with'} a session cookie"
        )
    before = customer_units(shop, size)
    status, _, _ = request(port, "POST", paths["basket_add"], session)
    added = customer_units(shop, size) - before
    if status != 302 or added != 1:
        raise RuntimeError(f"{shop}: the customer's add to basket answered {status}, {added} added")
    return session


def shop_database(shop: str, size: str) -> str:
    kind = "" if shop == "ours" else "_stock"
    return f"{DB_PREFIX}{kind}_{size.lower()}"


def customer_units(shop: str, size: str) -> int:
    """Units in the customer's open baskets (both shops: Oscar's tables, Django's user)."""
    import psycopg

    sql = (
        "SELECT COALESCE(SUM(l.quantity), 0) FROM basket_line l "
        "JOIN basket_basket b ON b.id = l.basket_id JOIN auth_user u ON u.id = b.owner_id "
        "WHERE lower(u.email) = lower(%s) AND b.status = 'Open'"
    )
    with psycopg.connect(db_url(shop_database(shop, size)), autocommit=True) as conn:
        return conn.execute(sql, [BENCH_CUSTOMER_EMAIL]).fetchone()[0]


def units_in_baskets(shop: str, size: str) -> int:
    """All units in all basket lines of one shop's database (the same table in both)."""
    import psycopg

    with psycopg.connect(db_url(shop_database(shop, size)), autocommit=True) as conn:
        return conn.execute("SELECT COALESCE(SUM(quantity), 0) FROM basket_line").fetchone()[0]


def port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex((HOST, port)) != 0


def start(shop: str, size: str) -> subprocess.Popen:
    port = PORTS[shop]
    deadline = time.time() + PORT_WAIT_SECONDS
    while not port_free(port):
        # Another run (another engineer's) may be using it: wait for it, never stop it.
        if time.time() > deadline:
            raise SystemExit(f"port {port} is still taken; stop what listens there first")
        log(f"port {port} is taken; waiting for it to be free")
        time.sleep(15)
    app = "shop.wsgi:application" if shop == "ours" else "bench.stock_wsgi:application"
    errors = (VAR / "logs" / f"gunicorn-{shop}-{size}.log").open("a")
    cmd = [GUNICORN, app, "-b", f"{HOST}:{port}", *WORKERS, "--log-level", "warning"]
    process = subprocess.Popen(
        cmd, cwd=BASE_DIR, env=shop_env(shop, size), stdout=errors, stderr=errors
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn for {shop} exited; see {errors.name}")
        try:
            request(port, "GET", "/")
            return process
        except OSError:
            time.sleep(0.3)
    stop(process)
    raise SystemExit(f"gunicorn for {shop} did not answer on port {port}")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wrk(port: int, method: str, path: str, cookie: str, duration: str | None = None) -> dict:
    cmd = list(WRK)
    if duration:
        cmd[cmd.index(f"-d{DURATION}")] = f"-d{duration}"
    cmd += ["-H", f"Cookie: csrftoken={CSRF}" + (f"; {cookie}" if cookie else "")]
    if method == "POST":
        script = VAR / "post.lua"
        script.write_text(
            'wrk.method = "POST"\n'
            f'wrk.body = "csrfmiddlewaretoken={CSRF}&quantity=1"\n'
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        )
        cmd += ["-s", str(script)]
    cmd.append(f"http://{HOST}:{port}{path}")
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    result = parse_wrk(done.stdout)
    result["cmd"] = " ".join(cmd)
    return result


# --- one shop, one catalogue ------------------------------------------------------------------


def load_page(shop: str, size: str, page: str, visitor: str, path: str, cookie: str) -> dict:
    """Warm one page up, then drive it with wrk; a failure is recorded, never fatal."""
    port, method = PORTS[shop], "POST" if page in POSTS else "GET"
    run = {"path": path}
    try:
        started = time.time()
        for _ in range(6):  # every worker renders the page once at least (templates, thumbnails)
            status, body, _ = request(port, method, path, cookie)
            if time.time() - started > WARM_UP_SECONDS:
                break
        run |= {"status": status, "bytes": len(body)}
        if status != (302 if method == "POST" else 200):
            log(f"{shop} {size} {page} ({visitor}): status {status}; not loaded")
            return run
        if not QUICK:
            wrk(port, method, path, cookie, duration="3s")
        before = units_in_baskets(shop, size) if method == "POST" else None
        run |= wrk(port, method, path, cookie)
        if before is not None:
            # Every add must have added: a refused add (out of stock, too many) also answers
            # 302, and would be timed instead of an add.
            run["units_added"] = units_in_baskets(shop, size) - before
    except (OSError, subprocess.CalledProcessError) as exc:
        log(f"{shop} {size} {page} ({visitor}): {exc!r}; not loaded")
        return run | {"status": "error", "error": repr(exc)}
    added = f", {run['units_added']:,} units added" if "units_added" in run else ""
    log(
        f"{shop} {size} {page:<10} {visitor:<8} {run['rps']:8.1f} req/s "
        f"p50 {run['p50']} ms p99 {run['p99']} ms ({run['bytes']:,} B, "
        f"{run['requests']:,} requests{added})"
    )
    return run


def measure_shop(shop: str, size: str, pages: list[str]) -> dict:
    out_file = VAR / f"queries-{shop}-{size.lower()}.json"
    log(f"{shop} {size}: SQL queries per page (in-process)")
    django(shop, size, "bench.queries", "--out", str(out_file))
    found = json.loads(out_file.read_text())
    paths = found["paths"]
    port = PORTS[shop]
    # Stock Oscar has no guide page: the report compares ours with its product page.
    wanted = [p for p in pages if paths.get(p)]
    process = start(shop, size)
    before = os.getloadavg()
    load = {visitor: {} for visitor in VISITORS}
    try:
        cookies = {"anon": "", "cookie": basket_cookie(port, paths["basket_add"])}
        try:
            cookies["customer"] = customer_cookie(shop, size, paths)
        except (RuntimeError, OSError) as exc:
            # Recorded, not fatal: the report shows the customer's rows as not measured.
            log(f"{shop} {size}: no customer visitor: {exc}")
            load["customer"] = {page: {"status": "login failed"} for page in wanted}
        for visitor, cookie in cookies.items():
            for page in wanted:
                load[visitor][page] = load_page(shop, size, page, visitor, paths[page], cookie)
    finally:
        stop(process)
    after = os.getloadavg()
    counts_ = found["counts"]
    for visitor in counts_:
        for page in counts_[visitor]:
            counts_[visitor][page].pop("sql", None)  # kept in var/bench/queries-*.json
            counts_[visitor][page].pop("cold_sql", None)
    return {
        "paths": paths,
        "queries": counts_,
        "load": load,
        "loadavg": [before[0], after[0]],
    }


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (make bench does this)")
    VAR.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    git = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True
    ).stdout.strip()
    import oscar

    results = {
        "meta": {
            "started": started.strftime("%Y-%m-%d %H:%M UTC"),
            "host": socket.gethostname(),
            "cpus": os.cpu_count(),
            "git": git,
            "oscar": oscar.get_version(),
            "quick": QUICK,
            "pages": ONLY_PAGES,
            "wrk": " ".join(WRK) + " URL",
            "gunicorn": " ".join(WORKERS),
        },
        "catalogues": {},
    }
    for size in SIZES:
        build(size)
    log("collectstatic for both shops")
    manage("ours", SIZES[0], "collectstatic", "--noinput", "-v0")
    manage("stock", SIZES[0], "collectstatic", "--noinput", "-v0")
    pages = QUICK_PAGES if QUICK else PAGES
    if ONLY_PAGES:
        unknown = set(ONLY_PAGES) - set(PAGES)
        if unknown:
            raise SystemExit(f"BENCH_PAGES: no such page {sorted(unknown)}; pages: {PAGES}")
        pages = [p for p in PAGES if p in ONLY_PAGES]
    stamp = started.strftime("%Y%m%d-%H%M%S") + ("-quick" if QUICK else "")
    stamp += "-" + "-".join(ONLY_PAGES) if ONLY_PAGES else ""
    for size in SIZES:
        catalogue = {"counts": {}, "shops": {}, "loadavg": {}}
        results["catalogues"][size] = catalogue
        for shop in ("ours", "stock"):
            # The schema must match the code being measured (the tree may have moved on).
            manage(shop, size, "migrate", "--noinput", "-v0")
            catalogue["counts"][shop] = counts(shop, size)
            django(shop, size, "bench.catalogue", "prepare")
            result = measure_shop(shop, size, pages)
            catalogue["loadavg"][shop] = result.pop("loadavg")
            catalogue["shops"][shop] = result
            save(results, stamp)  # a run cut short still leaves what it measured
    results["meta"]["finished"] = datetime.now(UTC).strftime("%H:%M UTC")
    text = save(results, stamp)
    if not QUICK and not ONLY_PAGES:
        (RESULTS / "latest.md").write_text(text, encoding="utf-8")
    print(text)
    log(f"written to {RESULTS / (stamp + '.md')}")


def save(results: dict, stamp: str) -> str:
    text = report(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{stamp}.md").write_text(text, encoding="utf-8")
    (RESULTS / f"{stamp}.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    return text


if __name__ == "__main__":
    main()
