"""Shared pages: one HTML for everyone, stored once, with the private parts apart."""

from decimal import Decimal

import pytest
from csp.utils import build_policy
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oscar.apps.address.models import Country
from oscar.apps.analytics.models import ProductRecord, UserProductView

from content.choices import Status
from shop.cache import pagecache
from tests.factories import ArticleFactory, make_supplement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

WRITES = ("INSERT", "UPDATE", "DELETE")


def _get(client, url, **extra):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    return response, [q["sql"] for q in ctx.captured_queries]


def _basket_holder(product) -> Client:
    shopper = Client()
    assert shopper.post(f"/basket/add/{product.pk}/", {"quantity": 1}).status_code == 302
    return shopper


def test_second_visit_is_served_from_the_cache_without_sql_for_every_kind_of_visitor(
    django_user_model,
):
    product = make_supplement(upc="MG-PC-1", price="19.95")
    first, _ = _get(Client(), product.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    customer = Client()
    customer.force_login(django_user_model.objects.create_user("k@example.nl", "k@example.nl"))
    for visitor in (Client(), _basket_holder(product), customer):
        response, sql = _get(visitor, product.get_absolute_url())
        assert response["X-Page-Cache"] == "hit"
        assert sql == []
        assert response.content == first.content
        assert "19,95" in response.content.decode()


def test_a_shared_page_sets_no_cookie_and_may_be_kept_by_a_proxy():
    product = make_supplement(upc="MG-PC-9")
    shared_policy = build_policy()
    for expected in ("miss", "hit"):
        response = _basket_holder(product).get(product.get_absolute_url())
        assert response["X-Page-Cache"] == expected
        assert not response.cookies
        assert set(response["Cache-Control"].split(", ")) == {
            "public",
            "max-age=0",
            f"s-maxage={settings.SHOP_SHARED_PROXY_SECONDS}",
        }
        assert response["Vary"] == "Accept-Encoding"
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        # The CSP middleware sits above the shared pages: a stored page gets the header too,
        # the storefront's, with no nonce (a stored page is served to everyone).
        assert response["Content-Security-Policy"] == shared_policy
        assert "nonce" not in response["Content-Security-Policy"]


def test_private_pages_are_marked_private():
    response = Client().get("/basket/")
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


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


def test_a_write_elsewhere_that_sends_no_signal_for_pages_leaves_them_stored():
    """The receivers are connected per model of the apps the pages show: a write to an order
    address (nothing a shared page shows) keeps the stored pages."""
    product = make_supplement(upc="MG-PC-10")
    Client().get(product.get_absolute_url())
    version = pagecache.current_version()
    Country.objects.create(iso_3166_1_a2="ZZ", name="Nergensland")
    assert pagecache.current_version() == version
    assert Client().get(product.get_absolute_url())["X-Page-Cache"] == "hit"


def test_only_the_parameters_a_page_reads_enter_its_key():
    product = make_supplement(upc="MG-PC-11")
    url = product.get_absolute_url()
    Client().get(url)
    for junk in ("?utm_campaign=2f1c", "?fbclid=x&gclid=y", "?page=2"):
        response = Client().get(url + junk)
        assert response["X-Page-Cache"] == "hit", junk
    listing = "/catalogue/"
    Client().get(listing + "?sort_by=naam")
    assert Client().get(listing + "?sort_by=naam&utm_source=nieuwsbrief")["X-Page-Cache"] == "hit"
    assert Client().get(listing + "?sort_by=+naam+")["X-Page-Cache"] == "hit"
    assert Client().get(listing + "?sort_by=nieuwste")["X-Page-Cache"] == "miss"


def test_search_text_is_normalised_and_cut_before_it_enters_the_key(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        make_supplement(upc="MG-PC-7", title="Magnesium Zoekcache", price="12.50")
    first, _ = _get(Client(), "/search/?q=zoekcache")
    second, sql = _get(Client(), "/search/?q=++zoekcache+&utm_medium=x")
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert sql == [] and "12,50" in second.content.decode()
    long_query = "magnesium+" * 100
    Client().get("/search/?q=" + long_query)
    again = Client().get("/search/?q=" + long_query + "extra")
    assert again["X-Page-Cache"] == "hit"  # both cut to the same 200 characters
    assert len(pagecache._clean("x" * 5000)) == pagecache.MAX_PARAM_LENGTH


def test_a_nul_byte_in_a_parameter_never_reaches_the_page():
    for url in ("/search/?q=mag%00nesium&vorm=%00", "/kennisbank/?onderwerp=%00"):
        response = Client().get(url)
        assert response.status_code == 200, url
        assert "\x00" not in response.content.decode()


def test_a_product_view_writes_nothing_and_is_counted_by_the_private_endpoint():
    product = make_supplement(upc="MG-PC-3")
    client = Client()
    client.get(product.get_absolute_url())  # the first render makes the thumbnails (one-off)
    for _ in range(3):
        _, sql = _get(client, product.get_absolute_url())
        assert not [s for s in sql if s.lstrip().upper().startswith(WRITES)]
        client.get(f"/persoonlijk/?product={product.pk}")  # what shop.js asks for on the page
    assert not ProductRecord.objects.exists() and not UserProductView.objects.exists()
    call_command("flush_product_views", verbosity=0)
    assert ProductRecord.objects.get(product=product).num_views == 3


def test_basket_is_never_stored():
    make_supplement(upc="MG-PC-5")
    Client().get("/basket/")
    assert "X-Page-Cache" not in Client().get("/basket/")


def test_how_a_path_is_shared_follows_the_urlconf(rf, settings):
    """How a path is shared is kept per process (resolving it walks the URLconf), per URLconf."""
    request = rf.get("/xss-control/storefront-policy/")
    assert pagecache.shared_view(request) is pagecache.FALLBACK  # no such view: a flatpage?
    assert pagecache.shared_view(request) is pagecache.FALLBACK
    settings.ROOT_URLCONF = "tests.security.urls"  # where it is a view, and not a shared one
    assert pagecache.shared_view(request) is None
    assert pagecache.shared_view(rf.get("/")) == pagecache.SHARED_VIEWS["storefront:home"]


def test_a_stamp_read_with_the_version_is_the_stamp_and_the_version_read_alone():
    """The private parts read a customer's stamp and the catalogue version in one round trip
    (pagecache.read_stamps): the same values as read one by one, made when missing, and the
    version is the one the rest of the request uses."""

    def stamp_and_version(kind, pk):
        pagecache.read_stamps((kind, pk))
        return pagecache.stamp(kind, pk)

    with pagecache.version_read_once():
        made = stamp_and_version("customer", 41)  # neither is stored yet
        assert made == pagecache.stamp("customer", 41)
        version = pagecache.current_version()
    with pagecache.version_read_once():
        assert stamp_and_version("customer", 41) == made
        assert pagecache.current_version() == version
    pagecache.expire_stamp("customer", 41)
    pagecache.expire_all()
    with pagecache.version_read_once():
        assert stamp_and_version("customer", 41) != made
        assert pagecache.current_version() != version
