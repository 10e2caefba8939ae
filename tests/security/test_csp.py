"""A Content-Security-Policy on every page: the storefront's without inline scripts but Oscar's
own (by hash), the dashboard's and the admin's as strict as Oscar's templates allow."""

from __future__ import annotations

from importlib import import_module

import pytest
from csp.constants import NONCE
from csp.decorators import csp_exempt, csp_update
from csp.utils import build_policy, default_config
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from oscar.apps.catalogue.models import Category, Product

from shop.csp import CSPMiddleware, is_staff_path
from tests.security.pages import inline_parts, script_hash

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.fixture
def demo_shop(db, settings):
    from content import demo as content_demo
    from features.legal.pages import legal_pages_publish
    from shop import demo

    cache.clear()
    import_module("shop.migrations.0001_delivery_countries").add_countries(django_apps, None)
    demo.load_catalogue()
    demo.load_offers()
    content_demo.load_seed_guide()
    legal_pages_publish()


def storefront_urls() -> list[str]:
    from content.models import Article

    product = Product.objects.filter(is_public=True, structure="standalone").first()
    category = Category.objects.get(slug="magnesium", depth=1)
    article = Article.objects.first()
    return [
        "/",
        reverse("catalogue:index"),
        product.get_absolute_url(),
        category.get_absolute_url(),
        reverse("search:search") + "?q=magnesium",
        reverse("content:article-list"),
        article.get_absolute_url(),
        reverse("content:faq-list"),
        reverse("shop:form-comparison"),
        reverse("offer:list"),
        FlatPage.objects.first().url,
        "/bestaat-niet/",
        reverse("basket:summary"),
        reverse("customer:login"),
    ]


def customer_urls() -> list[str]:
    return [
        reverse("basket:summary"),
        reverse("checkout:index"),
        reverse("customer:summary"),
        reverse("customer:order-list"),
        reverse("customer:wishlists-list"),
        reverse("customer:notifications-inbox"),
        reverse("customer:profile-update"),
    ]


def _pages(demo_shop, django_user_model):
    product = Product.objects.filter(is_public=True, structure="standalone").first()
    anonymous = Client()
    with_basket = Client()
    with_basket.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    customer = Client()
    user = django_user_model.objects.create_user("klant@example.nl", "klant@example.nl", "x")
    customer.force_login(user)
    customer.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    pages = []
    for client, urls in (
        (anonymous, storefront_urls()),
        (with_basket, [reverse("basket:summary"), reverse("checkout:index")]),
        (customer, customer_urls()),
    ):
        for url in urls:
            response = client.get(url, follow=True)
            assert response.status_code in (200, 404), url
            pages.append((url, response))
    return pages


def test_every_inline_script_of_the_storefront_is_allowed_by_its_hash_and_nothing_else_inline(
    demo_shop, django_user_model
):
    allowed = set(settings.SHOP_CSP_SCRIPT_HASHES)
    unlisted, handlers, styles = {}, {}, {}
    for url, response in _pages(demo_shop, django_user_model):
        policy = directives(response["Content-Security-Policy"])
        assert "'unsafe-inline'" not in policy["script-src"], url
        assert not any("nonce" in source for source in policy["script-src"]), url
        parts = inline_parts(response.content.decode())
        for text in parts.scripts:
            if script_hash(text) not in allowed:
                unlisted[script_hash(text)] = (url, text)
        handlers.update({h: url for h in parts.handlers})
        styles.update({s: url for s in parts.style_attributes if s != "<div style='display:none'>"})
    assert not unlisted, f"inline scripts the storefront policy blocks: {unlisted}"
    # An inline handler would be blocked by the policy: the feature would break. Oscar's back and
    # Oscar's form partial (account pages) keeps its inline "cancel" link: listed, not run.
    handlers = {h: url for h, url in handlers.items() if "history.go(-1)" not in h}
    assert not handlers, handlers
    assert not styles, styles


def test_storefront_policy_allows_only_this_host(client):
    policy = directives(client.get("/").headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    # 'unsafe-hashes': only hashed inline handlers run (Oscar's "of annuleren" link).
    assert all(
        s in ("'self'", "'unsafe-hashes'") or s.startswith("'sha256-") for s in policy["script-src"]
    )
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_dashboard_and_admin_get_the_staff_policy(admin_client):
    for url in ("/dashboard/", "/dashboard/catalogue/", "/admin/", "/dashboard/kennisbank/gidsen/"):
        response = admin_client.get(url, follow=True)
        assert response.status_code == 200, url
        assert is_staff_path(response.request["PATH_INFO"]), url
        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"], url
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"]
        assert policy["default-src"] == ["'self'"]
        # jQuery from this host, not Google's CDN (templates/oscar/dashboard/layout.html).
        assert b"ajax.googleapis.com" not in response.content, url


def test_error_pages_carry_the_policy(client):
    response = client.get("/bestaat-niet-echt/")
    assert response.status_code == 404
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_a_shared_render_that_uses_a_nonce_is_not_stored(rf):
    from features.perf.middleware import SharedPageMiddleware

    request = rf.get("/")
    assert SharedPageMiddleware.leaks(request, None) == ""
    request._csp_nonce = "bm9uY2U="  # what django-csp sets once a template reads the nonce
    assert SharedPageMiddleware.leaks(request, None) == "a CSP nonce was used"


def _header(rf, path: str = "/", view=None) -> str | None:
    """The policy our middleware gives the response of `view` (a bare page by default)."""
    middleware = CSPMiddleware(lambda request: HttpResponse())
    request = rf.get(path)
    middleware.process_request(request)
    response = (view or (lambda request: HttpResponse()))(request)
    return middleware.process_response(request, response).get("Content-Security-Policy")


def test_the_policy_kept_per_process_is_the_one_django_csp_builds_and_follows_the_settings(
    rf, settings
):
    assert _header(rf) == build_policy()
    staff = build_policy(config=default_config(settings.SHOP_CSP_STAFF))
    assert _header(rf, "/dashboard/catalogue/") == staff
    # A changed setting (a deploy, a test) reaches the next response.
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert _header(rf) == "default-src 'none'"
    settings.SHOP_CSP_STAFF = {"default-src": ["'self'"], "img-src": ["'self'"]}
    assert directives(_header(rf, "/dashboard/")) == {
        "default-src": ["'self'"],
        "img-src": ["'self'"],
    }


def test_a_view_with_a_policy_of_its_own_keeps_it(rf):
    def page(request):
        return HttpResponse()

    updated = _header(rf, view=csp_update({"img-src": ["https://beeld.example"]})(page))
    assert "https://beeld.example" in directives(updated)["img-src"]
    assert _header(rf, view=csp_exempt()(page)) is None


def test_a_response_whose_render_read_the_nonce_gets_it_in_its_policy(rf, settings):
    # The shop uses no nonce (a shared page must not carry one); a policy that does still works.
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
    middleware = CSPMiddleware(lambda request: HttpResponse())
    request = rf.get("/")
    middleware.process_request(request)
    nonce = str(request.csp_nonce)  # what a template that reads the nonce does
    response = middleware.process_response(request, HttpResponse())
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert directives(_header(rf))["script-src"] == ["'self'"]  # a page that did not read it
