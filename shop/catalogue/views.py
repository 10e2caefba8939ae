"""The catalogue fork's views: Oscar's product page with its reads batched."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, prefetch_related_objects
from django.utils.decorators import method_decorator
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
Option = get_model("catalogue", "Option")
ProductReview = get_model("reviews", "ProductReview")


def _attribute_value_lookups() -> dict:
    """Oscar's attribute-value Prefetch objects by path ("attribute_values",
    "parent__attribute_values"), without its product-class attribute lists: those serve
    validation on save, which the product page never does (a query each)."""
    lookups = Product.objects.prefetch_attribute_values()._prefetch_related_lookups
    return {
        lookup.prefetch_through: lookup
        for lookup in lookups
        if lookup.prefetch_through in ("attribute_values", "parent__attribute_values")
    }


@method_decorator(transaction.non_atomic_requests, name="dispatch")  # reads only
class ProductDetailView(OscarProductDetailView):
    """Oscar's product page reading the product with everything the page shows of it in a fixed
    number of queries: stock records, images, attribute values (its own and a variant's parent's),
    browsable categories, the approved-review count and, for a parent, its public variants with
    their stock records and attribute values, whatever their number. Without this each template
    tag and `product.attr` lookup fetches its own rows (38 queries on a cold cache for a plain
    product, 34 plus 10 per variant for a parent)."""

    def get_queryset(self):
        approved = ProductReview.APPROVED
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
        product = super().get_object(queryset)
        values = _attribute_value_lookups()
        prefetch_related_objects(
            [product],
            "images",
            *Product.objects.prefetch_browsable_categories()._prefetch_related_lookups,
        )
        if not product.is_parent:
            prefetch_related_objects(
                [product],
                "stockrecords",
                values["attribute_values"],
                values["parent__attribute_values"],
            )
            return product
        # Oscar's get_public_children() returns this list; the prefetch sets each variant's
        # `parent` to this product, so nothing below reads the parent again.
        prefetch_related_objects(
            [product], *Product.objects.prefetch_public_children()._prefetch_related_lookups
        )
        # The variant links (Oscar's purchase info per variant), the "vanaf" price and the
        # facts of the cheapest variant read these: one query each for the parent and all its
        # variants together.
        prefetch_related_objects(
            [product, *product.get_public_children()], "stockrecords", values["attribute_values"]
        )
        # A variant's get_attribute_values() merges in its parent's values from this attribute
        # (Oscar's prefetch_attribute_values() name): the parent's own, read above.
        product._prefetched_parent_attribute_values = product._prefetched_attribute_values
        return product
