"""An editor writes a guide in the dashboard, links a product with Oscar's select2 picker,
previews and publishes it; the product page then shows the guide. Drives Debian's Chromium."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

# The `browser` fixture (Debian's Chromium, headless) comes from tests/conftest.py.
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor_account(db):
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    # Transactional tests flush the database, the groups of the roles migration with it.
    import_module("content.dashboard.migrations.0002_roles").create_groups(apps)

    user = get_user_model().objects.create_user(
        username="redacteur",
        email="redacteur@example.nl",
        password="Redactie-wachtwoord-1",
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name="Redactie"))
    return user


@pytest.fixture
def supplement(db):
    from oscar.test import factories

    return factories.create_product(
        upc="MG-BIS-200", title="Magnesium Bisglycinaat 200 mg", price=19.95, num_in_stock=20
    )


def test_editor_creates_links_previews_and_publishes_a_guide(
    live_server, browser, editor_account, supplement
):
    from content.models import Article

    started = time.monotonic()
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(15_000)

    # Log in through the dashboard's own login form.
    page.goto(f"{live_server.url}/dashboard/login/")
    page.fill("#id_username", "redacteur@example.nl")
    page.fill("#id_password", "Redactie-wachtwoord-1")
    page.click("form input[type=submit]")
    page.wait_for_url(re.compile(r"/dashboard/$"))
    assert page.locator("nav.navbar-primary", has_text="Kennisbank").count() == 1

    # Write the guide.
    page.goto(f"{live_server.url}/dashboard/kennisbank/gidsen/nieuw/")
    page.fill("#id_title", "Magnesiumvormen voor de avond")
    page.fill("#id_lead", "Welke vorm neem je het liefst?")
    page.fill(
        "#id_body",
        "## Bisglycinaat\n\nProbeer [magnesiumbisglycinaat](product:MG-BIS-200) 's avonds.",
    )
    # The live preview renders the unsaved text, reference resolved to the product URL.
    preview = page.locator("#live-preview")
    preview.locator("h2", has_text="Bisglycinaat").wait_for()
    assert preview.locator(f'a[href="{supplement.get_absolute_url()}"]').count() == 1

    # Link the product with Oscar's select2 product picker.
    page.locator("#id_products + .select2 .select2-selection").click()
    page.keyboard.type("Bisglycinaat")
    option = page.locator(".select2-results__option", has_text="Magnesium Bisglycinaat 200 mg")
    option.click()
    assert page.locator("#id_products option:checked").count() == 1

    page.click("#save-article")
    page.wait_for_url(re.compile(r"/dashboard/kennisbank/gidsen/\d+/$"))
    article = Article.objects.get(title="Magnesiumvormen voor de avond")
    assert list(article.product_links.values_list("product_id", flat=True)) == [supplement.pk]
    page.locator("#live-preview h2").wait_for()
    page.screenshot(path=str(ARTIFACTS / "kennisbank-edit-page.png"), full_page=True)

    # A customer asking for the draft gets a 404; the staff preview URL shows it.
    customer = browser.new_context(viewport={"width": 1400, "height": 1000})
    assert customer.request.get(f"{live_server.url}{article.get_absolute_url()}").status == 404
    assert customer.request.get(f"{live_server.url}{article.get_preview_url()}").status == 404
    staff_preview = page.context.request.get(f"{live_server.url}{article.get_preview_url()}")
    assert staff_preview.status == 200
    assert "Magnesiumvormen voor de avond" in staff_preview.text()

    # Publish now.
    page.click("#publish-article")
    page.locator(".alert-success", has_text="is gepubliceerd").wait_for()
    article.refresh_from_db()
    assert article.is_live

    # The product page now shows the guide, for a customer.
    shopper = customer.new_page()
    shopper.goto(f"{live_server.url}{supplement.get_absolute_url()}")
    guide_link = shopper.locator(f'a[href="{article.get_absolute_url()}"]').first
    guide_link.wait_for()
    assert "Magnesiumvormen voor de avond" in shopper.content()
    shopper.screenshot(path=str(ARTIFACTS / "product-page-with-guide.png"), full_page=True)
    customer.close()
    print(f"\nbrowser flow took {time.monotonic() - started:.1f} s")
