"""Product view counts kept in the cache on the request path and written to Oscar's
ProductRecord in batches (`manage.py flush_product_views`, e.g. every few minutes from cron).

With Redis (REDIS_URL) the counters are shared and INCR is atomic. With the local-memory default
each process counts for itself and a separate flush process sees nothing: fine for development,
where view counts do not matter.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models import F

PENDING_KEY = "shop:views:pending"


def _key(product_id: int) -> str:
    return f"shop:views:{product_id}"


def count_view(*, product_id: int) -> None:
    """Add one view of a product, in the cache only."""
    key = _key(product_id)
    if not cache.add(key, 1, None):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, None)
    pending = cache.get(PENDING_KEY) or set()
    if product_id not in pending:
        cache.set(PENDING_KEY, pending | {product_id}, None)


def pending_views() -> dict[int, int]:
    """Views counted in the cache and not yet written, by product id."""
    ids = cache.get(PENDING_KEY) or set()
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
    cache.delete(PENDING_KEY)
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
