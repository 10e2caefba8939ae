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


def _oscar_lookup(queryset, path: str):
    """The Prefetch of `path` among an Oscar QuerySet helper's lookups: its to_attr and
    queryset are what Oscar's model methods read (get_attribute_values(), get_categories())."""
    return next(
        lookup for lookup in queryset._prefetch_related_lookups if lookup.prefetch_through == path
    )


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
        return Product.objects.select_related("parent__product_class", "product_class").annotate(
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
        parent = product if product.is_parent else product.parent  # None: standalone
        # A variant shows its parent's images, categories and attribute values where it has
        # none of its own: one query each for both. Oscar's product-class attribute lists
        # (prefetch_attribute_values()) are left out: only validation on save reads them.
        family = [product] if parent in (None, product) else [product, parent]
        categories = _oscar_lookup(Product.objects.prefetch_browsable_categories(), "categories")
        prefetch_related_objects(family, "images", categories)
        if product.is_parent:
            # Oscar's get_public_children() returns this list, each variant's `parent` set to
            # this product; the variant links, the "vanaf" price and the cheapest variant's
            # facts read their stock records and attribute values, read here for all at once.
            children = Product.objects.prefetch_public_children()._prefetch_related_lookups
            prefetch_related_objects([product], *children)
            family = [product, *product.get_public_children()]
        values = _oscar_lookup(Product.objects.prefetch_attribute_values(), "attribute_values")
        # In the order of the product class's attributes, as the page listed them so far: one
        # read for several products comes back in whatever order the plan gives.
        values.queryset = values.queryset.order_by("attribute_id")
        prefetch_related_objects(family, "stockrecords", values)
        if parent is not None:
            # A variant's get_attribute_values() merges in its parent's from this attribute.
            parent._prefetched_parent_attribute_values = parent._prefetched_attribute_values
        return product
