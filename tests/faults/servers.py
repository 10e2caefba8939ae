"""A throwaway PostgreSQL 15 cluster and the shop under gunicorn with production settings, both on
free ports of their own and stopped by PID, for tests/faults (the machine's server is never
touched)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PG_BIN = Path(os.environ.get("FAULTS_PG_BIN", "/usr/lib/postgresql/15/bin"))
PY = sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.getuid() == 0 else cmd


class PostgresCluster:
    """initdb + pg_ctl under a temporary directory, on a free port."""

    def __init__(self):
        self.directory = Path(tempfile.mkdtemp(prefix="shop-faults-pg-"))
        self.data = self.directory / "data"
        self.log = self.directory / "server.log"
        self.port = free_port()
        if os.getuid() == 0:
            shutil.chown(self.directory, "postgres")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def pg_ctl(self, *args: str) -> None:
        subprocess.run(
            as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), *args]),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def init(self) -> PostgresCluster:
        subprocess.run(
            as_postgres(
                [str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"]
                + ["-E", "UTF8", "--locale=C.UTF-8"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return self

    def start(self) -> None:
        """Start and wait until the server accepts connections (pg_ctl -w)."""
        options = (
            f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1"
            # A test database: no durability needed, and migrate runs faster.
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self.pg_ctl("-o", options, "-l", str(self.log), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-m", mode, "-w", "stop")

    def running(self) -> bool:
        pid_file = self.data / "postmaster.pid"
        return pid_file.exists()

    def create_database(self, name: str) -> None:
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    def query(self, name: str, sql: str, params=None) -> list[tuple]:
        with psycopg.connect(self.url(name), autocommit=True) as conn:
            return conn.execute(sql, params).fetchall()

    def remove(self) -> None:
        """Stop the server if it runs (its PID from postmaster.pid) and delete the directory."""
        if self.running():
            try:
                self.stop("immediate")
            except subprocess.CalledProcessError:
                pid = int((self.data / "postmaster.pid").read_text().split()[0])
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.directory, ignore_errors=True)


def shop_env(database_url: str, var: Path) -> dict[str, str]:
    """The production settings (DEBUG off, WhiteNoise's manifest storage, persistent connections
    with health checks) on the throwaway database; the file cache, as without REDIS_URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    return env | {
        "PYTHONWARNINGS": "ignore",
        "DJANGO_SETTINGS_MODULE": "shop.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "faults-" + "x" * 50,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_CONN_MAX_AGE": "60",
        "DJANGO_STATIC_ROOT": str(var / "static"),
        "DJANGO_MEDIA_ROOT": str(var / "media"),
        "DJANGO_CACHE_DIR": str(var / "cache"),
        # Order mails are not the subject here (and no SMTP server runs).
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "DATABASE_URL": database_url,
    }


def manage(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [PY, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")


class Background:
    """A manage.py command running alongside; wait() raises when it failed."""

    def __init__(self, process: subprocess.Popen, args: tuple[str, ...]):
        self.process = process
        self.args = args

    def wait(self) -> None:
        _out, err = self.process.communicate()
        if self.process.returncode:
            raise RuntimeError(f"manage.py {' '.join(self.args)} failed:\n{err[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def manage_in_background(env: dict[str, str], *args: str) -> Background:
    process = subprocess.Popen(
        [PY, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return Background(process, args)


class Gunicorn:
    """The shop under gunicorn (sync workers, as bench/run.py), stopped by its PID."""

    def __init__(self, env: dict[str, str], log: Path, workers: int = 3):
        self.port = free_port()
        self.env = env
        self.log = log
        self.workers = workers
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Gunicorn:
        out = self.log.open("a")
        cmd = [GUNICORN, "shop.wsgi:application", "-b", f"127.0.0.1:{self.port}"]
        cmd += ["-w", str(self.workers), "-k", "sync", "--timeout", "60", "--log-level", "warning"]
        self.process = subprocess.Popen(cmd, cwd=BASE_DIR, env=self.env, stdout=out, stderr=out)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}")
            with closing(socket.socket()) as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not listen on {self.port}; see {self.log}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
