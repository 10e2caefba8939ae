"""Context processors: what every non-shared page's context holds, read only when shown."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import engines
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from oscar.apps.communication.models import Notification

pytestmark = pytest.mark.django_db


def test_a_customers_basket_page_counts_no_notifications_it_does_not_show(django_user_model):
    customer = django_user_model.objects.create_user("klant", "klant@example.nl", "geheim-123")
    Notification.objects.create(recipient=customer, subject="Uw bestelling is verzonden")
    member = Client()
    member.force_login(customer)
    with CaptureQueriesContext(connection) as ctx:
        assert member.get("/basket/").status_code == 200
    assert not [q for q in ctx.captured_queries if "communication_notification" in q["sql"]]


def test_a_template_that_shows_the_unread_notifications_gets_their_count(django_user_model):
    customer = django_user_model.objects.create_user("klant", "klant@example.nl", "geheim-123")
    for subject in ("Verzonden", "Bezorgd"):
        Notification.objects.create(recipient=customer, subject=subject)
    template = engines["django"].from_string(
        "{% if num_unread_notifications > 0 %}{{ num_unread_notifications }} nieuw{% endif %}"
    )
    request = RequestFactory().get("/accounts/")
    request.user = customer
    assert template.render({}, request) == "2 nieuw"
    request.user = AnonymousUser()
    assert template.render({}, request) == ""
