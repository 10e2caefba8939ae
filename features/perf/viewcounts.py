"""Product view and basket-addition counts kept in the cache on the request path and written to
Oscar's ProductRecord in batches (`manage.py flush_product_views`, e.g. every few minutes from
cron). Oscar itself writes a ProductRecord row on every product view and every addition.

With Redis (REDIS_URL) the counters are shared, INCR is atomic and one count is one pipelined
round trip. With the file cache of the default set-up the counters are shared too, but read and
written back without a lock, so processes counting at once may lose counts: fine for development.

A count is worth less than the page it counts: when the cache fails (Redis down, full or slow)
the count is logged and dropped, and the page is served as usual.
"""

from __future__ import annotations

import logging

from django.core.cache import cache, caches
from django.db import transaction
from django.db.models import F
from django_redis import get_redis_connection
from django_redis.cache import RedisCache
from oscar.core.loading import get_model

from shop.cache.backends import RedisPaused

# kind of count -> (cache key prefix, ProductRecord field)
KINDS = {
    "views": ("shop:views", "num_views"),
    "additions": ("shop:basket-additions", "num_basket_additions"),
}
PENDING_KEY = "shop:views:pending"  # without Redis: a pickled set (views)

logger = logging.getLogger(__name__)


def _key(product_id: int, kind: str = "views") -> str:
    return f"{KINDS[kind][0]}:{product_id}"


def _pending_key(kind: str) -> str:
    return PENDING_KEY if kind == "views" else f"{KINDS[kind][0]}:pending"


def _pending_set_key(kind: str) -> str:
    return f"{KINDS[kind][0]}:pending-set"  # Redis: a set (SADD), shared by all workers


PENDING_SET_KEY = _pending_set_key("views")


def _redis():
    """The Redis connection behind the default cache, or None (local memory)."""
    if not isinstance(caches["default"], RedisCache):
        return None
    return get_redis_connection("default")


def _count(kind: str, product_id: int) -> None:
    try:
        _add_one(kind, product_id)
    except RedisPaused:
        logger.debug("A product %s count was dropped (Redis paused after a failure)", kind)
    except Exception:  # noqa: BLE001 - never fail the page for a count
        logger.warning("A product %s count was dropped (cache failed)", kind, exc_info=True)


def _add_one(kind: str, product_id: int) -> None:
    redis = _redis()
    if redis is not None:
        with redis.pipeline(transaction=False) as pipe:
            pipe.incr(cache.make_key(_key(product_id, kind)))
            pipe.sadd(cache.make_key(_pending_set_key(kind)), product_id)
            pipe.execute()
        return
    key = _key(product_id, kind)
    if not cache.add(key, 1, None):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, None)
    pending = cache.get(_pending_key(kind)) or set()
    if product_id not in pending:
        cache.set(_pending_key(kind), pending | {product_id}, None)


def count_view(*, product_id: int) -> None:
    """Add one view of a product, in the cache only: with Redis one round trip (INCR of the
    counter and SADD to the pending set, pipelined), whatever the number of products viewed."""
    _count("views", product_id)


def count_basket_addition(*, product_id: int) -> None:
    """Add one basket addition of a product, in the cache only (as count_view)."""
    _count("additions", product_id)


def _pending_ids(kind: str) -> set[int]:
    redis = _redis()
    if redis is not None:
        return {int(pk) for pk in redis.smembers(cache.make_key(_pending_set_key(kind)))}
    return cache.get(_pending_key(kind)) or set()


def _forget_pending(kind: str) -> None:
    redis = _redis()
    if redis is not None:
        redis.delete(cache.make_key(_pending_set_key(kind)))
    cache.delete(_pending_key(kind))


def pending_views(kind: str = "views") -> dict[int, int]:
    """Counts kept in the cache and not yet written, by product id."""
    ids = _pending_ids(kind)
    counts = cache.get_many([_key(pk, kind) for pk in ids])
    return {pk: counts[_key(pk, kind)] for pk in ids if counts.get(_key(pk, kind))}


def flush_views() -> int:
    """Write the counted views and basket additions to ProductRecord; returns the number of
    counts written.

    Counters are decremented by what was read, so counts made meanwhile are kept for the next
    flush; a product counted again re-registers itself as pending.
    """
    ProductRecord = get_model("analytics", "ProductRecord")
    Product = get_model("catalogue", "Product")
    written = 0
    for kind, (_prefix, field) in KINDS.items():
        counts = pending_views(kind)
        _forget_pending(kind)
        existing = set(Product.objects.filter(pk__in=counts).values_list("pk", flat=True))
        with transaction.atomic():
            for product_id, number in counts.items():
                cache.decr(_key(product_id, kind), number)
                if product_id not in existing:
                    continue  # deleted since
                updated = ProductRecord.objects.filter(product_id=product_id).update(
                    **{field: F(field) + number}
                )
                if not updated:
                    ProductRecord.objects.create(product_id=product_id, **{field: number})
                written += number
    return written
