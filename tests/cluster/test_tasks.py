"""A worker killed mid-task: the task is delivered again and its effect happens once (acks_late,
an idempotent effect; issue 17). A worker process of its own, on a queue of its own."""

from __future__ import annotations

import signal
import time

import pytest
import redis
from celery import Celery

from cluster import run

pytestmark = pytest.mark.cluster

QUEUE = "cluster-killtest"
COUNTER_URL = "redis://127.0.0.1:6379/12"


def start_worker() -> None:
    run.spawn(
        "killtest",
        [str(run.BIN / "celery"), "-A", "shop.celery", "worker", "-Q", QUEUE, "-c", "1"]
        + ["-I", "tests.cluster.tasks", "--hostname", "killtest@%h", "--without-gossip"]
        + ["--without-mingle", "--loglevel", "info"],
    )


def wait_for(what, seconds: float, message: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = what()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(message)


def test_a_task_whose_worker_is_killed_is_retried_and_writes_its_row_once(cluster, paths, db):
    product = paths["products"][0]["pk"]
    counter = redis.Redis.from_url(COUNTER_URL)
    counter.delete(f"cluster-test:attempts:{product}")
    rows = "SELECT count(*) FROM shop_productsearchdocument WHERE product_id = %s"
    db.execute("DELETE FROM shop_productsearchdocument WHERE product_id = %s", [product])
    sender = Celery(broker=cluster["broker"])
    try:
        start_worker()
        sender.send_task(
            "tests.cluster.tasks.index_product_slowly",
            args=[product, COUNTER_URL, 8.0],
            queue=QUEUE,
        )
        wait_for(
            lambda: counter.get(f"cluster-test:attempts:{product}"), 120, "the task never started"
        )
        run.stop_process("killtest", signal.SIGKILL)  # the whole worker, mid-task
        assert db.execute(rows, [product]).fetchone()[0] == 0
        start_worker()
        wait_for(lambda: db.execute(rows, [product]).fetchone()[0], 120, "the task was not retried")
        time.sleep(10)  # nothing runs it a third time
        attempts = int(counter.get(f"cluster-test:attempts:{product}"))
        written = db.execute(rows, [product]).fetchone()[0]
        print(f"\nFIGURE killed worker: attempts {attempts}, index rows written {written}")
        assert (attempts, written) == (2, 1)
    finally:
        run.stop_process("killtest")
