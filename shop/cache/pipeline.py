"""Cache writes of one request sent to Redis together: inside one_round_trip(), the writes that
queue themselves here (a stamp removed, shop.cache.pagecache; a count, features.perf.viewcounts)
wait for the end of the block and go in one pipelined round trip instead of one each. An add to
basket makes its writes so, once it committed (shop.basket.views.BasketAddView).

Outside such a block, or without Redis (the file cache of the default set-up, the tests' local
memory), nothing is queued and every write is made at once, as before. When the pipeline fails
(Redis down, full or slow), each queued write is told and falls back on what it does then on its
own: a stamp is deleted through the cache (which makes sure the old one is never read), a count
is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.cache import caches
from django_redis import get_redis_connection
from django_redis.cache import RedisCache

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Queued:
    commands: Callable  # adds its commands to a redis-py pipeline
    failed: Callable[[Exception], None]


_queue: ContextVar[list[_Queued] | None] = ContextVar("shop_cache_pipeline", default=None)


@contextmanager
def one_round_trip():
    """Send the writes queued inside (queue()) together when the block ends, even when it
    raises."""
    token = _queue.set([])
    try:
        yield
    finally:
        queued = _queue.get()
        _queue.reset(token)
        _send(queued)


def queue(commands: Callable, *, failed: Callable[[Exception], None]) -> bool:
    """Queue a write for the open one_round_trip(): `commands(pipeline)` adds its Redis commands
    (keys made with the default cache's make_key), `failed(error)` is called instead when the
    round trip fails. False when nothing is queued (no block open, or no Redis): the caller then
    writes at once."""
    queued = _queue.get()
    if queued is None or not isinstance(caches["default"], RedisCache):
        return False
    queued.append(_Queued(commands, failed))
    return True


def _send(queued: list[_Queued]) -> None:
    if not queued:
        return
    try:
        with get_redis_connection("default").pipeline(transaction=False) as pipe:
            for write in queued:
                write.commands(pipe)
            pipe.execute()
    except Exception as error:  # noqa: BLE001 - a cache that fails must not fail the request
        for write in queued:
            write.failed(error)
