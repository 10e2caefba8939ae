"""The whole-page cache for pages that are the same for every visitor without cookies.

A page is stored under the current "catalogue version"; any write to what those pages show bumps
the version (shop.perf.receivers), so the next request renders afresh. Nothing per-visitor is
stored: the CSRF token in cached forms is a placeholder that each response gets its own token for.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import Resolver404, resolve

VERSION_KEY = "shop:pages:version"

# 64 characters, as long as a masked CSRF token, so replacing it keeps Content-Length honest.
CSRF_PLACEHOLDER = "shop-page-cache-csrf-placeholder".ljust(64, "0")

# Views whose GET is the same for every anonymous visitor. Basket, checkout, account, dashboard
# and the staff preview are left out on purpose; search is below.
CACHEABLE_VIEWS = {
    "catalogue:index",
    "catalogue:detail",
    "catalogue:category",
    "catalogue:range",
    "content:article-list",
    "content:faq-list",
    "content:article-detail",
    "shop:form-comparison",
    "robots-txt",
    "sitemap-index",
    "sitemap-section",
}

# Search result pages are the same for everyone too, but their URL is user input: only a short
# query string is stored (keyed by the full URL like any page, under the same catalogue version),
# so visitors or crawlers cannot fill the cache with long, one-off keys.
SEARCH_VIEWS = {"search:search"}
MAX_SEARCH_QUERY_STRING = 200


# The version read once per request (PageCacheMiddleware opens and closes this memo): the page
# key, the listing order and every fragment key of one response use the same version, read with
# one cache round trip instead of one per fragment.
_request_version: ContextVar[dict | None] = ContextVar("shop_page_version", default=None)


@contextmanager
def version_read_once():
    token = _request_version.set({})
    try:
        yield
    finally:
        _request_version.reset(token)


def current_version() -> str:
    """The catalogue version the page keys are built on (created on first use)."""
    memo = _request_version.get()
    if memo is not None and "version" in memo:
        return memo["version"]
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    if memo is not None:
        memo["version"] = version
    return version


def expire_all() -> None:
    """Make every stored page stale: now, and again once the writing transaction commits, so a
    request that read the old rows meanwhile cannot keep them cached."""

    def bump():
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
        memo = _request_version.get()
        if memo is not None:
            memo.pop("version", None)  # this request's later fragments use the new version

    bump()
    transaction.on_commit(bump)


def visitor_is_anonymous_and_fresh(request) -> bool:
    """No session, basket or flash messages: nothing on the page can differ for this visitor."""
    cookies = request.COOKIES
    return not (
        settings.SESSION_COOKIE_NAME in cookies
        or settings.OSCAR_BASKET_COOKIE_OPEN in cookies
        or "messages" in cookies
        or "HTTP_AUTHORIZATION" in request.META
    )


def is_cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or not visitor_is_anonymous_and_fresh(request):
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        # Flatpages are served by the fallback middleware for paths no URL matches; a real 404
        # is not stored (only 200 responses are).
        return True
    if match.view_name in SEARCH_VIEWS:
        return len(request.META.get("QUERY_STRING", "")) <= MAX_SEARCH_QUERY_STRING
    return match.view_name in CACHEABLE_VIEWS


def page_key(request) -> str:
    version, host = current_version(), request.get_host()
    return f"shop:page:{version}:{request.scheme}:{host}:{request.get_full_path()}"


def _basket_stamp_key(basket_id) -> str:
    return f"shop:basket:{basket_id}:stamp"


def basket_stamp(basket_id) -> str:
    """Changes whenever the basket's lines, vouchers or status change (shop.perf.receivers)."""
    key = _basket_stamp_key(basket_id)
    stamp = cache.get(key)
    if stamp is None:
        cache.add(key, uuid.uuid4().hex, 7 * 24 * 3600)
        stamp = cache.get(key)
    return stamp


def expire_basket(basket_id) -> None:
    """Make the stored summary of one basket stale."""
    cache.delete(_basket_stamp_key(basket_id))
