"""A task for tests/cluster/test_tasks.py only (its worker imports this module with -I): the
production search-document update, after a pause in which the test kills the worker."""

from __future__ import annotations

import os
import time

import redis
from celery import shared_task

from shop.search.indexing import product_index_update


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def index_product_slowly(product_id: int, counter_url: str, pause: float) -> None:
    counter = redis.Redis.from_url(counter_url)
    counter.incr(f"cluster-test:attempts:{product_id}")
    counter.set(f"cluster-test:pid:{product_id}", os.getpid())
    time.sleep(pause)
    product_index_update(product_ids=[product_id])
