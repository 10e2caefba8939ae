"""sitemap.xml: an index with sections for products, categories, guides and static pages.

Each section lists exactly what a customer can open: browsable products, public categories,
published guides (the same QuerySet vocabulary the pages use).
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from oscar.core.loading import get_model

from content.models import Article, Faq
from shop.catalogue.category_urls import with_urls

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")


class ProductSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    # Products per sitemap page (the index lists each, ?p=N): a large catalogue's one file would
    # be megabytes rendered in seconds (50,000 products: 8.9 MB, 10 s cold); the protocol allows
    # 50,000 URLs and 50 MB.
    limit = 5_000

    def items(self):
        # Variants share their parent's page (the canonical URL), so only browsable products.
        return Product.objects.browsable().order_by("pk")

    def lastmod(self, item):
        return item.date_updated

    def get_latest_lastmod(self):
        # Django's default calls lastmod() on every item (all products, for the index's
        # <lastmod>): one aggregate instead.
        return self.items().aggregate(latest=Max("date_updated"))["latest"]


class CategorySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        # Each URL from its parent's slug: Oscar's get_absolute_url() looks up the parent of
        # every category on an empty cache (500 queries for 500 categories).
        return with_urls(Category.objects.browsable().order_by("path"))

    def location(self, item):
        return item.url

    def lastmod(self, item):
        # Categories carry no timestamp of their own; None leaves <lastmod> out for them.
        return None

    def get_latest_lastmod(self):
        return None


class GuideSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class StaticSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5
    # URL names of the pages every visitor can open without parameters.
    names = ["catalogue:index", "content:article-list", "content:faq-list"]

    def items(self):
        items = []
        for name in self.names:
            try:
                items.append(reverse(name))
            except NoReverseMatch:
                continue
        return items

    def location(self, item):
        return item

    def lastmod(self, item):
        return self._lastmod().get(item)

    def _lastmod(self):
        # Listings change when what they list changes: the newest product or guide edit.
        if not hasattr(self, "_cache"):
            products = Product.objects.browsable().aggregate(m=Max("date_updated"))["m"]
            guides = Article.objects.published().aggregate(m=Max("updated_at"))["m"]
            faqs = Faq.objects.published().aggregate(m=Max("updated_at"))["m"]
            self._cache = {}
            for name, value in zip(self.names, (products, guides, faqs), strict=True):
                try:
                    self._cache[reverse(name)] = value
                except NoReverseMatch:
                    continue
        return self._cache


SITEMAPS = {
    "producten": ProductSitemap,
    "categorieen": CategorySitemap,
    "gidsen": GuideSitemap,
    "paginas": StaticSitemap,
}
