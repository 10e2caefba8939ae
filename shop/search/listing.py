"""Product listings straight from the database: the storefront's browse and category pages."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from django import forms
from django.core.cache import caches
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet, prefetch_related_objects
from django.db.models.expressions import OrderBy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from oscar.core.thumbnails import get_thumbnailer

from shop.cache.pagecache import current_version, expire_stamps, stamp_is_shared, stamps
from shop.catalogue.facts import price_per_day_expression
from shop.partner.strategy import shown_price

Option = get_model("catalogue", "Option")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")

logger = logging.getLogger(__name__)

LISTING_CACHE_SECONDS = 3600
# The product card's thumbnail (Oscar's partials/product.html: `oscar_thumbnail … "x155"
# upscale=False`).
CARD_THUMBNAIL = {"size": "x155", "upscale": False}


class ListingSortForm(forms.Form):
    """Sort choices for a product listing; unknown values fall back to the default order."""

    POPULAR = "populair"
    NEWEST = "nieuwste"
    PRICE_LOW = "prijs-oplopend"
    PRICE_HIGH = "prijs-aflopend"
    TITLE = "naam"
    PRICE_PER_DAY = "prijs-per-dag"

    SORT_BY_CHOICES = [
        (POPULAR, _("Populariteit")),
        (NEWEST, _("Nieuwste")),
        (PRICE_LOW, _("Prijs laag-hoog")),
        (PRICE_HIGH, _("Prijs hoog-laag")),
        (TITLE, _("Naam A-Z")),
        (PRICE_PER_DAY, _("Prijs per dag")),
    ]
    ORDERINGS = {
        POPULAR: ("-rating", "title", "pk"),
        NEWEST: ("-date_created", "pk"),
        PRICE_LOW: ("listing_price", "title", "pk"),
        PRICE_HIGH: ("-listing_price", "title", "pk"),
        TITLE: ("title", "pk"),
        # Products without a known daily dose (price_per_day NULL) go last.
        PRICE_PER_DAY: (F("price_per_day").asc(nulls_last=True), "title", "pk"),
    }

    sort_by = forms.ChoiceField(
        label=_("Sorteer op"),
        choices=SORT_BY_CHOICES,
        required=False,
        widget=forms.Select(attrs={"class": "form-control"}),
    )

    def sort_key(self) -> str:
        if self.is_valid() and self.cleaned_data.get("sort_by"):
            return self.cleaned_data["sort_by"]
        return self.POPULAR

    def ordering(self) -> tuple[str, ...]:
        return self.ORDERINGS[self.sort_key()]


def listing_ids(categories=None, ordering=ListingSortForm.ORDERINGS["populair"]) -> list[int]:
    """The ids of all browsable products (in `categories` when given), in listing order.

    One query that reads only what the order needs: the sort on price aggregates stock records,
    the sort on price per day computes it; the default sort reads the product table alone."""
    qs = Product.objects.browsable()
    if categories is not None:
        in_categories = ProductCategory.objects.filter(category__in=categories)
        qs = qs.filter(pk__in=in_categories.values("product_id"))
    names = {(o.expression.name if isinstance(o, OrderBy) else o).lstrip("-") for o in ordering}
    if "listing_price" in names:
        qs = qs.annotate(listing_price=shown_price())
    if "price_per_day" in names:
        qs = qs.annotate(price_per_day=price_per_day_expression())
    return list(qs.order_by(*ordering).values_list("pk", flat=True))


def cached_listing_ids(scope: str, sort_key: str, categories=None) -> list[int]:
    """listing_ids(), kept in the cache under the catalogue version (any write to a product,
    price, stock record or category makes a new version, features.perf.receivers), so a listing page
    costs no query for its order and count however large the catalogue is."""
    key = f"shop:listing:{current_version()}:{scope}:{sort_key}"
    ids = caches["fragments"].get(key)
    if ids is None:
        ids = listing_ids(categories, ListingSortForm.ORDERINGS[sort_key])
        caches["fragments"].set(key, ids, LISTING_CACHE_SECONDS)
    return ids


def listing_page(ids) -> list:
    """The products of one page of ids, in that order, with what a card needs.

    The stock records of the products and of the public variants of its parents are read in one
    query, so a page costs the same number of queries whether or not a parent is on it (a
    nested prefetch reads the variants' stock records with a query of its own)."""
    # No ORDER BY (the page has its order) and no listing price (only sorts read it).
    found = card_queryset().filter(pk__in=ids).order_by().in_bulk()
    products = [found[pk] for pk in ids if pk in found]
    variants = [child for p in products if p.is_parent for child in p.get_public_children()]
    prefetch_related_objects(products + variants, "stockrecords")
    add_card_thumbnails(products)
    return products


@dataclass(frozen=True)
class StoredCard:
    """A product card whose HTML the fragments cache holds (card_html): all a listing template
    needs of the product, and its code for whoever reads the page's products."""

    pk: int
    upc: str
    card_html: str


# Stamps (shop.cache.pagecache.stamps) a card's key is built on: one per product, replaced by a
# write to what its card shows of it (expire_cards, called by
# features.perf.receivers.expire_product_cards), and one for what every card shows (product
# classes, options, attributes, partners), replaced by a write to those.
CARD = "card"
EVERY_CARD = ("cards", "every")


def card_keys(ids) -> dict[int, str]:
    """The fragments cache keys of the cards of products `ids` (in one cache read, and one
    write for stamps not made yet); a product whose stamps the cache cannot give has none."""
    found = stamps([EVERY_CARD, *((CARD, pk) for pk in ids)])
    every = found[EVERY_CARD]
    if not stamp_is_shared(every):
        return {}
    language = get_language()
    return {
        pk: f"shop:card:{language}:{pk}:{every}:{found[(CARD, pk)]}"
        for pk in ids
        if stamp_is_shared(found[(CARD, pk)])
    }


# What a card shows of one product besides the product row: written, they change its card and
# its parent's (a parent's card prices it by its variants).
_PER_PRODUCT = {"partner.StockRecord", "catalogue.ProductImage", "catalogue.ProductAttributeValue"}
# Rows of the card apps that no card shows.
_NOT_SHOWN = {
    "catalogue.Category",
    "catalogue.ProductCategory",
    "catalogue.ProductRecommendation",
    "partner.StockAlert",
}
# Apps whose rows a card shows (the product, its class and options, stock, images, attributes);
# a review changes a card through the product's rating, which Oscar saves on the product.
CARD_APPS = ("catalogue", "partner")


def cards_changed_by(instance) -> set[int] | None:
    """The products whose cards a write to `instance` (a row of CARD_APPS) changes; None: any
    card may change (a product class, an option, an attribute, a partner, or a row not known
    here)."""
    label = instance._meta.label
    if isinstance(instance, Product):
        return {pk for pk in (instance.pk, instance.parent_id) if pk is not None}
    if label in _NOT_SHOWN:
        return set()
    if label in _PER_PRODUCT:
        product_id = instance.product_id
        if type(instance).product.is_cached(instance):
            parent_id = instance.product.parent_id
        else:
            parent_id = Product.objects.filter(pk=product_id).values_list("parent_id").first()
            parent_id = parent_id[0] if parent_id else None
        return {pk for pk in (product_id, parent_id) if pk is not None}
    return None


def expire_cards(products: set[int] | None) -> None:
    """Make the stored cards of `products` (None: of every product) stale: at once, and again
    when the writing transaction commits, so a card rendered meanwhile from the old rows is
    never read (shared_listing_page)."""
    objects = [EVERY_CARD] if products is None else [(CARD, pk) for pk in sorted(products)]
    if not objects:
        return
    expire_stamps(objects)
    transaction.on_commit(lambda: expire_stamps(objects))


def shared_listing_page(ids) -> list:
    """listing_page(ids) for a shared page (shop.cache.pagecache): the products whose card HTML
    is cached come as StoredCard, read for the whole page in one cache read, and only the others
    are read from the database (none when every card is cached).

    A card shows data of the catalogue only, and is stored only from a shared render
    (store_cards), the same for everyone. Its key is built on the stamps of what it shows, read
    before its rows are: a write to the product, its stock, images or attributes (or a variant's)
    replaces that product's stamp when it commits, so a card rendered from rows older than the
    write is never read; other products keep their cards (an order's stock change included)."""
    keys = card_keys(ids)
    stored = caches["fragments"].get_many(list(keys.values())) if keys else {}
    missing = [pk for pk in ids if keys.get(pk) not in stored]
    loaded = {product.pk: product for product in listing_page(missing)} if missing else {}
    cards = []
    for pk in ids:
        if keys.get(pk) in stored:
            upc, html = stored[keys[pk]]
            cards.append(StoredCard(pk, upc, html))
        elif pk in loaded:
            loaded[pk].card_cache_key = keys.get(pk)
            cards.append(loaded[pk])
    return cards


def store_cards(cards) -> None:
    """Keep the card HTML of (product, html) pairs, rendered for a shared page, under the keys
    shared_listing_page gave them, in one cache write (none for a product whose stamps could
    not be read: its card is not kept)."""
    entries = {
        product.card_cache_key: (product.upc, str(html))
        for product, html in cards
        if getattr(product, "card_cache_key", None)
    }
    if entries:
        caches["fragments"].set_many(entries, LISTING_CACHE_SECONDS)


def add_card_thumbnails(products) -> None:
    """Give each product its card's thumbnail URL (`card_thumbnail_url`), read for the whole page
    in one cache read.

    The URLs are the same for every visitor and kept by source file name (a new image is a new
    file: storages never overwrite), as sorl-thumbnail's own records are; only those not known
    yet ask sorl-thumbnail, whose key-value store costs a read per thumbnail."""
    sources = {}
    for product in products:
        image = product.primary_image()
        # Without an image Oscar gives a dict naming its placeholder file.
        source = image["original"] if isinstance(image, dict) else image.original
        sources[product.pk] = (f"shop:card-thumb:{getattr(source, 'name', source)}", source)
    known = caches["fragments"].get_many(list({key for key, _source in sources.values()}))
    made = {}
    for product in products:
        key, source = sources[product.pk]
        if key not in known and key not in made:
            try:
                made[key] = get_thumbnailer().generate_thumbnail(source, **CARD_THUMBNAIL).url
            except Exception:  # noqa: BLE001 - the card's own tag then logs it, as Oscar's does
                logger.warning("No card thumbnail for %s", key, exc_info=True)
                continue
        product.card_thumbnail_url = known.get(key) or made[key]
    if made:
        caches["fragments"].set_many(made, LISTING_CACHE_SECONDS)


def card_queryset() -> QuerySet:
    """Browsable products with what a product card reads prefetched but the stock records, which
    listing_page() adds."""
    # A copy of one queryset built per process, as Django's generic views clone their class-level
    # `queryset` per request: it has no parameter (no visitor, no date, no page), and building
    # its annotations anew (the price per day's nested subqueries) cost each listing or search
    # page more CPU than the SQL of its cards took to run.
    return _card_queryset().all()


@functools.cache
def _card_queryset() -> QuerySet:
    """card_queryset()'s one instance: never evaluated itself, only cloned."""
    # Oscar's base_queryset() minus three prefetches the cards never read: all children
    # (the public ones are fetched below), product options and product-class options
    # (Product.options builds a union query that ignores them; the cards only test the
    # has_*_options flags).
    return (
        Product.objects.browsable()
        .select_related("product_class")
        .annotate(
            has_product_class_options=Exists(
                Option.objects.filter(productclass=OuterRef("product_class"))
            ),
            has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
        )
        .prefetch_related("images")
        # Computed by the database (shop.catalogue.facts), so sorting by it costs no query per
        # product.
        .annotate(price_per_day=price_per_day_expression())
        # A parent's card prices it by its public variants (Oscar's strategy reads them through
        # get_public_children(), which uses this prefetch instead of a query per parent).
        .prefetch_public_children(queryset=Product.objects.public())
    )


def listing_queryset(categories=None) -> QuerySet:
    """card_queryset() (in `categories` when given) with the price a listing sorts by."""
    qs = card_queryset()
    if categories is not None:
        qs = qs.filter(categories__in=categories).distinct()
    return qs.annotate(listing_price=shown_price())
