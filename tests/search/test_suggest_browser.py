"""Search-as-you-type in a real browser (issue 20): the combobox works by keyboard alone under
the storefront's CSP, and axe-core finds nothing serious with the suggestions open."""

from __future__ import annotations

import pytest

from tests.browser.test_accessibility import BLOCKING, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INPUT = "#id_search_page_q"


def _type_and_wait(page, text: str):
    field = page.locator(INPUT)
    field.click()
    field.press_sequentially(text, delay=30)
    listbox = page.locator(f"#{field.get_attribute('aria-controls')}")
    listbox.locator("[role=option]").first.wait_for(state="visible", timeout=10_000)
    return field, listbox


def test_suggestions_by_keyboard_under_the_storefront_csp(shop_url, new_page):  # noqa: F811
    page = new_page(1280)  # no CSP bypass: the script must run as customers get it
    page.goto(shop_url + "/search/?q=magnesium")
    field, listbox = _type_and_wait(page, "glycin")
    assert field.get_attribute("role") == "combobox"
    assert field.get_attribute("aria-expanded") == "true"
    options = listbox.locator("[role=option]")
    assert "Glycinaat" in options.first.inner_text()
    status = page.locator("form[role=search] [role=status]").last
    count = options.count()
    said = "1 suggestie beschikbaar." if count == 1 else f"{count} suggesties beschikbaar."
    assert status.inner_text().startswith(said), (count, status.inner_text())

    page.keyboard.press("ArrowDown")
    first_id = options.first.get_attribute("id")
    assert field.get_attribute("aria-activedescendant") == first_id
    assert options.first.get_attribute("aria-selected") == "true"
    page.keyboard.press("Escape")
    assert field.get_attribute("aria-expanded") == "false"
    assert listbox.is_hidden()
    page.keyboard.press("ArrowDown")  # opens again on the first option
    assert field.get_attribute("aria-expanded") == "true"
    url = options.first.get_attribute("data-url")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(url)
    assert not page.errors, page.errors


def test_open_suggestions_have_no_serious_axe_violations(shop_url, new_page):  # noqa: F811
    page = new_page(360, bypass_csp=True)  # axe-core is injected as an inline script
    page.goto(shop_url + "/search/?q=magnesium")
    _type_and_wait(page, "magnes")
    page.keyboard.press("ArrowDown")
    violations = axe_violations(page)
    blocking = [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in violations
        if v["impact"] in BLOCKING
    ]
    print(f"\naxe-core, suggestions open: {len(blocking)} serious+critical / {len(violations)} all")
    assert not blocking, blocking


def test_the_header_search_suggests_on_a_page_without_a_search_form(
    shop_url,
    new_page,  # noqa: F811
):
    page = new_page(1280)
    page.goto(shop_url + "/")
    field = page.locator("#site-search-q")
    field.click()
    field.press_sequentially("glycin", delay=30)
    listbox = page.locator(f"#{field.get_attribute('aria-controls')}")
    options = listbox.locator("[role=option]")
    options.first.wait_for(state="visible", timeout=10_000)
    assert field.get_attribute("role") == "combobox"
    assert "Glycinaat" in options.first.inner_text()
    page.keyboard.press("ArrowDown")
    assert field.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    url = options.first.get_attribute("data-url")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(url)
    assert not page.errors, page.errors


def test_the_header_search_without_suggestions_is_a_plain_search_form(
    shop_url,
    new_page,  # noqa: F811
):
    page = new_page(1280)
    page.goto(shop_url + "/")
    field = page.locator("#site-search-q")
    field.fill("glycinaat")
    with page.expect_navigation():
        field.press("Enter")  # no option chosen: the form submits
    assert "/search/?q=glycinaat" in page.url
    assert "Glycinaat" in page.locator("#search-products").locator("..").inner_text()
