"""The staff dashboard is for staff only."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

DASHBOARD_URLS = ["/dashboard/", "/dashboard/catalogue/", "/dashboard/orders/", "/dashboard/users/"]


@pytest.mark.parametrize("url", DASHBOARD_URLS)
def test_anonymous_visitors_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/dashboard/login/?next={url}")


@pytest.mark.parametrize("url", DASHBOARD_URLS)
def test_customers_are_refused(client, url):
    customer = get_user_model().objects.create_user(
        username="klant", email="klant@example.nl", password="geheim-wachtwoord"
    )
    client.force_login(customer)
    response = client.get(url)
    assert response.status_code == 403


@pytest.mark.parametrize("url", DASHBOARD_URLS)
def test_shop_managers_get_in(client, url):
    staff = get_user_model().objects.create_superuser(
        username="beheer", email="beheer@example.nl", password="geheim-wachtwoord"
    )
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_staff_without_section_permissions_see_only_the_dashboard_home(client):
    staff = get_user_model().objects.create_user(
        username="staf", email="staf@example.nl", password="geheim-wachtwoord", is_staff=True
    )
    client.force_login(staff)
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/dashboard/catalogue/").status_code == 403
