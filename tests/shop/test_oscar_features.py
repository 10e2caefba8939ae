"""Stock Oscar features stay on and work in our shop: offers, vouchers, reviews, wishlists,
stock alerts and the customer's order history."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.apps.catalogue.models import Product
from oscar.apps.catalogue.reviews.models import ProductReview
from oscar.apps.customer.models import ProductAlert
from oscar.apps.order.models import Order
from oscar.apps.wishlists.models import Line as WishListLine
from oscar.test.factories import create_order

from shop import demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    demo.load_catalogue()
    demo.load_offers()


@pytest.fixture
def customer(client):
    user = get_user_model().objects.create_user(
        username="klant", email="klant@example.nl", password="een-goed-wachtwoord"
    )
    client.force_login(user)
    return user


def add(client, upc, quantity=1):
    product = Product.objects.get(upc=upc)
    response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})
    assert response.status_code == 302
    return product


def basket_context(client):
    response = client.get(reverse("basket:summary"))
    assert response.status_code == 200
    return response.context["basket"]


def test_site_offer_takes_5_percent_off_three_magnesium_products(client, catalogue):
    add(client, "MG-BIS-200")  # 22.95
    add(client, "MG-CIT-150")  # 9.95
    assert basket_context(client).total_discount == Decimal("0.00")
    add(client, "MG-OXI-400")  # 7.95
    basket = basket_context(client)
    # 5% of 22.95 + 9.95 + 7.95 = 40.85 → 2.04 (Oscar rounds each line's share).
    assert basket.total_discount == Decimal("2.04")
    assert basket.total_incl_tax == Decimal("38.81")
    assert "5% korting vanaf 3 magnesiumproducten" in [d["name"] for d in basket.offer_discounts]


def test_voucher_welkom10_takes_10_percent_off(client, catalogue):
    add(client, "MG-BIS-200", quantity=2)  # 45.90
    response = client.post(reverse("basket:vouchers-add"), {"code": "welkom10"}, follow=True)
    assert response.status_code == 200
    basket = basket_context(client)
    assert [v.code for v in basket.vouchers.all()] == ["WELKOM10"]
    assert basket.total_discount == Decimal("4.59")
    assert basket.total_incl_tax == Decimal("41.31")


def test_customer_writes_a_review_that_waits_for_moderation(client, catalogue, customer):
    product = Product.objects.get(upc="MG-MAL-150")
    url = reverse(
        "catalogue:reviews-add",
        kwargs={"product_slug": product.slug, "product_pk": product.pk},
    )
    response = client.post(
        url, {"title": "Fijne capsules", "score": 4, "body": "Makkelijk in te nemen."}
    )
    assert response.status_code == 302
    review = ProductReview.objects.get(product=product)
    assert review.user == customer
    assert review.status == ProductReview.FOR_MODERATION


def test_customer_keeps_a_wishlist(client, catalogue, customer):
    product = Product.objects.get(upc="MG-THR-144")
    response = client.post(
        reverse("customer:wishlists-add-product", kwargs={"product_pk": product.pk})
    )
    assert response.status_code == 302
    assert WishListLine.objects.filter(wishlist__owner=customer, product=product).exists()
    assert client.get(reverse("customer:wishlists-list")).status_code == 200


def test_visitor_asks_for_a_stock_alert_on_a_sold_out_product(client, catalogue):
    product = Product.objects.get(upc="MG-TAU-125")
    record = product.stockrecords.get()
    record.num_in_stock = 0
    record.save()
    response = client.post(
        reverse("customer:alert-create", kwargs={"pk": product.pk}),
        {"email": "wachtend@example.nl"},
    )
    assert response.status_code == 302
    alert = ProductAlert.objects.get(product=product)
    assert alert.email == "wachtend@example.nl"


def test_customer_sees_order_history(client, catalogue, customer):
    order = create_order(user=customer)
    response = client.get(reverse("customer:order-list"))
    assert response.status_code == 200
    assert str(order.number) in response.content.decode()
    detail = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    assert detail.status_code == 200
    assert Order.objects.filter(user=customer).count() == 1


def test_back_in_stock_mails_the_customer_with_an_active_alert(
    client, catalogue, customer, mailoutbox
):
    product = Product.objects.get(upc="MG-TAU-125")
    record = product.stockrecords.get()
    record.num_in_stock = 0
    record.save()
    ProductAlert.objects.create(product=product, user=customer, status=ProductAlert.ACTIVE)
    mailoutbox.clear()
    record.num_in_stock = 10
    record.save()
    assert [m.to for m in mailoutbox] == [[customer.email]]
    assert product.title in mailoutbox[0].subject + mailoutbox[0].body
