"""Bad input on basket, voucher, address and checkout forms: a clear Dutch message, nothing
changed, never a 500."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.apps.order.models import Order
from oscar.apps.voucher.models import Voucher
from oscar.test.factories import ProductFactory, VoucherFactory, create_product

from tests.factories import ADDRESS, add_to_basket, make_product

pytestmark = pytest.mark.django_db


def _address(**changes):
    return {**ADDRESS, **changes}


def _basket_line_form(client, quantity):
    basket = client.get(reverse("basket:summary")).context["basket"]
    line = basket.all_lines()[0]
    return {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(line.id),
        "form-0-quantity": quantity,
    }


# (stage reached first, url name, POST data or a callable building it, expected Dutch text)
CASES = {
    "add-quantity-0": ("basket", "add", {"quantity": "0"}, "minstens 1"),
    "add-quantity-negative": ("basket", "add", {"quantity": "-3"}, "minstens 1"),
    "add-quantity-huge": ("basket", "add", {"quantity": str(10**9)}, "niet meer dan 10000 items"),
    "add-quantity-letters": ("basket", "add", {"quantity": "twee"}, "Voer een geheel getal in"),
    "add-tampered-child-id": (
        "basket",
        "add-parent",
        {"quantity": "1", "child_id": "999999"},
        "Selecteer een geldige keuze",
    ),
    "gateway-missing-email": (
        "basket",
        "checkout:index",
        {"username": "", "options": "anonymous"},
        "Dit veld is verplicht",
    ),
    "line-quantity-negative": (
        "basket",
        "basket:summary",
        lambda c: _basket_line_form(c, "-1"),
        "minstens 0",
    ),
    "line-quantity-letters": (
        "basket",
        "basket:summary",
        lambda c: _basket_line_form(c, "veel"),
        "Voer een geheel getal in",
    ),
    "line-quantity-huge": (
        "basket",
        "basket:summary",
        lambda c: _basket_line_form(c, str(10**9)),
        "maximaal",
    ),
    "voucher-unknown": (
        "basket",
        "basket:vouchers-add",
        {"code": "GRATIS100"},
        "Geen voucher met code 'GRATIS100' gevonden",
    ),
    "voucher-expired": (
        "basket",
        "basket:vouchers-add",
        {"code": "VERLOPEN"},
        "De 'VERLOPEN' voucher is verlopen",
    ),
    "voucher-empty": ("basket", "basket:vouchers-add", {"code": ""}, "Voer een voucher code in"),
    "gateway-bad-email": (
        "basket",
        "checkout:index",
        {"username": "geen-mail", "options": "anonymous"},
        "Voer een geldig e-mailadres in",
    ),
    "address-postcode-12345": (
        "gateway",
        "checkout:shipping-address",
        _address(postcode="12345"),
        "Vul een geldige Nederlandse postcode in",
    ),
    "address-postcode-leading-zero": (
        "gateway",
        "checkout:shipping-address",
        _address(postcode="0123 AB"),
        "Vul een geldige Nederlandse postcode in",
    ),
    "address-belgian-postcode-letters": (
        "gateway",
        "checkout:shipping-address",
        _address(postcode="1000 AB", country="BE"),
        "Vul een geldige Belgische postcode in",
    ),
    "address-missing-last-name": (
        "gateway",
        "checkout:shipping-address",
        _address(last_name=""),
        "Dit veld is verplicht",
    ),
    "address-missing-street": (
        "gateway",
        "checkout:shipping-address",
        _address(line1=""),
        "Dit veld is verplicht",
    ),
    "address-missing-city": (
        "gateway",
        "checkout:shipping-address",
        _address(line4=""),
        "Dit veld is verplicht",
    ),
    "address-country-not-shipped": (
        "gateway",
        "checkout:shipping-address",
        _address(country="US"),
        "We bezorgen alleen in Nederland en België",
    ),
    "address-bad-phone": (
        "gateway",
        "checkout:shipping-address",
        _address(phone_number="12ab"),
        "telefoonnummer",
    ),
    "shipping-tampered-code": (
        "address",
        "checkout:shipping-method",
        {"method_code": "gratis-express"},
        "De gekozen verzend methode is niet toegelaten",
    ),
    "payment-tampered-method": (
        "shipping",
        "checkout:payment-method",
        {"method": "contant"},
        "Kies een van de getoonde betaalmethoden",
    ),
    "payment-missing-method": ("shipping", "checkout:payment-method", {}, "Kies een betaalmethode"),
    # Issue 18: a Mollie method posted while Mollie is not configured (no MOLLIE_API_KEY).
    "payment-mollie-without-key": (
        "shipping",
        "checkout:payment-method",
        {"method": "mollie-ideal"},
        "Kies een van de getoonde betaalmethoden",
    ),
}


def _reach(client, stage, product):
    add_to_basket(client, product, 1)
    if stage == "basket":
        return
    client.post(reverse("checkout:index"), {"username": "k@example.nl", "options": "anonymous"})
    if stage == "gateway":
        return
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    if stage == "address":
        return
    client.post(reverse("checkout:shipping-method"), {"method_code": "standaard"})


def _state(client):
    basket = client.get(reverse("basket:summary")).context["basket"]
    session = client.session
    return {
        "orders": Order.objects.count(),
        "lines": sorted((line.product_id, line.quantity) for line in basket.all_lines()),
        "vouchers": sorted(basket.vouchers.values_list("code", flat=True)),
        # Oscar creates the empty checkout namespaces on the first checkout page; only
        # filled-in values count as a change.
        "checkout": {k: v for k, v in (session.get("checkout_data") or {}).items() if v},
        "allocated": sorted(
            (sr.pk, sr.num_allocated) for p in basket.all_lines() for sr in [p.stockrecord]
        ),
    }


def _customer_sees(client, response) -> str:
    """Page text plus flash messages, after following one redirect."""
    if response.status_code in (301, 302):
        response = client.get(response["Location"])
    texts = [html.unescape(response.content.decode())]
    if response.context and "messages" in response.context:
        texts += [str(m) for m in response.context["messages"]]
    return "\n".join(texts)


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_input_gets_a_dutch_message_and_changes_nothing(client, countries, case):
    stage, target, data, expected = CASES[case]
    product = make_product(title="Magnesium Bisglycinaat 200 mg", price="19.95", stock=10)
    parent = ProductFactory(structure="parent", stockrecords=[])
    create_product(parent=parent, title="Variant", price="9.95", num_in_stock=5)
    VoucherFactory(
        code="VERLOPEN",
        start_datetime=timezone.now() - datetime.timedelta(days=30),
        end_datetime=timezone.now() - datetime.timedelta(days=1),
    )
    _reach(client, stage, product)
    before = _state(client)

    url = {
        "add": reverse("basket:add", kwargs={"pk": product.pk}),
        "add-parent": reverse("basket:add", kwargs={"pk": parent.pk}),
    }.get(target) or reverse(target)
    payload = data(client) if callable(data) else data
    response = client.post(url, payload)

    assert response.status_code in (200, 302, 404), response.status_code
    assert expected in _customer_sees(client, response)
    assert _state(client) == before
    assert Voucher.objects.get(code="VERLOPEN").num_orders == 0
