"""Cache tags (xkey) on shared pages only, kept with the stored page (features.edge)."""

import pytest
from django.core.cache import cache
from django.test import Client
from oscar.apps.catalogue.categories import create_from_breadcrumbs

from content.models import ArticleProduct
from features.edge.tags import guide_pages, product_pages
from tests.factories import ArticleFactory, make_supplement

pytestmark = pytest.mark.django_db


def tags(response) -> set[str]:
    return set(response["xkey"].split()) if response.has_header("xkey") else set()


def test_shared_pages_carry_their_tags():
    product = make_supplement(upc="MG-EDGE-1")
    guide = ArticleFactory()
    category = create_from_breadcrumbs("Magnesium > Citraat")
    client = Client()
    assert tags(client.get(product.get_absolute_url())) == {"shop", f"product-{product.pk}"}
    assert tags(client.get(guide.get_absolute_url())) == {"shop", f"guide-{guide.pk}"}
    assert tags(client.get("/catalogue/")) == {"shop", "listing"}
    assert tags(client.get(category.get_absolute_url())) == {
        "shop",
        "listing",
        f"category-{category.pk}",
    }
    assert tags(client.get("/kennisbank/")) == {"shop", "kennisbank"}


def test_private_pages_carry_no_tags():
    product = make_supplement(upc="MG-EDGE-2")
    shopper = Client()
    assert shopper.post(f"/basket/add/{product.pk}/", {"quantity": 1}).status_code == 302
    for path in ("/basket/", "/persoonlijk/", f"/persoonlijk/?product={product.pk}"):
        response = shopper.get(path)
        assert response.status_code == 200
        assert not response.has_header("xkey"), path
    assert not shopper.post(f"/basket/add/{product.pk}/", {"quantity": 1}).has_header("xkey")


def test_a_page_from_the_page_cache_keeps_its_tags(settings):
    settings.SHOP_PAGE_CACHE_SECONDS = 60
    cache.clear()
    product = make_supplement(upc="MG-EDGE-3")
    first = Client().get(product.get_absolute_url())
    again = Client().get(product.get_absolute_url())
    cache.clear()
    assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit")
    assert tags(again) == tags(first) == {"shop", f"product-{product.pk}"}


def test_guide_and_product_pages_are_tagged_with_what_they_show():
    product = make_supplement(upc="MG-EDGE-4")
    guide = ArticleFactory()
    ArticleProduct.objects.create(article=guide, product=product)
    assert f"guide-{guide.pk}" in product_pages([product.pk])
    assert f"product-{product.pk}" in guide_pages([guide.pk])
