"""shop.cache.backends.TieredCache: each worker's memory in front of the shared cache."""

import pytest
from django.core.cache import cache, caches

from shop.cache import pagecache
from shop.cache.backends import TieredCache


def worker(name: str) -> TieredCache:
    """A tiered cache as one gunicorn worker has it (its own memory, the shared cache)."""
    return TieredCache(name, {"OPTIONS": {"SHARED": "default", "LOCAL_TIMEOUT": 60}})


def test_a_value_set_by_one_worker_is_read_by_another_and_then_kept_locally():
    cache.clear()
    one, two = worker("one"), worker("two")
    one.set("fragment:v1", "<p>kaart</p>", 3600)
    assert cache.get("fragment:v1") == "<p>kaart</p>"  # written through to the shared cache
    assert two.get("fragment:v1") == "<p>kaart</p>"
    cache.delete("fragment:v1")  # gone from the shared cache ...
    assert two.get("fragment:v1") == "<p>kaart</p>"  # ... but worker two kept its copy
    assert worker("three").get("fragment:v1", "weg") == "weg"


def test_get_many_reads_the_shared_cache_only_for_what_is_not_local():
    cache.clear()
    one = worker("many")
    one.set("a", 1)
    cache.set("b", 2)
    assert one.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    cache.clear()
    assert one.get_many(["a", "b"]) == {"a": 1, "b": 2}


def test_add_delete_and_clear_reach_both_tiers():
    cache.clear()
    one = worker("add")
    assert one.add("k", "eerste") is True
    assert one.add("k", "tweede") is False
    assert one.get("k") == "eerste"
    one.delete("k")
    assert one.get("k") is None and cache.get("k") is None
    one.set("x", 1)
    one.clear()
    assert one.get("x") is None and cache.get("x") is None


@pytest.mark.django_db
def test_a_new_catalogue_version_drops_this_process_copies_of_the_old_one(settings):
    # Keys carry the catalogue version, which every order replaces (its stock changes): without
    # this, copies of dead versions filled each worker's memory (`make soak`: RSS +15% in 10 min).
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {
            "BACKEND": "shop.cache.backends.TieredCache",
            "OPTIONS": {"SHARED": "default"},
        },
    }
    fragments = caches["fragments"]
    old = pagecache.current_version()
    fragments.set(f"page:{old}:/catalogue/", "<html>oud</html>")
    assert fragments.local.get(f"page:{old}:/catalogue/") == "<html>oud</html>"

    pagecache.expire_all()  # a write to what the pages show
    new = pagecache.current_version()  # the next request of this process

    assert new != old
    assert fragments.local.get(f"page:{old}:/catalogue/") is None
    assert cache.get(f"page:{old}:/catalogue/") == "<html>oud</html>"  # shared: left to expire


def release_worker(name: str, release: str) -> TieredCache:
    """A worker of one release (shop.release): settings give the fragments cache its VERSION."""
    return TieredCache(name, {"VERSION": release, "OPTIONS": {"SHARED": "default"}})


def test_a_release_never_reads_what_another_release_stored():
    # A deploy that changes a template or the code that renders a page must not serve pages and
    # cards the old code rendered (until they expire, up to 20 minutes): fragments are versioned
    # by release, so old entries are never read, and workers of one release share theirs.
    cache.clear()
    old, new = release_worker("old", "r1"), release_worker("new", "r2")
    old.set("shop:page:v1:home", "<p>oud</p>", 600)
    old.set_many({"shop:card:1": "<p>kaart</p>"}, 600)
    assert new.get("shop:page:v1:home") is None
    assert new.get_many(["shop:card:1"]) == {}
    assert new.add("shop:page:v1:home", "<p>nieuw</p>") is True
    assert old.get("shop:page:v1:home") == "<p>oud</p>"
    assert release_worker("old-2", "r1").get("shop:card:1") == "<p>kaart</p>"


def test_the_fragments_cache_is_versioned_by_the_release(settings):
    from shop.settings import SHOP_RELEASE, cache_settings

    assert SHOP_RELEASE
    for url in ("", "redis://127.0.0.1:6379/0"):
        assert cache_settings(url)["fragments"]["VERSION"] == SHOP_RELEASE
