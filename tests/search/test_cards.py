"""The search page's product cards as shared fragments (shop.search.listing.shared_listing_page,
shop.templatetags.card_tags): the same HTML as a fresh render, nothing of the visitor who
rendered them first, new HTML after a write, fewer queries once stored."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop.cache.pagecache import current_version
from shop.search.listing import StoredCard, card_key
from tests.features.perf.leak_markers import (
    anonymous,
    build_storefront,
    first_visitor,
    leaked,
)

pytestmark = pytest.mark.django_db

CARD = re.compile(r'<article class="product_pod">.*?</article>', re.S)
SEARCH = ("/search/?q=magnesium",)
FIRST_VISITORS = ["superuser", "customer"]


@pytest.fixture
def shop(django_capture_on_commit_callbacks):
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        return build_storefront()


def cards(response) -> list[str]:
    assert response.status_code == 200
    return CARD.findall(response.content.decode())


def stored_cards(products) -> dict:
    version = current_version()
    return caches["fragments"].get_many([card_key(p.pk, version) for p in products])


def test_cards_from_the_cache_are_the_html_of_a_fresh_render(client, shop):
    fresh = client.get(*SEARCH)
    assert fresh.context["products"] and not any(
        isinstance(p, StoredCard) for p in fresh.context["products"]
    )
    again = client.get(*SEARCH)
    assert all(isinstance(p, StoredCard) for p in again.context["products"])
    assert [p.upc for p in again.context["products"]] == [p.upc for p in fresh.context["products"]]
    assert cards(again) == cards(fresh) and cards(fresh)


def test_a_stored_card_costs_no_query(client, shop):
    with CaptureQueriesContext(connection) as cold:
        client.get(*SEARCH)
    with CaptureQueriesContext(connection) as warm:
        client.get(*SEARCH)
    assert len(warm) < len(cold)
    assert not [q for q in warm.captured_queries if '"catalogue_productimage"' in q["sql"]]


@pytest.mark.parametrize("first", FIRST_VISITORS)
def test_a_card_first_rendered_for_a_signed_in_visitor_holds_nothing_of_theirs(shop, first):
    source = first_visitor(first, shop)
    source.mark("recently viewed", shop.history_product.title)
    cache.clear()
    first_page = source.get(*SEARCH)
    products = first_page.context["products"]
    stored = stored_cards(products)
    assert len(stored) == len(products) > 0  # their render is the one stored
    for upc, html in stored.values():
        assert leaked(html, source) == {}, (first, upc)
    later = anonymous().get(*SEARCH)
    assert all(isinstance(p, StoredCard) for p in later.context["products"])
    for html in cards(later):
        assert leaked(html, source) == {}, first
        assert "csrfmiddlewaretoken" not in html  # shop.js adds the visitor's token


def test_a_price_change_makes_new_cards(client, shop, django_capture_on_commit_callbacks):
    assert "12,34" not in "".join(cards(client.get(*SEARCH)))
    record = shop.standalone.stockrecords.get()
    record.price = "12.34"
    with django_capture_on_commit_callbacks(execute=True):
        record.save()  # a write the shop's signals see: a new catalogue version
    html = "".join(cards(client.get(*SEARCH)))
    assert "12,34" in html
