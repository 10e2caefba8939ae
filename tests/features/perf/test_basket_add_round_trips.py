"""What an add to basket sends to Redis (production caches, sessions in the database behind
Redis): the round trips of each visitor kind's add, counted on the connection."""

from __future__ import annotations

import pytest
import redis
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from oscar.apps.basket.models import Line

from features.perf import viewcounts
from features.storefront.models import GuideAddition
from shop.cache import backends, pagecache
from shop.settings import cache_settings
from tests.factories import ArticleFactory, make_supplement
from tests.features.perf.redis_server import RedisServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_round_trips(tmp_path, monkeypatch):
    """Production caches on a redis-server of this test; the list of what each round trip sent
    (a pipeline is one)."""
    server = RedisServer(tmp_path / "redis").start()
    sent = []
    send = backends._ReportsFailures.send_packed_command

    def counted(self, command, *args, **kwargs):
        parts = command if isinstance(command, list | tuple) else [command]
        sent.append(b"".join(bytes(part) for part in parts))
        return send(self, command, *args, **kwargs)

    monkeypatch.setattr(backends._ReportsFailures, "send_packed_command", counted)
    try:
        with override_settings(
            CACHES=cache_settings(server.url),
            SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
            SHOP_PAGE_CACHE_SECONDS=60,
        ):
            yield sent
    finally:
        server.stop()


def _add(client, product, sent) -> list[bytes]:
    sent.clear()
    response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    assert response.status_code == 302
    return list(sent)


def _commands(trips: list[bytes]) -> list[str]:
    """The first command of each round trip."""
    return [trip.split(b"\r\n")[2].decode() for trip in trips]


def test_a_customer_s_add_makes_four_redis_round_trips(redis_round_trips):
    """Session, user, the catalogue version with the customer's last guide read, and the
    basket's stamp removed with the addition counted."""
    product = make_supplement(upc="MG-RT-1", price="10.00")
    customer = get_user_model().objects.create_user("rt", "rt@example.nl", "geheim-123")
    client = Client()
    client.force_login(customer)
    for _ in range(2):  # the basket, then the product and the message kept
        _add(client, product, redis_round_trips)
    trips = _add(client, product, redis_round_trips)
    assert _commands(trips) == ["GET", "GET", "MGET", "DEL"], trips
    assert b"storefront:last-guide:user:" in trips[2] and b"shop:pages:version" in trips[2]
    assert b"INCRBY" in trips[3]


def test_a_basket_holder_s_add_makes_two_redis_round_trips(redis_round_trips):
    product = make_supplement(upc="MG-RT-2", price="10.00")
    client = Client()
    for _ in range(2):
        _add(client, product, redis_round_trips)
    trips = _add(client, product, redis_round_trips)
    assert _commands(trips) == ["MGET", "DEL"], trips
    assert b"storefront:last-guide:basket:" in trips[0]


def test_the_guide_read_early_is_credited(redis_round_trips):
    """The last guide read, read with the version before the add, is credited as before."""
    product = make_supplement(upc="MG-RT-3", price="10.00")
    guide = ArticleFactory()
    customer = get_user_model().objects.create_user("gids", "gids@example.nl", "geheim-123")
    client = Client()
    client.force_login(customer)
    _add(client, product, redis_round_trips)
    assert client.get(f"{reverse('shop:private')}?gids={guide.pk}").status_code == 200
    trips = _add(client, product, redis_round_trips)
    assert GuideAddition.objects.get().article == guide
    # Looked up once, with the version; then noted again, as every credited addition does.
    assert _commands(trips) == ["GET", "GET", "MGET", "MULTI", "DEL"], trips  # MULTI: set_many
    assert b"storefront:last-guide:user:" in trips[2] and b"shop:pages:version" in trips[2]
    assert b"storefront:last-guide:user:" in trips[3]


def test_when_the_round_trip_fails_the_add_counts_and_its_stamp_still_goes(
    redis_round_trips, monkeypatch, caplog
):
    """A pipeline that fails (Redis went away between two commands): the add is made, the
    addition's count dropped and logged, and the basket's stamp deleted through the cache, so
    no summary of the basket before the add is read."""
    product = make_supplement(upc="MG-RT-4", price="10.00")
    customer = get_user_model().objects.create_user("weg", "weg@example.nl", "geheim-123")
    client = Client()
    client.force_login(customer)
    _add(client, product, redis_round_trips)
    basket_id = Line.objects.get(basket__owner=customer).basket_id
    with pagecache.version_read_once():
        pagecache.basket_stamp(basket_id)  # made, as the private parts make it
    assert cache.get(f"shop:basket:{basket_id}:stamp") is not None

    def broken(self, *args, **kwargs):
        raise redis.exceptions.ConnectionError("gone")

    monkeypatch.setattr(redis.client.Pipeline, "execute", broken)
    trips = _add(client, product, redis_round_trips)
    monkeypatch.undo()

    assert Line.objects.get(basket__owner=customer).quantity == 2
    assert "count was dropped" in caplog.text
    assert _commands(trips)[-1] == "DEL" and b":stamp" in trips[-1]  # the cache's own DEL
    assert cache.get(f"shop:basket:{basket_id}:stamp") is None
    assert viewcounts.pending_views("additions") == {product.pk: 1}  # the first add only
