"""Linking a user to a partner gives dashboard access: never on a GET (issue 14)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_class

from shop.dashboard.partners.views import PartnerUserLinkView
from shop.partner.models import Partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_and_customer():
    User = get_user_model()
    admin = User.objects.create_superuser("beheer", "beheer@example.nl", "geheim-wachtwoord-1")
    customer = User.objects.create_user("klant", "klant@example.nl", "geheim-wachtwoord-2")
    partner = Partner.objects.create(name="Magnesiumwinkel")
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    url = reverse(
        "dashboard:partner-user-link", kwargs={"partner_pk": partner.pk, "user_pk": customer.pk}
    )
    return client, customer, partner, url


def test_the_dashboard_uses_our_link_view():
    assert get_class("dashboard.partners.views", "PartnerUserLinkView") is PartnerUserLinkView


def test_a_get_of_the_link_url_links_nobody(admin_and_customer):
    client, customer, partner, url = admin_and_customer
    assert client.get(url).status_code == 405
    assert not partner.users.filter(pk=customer.pk).exists()
    customer.refresh_from_db()
    assert not customer.has_perm("partner.dashboard_access")


def test_a_post_with_the_token_links_the_user(admin_and_customer):
    client, customer, partner, url = admin_and_customer
    assert client.post(url).status_code == 403  # no CSRF token: refused
    assert not partner.users.filter(pk=customer.pk).exists()
    manage = client.get(reverse("dashboard:partner-manage", kwargs={"pk": partner.pk}))
    token = manage.cookies["csrftoken"].value
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    assert partner.users.filter(pk=customer.pk).exists()


def test_the_unlink_message_has_no_link_that_would_link_on_get(admin_and_customer):
    client, customer, partner, url = admin_and_customer
    partner.users.add(customer)
    client.get(reverse("dashboard:partner-manage", kwargs={"pk": partner.pk}))
    token = client.cookies["csrftoken"].value
    unlink = reverse(
        "dashboard:partner-user-unlink", kwargs={"partner_pk": partner.pk, "user_pk": customer.pk}
    )
    page = client.post(unlink, {"csrfmiddlewaretoken": token}, follow=True).content.decode()
    assert "klant@example.nl is ontkoppeld van Magnesiumwinkel." in page
    assert url not in page
