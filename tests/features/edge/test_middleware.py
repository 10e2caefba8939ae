"""A shared page rendered while a write replaced the catalogue version is not kept by the proxy
(features.edge.middleware): it may show the rows from before the write, and the write's purge may
have reached the proxy before the page did."""

import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from django.test.signals import template_rendered

from shop.cache.pagecache import VERSION_KEY
from tests.factories import make_supplement

pytestmark = pytest.mark.django_db


def test_a_page_rendered_before_any_write_is_kept_by_the_proxy():
    product = make_supplement(upc="MG-EDGE-RACE-1")
    response = Client().get(product.get_absolute_url())
    assert "public" in response["Cache-Control"]


def test_a_page_whose_render_saw_the_catalogue_version_replaced_is_not_kept_by_the_proxy():
    product = make_supplement(upc="MG-EDGE-RACE-2")
    replaced = []

    def write_on_another_server(**kwargs):
        # A dashboard save on another app server commits while this page renders.
        if not replaced:
            replaced.append(True)
            cache.set(VERSION_KEY, uuid.uuid4().hex, None)

    template_rendered.connect(write_on_another_server)
    try:
        response = Client().get(product.get_absolute_url())
    finally:
        template_rendered.disconnect(write_on_another_server)
    assert replaced
    assert response.status_code == 200
    assert "public" not in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    again = Client().get(product.get_absolute_url())  # rendered anew, under the new version
    assert "public" in again["Cache-Control"]
