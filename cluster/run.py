"""`make cluster`: the shop as several app servers behind Varnish, on this machine (issue 17).

    .venv/bin/python -m cluster.run start     # build the database once, start everything
    .venv/bin/python -m cluster.run stop      # stop what `start` started, by the PIDs it wrote
    .venv/bin/python -m cluster.run status    # what runs, the backends' health in Varnish

Topology (ports and addresses from the environment, defaults below; `topology()` prints the
running one, and `make cluster` / `status` / cluster/results/ show it):

    visitors ──> varnishd 127.0.0.1:8600 (cluster/shop.vcl: cache of shared pages, xkey purges,
                   │                      round robin over the healthy app servers, probe
                   │                      /gezondheid/)
                   ├──> app server 1, host 10.77.0.11 (network namespace shop-app1) :8611 ─┐
                   ├──> app server 2, host 10.77.0.12 (network namespace shop-app2) :8612 ─┤
                   │      (each: gunicorn shop.wsgi, 2 workers × 4 threads, production settings)
                   └──> moto S3 endpoint 10.77.0.1:8601 (bucket `shop-media`, served as /media/)
    app servers ──> the machine at 10.77.0.1 (bridge shopbr0): PostgreSQL by its Unix socket
                    (database cluster_db), Redis :6379 db 10 and RabbitMQ :5672 vhost cluster_shop
                    through socat forwarders to 127.0.0.1, moto S3 :8601, Varnish :8600 (PURGE
                    on commit, when no broker)
    celery worker (shop.celery, on the machine) ──> PostgreSQL, Redis, RabbitMQ on 127.0.0.1,
                    Varnish (PURGE), SMTP sink 10.77.0.1:8625 (aiosmtpd, the outbox's mail)

cluster/hosts.py makes the namespaces and the bridge; without them (not root, CLUSTER_NETNS=0)
the app servers are processes on 127.0.0.1:8611/8612 and everything else on 127.0.0.1 too.

The database is built once (migrate, demo data, collectstatic; CLUSTER_FRESH=1 builds it anew).
Every process runs in a process group of its own, its PID in var/cluster/<name>.pid; `stop`
ends each group by that PID (never by name), then removes the namespaces and the bridge. The
environment of the app servers (settings) is soak.run's production environment plus the
cluster's services: `cluster_env()`, as seen from an app server's host: `app_env()`.
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
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis

from cluster import hosts
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


def network() -> dict:
    """The app servers' hosts (cluster.hosts), as `start` made them."""
    return hosts.read(VAR / "network.json")


def service_host() -> str:
    """Where the cluster's own services (moto, the SMTP sink, Varnish's second listener) listen:
    the machine's address on the app servers' network."""
    return network().get("gateway", HOST)


def varnish_url() -> str:
    return f"http://{HOST}:{VARNISH_PORT}"


def app_host(index: int) -> str:
    return (network()["apps"] or [HOST] * len(APP_PORTS))[index]


def app_url(index: int) -> str:
    return f"http://{app_host(index)}:{APP_PORTS[index]}"


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
        "DJANGO_ALLOWED_HOSTS": ",".join(
            dict.fromkeys([HOST, "localhost", *(app_host(i) for i in range(len(APP_PORTS)))])
        ),
        "DATABASE_URL": soak.server_url(DATABASE),
        "REDIS_URL": REDIS_URL,
        "DJANGO_STATIC_ROOT": str(VAR / "static"),
        "DJANGO_MEDIA_ROOT": str(VAR / "no-local-media"),  # media live in the bucket
        # Purges make the proxy's copies stale at once: it may keep them for an hour.
        "SHOP_SHARED_PROXY_SECONDS": "3600",
        "SHOP_PROXY_PURGE_URLS": varnish_url() + "/",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": f"http://{service_host()}:{S3_PORT}",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": S3_KEY,
        "AWS_SECRET_ACCESS_KEY": S3_KEY,
        "AWS_S3_CUSTOM_DOMAIN": f"{HOST}:{VARNISH_PORT}/media",
        "AWS_S3_URL_PROTOCOL": "http:",
        "CELERY_BROKER_URL": broker_url(),
        "SHOP_HEALTH_CHECK": "1",
        "DJANGO_EMAIL_HOST": service_host(),
        "DJANGO_EMAIL_PORT": str(SMTP_PORT),
    }


def app_env(index: int) -> dict[str, str]:
    """cluster_env() as app server `index` reaches the services from its own host: the machine's
    loopback services at the bridge's address (forwarded), PostgreSQL by its Unix socket."""
    env = cluster_env()
    net = network()
    if net["mode"] != "netns":
        return env
    for key in ("REDIS_URL", "CELERY_BROKER_URL"):
        env[key] = hosts.via_gateway(env[key], net)
    env["SHOP_PROXY_PURGE_URLS"] = f"http://{net['gateway']}:{VARNISH_PORT}/"
    database = urlsplit(env["DATABASE_URL"])
    if net.get("pg_socket_dir"):
        user = f"{database.username}@" if database.username else ""
        env["DATABASE_URL"] = urlunsplit(
            database._replace(
                netloc=f"{user}:{database.port or 5432}", query=f"host={net['pg_socket_dir']}"
            )
        )
    else:
        env["DATABASE_URL"] = hosts.via_gateway(env["DATABASE_URL"], net)
    return env


def pg_socket_dir() -> str | None:
    """The directory of the PostgreSQL server's Unix socket, when it has one on this machine."""
    database = urlsplit(soak.server_url())
    if not hosts.is_loopback(database.hostname):
        return None
    with psycopg.connect(soak.server_url(), autocommit=True) as conn:
        directories = conn.execute("SHOW unix_socket_directories").fetchone()[0]
    for directory in (d.strip() for d in directories.split(",")):
        if directory and Path(directory, f".s.PGSQL.{database.port or 5432}").exists():
            return directory
    return None


def manage(*args: str) -> str:
    """A command with the cluster's settings, sending no purges (the proxy starts later)."""
    env = cluster_env() | {"SHOP_PROXY_PURGE_URLS": "", "CELERY_BROKER_URL": ""}
    done = subprocess.run([PY, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"python {' '.join(args)} failed:\n{done.stdout}{done.stderr[-3000:]}")
    return done.stdout


def port_free(port: int, host: str = HOST) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((host, port)) != 0


def wait_port(
    port: int, name: str, process: subprocess.Popen, seconds: float = 60, host: str = HOST
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} exited; see {VAR / (name + '.log')}")
        if not port_free(port, host):
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
    """App server `index` on its own host (its network namespace; `ip netns exec` execs, so the
    PID is gunicorn's), until its workers answered."""
    name = app_name(index)
    process = spawn(
        name,
        [
            *hosts.exec_prefix(network(), index),
            str(BIN / "gunicorn"),
            "shop.wsgi:application",
            "--bind",
            f"{app_host(index)}:{APP_PORTS[index]}",
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
        env=app_env(index),
    )
    wait_port(APP_PORTS[index], name, process, host=app_host(index))
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


def start_network() -> None:
    """The app servers' hosts (cluster.hosts) and the forwarders they reach the machine's
    loopback services through."""
    net = hosts.create(len(APP_PORTS), VAR / "network.json")
    if net["mode"] != "netns":
        log(f"app servers as processes on 127.0.0.1 ports: {net['reason']}")
        return
    net["pg_socket_dir"] = pg_socket_dir()
    (VAR / "network.json").write_text(json.dumps(net, indent=1))
    urls = [REDIS_URL, broker_url()]
    if not net["pg_socket_dir"]:
        urls.append(soak.server_url())
    for host, port in hosts.forwarded(urls, net):
        name = f"forward-{port}"
        process = spawn(name, hosts.forwarder_cmd(net, host, port), env={**os.environ})
        wait_port(port, name, process, host=net["gateway"])
    log(
        f"app servers' hosts: {', '.join(net['namespaces'])} on bridge {net['bridge']} "
        f"({net['gateway']}/24)"
    )


def forwarders() -> list[str]:
    return sorted(path.stem for path in VAR.glob("forward-*.pid"))


def start_s3() -> None:
    process = spawn("s3", [str(BIN / "moto_server"), "-H", service_host(), "-p", str(S3_PORT)])
    wait_port(S3_PORT, "s3", process, host=service_host())
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
    log(f"S3 (moto) on {service_host()}:{S3_PORT}, bucket {BUCKET}")


def start_smtp() -> None:
    process = spawn(
        "smtp",
        [
            str(BIN / "aiosmtpd"),
            "-n",
            "-l",
            f"{service_host()}:{SMTP_PORT}",
            "-c",
            "aiosmtpd.handlers.Debugging",
        ],
    )
    wait_port(SMTP_PORT, "smtp", process, host=service_host())


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
    apps = [(app_host(i), port) for i, port in enumerate(APP_PORTS)]
    path.write_text(
        backends_vcl(
            apps=apps,
            media=(service_host(), S3_PORT),
            bucket=BUCKET,
            # The app servers purge on commit (without a broker): from their own addresses.
            purgers=list(dict.fromkeys([HOST, "::1", *(host for host, _ in apps)])),
        )
    )
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
                # The app servers' way to the proxy (purges) from their own hosts.
                *(["-a", f"{service_host()}:{VARNISH_PORT}"] if service_host() != HOST else []),
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
    net = network()
    return {
        "varnish": varnish_url(),
        "varnish_admin": f"{HOST}:{VARNISH_ADMIN_PORT}",
        "apps": [app_url(i) for i in range(len(APP_PORTS))],
        "network": net["mode"],
        "namespaces": net.get("namespaces", []),
        "s3": f"http://{service_host()}:{S3_PORT}",
        "bucket": BUCKET,
        "smtp": f"{service_host()}:{SMTP_PORT}",
        "database": DATABASE,
        "redis": REDIS_URL,
        "broker": broker_url(),
        "var": str(VAR),
    }


def _service(url: str) -> str:
    """host:port/path of a service URL, without its credentials."""
    parts = urlsplit(url)
    port = parts.port or hosts.DEFAULT_PORTS.get(parts.scheme, "")
    return f"{parts.hostname}:{port}{parts.path}"


def topology() -> str:
    """The running cluster as text: hosts, ports, what talks to what."""
    net = network()
    env = app_env(0)  # as the app servers reach the services
    broker = "RabbitMQ" if env["CELERY_BROKER_URL"].startswith("amqp") else "Redis (broker)"
    on_hosts = net["mode"] == "netns"
    if on_hosts:
        lines = [
            f"Hosts: the machine (Varnish, moto S3, SMTP sink, Celery, PostgreSQL, Redis, "
            f"RabbitMQ) and {len(APP_PORTS)} app server hosts, each a network namespace joined to "
            f"the machine by a veth pair on bridge {net['bridge']} ({net['gateway']}/24; the "
            f"machine is {net['gateway']} there, the namespaces have no other route)."
        ]
    else:
        lines = [f"Hosts: one, this machine; every process on 127.0.0.1 ({net['reason']})."]
    database = (
        f"by its Unix socket in {net['pg_socket_dir']} (the file system is shared)"
        if net.get("pg_socket_dir")
        else f"at {_service(env['DATABASE_URL'])}"
    )
    lines += [
        f"  visitors (wrk, locust, tests) -> Varnish {HOST}:{VARNISH_PORT} (cluster/shop.vcl: "
        "shared pages cached, xkey purges, round robin over the healthy app servers)",
        *(
            f"  Varnish -> app server {i + 1}: {app_host(i)}:{port}"
            + (f" (network namespace {net['namespaces'][i]})" if on_hosts else "")
            + f", gunicorn shop.wsgi, {APP_WORKERS} workers x {APP_THREADS} threads; probe GET "
            "/gezondheid/ every 1 s"
            for i, port in enumerate(APP_PORTS)
        ),
        f"  Varnish -> moto S3 {service_host()}:{S3_PORT}, bucket {BUCKET} (/media/)",
        f"  app servers -> PostgreSQL {DATABASE} {database}",
        f"  app servers -> Redis {_service(env['REDIS_URL'])} (cache, sessions, thumbnail records)",
        f"  app servers -> {broker} {_service(env['CELERY_BROKER_URL'])} (tasks)",
        f"  app servers -> moto S3 {service_host()}:{S3_PORT} (media, thumbnails)",
        f"  app servers -> Varnish {_service(env['SHOP_PROXY_PURGE_URLS'])} (PURGE, when no broker)",
    ]
    if on_hosts:
        ports = [name.removeprefix("forward-") for name in forwarders()]
        lines.append(
            "  forwarders on the machine (socat; the services listen on 127.0.0.1 only): "
            + (", ".join(f"{net['gateway']}:{p} -> 127.0.0.1:{p}" for p in ports) or "none")
        )
    lines.append(
        f"  Celery worker + beat (the machine) -> PostgreSQL {_service(soak.server_url(DATABASE))}, "
        f"Redis {_service(REDIS_URL)}, {broker} {_service(broker_url())}, moto S3, Varnish "
        f"{HOST}:{VARNISH_PORT} (PURGE), SMTP sink {service_host()}:{SMTP_PORT}"
    )
    return "\n".join(lines) + "\n"


def start() -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    if any(running(name) for name in names()):
        raise SystemExit("the cluster runs already (`make cluster-stop` first)")
    if (VAR / "network.json").exists():
        hosts.remove(VAR / "network.json")  # left by a start that was killed
    (VAR / "broker").unlink(missing_ok=True)
    for port in [VARNISH_PORT, VARNISH_ADMIN_PORT, S3_PORT, SMTP_PORT, *APP_PORTS]:
        if not port_free(port):
            raise SystemExit(f"port {port} is taken; see the CLUSTER_*_PORT variables")
    log(f"broker {broker_url()}")
    try:
        start_network()
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
    (VAR / "topology.txt").write_text(topology())
    print("\n" + topology(), flush=True)
    log(f"cluster up: {varnish_url()} (details in {VAR / 'cluster.json'}); `make cluster-stop`")


def names() -> list[str]:
    """The cluster's processes, in the order they are stopped."""
    apps = [app_name(i) for i in range(len(APP_PORTS))]
    return ["varnish", *apps, "celery", "smtp", "s3", *forwarders()]


def stop() -> None:
    for name in names():
        if running(name):
            stop_process(name)
            log(f"stopped {name}")
        pid_file(name).unlink(missing_ok=True)
    removed = hosts.remove(VAR / "network.json")
    if removed:
        log(f"removed {', '.join(removed)}")
    (VAR / "cluster.json").unlink(missing_ok=True)
    (VAR / "topology.txt").unlink(missing_ok=True)


def status() -> None:
    for name in names():
        pid = running(name)
        print(f"{name:10} {'pid ' + str(pid) if pid else 'stopped'}")
    if running("varnish"):
        print("\n" + topology())
        print(varnishadm("backend.list"))


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "start"
    {"start": start, "stop": stop, "status": status}[command]()


if __name__ == "__main__":
    main()
