"""The home page in a real browser (issue 19): axe-core finds no serious or critical violation
at 390 and 1280 px, nothing scrolls sideways, no script error, and the screenshots are kept in
test-artifacts/ to be looked at."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_fits, screenshot
from tests.browser.test_accessibility import BLOCKING, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_home_has_no_serious_axe_violations_and_fits(shop_url, new_page, width, capsys):
    page = new_page(width, bypass_csp=True)
    response = page.goto(shop_url + "/", wait_until="networkidle")
    assert response.status == 200
    assert page.locator("h1").inner_text().strip()
    assert page.locator(".home-promises li").count() == 4
    assert_fits(page, width)
    screenshot(page, f"home-{width}")
    violations = axe_violations(page)
    blocking = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in violations
        if v["impact"] in BLOCKING
    ]
    with capsys.disabled():
        print(
            f"\naxe-core on / at {width}px: {len(blocking)} serious+critical, {len(violations)} in all: {[v['id'] for v in violations]}"
        )
    assert not blocking, blocking
    assert not page.errors, page.errors
