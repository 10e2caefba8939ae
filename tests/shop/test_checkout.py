"""Guest and account checkout through Oscar's real views, with Dutch btw, shipping and payment."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from oscar.apps.order.models import Order
from oscar.test.factories import UserFactory

from shop.checkout.forms import ShippingAddressForm
from tests.factories import (
    ADDRESS,
    add_to_basket,
    checkout_to_preview,
    make_product,
    place_order,
)

NBSP = "\xa0"


def euro(amount: str) -> str:
    """How the currency filter renders an amount for nl: '€ 19,95' with a no-break space."""
    return f"€{NBSP}{amount}"


pytestmark = pytest.mark.django_db


def test_guest_bank_transfer_order_totals_shipping_and_btw_are_right_to_the_cent(client, countries):
    product = make_product(title="Magnesium Bisglycinaat 200 mg", price="19.95", stock=10)
    add_to_basket(client, product, 2)
    basket_page = client.get(reverse("basket:summary"))
    assert euro("39,90") in basket_page.content.decode()
    assert "waarvan btw" in basket_page.content.decode()

    checkout_to_preview(client)
    preview = client.get(reverse("checkout:preview"))
    html = preview.content.decode()
    # 2 × € 19,95 = € 39,90 < € 40, so standard shipping costs € 4,95.
    assert euro("44,85") in html
    # btw per unit: 19,95 × 9/109 = 1,647 → 1,65; shipping 4,95 × 9/109 = 0,409 → 0,41.
    assert euro("3,71") in html
    assert "Bankoverschrijving" in html

    response = place_order(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:thank-you")

    order = Order.objects.get()
    assert order.total_incl_tax == Decimal("44.85")
    assert order.shipping_incl_tax == Decimal("4.95")
    assert order.shipping_code == "standaard"
    assert order.basket_total_incl_tax == Decimal("39.90")
    assert order.total_tax == Decimal("3.71")
    assert order.total_excl_tax == Decimal("41.14")
    line = order.lines.get()
    assert (line.quantity, line.unit_price_incl_tax) == (2, Decimal("19.95"))
    assert order.guest_email == "klant@example.nl"
    assert order.shipping_address.postcode == "3511 AB"
    assert order.status == settings.ORDER_STATUS_AWAITING_PAYMENT
    source = order.sources.get()
    assert source.source_type.name == "Bankoverschrijving"
    assert source.amount_allocated == Decimal("0.00")
    assert source.reference == order.number
    product.stockrecords.get().refresh_from_db()
    assert product.stockrecords.get().num_allocated == 2


def test_bank_transfer_thank_you_page_and_email_show_amount_iban_and_order_number(
    client, countries
):
    product = make_product(title="Magnesium Citraat 150 mg", price="19.95", stock=10)
    add_to_basket(client, product, 2)
    checkout_to_preview(client)
    place_order(client)
    order = Order.objects.get()

    page = client.get(reverse("checkout:thank-you")).content.decode()
    assert "bank_transfer_instructions" in page
    assert euro("44,85") in page
    assert settings.SHOP_IBAN in page
    assert settings.SHOP_ACCOUNT_HOLDER in page
    assert f'Betalingskenmerk</dt><dd class="col-sm-7">{order.number}' in page
    assert "waarvan btw" in page and euro("3,71") in page
    # Nothing is allocated until the transfer arrives: the page says what is due, not
    # Oscar's "Toewijzing van € 0,00".
    assert "Toewijzing" not in page
    assert f"{euro('44,85')}</strong> nog te ontvangen, met betalingskenmerk {order.number}" in page

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["klant@example.nl"]
    assert message.subject == f"Bevestiging van je bestelling {order.number}"
    for body in (message.body, message.alternatives[0][0]):
        assert "Magnesium Citraat 150 mg" in body
        assert euro("44,85") in body
        assert euro("4,95") in body  # shipping
        assert euro("3,71") in body  # btw
        assert settings.SHOP_IBAN in body
        assert f"Betalingskenmerk: {order.number}" in body
    assert "waarvan btw" in message.body


def test_basket_of_40_euro_or_more_ships_free(client, countries):
    product = make_product(title="Magnesium L-threonaat", price="20.00", stock=10)
    add_to_basket(client, product, 2)
    checkout_to_preview(client)
    place_order(client)

    order = Order.objects.get()
    assert order.shipping_incl_tax == Decimal("0.00")
    assert order.total_incl_tax == Decimal("40.00")
    # 20,00 × 9/109 = 1,651 → 1,65 per unit; no shipping btw.
    assert order.total_tax == Decimal("3.30")


def test_pickup_is_offered_and_free(client, countries):
    product = make_product(title="Magnesium Malaat", price="12.50", stock=10)
    add_to_basket(client, product, 1)
    client.post(reverse("checkout:index"), {"username": "a@example.nl", "options": "anonymous"})
    address_page = client.get(reverse("checkout:shipping-address")).content.decode()
    for label in ("Straat en huisnummer", "Postcode", "Plaats", "Telefoonnummer (optioneel)"):
        assert label in address_page
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    page = client.get(reverse("checkout:shipping-method")).content.decode()
    assert "Standaard" in page and "Ophalen" in page

    client.post(reverse("checkout:shipping-method"), {"method_code": "ophalen"})
    client.post(reverse("checkout:payment-method"), {"method": "bankoverschrijving"})
    place_order(client)

    order = Order.objects.get()
    assert (order.shipping_code, order.shipping_incl_tax) == ("ophalen", Decimal("0.00"))
    assert order.total_incl_tax == Decimal("12.50")


def test_the_demo_card_is_gone_from_the_checkout(client, countries):
    # Issue 18: real card payments go through Mollie (tests/shop/test_mollie.py).
    product = make_product(title="Magnesium Tauraat", price="19.95", stock=10)
    add_to_basket(client, product, 1)
    checkout_to_preview(client)

    page = client.get(reverse("checkout:payment-method")).content.decode()
    refused = client.post(reverse("checkout:payment-method"), {"method": "demo-betaalkaart"})

    assert "Demo-betaalkaart" not in page
    assert "Kies een van de getoonde betaalmethoden." in refused.content.decode()


def test_account_checkout_places_an_order_for_the_user(client, countries):
    user = UserFactory(email="lid@example.nl")
    client.force_login(user)
    product = make_product(title="Magnesium Bisglycinaat 100 mg", price="19.95", stock=5)
    add_to_basket(client, product, 1)
    assert client.get(reverse("checkout:index")).status_code == 302
    checkout_to_preview(client, email=None)
    response = place_order(client)

    assert response.status_code == 302
    order = Order.objects.get()
    assert order.user == user
    assert order.total_incl_tax == Decimal("24.90")
    assert mail.outbox[0].to == ["lid@example.nl"]
    assert user.addresses.get().postcode == "3511 AB"


def test_staff_marks_a_bank_transfer_order_paid_in_the_dashboard(client, countries):
    product = make_product(title="Magnesium Citraat 150 mg", price="19.95", stock=5)
    add_to_basket(client, product, 1)
    checkout_to_preview(client)
    place_order(client)
    order = Order.objects.get()
    assert order.status == settings.ORDER_STATUS_AWAITING_PAYMENT

    staff = UserFactory(is_staff=True)
    # Oscar 4.2's order dashboard checks model permissions, not just is_staff.
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="order", codename__in=["view_order", "change_order"]
        )
    )
    client.force_login(staff)
    response = client.post(
        reverse("dashboard:order-detail", kwargs={"number": order.number}),
        {"order_action": "change_order_status", "new_status": settings.ORDER_STATUS_PAID},
    )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PAID
    assert set(order.lines.values_list("status", flat=True)) == {settings.ORDER_STATUS_PAID}
    assert order.status_changes.get().new_status == settings.ORDER_STATUS_PAID


@pytest.mark.parametrize(
    ("country", "entered", "stored"),
    [("NL", "1234ab", "1234 AB"), ("NL", " 1234  AB ", "1234 AB"), ("BE", "2000", "2000")],
)
def test_address_form_accepts_and_normalises_dutch_and_belgian_postcodes(
    countries, country, entered, stored
):
    form = ShippingAddressForm(data={**ADDRESS, "country": country, "postcode": entered})

    assert form.is_valid(), form.errors
    assert form.instance.postcode == stored


def test_a_product_taken_offline_after_it_was_added_cannot_be_ordered(client, countries):
    product = make_product(title="Magnesium Offline", price="19.95", stock=10)
    add_to_basket(client, product, 1)
    product.is_public = False
    product.save()
    basket_page = client.get(reverse("basket:summary")).content.decode()
    assert "Magnesium Offline" in basket_page
    assert "&#x27;Magnesium Offline&#x27; is niet meer te koop" in basket_page
    # Oscar's checkout checks the basket first: back to the basket, with the same warning.
    response = client.get(reverse("checkout:preview"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("basket:summary")
    assert "is niet meer te koop" in response.content.decode()
    assert not Order.objects.exists()
    place_order(client)
    assert not Order.objects.exists()
