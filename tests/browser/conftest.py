"""Playwright on Debian's Chromium against pytest-django's live server with the demo shop."""

from __future__ import annotations

import os
import shutil
from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in fixtures are
# still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

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
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture(scope="module")
def browser():
    # Module scope: other browser test modules start their own Playwright, and two sync
    # Playwright instances cannot run at once.
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
    from shop import demo
    from shop.legal import legal_pages_publish

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


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ (git-ignored) and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_fits(page, width: int) -> None:
    """The page never scrolls sideways at this width."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide at {width}px"
