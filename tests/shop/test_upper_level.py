"""Upper level notices: a product above 250 mg/day, and a basket whose magnesium adds up above it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.apps.catalogue.models import Product

from shop.basket.models import Basket
from shop.catalogue.facts import basket_daily_dose
from shop.partner.models import Partner, StockRecord
from shop.partner.strategy import Selector
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
    # Still for sale: the notice informs, it does not take the add-to-basket form away.
    assert f'action="{reverse("basket:add", kwargs={"pk": product.pk})}"' in html


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


def _variants_of(parent_upc: str, mg: int):
    """A parent supplement carrying the magnesium facts, with two public pack sizes."""
    parent = make_supplement(upc=parent_upc, mg=mg)
    parent.stockrecords.all().delete()
    parent.structure = Product.PARENT
    parent.save()
    return [
        Product.objects.create(
            upc=f"{parent_upc}-{pack}",
            title="",
            structure=Product.CHILD,
            parent=parent,
            is_public=True,
        )
        for pack in (60, 120)
    ]


def _basket_with(*products):
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for product in products:
        StockRecord.objects.get_or_create(
            product=product,
            partner=Partner.objects.get_or_create(name="Testpartner")[0],
            defaults={"partner_sku": product.upc, "price": Decimal("9.95"), "num_in_stock": 20},
        )
        basket.add_product(product)
    return Basket.objects.get(pk=basket.pk)


def test_pack_sizes_of_one_product_count_as_one_daily_dose_of_their_parent():
    small, large = _variants_of("VAR-200", 200)
    dose = basket_daily_dose(_basket_with(small, large, make_supplement(upc="CIT-100", mg=100)))
    assert sorted(facts.elemental_mg for facts in dose.products) == [100, 200]
    assert (dose.total_mg, dose.exceeds_upper_level) == (300, True)


def test_the_dose_notice_reads_the_doses_of_all_basket_products_in_one_query(
    django_assert_num_queries,
):
    variants = _variants_of("VAR-150", 150)
    others = [make_supplement(upc=f"CIT-{i}", mg=50 + i) for i in range(3)]
    basket = _basket_with(*variants, *others, make_supplement(upc="GEEN", mg=None, forms=()))
    basket.all_lines()  # the basket page has read its lines (with products and parents)
    with django_assert_num_queries(1):
        dose = basket_daily_dose(basket)
    assert dose.total_mg == 150 + 50 + 51 + 52
