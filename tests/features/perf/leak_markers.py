"""Builders for the leak suite (tests/features/perf/test_leak_suite.py): a small storefront, visitors who
carry every kind of private state, and the distinctive markers that state shows up as in HTML.

Each marker is a string that cannot occur on a page by chance, so finding one in another
visitor's HTML can only mean that visitor was given HTML rendered for someone else.
"""

from __future__ import annotations

import json
import re
import string
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import get_random_string
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.apps.catalogue.models import Product, ProductCategory
from oscar.apps.customer.models import ProductAlert
from oscar.apps.wishlists.models import WishList
from oscar.test.factories import UserFactory

from content import services
from features.legal.pages import legal_pages_publish
from shop.partner.models import StockRecord
from tests.factories import (
    ArticleFactory,
    FaqFactory,
    make_parent_supplement,
    make_product,
    make_supplement,
)

# Django's alphabet for CSRF secrets and masked tokens (django.middleware.csrf).
CSRF_CHARS = string.ascii_letters + string.digits
CSRF_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]*)"')

# The shop's texts for what only one visitor may see, as Oscar's templates render them (nl).
OSCAR_TEXTS = {
    "staff link": "Edit this product",
    "alert state": "You have an active stock alert for this product.",
    "recently viewed": "Products you recently viewed",
}


def oscar_text(name: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(OSCAR_TEXTS[name])


@dataclass(frozen=True)
class Identity:
    """Who a visitor is, in strings no page holds by chance."""

    email: str
    username: str
    first_name: str
    last_name: str
    wishlist_name: str
    wishlist_key: str  # WishList.key is 6 characters
    quantity: int  # of the basket's one line: its count and total show in the header
    message: str
    staff: bool = False


IDENTITIES = {
    "superuser": Identity(
        email="leak-a-7f3k@example.nl",
        username="leak-a-7f3k",
        first_name="Zorgvuldigheid-A",
        last_name="Onverwisselbaar-A",
        wishlist_name="Geheime-lijst-A",
        wishlist_key="qa7zx4",
        quantity=7,
        message="Geheim-bericht-A-5v2q: je retour is goedgekeurd",
        staff=True,
    ),
    "customer": Identity(
        email="leak-b-9q2m@example.nl",
        username="leak-b-9q2m",
        first_name="Zorgvuldigheid-B",
        last_name="Onverwisselbaar-B",
        wishlist_name="Geheime-lijst-B",
        wishlist_key="qb8wy5",
        quantity=8,
        message="Geheim-bericht-B-3k8d: je retour is goedgekeurd",
    ),
    # The later visitor who is signed in: an account of their own and nothing else.
    "other customer": Identity(
        email="leak-c-4h6t@example.nl",
        username="leak-c-4h6t",
        first_name="Zorgvuldigheid-C",
        last_name="Onverwisselbaar-C",
        wishlist_name="Geheime-lijst-C",
        wishlist_key="qc9vx6",
        quantity=0,
        message="",
    ),
}

# The basket product's price: the line total (7 x 13,37 = 93,59; 8 x 13,37 = 106,96) shows up
# nowhere else.
BASKET_PRICE = Decimal("13.37")


def money(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


@dataclass
class Storefront:
    urls: dict[str, str]
    standalone: Product
    parent: Product
    variant: Product
    sold_out: Product
    basket_product: Product
    history_product: Product


def build_storefront() -> Storefront:
    """A catalogue with one of everything the storefront URL patterns show: a category, a
    product in stock, a sold-out one (stock alerts), a parent with variants, a guide and FAQs
    linked to the products, and the legal flatpages. Run inside on-commit callbacks: the search
    documents are written on commit (shop.search.indexing)."""
    category = create_from_breadcrumbs("Magnesium")
    standalone = make_supplement(upc="LEAK-CIT", title="Magnesiumcitraat Lekproef", price="19.95")
    basket_product = make_supplement(
        upc="LEAK-BIS",
        title="Magnesiumbisglycinaat Lekproef",
        forms=("bisglycinaat",),
        price=str(BASKET_PRICE),
    )
    sold_out = make_supplement(
        upc="LEAK-MAL", title="Magnesiummalaat Lekproef", forms=("malaat",), price="17.50"
    )
    StockRecord.objects.filter(product=sold_out).update(num_in_stock=0)
    parent, variants = make_parent_supplement(
        upc="LEAK-TAU", title="Magnesiumtauraat Lekproef", stock_by_pack={60: 10, 120: 10}
    )
    for product in (standalone, basket_product, sold_out, parent):
        ProductCategory.objects.create(product=product, category=category)
    # Only in the history cookie: in no category, guide or search result for "magnesium", so on
    # a product page it can only come from someone's recently-viewed list.
    history_product = make_product(upc="LEAK-HIST", title="Herinneringsboekje Wqz", price="4.95")

    guide = ArticleFactory(title="Magnesium en slaap", slug="magnesium-en-slaap-lekproef")
    services.article_link_products(article=guide, products=[standalone, sold_out, parent])
    for i in range(2):
        faq = FaqFactory(question=f"Welke magnesiumvorm past bij mij {i}?")
        services.faq_link_products(faq=faq, products=[standalone, parent])
    legal_pages_publish()

    urls = {
        "home": "/",
        "listing": reverse("catalogue:index"),
        "category": category.get_absolute_url(),
        "product": standalone.get_absolute_url(),
        "product-sold-out": sold_out.get_absolute_url(),
        "product-with-variants": parent.get_absolute_url(),
        "product-variant": variants[0].get_absolute_url(),
        "guide": guide.get_absolute_url(),
        "guides": reverse("content:article-list"),
        "faq": reverse("content:faq-list"),
        "search": "/search/?q=magnesium",
        "form-comparison": reverse("shop:form-comparison"),
        "basket": reverse("basket:summary"),
        "legal": "/privacy/",
    }
    return Storefront(
        urls=urls,
        standalone=standalone,
        parent=parent,
        variant=variants[0],
        sold_out=sold_out,
        basket_product=basket_product,
        history_product=history_product,
    )


@dataclass
class Visitor:
    """A test client with the markers of everything private it carries, by kind of marker."""

    client: Client
    identity: Identity | None = None
    markers: dict[str, set[str]] = field(default_factory=dict)
    csrf_secrets: set[str] = field(default_factory=set)

    def mark(self, kind: str, *values: str) -> None:
        self.markers.setdefault(kind, set()).update(v for v in values if v)

    def get(self, url: str, **extra):
        # "/" redirects to the catalogue: follow it, the page is what a visitor sees.
        return self.client.get(url, follow=url.split("?")[0] == "/", **extra)

    def give_csrf_cookie(self) -> None:
        secret = get_random_string(32, allowed_chars=CSRF_CHARS)
        self.client.cookies[settings.CSRF_COOKIE_NAME] = secret
        self.csrf_secrets.add(secret)
        self.mark("CSRF token", secret)

    def note_csrf_tokens(self, html: str) -> None:
        """The CSRF cookie as a response left it (a new secret is as private) and every masked
        token of this visitor's secrets that a page gave them."""
        cookie = self.client.cookies.get(settings.CSRF_COOKIE_NAME)
        if cookie is not None and cookie.value:
            self.csrf_secrets.add(cookie.value)
            self.mark("CSRF token", cookie.value)
        self.mark("CSRF token", *(t for t in CSRF_TOKEN.findall(html) if self.owns_token(t)))

    def owns_token(self, token: str) -> bool:
        """Whether `token` is one of this visitor's secrets or a masked token made from one."""
        return token in self.csrf_secrets or unmask_csrf_token(token) in self.csrf_secrets


def unmask_csrf_token(token: str) -> str:
    """The secret a 64-character masked CSRF token was made from (django.middleware.csrf)."""
    if len(token) != 64 or any(c not in CSRF_CHARS for c in token):
        return ""
    mask, cipher = token[:32], token[32:]
    return "".join(
        CSRF_CHARS[(CSRF_CHARS.index(c) - CSRF_CHARS.index(m)) % len(CSRF_CHARS)]
        for c, m in zip(cipher, mask, strict=True)
    )


def make_user(identity: Identity):
    return UserFactory(
        email=identity.email,
        username=identity.username,
        first_name=identity.first_name,
        last_name=identity.last_name,
        is_staff=identity.staff,
        is_superuser=identity.staff,
    )


def signed_in(identity: Identity) -> Visitor:
    """A signed-in visitor without any state of their own (a session, a CSRF cookie)."""
    visitor = Visitor(client=Client(), identity=identity)
    visitor.client.force_login(make_user(identity))
    visitor.give_csrf_cookie()
    return visitor


def anonymous() -> Visitor:
    return Visitor(client=Client())


def first_visitor(role: str, shop: Storefront) -> Visitor:
    """A signed-in visitor (superuser or customer) with a wishlist, an active stock alert, a
    basket, a flash message waiting, recently viewed products and a CSRF cookie; `markers`
    holds how each shows up in HTML."""
    identity = IDENTITIES[role]
    user = make_user(identity)
    wishlist = WishList.objects.create(owner=user, name=identity.wishlist_name)
    WishList.objects.filter(pk=wishlist.pk).update(key=identity.wishlist_key)  # save() draws one
    wishlist.refresh_from_db()
    wishlist.add(shop.standalone)  # "Product is in ‘…’": the other products offer "Add to ‘…’"
    ProductAlert.objects.create(user=user, product=shop.sold_out, status=ProductAlert.ACTIVE)

    visitor = Visitor(client=Client(), identity=identity)
    client = visitor.client
    client.force_login(user)
    added = client.post(
        reverse("basket:add", kwargs={"pk": shop.basket_product.pk}),
        {"quantity": identity.quantity},
    )
    assert added.status_code == 302, added
    # The flash message this visitor reads on their next page (it replaces the basket's own).
    storage = CookieStorage(HttpRequest())
    storage.add(constants.SUCCESS, identity.message)
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    client.cookies[settings.OSCAR_RECENTLY_VIEWED_COOKIE_NAME] = json.dumps(
        [shop.history_product.pk, shop.standalone.pk, shop.sold_out.pk]
    )
    visitor.give_csrf_cookie()

    visitor.mark("e-mail", identity.email)
    visitor.mark("name", identity.first_name, identity.last_name, identity.username)
    visitor.mark("wishlist name", identity.wishlist_name)
    visitor.mark("wishlist key", identity.wishlist_key)
    total = money(BASKET_PRICE * identity.quantity)
    visitor.mark("basket lines", f'mini-basket__count">{identity.quantity}<', total)
    visitor.mark("message text", identity.message, identity.message.split(":")[0])
    visitor.mark("session id", client.cookies[settings.SESSION_COOKIE_NAME].value)
    visitor.mark("alert state", oscar_text("alert state"))
    visitor.mark(
        "staff links",
        oscar_text("staff link"),
        'href="/dashboard/',
        *(
            reverse("dashboard:catalogue-product", kwargs={"pk": p.pk})
            for p in (shop.standalone, shop.sold_out, shop.parent, shop.variant)
        ),
    )
    visitor.mark("recently viewed", oscar_text("recently viewed"))
    return visitor


def leaked(html: str, source: Visitor) -> dict[str, list[str]]:
    """The markers of `source` found in `html`, by kind: empty when nothing leaked."""
    found = {
        kind: sorted(value for value in values if value in html)
        for kind, values in source.markers.items()
    }
    # A token made from the source's CSRF secret that its own pages never showed is as bad.
    found["CSRF token"] = sorted(
        set(found.get("CSRF token", []))
        | {t for t in CSRF_TOKEN.findall(html) if source.owns_token(t)}
    )
    return {kind: values for kind, values in found.items() if values}


# Hostile input a first visitor sends along.
HOSTILE_REFERER = "javascript://testserver/search/?q=%0aalert(document.cookie)//"
RAW_SCRIPT = "<script>alert(1)</script>"


@dataclass(frozen=True)
class HostileQuery:
    """Junk and hostile query strings, each with a value no page holds by chance."""

    campaign: str = field(default_factory=lambda: uuid.uuid4().hex)
    long_tail: str = field(default_factory=lambda: uuid.uuid4().hex)

    def junk(self) -> str:
        return f"utm_campaign={self.campaign}&utm_content={'x' * 3000}{self.long_tail}"

    def script(self) -> str:
        return "q=" + RAW_SCRIPT.replace("(", "%28").replace(")", "%29")

    def markers(self) -> dict[str, list[str]]:
        return {
            "hostile Referer": ["javascript:", "alert(document.cookie)"],
            "junk query string": [self.campaign, self.long_tail, "utm_campaign"],
            "raw script": [RAW_SCRIPT],
        }


def with_query(url: str, query: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{query}"


def script_url(url: str, hostile: HostileQuery) -> str:
    """The page with a hostile `q`: search reads it, every header's search box echoes it."""
    if url.startswith("/search/"):
        return f"/search/?{hostile.script()}"
    return with_query(url, hostile.script())


def found_in(html: str, markers: dict[str, list[str]]) -> dict[str, list[str]]:
    """The markers found in `html`, by kind, ignoring case (a "JavaScript:" URL works too)."""
    html = html.lower()
    found = {kind: [m for m in values if m.lower() in html] for kind, values in markers.items()}
    return {kind: values for kind, values in found.items() if values}
