"""Serve shared pages from the cache before sessions, users or baskets are looked at."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token

from shop.perf import pagecache

_CSRF_SECRET = re.compile(r"^[a-zA-Z0-9]{32}$")
_PLACEHOLDER = pagecache.CSRF_PLACEHOLDER.encode()
# Headers a stored page keeps; cookies and per-response headers are never stored.
_KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag", "Link")


class PageCacheMiddleware:
    """Whole-page cache for anonymous visitors without cookies (see shop.perf.pagecache).

    Sits right after WhiteNoise: a hit costs one or two cache reads and no SQL. A visitor with a
    session, a basket or flash messages always gets a freshly rendered page.

    Every page, stored or not, is rendered with a CSRF placeholder that each response swaps for
    this visitor's token (fill_csrf): so fragments that hold a form (product cards, the add-to-
    basket form) can be cached once for everyone and still post for whoever gets them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with pagecache.version_read_once():
            return self.respond(request)

    def respond(self, request):
        request.csrf_placeholder = True  # read by shop.perf.context_processors
        timeout = settings.SHOP_PAGE_CACHE_SECONDS
        if not timeout or not pagecache.is_cacheable_request(request):
            return self.fill_csrf(request, self.get_response(request))
        key = pagecache.page_key(request)
        stored = caches["fragments"].get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return self.fill_csrf(request, response)

        response = self.get_response(request)
        if self.storable(response):
            headers = {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)}
            caches["fragments"].set(key, (response.content, headers), timeout)
            response["X-Page-Cache"] = "miss"
        return self.fill_csrf(request, response)

    @staticmethod
    def storable(response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def fill_csrf(request, response):
        """Give this response its own CSRF token where the stored page has the placeholder, and
        the matching cookie, so forms work with or without JavaScript."""
        if (
            response.streaming
            or not response.get("Content-Type", "").startswith(("text/", "application/json"))
            or _PLACEHOLDER not in response.content
        ):
            return response
        cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
        if _CSRF_SECRET.match(cookie) and "CSRF_COOKIE" not in request.META:
            request.META["CSRF_COOKIE"] = cookie
        token = get_token(request)
        response.content = response.content.replace(_PLACEHOLDER, token.encode())
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        if request.META.get("CSRF_COOKIE") != cookie:
            response.set_cookie(
                settings.CSRF_COOKIE_NAME,
                request.META["CSRF_COOKIE"],
                max_age=settings.CSRF_COOKIE_AGE,
                domain=settings.CSRF_COOKIE_DOMAIN,
                path=settings.CSRF_COOKIE_PATH,
                secure=settings.CSRF_COOKIE_SECURE,
                httponly=settings.CSRF_COOKIE_HTTPONLY,
                samesite=settings.CSRF_COOKIE_SAMESITE,
            )
        response["Cache-Control"] = "private, no-cache"
        return response
