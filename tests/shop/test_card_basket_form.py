"""A product card's add-to-basket form (templates/oscar/catalogue/partials/
add_to_basket_form_compact.html): its fields are rendered once per page and reused by every card
of a product without options (shop.basket.templatetags.basket_card_tags), as Oscar renders them
per card."""

from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.serializers import JSONSerializer
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from oscar.core.loading import get_class, get_model
from oscar.templatetags.basket_tags import basket_form

from shop.basket.templatetags import basket_card_tags
from tests.factories import make_supplement

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")


@pytest.fixture
def supplements():
    return [make_supplement(upc=f"MG-CARD-{i}", title=f"Kaartmagnesium {i}") for i in range(3)]


def card_request(session=None):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.session = session or {}
    request.strategy = Selector().strategy(request=request)
    request.basket = Basket()
    request.basket.strategy = request.strategy
    return request


def card_form(request, product) -> str:
    return render_to_string(
        "oscar/catalogue/partials/add_to_basket_form_compact.html",
        {"product": product, "request": request},
    )


def test_a_listing_renders_the_cards_form_fields_once(supplements):
    with mock.patch.object(
        basket_card_tags, "basket_form", wraps=basket_card_tags.basket_form
    ) as built:
        html = Client().get("/catalogue/").content.decode()

    assert built.call_count == 1
    fields = basket_form(card_request(), supplements[0], "single").as_p()
    assert html.count(fields) == 3
    for product in supplements:
        assert f'<form action="/basket/add/{product.pk}/" method="post">' in html


def test_each_card_has_the_fields_oscar_renders_for_its_product(supplements):
    request = card_request()

    for product in supplements:
        expected = basket_form(card_request(), product, "single").as_p()
        assert expected in card_form(request, product)


def test_a_visitors_refused_post_is_shown_in_its_own_cards_form(supplements):
    first, refused, last = supplements
    key = f"add_to_basket_form_post_data_{refused.pk}"
    post = JSONSerializer().dumps({"quantity": "veel"}).decode("latin-1")
    request = card_request({key: post})
    plain = basket_form(card_request(), first, "single").as_p()

    cards = [card_form(request, product) for product in supplements]

    assert plain in cards[0] and plain in cards[2]
    assert plain not in cards[1]
    assert 'value="veel"' in cards[1]
    assert key not in request.session  # Oscar's tag took it, as it does per card
