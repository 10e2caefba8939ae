"""The signed-in user is read from the cache (shop.customer.auth_backends): a request of a
signed-in customer reads no user row, and every change to the user is seen at once."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shop.customer import auth_backends

pytestmark = pytest.mark.django_db

PRIVATE = "/persoonlijk/"
PASSWORD = "geheim-wachtwoord-1"


def _signed_in(email="gebruiker@example.nl", **fields):
    user = get_user_model().objects.create_user(email, email, PASSWORD, **fields)
    client = Client()
    response = client.post(  # Oscar's login form, as a browser posts it (the e-mail backend)
        "/accounts/login/",
        {"login-username": email, "login-password": PASSWORD, "login_submit": "Log In"},
    )
    assert response.status_code == 302, response.content[:300]
    session = client.session
    assert session["_auth_user_backend"] == "shop.customer.auth_backends.EmailBackend"
    return user, client


def _account(client) -> str:
    response = client.get(PRIVATE)
    assert response.status_code == 200
    return response.json()["parts"]["account"]


def _user_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        client.get(PRIVATE)
    return sum('FROM "auth_user"' in query["sql"] for query in ctx.captured_queries)


def test_a_signed_in_customer_s_requests_read_their_user_row_once():
    _user, client = _signed_in()
    assert _user_queries(client) <= 1  # the first request reads it (or the login kept it)
    assert _user_queries(client) == 0
    assert "Mijn account" in _account(client)


def test_a_deactivated_customer_is_signed_out_at_their_next_request():
    user, client = _signed_in()
    assert "Mijn account" in _account(client)
    user.is_active = False
    user.save()  # as the dashboard's user list does
    assert "Inloggen" in _account(client)


def test_a_changed_password_signs_the_other_sessions_out():
    user, client = _signed_in()
    assert "Mijn account" in _account(client)
    user.set_password("een-ander-wachtwoord-2")
    user.save()
    assert "Inloggen" in _account(client)


def test_a_deleted_customer_is_signed_out():
    user, client = _signed_in()
    assert "Mijn account" in _account(client)
    user.delete()
    assert "Inloggen" in _account(client)


def test_staff_rights_taken_away_are_gone_at_the_next_request(django_user_model):
    user, client = _signed_in("staf@example.nl", is_staff=True)
    assert client.get("/dashboard/").status_code == 200
    user.is_staff = False
    user.save()
    assert client.get("/dashboard/").status_code == 403


def test_a_row_kept_by_a_request_during_the_write_is_forgotten_when_the_write_commits(
    django_capture_on_commit_callbacks,
):
    """A request that read the old row while the write was not yet committed may keep it after
    the write removed it: the commit removes it once more."""
    user, client = _signed_in()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            user.is_active = False
            user.save()
            stale = get_user_model().objects.get(pk=user.pk)
            stale.is_active = True
            cache.set(auth_backends._key(user.pk), stale, auth_backends.USER_SECONDS)
    assert "Inloggen" in _account(client)


def test_a_failing_cache_reads_the_user_from_the_database(monkeypatch):
    _user, client = _signed_in()

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    assert "Mijn account" in _account(client)
    assert _user_queries(client) == 1
