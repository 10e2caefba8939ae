"""The add's one read of the basket (Basket.for_add): the basket row under its shared lock and its
lines' quantities, the lines in the order Oscar reads them (by pk)."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from shop.basket.middleware import cookie_basket_id
from tests.factories import make_product

Basket = get_model("basket", "Basket")

pytestmark = pytest.mark.django_db


def test_for_add_orders_the_baskets_in_sql_and_the_lines_in_python():
    """The ORDER BY names the basket only (the order its row locks are taken in): one through the
    lines' join is compiled anew on every add, while sorting the few rows read costs nothing.
    The quantities still come in the lines' order."""
    products = [make_product(title=f"Zink {n}", price="5.00", stock=100) for n in range(3)]
    client = Client()
    for product in reversed(products):  # line pks in the reverse order of the product pks
        assert client.post(f"/basket/add/{product.pk}/", {"quantity": 1}).status_code == 302
    for product in products:
        assert client.post(f"/basket/add/{product.pk}/", {"quantity": 1}).status_code == 302
    request = type("Request", (), {"COOKIES": {k: v.value for k, v in client.cookies.items()}})
    basket_id = cookie_basket_id(request)

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        (basket,) = Basket.for_add(pk=basket_id, owner=None)

    (read,) = [q["sql"] for q in queries.captured_queries]
    order_by = read.rsplit("ORDER BY", 1)[1]
    assert '"basket_line"' not in order_by, order_by
    assert '"basket_basket"."id"' in order_by
    lines = basket.lines.order_by("pk")
    assert basket.quantities() == [
        (line.line_reference, line.product_id, line.quantity, line.price_currency) for line in lines
    ]
    assert [q for _ref, _pid, q, _cur in basket.quantities()] == [2, 2, 2]
    assert [pid for _ref, pid, _q, _cur in basket.quantities()] == [
        p.pk for p in reversed(products)
    ]


def test_the_add_redirects_to_its_success_url_without_reversing_it(monkeypatch):
    """Oscar's get_success_url gives a URL (the posted `next`, the Referer or the basket page's):
    the add redirects to it as it is. redirect() would first try it as a view name, a reverse()
    that fails on every add."""
    import django.shortcuts

    product = make_product(title="Selenium", price="5.00", stock=100)
    tried = []
    original = django.shortcuts.reverse

    def recording(viewname, *args, **kwargs):
        tried.append(viewname)
        return original(viewname, *args, **kwargs)

    monkeypatch.setattr(django.shortcuts, "reverse", recording)
    for headers in ({}, {"HTTP_REFERER": f"http://testserver/catalogue/x_{product.pk}/"}):
        response = Client().post(f"/basket/add/{product.pk}/", {"quantity": 1}, **headers)
        assert response.status_code == 302
    assert response["Location"] == f"http://testserver/catalogue/x_{product.pk}/"
    # Oscar's safe_referrer reverses the basket page's name when there is no Referer: a name.
    assert [name for name in tried if "/" in name] == []
    assert tried == ["basket:summary"]
