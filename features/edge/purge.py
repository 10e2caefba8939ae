"""Purging shared pages from the HTTP cache in front (Varnish with the xkey vmod) by tag.

A write to what shared pages show names the tags of the pages it makes stale (features.edge.tags);
once its transaction commits they are sent to every proxy in SHOP_PROXY_PURGE_URLS as one
`PURGE` request with an `xkey-purge` header (cluster/shop.vcl). With a task queue
(CELERY_BROKER_URL) the purge is a task with retries (features.edge.tasks), sent again after
SHOP_PROXY_REPURGE_SECONDS: a request that read the old rows just before the commit may have
stored its page after the first purge. Without a queue it is sent at once with a short timeout,
and a proxy that does not answer is logged (its copies expire after SHOP_SHARED_PROXY_SECONDS).
Without SHOP_PROXY_PURGE_URLS (`make run`, `make test`) nothing is sent.
"""

from __future__ import annotations

import logging
import threading
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

_pending = threading.local()


def schedule_purge(tags: Iterable[str]) -> None:
    """Purge these tags once the current transaction commits (at once without one).

    The signals of one dashboard save (the product, its attribute values, stock records and
    categories) land in one set, purged by one request after the commit, as
    shop.search.indexing.schedule_products does for the search documents.
    """
    if not settings.SHOP_PROXY_PURGE_URLS:
        return
    pending = getattr(_pending, "tags", None)
    if pending is None:
        pending = _pending.tags = set()
    pending.update(tags)
    transaction.on_commit(_flush)


def _flush() -> None:
    tags = getattr(_pending, "tags", None)
    if not tags:
        return
    _pending.tags = set()
    send_purge(sorted(tags))


def send_purge(tags: list[str]) -> None:
    """Through the task queue when there is one, else at once."""
    if settings.CELERY_BROKER_URL:
        # Celery is an optional dependency (the `cluster` extra): imported only when configured.
        from features.edge.tasks import purge_tags

        try:
            purge_tags.apply_async(args=[tags])
            purge_tags.apply_async(args=[tags], countdown=settings.SHOP_PROXY_REPURGE_SECONDS)
            return
        except Exception:  # noqa: BLE001 - a queue that is down must not fail the write
            logger.warning("Purge of %s not queued; sent directly", tags, exc_info=True)
    try:
        purge_now(tags)
    except OSError:
        logger.error("Purge of %s failed", tags, exc_info=True)


def purge_now(tags: list[str]) -> None:
    """Send one purge of `tags` to every proxy; raises OSError when one does not take it."""
    for url in settings.SHOP_PROXY_PURGE_URLS:
        request = urllib.request.Request(
            url, method="PURGE", headers={"xkey-purge": " ".join(tags)}
        )
        with urllib.request.urlopen(request, timeout=settings.SHOP_PROXY_PURGE_TIMEOUT) as answer:
            answer.read()
