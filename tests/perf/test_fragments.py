"""Fragment caching on the rendered path (a visitor with a basket, never served a stored page):
product grids, product cards, product and guide bodies, search results and the header's basket
summary. Each is shared by every visitor, so: a change shows on the next request, nothing of one
visitor reaches another, and a cached form still posts for whoever gets it."""

import json
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.apps.catalogue.models import ProductCategory

from content import services
from shop.perf.pagecache import CSRF_PLACEHOLDER
from tests.factories import ArticleFactory
from tests.shop.supplements import make_supplement

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shop(django_capture_on_commit_callbacks):
    # The search documents are written once the transaction commits: run those callbacks.
    with django_capture_on_commit_callbacks(execute=True):
        category = create_from_breadcrumbs("Magnesium")
        products = [
            make_supplement(upc=f"MG-FR-{i}", title=f"Magnesium fragment {i}", price="19.95")
            for i in range(3)
        ]
        for product in products:
            ProductCategory.objects.create(product=product, category=category)
        guide = ArticleFactory(title="Magnesium en sport", slug="magnesium-en-sport")
        services.article_link_products(article=guide, products=products)
    return {"category": category, "products": products, "guide": guide}


def shopper_with_basket(product, **client_kwargs) -> Client:
    client = Client(**client_kwargs)
    response = client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    assert response.status_code == 302
    assert settings.OSCAR_BASKET_COOKIE_OPEN in client.cookies
    return client


def page_urls(shop) -> dict[str, str]:
    return {
        "home": "/catalogue/",
        "collection": shop["category"].get_absolute_url(),
        "product": shop["products"][1].get_absolute_url(),
        "guide": shop["guide"].get_absolute_url(),
        "search": "/search/?q=magnesium",
    }


@pytest.mark.parametrize("page", ["home", "collection", "product", "guide", "search"])
def test_a_price_change_shows_on_the_next_request_of_a_basket_holder(
    shop, page, django_capture_on_commit_callbacks
):
    shopper = shopper_with_basket(shop["products"][0])
    url = page_urls(shop)[page]
    assert "19,95" in shopper.get(url).content.decode()
    # The second request is answered from the fragments (no product query): prove it is cached.
    with CaptureQueriesContext(connection) as ctx:
        again = shopper.get(url)
    assert "19,95" in again.content.decode()
    assert not [q for q in ctx.captured_queries if "partner_stockrecord" in q["sql"]]

    record = shop["products"][1].stockrecords.get()
    record.price = Decimal("24.50")
    with django_capture_on_commit_callbacks(execute=True):
        record.save()
    html = shopper.get(url).content.decode()
    assert "24,50" in html


def test_a_cached_card_form_posts_for_each_visitor_with_their_own_token(shop):
    url = shop["category"].get_absolute_url()
    first = shopper_with_basket(shop["products"][0], enforce_csrf_checks=False)
    first.get(url)  # renders and stores the grid with the placeholder in its forms
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        html = visitor.get(url).content.decode()
        assert CSRF_PLACEHOLDER not in html
        token = TOKEN.findall(html)[0]
        tokens.append(token)
        product = shop["products"][2]
        response = visitor.post(
            f"/basket/add/{product.pk}/", {"quantity": 1, "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302, response.status_code
    assert tokens[0] != tokens[1]


def test_the_header_summary_is_fetched_once_then_shown_inline_and_follows_the_basket(shop):
    shopper = shopper_with_basket(shop["products"][0])
    url = shop["products"][1].get_absolute_url()
    # Not cached yet: the page shows the plain link and leaves the summary to shop.js.
    with CaptureQueriesContext(connection) as ctx:
        html = shopper.get(url).content.decode()
    assert 'data-summary-url="/winkelmand/samenvatting/"' in html
    assert not [q for q in ctx.captured_queries if "basket_line" in q["sql"]]

    summary = shopper.get("/winkelmand/samenvatting/")
    assert summary.status_code == 200
    assert "private" in summary["Cache-Control"]
    assert 'mini-basket__count">1<' in summary.content.decode()

    html = shopper.get(url).content.decode()
    assert 'mini-basket__count">1<' in html and "data-summary-url" not in html

    shopper.post(f"/basket/add/{shop['products'][2].pk}/", {"quantity": 2})
    summary = shopper.get("/winkelmand/samenvatting/").content.decode()
    assert 'mini-basket__count">3<' in summary
    assert 'mini-basket__count">3<' in shopper.get(url).content.decode()

    # One more of a line the basket has (an UPDATE, not a saved line) moves it on as well.
    shopper.post(f"/basket/add/{shop['products'][2].pk}/", {"quantity": 1})
    assert "data-summary-url" in shopper.get(url).content.decode()
    summary = shopper.get("/winkelmand/samenvatting/").content.decode()
    assert 'mini-basket__count">4<' in summary

    # Another visitor's basket never shows this one's summary.
    other = shopper_with_basket(shop["products"][2])
    assert 'mini-basket__count">3<' not in other.get("/winkelmand/samenvatting/").content.decode()


def test_a_new_visitors_first_add_has_nothing_to_expire_and_later_adds_do(shop, monkeypatch):
    from shop.perf import pagecache

    expired = []
    expire = pagecache.expire_basket
    monkeypatch.setattr(pagecache, "expire_basket", lambda pk: expired.append(pk) or expire(pk))
    shopper = shopper_with_basket(shop["products"][0])  # a basket row and a line, both new
    assert expired == []
    basket_id = int(shopper.cookies[settings.OSCAR_BASKET_COOKIE_OPEN].value.split(":")[0])
    shopper.post(f"/basket/add/{shop['products'][0].pk}/", {"quantity": 1})
    assert expired == [basket_id]
    shopper.post(f"/basket/add/{shop['products'][1].pk}/", {"quantity": 1})
    assert expired == [basket_id, basket_id]


def test_the_summary_endpoint_without_a_basket_shows_an_empty_basket(shop):
    response = Client().get("/winkelmand/samenvatting/")
    assert response.status_code == 200
    assert "(leeg)" in response.content.decode()
    assert Client().post("/winkelmand/samenvatting/").status_code == 405


def test_a_history_cookie_never_reaches_the_shared_product_body(shop):
    product, other = shop["products"][0], shop["products"][2]
    snooper = Client()
    snooper.cookies[settings.OSCAR_RECENTLY_VIEWED_COOKIE_NAME] = json.dumps([other.pk])
    snooper.get(product.get_absolute_url())
    html = shopper_with_basket(other).get(product.get_absolute_url()).content.decode()
    # The body lists no "recently viewed" products, so the other product is linked only by
    # what the page itself shows (guides, nothing here) and never by the snooper's cookie.
    assert "Recently viewed" not in html and "Onlangs bekeken" not in html
    assert html.count(other.get_absolute_url()) == 0
