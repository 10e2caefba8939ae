"""Storefront views of the perf app: the private parts of shared pages, and the confirmation
that stands in for a missing CSRF token (the product page is shop.catalogue.views)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.core.signing import BadSignature, Signer
from django.db import transaction
from django.http import HttpResponseForbidden, JsonResponse
from django.middleware.csrf import REASON_CSRF_TOKEN_MISSING, REASON_NO_CSRF_COOKIE, get_token
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from oscar.core.loading import get_model

from features.perf.viewcounts import count_view
from shop.cache.pagecache import (
    basket_stamp,
    current_version,
    read_stamps,
    stamp,
    version_is_shared,
)

Basket = get_model("basket", "Basket")
WishList = get_model("wishlists", "WishList")
WishListLine = get_model("wishlists", "Line")
ProductAlert = get_model("customer", "ProductAlert")

BASKET_SUMMARY_SECONDS = 3600


def _positive_int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


CUSTOMER_STATE_SECONDS = 3600
# The open basket each signed-in customer had when this process last read their state: its
# stamp is read with the customer's in one cache round trip. A hint only (customer_state says
# which basket it is; a wrong guess costs one more read), kept for this many customers at most.
_last_basket: dict[int, int | None] = {}
LAST_BASKETS_KEPT = 10_000


def customer_state(user) -> dict:
    """What the private parts show of a signed-in customer: the open basket's id, the wishlists
    (key, name, product ids) and the products with an active stock alert. Kept per customer
    stamp, which every write to the customer's baskets, wishlists and alerts moves
    (features.perf.receivers): a warm private request reads no row but the user's."""

    def read() -> dict:
        lines: dict[int, set] = {}
        for wishlist_id, product_id in WishListLine.objects.filter(
            wishlist__owner=user, product__isnull=False
        ).values_list("wishlist_id", "product_id"):
            lines.setdefault(wishlist_id, set()).add(product_id)
        wishlists = [
            {"key": key, "name": name, "products": lines.get(pk, set())}
            for pk, key, name in WishList.objects.filter(owner=user)
            .order_by("name", "pk")
            .values_list("pk", "key", "name")
        ]
        alerts = set(
            ProductAlert.objects.filter(user=user, status=ProductAlert.ACTIVE).values_list(
                "product_id", flat=True
            )
        )
        basket_id = (
            Basket.open.filter(owner=user).order_by("-id").values_list("id", flat=True).first()
        )
        return {"basket_id": basket_id, "wishlists": wishlists, "alerts": alerts}

    user_stamp = stamp("customer", user.pk)
    if not version_is_shared(user_stamp):
        state = read()
    else:
        key = make_template_fragment_key("customer_state", [user.pk, user_stamp])
        state = caches["fragments"].get_or_set(key, read, CUSTOMER_STATE_SECONDS)
    if len(_last_basket) >= LAST_BASKETS_KEPT:
        _last_basket.clear()
    _last_basket[user.pk] = state["basket_id"]
    return state


def _basket_id(request, state: dict | None) -> int | None:
    """The id of this visitor's open basket without loading it (loading applies every offer):
    the signed cookie's, or a signed-in customer's (`state`, their customer_state)."""
    cookie = request.COOKIES.get(settings.OSCAR_BASKET_COOKIE_OPEN)
    if state is not None:
        if cookie:
            return request.basket.id  # Oscar merges the cookie basket into the customer's
        return state["basket_id"]
    if not cookie:
        return None
    try:
        return _positive_int(Signer().unsign(cookie))
    except BadSignature:
        return None


def basket_summary(request, state: dict | None) -> str:
    """The header's basket link with the number of items and the total, kept per basket state
    (its stamp moves with every write to its lines, vouchers or status) and catalogue version.
    `state`: a signed-in customer's customer_state (None for anyone else)."""
    basket_id = _basket_id(request, state)
    if basket_id is None:
        return render_to_string("shop/partials/mini_basket_link.html", {"basket": None})
    version, basket = current_version(), basket_stamp(basket_id)
    if not (version_is_shared(version) and version_is_shared(basket)):
        return render_to_string("shop/partials/mini_basket_link.html", {"basket": request.basket})
    key = make_template_fragment_key("mini_basket", [basket_id, basket, version])
    return caches["fragments"].get_or_set(
        key,
        lambda: render_to_string("shop/partials/mini_basket_link.html", {"basket": request.basket}),
        BASKET_SUMMARY_SECONDS,
    )


@never_cache
@require_GET
@transaction.non_atomic_requests
def private(request):
    """The parts of a shared page that belong to this visitor, as HTML snippets in JSON:
    account link, basket summary, flash messages, the CSRF token for the page's forms, and for
    a product page the customer's wishlists and stock alert; staff get links to edit what the
    page shows. Never stored anywhere but in this response (private, no-store)."""
    user = request.user
    product_id = _positive_int(request.GET.get("product"))
    context = {"user": user, "product_id": product_id}
    # The stamps these parts are kept under, with the catalogue version, in one cache round
    # trip: the customer's and their basket's, or the basket cookie's (a visitor without either
    # needs none, nor the version).
    if user.is_authenticated:
        read_stamps(("customer", user.pk), ("basket", _last_basket.get(user.pk)))
    elif (basket_id := _basket_id(request, None)) is not None:
        read_stamps(("basket", basket_id))
    # Read once: a customer's state and the CSRF token (each call masks it anew).
    state = customer_state(user) if user.is_authenticated else None
    token = get_token(request)
    parts = {
        "account": render_to_string("shop/partials/account_link.html", context),
        "basket": basket_summary(request, state),
    }
    messages = list(get_messages(request))
    if messages:
        parts["messages"] = render_to_string(
            "shop/partials/private_messages.html", {"messages": messages}
        )
    if product_id is not None:
        count_view(product_id=product_id)
        if state is not None:
            wishlists = [
                {"key": w["key"], "name": w["name"], "holds": product_id in w["products"]}
                for w in state["wishlists"]
            ]
            parts["wishlist"] = render_to_string(
                "shop/partials/private_wishlist.html",
                {**context, "wishlists": wishlists, "csrf_token": token},
            )
            if product_id in state["alerts"]:
                parts["alert"] = render_to_string("shop/partials/private_alert.html", context)
    if user.is_authenticated and user.is_staff:
        staff = {
            "product_id": product_id,
            "article_id": _positive_int(request.GET.get("gids")),
            "category_id": _positive_int(request.GET.get("categorie")),
        }
        parts["staff"] = render_to_string("shop/partials/private_staff.html", staff)
    response = JsonResponse({"csrf": token, "parts": parts})
    response["X-Robots-Tag"] = "noindex"
    return response


# Posts a shared page's forms make: without JavaScript they arrive without a CSRF token, and get
# a page that asks to confirm them (with a token) instead of a bare 403.
CONFIRMABLE_POSTS = {
    "basket:add": "Product in je winkelmand leggen",
    "customer:alert-create": "E-mail ontvangen als dit product weer leverbaar is",
}


def csrf_failure(request, reason=""):
    """Django's CSRF failure view, except for a shared page's form posted without JavaScript
    (no token, or no CSRF cookie yet): the posted fields are shown back in a form that does
    carry this visitor's token, to send with one more click. Nothing is done without it."""
    try:
        view_name = resolve(request.path_info).view_name
    except Resolver404:
        view_name = None
    missing = reason in (REASON_NO_CSRF_COOKIE, REASON_CSRF_TOKEN_MISSING)
    if request.method != "POST" or view_name not in CONFIRMABLE_POSTS or not missing:
        return django_csrf_failure(request, reason=reason)
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken"
        for value in values[:10]
    ][:50]
    # Back to the page the form was on afterwards (Oscar's add-to-basket follows `next`), not to
    # this confirmation's own URL.
    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    if (
        "next" not in request.POST
        and referer.path
        and url_has_allowed_host_and_scheme(
            request.META["HTTP_REFERER"], allowed_hosts={request.get_host()}
        )
    ):
        fields.append(("next", referer.path + (f"?{referer.query}" if referer.query else "")))
    context = {
        "title": CONFIRMABLE_POSTS[view_name],
        "action": request.path,
        "fields": fields,
        "csrf_token": get_token(request),
    }
    html = render_to_string("shop/csrf_confirm.html", context, request=request)
    return HttpResponseForbidden(html)
