"""Login throttling with django-axes: five wrong passwords lock a username out from that
address, the right password included, in the shop and in /admin/ (issue 14)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "het-goede-wachtwoord-7"
SHOP_LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


def _shop_login(client, email, password):
    return client.post(
        SHOP_LOGIN,
        {"login-username": email, "login-password": password, "login_submit": "1"},
        REMOTE_ADDR="203.0.113.7",
    )


def _admin_login(client, email, password):
    return client.post(
        ADMIN_LOGIN, {"username": email, "password": password}, REMOTE_ADDR="203.0.113.7"
    )


@pytest.fixture
def customer():
    return get_user_model().objects.create_user(
        "klant", "klant@example.nl", PASSWORD, is_staff=True, is_superuser=True
    )


@pytest.mark.parametrize("login", [_shop_login, _admin_login])
def test_the_right_password_after_five_wrong_ones_does_not_log_in(customer, login):
    client = Client()
    username = "klant@example.nl" if login is _shop_login else "klant"
    for _ in range(5):
        login(client, username, "fout")
    response = login(client, username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Er is te vaak een verkeerd wachtwoord ingevuld" in response.content.decode()


def test_four_wrong_passwords_still_let_the_right_one_in(customer):
    client = Client()
    for _ in range(4):
        _shop_login(client, "klant@example.nl", "fout")
    assert _shop_login(client, "klant@example.nl", PASSWORD).status_code == 302
    assert int(client.session["_auth_user_id"]) == customer.pk


def test_the_lockout_says_nothing_about_whether_the_account_exists(customer):
    pages = []
    for email in ("klant@example.nl", "niemand@example.nl"):
        client = Client()
        for _ in range(5):
            _shop_login(client, email, "fout")
        response = _shop_login(client, email, "fout")
        pages.append((response.status_code, response.content.decode().replace(email, "")))
    assert pages[0] == pages[1]
    assert pages[0][0] == 429


def test_another_address_is_not_locked_out(customer):
    for _ in range(5):
        _shop_login(Client(), "klant@example.nl", "fout")
    other = Client()
    response = other.post(
        SHOP_LOGIN,
        {"login-username": "klant@example.nl", "login-password": PASSWORD, "login_submit": "1"},
        REMOTE_ADDR="198.51.100.9",
    )
    assert response.status_code == 302
