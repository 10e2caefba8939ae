"""Paying through Mollie (issue 18), end to end through the real views and the official client,
against a local double of Mollie's v2 API running as an HTTP server (tests/shop/mollie_double.py).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from oscar.apps.order.models import Order
from oscar.test.factories import UserFactory
from post_office.models import STATUS, Email

from shop.basket.models import Basket
from shop.mollie import services
from shop.mollie.models import MolliePayment
from tests.factories import (
    add_to_basket,
    checkout_to_preview,
    make_product,
    make_voucher,
    place_order,
)
from tests.shop.mollie_double import MollieDouble

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


@pytest.fixture
def mollie(settings):
    double = MollieDouble().start()
    settings.MOLLIE_API_KEY = "test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM"
    settings.MOLLIE_API_ENDPOINT = double.url
    cache.clear()
    yield double
    double.stop()
    cache.clear()


@pytest.fixture
def product(countries):
    return make_product(title="Magnesium Bisglycinaat", price="19.95", stock=5)


def allocated(product) -> int:
    return product.stockrecords.get().num_allocated or 0


def order_and_pay(client, product, method: str = "mollie-ideal", quantity: int = 1):
    """Basket → checkout → place order → the start view; returns the order, its payment and the
    start view's answer (the redirect to the double's hosted checkout)."""
    add_to_basket(client, product, quantity)
    checkout_to_preview(client, payment=method)
    placed = place_order(client)
    order = Order.objects.latest("pk")
    assert placed.status_code == 302
    assert placed["Location"] == reverse("mollie:start", kwargs={"order_number": order.number})
    started = client.get(placed["Location"])
    return order, MolliePayment.objects.get(order=order), started


def sent_to(response) -> str:
    """Where the start page sends the browser: its meta refresh (and its link)."""
    assert response.status_code == 200, response.status_code
    match = re.search(r'http-equiv="refresh" content="0;url=([^"]+)"', response.content.decode())
    assert match, response.content.decode()[:2000]
    assert f'href="{match.group(1)}" id="mollie_checkout_link"' in response.content.decode()
    return match.group(1)


def webhook(client, mollie_id: str):
    return client.post(reverse("mollie:webhook"), {"id": mollie_id})


def return_url(double: MollieDouble, payment: MolliePayment) -> str:
    return double.payments[payment.mollie_id]["redirectUrl"]


def order_staff(client):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="order", codename__in=["view_order", "change_order"]
        )
    )
    client.force_login(staff)
    return staff


# --- Methods at checkout -------------------------------------------------------------------------


def test_checkout_offers_mollies_enabled_methods_in_dutch_and_bank_transfer(
    client, mollie, product
):
    add_to_basket(client, product, 1)
    checkout_to_preview(client)  # walks up to the payment step

    first = client.get(reverse("checkout:payment-method")).content.decode()
    second = client.get(reverse("checkout:payment-method")).content.decode()

    for name in ("iDEAL", "Creditcard", "Bancontact", "Bankoverschrijving"):
        assert name in first
    assert "PayPal" not in first  # enabled at Mollie, not offered by the shop (MOLLIE_METHODS)
    assert "iDEAL" in second
    assert mollie.created("GET", "/v2/methods") == 1  # the second page came from the cache


def test_without_an_api_key_only_bank_transfer_is_offered(client, product, settings):
    settings.MOLLIE_API_KEY = ""
    add_to_basket(client, product, 1)
    checkout_to_preview(client)

    page = client.get(reverse("checkout:payment-method")).content.decode()
    refused = client.post(reverse("checkout:payment-method"), {"method": "mollie-ideal"})

    assert "Bankoverschrijving" in page and "iDEAL" not in page
    assert refused.status_code == 200
    assert "Kies een van de getoonde betaalmethoden." in refused.content.decode()


def test_mollie_down_at_checkout_offers_bank_transfer_with_a_message_never_a_500(
    client, mollie, product
):
    mollie.down = True
    add_to_basket(client, product, 1)
    checkout_to_preview(client)

    page = client.get(reverse("checkout:payment-method"))

    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "Online betalen (iDEAL, creditcard, Bancontact) is op dit moment niet beschikbaar" in html
    )
    assert "Bankoverschrijving" in html and "iDEAL</label>" not in html
    assert place_order(client)["Location"] == reverse("checkout:thank-you")
    assert Order.objects.get().status == settings.ORDER_STATUS_AWAITING_PAYMENT


# --- Placing the order and creating the payment ---------------------------------------------------


def test_the_order_is_placed_waiting_with_stock_allocated_then_sent_to_mollie_for_its_total(
    client, mollie, product
):
    order, payment, started = order_and_pay(client, product)

    assert order.status == settings.ORDER_STATUS_AWAITING_PAYMENT
    assert allocated(product) == 1
    assert mail.outbox == []  # the confirmation waits for the money
    remote = mollie.payments[payment.mollie_id]
    assert sent_to(started) == remote["_links"]["checkout"]["href"] == payment.checkout_url
    # € 19,95 + € 4,95 shipping, as Mollie's string, from the order.
    assert order.total_incl_tax == Decimal("24.90")
    assert remote["amount"] == {"value": "24.90", "currency": "EUR"}
    assert remote["method"] == "ideal"
    assert remote["metadata"] == {"order_number": order.number}
    assert order.number in remote["description"]
    assert remote["webhookUrl"] == "http://testserver" + reverse("mollie:webhook")
    assert remote["redirectUrl"].endswith(
        reverse(
            "mollie:return",
            kwargs={"order_number": order.number, "hash": order.verification_hash()},
        )
    )
    assert (payment.status, payment.mode) == ("open", "test")


def test_a_double_click_and_a_second_tab_make_one_payment(client, mollie, product):
    order, payment, started = order_and_pay(client, product)

    second_click = place_order(client)
    second_tab = client.get(reverse("mollie:start", kwargs={"order_number": order.number}))

    assert second_click["Location"] == reverse(
        "mollie:start", kwargs={"order_number": order.number}
    )
    assert sent_to(second_tab) == sent_to(started)
    assert Order.objects.count() == 1
    assert MolliePayment.objects.count() == 1
    assert mollie.created("POST", "/v2/payments") == 1


def test_two_requests_racing_to_create_the_payment_send_one_idempotency_key(
    mollie, client, product
):
    order, payment, _started = order_and_pay(client, product)
    # The second request of a race read the row before the first had stored Mollie's id.
    MolliePayment.objects.filter(pk=payment.pk).update(mollie_id=None)

    again = services.payment_start(order=order, redirect_url="http://x/", webhook_url="http://x/")

    assert again.mollie_id == payment.mollie_id
    assert len(mollie.payments) == 1
    assert mollie.created("POST", "/v2/payments") == 2  # both asked; Mollie replayed the first


def test_the_start_page_belongs_to_the_session_that_placed_the_order(client, mollie, product):
    order, _payment, _started = order_and_pay(client, product)

    assert (
        Client().get(reverse("mollie:start", kwargs={"order_number": order.number})).status_code
        == 404
    )


def test_mollie_down_when_the_payment_is_created_shows_a_retry_page_not_a_500(
    client, mollie, product
):
    mollie.down = True
    add_to_basket(client, product, 1)
    mollie.down = False
    checkout_to_preview(client, payment="mollie-ideal")
    mollie.down = True
    placed = place_order(client)

    page = client.get(placed["Location"])

    assert page.status_code == 503
    assert "probeer het over een minuut opnieuw" in page.content.decode()
    mollie.down = False
    assert sent_to(client.get(placed["Location"])).startswith(mollie.url + "/checkout/")


# --- Webhook and return page, in every order ------------------------------------------------------


def test_paid_webhook_before_the_return(client, mollie, product):
    order, payment, _ = order_and_pay(client, product)
    mollie.set_status(payment.mollie_id, "paid")

    assert webhook(Client(), payment.mollie_id).status_code == 200
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PAID
    assert set(order.lines.values_list("status", flat=True)) == {settings.ORDER_STATUS_PAID}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == f"Bevestiging van je bestelling {order.number}"

    back = client.get(return_url(mollie, payment))
    assert back["Location"] == reverse("checkout:thank-you")
    thanks = client.get(back["Location"]).content.decode()
    assert 'data-status="paid"' in thanks and "Betaald" in thanks
    assert len(mail.outbox) == 1
    assert allocated(product) == 1  # allocated until shipped, as Oscar does
    source = order.sources.get()
    assert source.amount_debited == Decimal("24.90")
    assert order.payment_events.get().amount == Decimal("24.90")


def test_return_before_the_paid_webhook(client, mollie, product):
    order, payment, _ = order_and_pay(client, product)
    mollie.set_status(payment.mollie_id, "paid")

    back = client.get(return_url(mollie, payment))
    order.refresh_from_db()
    assert back["Location"] == reverse("checkout:thank-you")
    assert order.status == settings.ORDER_STATUS_PAID
    assert len(mail.outbox) == 1

    assert webhook(Client(), payment.mollie_id).status_code == 200
    assert len(mail.outbox) == 1
    assert order.payment_events.count() == 1


def test_return_while_still_open_trusts_mollie_not_the_url(client, mollie, product):
    order, payment, _ = order_and_pay(client, product)

    page = client.get(return_url(mollie, payment) + "?status=paid")

    assert page.status_code == 200
    assert 'data-status="open"' in page.content.decode()
    assert "nog niet afgerond" in page.content.decode()
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_AWAITING_PAYMENT
    assert mail.outbox == []


def test_a_duplicate_webhook_changes_nothing_twice(client, mollie, product):
    order, payment, _ = order_and_pay(client, product)
    mollie.set_status(payment.mollie_id, "paid")

    for _ in range(3):
        assert webhook(Client(), payment.mollie_id).status_code == 200

    assert len(mail.outbox) == 1
    assert order.payment_events.count() == 1
    assert order.sources.get().amount_debited == Decimal("24.90")
    assert order.status_changes.count() == 1


@pytest.mark.parametrize("outcome", ["failed", "canceled", "expired"])
def test_a_failed_cancelled_or_expired_payment_cancels_the_order_and_releases_the_stock(
    client, mollie, product, outcome
):
    order, payment, _ = order_and_pay(client, product)
    assert allocated(product) == 1
    mollie.set_status(payment.mollie_id, outcome)

    assert webhook(Client(), payment.mollie_id).status_code == 200
    assert webhook(Client(), payment.mollie_id).status_code == 200  # and again: no double release

    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_CANCELLED
    assert allocated(product) == 0
    assert mail.outbox == []


def test_failed_then_retried_from_the_intact_basket_and_paid(client, mollie, product):
    first, payment, _ = order_and_pay(client, product, quantity=2)
    mollie.set_status(payment.mollie_id, "failed")
    webhook(Client(), payment.mollie_id)

    back = client.get(return_url(mollie, payment), follow=True)

    assert back.redirect_chain[-1][0] == reverse("basket:summary")
    assert "Je betaling is mislukt." in back.content.decode()
    basket = back.context["basket"]
    assert [(line.product_id, line.quantity) for line in basket.all_lines()] == [(product.pk, 2)]
    assert allocated(product) == 0
    # Back twice does not put the lines in twice.
    client.get(return_url(mollie, payment))
    assert client.get(reverse("basket:summary")).context["basket"].num_items == 2

    # The address, shipping and method are still known: straight to "place order" again.
    placed = place_order(client)
    second = Order.objects.latest("pk")
    assert second.pk != first.pk
    client.get(placed["Location"])
    retry = MolliePayment.objects.get(order=second)
    assert retry.mollie_id != payment.mollie_id
    mollie.set_status(retry.mollie_id, "paid")
    webhook(Client(), retry.mollie_id)

    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.status, second.status) == (
        settings.ORDER_STATUS_CANCELLED,
        settings.ORDER_STATUS_PAID,
    )
    assert allocated(product) == 2
    assert len(mail.outbox) == 1 and second.number in mail.outbox[0].subject


def test_a_payment_arriving_after_the_order_was_cancelled_is_flagged_for_staff(
    client, mollie, product
):
    order, payment, _ = order_and_pay(client, product)
    staff_client = Client()
    order_staff(staff_client)
    staff_client.post(
        reverse("dashboard:order-detail", kwargs={"number": order.number}),
        {"order_action": "change_order_status", "new_status": settings.ORDER_STATUS_CANCELLED},
    )
    mollie.set_status(payment.mollie_id, "paid")

    assert webhook(Client(), payment.mollie_id).status_code == 200
    assert webhook(Client(), payment.mollie_id).status_code == 200

    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_CANCELLED
    assert payment.needs_attention and payment.mollie_id in payment.attention_reason
    assert order.notes.filter(note_type="Mollie").count() == 1
    assert mail.outbox == []
    page = staff_client.get(reverse("dashboard:order-detail", kwargs={"number": order.number}))
    assert "binnengekomen nadat de bestelling was geannuleerd" in page.content.decode()


def test_the_webhook_answers_unknown_ids_like_known_ones_and_needs_no_csrf_token(
    mollie, client, product
):
    strict = Client(enforce_csrf_checks=True)
    order, payment, _ = order_and_pay(client, product)

    unknown = strict.post(reverse("mollie:webhook"), {"id": "tr_doesnotexist"})
    empty = strict.post(reverse("mollie:webhook"), {})
    known = strict.post(reverse("mollie:webhook"), {"id": payment.mollie_id})

    assert (unknown.status_code, unknown.content) == (200, b"")
    assert (empty.status_code, empty.content) == (200, b"")
    assert (known.status_code, known.content) == (200, b"")
    assert strict.get(reverse("mollie:webhook")).status_code == 405
    assert mollie.created("GET", "/v2/payments/tr_doesnotexist") == 0  # nothing asked for it


def test_the_webhook_asks_mollie_again_later_when_mollie_is_down(client, mollie, product):
    order, payment, _ = order_and_pay(client, product)
    mollie.set_status(payment.mollie_id, "paid")
    mollie.down = True

    assert webhook(Client(), payment.mollie_id).status_code == 503
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_AWAITING_PAYMENT

    mollie.down = False
    assert webhook(Client(), payment.mollie_id).status_code == 200
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_PAID


def test_the_return_page_with_a_wrong_hash_is_not_found(client, mollie, product):
    order, payment, _ = order_and_pay(client, product)
    url = reverse("mollie:return", kwargs={"order_number": order.number, "hash": "0" * 64})

    assert client.get(url).status_code == 404


# --- Dashboard: the payment and refunds -----------------------------------------------------------


def paid_order(client, mollie, product):
    order, payment, _ = order_and_pay(client, product)
    mollie.set_status(payment.mollie_id, "paid")
    webhook(Client(), payment.mollie_id)
    return order, payment


def refund(client, order, amount: str, key: str = "0b8e5b3e-8c0e-4b8e-9d7e-2d1f6a1c9e11"):
    return client.post(
        reverse("mollie:refund", kwargs={"number": order.number}),
        {"amount": amount, "idempotency_key": key},
        follow=True,
    )


def test_staff_see_the_mollie_payment_its_mode_status_and_events(client, mollie, product):
    order, payment = paid_order(client, mollie, product)
    order_staff(client)

    page = client.get(reverse("dashboard:order-detail", kwargs={"number": order.number}))

    html = page.content.decode()
    assert payment.mollie_id in html
    assert "test: er is niets afgeschreven" in html
    assert "Betaald" in html
    assert "webhook · paid" in html
    assert 'id="mollie_refund_form"' in html


def test_staff_refund_partly_then_fully_and_more_is_refused(client, mollie, product):
    order, payment = paid_order(client, mollie, product)
    order_staff(client)

    part = refund(client, order, "5,00", key="11111111-1111-4111-8111-111111111111")
    again = refund(client, order, "5,00", key="11111111-1111-4111-8111-111111111111")
    too_much = refund(client, order, "25,00", key="22222222-2222-4222-8222-222222222222")
    rest = refund(client, order, "19,90", key="33333333-3333-4333-8333-333333333333")
    nothing_left = refund(client, order, "0,01", key="44444444-4444-4444-8444-444444444444")

    assert "€ 5,00 terugbetaald via Mollie" in part.content.decode()
    assert "Je kunt hoogstens € 19,90 terugbetalen." in too_much.content.decode()
    assert "€ 19,90 terugbetaald via Mollie" in rest.content.decode()
    assert "Je kunt hoogstens € 0,00 terugbetalen." in nothing_left.content.decode()
    assert again.status_code == 200
    source = order.sources.get()
    assert source.amount_refunded == Decimal("24.90")
    events = order.payment_events.filter(event_type__name="Terugbetaald")
    assert sorted(events.values_list("amount", flat=True)) == [Decimal("5.00"), Decimal("19.90")]
    assert len(mollie.refunds[payment.mollie_id]) == 2  # the resubmitted form made no third
    assert mollie.payments[payment.mollie_id]["amountRemaining"]["value"] == "0.00"
    payment.refresh_from_db()
    assert payment.amount_refunded == Decimal("24.90")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("", "Vul het bedrag in dat je wilt terugbetalen."),
        ("vijf", "Vul een bedrag in, bijvoorbeeld 12,50."),
        ("-1", "Het bedrag moet groter zijn dan € 0,00."),
        ("1,999", "Gebruik hoogstens twee cijfers achter de komma."),
    ],
)
def test_a_bad_refund_amount_gets_a_dutch_message(client, mollie, product, amount, message):
    order, payment = paid_order(client, mollie, product)
    order_staff(client)

    page = refund(client, order, amount)

    assert page.status_code == 200
    assert message in page.content.decode()
    assert payment.mollie_id not in mollie.refunds


def test_only_order_staff_may_refund(client, mollie, product):
    order, payment = paid_order(client, mollie, product)
    url = reverse("mollie:refund", kwargs={"number": order.number})
    customer = UserFactory()
    client.force_login(customer)

    response = client.post(url, {"amount": "5,00", "idempotency_key": "1" * 32})

    assert response.status_code == 302 and "/dashboard/login/" in response["Location"]
    assert payment.mollie_id not in mollie.refunds
    order_staff(client)
    assert client.get(url).status_code == 405


def test_api_mode_follows_the_key_prefix(settings):
    settings.MOLLIE_API_KEY = "live_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM"
    assert services.api_mode() == "live"
    settings.MOLLIE_API_KEY = "test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM"
    assert services.api_mode() == "test"


def test_the_basket_of_a_cancelled_order_is_restored_once(client, mollie, product):
    order, payment, _ = order_and_pay(client, product)
    mollie.set_status(payment.mollie_id, "expired")
    webhook(Client(), payment.mollie_id)
    payment.refresh_from_db()
    basket = Basket.objects.create()
    basket.strategy = client.get(reverse("basket:summary")).context["basket"].strategy

    assert services.basket_restore_for_retry(payment=payment, basket=basket) is True
    assert services.basket_restore_for_retry(payment=payment, basket=basket) is False
    assert basket.num_items == 1


def test_the_confirmation_goes_through_the_outbox_once(client, mollie, product, settings):
    settings.EMAIL_BACKEND = "post_office.EmailBackend"
    order, payment, _ = order_and_pay(client, product)
    assert not Email.objects.exists()
    mollie.set_status(payment.mollie_id, "paid")

    webhook(Client(), payment.mollie_id)
    client.get(return_url(mollie, payment))
    webhook(Client(), payment.mollie_id)

    queued = Email.objects.get()
    assert queued.to == ["klant@example.nl"]
    assert queued.subject == f"Bevestiging van je bestelling {order.number}"
    assert queued.status == STATUS.queued


def test_mollie_down_at_the_return_page_shows_a_retry_page_not_a_500(client, mollie, product):
    order, payment, _ = order_and_pay(client, product)
    mollie.set_status(payment.mollie_id, "paid")
    mollie.down = True

    page = client.get(return_url(mollie, payment))

    assert page.status_code == 503
    assert 'data-status="unavailable"' in page.content.decode()
    order.refresh_from_db()
    assert order.status == settings.ORDER_STATUS_AWAITING_PAYMENT
    mollie.down = False
    assert client.get(return_url(mollie, payment))["Location"] == reverse("checkout:thank-you")


def test_a_single_use_voucher_is_released_and_back_in_the_basket_after_a_failed_payment(
    client, mollie, product
):
    # The retry basket must be intact: a failed payment gives the voucher back (its use on the
    # cancelled order is undone) and puts it in the restored basket, and the paid retry uses it.
    voucher = make_voucher()
    add_to_basket(client, product, 1)
    client.post(reverse("basket:vouchers-add"), {"code": voucher.code})
    checkout_to_preview(client, payment="mollie-ideal")
    placed = place_order(client)
    first = Order.objects.latest("pk")
    client.get(placed["Location"])
    payment = MolliePayment.objects.get(order=first)
    assert first.total_incl_tax < Decimal("19.95") + first.shipping_incl_tax  # discounted
    voucher.refresh_from_db()
    assert (voucher.num_orders, voucher.applications.count()) == (1, 1)

    mollie.set_status(payment.mollie_id, "failed")
    webhook(Client(), payment.mollie_id)
    voucher.refresh_from_db()
    assert (voucher.num_orders, voucher.applications.count()) == (0, 0)

    back = client.get(return_url(mollie, payment), follow=True)
    assert [v.code for v in back.context["basket"].vouchers.all()] == [voucher.code]

    placed = place_order(client)
    second = Order.objects.latest("pk")
    assert second.pk != first.pk
    assert second.total_incl_tax == first.total_incl_tax
    client.get(placed["Location"])
    retry = MolliePayment.objects.get(order=second)
    mollie.set_status(retry.mollie_id, "paid")
    webhook(Client(), retry.mollie_id)
    voucher.refresh_from_db()
    assert list(voucher.applications.values_list("order_id", flat=True)) == [second.pk]
    assert voucher.num_orders == 1
