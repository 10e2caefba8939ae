"""A stored page that expires under load is rendered again once, not by every worker at once
(stale-while-revalidate, shop.cache.pagecache.stored_page): the request that claims the refresh
renders it, every other one is served the stale copy meanwhile."""

import threading
import time

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from features.perf.middleware import SharedPageMiddleware
from shop.cache import pagecache
from shop.cache.backends import TieredCache

pytestmark = pytest.mark.usefixtures("page_cache")

SEARCH = "/search/?q=magnesium"
VISITORS = 12


class SlowRender:
    """The search view as the cache sees it: each render takes a while and is counted."""

    def __init__(self, seconds=0.3):
        self.seconds = seconds
        self.renders = 0
        self.lock = threading.Lock()

    def __call__(self, request):
        with self.lock:
            self.renders += 1
            number = self.renders
        time.sleep(self.seconds)
        return HttpResponse(f"<p>zoekresultaten, render {number}</p>")


def _visit(middleware):
    return middleware(RequestFactory().get(SEARCH, HTTP_COOKIE="sessionid=x"))


def _at_once(middleware, visitors=VISITORS):
    """`visitors` requests for the page, all started together (threads, as gunicorn workers
    and their connections would)."""
    start = threading.Barrier(visitors)
    responses = [None] * visitors

    def visit(i):
        start.wait()
        responses[i] = _visit(middleware)

    threads = [threading.Thread(target=visit, args=(i,)) for i in range(visitors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def _later(monkeypatch, seconds):
    now = time.time() + seconds
    monkeypatch.setattr(pagecache, "_now", lambda: now)


def test_an_expired_page_under_concurrent_requests_is_rendered_once(settings, monkeypatch):
    render = SlowRender()
    middleware = SharedPageMiddleware(render)
    assert _visit(middleware)["X-Page-Cache"] == "miss"
    assert render.renders == 1

    _later(monkeypatch, settings.SHOP_SEARCH_CACHE_SECONDS + 1)  # the stored copy is stale
    responses = _at_once(middleware)

    assert render.renders == 2  # one refresh for twelve visitors
    kinds = sorted(r["X-Page-Cache"] for r in responses)
    assert kinds == ["miss"] + ["stale"] * (VISITORS - 1)
    assert all(r.status_code == 200 for r in responses)
    stale = [r for r in responses if r["X-Page-Cache"] == "stale"]
    assert all(b"render 1" in r.content for r in stale)  # served without waiting
    # The refreshed copy is fresh for everyone after it.
    after = _visit(middleware)
    assert (after["X-Page-Cache"], b"render 2" in after.content) == ("hit", True)


def test_another_worker_with_the_stale_copy_in_memory_takes_the_refreshed_one(monkeypatch):
    """Each gunicorn worker keeps pages in its own memory (TieredCache): one whose memory
    holds the stale copy reads the refreshed one from the shared cache instead of rendering."""
    one = TieredCache("one", {"OPTIONS": {"SHARED": "default", "LOCAL_TIMEOUT": 300}})
    two = TieredCache("two", {"OPTIONS": {"SHARED": "default", "LOCAL_TIMEOUT": 300}})

    def in_worker(worker):
        monkeypatch.setattr(pagecache, "caches", {"fragments": worker})

    in_worker(one)
    pagecache.store_page("shop:page:v:k", b"eerste", {}, 60)
    in_worker(two)
    assert pagecache.stored_page("shop:page:v:k").page == (b"eerste", {})  # now in its memory

    _later(monkeypatch, 61)
    in_worker(one)
    refresh = pagecache.stored_page("shop:page:v:k")
    assert (refresh.page, refresh.claimed) == (None, True)
    pagecache.store_page("shop:page:v:k", b"tweede", {}, 60)
    pagecache.release_refresh("shop:page:v:k")

    in_worker(two)
    assert two.local.get("shop:page:v:k")[0] == b"eerste"  # stale in its memory ...
    found = pagecache.stored_page("shop:page:v:k")
    assert (found.page, found.stale, found.claimed) == ((b"tweede", {}), False, False)


def test_a_refresh_that_fails_lets_the_next_request_try_again(settings, monkeypatch):
    render = SlowRender(seconds=0)
    middleware = SharedPageMiddleware(render)
    _visit(middleware)
    _later(monkeypatch, settings.SHOP_SEARCH_CACHE_SECONDS + 1)

    def broken(request):
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        SharedPageMiddleware(broken)(RequestFactory().get(SEARCH))
    assert _visit(middleware)["X-Page-Cache"] == "miss"  # the claim was released
