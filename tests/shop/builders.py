"""Builders for checkout tests: products with stock and a walk through the real checkout views."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import ConditionalOfferFactory, RangeFactory, create_product

ADDRESS = {
    "first_name": "Anna",
    "last_name": "de Vries",
    "line1": "Oudegracht 12",
    "line2": "",
    "postcode": "3511ab",
    "line4": "Utrecht",
    "country": "NL",
    "phone_number": "",
    "notes": "",
}


def ensure_countries() -> None:
    """NL and BE as shipping countries (transactional tests flush the migration's rows)."""
    from oscar.apps.address.models import Country

    for code, code3, num, name, printable in (
        ("NL", "NLD", "528", "Netherlands", "Nederland"),
        ("BE", "BEL", "056", "Belgium", "België"),
    ):
        Country.objects.update_or_create(
            iso_3166_1_a2=code,
            defaults={
                "iso_3166_1_a3": code3,
                "iso_3166_1_numeric": num,
                "name": name,
                "printable_name": printable,
                "is_shipping_country": True,
            },
        )


def make_supplement(*, title: str, price: str, stock: int, upc: str | None = None):
    """A stock-tracked product with one stock record at a price incl. btw.

    Its own product class keeps these checkout tests independent of the supplement label rules.
    """
    return create_product(
        title=title,
        upc=upc,
        product_class="Checkout-testproduct",
        price=Decimal(price),
        num_in_stock=stock,
        partner_name="Magnesiumwinkel",
    )


def add_to_basket(client, product, quantity: int = 1):
    return client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})


def checkout_to_preview(
    client,
    *,
    email: str | None = "klant@example.nl",
    address: dict | None = None,
    shipping: str = "standaard",
    payment: str = "bankoverschrijving",
):
    """Walk gateway, address, shipping method and payment method; return the last response."""
    if email is not None:
        response = client.post(
            reverse("checkout:index"), {"username": email, "options": "anonymous"}
        )
        assert response.status_code == 302, response.content[:2000]
    response = client.post(reverse("checkout:shipping-address"), address or ADDRESS)
    assert response.status_code == 302, response.content[:3000]
    response = client.post(reverse("checkout:shipping-method"), {"method_code": shipping})
    assert response.status_code == 302, response.content[:3000]
    response = client.post(reverse("checkout:payment-method"), {"method": payment})
    assert response.status_code == 302, response.content[:3000]
    return response


def place_order(client, **card):
    """Post "place order" from the preview page (with the demo card number if given)."""
    return client.post(reverse("checkout:preview"), {"action": "place_order", **card})


def make_voucher(code: str = "EENMALIG", usage: str | None = None):
    """A voucher valid from yesterday for a month, giving 10% off everything (single use unless
    `usage` says otherwise)."""
    Voucher = get_model("voucher", "Voucher")
    ConditionalOffer = get_model("offer", "ConditionalOffer")
    Condition = get_model("offer", "Condition")
    Benefit = get_model("offer", "Benefit")
    everything = RangeFactory(includes_all_products=True)
    offer = ConditionalOfferFactory(
        offer_type=ConditionalOffer.VOUCHER,
        condition=Condition.objects.create(range=everything, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(range=everything, type=Benefit.PERCENTAGE, value=10),
    )
    voucher = Voucher.objects.create(
        name=code,
        code=code,
        usage=usage or Voucher.SINGLE_USE,
        start_datetime=timezone.now() - timedelta(days=1),
        end_datetime=timezone.now() + timedelta(days=30),
    )
    voucher.offers.add(offer)
    return voucher
