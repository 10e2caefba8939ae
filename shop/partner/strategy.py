from django.db.models import DecimalField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from oscar.apps.partner import strategy
from oscar.apps.partner.strategy import *  # noqa: F403
from oscar.core.loading import get_class, get_model

from shop.partner.models import StockRecord
from shop.vat import split_gross, vat_rate_for

Product = get_model("catalogue", "Product")
TaxInclusiveFixedPrice = get_class("partner.prices", "TaxInclusiveFixedPrice")
UnavailablePrice = get_class("partner.prices", "Unavailable")
Unavailable = get_class("partner.availability", "Unavailable")


def for_sale(product) -> bool:
    """Whether the storefront offers `product`: public, and for a variant its parent too."""
    return product.is_public and (not product.is_child or product.parent.is_public)


PRICE = DecimalField(max_digits=12, decimal_places=2)


def own_price() -> Subquery:
    """SQL for the price incl. btw of each row of a Product queryset's first stock record (the
    one OldestStockRecord sells from), or NULL."""
    first = StockRecord.objects.filter(product=OuterRef("pk")).order_by("pk")
    return Subquery(first.values("price")[:1], output_field=PRICE)


def shown_price() -> Coalesce:
    """SQL for the price incl. btw DutchRetail shows for each row of a Product queryset: its own,
    or for a parent its cheapest public variant's ("vanaf"); NULL when it has none."""
    variants = (
        Product.objects.filter(parent=OuterRef("pk"), is_public=True)
        .annotate(variant_price=own_price())
        .filter(variant_price__isnull=False)
        .order_by("variant_price")
    )
    return Coalesce(
        own_price(),
        Subquery(variants.values("variant_price")[:1], output_field=PRICE),
        output_field=PRICE,
    )


class OldestStockRecord(strategy.UseFirstStockRecord):
    """Stock record selection: the oldest record of the product, not whichever the database
    returns first, so that shown_price() can say in SQL which price a card shows."""

    def select_stockrecord(self, product):
        # min() over all(): reads the prefetched records where a listing prefetched them.
        return min(product.stockrecords.all(), key=lambda record: record.pk, default=None)


class ShownProductsOnly:
    """Availability: a product the storefront does not show cannot be bought. Oscar asks the
    strategy when a product is added, on the basket page and before an order is placed, so a
    product taken offline after it was put in a basket is refused at each (Oscar sells any)."""

    def availability_policy(self, product, stockrecord):
        if not for_sale(product):
            return Unavailable()
        return super().availability_policy(product, stockrecord)

    def parent_availability_policy(self, product, children_stock):
        if not product.is_public:
            return Unavailable()
        return super().parent_availability_policy(product, children_stock)


class GrossPriceIncludingVAT:
    """Pricing policy: the stock record's price is the consumer price including btw (9%, or 21%
    for a cosmetic: shop.vat.vat_rate_for).

    Oscar's FixedRateTax adds tax on top of an excl. price, so `€ 19,95` entered would show as
    `€ 21,75`; here the entered price is shown as is and btw is derived from it.
    """

    def _price(self, stockrecord, product=None):
        if not stockrecord or stockrecord.price is None:
            return UnavailablePrice()
        excl_tax, tax = split_gross(stockrecord.price, vat_rate_for(product))
        return TaxInclusiveFixedPrice(
            currency=stockrecord.price_currency, excl_tax=excl_tax, tax=tax
        )

    def pricing_policy(self, product, stockrecord):
        return self._price(stockrecord, product)

    def parent_pricing_policy(self, product, children_stock):
        # A parent shows its cheapest child's price ("vanaf").
        stockrecords = [
            sr for _child, sr in children_stock if sr is not None and sr.price is not None
        ]
        if not stockrecords:
            return UnavailablePrice()
        return self._price(min(stockrecords, key=lambda sr: sr.price), product)


class DutchRetail(
    ShownProductsOnly,
    OldestStockRecord,
    strategy.StockRequired,
    GrossPriceIncludingVAT,
    strategy.Structured,
):
    """Oscar's default stock handling with Dutch consumer prices including 9% btw, for the
    products the storefront shows."""

    def fetch_for_line(self, line, stockrecord=None):
        # The line's own stock record (Oscar loads it with the lines) instead of Oscar's default
        # of selecting one from the product again: one query per line per price read less.
        return self.fetch_for_product(line.product, stockrecord=stockrecord or line.stockrecord)


class Selector(strategy.Selector):
    # Every visitor gets the Dutch retail strategy instead of Oscar's tax-free Default.
    def strategy(self, request=None, user=None, **kwargs):
        return DutchRetail(request)
