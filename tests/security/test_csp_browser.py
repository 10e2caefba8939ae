"""The storefront under its Content-Security-Policy in Chromium: no violation on any page, and
what its scripts do still happens (hashed inline init calls, shop.js, Oscar's basket script)."""

from __future__ import annotations

import re

import pytest
from django.contrib.flatpages.models import FlatPage
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  var where = e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 160) : e.sourceFile;
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + where);
});
"""


def violations(page) -> list[str]:
    return page.evaluate("window.__csp")


def test_storefront_pages_run_their_scripts_without_a_single_csp_violation(shop_url, new_page):
    page = new_page(1280)
    page.context.add_init_script(WATCH)
    seen = {}

    def visit(path: str) -> None:
        response = page.goto(shop_url + path, wait_until="load")
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy, path
        page.wait_for_timeout(300)
        seen[path] = violations(page)

    flatpage = FlatPage.objects.first().url
    for path in ("/", "/catalogue/", "/kennisbank/", reverse("content:faq-list"), "/magnesiumvormen/",
                 "/search/?q=magnesium", flatpage, "/bestaat-niet/", "/accounts/login/"):  # fmt: skip
        visit(path)

    # A listing: the sort select submits on change (oscar.search.init, from the hashed script).
    page.goto(shop_url + "/catalogue/", wait_until="load")
    page.select_option("#id_sort_by", index=1)
    page.wait_for_url(re.compile(r"sort_by="))
    seen["/catalogue/ (sorted)"] = violations(page)

    # A product: add to basket (shop.js gives the shared page's form the visitor's CSRF token).
    page.locator(".product_pod h3 a").first.click()
    page.wait_for_load_state("load")
    seen["product"] = violations(page)
    page.locator("#add_to_basket_form button[type=submit]").click()
    page.wait_for_load_state("load")
    expect(page.locator(".mini-basket__count")).to_have_text(re.compile(r"^1\b"))

    # The basket: Oscar's basket script runs (its init call is an inline script allowed by hash,
    # and fetches jQuery and ui.js from this host).
    page.goto(shop_url + "/basket/", wait_until="load")
    page.wait_for_function(
        "window.jQuery && window.jQuery.fn && window.oscar.basket.is_form_being_submitted === false"
    )
    seen["/basket/"] = violations(page)

    page.goto(shop_url + "/checkout/", wait_until="load")
    page.wait_for_timeout(300)
    seen["/checkout/"] = violations(page)

    assert {path: v for path, v in seen.items() if v} == {}
    assert not [e for e in page.errors if "Content Security Policy" in e], page.errors


def test_account_forms_cancel_link_works_under_the_policy(shop_url, new_page, django_user_model):
    # Oscar's "of annuleren" link on the account forms goes back with an inline onclick; the
    # storefront policy allows that one handler by its hash ('unsafe-hashes'), nothing else.
    django_user_model.objects.create_user(
        username="csp", email="csp@example.com", password="een-lang-wachtwoord-42"
    )
    page = new_page(1280)
    page.context.add_init_script(WATCH)
    page.goto(shop_url + "/accounts/login/", wait_until="load")
    page.fill("#id_login-username", "csp@example.com")
    page.fill("#id_login-password", "een-lang-wachtwoord-42")
    page.locator("button[name=login_submit]").click()
    page.wait_for_load_state("load")
    page.goto(shop_url + "/accounts/profile/", wait_until="load")
    page.goto(shop_url + "/accounts/profile/edit/", wait_until="load")
    page.locator("form a[href='#']").last.click()
    page.wait_for_url(re.compile(r"/accounts/profile/$"))
    assert violations(page) == []
    assert not [e for e in page.errors if "Content Security Policy" in e], page.errors
