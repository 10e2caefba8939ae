"""axe-core on the storefront's main pages: no serious or critical violations, at both widths."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import assert_fits, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def axe_violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"{AXE} missing: run `npm ci` (make e2e does)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


def guest_at_checkout(page, shop_url: str) -> None:
    """Put a product in the basket and reach the first checkout form as a guest."""
    page.goto(shop_url + "/catalogue/")
    page.locator("main form[action*='/basket/add/'] button[type=submit]").first.click()
    page.goto(shop_url + "/checkout/")


PAGES = {
    "home": "/",
    "collection": "collection",
    "product": "first-product",
    "guide": "/kennisbank/magnesium-mentale-gezondheid/",
    "faq": "/kennisbank/veelgestelde-vragen/",
    "search": "/search/?q=magnesium",
    "basket": "basket",
    "checkout": "checkout",
    "legal": "/herroepingsrecht/",
}


@pytest.mark.parametrize("width", [360, 1280])
def test_storefront_pages_have_no_serious_or_critical_axe_violations(
    shop_url, new_page, width, capsys
):
    from oscar.apps.catalogue.models import Category, Product

    # axe-core is injected as an inline script, which the storefront's CSP (rightly) refuses.
    page = new_page(width, bypass_csp=True)
    report = {}
    for name, target in PAGES.items():
        response = None
        if target == "first-product":
            product = Product.objects.filter(upc="MG-BIS-200").get()
            response = page.goto(shop_url + product.get_absolute_url())
        elif target == "collection":
            collection = Category.objects.get(slug="magnesium", depth=1)
            response = page.goto(shop_url + collection.get_absolute_url())
        elif target == "basket":
            page.goto(shop_url + "/catalogue/")
            page.locator("main form[action*='/basket/add/'] button[type=submit]").first.click()
            page.goto(shop_url + "/basket/")
        elif target == "checkout":
            guest_at_checkout(page, shop_url)
        else:
            response = page.goto(shop_url + target)
        # An error page would pass axe just as well: the audited page must be the real one.
        assert response is None or response.status == 200, (name, response.status)
        assert_fits(page, width)
        violations = axe_violations(page)
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        report[name] = (len(blocking), len(violations), blocking)
        if blocking:
            screenshot(page, f"axe-{width}-{name}")

    with capsys.disabled():
        print(f"\naxe-core at {width}px (serious+critical / all violations):")
        for name, (serious, total, _) in report.items():
            print(f"  {name:<11} {serious} / {total}")
    details = {
        name: [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in blocking]
        for name, (_, _, blocking) in report.items()
        if blocking
    }
    assert not details, details


def test_basket_quantity_can_be_changed_by_keyboard_alone(shop_url, new_page):
    page = new_page(1280)
    page.goto(shop_url + "/catalogue/")
    page.locator("main form[action*='/basket/add/'] button[type=submit]").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(shop_url + "/basket/")
    quantity = page.locator("#basket_formset input[name$='-quantity']").first
    quantity.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("3")
    # Oscar's ui.js posts the basket form by AJAX (jQuery fetched on demand) or the browser does.
    with page.expect_response(lambda r: r.url.endswith("/basket/") and r.request.method == "POST"):
        page.keyboard.press("Enter")
    page.reload()
    assert page.locator("#basket_formset input[name$='-quantity']").first.input_value() == "3"
    assert not page.errors, page.errors


def test_faq_accordion_opens_and_closes_by_keyboard(shop_url, new_page):
    page = new_page(360)
    page.goto(shop_url + "/kennisbank/veelgestelde-vragen/")
    summary = page.locator("main details > summary").first
    details = page.locator("main details").first
    summary.focus()
    assert not details.evaluate("d => d.open")
    page.keyboard.press("Enter")
    assert details.evaluate("d => d.open")
    page.keyboard.press("Space")
    assert not details.evaluate("d => d.open")
