"""The product counters' flush as a periodic task (issue 17): with a task queue
(CELERY_BROKER_URL), Celery beat runs it every few minutes (shop.settings CELERY_BEAT_SCHEDULE),
so a cluster needs no cron for it. `manage.py flush_product_views` does the same by hand.

A flush decrements what it read before its transaction commits: a worker killed in between
loses those counts (a view count may be lost, never counted twice), so the task is not retried
on its own; the next run picks up what was counted meanwhile.
"""

from __future__ import annotations

from celery import shared_task

from features.perf.viewcounts import flush_views


@shared_task(ignore_result=True)
def flush_product_views() -> int:
    return flush_views()
