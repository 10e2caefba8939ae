"""Private Redis servers for tests that stop, fill or slow down the cache: each runs on a free port
of its own and is stopped by its PID, so the machine's Redis (6379) is never touched."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_server_binary() -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        # Not a skip: CI runs on machines with redis-server, and these tests are the only proof
        # that pages survive a failing cache.
        pytest.fail(
            "redis-server is not installed (apt-get install redis-server); tests/features/perf needs it"
        )
    return binary


class RedisServer:
    """One redis-server process without persistence, started and stopped by the test."""

    def __init__(self, directory: Path, *extra_args: str):
        self.port = free_port()
        self.directory = directory
        self.extra_args = extra_args
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                redis_server_binary(),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
                *self.extra_args,
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 5
        while self.command("PING") != "+PONG":
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"redis-server did not start on port {self.port}")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None

    def command(self, *args: str) -> str | None:
        """Send one inline command and return the first line of the reply (None: no answer)."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall((" ".join(args) + "\r\n").encode())
                return sock.recv(65536).decode().split("\r\n")[0]
        except OSError:
            return None


class SilentServer:
    """A TCP server that accepts connections and never answers: a hanging Redis."""

    def __init__(self):
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return  # closed
            self.connections.append(connection)  # held open, read by nobody

    def start(self) -> SilentServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()
        for connection in self.connections:
            connection.close()
        self.thread.join(timeout=5)
