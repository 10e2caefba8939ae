"""Product view counts kept in the cache on the request path and written to Oscar's
ProductRecord in batches (`manage.py flush_product_views`, e.g. every few minutes from cron).

With Redis (REDIS_URL) the counters are shared and INCR is atomic. With the local-memory default
each process counts for itself and a separate flush process sees nothing: fine for development,
where view counts do not matter.
"""

from __future__ import annotations

from django.core.cache import cache, caches
from django.db import transaction
from django.db.models import F

PENDING_KEY = "shop:views:pending"  # local memory: a pickled set
PENDING_SET_KEY = "shop:views:pending-set"  # Redis: a set (SADD), shared by all workers


def _key(product_id: int) -> str:
    return f"shop:views:{product_id}"


def _redis():
    """The Redis connection behind the default cache, or None (local memory)."""
    try:
        from django_redis import get_redis_connection
        from django_redis.cache import RedisCache
    except ImportError:  # pragma: no cover - django-redis is a dependency
        return None
    if not isinstance(caches["default"], RedisCache):
        return None
    return get_redis_connection("default")


def count_view(*, product_id: int) -> None:
    """Add one view of a product, in the cache only: with Redis one round trip (INCR of the
    counter and SADD to the pending set, pipelined), whatever the number of products viewed."""
    redis = _redis()
    if redis is not None:
        with redis.pipeline(transaction=False) as pipe:
            pipe.incr(cache.make_key(_key(product_id)))
            pipe.sadd(cache.make_key(PENDING_SET_KEY), product_id)
            pipe.execute()
        return
    key = _key(product_id)
    if not cache.add(key, 1, None):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, None)
    pending = cache.get(PENDING_KEY) or set()
    if product_id not in pending:
        cache.set(PENDING_KEY, pending | {product_id}, None)


def _pending_ids() -> set[int]:
    redis = _redis()
    if redis is not None:
        return {int(pk) for pk in redis.smembers(cache.make_key(PENDING_SET_KEY))}
    return cache.get(PENDING_KEY) or set()


def _forget_pending() -> None:
    redis = _redis()
    if redis is not None:
        redis.delete(cache.make_key(PENDING_SET_KEY))
    cache.delete(PENDING_KEY)


def pending_views() -> dict[int, int]:
    """Views counted in the cache and not yet written, by product id."""
    ids = _pending_ids()
    counts = cache.get_many([_key(pk) for pk in ids])
    return {pk: counts[_key(pk)] for pk in ids if counts.get(_key(pk))}


def flush_views() -> int:
    """Write the counted views to ProductRecord.num_views; returns the number of views written.

    Counters are decremented by what was read, so views counted meanwhile are kept for the next
    flush; a product viewed again re-registers itself as pending.
    """
    from oscar.core.loading import get_model

    ProductRecord = get_model("analytics", "ProductRecord")
    Product = get_model("catalogue", "Product")
    counts = pending_views()
    _forget_pending()
    written = 0
    existing = set(Product.objects.filter(pk__in=counts).values_list("pk", flat=True))
    with transaction.atomic():
        for product_id, views in counts.items():
            cache.decr(_key(product_id), views)
            if product_id not in existing:
                continue  # deleted since
            updated = ProductRecord.objects.filter(product_id=product_id).update(
                num_views=F("num_views") + views
            )
            if not updated:
                ProductRecord.objects.create(product_id=product_id, num_views=views)
            written += views
    return written
