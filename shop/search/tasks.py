"""The search app's task (issue 17): with a task queue (CELERY_BROKER_URL), a product's search
document is rewritten by a worker after the write commits (shop.search.indexing._flush queues it).
Celery is the `cluster` extra's dependency: this module is imported only when a broker is set
(and by Celery's autodiscovery)."""

from __future__ import annotations

from django.db import DatabaseError

from shop.queue import retrying_task
from shop.search.indexing import product_index_update, vocabulary_add


@retrying_task(DatabaseError)
def index_products(product_ids: list[int]) -> None:
    """Rewrite these products' search documents from their committed rows and add their words
    to the vocabulary (an upsert and an insert of what is missing: twice is once)."""
    product_index_update(product_ids=product_ids)
    vocabulary_add(product_ids=product_ids)
