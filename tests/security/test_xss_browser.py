"""140 XSS payloads stored in every rich-text sink, rendered in Chromium on the storefront page and
the dashboard page that show it: nothing runs, and the storefront reports no CSP violation."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from oscar.apps.catalogue.models import Category
from oscar.apps.catalogue.reviews.models import ProductReview

from shop.offer.models import Benefit, Condition, ConditionalOffer, Range
from tests.factories import ArticleFactory, FaqFactory, make_product
from tests.security.payloads import END, html_batch, markdown_batch, payloads

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set before any page script: what a payload that ran would leave behind.
DETECTOR = """
window.__xss = 0;
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture
def sinks(live_server, settings, django_user_model):
    """Every sink filled with the whole corpus; the storefront and dashboard URLs that show it."""
    settings.ROOT_URLCONF = "tests.security.urls"
    cache.clear()
    html, markdown = html_batch(), markdown_batch()
    product = make_product(upc="XSS-1", title="XSS-product")
    product.description = html
    product.save()
    admin = django_user_model.objects.create_superuser(
        "beheer@example.nl", "beheer@example.nl", "x"
    )
    review = ProductReview.objects.create(
        product=product, title="Recensie", body=html, score=5, user=admin,
        status=ProductReview.APPROVED,
    )  # fmt: skip
    category = Category.add_root(name="XSS-categorie", description=html)
    category.long_description = html if hasattr(category, "long_description") else None
    category.save()
    # The range's name goes into the offer's incentive and condition texts (Oscar's range_anchor).
    product_range = Range.objects.create(
        name='Bereik <img src=x onerror=alert(1)><script>alert(1)</script>',
        description=html, is_public=True, includes_all_products=True,
    )  # fmt: skip
    condition = Condition.objects.create(range=product_range, type=Condition.COUNT, value=1)
    benefit = Benefit.objects.create(range=product_range, type=Benefit.PERCENTAGE, value=5)
    offer = ConditionalOffer.objects.create(
        name="XSS-actie", slug="xss-actie", description=html, offer_type=ConditionalOffer.SITE,
        condition=condition, benefit=benefit, status=ConditionalOffer.OPEN,
    )  # fmt: skip
    flatpage = FlatPage.objects.create(url="/xss-pagina/", title="XSS-pagina", content=html)
    flatpage.sites.add(Site.objects.get_current())
    article = ArticleFactory(title="XSS-gids", slug="xss-gids", body=markdown)
    faq = FaqFactory(question="XSS-vraag?", answer=markdown)

    client = Client()
    client.force_login(admin)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    storefront = {
        "product description, reviews": product.get_absolute_url(),
        "reviews": reverse(
            "catalogue:reviews-detail",
            kwargs={"product_slug": product.slug, "product_pk": product.pk, "pk": review.pk},
        ),
        "category description": category.get_absolute_url(),
        "offer description (list)": reverse("offer:list"),
        "offer description (detail)": reverse("offer:detail", kwargs={"slug": offer.slug}),
        "range description": reverse("catalogue:range", kwargs={"slug": product_range.slug}),
        "flatpage": flatpage.url,
        "guide body": article.get_absolute_url(),
        "FAQ answer": reverse("content:faq-list"),
    }
    dashboard = {
        "product description (TinyMCE)": reverse(
            "dashboard:catalogue-product", kwargs={"pk": product.pk}
        ),
        "category description (TinyMCE)": reverse(
            "dashboard:catalogue-category-update", kwargs={"pk": category.pk}
        ),
        "reviews (list)": reverse("dashboard:reviews-list"),
        "review (edit)": reverse("dashboard:reviews-update", kwargs={"pk": review.pk}),
        "offer texts (list)": reverse("dashboard:offer-list"),
        "offer texts (detail)": reverse("dashboard:offer-detail", kwargs={"pk": offer.pk}),
        "range (edit)": reverse("dashboard:range-update", kwargs={"pk": product_range.pk}),
        "flatpage (edit)": reverse("dashboard:page-update", kwargs={"pk": flatpage.pk}),
        "guide body (edit)": reverse(
            "content_dashboard:kennisbank-article-update", kwargs={"pk": article.pk}
        ),
        "guide body (preview)": reverse(
            "content_dashboard:kennisbank-article-preview", kwargs={"pk": article.pk}
        ),
        "FAQ answer (edit)": reverse(
            "content_dashboard:kennisbank-faq-update", kwargs={"pk": faq.pk}
        ),
    }
    return {
        "url": live_server.url,
        "session": session,
        "storefront": storefront,
        "dashboard": dashboard,
    }


# Pages that show only part of what is stored: the review list its title, the offer list the
# incentive and condition texts (with the range's name, which holds payloads too).
EXPECTED_TEXT = {"dashboard: reviews (list)": "Recensie", "dashboard: offer texts (list)": "Bereik"}


def visit(page, base: str, path: str, expect: str = END) -> dict:
    """Open `path`, wait for it to settle, move over and focus things; what ran and what CSP blocked."""
    ran: list[str] = []
    page.on("dialog", lambda dialog: (ran.append(f"dialog {dialog.message}"), dialog.dismiss()))
    page.on(
        "request",
        lambda request: (
            ran.append(f"request {request.url}")
            if "xss-marker" in request.url and request.resource_type != "image"
            else None
        ),
    )
    response = page.goto(base + path, wait_until="load")
    page.wait_for_timeout(400)
    page.mouse.move(10, 10)
    page.mouse.move(400, 400)
    page.keyboard.press("Tab")
    page.wait_for_timeout(200)
    if page.evaluate("window.__xss"):
        ran.append("window.__xss set")
    return {
        "status": response.status if response else None,
        "shown": expect in page.content() or any(expect in f.content() for f in page.frames[1:]),
        "ran": ran,
        "csp": page.evaluate("window.__csp || []"),
        "final": page.url,
    }


def open_page(browser, base, session=None):
    context = browser.new_context(locale="nl-NL", service_workers="block")
    context.add_init_script(DETECTOR)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith((base, "data:", "blob:", "about:"))
            else route.abort()
        ),
    )
    if session:
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
    return context, context.new_page()


def test_no_payload_runs_in_any_sink_on_the_storefront_or_the_dashboard(browser, sinks):
    base = sinks["url"]
    results = {}
    context, page = open_page(browser, base)
    for name, path in sinks["storefront"].items():
        results[f"storefront: {name}"] = visit(page, base, path)
    context.close()
    context, page = open_page(browser, base, sinks["session"])
    for name, path in sinks["dashboard"].items():
        key = f"dashboard: {name}"
        results[key] = visit(page, base, path, EXPECTED_TEXT.get(key, END))
    context.close()

    for name, result in results.items():
        assert result["status"] == 200, (name, result)
        assert "/accounts/login" not in result["final"], (name, result)
        assert result["shown"], f"{name}: the stored batch is not on the page"
    ran = {name: r["ran"] for name, r in results.items() if r["ran"]}
    storefront_violations = {
        name: r["csp"] for name, r in results.items() if name.startswith("storefront") and r["csp"]
    }
    pages = len(results)
    print(
        f"\nXSS: {len(payloads())} payloads x {pages} pages "
        f"({len(sinks['storefront'])} storefront, {len(sinks['dashboard'])} dashboard) = "
        f"{len(payloads()) * pages} payload renders, executions: {sum(map(len, ran.values()))}"
    )
    assert ran == {}
    assert storefront_violations == {}


def test_the_detector_sees_payloads_run_without_sanitising_and_the_policy_stops_them(
    browser, sinks
):
    base = sinks["url"]
    context, page = open_page(browser, base)
    unprotected = visit(page, base, "/xss-control/no-policy/")
    context.close()
    context, page = open_page(browser, base)
    policy_only = visit(page, base, "/xss-control/storefront-policy/")
    context.close()
    print(
        f"\nControl, corpus unsanitised: {len(unprotected['ran'])} executions without a policy, "
        f"{len(policy_only['ran'])} under the storefront's CSP "
        f"({len(policy_only['csp'])} violations reported)"
    )
    assert len(unprotected["ran"]) >= 20
    # The policy alone stops every inline script, handler and javascript: URL; what it lets
    # through are loads from this host (script src="/...", a stylesheet), allowed by 'self':
    # hence the sanitising, which removes those tags.
    assert [r for r in policy_only["ran"] if not r.startswith(f"request {base}/")] == []
