"""Shared pages in Chromium: the private parts fill in without moving anything, forms post with
the visitor's token, and without JavaScript adding to the basket still works."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# Sum of the layout shifts the page had (Chromium's Layout Instability API), read after load.
CLS = """() => new Promise(resolve => {
    let total = 0;
    new PerformanceObserver(list => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
    }).observe({type: "layout-shift", buffered: true});
    setTimeout(() => resolve(total), 500);
})"""


@pytest.fixture
def shared_pages(settings):
    settings.SHOP_PAGE_CACHE_SECONDS = 60


def _customer(email: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(email, email, "een-lang-wachtwoord-9")


def _log_in(page, shop_url, email):
    page.goto(shop_url + "/accounts/login/")
    page.fill("#id_login-username", email)
    page.fill("#id_login-password", "een-lang-wachtwoord-9")
    page.click("button[name=login_submit]")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("width", [360, 1280])
def test_a_customer_gets_the_shared_page_with_their_own_parts_and_nothing_moves(
    shop_url, new_page, shared_pages, width
):
    from oscar.apps.catalogue.models import Product

    product = Product.objects.get(upc="MG-BIS-200")
    _customer("lezer@example.nl")
    page = new_page(width)
    _log_in(page, shop_url, "lezer@example.nl")
    page.goto(shop_url + product.get_absolute_url(), wait_until="networkidle")
    page.click("#add_to_basket_form button[type=submit]")
    page.wait_for_load_state("networkidle")
    # The add redirected to the shared product page; its message and basket come privately.
    messages = page.locator(".private-messages").inner_text()
    assert product.get_title() in messages, messages
    screenshot(page, f"private-parts-message-{width}")
    page.goto(shop_url + product.get_absolute_url(), wait_until="networkidle")
    assert page.locator('[data-private="basket"] .mini-basket__count').inner_text().startswith("1")
    assert "Mijn account" in page.locator('[data-private="account"]').inner_text()
    assert page.locator('[data-private="wishlist"] form').count() == 1
    shift = page.evaluate(CLS)
    screenshot(page, f"private-parts-customer-{width}")
    assert shift < 0.01, f"layout shift {shift:.3f} while the private parts filled in"
    assert not page.errors


def test_without_javascript_a_visitor_adds_to_the_basket_with_one_confirmation(
    shop_url, browser, shared_pages
):
    from oscar.apps.catalogue.models import Product

    product = Product.objects.get(upc="MG-BIS-200")
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    page.goto(shop_url + product.get_absolute_url())
    with page.expect_navigation():
        page.click("#add_to_basket_form button[type=submit]")
    assert "Bevestigen" in page.content()
    with page.expect_navigation():
        page.click("button:has-text('Bevestigen')")
    page.wait_for_load_state()
    page.goto(shop_url + "/basket/")
    assert product.get_title() in page.content()
    context.close()
