"""Orders and password resets survive a mail server that is down (issue 14): with production's
mail settings the order is committed and its confirmation waits in the outbox (django-post-office)
until `manage.py send_queued_mail` delivers it, once. The SMTP server is a local sink that the
tests start and stop (tests/shop/smtp_sink.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from oscar.apps.order.models import Order
from post_office.models import STATUS, Email

from tests.factories import (
    add_to_basket,
    checkout_to_preview,
    ensure_countries,
    make_product,
    place_order,
)
from tests.shop.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parents[2]
ORDERS = 20
RETRY_SECONDS = 2

pytestmark = pytest.mark.django_db(transaction=True)


def production_setting(name: str) -> str:
    """The value of a setting as shop.settings gives it outside DEBUG, with no DJANGO_ variable
    set (tests.settings replaces the mail backend by locmem)."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="shop.settings",
        DJANGO_SECRET_KEY="x7#kd93-production-grade-secret-key-9f8e7d6c5b4a3210-zyxwvu",
    )
    result = subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print(settings.{name})"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def smtp(settings, tmp_path):
    """A mail server on a port of its own, down until the test starts it; production's mail
    backend pointed at it."""
    sink = SmtpSink()
    settings.EMAIL_BACKEND = production_setting("EMAIL_BACKEND")
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    # A short retry interval so the test needs not wait production's minutes.
    settings.POST_OFFICE = {**settings.POST_OFFICE, "RETRY_INTERVAL": timedelta(seconds=2)}
    yield sink
    sink.stop()


def send_queued_mail(tmp_path):
    """One run of the outbox worker, as cron or the systemd timer starts it."""
    call_command("send_queued_mail", lockfile=str(tmp_path / "send_queued_mail"))


def place_guest_order(product, email: str):
    customer = Client()
    add_to_basket(customer, product, 1)
    checkout_to_preview(customer, email=email)
    response = place_order(customer)
    thank_you = customer.get(reverse("checkout:thank-you")) if response.status_code == 302 else None
    return response, thank_you


def confirmations(sink: SmtpSink) -> Counter:
    """How often each order number's confirmation reached the mail server."""
    numbers = Counter()
    for _recipients, message in sink.messages:
        match = re.fullmatch(r"Bevestiging van je bestelling (\d+)", str(message["subject"]))
        if match:
            numbers[match.group(1)] += 1
    return numbers


def test_production_queues_mail_in_the_database_and_delivers_it_over_smtp():
    assert production_setting("EMAIL_BACKEND") == "post_office.EmailBackend"
    assert production_setting("POST_OFFICE['BACKENDS']['default']") == (
        "django.core.mail.backends.smtp.EmailBackend"
    )
    assert int(production_setting("POST_OFFICE['MAX_RETRIES']")) > 0


def test_twenty_orders_with_the_mail_server_down_are_all_placed_and_confirmed_once_later(
    smtp, tmp_path
):
    ensure_countries()
    product = make_product(title="Magnesium Bisglycinaat 200 mg", price="19.95", stock=100)

    results = [place_guest_order(product, f"klant{i}@example.nl") for i in range(ORDERS)]

    errors = [
        (response.status_code, response.content[:300])
        for response, thank_you in results
        if response.status_code != 302
        or response["Location"] != reverse("checkout:thank-you")
        or thank_you.status_code != 200
    ]
    assert errors == []
    orders = Order.objects.all()
    assert orders.count() == ORDERS
    assert all(order.lines.count() == 1 for order in orders)
    numbers = set(orders.values_list("number", flat=True))

    # The worker while the server is still down: nothing delivered, nothing given up.
    send_queued_mail(tmp_path)
    assert smtp.messages == []
    assert not Email.objects.filter(status=STATUS.failed).exists()
    assert Email.objects.filter(status=STATUS.requeued).count() == ORDERS

    smtp.start()
    time.sleep(RETRY_SECONDS + 0.5)
    send_queued_mail(tmp_path)
    delivered = confirmations(smtp)
    assert set(delivered) == numbers
    assert sum(delivered.values()) == ORDERS
    recipients = sorted(r for recipients, _m in smtp.messages for r in recipients)
    assert recipients == sorted(f"klant{i}@example.nl" for i in range(ORDERS))

    # A second run (cron fires again) sends nothing twice.
    send_queued_mail(tmp_path)
    assert sum(confirmations(smtp).values()) == ORDERS
    assert Email.objects.filter(status=STATUS.sent).count() == ORDERS


def test_password_reset_with_the_mail_server_down_answers_normally_and_mails_later(smtp, tmp_path):
    get_user_model().objects.create_user("klant", "klant@example.nl", "een-wachtwoord-9")

    response = Client().post("/password-reset/", {"email": "klant@example.nl"})

    assert response.status_code == 302
    smtp.start()
    send_queued_mail(tmp_path)
    [(recipients, message)] = smtp.messages
    assert recipients == ("klant@example.nl",)
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert re.search(r"https://\S+/password-reset/confirm/\S+", body)
