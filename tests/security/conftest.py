"""The browser tests here use the suite's Chromium fixtures (browser, shop_url, new_page) from
tests/conftest.py."""
