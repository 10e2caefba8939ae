"""What the product page costs a phone on first view: at most 150 KB over the wire."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

BUDGET = 150 * 1024


def test_product_page_first_view_transfers_at_most_150_kb(shop_url, new_page, capsys):
    from oscar.apps.catalogue.models import Product

    product = Product.objects.get(upc="MG-BIS-200")
    page = new_page(360, 740)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes: dict[str, int] = {}
    urls: dict[str, str] = {}
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )

    page.goto(shop_url + product.get_absolute_url(), wait_until="networkidle")
    total = sum(sizes.values())

    with capsys.disabled():
        print(
            f"\nProduct page first view at 360px: {total / 1024:.1f} KB in {len(sizes)} responses"
        )
        for request_id, size in sorted(sizes.items(), key=lambda item: -item[1]):
            print(f"  {size / 1024:7.1f} KB  {urls.get(request_id, '?')[len(shop_url) :]}")
    assert sizes, "no responses measured"
    assert total <= BUDGET, f"{total} bytes > {BUDGET}"
    assert not page.errors, page.errors
