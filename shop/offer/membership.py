"""Which of a basket's products are in an offer's range: one query for every range and product
of the basket, remembered for the request on the range objects (Range.contains_product) and for
everyone in the cache under the catalogue version.

Oscar asks `range.contains_product(product)` per line, per offer and per check (condition,
benefit, upsell message), and each ask rebuilds the range's product query with five existence
checks first (range.product_queryset): 6 queries a time. Membership only changes when a product,
category, range or offer is written, and every such write moves the catalogue version
(features.perf.receivers), so the answers are kept under that version, like the cached pages.

The SQL here is Range.product_queryset's rule, written as one boolean per range:
- a range of all products: every product except its excluded products and the products (or
  children of products) in an excluded category or below it;
- any other range: the included products (and their children), the products of its product
  classes (children by their parent's class), the products (and children of products) in an
  included category or below it, except the excluded products and children of excluded ones.
Ranges with a custom class answer through that class, per product, as in Oscar.
tests/shop/test_offer_membership.py holds the rule against Oscar's contains_product.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from oscar.core.loading import get_class, get_model

from shop.cache.pagecache import current_version

ExpandDownwardsCategoryQueryset = get_class(
    "catalogue.expressions", "ExpandDownwardsCategoryQueryset"
)

_MEMO = "_membership"  # {product_id: bool} on a range object, for the request that read it


def _seconds() -> int:
    # As long as a cached page: without Redis another worker's cache may lag that long.
    return settings.SHOP_PAGE_CACHE_SECONDS


def known(product_range) -> dict:
    """{product pk: whether `product_range` holds it}, as found so far for this range object."""
    return product_range.__dict__.setdefault(_MEMO, {})


def prime(ranges, product_ids) -> None:
    """Find, for every (non-custom) range object in `ranges` and every product in
    `product_ids`, whether the range holds it: from what the object knows, then the cache, then
    one query for all that are left. Each range object remembers the answers (Range.
    contains_product)."""
    objects = [r for r in ranges if r is not None and not r.proxy]
    wanted = {(r.pk, p) for r in objects for p in product_ids if p not in known(r)}
    if not wanted:
        return
    found = {}
    keys = {}
    if _seconds():
        version = current_version()
        keys = {pair: f"shop:offer:range:{version}:{pair[0]}:{pair[1]}" for pair in wanted}
        cached = caches["fragments"].get_many(keys.values())
        found = {pair: cached[key] for pair, key in keys.items() if key in cached}
    missing = wanted - found.keys()
    if missing:
        by_pk = {r.pk: r for r in objects}
        rows = find([by_pk[pk] for pk in {r for r, _p in missing}], {p for _r, p in missing})
        fresh = {pair: rows.get(pair, False) for pair in missing}
        found.update(fresh)
        if keys:
            caches["fragments"].set_many(
                {keys[pair]: value for pair, value in fresh.items()}, _seconds()
            )
    for product_range in objects:
        memo = known(product_range)
        for (range_pk, product_pk), held in found.items():
            if range_pk == product_range.pk:
                memo[product_pk] = held


def find(ranges, product_ids) -> dict[tuple[int, int], bool]:
    """{(range pk, product pk): whether the range holds the product} for the given (non-custom)
    ranges and products, in one query."""
    product_model = get_model("catalogue", "Product")
    ranges = sorted(ranges, key=lambda r: r.pk)
    flags = {
        f"in_range_{r.pk}": ExpressionWrapper(_holds(r), output_field=BooleanField())
        for r in ranges
    }
    rows = (
        product_model.objects.filter(pk__in=product_ids).annotate(**flags).values_list("pk", *flags)
    )
    found = {}
    for pk, *held in rows:
        for product_range, flag in zip(ranges, held, strict=True):
            found[(product_range.pk, pk)] = bool(flag)
    return found


def _holds(product_range) -> Q:
    """The condition, on a row of catalogue_product, that `product_range` holds that product."""
    product_model = get_model("catalogue", "Product")
    product_category = get_model("catalogue", "ProductCategory")
    range_model = type(product_range)
    own, parent = OuterRef("pk"), OuterRef("parent_id")

    def in_categories(category_ids, owner):
        expanded = ExpandDownwardsCategoryQueryset(category_ids)
        return Exists(product_category.objects.filter(product_id=owner, category_id__in=expanded))

    def excluded(owner):
        return Exists(
            range_model.excluded_products.through.objects.filter(
                range_id=product_range.pk, product_id=owner
            )
        )

    if product_range.includes_all_products:
        excluded_categories = range_model.excluded_categories.through.objects.filter(
            range_id=product_range.pk
        ).values("category_id")
        return (
            ~Q(excluded(own))
            & ~Q(in_categories(excluded_categories, own))
            & ~Q(in_categories(excluded_categories, parent))
        )

    def included(owner):
        return Exists(
            range_model.included_products.through.objects.filter(
                range_id=product_range.pk, product_id=owner
            )
        )

    def of_class(owner):
        return Exists(
            product_model.objects.filter(pk=owner, product_class__classes=product_range.pk)
        )

    included_categories = range_model.included_categories.through.objects.filter(
        range_id=product_range.pk
    ).values("category_id")
    inside = (
        Q(included(own))
        | Q(included(parent))
        | Q(of_class(own))
        | Q(of_class(parent))
        | Q(in_categories(included_categories, own))
        | Q(in_categories(included_categories, parent))
    )
    return inside & ~Q(excluded(own)) & ~Q(excluded(parent))
