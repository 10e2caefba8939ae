"""A listing page costs the same number of queries whether or not a parent product (with its
variants) is on it: the stock records of the products and of the parents' variants are read in
one query (shop.search.listing.listing_page). Before, a parent on the page cost one query more
(its variants' stock records), so the demo catalogue (catalogue S of the bench, a parent on page
1) read one more than a large catalogue without one."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.apps.catalogue.models import Category, Product

from shop import demo
from shop.search import indexing

pytestmark = pytest.mark.django_db

PAGES = ("/catalogue/", "collection", "/search/?q=magnesium")


def _cold(urls) -> dict[str, tuple[int, str]]:
    """Queries (and HTML) of each page on an emptied cache."""
    client = Client()
    for url in urls:  # thumbnails and the like are made once, not per view
        assert client.get(url).status_code == 200
    counts = {}
    for url in urls:
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        # sorl-thumbnail's key-value rows (one per image here) live in Redis in production.
        sql = [q["sql"] for q in ctx.captured_queries if "thumbnail_kvstore" not in q["sql"]]
        counts[url] = (len(sql), response.content.decode())
    return counts


def test_a_parent_on_a_listing_page_costs_no_extra_query():
    demo.load_catalogue()
    indexing.rebuild()
    parent = Product.objects.get(structure=Product.PARENT)
    collection = Category.objects.get(depth=1, slug="magnesium").get_absolute_url()
    urls = [collection if page == "collection" else page for page in PAGES]

    with_parent = _cold(urls)
    assert all(parent.title in html for _count, html in with_parent.values())

    Product.objects.filter(pk=parent.pk).update(is_public=False)  # off every listing
    indexing.rebuild()
    without_parent = _cold(urls)
    assert all(parent.title not in html for _count, html in without_parent.values())

    for url in urls:
        print(
            f"\n{url}: {with_parent[url][0]} queries with a parent, {without_parent[url][0]} without"
        )
    assert {u: c for u, (c, _h) in with_parent.items()} == {
        u: c for u, (c, _h) in without_parent.items()
    }
