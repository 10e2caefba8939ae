"""Storefront views of the perf app: Oscar's, with their reads batched."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, prefetch_related_objects
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView
from oscar.core.loading import get_model


class ProductDetailView(OscarProductDetailView):
    """Oscar's product page reading the product with everything the page shows of it in a fixed
    number of queries: stock records, images, attribute values (its own and a variant's parent's),
    browsable categories, the approved-review count and, for a parent, its public variants.
    Without this each template tag and `product.attr` lookup fetches its own rows (38 queries on
    a cold cache for a plain product)."""

    def get_queryset(self):
        Product = get_model("catalogue", "Product")
        Option = get_model("catalogue", "Option")
        approved = get_model("reviews", "ProductReview").APPROVED
        # Oscar's base_queryset() minus the option and all-children prefetches: the options are
        # read only when these flags say there are any, the variants only for a parent (below).
        return (
            Product.objects.select_related("parent")
            .annotate(
                has_product_class_options=Exists(
                    Option.objects.filter(productclass=OuterRef("product_class"))
                ),
                has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
                # Shadows Oscar's cached_property of that name (a COUNT query of its own).
                num_approved_reviews=Count("reviews", filter=Q(reviews__status=approved)),
            )
            .prefetch_related("stockrecords", "images")
            .prefetch_attribute_values()
            .prefetch_browsable_categories()
        )

    def get_object(self, queryset=None):
        product = super().get_object(queryset)
        if product.is_parent and not hasattr(product, "_prefetched_public_children"):
            Product = get_model("catalogue", "Product")
            prefetch_related_objects(
                [product],
                *Product.objects.prefetch_public_children()._prefetch_related_lookups,
            )
        return product
