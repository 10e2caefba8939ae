from django import template
from django.conf import settings
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.core.signing import BadSignature, Signer
from django.utils.functional import SimpleLazyObject, empty
from oscar.core.loading import get_model

from shop.perf.pagecache import basket_stamp, current_version

register = template.Library()


@register.simple_tag(takes_context=True)
def mini_basket_key(context) -> str:
    """A cache key for the header's basket summary of an anonymous visitor's basket, built from
    the signed basket cookie without loading the basket (loading it applies every offer: about
    a dozen queries). Empty when the summary must be rendered: no cookie, or a signed-in user."""
    request = context.get("request")
    if request is None:
        return ""
    cookie = request.COOKIES.get(settings.OSCAR_BASKET_COOKIE_OPEN)
    if not cookie or request.user.is_authenticated:
        return ""
    try:
        basket_id = Signer().unsign(cookie)
    except BadSignature:
        return ""
    return f"{basket_id}:{basket_stamp(basket_id)}:{current_version()}"


@register.simple_tag
def menu_categories() -> list[dict]:
    """The top-level categories of the site menu as {url, name}, read once per catalogue version
    instead of on every page, in one query (Oscar's category_tree depth=1 takes two: the paths
    excluded from the menu first; at the top level that is the category's own flag)."""
    key = f"shop:menu:{current_version()}"
    menu = caches["fragments"].get(key)
    if menu is None:
        Category = get_model("catalogue", "Category")
        top = Category.objects.browsable().filter(depth=1, exclude_from_menu=False)
        menu = [{"url": c.get_absolute_url(), "name": c.name} for c in top.order_by("path")]
        caches["fragments"].set(key, menu, 3600)
    return menu


@register.simple_tag(takes_context=True)
def cached_mini_basket(context) -> str | None:
    """The header's basket summary of this anonymous visitor's basket when it is cached, "" when
    it must be fetched after load (cached nowhere yet: computing it applies every offer, so a
    page on a cold cache leaves it to the small summary endpoint, shop.perf.views), None when
    the page renders it: no basket cookie, a signed-in visitor, or a basket this request has
    loaded already."""
    key = mini_basket_key(context)
    if not key:
        return None
    cached = caches["fragments"].get(make_template_fragment_key("mini_basket", [key]))
    if cached is None and _basket_loaded(context.get("request")):
        return None  # this request applied the offers anyway (the basket page): render it here
    return cached or ""


def _basket_loaded(request) -> bool:
    basket = getattr(request, "basket", None)
    return isinstance(basket, SimpleLazyObject) and basket._wrapped is not empty
