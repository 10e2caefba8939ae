"""A guest's whole path through the shop in a real browser, on a phone and on a laptop."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits, fill_the_shipping_address, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("width", [360, 1280])
def test_guest_buys_from_a_guide_and_pays_by_bank_transfer(shop_url, new_page, width):
    page = new_page(width)

    def step(name: str) -> None:
        page.wait_for_load_state("load")
        assert_fits(page, width)
        screenshot(page, f"path-{width}-{name}")

    page.goto(shop_url + "/")
    expect(page.locator("h1")).to_be_visible()
    step("1-home")

    page.get_by_role("navigation").get_by_role("link", name="Magnesium", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Magnesium")
    step("2-collection")

    page.locator(".product_pod h3 a").first.click()
    expect(page.locator(".product_main h1")).to_be_visible()
    step("3-product")

    page.get_by_role("link", name="Kennisbank", exact=True).first.click()
    page.locator("main a[href^='/kennisbank/magnesium-']").first.click()
    expect(page.locator("h1")).to_contain_text("Magnesium")
    step("4-guide")

    card_form = page.locator("main form[action*='/basket/add/']").first
    card_form.scroll_into_view_if_needed()
    card_form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    expect(page.locator(".mini-basket__count")).to_have_text(re.compile(r"^1\b"))
    step("5-added")

    page.locator("a.mini-basket").click()
    expect(page).to_have_url(re.compile(r"/basket/$"))
    step("6-basket")

    page.locator("main a[href$='/checkout/']").first.click()
    page.locator("#id_username").fill("klant@example.nl")
    page.locator("input[name=options][value=anonymous]").check()
    step("7-gateway")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/checkout/shipping-address/"))

    fill_the_shipping_address(page)
    step("8-address")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/checkout/(shipping-method|payment-method)/"))

    if "/shipping-method/" in page.url:
        step("9-shipping-method")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(re.compile(r"/checkout/payment-method/"))

    page.get_by_label("Bankoverschrijving").check()
    step("10-payment-method")
    page.locator("#payment_method_form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/checkout/(preview|payment-details)/"))
    expect(page.locator("#place_order_form")).to_be_visible()
    step("11-preview")
    page.locator("#place_order_form button[type=submit], #place-order").first.click()

    expect(page).to_have_url(re.compile(r"/checkout/thank-you/"))
    body = page.locator("main").inner_text().replace("\xa0", " ")
    assert "NL91 ABNA 0417 1643 00" in body
    step("12-confirmation")

    assert not page.errors, page.errors
