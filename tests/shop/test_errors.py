"""A database that cannot be reached: the branded Dutch 503 page (shop.errors), rendered without
the database. No test here has database access: a query while failing or rendering would raise
pytest-django's RuntimeError instead, and the answer would be the plain 500 page."""

import pytest
from django.test import Client

pytestmark = pytest.mark.urls("tests.shop.fault_urls")


@pytest.fixture
def client():
    # Django's test client re-raises the view's exception; a browser gets the handler's page.
    return Client(raise_request_exception=False)


def assert_outage_page(response):
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "no-store" in response["Cache-Control"]
    assert '<html lang="nl"' in html
    assert "We zijn zo terug…" in html
    assert "Probeer het over een paar seconden opnieuw" in html
    # The shop's own frame: its stylesheet, brand and footer.
    assert "shop/css/shop.css" in html
    assert 'class="brand"' in html and "Magnesiumwinkel" in html
    assert "Klantenservice" in html
    # Nothing of the error reaches the visitor.
    for leak in ("Traceback", "Error", "password", "db.internal", "127.0.0.1", "connection"):
        assert leak not in html
    return html


@pytest.mark.parametrize("url", ["/_fault/operational/", "/_fault/interface/"])
def test_a_lost_database_answers_the_branded_dutch_503_page(client, url):
    assert_outage_page(client.get(url))


def test_a_lost_database_after_the_view_answers_503_as_well(client, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.shop.fault_urls.FailingCommitMiddleware"]

    assert_outage_page(client.get("/_fault/after-view/"))


def test_an_error_raised_while_handling_a_lost_database_answers_503(client):
    assert_outage_page(client.get("/_fault/broken-transaction/"))


def test_a_post_during_an_outage_gets_the_same_page(client):
    assert_outage_page(client.post("/_fault/operational/", {"action": "place_order"}))


@pytest.mark.parametrize("url", ["/_fault/value/", "/_fault/integrity/", "/_fault/transaction/"])
def test_other_errors_keep_the_500_page(client, url):
    response = client.get(url)

    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()
    assert "Retry-After" not in response
