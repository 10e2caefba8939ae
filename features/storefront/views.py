"""The home page: a shared page (shop.cache.pagecache), the same HTML for every visitor."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from content.models import Article
from features.storefront.models import HomePage
from features.storefront.promises import service_promises

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")

HOME_PRODUCTS = 4
HOME_GUIDES = 3
MOST_READ_DAYS = 30


def needs() -> list[dict]:
    """The collection's subcategories (by need) with their URLs, in one query: the top-level
    categories are read with them for the URL's parent slug."""
    categories = list(Category.objects.browsable().filter(depth__lte=2).order_by("path"))
    parents = {c.path: c for c in categories if c.depth == 1}
    with_children = {c.path[: Category.steplen] for c in categories if c.depth == 2}
    found = []
    for category in categories:
        parent = parents.get(category.path[: Category.steplen])
        if category.depth == 2 and parent is not None:
            url = category._get_absolute_url(parent_slug=parent.slug)  # noqa: SLF001 - no query
            found.append({"name": category.name, "url": url, "parent": parent.name})
        elif category.depth == 1 and category.path not in with_children:
            found.append({"name": category.name, "url": category.get_absolute_url(), "parent": ""})
    return found


def home_products(homepage: HomePage) -> list:
    """The featured products (public ones, at most HOME_PRODUCTS), else the newest ones, with
    what a product card shows prefetched."""
    queryset = (
        Product.objects.browsable()
        .select_related("product_class")
        .prefetch_related("stockrecords", "images")
        .prefetch_public_children(
            queryset=Product.objects.public().prefetch_related("stockrecords")
        )
    )
    products = []
    if homepage.pk:
        products = list(
            queryset.filter(pk__in=homepage.featured_products.values("pk"))[:HOME_PRODUCTS]
        )
    if products:
        return products
    # None chosen: the newest of the collection (the first top-level category and below).
    collection = Category.objects.browsable().filter(depth=1).order_by("path")[:1]
    in_collection = ProductCategory.objects.filter(
        product=OuterRef("pk"),
        category__path__startswith=Subquery(collection.values("path")),
    )
    return list(
        queryset.filter(Exists(in_collection)).order_by("-date_created", "-pk")[:HOME_PRODUCTS]
    )


def most_read(days: int = MOST_READ_DAYS):
    """Published guides by views in the last `days` days (counted, flushed), most first."""
    since = timezone.localdate() - datetime.timedelta(days=days)
    return (
        Article.objects.published()
        .annotate(recent_views=Sum("daily_counts__views", filter=Q(daily_counts__day__gte=since)))
        .filter(recent_views__gt=0)
        .order_by("-recent_views", "-published_at")
    )


@method_decorator(transaction.non_atomic_requests, name="dispatch")  # reads only
class HomeView(TemplateView):
    """What the shop is, the collection by need and by form, newest and most-read guides, a few
    products and the service promises."""

    template_name = "storefront/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        homepage = HomePage.objects.current()
        newest = list(Article.objects.published().order_by("-published_at", "-pk")[:HOME_GUIDES])
        ctx.update(
            homepage=homepage,
            needs=needs(),
            newest_guides=newest,
            most_read_guides=list(most_read()[:HOME_GUIDES]),
            products=home_products(homepage),
            promises=service_promises(),
        )
        return ctx
