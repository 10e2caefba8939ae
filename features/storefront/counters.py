"""Guide views and product-link clicks counted in the cache on the request path, per guide and
day, and written to GuideCount in batches (`manage.py flush_guide_counts`, from cron every few
minutes, like `flush_product_views`): no database write per page view.

A counter key holds one guide's count of one kind on one day. The flush reads the keys of every
guide for the last FLUSH_DAYS days in one get_many, so no list of pending keys is kept. With Redis
INCR is atomic; the file cache of `make run` may lose a count when processes count at once.
A count is worth less than the page: a failing cache drops it (logged), the page is served.
"""

from __future__ import annotations

import datetime
import logging

from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

KINDS = ("views", "clicks")
# Counters live this long; a flush looks back as many days, so a missed flush loses nothing.
FLUSH_DAYS = 3
KEY_SECONDS = (FLUSH_DAYS + 1) * 86400


def counter_key(kind: str, article_id: int, day: datetime.date) -> str:
    return f"storefront:guide-{kind}:{day.isoformat()}:{article_id}"


def count(kind: str, *, article_id: int) -> None:
    """Add one `kind` ("views" or "clicks") of a guide to today's counter, in the cache only."""
    key = counter_key(kind, article_id, timezone.localdate())
    try:
        if not cache.add(key, 1, KEY_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, KEY_SECONDS)
    except Exception:  # noqa: BLE001 - never fail a request for a count
        logger.warning("A guide %s count was dropped (cache failed)", kind, exc_info=True)


def pending(article_ids) -> dict[tuple[int, datetime.date], dict[str, int]]:
    """Counts in the cache not yet written: {(article id, day): {"views": n, "clicks": n}}."""
    today = timezone.localdate()
    days = [today - datetime.timedelta(days=n) for n in range(FLUSH_DAYS)]
    keys = {
        counter_key(kind, pk, day): (kind, pk, day)
        for pk in article_ids
        for day in days
        for kind in KINDS
    }
    found: dict[tuple[int, datetime.date], dict[str, int]] = {}
    for key, value in cache.get_many(list(keys)).items():
        if value:
            kind, pk, day = keys[key]
            found.setdefault((pk, day), {k: 0 for k in KINDS})[kind] = int(value)
    return found


def taken(kind: str, article_id: int, day: datetime.date, number: int) -> None:
    """Subtract what a flush wrote, so counts made meanwhile stay for the next flush."""
    cache.decr(counter_key(kind, article_id, day), number)
