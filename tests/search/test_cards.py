"""The search page's product cards as shared fragments (shop.search.listing.shared_listing_page,
shop.templatetags.card_tags): the same HTML as a fresh render, nothing of the visitor who
rendered them first, new HTML after a write to what the card shows and only then (a write to one
product, an order's stock change included, keeps the other products' cards), fewer queries once
stored."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from content.models import Article
from shop.search.listing import StoredCard, card_keys
from tests.features.perf.cache_calls import outermost_calls
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
    return caches["fragments"].get_many(list(card_keys([p.pk for p in products]).values()))


def rendered_anew(response) -> set[str]:
    """The UPCs of the products whose cards `response` rendered (not read from the cache)."""
    products = response.context["products"]
    assert products
    return {p.upc for p in products if not isinstance(p, StoredCard)}


def test_cards_from_the_cache_are_the_html_of_a_fresh_render(client, shop):
    fresh = client.get(*SEARCH)
    assert fresh.context["products"] and not any(
        isinstance(p, StoredCard) for p in fresh.context["products"]
    )
    again = client.get(*SEARCH)
    assert all(isinstance(p, StoredCard) for p in again.context["products"])
    assert [p.upc for p in again.context["products"]] == [p.upc for p in fresh.context["products"]]
    assert cards(again) == cards(fresh) and cards(fresh)


def test_a_page_s_new_cards_are_stored_in_one_cache_write(client, shop, monkeypatch):
    def card_keys_in(name, args) -> bool:
        keys = list(args[0]) if name == "set_many" else [args[0]]
        return any(str(key).startswith("shop:card:") for key in keys)

    calls = outermost_calls(monkeypatch, caches["fragments"], ("set", "set_many"), card_keys_in)
    response = client.get(*SEARCH)
    writes = [len(list(args[0])) if name == "set_many" else 1 for name, args in calls]
    assert writes == [len(response.context["products"])] and writes[0] > 1


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


def write(callbacks, action) -> None:
    with callbacks(execute=True):
        action()  # a write the shop's signals see, committed


def test_a_write_to_one_product_keeps_the_other_products_cards(
    client, shop, django_capture_on_commit_callbacks
):
    first = client.get(*SEARCH)
    all_upcs = {p.upc for p in first.context["products"]}
    assert rendered_anew(first) == all_upcs and shop.standalone.upc in all_upcs
    record = shop.standalone.stockrecords.get()
    record.price = "12.34"
    write(django_capture_on_commit_callbacks, record.save)
    after = client.get(*SEARCH)
    assert rendered_anew(after) == {shop.standalone.upc}
    assert "12,34" in "".join(cards(after))


def test_an_order_s_stock_change_renders_only_that_product_s_card_anew(
    client, shop, django_capture_on_commit_callbacks
):
    client.get(*SEARCH)
    record = shop.standalone.stockrecords.get()
    write(django_capture_on_commit_callbacks, lambda: record.allocate(1))
    assert rendered_anew(client.get(*SEARCH)) == {shop.standalone.upc}


def test_a_variant_s_price_makes_its_parent_s_card_new(
    client, shop, django_capture_on_commit_callbacks
):
    client.get(*SEARCH)
    record = shop.variant.stockrecords.get()
    record.price = "3.21"
    write(django_capture_on_commit_callbacks, record.save)
    assert rendered_anew(client.get(*SEARCH)) == {shop.parent.upc}


def test_a_product_s_own_save_makes_its_card_new(client, shop, django_capture_on_commit_callbacks):
    client.get(*SEARCH)
    shop.sold_out.title = "Magnesiummalaat Lekproef Nieuw"
    write(django_capture_on_commit_callbacks, shop.sold_out.save)
    after = client.get(*SEARCH)
    assert rendered_anew(after) == {shop.sold_out.upc}
    assert "Magnesiummalaat Lekproef Nieuw" in "".join(cards(after))


def test_a_write_to_what_every_card_shows_makes_every_card_new(
    client, shop, django_capture_on_commit_callbacks
):
    first = client.get(*SEARCH)
    product_class = get_model("catalogue", "ProductClass").objects.get(
        pk=shop.standalone.product_class_id
    )
    write(django_capture_on_commit_callbacks, product_class.save)
    assert rendered_anew(client.get(*SEARCH)) == {p.upc for p in first.context["products"]}


def test_a_guide_write_keeps_every_card(client, shop, django_capture_on_commit_callbacks):
    client.get(*SEARCH)
    guide = Article.objects.get(slug="magnesium-en-slaap-lekproef")
    guide.title = "Magnesium en slaap, herzien"
    write(django_capture_on_commit_callbacks, guide.save)
    after = client.get(*SEARCH)
    assert after.context is not None  # the page itself was rendered anew (a new version) ...
    assert rendered_anew(after) == set()  # ... from the stored cards


@pytest.mark.parametrize("page", ["listing", "category"])
def test_listing_pages_share_the_stored_cards(
    client, shop, django_capture_on_commit_callbacks, page
):
    """The product listing and a category page show the same cards as the search page, from the
    same cache: once rendered on any of them, a card is not rendered again after a write to
    another product (the listing page itself is rendered anew)."""
    first = client.get(shop.urls[page])
    assert rendered_anew(first) and set(cards(first))
    record = shop.sold_out.stockrecords.get()
    record.price = "9.99"
    write(django_capture_on_commit_callbacks, record.save)
    after = client.get(shop.urls[page])
    assert after.context is not None
    assert rendered_anew(after) == {shop.sold_out.upc}
    others = [c for c in cards(first) if shop.sold_out.title not in c]
    assert others and [c for c in cards(after) if shop.sold_out.title not in c] == others
    assert "9,99" in "".join(c for c in cards(after) if shop.sold_out.title in c)
