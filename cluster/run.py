"""`make cluster`: the shop as several app servers behind Varnish, on this machine (issue 17).

    .venv/bin/python -m cluster.run start     # build the database once, start everything
    .venv/bin/python -m cluster.run stop      # stop what `start` started, by the PIDs it wrote
    .venv/bin/python -m cluster.run status    # what runs, the backends' health in Varnish

Topology (ports from the environment, defaults below; everything on 127.0.0.1):

    visitors ──> varnishd :8600 (cluster/shop.vcl: cache of shared pages, xkey purges,
                   │              round robin over the healthy app servers, probe /gezondheid/)
                   ├──> gunicorn app server 1 :8611 ─┐  (each: shop.wsgi, 2 workers × 4 threads,
                   ├──> gunicorn app server 2 :8612 ─┤   production settings)
                   └──> moto S3 endpoint :8601 (bucket `shop-media`, served as /media/)
    app servers, worker ──> PostgreSQL :5432 (database cluster_db), Redis :6379 db 10 (cache,
                            session cache, thumbnail records), moto S3 :8601 (media),
                            RabbitMQ :5672 vhost cluster_shop (tasks; Redis db 11 without it)
    celery worker (shop.celery) ──> Varnish (PURGE), SMTP sink :8625 (aiosmtpd, the outbox's mail)
    app servers ──> Varnish (PURGE on commit, when no broker)

The database is built once (migrate, demo data, collectstatic; CLUSTER_FRESH=1 builds it anew).
Every process runs in a process group of its own, its PID in var/cluster/<name>.pid; `stop`
ends each group by that PID (never by name). The environment of the app servers (settings) is
soak.run's production environment plus the cluster's services: `cluster_env()`.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
import redis

from cluster.backends import app_backend, backends_vcl
from soak import run as soak

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("CLUSTER_VAR", BASE_DIR / "var" / "cluster"))
PY = sys.executable
BIN = Path(PY).parent
HOST = "127.0.0.1"
VARNISH_PORT = int(os.environ.get("CLUSTER_VARNISH_PORT", "8600"))
VARNISH_ADMIN_PORT = int(os.environ.get("CLUSTER_VARNISH_ADMIN_PORT", "8602"))
S3_PORT = int(os.environ.get("CLUSTER_S3_PORT", "8601"))
SMTP_PORT = int(os.environ.get("CLUSTER_SMTP_PORT", "8625"))
APP_PORTS = [int(p) for p in os.environ.get("CLUSTER_APP_PORTS", "8611,8612").split(",")]
APP_WORKERS = int(os.environ.get("CLUSTER_APP_WORKERS", "2"))
# Threads per worker: the proxy's health probe and the private parts are answered while a worker
# renders a page (sync workers made probes wait behind renders and time out under load).
APP_THREADS = int(os.environ.get("CLUSTER_APP_THREADS", "4"))
CELERY_CONCURRENCY = int(os.environ.get("CLUSTER_CELERY_CONCURRENCY", "2"))
DATABASE = os.environ.get("CLUSTER_DATABASE", "cluster_db")
REDIS_URL = os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/10")
RABBIT_VHOST = os.environ.get("CLUSTER_RABBIT_VHOST", "cluster_shop")
REDIS_BROKER_URL = os.environ.get("CLUSTER_REDIS_BROKER_URL", "redis://127.0.0.1:6379/11")
BUCKET = os.environ.get("CLUSTER_BUCKET", "shop-media")
FRESH = os.environ.get("CLUSTER_FRESH") == "1"
VARNISHD = os.environ.get("CLUSTER_VARNISHD", "/usr/sbin/varnishd")
S3_KEY = "cluster"  # moto accepts any credentials; set as for a real bucket


def log(message: str) -> None:
    print(f"[cluster {time.strftime('%H:%M:%S')}] {message}", flush=True)


def varnish_url() -> str:
    return f"http://{HOST}:{VARNISH_PORT}"


def app_url(index: int) -> str:
    return f"http://{HOST}:{APP_PORTS[index]}"


def broker_url() -> str:
    """RabbitMQ on a vhost of the cluster's own when rabbitmqctl can make one, else Redis."""
    marker = VAR / "broker"
    if marker.exists():
        return marker.read_text().strip()
    url = REDIS_BROKER_URL
    if shutil.which("rabbitmqctl"):
        made = subprocess.run(
            ["rabbitmqctl", "add_vhost", RABBIT_VHOST], capture_output=True, text=True, timeout=60
        )
        if made.returncode == 0 or "already exists" in made.stderr + made.stdout:
            subprocess.run(
                ["rabbitmqctl", "set_permissions", "-p", RABBIT_VHOST, "guest", ".*", ".*", ".*"],
                capture_output=True,
                timeout=60,
                check=True,
            )
            url = f"amqp://guest:guest@{HOST}:5672/{RABBIT_VHOST}"
    marker.write_text(url)
    return url


def cluster_env() -> dict[str, str]:
    """soak.run's production settings with the cluster's database, cache, bucket, queue and
    proxy: what every app server and worker runs with."""
    return soak.shop_env() | {
        "DJANGO_SECRET_KEY": "cluster-" + "c" * 50,
        "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
        "DATABASE_URL": soak.server_url(DATABASE),
        "REDIS_URL": REDIS_URL,
        "DJANGO_STATIC_ROOT": str(VAR / "static"),
        "DJANGO_MEDIA_ROOT": str(VAR / "no-local-media"),  # media live in the bucket
        # Purges make the proxy's copies stale at once: it may keep them for an hour.
        "SHOP_SHARED_PROXY_SECONDS": "3600",
        "SHOP_PROXY_PURGE_URLS": varnish_url() + "/",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": f"http://{HOST}:{S3_PORT}",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": S3_KEY,
        "AWS_SECRET_ACCESS_KEY": S3_KEY,
        "AWS_S3_CUSTOM_DOMAIN": f"{HOST}:{VARNISH_PORT}/media",
        "AWS_S3_URL_PROTOCOL": "http:",
        "CELERY_BROKER_URL": broker_url(),
        "SHOP_HEALTH_CHECK": "1",
        "DJANGO_EMAIL_HOST": HOST,
        "DJANGO_EMAIL_PORT": str(SMTP_PORT),
    }


def manage(*args: str) -> str:
    """A command with the cluster's settings, sending no purges (the proxy starts later)."""
    env = cluster_env() | {"SHOP_PROXY_PURGE_URLS": "", "CELERY_BROKER_URL": ""}
    done = subprocess.run([PY, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"python {' '.join(args)} failed:\n{done.stdout}{done.stderr[-3000:]}")
    return done.stdout


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((HOST, port)) != 0


def wait_port(port: int, name: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} exited; see {VAR / (name + '.log')}")
        if not port_free(port):
            return
        time.sleep(0.2)
    raise SystemExit(f"{name} did not listen on {port}; see {VAR / (name + '.log')}")


# --- processes, by PID ---------------------------------------------------------------------


def pid_file(name: str) -> Path:
    return VAR / f"{name}.pid"


def spawn(name: str, cmd: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start `cmd` in a process group of its own (its children end with it); PID to a file."""
    out = (VAR / f"{name}.log").open("a")
    process = subprocess.Popen(
        cmd,
        cwd=BASE_DIR,
        env=env if env is not None else cluster_env(),
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    pid_file(name).write_text(str(process.pid))
    return process


def running(name: str) -> int | None:
    """The PID of `name` when its group still runs."""
    try:
        pid = int(pid_file(name).read_text())
        os.killpg(pid, 0)
    except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
        return None
    return pid


def stop_process(name: str, sig: int = signal.SIGTERM, wait: float = 20) -> None:
    """End the process group of `name` (SIGKILL after `wait` seconds)."""
    pid = running(name)
    if pid is not None:
        os.killpg(pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and running(name):
            try:
                os.waitpid(pid, os.WNOHANG)  # reaps it when this process started it
            except ChildProcessError:
                pass
            time.sleep(0.1)
        if running(name):
            os.killpg(pid, signal.SIGKILL)
    pid_file(name).unlink(missing_ok=True)


def app_name(index: int) -> str:
    return app_backend(index)


def start_app(index: int) -> subprocess.Popen:
    name = app_name(index)
    process = spawn(
        name,
        [
            str(BIN / "gunicorn"),
            "shop.wsgi:application",
            "--bind",
            f"{HOST}:{APP_PORTS[index]}",
            "--workers",
            str(APP_WORKERS),
            "--worker-class",
            "gthread",
            "--threads",
            str(APP_THREADS),
            # Varnish keeps idle backend connections up to backend_idle_timeout (30 s, below):
            # closed first by gunicorn (its default: 2 s), a post sent on one fails with a 503.
            "--keep-alive",
            "75",
            "--timeout",
            "30",
            "--log-level",
            "warning",
        ],
    )
    wait_port(APP_PORTS[index], name, process)
    # Warm each worker (imports, connections) before the proxy's first probe.
    for _ in range(APP_WORKERS * 2):
        for path in ("/gezondheid/", "/catalogue/"):
            try:
                urllib.request.urlopen(app_url(index) + path, timeout=30).read()
            except OSError:
                pass
    return process


def start_celery() -> subprocess.Popen:
    return spawn(
        "celery",
        [
            str(BIN / "celery"),
            "-A",
            "shop.celery",
            "worker",
            "--concurrency",
            str(CELERY_CONCURRENCY),
            "--hostname",
            "cluster1@%h",
            "--loglevel",
            "info",
            "--without-gossip",
            "--without-mingle",
            # The one scheduler of the cluster: the outbox's retries every minute.
            "--beat",
            "--schedule",
            str(VAR / "celerybeat-schedule"),
        ],
    )


# --- the parts ------------------------------------------------------------------------------


def start_s3() -> None:
    process = spawn("s3", [str(BIN / "moto_server"), "-H", HOST, "-p", str(S3_PORT)])
    wait_port(S3_PORT, "s3", process)
    # boto3 comes with the `cluster` extra: imported only by the cluster's start.
    import boto3

    env = cluster_env()
    client = boto3.client(
        "s3",
        endpoint_url=env["AWS_S3_ENDPOINT_URL"],
        aws_access_key_id=S3_KEY,
        aws_secret_access_key=S3_KEY,
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    # Media are public (product photos): readable by anyone, as a real bucket behind a CDN.
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicRead",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))
    log(f"S3 (moto) on {HOST}:{S3_PORT}, bucket {BUCKET}")


def start_smtp() -> None:
    process = spawn(
        "smtp",
        [
            str(BIN / "aiosmtpd"),
            "-n",
            "-l",
            f"{HOST}:{SMTP_PORT}",
            "-c",
            "aiosmtpd.handlers.Debugging",
        ],
    )
    wait_port(SMTP_PORT, "smtp", process)


def build() -> None:
    """The cluster's database (once; CLUSTER_FRESH=1 anew): schema, demo data with its images
    uploaded to the bucket, static files, the load test's paths."""
    with psycopg.connect(soak.server_url(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if exists and FRESH:
            conn.execute(f'DROP DATABASE "{DATABASE}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
    log(f"database {DATABASE}: migrate, demo data (images to the bucket), collectstatic")
    manage("manage.py", "migrate", "--noinput", "-v0")
    # The bucket is new on every start (moto keeps it in memory): the demo's images are
    # uploaded anew (load_demo makes a product's image only when it has none).
    manage(
        "manage.py",
        "shell",
        "-c",
        "from oscar.core.loading import get_model; "
        "get_model('catalogue', 'ProductImage').objects.all().delete()",
    )
    manage("manage.py", "load_demo")
    manage("manage.py", "collectstatic", "--noinput", "-v0")
    log(manage("-m", "soak.paths", "--out", str(VAR / "paths.json")).strip())
    redis.Redis.from_url(REDIS_URL).flushdb()


def write_backends() -> Path:
    path = VAR / "vcl" / "backends.vcl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(backends_vcl(app_ports=APP_PORTS, s3_port=S3_PORT, bucket=BUCKET, host=HOST))
    return path


def varnish_cmd(extra: list[str]) -> list[str]:
    return [
        VARNISHD,
        "-n",
        str(VAR / "varnish"),
        "-f",
        str(BASE_DIR / "cluster" / "shop.vcl"),
        "-p",
        f"vcl_path={VAR / 'vcl'}",
        *extra,
    ]


def start_varnish() -> None:
    write_backends()
    secret = VAR / "varnish.secret"
    secret.write_text(os.urandom(16).hex())
    process = spawn(
        "varnish",
        varnish_cmd(
            [
                "-F",
                "-j",
                "none",  # no jail: the machine's varnish user need not read this worktree
                "-a",
                f"{HOST}:{VARNISH_PORT}",
                "-T",
                f"{HOST}:{VARNISH_ADMIN_PORT}",
                "-S",
                str(secret),
                "-s",
                "malloc,256m",
                "-p",
                "thread_pool_min=50",
                "-p",
                "backend_idle_timeout=30",
            ]
        ),
        env={**os.environ},
    )
    wait_port(VARNISH_PORT, "varnish", process)


def varnishadm(*args: str) -> str:
    done = subprocess.run(
        [
            "varnishadm",
            "-T",
            f"{HOST}:{VARNISH_ADMIN_PORT}",
            "-S",
            str(VAR / "varnish.secret"),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=10,
    )
    return done.stdout


def healthy_backends() -> list[str]:
    """The app servers Varnish's probe finds healthy."""
    healthy = []
    for line in varnishadm("backend.list").splitlines():
        parts = line.split()
        if (
            len(parts) >= 4
            and ".app" in parts[0]
            and not parts[0].endswith("_any")  # the unprobed copies (cluster.backends)
            and parts[3] == "healthy"
        ):
            healthy.append(parts[0].split(".")[-1])
    return healthy


def wait_healthy(count: int, seconds: float = 60) -> float:
    """Seconds until `count` app servers are healthy in Varnish."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if len(healthy_backends()) >= count:
            return time.monotonic() - started
        time.sleep(0.2)
    raise SystemExit(
        f"fewer than {count} healthy app servers after {seconds} s:\n" + varnishadm("backend.list")
    )


def describe() -> dict:
    return {
        "varnish": varnish_url(),
        "varnish_admin": f"{HOST}:{VARNISH_ADMIN_PORT}",
        "apps": [app_url(i) for i in range(len(APP_PORTS))],
        "s3": f"http://{HOST}:{S3_PORT}",
        "bucket": BUCKET,
        "smtp": f"{HOST}:{SMTP_PORT}",
        "database": DATABASE,
        "redis": REDIS_URL,
        "broker": broker_url(),
        "var": str(VAR),
    }


def start() -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    names = ["varnish", "s3", "smtp", "celery", *(app_name(i) for i in range(len(APP_PORTS)))]
    if any(running(name) for name in names):
        raise SystemExit("the cluster runs already (`make cluster-stop` first)")
    (VAR / "broker").unlink(missing_ok=True)
    for port in [VARNISH_PORT, VARNISH_ADMIN_PORT, S3_PORT, SMTP_PORT, *APP_PORTS]:
        if not port_free(port):
            raise SystemExit(f"port {port} is taken; see the CLUSTER_*_PORT variables")
    log(f"broker {broker_url()}")
    try:
        start_s3()
        start_smtp()
        build()
        subprocess.run(
            [str(BIN / "celery"), "-A", "shop.celery", "purge", "-f"],
            cwd=BASE_DIR,
            env=cluster_env(),
            capture_output=True,
            timeout=60,
        )
        start_celery()
        for index in range(len(APP_PORTS)):
            start_app(index)
            log(f"app server {index + 1}: {app_url(index)} ({APP_WORKERS} workers)")
        start_varnish()
        seconds = wait_healthy(len(APP_PORTS))
        log(
            f"varnish on {varnish_url()}: {len(APP_PORTS)} healthy app servers after {seconds:.1f} s"
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(varnish_url() + "/catalogue/", timeout=30).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
    except BaseException:
        stop()
        raise
    (VAR / "cluster.json").write_text(json.dumps(describe(), indent=1))
    log(f"cluster up: {varnish_url()} (details in {VAR / 'cluster.json'}); `make cluster-stop`")


def stop() -> None:
    for name in ["varnish", *(app_name(i) for i in range(len(APP_PORTS))), "celery", "smtp", "s3"]:
        if running(name):
            stop_process(name)
            log(f"stopped {name}")
        pid_file(name).unlink(missing_ok=True)
    (VAR / "cluster.json").unlink(missing_ok=True)


def status() -> None:
    for name in ["varnish", *(app_name(i) for i in range(len(APP_PORTS))), "celery", "smtp", "s3"]:
        pid = running(name)
        print(f"{name:8} {'pid ' + str(pid) if pid else 'stopped'}")
    if running("varnish"):
        print(varnishadm("backend.list"))


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "start"
    {"start": start, "stop": stop, "status": status}[command]()


if __name__ == "__main__":
    main()
