"""Category URLs without a parent lookup per level.

Oscar builds a category's URL from its parent's full slug, cached per category; on an empty
cache `get_full_slug()` looks up the parent, and the parent's parent, one query per level. Here
the ancestors come in one query (one category) or each parent's slug is carried down a list
ordered by path (many), through Oscar's own `get_full_slug(parent_slug=…)`, so the URLs and
their cache entries are Oscar's.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache


def category_url(category) -> str:
    """The category's URL: its ancestors read in one query on an empty cache, none when warm."""
    if category.is_root() or cache.get(category.get_url_cache_key()) is not None:
        return category.get_absolute_url()
    parent_slug = None
    for ancestor in category.get_ancestors():  # ordered by depth
        parent_slug = ancestor.get_full_slug(parent_slug=parent_slug)
    return category._get_absolute_url(parent_slug=parent_slug)


def with_urls(categories: Iterable) -> list:
    """The categories (ordered by path) with `url` set, no query of their own when each one's
    parent precedes it; a category whose parent is not in the list costs `category_url()`."""
    slugs: dict[str, str] = {}
    out = []
    for category in categories:
        parent_slug = slugs.get(category.path[: -category.steplen])
        if parent_slug is None and not category.is_root():
            category.url = category_url(category)
            slugs[category.path] = category.get_full_slug()
        else:
            slugs[category.path] = category.get_full_slug(parent_slug=parent_slug)
            category.url = category._get_absolute_url(parent_slug=parent_slug)
        out.append(category)
    return out
