"""Basket additions are counted in the cache (no ProductRecord write per add, and no UserRecord
write per add of a signed-in customer) and written by flush_product_views, with the product views.
Adds at the same moment all count, and never put more in a basket than is in stock."""

import threading

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from oscar.apps.analytics.models import ProductRecord, UserRecord
from oscar.apps.basket.models import Line
from oscar.apps.basket.signals import basket_addition
from oscar.core.loading import get_model

from tests.factories import make_product, make_supplement

Basket = get_model("basket", "Basket")

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
    assert not UserRecord.objects.exists()
    call_command("flush_product_views", verbosity=0)
    assert ProductRecord.objects.get(product=product).num_basket_additions == 3
    assert UserRecord.objects.get(user=customer).num_basket_additions == 1
    assert member.post(f"/basket/add/{product.pk}/", {"quantity": 1}).status_code == 302
    call_command("flush_product_views", verbosity=0)
    call_command("flush_product_views", verbosity=0)
    assert ProductRecord.objects.get(product=product).num_basket_additions == 4
    assert UserRecord.objects.get(user=customer).num_basket_additions == 2
    cache.clear()


def _post_together(clients, path, quantity=1):
    """One add-to-basket post per client at the same moment, each on its own connection."""
    barrier = threading.Barrier(len(clients))
    statuses, errors = [], []

    def run(client):
        try:
            barrier.wait(timeout=30)
            statuses.append(client.post(path, {"quantity": quantity}).status_code)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return statuses


@pytest.mark.django_db(transaction=True)
def test_simultaneous_adds_of_a_customer_all_count(django_user_model):
    """Eight adds of one customer's line at the same moment (eight tabs): every unit counts (the
    line's quantity is added in the database)."""
    product = make_product(title="Magnesium in acht tabbladen", price="10.00", stock=1000)
    customer = django_user_model.objects.create_user("tabs", "tabs@example.nl", "geheim-123")
    clients = []
    for _ in range(8):
        client = Client()
        client.force_login(customer)
        clients.append(client)
    assert clients[0].post(f"/basket/add/{product.pk}/", {"quantity": 1}).status_code == 302

    assert _post_together(clients, f"/basket/add/{product.pk}/") == [302] * 8

    assert Line.objects.get(basket__owner=customer).quantity == 9


@pytest.mark.django_db(transaction=True)
def test_simultaneous_adds_never_put_more_in_a_basket_than_is_in_stock():
    """Twelve adds of one basket's line at the same moment with 10 in stock and 1 in the basket:
    nine are added, three refused (the UPDATE that adds the quantity holds only while the stock
    allows it, so no two adds both take the last unit)."""
    product = make_product(title="Magnesium, nog tien", price="10.00", stock=10)
    first = Client()
    assert first.post(f"/basket/add/{product.pk}/", {"quantity": 1}).status_code == 302
    clients = []
    for _ in range(12):
        client = Client()
        client.cookies["oscar_open_basket"] = first.cookies["oscar_open_basket"].value
        clients.append(client)

    assert _post_together(clients, f"/basket/add/{product.pk}/") == [302] * 12

    assert Line.objects.get(product=product).quantity == 10


@pytest.mark.django_db(transaction=True)
def test_the_receivers_of_an_addition_run_once_the_basket_is_unlocked():
    """Oscar's basket_addition (counted in the cache, credited to a guide) is sent after the add
    committed: another add of the same basket does not wait for its receivers."""
    product = make_product(title="Magnesium, niet op slot", price="10.00", stock=100)
    shopper = Client()
    assert shopper.post(f"/basket/add/{product.pk}/", {"quantity": 1}).status_code == 302
    basket_id = Line.objects.get(product=product).basket_id
    found = []

    def lock_from_elsewhere():
        try:
            with transaction.atomic():
                list(Basket.objects.select_for_update(nowait=True).filter(pk=basket_id))
            found.append("free")
        except DatabaseError:
            found.append("locked")
        finally:
            connection.close()

    def receiver(sender, **kwargs):
        other = threading.Thread(target=lock_from_elsewhere)
        other.start()
        other.join(timeout=30)

    basket_addition.connect(receiver, dispatch_uid="test-unlocked")
    try:
        assert shopper.post(f"/basket/add/{product.pk}/", {"quantity": 1}).status_code == 302
    finally:
        basket_addition.disconnect(dispatch_uid="test-unlocked")
    assert found == ["free"]
    assert Line.objects.get(product=product).quantity == 2
