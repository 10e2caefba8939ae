"""No GET changes the database: every URL pattern of the storefront, the dashboard and the admin,
requested as a superuser, leaves every table as it was (issue 14).

The class of bug this guards against: Oscar's partner-user link acted on GET, so an image tag in a
message was enough to give a customer dashboard access.
"""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import resolve

from tests.shop.crawl import build_world, concrete_path, same_view, url_patterns

pytestmark = pytest.mark.django_db

# Tables a GET may write, each for a reason that is not state of the shop.
EXCEPTED_TABLES = {
    "django_session": "the session: a page view stores messages, the basket id, the login",
    "axes_accessattempt": "django-axes' log of login attempts",
    "axes_accesslog": "django-axes' log of logins and logouts",
    "axes_accessfailurelog": "django-axes' log of failed logins",
    "analytics_productrecord": "Oscar's view counter per product",
    "analytics_userproductview": "Oscar's per-user record of viewed products",
    "analytics_usersearch": "Oscar's per-user record of searches",
    "analytics_userrecord": "Oscar's view counters per user",
    "thumbnail_kvstore": "sorl-thumbnail's cache of the thumbnails a page rendered",
    "communication_notification": "opening a notification marks it read, as a mail client does",
}


def snapshot() -> dict[str, str]:
    """A digest of every row of every table (the excepted ones left out), in one query."""
    tables = sorted(set(connection.introspection.table_names()) - set(EXCEPTED_TABLES))
    quote = connection.ops.quote_name
    # Test-only: a row's text form is the cheapest complete fingerprint PostgreSQL gives.
    query = " UNION ALL ".join(
        f"SELECT %s, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
        f"FROM {quote(table)} t"
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(query, tables)
        return dict(cursor.fetchall())


def changed(before: dict, after: dict) -> list[str]:
    return sorted(table for table in before if before[table] != after[table])


@pytest.fixture
def world(db):
    User = get_user_model()
    admin_user = User.objects.create_superuser("beheer", "beheer@example.nl", "wachtwoord-1")
    customer = User.objects.create_user("klant", "klant@example.nl", "wachtwoord-2")
    return admin_user, build_world(admin_user, customer)


def test_no_get_request_changes_the_database(world):
    admin_user, world = world
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    patterns = url_patterns()
    # Logging out changes only the session, but the requests after it would see a stranger.
    patterns.sort(key=lambda p: "logout" in (p.name or ""))
    requested, skipped, writers, errors = [], [], {}, {}
    # Nothing but the GET runs between two snapshots, so the one taken after a request is the
    # one before the next: one snapshot per request, not two.
    after = snapshot()
    for pattern in patterns:
        path = concrete_path(pattern, world)
        if path is None:
            skipped.append(f"{pattern.route}: no row of that model")
            continue
        if not same_view(path, pattern):
            # A pattern whose very route an earlier one already takes can never be reached:
            # Oscar's own "home" redirect under the shop's home page (issue 19).
            match = resolve(path.split("?")[0])
            assert match.route == pattern.route, f"{path} does not reach {pattern.name}"
            skipped.append(f"{pattern.route}: shadowed by {match.view_name}")
            continue
        before = after
        response = client.get(path)
        after = snapshot()
        requested.append(path)
        if response.status_code >= 500:
            errors[path] = response.status_code
        if before != after:
            writers[path] = changed(before, after)
    areas = {}
    for pattern in patterns:
        areas[pattern.area] = areas.get(pattern.area, 0) + 1
    print(
        f"\nGET crawl: {len(patterns)} URL patterns ({areas}), {len(requested)} requested, "
        f"{len(skipped)} skipped: {skipped}; digest of tables "
        f"{hashlib.md5(','.join(sorted(snapshot())).encode()).hexdigest()[:8]}"
    )
    assert writers == {}
    assert errors == {}
    assert len(requested) == len(patterns) - len(skipped)
