from django import template
from django.conf import settings
from django.core.cache import cache
from django.core.signing import BadSignature, Signer
from oscar.templatetags.category_tags import get_annotated_list

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
    """The top-level categories of the site menu as {url, name}: Oscar's category_tree (four
    queries) once per catalogue version instead of on every page."""
    key = f"shop:menu:{current_version()}"
    menu = cache.get(key)
    if menu is None:
        menu = [{"url": c["url"], "name": c.name} for c in get_annotated_list(depth=1)]
        cache.set(key, menu, 3600)
    return menu
