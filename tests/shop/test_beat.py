"""Celery beat's schedule (issue 17): the counters kept in the cache are written by periodic
tasks, so a cluster with a task queue needs no cron for them."""

import pytest
from django.conf import settings
from django.core.cache import cache
from oscar.apps.analytics.models import ProductRecord

from features.perf import tasks as perf_tasks
from features.perf import viewcounts
from features.storefront import counters
from features.storefront import tasks as storefront_tasks
from features.storefront.models import GuideCount
from shop.celery import app
from tests.factories import ArticleFactory, make_supplement


def test_every_scheduled_task_is_one_the_workers_know():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "features.perf.tasks.flush_product_views",
        "features.storefront.tasks.flush_guide_counts",
    } <= scheduled
    assert scheduled - set(app.tasks) == set()


@pytest.mark.django_db
def test_the_product_views_task_writes_the_counted_views():
    cache.clear()
    product = make_supplement(upc="MG-BEAT-1")
    for _ in range(3):
        viewcounts.count_view(product_id=product.pk)
    assert perf_tasks.flush_product_views.apply().get() == 3
    assert ProductRecord.objects.get(product=product).num_views == 3
    assert perf_tasks.flush_product_views.apply().get() == 0  # taken: not written twice


@pytest.mark.django_db
def test_the_guide_counts_task_writes_the_counted_views():
    cache.clear()
    article = ArticleFactory()
    counters.count("views", article_id=article.pk)
    counters.count("views", article_id=article.pk)
    assert storefront_tasks.flush_guide_counts.apply().get() == 2
    assert GuideCount.objects.get(article=article).views == 2
    assert storefront_tasks.flush_guide_counts.apply().get() == 0
