"""A voucher (or its offer) that became unusable after it was put in the basket: the basket page
and the order preview say why, in Dutch; placing the order removes it, says so, and the next
placement goes through (issue 14: the basket was stranded with a generic error)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.apps.order.models import Order
from oscar.apps.voucher.models import Voucher
from oscar.test.factories import (
    UserFactory,
    create_order,
)

from shop.basket.models import Basket
from shop.offer.models import ConditionalOffer
from tests.factories import (
    add_to_basket,
    checkout_to_preview,
    make_product,
    make_voucher,
    place_order,
)

pytestmark = pytest.mark.django_db


def _basket_with_voucher(client, voucher):
    product = make_product(title="Magnesium Citraat", price="20.00", stock=10)
    add_to_basket(client, product, 1)
    client.post(reverse("basket:vouchers-add"), {"code": voucher.code})
    assert [v.code for v in Basket.objects.get().vouchers.all()] == [voucher.code]


def _other_order():
    return create_order()


BREAKERS = {
    "al gebruikt": lambda v: v.applications.create(user=UserFactory(), order=_other_order()),
    "verlopen": lambda v: Voucher.objects.filter(pk=v.pk).update(
        end_datetime=timezone.now() - timedelta(minutes=1)
    ),
    "gepauzeerd": lambda v: ConditionalOffer.objects.filter(vouchers=v).update(
        status=ConditionalOffer.SUSPENDED
    ),
    "maximale aantal keer": lambda v: ConditionalOffer.objects.filter(vouchers=v).update(
        max_global_applications=1, num_applications=1
    ),
}


@pytest.mark.parametrize("reason", BREAKERS)
def test_an_unusable_voucher_is_named_removed_and_the_order_can_be_placed(
    client, countries, reason
):
    voucher = make_voucher()
    _basket_with_voucher(client, voucher)
    checkout_to_preview(client)
    BREAKERS[reason](voucher)

    basket_page = client.get(reverse("basket:summary")).content.decode()
    assert "Kortingscode EENMALIG" in basket_page and reason in basket_page
    preview = client.get(reverse("checkout:preview")).content.decode()
    assert "Kortingscode EENMALIG" in preview and reason in preview

    response = place_order(client)
    assert not Order.objects.filter(basket_id=Basket.objects.first().pk).exists()
    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:preview")
    page = client.get(response["Location"]).content.decode()
    assert "verwijderd" in page and reason in page
    assert Basket.objects.filter(vouchers=voucher).count() == 0

    response = place_order(client)
    assert response.status_code == 302, response.content.decode()[:3000]
    order = Order.objects.get(basket_id=Basket.objects.first().pk)
    assert order.total_incl_tax > Decimal("20.00")  # no discount: shipping on top of 20.00
    assert not order.discounts.exists()
