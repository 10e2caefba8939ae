"""Which guide a basket addition follows, from requests the shop receives anyway.

The rule (also shown on the report): an addition is credited to the LAST GUIDE READ BEFORE IT,
within the same basket or visit:
1. the guide whose page the product was added from (its product cards post from the guide), or
   whose product link opened the product page it was added from (guide links carry `?gids=<id>`;
   the add's Referer, or the `next` of the no-JavaScript confirmation, holds it);
2. otherwise the last guide this basket (or signed-in customer) read in the last
   MEMORY_SECONDS: a guide page's private-parts request (`/persoonlijk/?gids=<id>`) notes it in
   the cache for a visitor who already holds a basket, and every credited addition notes it too.
   A signed-in customer's is noted and looked up under their user id, whichever basket they
   add to (their last guide, not their basket's last credited one).
An order is credited to the guide of the last credited addition to the basket it was placed from.

Nothing is stored in the browser (no cookie, no storage) and nothing of the visitor is kept but
the basket id (or user id) as a cache key, for at most MEMORY_SECONDS.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.signing import BadSignature, Signer
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from content.models import Article
from shop.cache import pagecache

logger = logging.getLogger(__name__)

PARAM = "gids"
MEMORY_SECONDS = 24 * 3600


def guide_id_param(value) -> int | None:
    """A guide id as sent in `?gids=`, or None for anything else."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _memory_keys(*, basket_id: int | None, user_id: int | None) -> list[str]:
    """Where the last guide read is noted and looked up: a signed-in customer's under their user
    id (whichever basket they add to), anyone else's under their basket's id."""
    if user_id:
        return [f"storefront:last-guide:user:{user_id}"]
    if basket_id:
        return [f"storefront:last-guide:basket:{basket_id}"]
    return []


def cookie_basket_id(request) -> int | None:
    """The id in the visitor's signed basket cookie, without reading the database."""
    cookie = request.COOKIES.get(settings.OSCAR_BASKET_COOKIE_OPEN)
    if not cookie:
        return None
    try:
        return guide_id_param(Signer().unsign(cookie))
    except BadSignature:
        return None


def remember(*, article_id: int, basket_id: int | None, user_id: int | None) -> None:
    """Note the guide as the last one read by this basket or customer (cache only), where
    remembered() looks it up."""
    keys = _memory_keys(basket_id=basket_id, user_id=user_id)
    if not keys:
        return
    try:
        cache.set_many({key: article_id for key in keys}, MEMORY_SECONDS)
    except Exception:  # noqa: BLE001 - attribution must never fail a request
        logger.warning("The last guide read could not be noted", exc_info=True)


def read_memory_early(request) -> None:
    """For an add to basket, before its view runs: read the visitor's memory of the last guide
    (the customer's, or the basket cookie's) in the cache round trip that reads the catalogue
    version, which the add makes anyway (shop.cache.pagecache.read_with_version); remembered()
    then finds it there."""
    user = request.user
    user_id = user.pk if user.is_authenticated else None
    keys = _memory_keys(basket_id=cookie_basket_id(request), user_id=user_id)
    if keys:
        pagecache.read_with_version(*keys)


def remembered(*, basket_id: int | None, user_id: int | None) -> int | None:
    """The last guide this basket or customer read (rule 2), or None."""
    keys = _memory_keys(basket_id=basket_id, user_id=user_id)
    found = pagecache.prefetched(keys)
    if found is None:
        try:
            found = cache.get_many(keys) if keys else {}
        except Exception:  # noqa: BLE001
            logger.warning("The last guide read could not be looked up", exc_info=True)
            return None
    for key in keys:
        if found.get(key):
            return found[key]
    return None


def _guide_in_url(url: str, request) -> tuple[int | None, str | None]:
    """(guide id, guide slug) named by a same-site URL: a guide page, or any page opened
    through a guide's product link (`?gids=`)."""
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None, None
    parts = urlsplit(url)
    guide_id = guide_id_param((parse_qs(parts.query).get(PARAM) or [None])[0])
    if guide_id:
        return guide_id, None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None, None
    if match.view_name == "content:article-detail":
        return None, match.kwargs.get("slug")
    return None, None


def guide_for_addition(request, *, basket_id: int, new_basket: bool = False) -> Article | None:
    """The published guide an addition made by `request` to `basket_id` is credited to.
    `new_basket`: the addition made the basket, which cannot have read a guide yet (nothing is
    looked up for it)."""
    user_id = request.user.pk if request.user.is_authenticated else None
    guide_id, slug = _guide_in_url(request.META.get("HTTP_REFERER", ""), request)
    if guide_id is None and slug is None:
        guide_id, slug = _guide_in_url(request.POST.get("next", ""), request)
    if guide_id is None and slug is None:
        guide_id = remembered(basket_id=None if new_basket else basket_id, user_id=user_id)
    if guide_id is None and slug is None:
        return None
    guides = Article.objects.published()
    return guides.filter(pk=guide_id).first() if guide_id else guides.filter(slug=slug).first()
