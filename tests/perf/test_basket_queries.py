"""Basket page and add-to-basket with lines and a site offer on a range: range membership, stock
records and the upper-level notice's attribute values are read once per request, not per line
and per offer check."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.apps.catalogue.models import ProductCategory

from shop.offer.models import Benefit, Condition, ConditionalOffer, Range
from tests.shop.supplements import make_supplement

pytestmark = pytest.mark.django_db

# Measured cold counts (cache cleared) with the savepoint pair of ATOMIC_REQUESTS included, by
# number of lines (one unit each). Before round 3 one line cost 33 (page) and 49 (add) and every
# line and offer check added 7 range queries. Now the offer condition reads its range once for
# all lines; what still grows per line is Oscar's product-class read for the shipping check
# (Basket.is_shipping_required, 1 per line) and, once 3 units earn the discount, Oscar's
# Benefit.get_applicable_lines, which rebuilds the range and asks per line (not fixed here).
# Adding to a 2-line basket makes 3 units, so that add already applies the benefit.
BASKET_PAGE_BUDGET = {1: 26, 2: 27, 3: 36}
ADD_BUDGET = {1: 32, 2: 41, 3: 55}


def _shop(lines: int) -> tuple[Client, list]:
    category = create_from_breadcrumbs("Magnesium")
    products = [make_supplement(upc=f"MG-BQ-{i}", mg=100) for i in range(4)]
    for product in products:
        ProductCategory.objects.create(product=product, category=category)
    collection = Range.objects.create(name="Magnesium-collectie", is_public=True)
    collection.included_categories.add(category)
    ConditionalOffer.objects.create(
        name="5% korting vanaf 3 magnesiumproducten",
        offer_type=ConditionalOffer.SITE,
        status=ConditionalOffer.OPEN,
        condition=Condition.objects.create(range=collection, type=Condition.COUNT, value=3),
        benefit=Benefit.objects.create(
            range=collection, type=Benefit.PERCENTAGE, value=Decimal("5.00")
        ),
    )
    shopper = Client()
    for product in products[:lines]:
        response = shopper.post(f"/basket/add/{product.pk}/", {"quantity": 1})
        assert response.status_code == 302
    assert shopper.get("/basket/").status_code == 200  # thumbnails made once, not per count
    return shopper, products


def _count(client: Client, method: str, url: str, **data) -> tuple[int, object]:
    """Queries of one cold request, leaving out sorl-thumbnail's key-value store: a cleared
    cache makes it look each line's packshot thumbnail up (and write it) again, which is the
    image cache's business, not the basket's."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data)
    sql = [q["sql"] for q in ctx.captured_queries]
    thumbnail_writes = sum(1 for s in sql if s.startswith('INSERT INTO "thumbnail_kvstore"'))
    # Each thumbnail write sits in its own savepoint pair.
    return len([s for s in sql if "thumbnail_kvstore" not in s]) - 2 * thumbnail_writes, response


@pytest.mark.parametrize("lines", [1, 2, 3])
def test_basket_page_query_count_by_number_of_lines(lines):
    shopper, _products = _shop(lines)
    queries, response = _count(shopper, "get", "/basket/")
    print(f"\nbasket page, {lines} line(s): {queries} queries")
    assert response.status_code == 200
    # The offer really was evaluated: 3 magnesium products earn the discount, 1 gets the upsell.
    assert response.context["basket"].num_lines == lines
    assert bool(response.context["basket"].offer_discounts) == (lines == 3)
    assert queries == BASKET_PAGE_BUDGET[lines]


@pytest.mark.parametrize("lines", [1, 2, 3])
def test_add_to_basket_query_count_by_number_of_lines(lines):
    shopper, products = _shop(lines)
    queries, response = _count(
        shopper, "post", f"/basket/add/{products[lines - 1].pk}/", quantity=1
    )
    print(f"\nadd to a basket of {lines} line(s): {queries} queries")
    assert response.status_code == 302
    assert queries == ADD_BUDGET[lines]
