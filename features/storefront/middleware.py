"""Guide views and product-link clicks, counted from requests the shop receives anyway.

- A view: a guide page's private-parts request, `/persoonlijk/?gids=<id>` (shop.js sends it for
  every guide page; the guide's shared HTML is the same for everyone and may come from a cache).
- A click: a product page opened through a guide's product link or card, `?gids=<id>`. The page
  itself is shared: SharedPageMiddleware drops the parameter before it renders or looks up the
  stored page, so this middleware sits above it and only reads the query string.
Both are cache counters (features.storefront.counters), never a database write.
For an add to basket, the visitor's memory of the last guide read is read early, with the
catalogue version (features.storefront.attribution.read_memory_early).
"""

from __future__ import annotations

from django.urls import Resolver404, resolve, reverse

from features.storefront import attribution, counters


def _is_product_page(path: str) -> bool:
    try:
        return resolve(path).view_name == "catalogue:detail"
    except Resolver404:
        return False


class GuideCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        guide_id = None
        if request.method == "GET" and attribution.PARAM in request.GET:
            guide_id = attribution.guide_id_param(request.GET.get(attribution.PARAM))
        if guide_id is not None and _is_product_page(request.path_info):
            counters.count("clicks", article_id=guide_id)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # After the session and auth middlewares (process_view runs once all requests have).
        if request.method == "POST" and request.resolver_match.view_name == "basket:add":
            # The add may credit the last guide read (features.storefront.receivers).
            attribution.read_memory_early(request)
            return None
        if request.method != "GET" or request.path_info != reverse("shop:private"):
            return None
        guide_id = attribution.guide_id_param(request.GET.get(attribution.PARAM))
        if guide_id is None:
            return None
        counters.count("views", article_id=guide_id)
        user = request.user
        attribution.remember(
            article_id=guide_id,
            basket_id=attribution.cookie_basket_id(request),
            user_id=user.pk if user.is_authenticated else None,
        )
        return None
