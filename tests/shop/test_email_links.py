"""Links in e-mails use https outside DEBUG (issue 14): Oscar's OSCAR_URL_SCHEMA is http."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail

pytestmark = pytest.mark.django_db


def test_the_password_reset_mail_links_over_https(client):
    get_user_model().objects.create_user("klant", "klant@example.nl", "een-wachtwoord-9")
    response = client.post("/password-reset/", {"email": "klant@example.nl"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    links = re.findall(r"(https?)://\S+/password-reset/confirm/\S+", mail.outbox[0].body)
    assert links == ["https"]
    assert settings.OSCAR_URL_SCHEMA == "https"
