"""Work off the request path (issue 17), run by the Celery workers (shop.celery).

Every task here is safe to run twice: the queue delivers at least once (acks_late: a worker
killed mid-task leaves its message to be delivered again), so the effect must be idempotent.
"""

from __future__ import annotations

from celery import shared_task

from features.edge.purge import purge_now


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=0.5,
    retry_backoff_max=30,
    max_retries=8,
    ignore_result=True,
)
def purge_tags(tags: list[str]) -> None:
    """Purge the shared pages of `tags` from every proxy (a purge twice is a purge once)."""
    purge_now(tags)
