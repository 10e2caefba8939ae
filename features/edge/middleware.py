"""The `xkey` header of shared pages (features.edge.tags), read by Varnish to purge them by tag."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.utils.cache import patch_cache_control

from features.edge.tags import page_tags
from shop.cache import pagecache

HEADER = "xkey"

logger = logging.getLogger(__name__)


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else ""


def _version_replaced_during_render() -> bool:
    """Whether a write replaced the catalogue version after this request read it (without a
    shared version to compare, the page cache stores nothing and the purges alone keep the proxy)."""
    version = pagecache.current_version()
    if not pagecache.version_is_shared(version):
        return False
    try:
        return cache.get(pagecache.VERSION_KEY) != version
    except Exception:  # noqa: BLE001 - a cache that fails must not fail the page
        logger.warning("The page cache version could not be read again", exc_info=True)
        return False


class CacheTagMiddleware:
    """Tags every shared page (features.perf marks its render `shared_render`); private pages get
    none, a proxy never stores them. Sits right below features.perf's SharedPageMiddleware, which
    keeps the header with the stored page.

    A shared page during whose render a write committed (on any server) may show the rows from
    before it, and the write's purge may have passed the proxy before this page reaches it: it is
    marked no-store, so the proxy does not keep it until the next purge (the next request renders
    it anew). One cache read per render; pages served from the page cache are not rendered here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "shared_render", False):
            if HEADER not in response:
                response[HEADER] = " ".join(page_tags(_view_name(request), None))
            if _version_replaced_during_render():
                patch_cache_control(response, private=True, no_store=True)
        return response

    def process_template_response(self, request, response):
        if getattr(request, "shared_render", False):
            tags = page_tags(_view_name(request), response.context_data)
            response[HEADER] = " ".join(tags)
        return response
