"""Product listings straight from the database: the storefront's browse and category pages."""

from __future__ import annotations

from django import forms
from django.db.models import Exists, F, Min, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.models import Option, Product

from shop.facts import price_per_day_expression


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
        widget=forms.Select(attrs={"class": "form-control", "onchange": "this.form.submit()"}),
    )

    def ordering(self) -> tuple[str, ...]:
        if self.is_valid() and self.cleaned_data.get("sort_by"):
            return self.ORDERINGS[self.cleaned_data["sort_by"]]
        return self.ORDERINGS[self.POPULAR]


def listing_queryset(categories=None) -> QuerySet:
    """Browsable products (in `categories` when given) with what a product card needs prefetched."""
    # Oscar's base_queryset() minus three prefetches the cards never read: the bare children
    # (children__stockrecords below fetches them), product options and product-class options
    # (Product.options builds a union query that ignores them; the cards only test the
    # has_*_options flags).
    qs = (
        Product.objects.browsable()
        .select_related("product_class")
        .annotate(
            has_product_class_options=Exists(
                Option.objects.filter(productclass=OuterRef("product_class"))
            ),
            has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
        )
        .prefetch_related("stockrecords", "images")
    )
    if categories is not None:
        qs = qs.filter(categories__in=categories).distinct()
    # A parent's price is its cheapest child's, as the pricing strategy shows it.
    return (
        qs.annotate(
            listing_price=Coalesce(Min("stockrecords__price"), Min("children__stockrecords__price"))
        )
        .annotate(
            # Computed by the database (shop.facts), so sorting by it costs no query per product.
            price_per_day=price_per_day_expression()
        )
        .prefetch_related("children__stockrecords")
    )
