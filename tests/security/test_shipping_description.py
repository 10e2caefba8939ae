"""The dashboard's weight-based shipping method page shows its description through the shop's
sanitising policy (shop.richtext), not Oscar's `|safe` (issue 14). For the integrator: this sink
belongs in the browser corpus (tests/security/test_xss_browser.py) beside the other dashboard
pages; here every payload of the corpus is checked on the rendered page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.richtext import clean_html
from tests.security.payloads import html_batch, payloads
from tests.security.test_sanitiser import problems

WeightBased = get_model("shipping", "WeightBased")

pytestmark = pytest.mark.django_db


def _description_cell(html: str) -> str:
    row = html.split("<th>Beschrijving</th>", 1)[1]
    return row.split("<td>", 1)[1].split("</td>\n", 1)[0]


def test_the_weight_based_method_page_cleans_every_corpus_payload(client, django_user_model):
    staff = django_user_model.objects.create_superuser("beheer", "beheer@example.nl", "pw")
    client.force_login(staff)
    method = WeightBased.objects.create(name="Pakketpost", description=html_batch())
    url = reverse("dashboard:shipping-method-detail", kwargs={"pk": method.pk})

    cell = _description_cell(client.get(url).content.decode())

    assert problems(cell) == [], problems(cell)[:5]
    assert cell == clean_html(html_batch())


@pytest.mark.parametrize("payload", payloads()[:20])
def test_each_payload_alone_reads_as_the_policy_cleans_it(client, django_user_model, payload):
    staff = django_user_model.objects.create_superuser("beheer", "beheer@example.nl", "pw")
    client.force_login(staff)
    method = WeightBased.objects.create(name="Pakketpost", description=payload)
    url = reverse("dashboard:shipping-method-detail", kwargs={"pk": method.pk})

    cell = _description_cell(client.get(url).content.decode())

    assert cell == (clean_html(payload) or "-")
