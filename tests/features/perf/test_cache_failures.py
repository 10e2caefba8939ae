"""A failing cache degrades the shop, never breaks it: with Redis stopped, full or hanging every
page answers (uncached), logins and baskets keep working, and once Redis is back the cache is
used again without restarting anything.

Each test runs its own redis-server (tests/features/perf/redis_server.py) with the production cache
configuration (shop.settings.cache_settings) and sessions in the database behind Redis.
"""

from __future__ import annotations

import time

import pytest
import redis
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.cached_db import KEY_PREFIX as SESSION_KEY_PREFIX
from django.core.cache import cache
from django.core.cache.backends.base import BaseCache
from django.test import Client, override_settings
from django.urls import reverse

from shop.cache import pagecache
from shop.cache.backends import ThumbnailKVStore, TieredCache
from shop.cache.pagecache import VERSION_KEY
from shop.settings import cache_settings
from tests.factories import ArticleFactory, make_supplement
from tests.features.perf.cache_calls import outermost_calls
from tests.features.perf.redis_server import RedisServer, SilentServer

pytestmark = pytest.mark.django_db

PASSWORD = "magnesium-123"
# A page may take this long while Redis hangs: one socket timeout (0.25 s), then the process
# leaves Redis alone for a while (PausingConnectionPool) and renders without it.
SLOW_PAGE_SECONDS = 2.0


def production_cache(url: str):
    """The cache and session settings of a deployment with REDIS_URL=`url`."""
    return override_settings(
        CACHES=cache_settings(url),
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        SHOP_PAGE_CACHE_SECONDS=60,
    )


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path / "redis").start()
    yield server
    server.stop()


@pytest.fixture
def full_redis_server(tmp_path):
    """A Redis that refuses writes once full (noeviction); 1 MB once the shop has warmed up."""
    server = RedisServer(tmp_path / "redis", "--maxmemory-policy", "noeviction").start()
    yield server
    server.stop()


@pytest.fixture
def silent_server():
    server = SilentServer().start()
    yield server
    server.stop()


@pytest.fixture
def shop(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the search index, as on commit
        product = make_supplement(upc="MG-CACHE-1", title="Magnesiumcitraat Cachetest")
        guide = ArticleFactory(title="Gids die blijft", slug="gids-die-blijft")
    customer = get_user_model().objects.create_user(
        username="klant", email="klant@example.nl", password=PASSWORD
    )
    return {"product": product, "guide": guide, "customer": customer}


class Walk:
    """The pages of a visit, each checked for its status (and time, given a limit) and timed."""

    def __init__(self, shop, limit: float | None = None):
        self.shop = shop
        self.limit = limit
        self.timings: dict[str, tuple[int, float]] = {}

    def request(self, name, send, expected=200):
        start = time.perf_counter()
        response = send()
        seconds = time.perf_counter() - start
        self.timings[name] = (response.status_code, seconds)
        assert response.status_code == expected, f"{name}: {response.status_code}"
        if self.limit is not None:
            assert seconds < self.limit, f"{name} took {seconds:.2f} s"
        return response

    def anonymous(self) -> None:
        """A first visit, without cookies: the pages every visitor shares."""
        product = self.shop["product"]
        page = self.request("product page", lambda: Client().get(product.get_absolute_url()))
        assert product.title in page.content.decode()
        guides = self.request("kennisbank", lambda: Client().get(reverse("content:article-list")))
        assert self.shop["guide"].title in guides.content.decode()
        search = reverse("search:search")
        found = self.request("search", lambda: Client().get(search, {"q": "cachetest"}))
        assert product.title in found.content.decode()

    def log_in(self) -> Client:
        customer = Client()
        login = reverse("customer:login")
        self.request("login page", lambda: customer.get(login))
        form = {"login-username": "klant@example.nl", "login-password": PASSWORD, "login_submit": 1}
        self.request("login", lambda: customer.post(login, form), expected=302)
        assert int(customer.session["_auth_user_id"]) == self.shop["customer"].pk
        return customer

    def shop_as(self, customer: Client) -> None:
        """A signed-in customer's own parts of a product page, account, basket."""
        product = self.shop["product"]
        private = reverse("shop:private")
        self.request("private parts", lambda: customer.get(private, {"product": product.pk}))
        self.request("account", lambda: customer.get(reverse("customer:profile-view")))
        add = reverse("basket:add", kwargs={"pk": product.pk})
        self.request("add to basket", lambda: customer.post(add, {"quantity": 1}), expected=302)
        basket = self.request("basket", lambda: customer.get(reverse("basket:summary")))
        assert product.title in basket.content.decode()

    def everything(self) -> Client:
        self.anonymous()
        customer = self.log_in()
        self.shop_as(customer)
        return customer

    def report(self, title: str) -> None:
        print(f"\n{title}")
        for name, (status, seconds) in self.timings.items():
            print(f"  {name:<14} {status}  {seconds * 1000:7.1f} ms")


def raw(server) -> redis.Redis:
    return redis.Redis.from_url(server.url, socket_timeout=1)


def session_in_redis(server, client: Client) -> bool:
    key = cache.make_key(SESSION_KEY_PREFIX + client.session.session_key)
    return bool(raw(server).exists(key))


def test_every_page_answers_while_redis_is_down_and_logins_survive(redis_server, shop):
    with production_cache(redis_server.url):
        customer = Walk(shop).everything()  # Redis up: the session is cached in Redis
        assert session_in_redis(redis_server, customer)

        redis_server.stop()
        walk = Walk(shop)
        walk.anonymous()
        # Logged in before Redis stopped, still logged in: the session is a database row.
        walk.shop_as(customer)
        assert int(customer.session["_auth_user_id"]) == shop["customer"].pk
        signed_in_meanwhile = walk.log_in()
        walk.shop_as(signed_in_meanwhile)
        walk.report("Redis stopped")

        redis_server.start()  # empty: every cached session is gone
        for client in (customer, signed_in_meanwhile):
            assert client.get(reverse("customer:profile-view")).status_code == 200  # not a 302


def test_the_cache_is_used_again_once_redis_is_back(redis_server, shop):
    with production_cache(redis_server.url):
        redis_server.stop()
        customer = Walk(shop).everything()
        redis_server.start()  # same port, empty
        back = time.monotonic()

        # Within the pause after the last failure (REDIS_PAUSE, 1 s) plus a request.
        while not session_in_redis(redis_server, customer):
            assert time.monotonic() - back < 3, "the cache was not used again within 3 s"
            assert customer.get(reverse("customer:profile-view")).status_code == 200
            time.sleep(0.05)
        print(f"\nRedis back: the cache is used again after {time.monotonic() - back:.2f} s")
        assert Client().get(shop["product"].get_absolute_url())["X-Page-Cache"] == "miss"
        assert raw(redis_server).exists(cache.make_key(VERSION_KEY))
        assert Client().get(shop["product"].get_absolute_url())["X-Page-Cache"] == "hit"


def fill(server) -> None:
    """Fill Redis up to its maxmemory: every later write is refused (OOM), reads still work."""
    connection = raw(server)
    block = b"x" * 10_000
    with pytest.raises(redis.ResponseError, match="maxmemory"):
        for number in range(10_000):
            connection.set(f"ballast:{number}", block)


def test_every_page_answers_while_redis_is_full_and_nothing_stale_is_read(full_redis_server, shop):
    with production_cache(full_redis_server.url):
        customer = Walk(shop).everything()
        assert Client().get(shop["product"].get_absolute_url())["X-Page-Cache"] == "hit"
        assert session_in_redis(full_redis_server, customer)

        full_redis_server.command("CONFIG", "SET", "maxmemory", "1mb")
        fill(full_redis_server)
        walk = Walk(shop)
        walk.anonymous()
        walk.shop_as(customer)
        walk.shop_as(walk.log_in())
        walk.report("Redis full (maxmemory 1mb, noeviction)")

        # A write Redis refuses to store must not leave the value it replaces readable:
        # a session changed while Redis is full is read back changed ...
        session = customer.session
        session["checkout_step"] = "verzending"
        session.save()
        assert customer.session["checkout_step"] == "verzending"
        # ... and a catalogue write reaches the stored pages (the version could not be replaced,
        # so it is deleted and pages render uncached).
        product = shop["product"]
        product.title = "Magnesiumcitraat Nieuwe Titel"
        product.save()
        page = Client().get(product.get_absolute_url())
        assert "Nieuwe Titel" in page.content.decode()


def test_every_page_answers_in_bounded_time_while_redis_hangs(silent_server, shop):
    with production_cache(silent_server.url):
        walk = Walk(shop, limit=SLOW_PAGE_SECONDS)
        start = time.perf_counter()
        walk.everything()
        walk.report("Redis hanging (accepts connections, never answers)")
        print(f"  whole walk     {(time.perf_counter() - start) * 1000:7.1f} ms")


def test_a_value_whose_replacement_failed_is_not_read_once_redis_takes_commands_again(
    redis_server,
):
    """Redis refuses the write and the delete (as when it hangs, or during a network cut):
    the old value is deleted before this process's next read reaches Redis."""
    with production_cache(redis_server.url):
        cache.set(VERSION_KEY, "oud", None)
        redis_server.command("ACL", "SETUSER", "default", "-set", "-del")
        cache.set(VERSION_KEY, "nieuw", None)  # refused, and so is deleting "oud"
        assert raw(redis_server).get(cache.make_key(VERSION_KEY)) is not None
        redis_server.command("ACL", "SETUSER", "default", "+set", "+del")
        assert cache.get(VERSION_KEY) is None


def test_stamps_whose_removal_failed_are_not_read_once_redis_takes_commands_again(redis_server):
    """expire_stamps() removes several stamps in one DEL: refused, they are deleted before this
    process's next read reaches Redis, as a single failed delete is."""
    with production_cache(redis_server.url):
        objects = [("card", 1), ("card", 2)]
        before = pagecache.stamps(objects)
        redis_server.command("ACL", "SETUSER", "default", "-del")
        with pagecache.version_read_once():
            pagecache.expire_stamps(objects)  # refused
        assert raw(redis_server).get(cache.make_key("shop:card:1:stamp")) is not None
        redis_server.command("ACL", "SETUSER", "default", "+del")
        with pagecache.version_read_once():
            after = pagecache.stamps(objects)
        assert set(after.values()).isdisjoint(before.values())


class BrokenCache(BaseCache):
    """A shared cache whose every call raises (a backend that does not ignore its errors)."""

    def __getattribute__(self, name):
        if name in {
            "get",
            "get_many",
            "set",
            "set_many",
            "add",
            "touch",
            "delete",
            "has_key",
            "clear",
        }:
            raise OSError("the shared cache is gone")
        return super().__getattribute__(name)


def test_the_tiered_cache_never_raises_when_the_shared_cache_fails(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "broken": {"BACKEND": "tests.features.perf.test_cache_failures.BrokenCache"},
    }
    tiered = TieredCache("broken-shared", {"OPTIONS": {"SHARED": "broken"}})
    assert tiered.get("ontbreekt", "standaard") == "standaard"
    assert tiered.get_many(["ontbreekt"]) == {}
    tiered.set("fragment", "<p>kaart</p>", 60)
    assert tiered.get("fragment") == "<p>kaart</p>"  # the local tier still works
    tiered.set_many({"kaart-1": "<p>1</p>", "kaart-2": "<p>2</p>"}, 60)
    assert tiered.get_many(["kaart-1", "kaart-2"]) == {"kaart-1": "<p>1</p>", "kaart-2": "<p>2</p>"}
    assert tiered.add("nieuw", 1) is False
    assert tiered.has_key("fragment") and not tiered.has_key("ontbreekt")
    assert tiered.touch("fragment") is False
    assert tiered.delete("fragment") is False and tiered.get("fragment") is None
    tiered.clear()


def test_the_tiered_cache_writes_many_entries_in_one_shared_call(settings, monkeypatch):
    """A page's new cards are one shared write (one Redis pipeline), not one per card."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    tiered = TieredCache("counted", {"OPTIONS": {"SHARED": "default"}})
    shared = tiered.shared
    calls = outermost_calls(monkeypatch, shared, ("set", "set_many"))
    tiered.set_many({f"kaart-{n}": n for n in range(5)}, 60)
    assert [name for name, _args in calls] == ["set_many"]
    assert shared.get("kaart-3") == 3 and tiered.get("kaart-4") == 4


def test_thumbnail_records_live_in_redis_and_a_failing_redis_reads_as_unknown(
    redis_server, silent_server, settings
):
    settings.THUMBNAIL_REDIS_URL = redis_server.url
    store = ThumbnailKVStore()
    store._set_raw("sorl-thumbnail||image||abc", '{"name": "x.jpg"}')
    assert store._get_raw("sorl-thumbnail||image||abc") == b'{"name": "x.jpg"}'
    redis_server.stop()
    assert store._get_raw("sorl-thumbnail||image||abc") is None
    assert store._set_raw("sorl-thumbnail||image||def", "{}") is None
    assert store._find_keys_raw("sorl-thumbnail") == []
    settings.THUMBNAIL_REDIS_URL = silent_server.url
    hanging = ThumbnailKVStore()
    start = time.perf_counter()
    for _ in range(20):
        assert hanging._get_raw("sorl-thumbnail||image||abc") is None
    assert time.perf_counter() - start < 2  # one timeout, then paused


def test_the_caches_replies_are_parsed_by_hiredis(redis_server):
    """redis-py's C reply parser (hiredis, a dependency of the shop): with its pure-Python parser
    each reply cost a private-parts request, which makes five or six cache round trips, several
    tenths of a millisecond of CPU."""
    with production_cache(redis_server.url):
        cache.set("parser", "hiredis")
        pool = cache.client.get_client(write=False).connection_pool
        connection = pool.get_connection()
        try:
            assert type(connection._parser).__name__ == "_HiredisParser"
        finally:
            pool.release(connection)
        assert cache.get("parser") == "hiredis"
