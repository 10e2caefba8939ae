"""Basket additions are counted in the cache (no ProductRecord write per add) and written by
flush_product_views, with the product views; a signed-in customer's UserRecord as Oscar does."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from oscar.apps.analytics.models import ProductRecord, UserRecord

from tests.shop.supplements import make_supplement

pytestmark = pytest.mark.django_db


def test_additions_are_counted_in_the_cache_and_flushed(django_user_model):
    cache.clear()
    product = make_supplement(upc="MG-BA-1")
    visitor = Client()
    for _ in range(2):
        assert visitor.post(f"/basket/add/{product.pk}/", {"quantity": 1}).status_code == 302
    customer = django_user_model.objects.create_user("klant", "klant@example.nl", "geheim-123")
    member = Client()
    member.force_login(customer)
    assert member.post(f"/basket/add/{product.pk}/", {"quantity": 1}).status_code == 302

    assert not ProductRecord.objects.exists()  # nothing written on the request path
    assert UserRecord.objects.get(user=customer).num_basket_additions == 1
    call_command("flush_product_views", verbosity=0)
    assert ProductRecord.objects.get(product=product).num_basket_additions == 3
    call_command("flush_product_views", verbosity=0)
    assert ProductRecord.objects.get(product=product).num_basket_additions == 3
    cache.clear()
