"""An order is written whole or not at all: the database failing while Oscar writes the order's
lines (OrderCreator.place_order) leaves no order, no line and no allocation, and the basket open.
The outage itself, on a real server under load, is tests/faults/test_postgres_outage.py."""

import pytest
from django.db import OperationalError
from django.urls import reverse
from oscar.apps.order.models import Line, Order
from oscar.apps.order.utils import OrderCreator

from shop.basket.models import Basket
from tests.factories import add_to_basket, checkout_to_preview, make_product, place_order

pytestmark = pytest.mark.django_db


def test_a_database_failure_between_the_order_lines_leaves_no_order(client, countries, monkeypatch):
    first = make_product(title="Magnesium Bisglycinaat", price="19.95", stock=10)
    second = make_product(title="Magnesium Citraat", price="12.50", stock=10)
    add_to_basket(client, first, 1)
    add_to_basket(client, second, 2)
    checkout_to_preview(client)
    create_line_models = OrderCreator.create_line_models
    written = []

    def fail_on_the_second_line(self, order, basket_line, extra_line_fields=None):
        if written:
            raise OperationalError("server closed the connection unexpectedly")
        written.append(create_line_models(self, order, basket_line, extra_line_fields))
        # The order and its first line are in the database when the second line fails.
        assert Order.objects.filter(pk=order.pk).exists() and order.lines.count() == 1

    monkeypatch.setattr(OrderCreator, "create_line_models", fail_on_the_second_line)

    response = place_order(client)

    assert len(written) == 1
    assert (Order.objects.count(), Line.objects.count()) == (0, 0)
    assert response.status_code == 200  # Oscar shows the preview again, with its error
    basket = Basket.objects.get()
    assert basket.status == Basket.OPEN and basket.num_lines == 2
    for product in (first, second):
        assert product.stockrecords.get().num_allocated in (None, 0)

    # Once the database answers again, the same basket becomes one whole order.
    monkeypatch.setattr(OrderCreator, "create_line_models", create_line_models)
    assert place_order(client)["Location"] == reverse("checkout:thank-you")
    order = Order.objects.get()
    assert sorted(order.lines.values_list("quantity", flat=True)) == [1, 2]
