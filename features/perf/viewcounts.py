"""Product view and basket-addition counts kept in the cache on the request path and written to
Oscar's ProductRecord (and a signed-in customer's additions to their UserRecord) in batches
(`manage.py flush_product_views`, e.g. every few minutes from cron). Oscar itself writes a
ProductRecord row on every product view and every addition, and a UserRecord row per addition.

With Redis (REDIS_URL) the counters are shared, INCR is atomic and one count is one pipelined
round trip. With the file cache of the default set-up the counters are shared too, but read and
written back without a lock, so processes counting at once may lose counts: fine for development.

A count is worth less than the page it counts: when the cache fails (Redis down, full or slow)
the count is logged and dropped, and the page is served as usual.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models import F
from django_redis import get_redis_connection
from django_redis.cache import RedisCache
from oscar.core.loading import get_model

from shop.cache import pipeline
from shop.cache.backends import RedisPaused

# kind of count -> (cache key prefix, ProductRecord field)
KINDS = {
    "views": ("shop:views", "num_views"),
    "additions": ("shop:basket-additions", "num_basket_additions"),
}
# kind of count -> (cache key prefix, UserRecord field), counted per user id
USER_KINDS = {"user-additions": ("shop:user-basket-additions", "num_basket_additions")}
PREFIXES = {kind: prefix for kind, (prefix, _field) in (KINDS | USER_KINDS).items()}
PENDING_KEY = "shop:views:pending"  # without Redis: a pickled set (views)

logger = logging.getLogger(__name__)


def _key(pk: int, kind: str = "views") -> str:
    return f"{PREFIXES[kind]}:{pk}"


def _pending_key(kind: str) -> str:
    return PENDING_KEY if kind == "views" else f"{PREFIXES[kind]}:pending"


def _pending_set_key(kind: str) -> str:
    return f"{PREFIXES[kind]}:pending-set"  # Redis: a set (SADD), shared by all workers


PENDING_SET_KEY = _pending_set_key("views")


def _redis():
    """The Redis connection behind the default cache, or None (local memory)."""
    if not isinstance(caches["default"], RedisCache):
        return None
    return get_redis_connection("default")


def _count(*counts: tuple[str, int]) -> None:
    """Add one to each (kind, id) count: at once, or with the request's other writes inside
    shop.cache.pipeline.one_round_trip()."""
    if pipeline.queue(
        lambda pipe: _pipe_counts(pipe, counts),
        failed=lambda error: _dropped(counts, error),
    ):
        return
    try:
        _add_one(counts)
    except Exception as error:  # noqa: BLE001 - never fail the page for a count
        _dropped(counts, error)


def _dropped(counts, error: Exception) -> None:
    if isinstance(error, RedisPaused):
        logger.debug("A %s count was dropped (Redis paused after a failure)", counts[0][0])
    else:
        logger.warning("A %s count was dropped (cache failed)", counts[0][0], exc_info=error)


def _pipe_counts(pipe, counts) -> None:
    for kind, pk in counts:
        pipe.incr(cache.make_key(_key(pk, kind)))
        pipe.sadd(cache.make_key(_pending_set_key(kind)), pk)


def _add_one(counts) -> None:
    redis = _redis()
    if redis is not None:
        with redis.pipeline(transaction=False) as pipe:
            _pipe_counts(pipe, counts)
            pipe.execute()
        return
    for kind, pk in counts:
        key = _key(pk, kind)
        if not cache.add(key, 1, None):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, None)
        pending = cache.get(_pending_key(kind)) or set()
        if pk not in pending:
            cache.set(_pending_key(kind), pending | {pk}, None)


def count_view(*, product_id: int) -> None:
    """Add one view of a product, in the cache only: with Redis one round trip (INCR of the
    counter and SADD to the pending set, pipelined), whatever the number of products viewed."""
    _count(("views", product_id))


def count_basket_addition(*, product_id: int, user_id: int | None = None) -> None:
    """Add one basket addition of a product, and of the signed-in customer `user_id` if any, in
    the cache only (as count_view, both in one round trip)."""
    counts = [("additions", product_id)]
    if user_id is not None:
        counts.append(("user-additions", user_id))
    _count(*counts)


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
    """Counts kept in the cache and not yet written, by product id (user id for USER_KINDS)."""
    ids = _pending_ids(kind)
    counts = cache.get_many([_key(pk, kind) for pk in ids])
    return {pk: counts[_key(pk, kind)] for pk in ids if counts.get(_key(pk, kind))}


def flush_views() -> int:
    """Write the counted views and basket additions to ProductRecord, and customers' additions to
    UserRecord; returns the number of counts written.

    Counters are decremented by what was read, so counts made meanwhile are kept for the next
    flush; a product (or user) counted again re-registers itself as pending.
    """
    ProductRecord = get_model("analytics", "ProductRecord")
    UserRecord = get_model("analytics", "UserRecord")
    Product = get_model("catalogue", "Product")
    written = 0
    for kind, (_prefix, field) in KINDS.items():
        written += _flush(kind, field, record=ProductRecord, owner=Product, owner_field="product")
    for kind, (_prefix, field) in USER_KINDS.items():
        written += _flush(
            kind, field, record=UserRecord, owner=get_user_model(), owner_field="user"
        )
    return written


def _flush(kind: str, field: str, *, record, owner, owner_field: str) -> int:
    """Add the pending counts of `kind` to `field` of the `record` row of each `owner` still there
    (the row made where there is none yet); returns the number of counts written."""
    written = 0
    counts = pending_views(kind)
    _forget_pending(kind)
    existing = set(owner.objects.filter(pk__in=counts).values_list("pk", flat=True))
    with transaction.atomic():
        for pk, number in counts.items():
            cache.decr(_key(pk, kind), number)
            if pk not in existing:
                continue  # deleted since
            rows = record.objects.filter(**{f"{owner_field}_id": pk})
            if not rows.update(**{field: F(field) + number}):
                record.objects.create(**{f"{owner_field}_id": pk, field: number})
            written += number
    return written
