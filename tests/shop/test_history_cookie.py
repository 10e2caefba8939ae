"""The recently-viewed cookie (Oscar's oscar_history), issue 14.

The shop sets none (features.perf disconnects Oscar's product_viewed receiver: the product page is
shared). Should Oscar's history manager write it all the same, it is Secure outside DEBUG and
SameSite=Lax: Oscar 4.2 takes SameSite from SESSION_COOKIE_SAMESITE and Secure from
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE, which shop.settings sets to `not DEBUG`.
"""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from oscar.apps.catalogue.models import Product
from oscar.apps.customer.history import CustomerHistoryManager

from shop import demo

pytestmark = pytest.mark.django_db


def test_a_product_page_sets_no_history_cookie(client):
    demo.load_catalogue()
    response = client.get(Product.objects.get(upc="MG-BIS-200").get_absolute_url())
    assert response.status_code == 200
    assert settings.OSCAR_RECENTLY_VIEWED_COOKIE_NAME not in response.cookies


def test_the_history_cookie_oscar_would_write_is_secure_http_only_and_same_site_lax():
    assert settings.DEBUG is False
    demo.load_catalogue()
    response = HttpResponse()
    request = RequestFactory().get("/")
    CustomerHistoryManager.update(Product.objects.get(upc="MG-BIS-200"), request, response)
    cookie = response.cookies[settings.OSCAR_RECENTLY_VIEWED_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"] is True
