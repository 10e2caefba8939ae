"""Paying with iDEAL in Chromium (issue 18): the shop's checkout, the Mollie double's hosted
checkout page, its webhook call and the way back to the thank-you page."""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from oscar.apps.catalogue.models import Product
from oscar.apps.order.models import Order
from playwright.sync_api import expect

from tests.browser.conftest import fill_the_shipping_address, screenshot
from tests.shop.mollie_double import MollieDouble

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def mollie(settings):
    double = MollieDouble().start()
    settings.MOLLIE_API_KEY = "test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM"
    settings.MOLLIE_API_ENDPOINT = double.url
    yield double
    double.stop()


def test_guest_pays_with_ideal_on_the_hosted_page_and_sees_the_paid_order(
    shop_url, new_page, mollie
):
    product = Product.objects.filter(
        structure=Product.STANDALONE, is_public=True, stockrecords__num_in_stock__gt=0
    ).first()
    page = new_page(1280)
    started = time.monotonic()

    page.goto(shop_url + product.get_absolute_url())
    page.locator("main form[action*='/basket/add/'] button[type=submit]").first.click()
    page.wait_for_load_state("load")
    page.goto(shop_url + "/checkout/")
    page.locator("#id_username").fill("klant@example.nl")
    page.locator("input[name=options][value=anonymous]").check()
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/checkout/shipping-address/"))
    fill_the_shipping_address(page)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/checkout/(shipping-method|payment-method)/"))
    if "/shipping-method/" in page.url:
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(re.compile(r"/checkout/payment-method/"))

    page.get_by_label("iDEAL").check()
    screenshot(page, "mollie-1-payment-method")
    page.locator("#payment_method_form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/checkout/preview/"))
    page.locator("#place_order_form button[type=submit], #place-order").first.click()

    # Mollie's hosted checkout (the double): the customer pays.
    page.wait_for_url(re.compile(re.escape(mollie.url) + r"/checkout/tr_"))
    screenshot(page, "mollie-2-hosted-checkout")
    page.get_by_role("button", name="paid").click()

    expect(page).to_have_url(re.compile(r"/checkout/thank-you/"))
    status = page.locator("#payment_status")
    expect(status).to_have_attribute("data-status", "paid")
    expect(status).to_contain_text("Betaald")
    elapsed = time.monotonic() - started
    screenshot(page, "mollie-3-thank-you")
    print(f"\nMollie iDEAL browser flow: {elapsed:.1f} s")

    order = Order.objects.get()
    assert order.status == settings.ORDER_STATUS_PAID
    assert mollie.webhook_calls and mollie.webhook_calls[0][1] == 200
    assert not page.errors, page.errors
