"""The shared-page cache: what is stored, for whom, and how a change reaches the next request."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oscar.apps.analytics.models import ProductRecord, UserProductView

from content.choices import Status
from shop.perf.pagecache import CSRF_PLACEHOLDER
from tests.factories import ArticleFactory
from tests.shop.supplements import make_supplement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

WRITES = ("INSERT", "UPDATE", "DELETE")


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, [q["sql"] for q in ctx.captured_queries]


def test_second_anonymous_visit_is_served_from_the_cache_without_sql():
    product = make_supplement(upc="MG-PC-1", price="19.95")
    first, _ = _get(Client(), product.get_absolute_url())
    second, sql = _get(Client(), product.get_absolute_url())
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert sql == []
    assert second.content.decode().count("19,95") >= 1


def test_a_price_change_shows_on_the_next_request():
    product = make_supplement(upc="MG-PC-2", price="19.95")
    Client().get(product.get_absolute_url())
    record = product.stockrecords.get()
    record.price = Decimal("24.50")
    record.save()
    response = Client().get(product.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "24,50" in response.content.decode()


def test_publishing_a_guide_shows_on_the_next_request():
    guide = ArticleFactory(title="Nog niet live", slug="nog-niet-live", draft=True)
    assert Client().get("/kennisbank/").content.decode().count("Nog niet live") == 0
    guide.status = Status.PUBLISHED
    guide.published_at = timezone.now()
    guide.save()
    assert "Nog niet live" in Client().get("/kennisbank/").content.decode()


def test_a_product_view_writes_nothing_and_is_counted_in_the_cache():
    product = make_supplement(upc="MG-PC-3")
    client = Client()
    client.get(product.get_absolute_url())  # the first render makes the thumbnails (one-off)
    for _ in range(3):
        _, sql = _get(client, product.get_absolute_url())
        assert not [s for s in sql if s.lstrip().upper().startswith(WRITES)]
    # A visitor with a session (uncached path) writes nothing either.
    shopper = Client()
    shopper.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    _, sql = _get(shopper, product.get_absolute_url())
    assert not [s for s in sql if s.lstrip().upper().startswith(WRITES)]
    assert not ProductRecord.objects.exists() and not UserProductView.objects.exists()
    # The cache answered three of the five views; Oscar's view signal ran for the other two.
    call_command("flush_product_views", verbosity=0)
    assert ProductRecord.objects.get(product=product).num_views == 2
    call_command("flush_product_views", verbosity=0)
    assert ProductRecord.objects.get(product=product).num_views == 2


def test_cached_page_gets_a_fresh_csrf_token_per_visitor_and_add_to_basket_works():
    product = make_supplement(upc="MG-PC-4")
    Client().get(product.get_absolute_url())  # stores the page
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get(product.get_absolute_url())
    html = response.content.decode()
    assert response["X-Page-Cache"] == "hit"
    assert CSRF_PLACEHOLDER not in html
    assert 'name="csrfmiddlewaretoken"' in html
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert settings.CSRF_COOKIE_NAME in response.cookies
    added = visitor.post(
        f"/basket/add/{product.pk}/", {"quantity": 1, "csrfmiddlewaretoken": token}
    )
    assert added.status_code == 302
    assert settings.OSCAR_BASKET_COOKIE_OPEN in visitor.cookies
    # With a basket the visitor gets a freshly rendered page; its header summary comes from the
    # summary endpoint the first time (tests/perf/test_fragments.py), then inline.
    again = visitor.get(product.get_absolute_url())
    assert "X-Page-Cache" not in again
    assert "data-summary-url" in again.content.decode()
    assert "mini-basket__count" in visitor.get("/winkelmand/samenvatting/").content.decode()
    assert "mini-basket__count" in visitor.get(product.get_absolute_url()).content.decode()


def test_basket_is_never_cached():
    make_supplement(upc="MG-PC-5")
    Client().get("/basket/")
    assert "X-Page-Cache" not in Client().get("/basket/")


def test_anonymous_search_page_is_stored_by_full_url_and_follows_the_catalogue(
    django_capture_on_commit_callbacks,
):
    # The search documents are written on commit (shop.search.indexing), hence the callbacks.
    with django_capture_on_commit_callbacks(execute=True):
        product = make_supplement(upc="MG-PC-7", title="Magnesium Zoekcache", price="12.50")
    first, _ = _get(Client(), "/search/?q=zoekcache")
    second, sql = _get(Client(), "/search/?q=zoekcache")
    assert first.status_code == 200 and "12,50" in first.content.decode()
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert sql == []
    # Another query string is another page.
    other = Client().get("/search/?q=zoekcache&sort_by=price-asc")
    assert other["X-Page-Cache"] == "miss"
    # A catalogue change reaches the next search.
    record = product.stockrecords.get()
    record.price = Decimal("14.75")
    with django_capture_on_commit_callbacks(execute=True):
        record.save()
    after = Client().get("/search/?q=zoekcache")
    assert after["X-Page-Cache"] == "miss" and "14,75" in after.content.decode()


def test_search_is_not_cached_for_long_query_strings_or_visitors_with_a_basket():
    product = make_supplement(upc="MG-PC-8")
    long_url = "/search/?q=" + "magnesium+" * 30
    Client().get(long_url)
    assert "X-Page-Cache" not in Client().get(long_url)
    shopper = Client()
    shopper.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    assert "X-Page-Cache" not in shopper.get("/search/?q=magnesium")


def test_basket_summary_in_the_header_follows_the_basket():
    product = make_supplement(upc="MG-PC-6", price="10.00")
    shopper = Client()
    shopper.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    shopper.get("/winkelmand/samenvatting/")  # what shop.js fetches when the page has no summary
    first = shopper.get(product.get_absolute_url()).content.decode()
    assert 'mini-basket__count">1<' in first
    shopper.post(f"/basket/add/{product.pk}/", {"quantity": 2})
    summary = shopper.get("/winkelmand/samenvatting/").content.decode()
    assert 'mini-basket__count">3<' in summary and "30,00" in summary
    html = shopper.get(product.get_absolute_url()).content.decode()
    assert 'mini-basket__count">3<' in html
    assert "30,00" in html
