"""View counts with Redis (production): one pipelined round trip per view, counted across
processes, written to Oscar's ProductRecord by flush_product_views."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from oscar.apps.analytics.models import ProductRecord

from features.perf import viewcounts
from tests.factories import make_supplement
from tests.features.perf.redis_server import RedisServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache(tmp_path):
    """The default cache on a private redis-server of this test (free port, stopped by its PID):
    the machine's Redis, shared with other runs and other xdist workers, is never emptied."""
    server = RedisServer(tmp_path / "redis").start()
    caches = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "tests-viewcounts",
        },
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    try:
        with override_settings(CACHES=caches):
            assert viewcounts._redis() is not None
            cache.clear()
            yield viewcounts._redis()
            cache.clear()
    finally:
        server.stop()


def test_views_are_counted_in_redis_with_one_round_trip_each_and_flushed(redis_cache):
    product, other = make_supplement(upc="MG-VC-1"), make_supplement(upc="MG-VC-2")
    commands = []
    original = redis_cache.pipeline

    def pipeline(*args, **kwargs):
        commands.append("pipeline")
        return original(*args, **kwargs)

    redis_cache.pipeline = pipeline
    try:
        for _ in range(3):
            viewcounts.count_view(product_id=product.pk)
        viewcounts.count_view(product_id=other.pk)
    finally:
        redis_cache.pipeline = original
    assert commands == ["pipeline"] * 4
    assert viewcounts.pending_views() == {product.pk: 3, other.pk: 1}

    call_command("flush_product_views", verbosity=0)
    assert ProductRecord.objects.get(product=product).num_views == 3
    assert ProductRecord.objects.get(product=other).num_views == 1
    assert viewcounts.pending_views() == {}
    viewcounts.count_view(product_id=product.pk)
    call_command("flush_product_views", verbosity=0)
    assert ProductRecord.objects.get(product=product).num_views == 4


def test_basket_additions_are_counted_in_redis_not_written_per_add(redis_cache):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    product = make_supplement(upc="MG-VC-3")
    shopper = Client()
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(3):
            assert shopper.post(f"/basket/add/{product.pk}/", {"quantity": 1}).status_code == 302
    assert not [q for q in ctx.captured_queries if "analytics_productrecord" in q["sql"]]
    assert not ProductRecord.objects.exists()
    assert viewcounts.pending_views("additions") == {product.pk: 3}
    call_command("flush_product_views", verbosity=0)
    record = ProductRecord.objects.get(product=product)
    assert (record.num_basket_additions, record.num_views) == (3, 0)
    assert viewcounts.pending_views("additions") == {}


def test_a_customers_additions_are_counted_in_redis_with_the_products_and_flushed(
    redis_cache, django_user_model
):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from oscar.apps.analytics.models import UserRecord

    product = make_supplement(upc="MG-VC-4")
    customer = django_user_model.objects.create_user("klant", "klant@example.nl", "geheim-123")
    member = Client()
    member.force_login(customer)
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(2):
            assert member.post(f"/basket/add/{product.pk}/", {"quantity": 1}).status_code == 302
    assert not [q for q in ctx.captured_queries if "analytics_" in q["sql"]]
    assert viewcounts.pending_views("user-additions") == {customer.pk: 2}
    call_command("flush_product_views", verbosity=0)
    assert UserRecord.objects.get(user=customer).num_basket_additions == 2
    assert ProductRecord.objects.get(product=product).num_basket_additions == 2
    assert viewcounts.pending_views("user-additions") == {}
