"""Which of a basket's products are in an offer's range: one query for every range and product
of the basket, remembered for the request on the basket and for everyone in the cache under the
catalogue version.

Oscar asks `range.contains_product(product)` per line, per offer and per check (condition,
benefit, upsell message), and each ask rebuilds the range's product query with five existence
checks first (range.product_queryset): 6 queries a time. Membership only changes when a product,
category, range or offer is written, and every such write moves the catalogue version
(shop.perf.receivers), so the answers are kept under that version, like the cached pages.

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

from shop.perf.pagecache import current_version

ExpandDownwardsCategoryQueryset = get_class(
    "catalogue.expressions", "ExpandDownwardsCategoryQueryset"
)

_MEMO = "_range_membership"  # {(range_id, product_id): bool} on the basket, for this request
_EXPECTED = "_offer_expected_product_ids"  # on the request: products about to join the basket


def cache_seconds() -> int:
    # As long as a cached page: without Redis another worker's cache may lag that long.
    return getattr(settings, "SHOP_PAGE_CACHE_SECONDS", 60)


def expect_products(request, product_ids) -> None:
    """Products this request is about to add: their membership is read with the basket's."""
    setattr(request, _EXPECTED, set(getattr(request, _EXPECTED, set())) | set(product_ids))


def expected_products(request) -> set[int]:
    return set(getattr(request, _EXPECTED, ())) if request is not None else set()


def _memo(basket) -> dict:
    # getattr/setattr, not __dict__: request.basket is a lazy object around the basket.
    known = getattr(basket, _MEMO, None)
    if known is None:
        known = {}
        setattr(basket, _MEMO, known)
    return known


def contains(basket, product_range, product) -> bool:
    """Whether `product_range` holds `product` (a product of `basket`'s lines)."""
    if product_range.proxy:  # a custom range class answers per product, as in Oscar
        return product_range.contains_product(product)
    known = _memo(basket)
    key = (product_range.pk, product.pk)
    if key not in known:
        prime(basket, [product_range], {product.pk})
    return known[key]


def prime(basket, ranges, extra_product_ids=()) -> None:
    """Find, for every (non-custom) range in `ranges` and every product of the basket's lines
    plus `extra_product_ids`, whether the range holds it: from the request's memo, then the
    cache, then one query for all that are left."""
    known = _memo(basket)
    ranges = {r.pk: r for r in ranges if r is not None and not r.proxy}
    product_ids = {line.product_id for line in basket.all_lines()} | set(extra_product_ids)
    wanted = [(r, p) for r in ranges for p in product_ids if (r, p) not in known]
    if not wanted:
        return
    if not cache_seconds():  # caching off: this request's memo only
        found = find([ranges[r] for r in {r for r, _p in wanted}], {p for _r, p in wanted})
        known.update({pair: found.get(pair, False) for pair in wanted})
        return
    version = current_version()
    keys = {pair: f"shop:offer:range:{version}:{pair[0]}:{pair[1]}" for pair in wanted}
    cached = caches["fragments"].get_many(keys.values())
    missing = []
    for pair, key in keys.items():
        if key in cached:
            known[pair] = cached[key]
        else:
            missing.append(pair)
    if not missing:
        return
    found = find([ranges[pk] for pk in {r for r, _p in missing}], {p for _r, p in missing})
    fresh = {pair: found.get(pair, False) for pair in missing}
    known.update(fresh)
    caches["fragments"].set_many(
        {keys[pair]: value for pair, value in fresh.items()}, cache_seconds()
    )


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
