"""Storefront views of the perf app: Oscar's, with their reads batched."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, prefetch_related_objects
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView
from oscar.core.loading import get_model

from shop.perf.cache import fragments_cached
from shop.perf.pagecache import current_version

# The fragment of templates/oscar/catalogue/detail.html that holds the product's whole page body.
PRODUCT_BODY_FRAGMENT = "product_body"


def product_body_cached(product_pk) -> bool:
    return fragments_cached([PRODUCT_BODY_FRAGMENT], [product_pk, current_version()])


@method_decorator(transaction.non_atomic_requests, name="dispatch")  # reads only
class ProductDetailView(OscarProductDetailView):
    """Oscar's product page reading the product with everything the page shows of it in a fixed
    number of queries: stock records, images, attribute values (its own and a variant's parent's),
    browsable categories, the approved-review count and, for a parent, its public variants.
    Without this each template tag and `product.attr` lookup fetches its own rows (38 queries on
    a cold cache for a plain product).

    The page body is a fragment cached per product and catalogue version (detail.html); while it
    is cached only the product row is read (for the URL check and the title), not what the
    body shows."""

    body_cached = False

    def get_queryset(self):
        Product = get_model("catalogue", "Product")
        if self.body_cached:  # the row alone: what the body shows is in the cached fragment
            return Product.objects.select_related("parent", "product_class")
        Option = get_model("catalogue", "Option")
        approved = get_model("reviews", "ProductReview").APPROVED
        # Oscar's base_queryset() minus the option and all-children prefetches: the options are
        # read only when these flags say there are any, the variants only for a parent (below).
        return Product.objects.select_related("parent", "product_class").annotate(
            has_product_class_options=Exists(
                Option.objects.filter(productclass=OuterRef("product_class"))
            ),
            has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
            # Shadows Oscar's cached_property of that name (a COUNT query of its own).
            num_approved_reviews=Count("reviews", filter=Q(reviews__status=approved)),
        )

    def get_object(self, queryset=None):
        if hasattr(self, "object"):
            return self.object
        self.body_cached = product_body_cached(self.kwargs.get(self.pk_url_kwarg))
        product = super().get_object(queryset)
        if not self.body_cached:
            Product = get_model("catalogue", "Product")
            lookups = [
                "stockrecords",
                "images",
                *Product.objects.prefetch_attribute_values()._prefetch_related_lookups,
                *Product.objects.prefetch_browsable_categories()._prefetch_related_lookups,
            ]
            if product.is_parent:
                lookups += Product.objects.prefetch_public_children()._prefetch_related_lookups
            prefetch_related_objects([product], *lookups)
        return product


@never_cache
@require_GET
@transaction.non_atomic_requests
def basket_summary(request):
    """The header's basket summary alone: what a page leaves to shop.js when the summary of the
    visitor's basket is not cached yet (templates/oscar/partials/mini_basket.html)."""
    request.basket_lines_shown = False  # counts and totals only: no line images (shop.basket)
    response = render(request, "shop/partials/mini_basket_summary.html")
    response["Vary"] = "Cookie"
    response["X-Robots-Tag"] = "noindex"
    return response
