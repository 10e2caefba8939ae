"""The private endpoint: what of one visitor a shared page shows, and the CSRF token its forms
need, never stored anywhere but in its own response."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.apps.customer.models import ProductAlert
from oscar.apps.wishlists.models import WishList

from tests.factories import make_supplement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

PRIVATE = "/persoonlijk/"


@pytest.fixture
def production_sessions(settings):
    """Sessions as production keeps them: in the database, read through the cache."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def _private(client, query=""):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(PRIVATE + query)
    assert response.status_code == 200
    return response.json(), len(ctx.captured_queries), response


def _customer(django_user_model, email, *, staff=False):
    user = django_user_model.objects.create_user(
        email, email, "geheim-wachtwoord-1", is_staff=staff, is_superuser=staff
    )
    client = Client()
    client.force_login(user)
    return user, client


def test_a_new_visitor_gets_the_anonymous_parts_and_a_token_without_sql():
    answer, queries, response = _private(Client())
    assert queries == 0
    assert "Inloggen" in answer["parts"]["account"]
    assert "mini-basket__count" not in answer["parts"]["basket"]
    assert answer["csrf"]
    assert settings.CSRF_COOKIE_NAME in response.cookies
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_a_basket_holder_gets_the_summary_of_their_basket_and_it_follows_the_basket():
    product = make_supplement(upc="MG-PP-1", price="10.00")
    shopper = Client()
    shopper.post(f"/basket/add/{product.pk}/", {"quantity": 2})
    answer, _, _ = _private(shopper)
    assert 'mini-basket__count">2<' in answer["parts"]["basket"]
    assert "20,00" in answer["parts"]["basket"]
    answer, queries, _ = _private(shopper, f"?product={product.pk}")
    assert queries == 0  # the summary is kept per basket state; no session to read
    shopper.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    answer, _, _ = _private(shopper)
    assert (
        'mini-basket__count">3<' in answer["parts"]["basket"]
        and "30,00" in answer["parts"]["basket"]
    )
    assert 'mini-basket__count"' not in _private(Client())[0]["parts"]["basket"]


def test_a_customer_sees_their_wishlists_and_alert_in_at_most_three_queries(
    django_user_model, production_sessions
):
    product = make_supplement(upc="MG-PP-2")
    user, client = _customer(django_user_model, "wens@example.nl")
    wishlist = WishList.objects.create(owner=user, name="Mijn-geheime-lijst")
    wishlist.add(product)
    WishList.objects.create(owner=user, name="Tweede-lijst")
    ProductAlert.objects.create(user=user, product=product, status=ProductAlert.ACTIVE)
    client.get(PRIVATE)  # the session into the cache, the basket created (first visit)
    answer, queries, _ = _private(client, f"?product={product.pk}")
    assert queries <= 3  # the basket id, the wishlists and alert (the user's row is kept)
    parts = answer["parts"]
    assert "Mijn account" in parts["account"]
    assert "Mijn-geheime-lijst" in parts["wishlist"] and wishlist.key in parts["wishlist"]
    assert "Staat op je verlanglijst" in parts["wishlist"]
    assert "Op verlanglijst ‘Tweede-lijst’" in parts["wishlist"]
    assert "voorraadmelding" in parts["alert"]
    assert "staff" not in parts
    # Another customer gets none of it.
    _, other = _customer(django_user_model, "ander@example.nl")
    theirs = _private(other, f"?product={product.pk}")[0]["parts"]
    assert "Mijn-geheime-lijst" not in str(theirs) and wishlist.key not in str(theirs)
    assert "alert" not in theirs


def test_staff_get_links_to_edit_what_the_page_shows(django_user_model):
    product = make_supplement(upc="MG-PP-3")
    _, staff = _customer(django_user_model, "staf@example.nl", staff=True)
    parts = _private(staff, f"?product={product.pk}&gids=7&categorie=3")[0]["parts"]
    assert f"/dashboard/catalogue/products/{product.pk}/" in parts["staff"]
    assert "Wijzig deze gids" in parts["staff"] and "Wijzig deze categorie" in parts["staff"]
    _, customer = _customer(django_user_model, "klant@example.nl")
    assert "staff" not in _private(customer, f"?product={product.pk}")[0]["parts"]


def test_a_flash_message_is_delivered_once_by_the_private_endpoint():
    product = make_supplement(upc="MG-PP-4", title="Berichtproduct")
    shopper = Client()
    shopper.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    page = shopper.get(product.get_absolute_url()).content.decode()
    assert "toegevoegd" not in page  # the shared page holds no message
    first = _private(shopper)[0]["parts"]
    assert "Berichtproduct" in first["messages"]
    assert "messages" not in _private(shopper)[0]["parts"]


def test_bad_parameters_are_ignored():
    for query in ("?product=abc", "?product=-1", "?product=99999999999999", "?product=%00"):
        answer, _, _ = _private(Client(), query)
        assert answer["csrf"]


def test_shared_page_forms_carry_no_token_and_post_with_the_private_one():
    product = make_supplement(upc="MG-PP-5")
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(product.get_absolute_url()).content.decode()
    assert 'id="add_to_basket_form"' in page
    assert "csrfmiddlewaretoken" not in page
    assert f'<meta name="shop-private" content="{PRIVATE}?product={product.pk}">' in page
    token = visitor.get(PRIVATE).json()["csrf"]
    added = visitor.post(
        f"/basket/add/{product.pk}/", {"quantity": 1, "csrfmiddlewaretoken": token}
    )
    assert added.status_code == 302
    assert settings.OSCAR_BASKET_COOKIE_OPEN in visitor.cookies


def test_without_javascript_a_post_without_token_asks_to_confirm_and_then_works():
    product = make_supplement(upc="MG-PP-6")
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(product.get_absolute_url())
    refused = visitor.post(f"/basket/add/{product.pk}/", {"quantity": "2"})
    assert refused.status_code == 403
    html = refused.content.decode()
    assert "Bevestigen" in html and 'name="quantity" value="2"' in html
    assert settings.OSCAR_BASKET_COOKIE_OPEN not in visitor.cookies  # nothing done yet
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    confirmed = visitor.post(
        f"/basket/add/{product.pk}/", {"quantity": "2", "csrfmiddlewaretoken": token}
    )
    assert confirmed.status_code == 302
    basket = Client(enforce_csrf_checks=True)
    basket.cookies = visitor.cookies
    assert 'mini-basket__count">2<' in _private(basket)[0]["parts"]["basket"]


def test_a_post_elsewhere_without_token_gets_the_plain_refusal():
    client = Client(enforce_csrf_checks=True)
    refused = client.post("/accounts/login/", {"username": "x"})
    assert refused.status_code == 403
    assert "Bevestigen" not in refused.content.decode()


def test_messages_from_a_shared_render_are_shown_in_it_not_stored():
    # The search page's own warning (a bad filter value) is part of its shared HTML.
    response = Client().get("/search/?q=magnesium&prijs=onzin")
    assert response.status_code == 200
    assert "Een deel van je zoekopdracht" in response.content.decode()
    assert not response.cookies


def test_what_is_kept_of_a_customer_follows_their_wishlists_alerts_and_basket(
    django_user_model, production_sessions
):
    product = make_supplement(upc="MG-PP-7", price="10.00")
    user, client = _customer(django_user_model, "volg@example.nl")
    client.get(PRIVATE)
    first, queries, _ = _private(client, f"?product={product.pk}")
    # The user's row is kept (shop.customer.auth_backends), the rest per customer state.
    assert queries == 0
    assert "alert" not in first["parts"] and "Op mijn verlanglijst" in first["parts"]["wishlist"]
    wishlist = WishList.objects.create(owner=user, name="Nieuwe-lijst")
    parts = _private(client, f"?product={product.pk}")[0]["parts"]
    assert "Op verlanglijst ‘Nieuwe-lijst’" in parts["wishlist"]
    wishlist.add(product)
    assert (
        "Staat op je verlanglijst"
        in _private(client, f"?product={product.pk}")[0]["parts"]["wishlist"]
    )
    ProductAlert.objects.create(user=user, product=product, status=ProductAlert.ACTIVE)
    assert "voorraadmelding" in _private(client, f"?product={product.pk}")[0]["parts"]["alert"]
    client.post(f"/basket/add/{product.pk}/", {"quantity": 2})
    basket = _private(client)[0]["parts"]["basket"]
    assert 'mini-basket__count">2<' in basket and "20,00" in basket


@pytest.fixture
def cache_reads(monkeypatch):
    """The reads of stamps and of the catalogue version from the shared cache (a get_many that
    the backend makes of several gets counts once)."""
    from shop.cache import pagecache

    calls, depth = [], []

    def stamped(keys) -> bool:
        keys = [keys] if isinstance(keys, str) else keys
        return any(key.endswith(":stamp") or key == pagecache.VERSION_KEY for key in keys)

    for name in ("get", "get_many"):
        method = getattr(pagecache.cache, name)

        def counted(*args, _name=name, _method=method, **kwargs):
            if not depth and stamped(args[0]):
                calls.append((_name, args[0]))
            depth.append(1)
            try:
                return _method(*args, **kwargs)
            finally:
                depth.pop()

        monkeypatch.setattr(pagecache.cache, name, counted)
    return calls


def test_a_basket_holder_s_parts_read_their_stamps_in_one_round_trip(cache_reads):
    """The basket's stamp and the catalogue version in one read (pagecache.read_stamps)."""
    product = make_supplement(upc="MG-PP-6", price="10.00")
    shopper = Client()
    shopper.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    _private(shopper)  # the stamp is made (a basket's first summary)
    cache_reads.clear()
    answer, _, _ = _private(shopper, f"?product={product.pk}")
    assert 'mini-basket__count">1<' in answer["parts"]["basket"]
    assert [name for name, _keys in cache_reads] == ["get_many"], cache_reads


def test_a_customer_s_parts_read_their_stamps_in_one_round_trip_and_follow_their_basket(
    django_user_model, cache_reads
):
    """The customer's stamp, their basket's (the basket this process saw them with last) and
    the catalogue version in one read; an add to their basket shows at once all the same."""
    product = make_supplement(upc="MG-PP-7", price="10.00")
    _user, client = _customer(django_user_model, "stempel@example.nl")
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    _private(client)
    cache_reads.clear()
    answer, _, _ = _private(client, f"?product={product.pk}")
    assert 'mini-basket__count">1<' in answer["parts"]["basket"]
    assert [name for name, _keys in cache_reads] == ["get_many"], cache_reads
    assert len(cache_reads[0][1]) == 3  # customer, basket, version
    client.post(f"/basket/add/{product.pk}/", {"quantity": 2})
    answer, _, _ = _private(client, f"?product={product.pk}")
    assert 'mini-basket__count">3<' in answer["parts"]["basket"]


def test_a_stamp_expired_in_a_request_is_read_again_in_it():
    """A request that wrote what a stamp covers reads the new stamp, not its memo."""
    from shop.cache import pagecache

    with pagecache.version_read_once():
        pagecache.read_stamps(("basket", 991))
        before = pagecache.stamp("basket", 991)
        assert pagecache.stamp("basket", 991) == before
        pagecache.expire_stamp("basket", 991)
        assert pagecache.stamp("basket", 991) != before


def test_a_new_visitor_s_parts_read_no_stamp_and_no_version(cache_reads):
    """Nothing of a visitor without basket or account is kept: the parts read nothing for it."""
    product = make_supplement(upc="MG-PP-8", price="10.00")
    _private(Client(), f"?product={product.pk}")
    assert cache_reads == []
