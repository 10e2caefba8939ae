"""The storefront pages test_csp.py does not visit (a customer's wishlist form, notification and
e-mail pages, orders, addresses, the checkout steps and the thank-you page): every inline script
is allowed by its hash, no inline handler but Oscar's hashed "or cancel" link, no inline style but
the hashed display:none (issue 14). A part the policy refuses breaks the page's feature."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import (
    add_to_basket,
    checkout_to_preview,
    ensure_countries,
    make_product,
    place_order,
)
from tests.security.pages import inline_parts, script_hash

Email = get_model("communication", "Email")
Notification = get_model("communication", "Notification")
WishList = get_model("wishlists", "WishList")
Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db

ALLOWED_HANDLERS = ("history.go(-1);return false", "window.history.go(-1);return false")
ALLOWED_STYLES = ("<div style='display:none'>",)


def refused_parts(html: str) -> list[str]:
    parts = inline_parts(html)
    allowed = set(settings.SHOP_CSP_SCRIPT_HASHES)
    refused = [
        f"script {text.strip()[:80]!r}"
        for text in parts.scripts
        if script_hash(text) not in allowed
    ]
    refused += [h for h in parts.handlers if not any(f"={a!r}>" in h for a in ALLOWED_HANDLERS)]
    refused += [s for s in parts.style_attributes if s not in ALLOWED_STYLES]
    refused += ["<style> block"] * parts.style_blocks
    return refused


def test_account_and_checkout_pages_carry_nothing_inline_the_policy_refuses(
    client, django_user_model
):
    ensure_countries()
    user = django_user_model.objects.create_user("klant", "klant@example.nl", "wachtwoord-1")
    client.force_login(user)
    product = make_product(title="Magnesium CSP", price="9.95", stock=10)
    wishlist = WishList.objects.create(owner=user, name="Verlanglijst")
    wishlist.add(product)
    notification = Notification.objects.create(
        recipient=user, subject="Weer op voorraad", body="Magnesium CSP is er weer."
    )
    email = Email.objects.create(
        user=user,
        email=user.email,
        subject="Je bestelling",
        body_text="Bedankt",
        body_html="<p>Bedankt voor je bestelling.</p>",
    )
    add_to_basket(client, product, 1)
    checkout_steps = {}
    for name in (
        "checkout:shipping-address",
        "checkout:shipping-method",
        "checkout:payment-method",
    ):
        checkout_steps[name] = client.get(reverse(name), follow=True)
    checkout_to_preview(client, email=None)
    checkout_steps["checkout:preview"] = client.get(reverse("checkout:preview"))
    place_order(client)
    checkout_steps["checkout:thank-you"] = client.get(reverse("checkout:thank-you"))
    order = Order.objects.get()
    urls = [
        reverse("customer:wishlists-create"),
        reverse("customer:wishlists-detail", kwargs={"key": wishlist.key}),
        reverse("customer:wishlists-update", kwargs={"key": wishlist.key}),
        reverse("customer:notifications-detail", kwargs={"pk": notification.pk}),
        reverse("customer:notifications-archive"),
        reverse("customer:email-list"),
        reverse("customer:email-detail", kwargs={"email_id": email.pk}),
        reverse("customer:order-list"),
        reverse("customer:order", kwargs={"order_number": order.number}),
        reverse("customer:address-list"),
        reverse("customer:address-create"),
        reverse("customer:change-password"),
        reverse("customer:alerts-list"),
        reverse("customer:profile-view"),
    ]
    refused = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        refused[url] = refused_parts(response.content.decode())
    for name, response in checkout_steps.items():
        assert response.status_code == 200, name
        refused[name] = refused_parts(response.content.decode())
    client.logout()
    for url in (reverse("customer:register"), reverse("password-reset")):
        response = client.get(url)
        assert response.status_code == 200, url
        refused[url] = refused_parts(response.content.decode())

    assert {url: parts for url, parts in refused.items() if parts} == {}


def test_the_email_page_fills_its_preview_from_a_file_not_inline(client, django_user_model):
    user = django_user_model.objects.create_user("klant", "klant@example.nl", "wachtwoord-1")
    client.force_login(user)
    email = Email.objects.create(user=user, email=user.email, subject="Je bestelling")

    html = client.get(reverse("customer:email-detail", kwargs={"email_id": email.pk})).content

    assert b'src="/static/shop/js/email-preview.js"' in html
    assert b"doc.write" not in html
