"""The browser suite's fixtures (Chromium, the demo shop, guarded pages) for the browser tests here."""

from tests.browser.conftest import browser, new_page, shop_url  # noqa: F401
