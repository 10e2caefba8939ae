"""Upper level notices: a product above 250 mg/day, and a basket whose magnesium adds up above it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_supplement

pytestmark = pytest.mark.django_db

NOTICE = "basket-magnesium-notice"


def add_to_basket(client, product, quantity=1):
    url = reverse("basket:add", kwargs={"pk": product.pk})
    response = client.post(url, {"quantity": quantity})
    assert response.status_code == 302


def test_product_above_the_upper_level_shows_a_notice(client):
    product = make_supplement(upc="OXI-400", mg=400, forms=("oxide",))
    html = client.get(product.get_absolute_url()).content.decode()
    assert "upper-level-notice" in html
    assert "deze dagdosering ligt boven de bovengrens" in html
    assert "250 mg per dag" in html
    assert 'name="quantity"' in html or "add_to_basket" in html  # still for sale


def test_product_at_the_upper_level_shows_no_notice(client):
    product = make_supplement(upc="CIT-250", mg=250)
    assert "upper-level-notice" not in client.get(product.get_absolute_url()).content.decode()


def test_basket_with_two_products_of_150_mg_shows_the_notice_and_allows_checkout(client):
    add_to_basket(client, make_supplement(upc="CIT-150", mg=150))
    add_to_basket(client, make_supplement(upc="MAL-150", mg=150, forms=("malaat",)))
    response = client.get(reverse("basket:summary"))
    html = response.content.decode()
    assert NOTICE in html
    assert "samen 300 mg magnesium per dag" in html
    assert reverse("checkout:index") in html  # informs, never blocks


def test_basket_with_100_mg_shows_no_notice(client):
    add_to_basket(client, make_supplement(upc="BIS-100", mg=100, forms=("bisglycinaat",)), 3)
    html = client.get(reverse("basket:summary")).content.decode()
    assert "Testsupplement BIS-100" in html
    assert NOTICE not in html


def test_several_packs_of_one_product_count_as_one_daily_dose(client):
    add_to_basket(client, make_supplement(upc="CIT-200", mg=200), quantity=2)
    assert NOTICE not in client.get(reverse("basket:summary")).content.decode()
