"""The browser suite's Chromium fixture, for the XSS and CSP browser tests here."""

from tests.browser.conftest import browser  # noqa: F401
