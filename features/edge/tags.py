"""Cache tags of shared pages, and the tags a write makes stale (issue 17).

A shared page (features.perf) carries its tags in an `xkey` header; Varnish's xkey vmod indexes the
stored page by them, and a write purges the pages of its tags only (features.edge.purge):

- `shop`: every shared page (a write whose pages are not worked out below purges them all);
- `listing`: pages that list products (collections, categories, ranges, search, sitemaps, the
  form comparison): any product, price or stock write;
- `kennisbank`: the guide and FAQ lists;
- `product-<id>`, `category-<id>`, `guide-<id>`: the page of that object.

Besides its own page, a product is shown on the pages of the products that recommend it and of
the guides linked to it; a guide on the pages of its products and categories: those tags are
purged too.
"""

from __future__ import annotations

from collections.abc import Iterable

from oscar.core.loading import get_model

from content.models import ArticleCategory, ArticleProduct

Product = get_model("catalogue", "Product")
ProductRecommendation = get_model("catalogue", "ProductRecommendation")

ALL = "shop"
LISTING = "listing"
KENNISBANK = "kennisbank"

# Shared views (shop.cache.pagecache.SHARED_VIEWS) whose page lists products or guides.
LISTING_VIEWS = frozenset(
    {
        "catalogue:index",
        "catalogue:category",
        "catalogue:range",
        "search:search",
        "sitemap-index",
        "sitemap-section",
        "shop:form-comparison",
    }
)
KENNISBANK_VIEWS = frozenset({"content:article-list", "content:faq-list"})

# Models whose rows belong to one product: the field that names it.
PRODUCT_PARTS = {
    ("catalogue", "Product"): "pk",
    ("catalogue", "ProductImage"): "product_id",
    ("catalogue", "ProductAttributeValue"): "product_id",
    ("catalogue", "ProductCategory"): "product_id",
    ("catalogue", "ProductRecommendation"): "primary_id",
    ("partner", "StockRecord"): "product_id",
    ("reviews", "ProductReview"): "product_id",
    ("content", "ArticleProduct"): "product_id",
}
# Models whose rows belong to one guide: the field that names it.
GUIDE_PARTS = {
    ("content", "Article"): "pk",
    ("content", "ArticleProduct"): "article_id",
    ("content", "ArticleCategory"): "article_id",
}


def page_tags(view_name: str, context: dict | None) -> list[str]:
    """The tags of a shared page rendered by `view_name` with `context` (None: not a template
    response)."""
    tags = {ALL}
    if view_name in LISTING_VIEWS:
        tags.add(LISTING)
    if view_name in KENNISBANK_VIEWS:
        tags.add(KENNISBANK)
    context = context or {}
    if view_name == "catalogue:detail" and context.get("product") is not None:
        product = context["product"]
        tags.update(product_tag(pk) for pk in (product.pk, product.parent_id) if pk)
    if view_name == "catalogue:category" and context.get("category") is not None:
        tags.add(f"category-{context['category'].pk}")
    if view_name == "content:article-detail" and context.get("article") is not None:
        tags.add(guide_tag(context["article"].pk))
    return sorted(tags)


def product_tag(pk) -> str:
    return f"product-{pk}"


def guide_tag(pk) -> str:
    return f"guide-{pk}"


def product_pages(product_ids: Iterable[int]) -> set[str]:
    """The pages that show these products: their own (and their parents'), those of the
    products that recommend them, of the guides linked to them, and every listing."""
    ids = {pk for pk in product_ids if pk}
    if not ids:
        return {LISTING}
    ids |= set(
        Product.objects.filter(pk__in=ids, parent__isnull=False).values_list("parent_id", flat=True)
    )
    shown_on = set(
        ProductRecommendation.objects.filter(recommendation_id__in=ids).values_list(
            "primary_id", flat=True
        )
    )
    guides = ArticleProduct.objects.filter(product_id__in=ids).values_list("article_id", flat=True)
    return {LISTING} | {product_tag(pk) for pk in ids | shown_on} | {guide_tag(pk) for pk in guides}


def guide_pages(article_ids: Iterable[int]) -> set[str]:
    """The pages that show these guides: their own, their products' and categories', the
    Kennisbank lists and the search."""
    ids = {pk for pk in article_ids if pk}
    products = ArticleProduct.objects.filter(article_id__in=ids).values_list(
        "product_id", flat=True
    )
    categories = ArticleCategory.objects.filter(article_id__in=ids).values_list(
        "category_id", flat=True
    )
    return (
        {KENNISBANK, LISTING}
        | {guide_tag(pk) for pk in ids}
        | {product_tag(pk) for pk in products}
        | {f"category-{pk}" for pk in categories}
    )


def stale_tags(instance, pk_set: Iterable[int] | None = None, model=None) -> set[str]:
    """The tags of the pages a write to `instance` makes stale. For a many-to-many change,
    `pk_set` holds the ids on the other side of it, of `model`."""
    key = (instance._meta.app_label, instance._meta.object_name)
    tags: set[str] = set()
    if key in PRODUCT_PARTS:
        tags |= product_pages([getattr(instance, PRODUCT_PARTS[key])])
    if key in GUIDE_PARTS:
        tags |= guide_pages([getattr(instance, GUIDE_PARTS[key])])
    if not tags:
        return {ALL}
    if pk_set and model is not None:
        other = (model._meta.app_label, model._meta.object_name)
        if other == ("catalogue", "Product"):
            tags |= product_pages(pk_set)
        elif other == ("catalogue", "Category"):
            tags |= {f"category-{pk}" for pk in pk_set}
        else:
            tags.add(ALL)
    return tags
