"""Shared pages: HTML that is the same for every visitor, rendered from shared inputs only.

The Magento 2 model. A storefront page that shows the catalogue or the Kennisbank (listings,
products, guides, FAQs, search, form comparison, legal pages) is rendered from a request that
has been stripped of everything that belongs to one visitor (SharedPageMiddleware): no cookies,
so no session, user, basket or flash messages; no Referer or Authorization header; no CSRF
token; and only the query parameters the page uses, normalised. What such a render produces can
therefore be stored once and served to everyone, by this app or by a proxy in front of it.
What belongs to one visitor (account link, basket summary, messages, wishlist and stock-alert
state, staff links, the CSRF token) comes from the private endpoint (features.perf.views.private).

Stored pages are keyed by a "catalogue version" that every write to what they show replaces
(features.perf.receivers): a write in any process is seen by the next request of every process that
shares the cache (Redis, or the file cache of `make run`).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.http import QueryDict
from django.urls import Resolver404, get_resolver, get_urlconf

from shop.cache import pipeline

logger = logging.getLogger(__name__)

VERSION_KEY = "shop:pages:version"
# A version that is never stored: the cache could not be read, so nothing may be reused.
UNAVAILABLE = "unavailable-"
# The last catalogue version this process read (_drop_local_copies_of_replaced_version).
_process_version: dict[str, str | None] = {"last": None}

# The longest value of a query parameter that enters a key (the search form's q allows 200).
MAX_PARAM_LENGTH = 200
# Multi-valued filters: at most this many values of one parameter enter a key.
MAX_PARAM_VALUES = 10


@dataclass(frozen=True)
class SharedView:
    """A view whose GET is the same for every visitor: the query parameters it reads (every
    other one is dropped before it runs) and which of them may repeat."""

    params: tuple[str, ...] = ()
    multi: tuple[str, ...] = ()
    seconds: str = "SHOP_PAGE_CACHE_SECONDS"


_LISTING = SharedView(params=("page", "sort_by"))
SHARED_VIEWS: dict[str, SharedView] = {
    "storefront:home": SharedView(),
    "catalogue:index": _LISTING,
    "catalogue:category": _LISTING,
    "catalogue:range": _LISTING,
    "catalogue:detail": SharedView(),
    "content:article-list": SharedView(params=("onderwerp", "page")),
    "content:faq-list": SharedView(),
    "content:article-detail": SharedView(),
    "shop:form-comparison": SharedView(),
    "search:search": SharedView(
        params=("q", "page", "sort_by", "vorm", "doel", "prijs", "op_voorraad"),
        multi=("vorm", "doel"),
        # Search URLs are user input: kept for a shorter time, so one-off queries age out.
        seconds="SHOP_SEARCH_CACHE_SECONDS",
    ),
    # Search-as-you-type (issue 20): JSON from the typed text alone.
    "search:suggest": SharedView(params=("q",), seconds="SHOP_SEARCH_CACHE_SECONDS"),
    "robots-txt": SharedView(),
    "sitemap-index": SharedView(params=("p",)),
    "sitemap-section": SharedView(params=("p",)),
}
# A path no URL pattern matches: a flatpage (legal pages) or a redirect, served by the fallback
# middlewares; only a 200 is ever stored, so a real 404 is not.
FALLBACK = SharedView()

# The headers of a stored page; cookies and per-response headers are never stored. `xkey`: the
# page's cache tags, for the proxy in front (features.edge).
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag", "Link", "xkey")


def shared_view(request) -> SharedView | None:
    """How this request's page is shared, or None when it is a private page (basket, checkout,
    account, dashboard, any POST)."""
    if request.method not in ("GET", "HEAD"):
        return None
    return _shared_view(get_resolver(get_urlconf()), request.path_info)


# The paths asked for most, with how each is shared: resolving a path walks the URLconf (a fifth
# of a stored page's serving time on a product page), and its answer only changes with the
# URLconf, whose resolver is part of the key (tests that swap ROOT_URLCONF get a new one). Paths
# are visitor input: the memo holds a bounded number, the least recently used go first.
@functools.lru_cache(maxsize=4096)
def _shared_view(resolver, path: str) -> SharedView | None:
    try:
        match = resolver.resolve(path)
    except Resolver404:
        return FALLBACK
    return SHARED_VIEWS.get(match.view_name)


def _clean(value: str) -> str:
    """One parameter value as a page may read it: control characters dropped, white space
    folded, cut to MAX_PARAM_LENGTH."""
    value = "".join(ch for ch in value if ch >= " " or ch in "\t\n")
    return " ".join(value.split())[:MAX_PARAM_LENGTH]


def shared_query(request, view: SharedView) -> QueryDict:
    """The query parameters `view` reads, normalised (sorted, cleaned, empty ones dropped)."""
    query = QueryDict(mutable=True)
    for name in view.params:
        values = [_clean(v) for v in request.GET.getlist(name)]
        values = [v for v in values if v]
        if not values:
            continue
        if name in view.multi:
            query.setlist(name, sorted(set(values))[:MAX_PARAM_VALUES])
        else:
            query[name] = values[0]
    query._mutable = False  # pylint: disable=protected-access
    return query


def query_string(query: QueryDict) -> str:
    return urlencode([(k, v) for k in query for v in query.getlist(k)])


# Request headers that may differ per visitor and are never read by a shared render.
PRIVATE_HEADERS = (
    "HTTP_COOKIE",
    "HTTP_REFERER",
    "HTTP_AUTHORIZATION",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_X_REQUESTED_WITH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
)


def make_shared(request, view: SharedView) -> None:
    """Turn `request` into the request every visitor of this page would make: what a view or
    template could read of one visitor is gone before any middleware below looks at it."""
    query = shared_query(request, view)
    request.GET = query
    request.META["QUERY_STRING"] = query_string(query)
    request.COOKIES = {}
    for name in PRIVATE_HEADERS:
        request.META.pop(name, None)
    request.shared_render = True  # read by features.perf.context_processors


def page_key(request, version: str) -> str:
    """The key of the stored page: version, scheme, host (validated by ALLOWED_HOSTS), path and
    the normalised query string (make_shared has run)."""
    url = f"{request.scheme}://{request.get_host()}{request.path}?{request.META['QUERY_STRING']}"
    return f"shop:page:{version}:{hashlib.sha256(url.encode()).hexdigest()}"


def page_seconds(view: SharedView) -> int:
    """How long the page is stored here (0: not at all; SHOP_PAGE_CACHE_SECONDS caps all)."""
    return min(settings.SHOP_PAGE_CACHE_SECONDS, getattr(settings, view.seconds))


# A stored page is fresh for page_seconds(); then it is kept as long again, stale. The first
# request that finds it stale claims its refresh (for at most this many seconds) and renders it;
# every other request meanwhile, in any process, gets the stale copy: an expiry under load costs
# one render instead of one per worker (a stampede), and nobody waits for it. The catalogue
# version is part of the key, so a stale copy only ever holds what is still current, aged.
REFRESH_CLAIM_SECONDS = 30


def _now() -> float:
    return time.time()


def store_page(key: str, content: bytes, headers: dict, seconds: int) -> None:
    """Store a rendered page: fresh for `seconds`, kept stale as long again."""
    caches["fragments"].set(key, (content, headers, _now() + seconds), 2 * seconds)


def _fresh(stored) -> bool:
    return len(stored) == 3 and stored[2] > _now()


def _latest(key: str):
    """The shared cache's copy of `key` (another process may have refreshed it), not this
    process's memory of it (shop.cache.backends.TieredCache)."""
    fragments = caches["fragments"]
    return getattr(fragments, "get_shared", fragments.get)(key)


def _claim_key(key: str) -> str:
    return f"{key}:refresh"


@dataclass(frozen=True)
class Stored:
    """What the cache holds for a page: the copy to serve (None: render it), whether that copy
    is stale, and whether this request claimed the refresh (release_refresh() once done)."""

    page: tuple[bytes, dict] | None = None
    stale: bool = False
    claimed: bool = False


def stored_page(key: str) -> Stored:
    """The stored page under `key`. A stale page is rendered by the one request that claims
    its refresh; the others are served the stale copy meanwhile."""
    stored = caches["fragments"].get(key)
    if stored is None:
        return Stored()
    if _fresh(stored):
        return Stored(page=stored[:2])
    latest = _latest(key)
    if latest is not None and _fresh(latest):
        return Stored(page=latest[:2])
    try:
        claimed = bool(cache.add(_claim_key(key), 1, REFRESH_CLAIM_SECONDS))
    except Exception:  # noqa: BLE001 - a cache that fails must not fail the page
        logger.warning("A page refresh could not be claimed", exc_info=True)
        claimed = False
    if claimed:
        return Stored(claimed=True)
    return Stored(page=(latest or stored)[:2], stale=True)


def release_refresh(key: str) -> None:
    """The refresh of `key` is done (stored or given up): the next stale read may claim it."""
    try:
        cache.delete(_claim_key(key))
    except Exception:  # noqa: BLE001
        logger.warning("A page refresh claim could not be released", exc_info=True)


# The version read once per request (SharedPageMiddleware opens and closes this memo): the page
# key, the listing order and every other key of one response use the same version, read with
# one cache round trip; so are the stamps of baskets and customers (read_stamps).
_request_version: ContextVar[dict | None] = ContextVar("shop_page_version", default=None)


@contextmanager
def version_read_once():
    token = _request_version.set({})
    try:
        yield
    finally:
        _request_version.reset(token)


def _read_version() -> str:
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, uuid.uuid4().hex, None)
            version = cache.get(VERSION_KEY)
    except Exception:  # noqa: BLE001 - a cache that fails must not fail the page
        logger.warning("The page cache version could not be read", exc_info=True)
        version = None
    if version is None:
        # The cache is down, full or slow (django-redis ignores and logs its errors): a version
        # of this request alone, so nothing stored under it is ever reused.
        return f"{UNAVAILABLE}{uuid.uuid4().hex}"
    return version


def _drop_local_copies_of_replaced_version(version: str) -> None:
    """Nothing stored under a replaced catalogue version is read again: this process's memory
    copies of it (the fragments cache's local tier) go at once, instead of piling up to the
    tier's 5,000 entries (with an order every few seconds, each a new version, a worker's RSS grew
    15% in 10 minutes of `make soak`)."""
    last, _process_version["last"] = _process_version["last"], version
    if last is not None and last != version and version_is_shared(version):
        clear_local = getattr(caches["fragments"], "clear_local", None)
        if clear_local is not None:  # the tests' plain LocMemCache has no local tier
            clear_local()


def current_version() -> str:
    """The catalogue version the keys of pages, listings and fragments are built on."""
    memo = _request_version.get()
    if memo is not None and "version" in memo:
        return memo["version"]
    version = _read_version()
    _drop_local_copies_of_replaced_version(version)
    if memo is not None:
        memo["version"] = version
    return version


def version_is_shared(version: str) -> bool:
    """Whether `version` was read from the shared cache (else nothing is stored under it)."""
    return not version.startswith(UNAVAILABLE)


def expire_all() -> None:
    """Make every stored page stale: now, and again once the writing transaction commits, so a
    request that read the old rows meanwhile cannot keep them cached."""

    def bump():
        try:
            cache.set(VERSION_KEY, uuid.uuid4().hex, None)
        except Exception:  # noqa: BLE001
            logger.error("The page cache version could not be replaced", exc_info=True)
        memo = _request_version.get()
        if memo is not None:
            memo.pop("version", None)  # this request's later keys use the new version

    bump()
    transaction.on_commit(bump)


def _stamp_key(kind: str, pk) -> str:
    return f"shop:{kind}:{pk}:stamp"


def stamp(kind: str, pk) -> str:
    """A value that changes whenever the `kind` object `pk` changes (a basket, a customer's
    wishlists and alerts): what is kept of it is stored under a key with its stamp. Read once
    per request (read_stamps), made when missing."""
    key = _stamp_key(kind, pk)
    memo = _request_version.get()
    stamps = None if memo is None else memo.setdefault("stamps", {})
    if stamps and key in stamps:
        return stamps[key]
    try:
        value = cache.get(key)
        if value is None:
            cache.add(key, uuid.uuid4().hex, 7 * 24 * 3600)
            value = cache.get(key)
    except Exception:  # noqa: BLE001
        logger.warning("A %s stamp could not be read", kind, exc_info=True)
        value = None
    if value is None:
        return f"{UNAVAILABLE}{uuid.uuid4().hex}"
    if stamps is not None:
        stamps[key] = value
    return value


def read_stamps(*objects: tuple[str, object]) -> None:
    """Read the stamps of `objects` ((kind, pk) pairs; a pk of None is left out) and the
    catalogue version that this request has not read yet, in one cache round trip: stamp() and
    current_version() then answer from the request's memo (the private parts need several). A
    stamp not stored yet is made by stamp(), as before."""
    memo = _request_version.get()
    if memo is None:
        return
    stamps = memo.setdefault("stamps", {})
    keys = [_stamp_key(kind, pk) for kind, pk in objects if pk is not None]
    found = _get_many_with_version([key for key in keys if key not in stamps], memo)
    if found is not None:
        stamps.update(found)


def _get_many_with_version(keys: list[str], memo: dict) -> dict | None:
    """The cache's values of `keys` (missing ones left out), read in one round trip with the
    catalogue version when this request has not read it yet (kept in `memo`, the request's);
    None when the cache failed."""
    if "version" not in memo:
        keys = [*keys, VERSION_KEY]
    if not keys:
        return {}
    try:
        found = cache.get_many(keys)
    except Exception:  # noqa: BLE001 - read one by one later, where a failure is logged
        return None
    version = found.pop(VERSION_KEY, None)
    if version is not None:
        _drop_local_copies_of_replaced_version(version)
        memo["version"] = version
    return found


def read_with_version(*keys: str) -> None:
    """Read `keys`, which this request will ask for later (prefetched()), in the cache round
    trip that reads the catalogue version for it (current_version): one round trip instead of
    two. Nothing outside a request's memo (version_read_once)."""
    memo = _request_version.get()
    if memo is None or not keys:
        return
    found = _get_many_with_version(list(keys), memo)
    if found is not None:
        prefetch = memo.setdefault("prefetched", {})
        prefetch.update({key: found.get(key, _ABSENT) for key in keys})


_ABSENT = object()


def prefetched(keys: list[str]) -> dict | None:
    """The values read_with_version() read of `keys` in this request (missing ones left out),
    each given once (a later call for them reads the cache); None unless it read all of them."""
    memo = _request_version.get()
    prefetch = None if memo is None else memo.get("prefetched")
    if not prefetch or any(key not in prefetch for key in keys):
        return None
    values = {key: prefetch.pop(key) for key in keys}
    return {key: value for key, value in values.items() if value is not _ABSENT}


def stamps(objects) -> dict[tuple[str, object], str]:
    """The stamps of `objects` ((kind, pk) pairs), in one cache read, and one write for those not
    stored yet: each is then made, as a new value, before the caller reads what it describes, so
    a write that commits later removes it (expire_stamp). Two processes making the same stamp at
    once each keep what they stored under their own value; the later value wins, the other's
    entries are never read. A cache that fails gives values that are never stored."""
    objects = list(objects)
    memo = _request_version.get()
    known = {} if memo is None else memo.setdefault("stamps", {})
    keys = {obj: _stamp_key(*obj) for obj in objects}
    unread = [key for key in keys.values() if key not in known]
    if unread:
        try:
            found = cache.get_many(unread)
            made = {key: uuid.uuid4().hex for key in unread if key not in found}
            if made:
                cache.set_many(made, 7 * 24 * 3600)
        except Exception:  # noqa: BLE001 - a cache that fails must not fail the page
            logger.warning("Stamps could not be read", exc_info=True)
            return {obj: f"{UNAVAILABLE}{uuid.uuid4().hex}" for obj in objects}
        known.update(found)
        known.update(made)
    return {obj: known[key] for obj, key in keys.items()}


def stamp_is_shared(value: str) -> bool:
    """Whether a stamp was read from (or stored in) the shared cache, so may name stored entries."""
    return not value.startswith(UNAVAILABLE)


def expire_stamp(kind: str, pk) -> None:
    """Make what is kept of the `kind` object `pk` stale (for this request too): at once, or
    with the request's other writes inside shop.cache.pipeline.one_round_trip()."""
    expire_stamps([(kind, pk)])


def expire_stamps(objects) -> None:
    """expire_stamp() for each (kind, pk) of `objects`, in one cache round trip (or in the open
    shop.cache.pipeline.one_round_trip())."""
    keys = [_stamp_key(kind, pk) for kind, pk in objects]
    if not keys:
        return
    memo = _request_version.get()
    if memo is not None:
        for key in keys:
            memo.get("stamps", {}).pop(key, None)
    if not pipeline.queue(
        lambda pipe: pipe.delete(*(cache.make_key(key) for key in keys)),
        failed=lambda _error: _delete_stamps(keys),
    ):
        _delete_stamps(keys)


def _delete_stamps(keys: list[str]) -> None:
    # Through the cache: when Redis fails, it deletes the stamps before its next read of them.
    try:
        cache.delete_many(keys)
    except Exception:  # noqa: BLE001
        logger.error("Stamps %s could not be removed", keys, exc_info=True)


def basket_stamp(basket_id) -> str:
    """Changes whenever the basket's lines, vouchers or status change (features.perf.receivers)."""
    return stamp("basket", basket_id)


def expire_basket(basket_id) -> None:
    """Make the stored summary of one basket stale."""
    expire_stamp("basket", basket_id)
