"""The guide counters' flush as a periodic task (issue 17): with a task queue
(CELERY_BROKER_URL), Celery beat runs it every few minutes (shop.settings CELERY_BEAT_SCHEDULE),
so a cluster needs no cron for it. `manage.py flush_guide_counts` does the same by hand.

As for the product counters (features.perf.tasks): a count may be lost when a worker dies
mid-flush, never counted twice, so the task is not retried; the next run takes what is left.
"""

from __future__ import annotations

from celery import shared_task

from features.storefront.services import guide_counts_flush


@shared_task(ignore_result=True)
def flush_guide_counts() -> int:
    return guide_counts_flush()
