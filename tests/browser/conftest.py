"""Helpers of the browser tests (Playwright on Debian's Chromium against pytest-django's live
server with the demo shop). Their fixtures (browser, shop_url, new_page) are in tests/conftest.py:
one Chromium for the whole session, shared with tests/security."""

from __future__ import annotations

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


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


def fill_the_shipping_address(page) -> None:
    """Fill the checkout's shipping-address form as a guest in Utrecht."""
    page.get_by_label("Voornaam").fill("Sanne")
    page.get_by_label("Achternaam").fill("de Vries")
    page.get_by_label("Straat en huisnummer").fill("Oudegracht 12")
    page.get_by_label("Postcode").fill("3511ab")
    page.get_by_label("Plaats").fill("Utrecht")
