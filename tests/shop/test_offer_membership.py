"""Range membership for offers (shop.offer.membership) answers exactly as Oscar's
Range.contains_product, for every kind of range, in one query for all ranges and products."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.apps.catalogue.models import Product, ProductCategory, ProductClass
from oscar.apps.offer.abstract_models import AbstractRange

from shop.offer import membership
from shop.offer.models import Range
from shop.partner.models import Partner, StockRecord

pytestmark = pytest.mark.django_db


def _product(title, product_class=None, *, parent=None, categories=()):
    product = Product.objects.create(
        title=title,
        upc=title,
        product_class=None if parent else product_class,
        parent=parent,
        structure=Product.CHILD if parent else Product.STANDALONE,
    )
    for category in categories:
        ProductCategory.objects.create(product=product, category=category)
    partner, _ = Partner.objects.get_or_create(name="Testpartner")
    StockRecord.objects.create(
        product=product, partner=partner, partner_sku=title, price=Decimal(9)
    )
    return product


@pytest.fixture
def catalogue():
    supplement = ProductClass.objects.create(name="Accessoire")
    book = ProductClass.objects.create(name="Boek")
    magnesium = create_from_breadcrumbs("Magnesium")
    citrate = create_from_breadcrumbs("Magnesium > Citraat")
    other = create_from_breadcrumbs("Vitamines")
    products = {
        "in-magnesium": _product("in-magnesium", supplement, categories=[magnesium]),
        "in-citrate": _product("in-citrate", supplement, categories=[citrate]),
        "in-other": _product("in-other", supplement, categories=[other]),
        "book": _product("book", book),
        "nowhere": _product("nowhere", supplement),
    }
    parent = Product.objects.create(
        title="parent", upc="parent", product_class=supplement, structure=Product.PARENT
    )
    ProductCategory.objects.create(product=parent, category=citrate)
    products["parent"] = parent
    products["child-a"] = _product("child-a", parent=parent)
    products["child-b"] = _product("child-b", parent=parent)
    return {"products": products, "magnesium": magnesium, "citrate": citrate, "book": book}


def _ranges(catalogue):
    p = catalogue["products"]
    by_category = Range.objects.create(name="Magnesium")
    by_category.included_categories.add(catalogue["magnesium"])
    by_product = Range.objects.create(name="Losse producten")
    by_product.included_products.add(p["in-other"], p["parent"])
    by_class = Range.objects.create(name="Boeken")
    by_class.classes.add(catalogue["book"])
    all_but = Range.objects.create(name="Alles behalve", includes_all_products=True)
    all_but.excluded_products.add(p["book"])
    all_but.excluded_categories.add(catalogue["citrate"])
    category_minus = Range.objects.create(name="Magnesium zonder ouder")
    category_minus.included_categories.add(catalogue["magnesium"])
    category_minus.excluded_products.add(p["parent"], p["in-magnesium"])
    everything = Range.objects.create(name="Alles", includes_all_products=True)
    nothing = Range.objects.create(name="Leeg")
    return [by_category, by_product, by_class, all_but, category_minus, everything, nothing]


def test_membership_matches_oscars_contains_product_for_every_kind_of_range(catalogue):
    ranges = _ranges(catalogue)
    products = list(catalogue["products"].values())
    with CaptureQueriesContext(connection) as ctx:
        found = membership.find(ranges, [p.pk for p in products])
    assert len(ctx.captured_queries) == 1
    expected = {
        (r.pk, p.pk): AbstractRange.contains_product(Range.objects.get(pk=r.pk), p)
        for r in ranges
        for p in products
    }
    assert found == expected
    # The rule was exercised both ways for each kind of range (no vacuous equality).
    for r in ranges[:-2]:
        assert {found[(r.pk, p.pk)] for p in products} == {True, False}, r.name
    assert all(found[(ranges[-2].pk, p.pk)] for p in products)
    assert not any(found[(ranges[-1].pk, p.pk)] for p in products)


def test_children_follow_their_parent(catalogue):
    """A variant is in a range through its parent (category, inclusion) and out of it when its
    parent is excluded."""
    ranges = _ranges(catalogue)
    p = catalogue["products"]
    found = membership.find(ranges, [p["child-a"].pk])
    by_category, by_product, _by_class, all_but, category_minus, *_ = ranges
    assert found[(by_category.pk, p["child-a"].pk)] is True  # parent in Magnesium > Citraat
    assert found[(by_product.pk, p["child-a"].pk)] is True  # parent included
    assert found[(all_but.pk, p["child-a"].pk)] is False  # parent in an excluded category
    assert found[(category_minus.pk, p["child-a"].pk)] is False  # parent excluded


def test_a_range_answers_from_what_was_found_for_the_basket(catalogue):
    """Range.contains_product answers from what prime() found for the basket's products without
    a query, and about any other product with one."""
    by_category = _ranges(catalogue)[0]
    p = catalogue["products"]
    membership.prime([by_category], {p["in-magnesium"].pk, p["book"].pk})
    with CaptureQueriesContext(connection) as ctx:
        assert by_category.contains_product(p["in-magnesium"]) is True
        assert by_category.contains_product(p["book"]) is False
    assert ctx.captured_queries == []
    with CaptureQueriesContext(connection) as ctx:
        assert by_category.contains_product(p["in-citrate"]) is True
    assert len(ctx.captured_queries) == 1
