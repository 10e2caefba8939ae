"""Shared pages from shared inputs only (shop.cache.pagecache), and cache headers for the rest."""

from __future__ import annotations

import logging
from http.cookies import SimpleCookie

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

from shop.cache import pagecache

logger = logging.getLogger(__name__)


class SharedPageLeak(ImproperlyConfigured):
    """A shared render reached for something of one visitor (raised when SHOP_SHARED_STRICT)."""


class SharedPageMiddleware:
    """Serves the storefront's shared pages (shop.cache.pagecache) to every visitor alike.

    For a shared page the request is stripped of everything of this visitor before the
    middlewares below it run (make_shared): the session, authentication, messages, basket and
    CSRF middlewares see a first-time anonymous visitor. The page is then served from the cache
    or rendered and stored; either way its response sets no cookie, carries the same headers and
    may be cached by a proxy. Private parts come from features.perf.views.private.

    Sits below the security, clickjacking and CSP middlewares, so a stored page gets the same
    security headers as a fresh one. Every other response is marked private.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with pagecache.version_read_once():
            view = pagecache.shared_view(request)
            if view is None:
                return self.private(self.get_response(request))
            return self.shared(request, view)

    @staticmethod
    def private(response):
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True)
        patch_vary_headers(response, ("Cookie",))
        return response

    def shared(self, request, view):
        pagecache.make_shared(request, view)
        seconds = pagecache.page_seconds(view)
        version = pagecache.current_version()
        key = None
        if seconds and pagecache.version_is_shared(version):
            key = pagecache.page_key(request, version)
            stored = pagecache.stored_page(key)
            if stored.page is not None:
                content, headers = stored.page
                response = HttpResponse(content)
                for name, value in headers.items():
                    response[name] = value
                response["X-Page-Cache"] = "stale" if stored.stale else "hit"
                return self.shared_headers(response)
            if stored.claimed:
                try:
                    return self.render(request, key, seconds)
                finally:
                    pagecache.release_refresh(key)
        return self.render(request, key, seconds)

    def render(self, request, key, seconds):
        """Render the shared page; store it under `key` (None: not stored)."""
        response = self.get_response(request)
        leaked = self.leaks(request, response)
        # Whatever a shared render set (a message it could not show, a token) was for a
        # visitor that does not exist: never sent, never stored.
        response.cookies = SimpleCookie()
        if leaked:
            logger.error("Shared page %s not stored: %s", request.path, leaked)
            if getattr(settings, "SHOP_SHARED_STRICT", False):
                raise SharedPageLeak(f"{request.path}: {leaked}")
            patch_cache_control(response, private=True, no_store=True)
            return response
        if key and self.storable(response):
            headers = {name: response[name] for name in pagecache.KEPT_HEADERS if name in response}
            pagecache.store_page(key, response.content, headers, seconds)
            response["X-Page-Cache"] = "miss"
        return self.shared_headers(response)

    @staticmethod
    def leaks(request, response) -> str:
        """What of one visitor a shared render reached for (a stored page must hold nothing)."""
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return "a CSRF token was generated"
        if getattr(request, "_csp_nonce", None):
            # django-csp's nonce is per response: a stored page would carry a stale one.
            return "a CSP nonce was used"
        session = getattr(request, "session", None)
        if session is not None and session.modified and response.status_code == 200:
            return "the session was written"
        return ""

    @staticmethod
    def storable(response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def shared_headers(response):
        """The same for everyone: a proxy or CDN may keep it (s-maxage, as long as a write takes
        to reach it), browsers ask again each time."""
        if response.status_code >= 500 or "no-store" in response.get("Cache-Control", ""):
            return response
        if "Vary" in response:
            del response["Vary"]  # nothing of the visitor was read: no Cookie, no Accept-Language
        patch_vary_headers(response, ("Accept-Encoding",))
        if "Cache-Control" in response:
            del response["Cache-Control"]
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            s_maxage=settings.SHOP_SHARED_PROXY_SECONDS,
        )
        return response
