"""A product sold out without backorder (Oscar's StockRequired) cannot be bought: refused at add,
named on the basket page with checkout sent back there, and refused at placement (issue 14).
Placement is tested in test_stock_safety.py (a locked check, "… is net uitverkocht.")."""

import pytest
from django.urls import reverse
from oscar.apps.order.models import Order

from tests.shop.builders import add_to_basket, checkout_to_preview, make_supplement, place_order

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_a_sold_out_product_is_refused_at_add_in_dutch(client):
    product = make_supplement(title="Magnesium Uitverkocht", price="9.95", stock=0)
    response = add_to_basket(client, product, 1)
    page = client.get(response["Location"])
    assert page.context["basket"].num_items == 0
    assert "geen voorraad beschikbaar" in _messages(page)


def test_a_product_sold_out_after_it_was_added_is_named_on_the_basket_page_and_not_ordered(
    client, countries
):
    product = make_supplement(title="Magnesium Bijna Op", price="9.95", stock=1)
    add_to_basket(client, product, 1)
    checkout_to_preview(client)
    product.stockrecords.update(num_in_stock=0)
    basket_page = client.get(reverse("basket:summary")).content.decode()
    assert "Magnesium Bijna Op" in basket_page
    response = client.get(reverse("checkout:preview"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("basket:summary")
    text = _messages(response)
    assert "'Magnesium Bijna Op' is niet langer beschikbaar voor verkoop" in text, text
    place_order(client)
    assert not Order.objects.exists()
