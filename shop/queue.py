"""The shop's one retry policy for tasks on the queue (issue 17: work off the request path).

Every task is safe to run twice (the queue delivers at least once: acks_late, shop.settings), so
a failure it can outlive (the database or a proxy briefly away) is retried with exponential
backoff and jitter: 1, 2, 4 … s, at most 60 s apart, eight times, then it is left failed in the
worker's log. Celery is the `cluster` extra's dependency: import this only from task modules.
"""

from __future__ import annotations

from celery import shared_task

RETRIES = 8
BACKOFF_MAX_SECONDS = 60


def retrying_task(*retry_on: type[BaseException]):
    """`@shared_task` retried on these exceptions with the policy above; no result is kept.

    The backoff factor is 1 s: Celery turns a smaller one into 1 (an int of at least 1), so a
    faster first retry cannot be asked for this way.
    """
    return shared_task(
        autoretry_for=retry_on,
        retry_backoff=1,
        retry_backoff_max=BACKOFF_MAX_SECONDS,
        max_retries=RETRIES,
        ignore_result=True,
    )
