"""Pages of categories cost the same SQL however deep the tree and however many categories it
holds (catalogue XL: 500 categories four levels deep, `make scale-xl`). Oscar builds a
category's URL from its parent's, one parent lookup per level on an empty cache."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.apps.catalogue.models import ProductCategory

from shop.catalogue.category_urls import category_url
from tests.factories import make_supplement

pytestmark = pytest.mark.django_db


def _cold_queries(client, url) -> int:
    assert client.get(url).status_code == 200  # thumbnails and the like made once
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    # sorl-thumbnail's key-value rows live in Redis in production.
    return len([q for q in ctx.captured_queries if "thumbnail_kvstore" not in q["sql"]])


def test_a_category_page_four_levels_deep_costs_what_one_two_levels_deep_does():
    shallow = create_from_breadcrumbs("Magnesium > Capsules")
    deep = create_from_breadcrumbs("Magnesium > Sport > Vitalis > Capsule")
    for i, category in enumerate((shallow, deep)):
        product = make_supplement(upc=f"MG-DEPTH-{i}", forms=("citraat",))
        ProductCategory.objects.create(product=product, category=category)
    client = Client()

    urls = [c.get_absolute_url() for c in (shallow, deep)]
    # A discarded first pass: sorl-thumbnail's one-off work for the "image not found" placeholder
    # (rows earlier test modules may have left) is no cost of the page (test_query_budgets.py).
    for url in urls:
        _cold_queries(client, url)
    two, four = (_cold_queries(client, url) for url in urls)

    print(f"\ncategory page: {two} queries two levels deep, {four} four levels deep")
    assert two == four


def test_category_url_is_oscars_url_read_in_one_query_at_any_depth():
    deep = create_from_breadcrumbs("Magnesium > Sport > Vitalis > Capsule")
    expected = deep.get_absolute_url()
    cache.clear()

    with CaptureQueriesContext(connection) as ctx:
        url = category_url(deep)

    assert url == expected == f"/catalogue/category/magnesium/sport/vitalis/capsule_{deep.pk}/"
    assert len(ctx.captured_queries) == 1


def test_sitemap_of_categories_costs_the_same_for_5_and_for_60_categories(client):
    def cold() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/sitemap-categorieen.xml")
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    create_from_breadcrumbs("Magnesium > Sport > Vitalis > Capsule")
    cold()  # discarded: the process's own memos (the Site)
    few, _ = cold()
    for i in range(15):
        create_from_breadcrumbs(f"Kruiden > Soort {i} > Merk {i} > Vorm {i}")
    many, xml = cold()

    print(f"\ncategory sitemap: {few} queries for 5 categories, {many} for 60")
    assert few == many
    assert "/catalogue/category/kruiden/soort-14/merk-14/vorm-14_" in xml
