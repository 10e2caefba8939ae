from __future__ import annotations

from django import template
from django.core.cache import caches
from django.db.models import CharField, Value
from django.db.models.functions import Cast, LPad
from django.urls import reverse
from oscar.core.loading import get_model

from content.models import Topic
from features.storefront.models import OrderGuide
from features.storefront.promises import ServicePromises
from features.storefront.promises import service_promises as _service_promises
from shop.cache.pagecache import current_version

register = template.Library()

MENU_SECONDS = 3600


@register.simple_tag
def service_promises() -> ServicePromises:
    """The shop's promises (free shipping threshold, btw, delivery, withdrawal period)."""
    return _service_promises()


@register.simple_tag
def site_menu() -> dict:
    """The main menu: the top-level categories and the Kennisbank topics that have a published
    guide, as {"categories": [...], "topics": [...]} of {url, name}. One query (a UNION of the
    two lists, so the menu costs no more than the categories alone did), kept per catalogue
    version like the rest of the shared pages (a write to either moves the version)."""
    key = f"storefront:menu:{current_version()}"
    menu = caches["fragments"].get(key)
    if menu is not None:
        return menu
    Category = get_model("catalogue", "Category")
    categories = (
        Category.objects.browsable()
        .filter(depth=1, exclude_from_menu=False)
        .annotate(kind=Value("c"), sort_key=Cast("path", CharField()))
        .values_list("kind", "sort_key", "name", "slug", "pk")
        .order_by()
    )
    topics = (
        Topic.objects.with_published_articles()
        .annotate(
            kind=Value("t"),
            sort_key=LPad(Cast("position", CharField()), 10, Value("0")),
        )
        .values_list("kind", "sort_key", "name", "slug", "pk")
        .order_by()
    )
    menu = {"categories": [], "topics": []}
    guides = reverse("content:article-list")
    for kind, _sort, name, slug, pk in sorted(categories.union(topics, all=True)):
        if kind == "c":
            url = reverse("catalogue:category", kwargs={"category_slug": slug, "pk": pk})
            menu["categories"].append({"url": url, "name": name})
        else:
            menu["topics"].append({"url": f"{guides}?onderwerp={slug}", "name": name})
    caches["fragments"].set(key, menu, MENU_SECONDS)
    return menu


@register.simple_tag
def order_guide(order):
    """The guide an order followed, or None (dashboard order page)."""
    return OrderGuide.objects.filter(order=order).select_related("article").first()
