"""Account actions Oscar performed on GET (default address, stock alerts, wish lists): a GET
asks, a POST with the CSRF token acts (issue 14)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from oscar.apps.customer.models import ProductAlert
from oscar.test import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer_client():
    user = get_user_model().objects.create_user("klant", "klant@example.nl", "wachtwoord-2")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return user, client


def test_a_default_address_is_set_by_post_only(customer_client):
    user, client = customer_client
    address = factories.UserAddressFactory(user=user, is_default_for_billing=False)
    url = reverse(
        "customer:address-change-status", kwargs={"pk": address.pk, "action": "default_for_billing"}
    )
    page = client.get(url)
    assert page.status_code == 200
    assert "Dit adres als standaardadres gebruiken?" in page.content.decode()
    address.refresh_from_db()
    assert not address.is_default_for_billing
    assert client.post(url).status_code == 403  # no CSRF token
    token = page.cookies["csrftoken"].value
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    address.refresh_from_db()
    assert address.is_default_for_billing


def test_an_e_mailed_alert_link_confirms_only_after_the_button(client):
    product = factories.create_product()
    alert = ProductAlert.objects.create(
        email="anoniem@example.nl", product=product, status=ProductAlert.UNCONFIRMED
    )
    url = reverse("customer:alerts-confirm", kwargs={"key": alert.key})
    assert "Voorraadmelding bevestigen?" in client.get(url).content.decode()
    alert.refresh_from_db()
    assert alert.status == ProductAlert.UNCONFIRMED
    client.post(url)
    alert.refresh_from_db()
    assert alert.status == ProductAlert.ACTIVE


def test_a_confirm_page_does_not_offer_a_foreign_next_url(customer_client):
    user, client = customer_client
    alert = ProductAlert.objects.create(user=user, product=factories.create_product())
    url = reverse("customer:alerts-cancel-by-pk", kwargs={"pk": alert.pk})
    page = client.get(url + "?next=https://elders.example/").content.decode()
    assert "elders.example" not in page.split("<form")[1]


def test_a_get_of_a_re_order_line_is_refused_not_an_error(customer_client):
    user, client = customer_client
    order = factories.create_order(user=user)
    url = reverse(
        "customer:order-line",
        kwargs={"order_number": order.number, "line_id": order.lines.first().pk},
    )
    assert client.get(url).status_code == 405
