"""shop.perf.compiled: a queryset compiled to SQL once, run with each call's value."""

import pickle

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_class, get_model

from shop.perf.compiled import Compiled
from tests.shop.supplements import make_supplement

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")
Selector = get_class("partner.strategy", "Selector")


def _basket(*products):
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for quantity, product in enumerate(products, start=1):
        basket.add_product(product, quantity)
    return basket


def _rows(lines):
    return [
        (line.pk, line.basket_id, line.quantity, line.product.title, line.stockrecord.price)
        for line in lines
    ]


@pytest.fixture
def products():
    return [make_supplement(upc=f"MG-CQ-{i}", mg=100 + i) for i in range(3)]


def test_each_call_runs_the_sql_compiled_once_with_its_own_value(products, monkeypatch):
    one, two = _basket(*products[:2]), _basket(products[2])
    lines_of = Compiled(
        lambda basket_id: (
            Line.objects.filter(basket_id=basket_id)
            .select_related("product", "stockrecord")
            .order_by("pk")
        )
    )
    plain = [
        _rows(Line.objects.filter(basket_id=b.pk).select_related("product", "stockrecord"))
        for b in (one, two)
    ]
    assert _rows(lines_of(one.pk)) == plain[0]  # compiled here, the first time

    compiles = []
    as_sql = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler, "as_sql", lambda self, *a, **k: compiles.append(1) or as_sql(self, *a, **k)
    )
    with CaptureQueriesContext(connection) as queries:
        assert _rows(lines_of(two.pk)) == plain[1]
        assert _rows(lines_of(one.pk)) == plain[0]
        assert list(lines_of(-1)) == []
    assert compiles == []  # not compiled again
    list(Line.objects.filter(basket_id=one.pk))
    assert compiles == [1]  # (a plain queryset is, every time)
    assert len(queries) == 3
    assert len(plain[0]) == 2 and len(plain[1]) == 1


def test_a_queryset_derived_from_it_is_compiled_as_usual(products):
    basket = _basket(*products)
    lines_of = Compiled(lambda basket_id: Line.objects.filter(basket_id=basket_id).order_by("pk"))
    lines_of(basket.pk)  # compiled
    derived = lines_of(basket.pk).filter(quantity__gte=2)
    assert [line.quantity for line in derived] == [2, 3]
    assert lines_of(basket.pk).count() == 3
    assert [line.quantity for line in lines_of(basket.pk).order_by("-pk")] == [3, 2, 1]


def test_an_evaluated_queryset_pickles_without_its_compiler(products):
    basket = _basket(products[0])
    lines_of = Compiled(lambda basket_id: Line.objects.filter(basket_id=basket_id))
    lines = lines_of(basket.pk)
    list(lines)
    copy = pickle.loads(pickle.dumps(lines))
    assert [line.pk for line in copy] == [line.pk for line in lines]
    assert [line.pk for line in copy.filter(pk__gt=0)] == [line.pk for line in lines]


def test_a_queryset_that_does_not_use_the_value_is_refused():
    with pytest.raises(ValueError, match="does not use the value"):
        Compiled(lambda value: Line.objects.all())(1)


def test_the_basket_reads_its_lines_with_the_compiled_query(products):
    basket = _basket(*products)
    read = Basket.objects.get(pk=basket.pk)
    with CaptureQueriesContext(connection) as queries:
        lines = read.all_lines()
        assert [(line.product_id, line.quantity) for line in lines] == [
            (product.pk, quantity) for quantity, product in enumerate(products, start=1)
        ]
        cookie_basket = Basket.open_anonymous_with_lines(str(basket.pk))
        assert [line.pk for line in cookie_basket.all_lines()] == [line.pk for line in lines]
        assert Basket.open_anonymous_with_lines("not a number") is None
        assert Basket.open_anonymous_with_lines(basket.pk + 1000) is None
    # lines (+ their images), the cookie basket's lines (+ images), no lines and no basket row
    assert len(queries) == 6
