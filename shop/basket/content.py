"""The basket page's content of an anonymous visitor, cached per basket state.

The content (lines, discounts, upsell messages, the dose notice, totals, the forms with the CSRF
placeholder that every response fills, features.perf) only changes when one of these does, and each
is part of the key:
- the basket and its stamp, moved by any write to its lines, vouchers or status
  (features.perf.receivers, and once more when that write commits: shop.basket.receivers);
- the catalogue version, moved by any write to products, prices, stock, ranges, offers or
  vouchers (features.perf.receivers);
- the site offers running now (one that starts or ends moves no version).
A voucher of the basket that starts or ends sooner than the cache time shortens it
(BasketView.content_seconds). Signed-in visitors are not cached: their page shows their saved
basket and account. Stored in the "fragments" cache when configured (keys that never change value:
shop.cache.backends), else the default cache.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.core.signing import BadSignature, Signer
from django.utils.safestring import mark_safe
from oscar.core.loading import get_class

from shop.cache.pagecache import basket_stamp, current_version

Applicator = get_class("offer.applicator", "Applicator")

FRAGMENT = "basket_content"


def version(request) -> str | None:
    """What this visitor's basket content depends on, or None when it is not cached (a
    signed-in visitor, no basket cookie, caching off)."""
    if request.user.is_authenticated or not cache_seconds():
        return None
    cookie = request.COOKIES.get(settings.OSCAR_BASKET_COOKIE_OPEN)
    if not cookie:
        return None
    try:
        basket_id = Signer().unsign(cookie)
    except BadSignature:
        return None
    running = ".".join(str(offer.pk) for offer in Applicator().get_site_offers())
    return f"{basket_id}:{basket_stamp(basket_id)}:{current_version()}:{running}"


def cache_seconds() -> int:
    # As long as a cached page: without Redis another worker's cache may lag that long.
    return settings.SHOP_PAGE_CACHE_SECONDS


def _key(content_version: str) -> str:
    return make_template_fragment_key(FRAGMENT, [content_version])


def load(content_version: str) -> str | None:
    return caches["fragments"].get(_key(content_version))


def store(content_version: str, html: str, seconds: int) -> None:
    caches["fragments"].set(_key(content_version), str(html), seconds)


def by_products(name: str, basket, render) -> str:
    """`render()`, kept under the catalogue version and the ids of the basket's products."""
    seconds = cache_seconds()
    if not seconds:
        return render()
    product_ids = sorted({line.product_id for line in basket.all_lines()})
    key = make_template_fragment_key(name, [current_version(), *product_ids])
    return mark_safe(caches["fragments"].get_or_set(key, lambda: str(render()), seconds))
