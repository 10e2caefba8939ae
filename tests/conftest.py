"""Fixtures for the whole suite: a media root per test, and the browser tests' Chromium.

The browser fixtures live here, not in tests/browser/conftest.py, so that tests/browser and
tests/security share one Chromium per test session (per xdist worker): two sync Playwright
instances cannot run at once, and a fixture defined in two conftests would start two.
"""

from __future__ import annotations

import os
import shutil
from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache

from tests.factories import ensure_countries

CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium (headless) through Playwright, started once per session; each test
    opens contexts of its own (new_page), so no cookie or storage is carried over."""
    # Playwright's sync API runs an event loop in this thread from here on; Django's ORM calls in
    # fixtures and tests are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # Imported here: only the browser tests need Playwright (and its event loop) at all.
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def shop_url(live_server, settings, tmp_path):
    """The live server's URL, with the demo catalogue, the seed guide and the legal pages."""
    from content import demo as content_demo
    from features.legal.pages import legal_pages_publish
    from shop import demo

    settings.ROOT_URLCONF = "tests.browser.urls"
    # sorl-thumbnail remembers generated thumbnails in the cache; each test has a new MEDIA_ROOT.
    cache.clear()
    # Transactional tests start from a flushed database: put back what data migrations add.
    delivery_countries = import_module("shop.migrations.0001_delivery_countries")
    delivery_countries.add_countries(django_apps, None)
    demo.load_catalogue()
    demo.load_offers()
    content_demo.load_seed_guide()
    legal_pages_publish()
    return live_server.url


class OutsideRequests(list):
    """Requests the page tried to send to a host other than this machine (blocked)."""


@pytest.fixture
def new_page(browser):
    """Open pages at a given width; any request leaving 127.0.0.1 is blocked and recorded."""
    contexts = []
    outside = OutsideRequests()

    def guard(route):
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    def open_page(width: int, height: int = 800, *, bypass_csp: bool = False):
        # bypass_csp: only for a test tool that injects an inline script (axe-core).
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="nl-NL",
            service_workers="block",
            bypass_csp=bypass_csp,
        )
        context.route("**/*", guard)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on(
            "console",
            lambda message: page.errors.append(message.text) if message.type == "error" else None,
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not outside, f"requests left 127.0.0.1: {outside}"


@pytest.fixture
def countries(db):
    """The shipping countries a checkout needs (tests/shop and the features' checkout tests)."""
    ensure_countries()
