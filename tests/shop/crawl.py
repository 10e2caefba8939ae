"""Every URL pattern of the project, made concrete with the ids and slugs of real objects.

Shared by the GET crawl (no request changes the database) and the GET-parameter fuzzing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from oscar.apps.catalogue.models import (
    AttributeOptionGroup,
    Category,
    Option,
    Product,
    ProductClass,
)
from oscar.apps.catalogue.reviews.models import ProductReview, Vote
from oscar.apps.communication.models import CommunicationEventType, Email, Notification
from oscar.apps.customer.models import ProductAlert
from oscar.apps.order.models import OrderNote
from oscar.apps.voucher.models import Voucher, VoucherSet
from oscar.apps.wishlists.models import Line as WishListLine
from oscar.apps.wishlists.models import WishList
from oscar.test import factories
from post_office.models import Email as QueuedMail

from content import demo as content_demo
from content.dashboard.models import Revision
from content.dashboard.services import revision_record
from content.models import Faq, Topic
from features.legal.pages import legal_pages_publish
from shop import demo
from shop.basket.models import Basket
from shop.offer.models import ConditionalOffer, Range
from shop.partner.models import Partner
from shop.search.services import synonym_save
from shop.shipping.models import WeightBand, WeightBased
from tests.factories import ensure_countries

# A named group, in either syntax: `<int:pk>` (route) or `(?P<pk>…)` (regex, nested groups too).
ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass
class Pattern:
    route: str  # the pattern strings of the resolvers and the pattern, joined
    name: str | None  # namespaced URL name
    callback: object

    @property
    def params(self) -> list[str]:
        names = re.findall(r"\(\?P<(\w+)>", self.route)
        return names + [m.group("name") for m in ROUTE_PARAM.finditer(self.route)]

    @property
    def area(self) -> str:
        if self.route.startswith("admin/"):
            return "admin"
        if self.route.startswith("dashboard/"):
            return "dashboard"
        return "storefront"

    def path(self, values: dict) -> str:
        """The URL with each parameter replaced by `values[name]`."""
        route = self.route
        while (start := route.find("(?P<")) != -1:
            name = route[start + 4 : route.index(">", start)]
            depth, end = 0, start
            for end in range(start, len(route)):  # noqa: B007 (end is used after the loop)
                if route[end] == "(" and route[end - 1] != "\\":
                    depth += 1
                elif route[end] == ")" and route[end - 1] != "\\":
                    depth -= 1
                    if depth == 0:
                        break
            route = route[:start] + str(values[name]) + route[end + 1 :]
        route = ROUTE_PARAM.sub(lambda m: str(values[m.group("name")]), route)
        return "/" + route.replace("^", "").replace("$", "")


def url_patterns() -> list[Pattern]:
    """Every pattern of the root URLconf, resolvers walked, in URLconf order."""

    def walk(patterns, prefix="", namespace=None):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
                yield Pattern(prefix + str(entry.pattern), name, entry.callback)

    return list(walk(get_resolver().url_patterns))


def same_view(path: str, pattern: Pattern) -> bool:
    """Whether `path` resolves to `pattern`'s view (not to an earlier, broader pattern)."""
    return resolve(path.split("?")[0]).func == pattern.callback


def build_world(admin_user, customer) -> dict:
    """The demo shop plus one row of every kind a URL addresses; returns the URL values."""
    ensure_countries()
    demo.load_catalogue()
    demo.load_offers()
    article = content_demo.load_seed_guide()
    legal_pages_publish()
    faq = Faq.objects.filter(article=article).first()
    revision_record(obj=article, user=admin_user, action="crawl")
    revision_record(obj=faq, user=admin_user, action="crawl")
    topic = Topic.objects.first() or Topic.objects.create(name="Slaap", slug="slaap")

    product = Product.objects.filter(structure=Product.STANDALONE, is_public=True).first()
    parent = Product.objects.filter(structure=Product.PARENT).first()
    category = Category.objects.get(slug="magnesium", depth=1)

    basket = factories.create_basket(empty=True)
    basket.add_product(product)
    order = factories.create_order(user=admin_user, basket=basket)
    note = OrderNote.objects.create(order=order, user=admin_user, message="Gebeld.")
    line = order.lines.first()
    address = factories.UserAddressFactory(user=admin_user)

    alert = ProductAlert.objects.create(user=admin_user, product=product)
    unconfirmed_alert = ProductAlert.objects.create(
        email="anoniem@example.nl", product=parent, status=ProductAlert.UNCONFIRMED
    )
    anonymous_alert = ProductAlert.objects.create(
        email="ander@example.nl", product=product, status=ProductAlert.ACTIVE
    )
    wishlist = WishList.objects.create(owner=admin_user, name="Favorieten")
    other_wishlist = WishList.objects.create(owner=admin_user, name="Later")
    wishline = WishListLine.objects.create(wishlist=wishlist, product=product, title=product.title)
    notification = Notification.objects.create(recipient=admin_user, subject="Welkom")
    email = Email.objects.create(user=admin_user, email=admin_user.email, subject="Bestelling")
    review = ProductReview.objects.create(
        product=product, user=customer, score=4, title="Goed", body="Slaap beter."
    )
    Vote.objects.create(review=review, user=admin_user, delta=Vote.UP)

    partner = Partner.objects.first()
    partner.users.add(customer)
    voucher = Voucher.objects.get(code="WELKOM10")
    voucher_set = VoucherSet.objects.create(
        name="Nieuwsbrief",
        code_length=10,
        count=2,
        description="",
        start_datetime=voucher.start_datetime,
        end_datetime=voucher.end_datetime,
    )
    offer = ConditionalOffer.objects.filter(offer_type=ConditionalOffer.SITE).first()
    product_range = Range.objects.filter(is_public=True).first()
    method = WeightBased.objects.create(name="Pakketpost", default_weight=Decimal("1.0"))
    band = WeightBand.objects.create(
        method=method, upper_limit=Decimal("5"), charge=Decimal("4.95")
    )
    event_type = CommunicationEventType.objects.create(
        code="ORDER_PLACED_CRAWL", name="Bestelling geplaatst"
    )
    redirect = Redirect.objects.create(
        site=Site.objects.get_current(), old_path="/oud/", new_path="/nieuw/"
    )

    # Oscar creates a signed-in user's (empty) basket on the first page that reads it.
    own_basket = Basket.open.get_or_create(owner=admin_user)[0]
    own_basket.vouchers.add(voucher)
    queued_mail = QueuedMail.objects.create(
        from_email="winkel@example.nl", to=["klant@example.nl"], subject="Test", message="Test"
    )
    values = {
        "kind": "gids",  # the claim override of a guide
        "product_slug": product.slug,
        "product_pk": product.pk,
        "category_slug": category.full_slug,
        "order_number": order.number,
        "number": order.number,
        "hash": order.verification_hash(),
        "line_id": line.pk,
        "note_id": note.pk,
        "email_id": email.pk,
        "key": wishlist.key,
        "to_key": other_wishlist.key,
        "line_pk": wishline.pk,
        "action": "default_for_billing",
        "parent_pk": parent.pk,
        "parent": category.pk,
        "parent_id": category.pk,
        "app_label": "catalogue",
        "url": "bestaat-niet/",
        "product_class_slug": ProductClass.objects.first().slug,
        "partner_pk": partner.pk,
        "user_pk": customer.pk,
        "method_pk": method.pk,
        "revision_pk": Revision.objects.for_object(article).first().pk,
        "uidb64": urlsafe_base64_encode(force_bytes(customer.pk)),
        "token": default_token_generator.make_token(customer),
        "section": "producten",
        "id": customer.pk,
        "content_type_id": ContentType.objects.get_for_model(Product).pk,
        "object_id": product.pk,
    }
    # `pk` and `slug` mean a different model per URL.
    pks = {
        "content_dashboard:kennisbank-article": article.pk,
        "content_dashboard:kennisbank-faq": faq.pk,
        "content_dashboard:kennisbank-topic": topic.pk,
        "content:article-preview": article.pk,
        "catalogue:reviews": review.pk,
        "catalogue:detail": product.pk,
        "catalogue:category": category.pk,
        "basket:vouchers": voucher.pk,
        "basket:add": product.pk,
        "checkout:user-address": address.pk,
        "customer:address": address.pk,
        "customer:notifications": notification.pk,
        "customer:alert-create": product.pk,
        "customer:alerts-cancel-by-pk": alert.pk,
        "dashboard:catalogue-product": product.pk,
        "admin:post_office_email": queued_mail.pk,
        "admin:resend": queued_mail.pk,  # post_office's resend of a queued mail
        "content_dashboard:kennisbank-claim-override": article.pk,
        "dashboard:catalogue-category": category.pk,
        "dashboard:catalogue-class": ProductClass.objects.first().pk,
        "dashboard:catalogue-attribute-option-group": AttributeOptionGroup.objects.first().pk,
        "dashboard:catalogue-option": (Option.objects.first() or _option()).pk,
        "dashboard:user-alert": anonymous_alert.pk,
        "dashboard:user": customer.pk,
        "dashboard:page": legal_pages_publish()[0].pk,
        "dashboard:partner": partner.pk,
        "dashboard:offer": offer.pk,
        "dashboard:range": product_range.pk,
        "dashboard:reviews": review.pk,
        "dashboard:voucher-set": voucher_set.pk,
        "dashboard:voucher": voucher.pk,
        "dashboard:shipping-method-band": band.pk,
        "dashboard:shipping-method": method.pk,
        "search_dashboard:synonym": synonym_save(words_="kruipen, crawlen").pk,
    }
    slugs = {
        "content:article-detail": article.slug,
        "catalogue:range": product_range.slug,
        "offer:detail": offer.slug,
        "dashboard:comms-update": event_type.code,
    }
    keys = {
        "customer:alerts-confirm": unconfirmed_alert.key,
        "customer:alerts-cancel-by-key": anonymous_alert.key,
    }
    world = {"values": values, "pks": pks, "slugs": slugs, "keys": keys, "redirect": redirect}
    world["admin_objects"] = {
        model._meta.label_lower: model._default_manager.order_by("pk").first()
        for model in admin.site._registry
    }
    return world


def _option():
    return Option.objects.create(name="Gravure", code="gravure")


def concrete_path(pattern: Pattern, world: dict) -> str | None:
    """`pattern` with real values, or None when no object of its kind exists."""
    values = dict(world["values"])
    name = pattern.name or ""
    for prefix, pk in sorted(world["pks"].items(), key=lambda item: -len(item[0])):
        if name.startswith(prefix):
            values["pk"] = pk
            break
    if name in world["keys"]:
        values["key"] = world["keys"][name]
    if name in world["slugs"]:
        values["slug"] = world["slugs"][name]
    if pattern.area == "admin" and "object_id" in pattern.params and "r/<" not in pattern.route:
        match = re.match(r"admin/(\w+)/(\w+)/", pattern.route)
        obj = world["admin_objects"].get(f"{match.group(1)}.{match.group(2)}")
        if obj is None:
            return None
        values["object_id"] = obj.pk
    if pattern.name == "admin:post_office_email_image":
        return None  # an inline image of a queued mail: the test data queues no mail with one
    missing = [p for p in pattern.params if p not in values]
    if missing:
        raise KeyError(f"{pattern.route} ({pattern.name}): no value for {missing}")
    return pattern.path(values)
