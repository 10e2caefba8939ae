from django import template
from django.core.cache import caches
from oscar.core.loading import get_model

from shop.cache.pagecache import current_version

register = template.Library()


@register.simple_tag
def menu_categories() -> list[dict]:
    """The top-level categories of the site menu as {url, name}, read once per catalogue version
    instead of on every page, in one query (Oscar's category_tree depth=1 takes two: the paths
    excluded from the menu first; at the top level that is the category's own flag). Data of
    the catalogue only, the same for every visitor."""
    key = f"shop:menu:{current_version()}"
    menu = caches["fragments"].get(key)
    if menu is None:
        Category = get_model("catalogue", "Category")
        top = Category.objects.browsable().filter(depth=1, exclude_from_menu=False)
        menu = [{"url": c.get_absolute_url(), "name": c.name} for c in top.order_by("path")]
        caches["fragments"].set(key, menu, 3600)
    return menu
