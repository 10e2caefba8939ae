"""A product sold out without backorder (Oscar's StockRequired) cannot be bought: refused at add,
named on the basket page with checkout sent back there, and refused at placement (issue 14).
Placement is tested in test_stock_safety.py (a locked check, "… is net uitverkocht.")."""

import html

import pytest
from django.urls import reverse
from oscar.apps.order.models import Order

from tests.factories import add_to_basket, checkout_to_preview, make_product, place_order

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_a_sold_out_product_is_refused_at_add_in_dutch(client):
    product = make_product(title="Magnesium Uitverkocht", price="9.95", stock=0)
    response = add_to_basket(client, product, 1)
    page = client.get(response["Location"])
    assert page.context["basket"].num_items == 0
    assert "geen voorraad beschikbaar" in _messages(page)


def test_a_product_sold_out_after_it_was_added_is_named_on_the_basket_page_and_not_ordered(
    client, countries
):
    product = make_product(title="Magnesium Bijna Op", price="9.95", stock=1)
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


# --- The basket page names what the checkout would refuse (issue 14): a line whose product sold
# out, or has less stock left than the line's quantity, after it was added.

CHECKOUT_REFUSAL = (
    "'{title}' is niet langer beschikbaar voor verkoop ({reason}). "
    "Wijzig je winkelmandje om verder te gaan"
)


def _basket_warnings(client) -> list[str]:
    page = client.get(reverse("basket:summary"))
    assert page.status_code == 200
    return [
        html.unescape(" ".join(alert.split()))
        for alert in page.content.decode().split(
            '<div class="alert alert-warning basket-line-refused"'
        )[1:]
    ]


def test_the_basket_page_warns_per_line_that_sold_out_after_it_was_added_as_checkout_does(
    client, countries
):
    sold_out = make_product(title="Magnesium Op", price="9.95", stock=2)
    too_few = make_product(title="Magnesium Weinig", price="9.95", stock=5)
    fine = make_product(title="Magnesium Genoeg", price="9.95", stock=5)
    add_to_basket(client, sold_out, 1)
    add_to_basket(client, too_few, 3)
    add_to_basket(client, fine, 1)
    assert _basket_warnings(client) == []
    sold_out.stockrecords.update(num_in_stock=0)
    too_few.stockrecords.update(num_in_stock=2)

    warnings = _basket_warnings(client)

    expected = [
        CHECKOUT_REFUSAL.format(title="Magnesium Op", reason="geen voorraad beschikbaar"),
        CHECKOUT_REFUSAL.format(
            title="Magnesium Weinig", reason="er kunnen maximaal 2 gekocht worden"
        ),
    ]
    assert len(warnings) == 2
    for warning, text in zip(warnings, expected, strict=True):
        assert text in warning
    checkout_to_preview(client)
    response = client.get(reverse("checkout:preview"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("basket:summary")
    refused = [str(m) for m in response.context["messages"]]
    for text in expected:
        assert text in refused
    place_order(client)
    assert not Order.objects.exists()


def test_a_line_taken_offline_gets_one_warning_on_the_basket_page(client):
    product = make_product(title="Magnesium Offline", price="9.95", stock=5)
    add_to_basket(client, product, 1)
    product.is_public = False
    product.save()

    html = " ".join(client.get(reverse("basket:summary")).content.decode().split())

    assert html.count("Magnesium Offline&#x27; is niet meer te koop") == 1
    assert "basket-line-refused" not in html  # Oscar's own warning names it already


def test_the_warning_also_shows_when_the_basket_content_is_cached(client, settings):
    settings.SHOP_PAGE_CACHE_SECONDS = 600  # the anonymous basket content is kept (shop.basket)
    product = make_product(title="Magnesium Cache", price="9.95", stock=1)
    add_to_basket(client, product, 1)
    assert _basket_warnings(client) == []
    stockrecord = product.stockrecords.get()
    stockrecord.num_in_stock = 0
    stockrecord.save()  # as the dashboard does: a stock write moves the catalogue version

    warnings = _basket_warnings(client)

    assert len(warnings) == 1 and "'Magnesium Cache' is niet langer beschikbaar" in warnings[0]
