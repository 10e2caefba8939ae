"""The storefront search form: the words, the product filters and the sort order.

Oscar's context processor builds `SearchForm(request.GET)` on every page for the header box,
so building it must cost no query: facet values are free strings checked by the view's
queries (an unknown form or category simply matches nothing), never choices read from the DB.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class SearchInput(forms.TextInput):
    input_type = "search"


class FacetValuesField(forms.MultipleChoiceField):
    """Any number of short values; which ones exist is the database's business."""

    widget = forms.MultipleHiddenInput

    def valid_value(self, value) -> bool:
        return 0 < len(value) <= 100


class SearchForm(forms.Form):
    RELEVANCE = "relevantie"
    PRICE_LOW = "prijs-oplopend"
    PRICE_HIGH = "prijs-aflopend"
    PRICE_PER_DAY = "prijs-per-dag"
    SORT_BY_CHOICES = [
        (RELEVANCE, _("Relevantie")),
        (PRICE_LOW, _("Prijs laag-hoog")),
        (PRICE_HIGH, _("Prijs hoog-laag")),
        (PRICE_PER_DAY, _("Prijs per dag")),
    ]

    # value -> (label, lower bound incl., upper bound excl.); prices incl. btw as shown.
    PRICE_RANGES = {
        "tot-10": (_("Tot € 10"), None, Decimal("10")),
        "10-20": (_("€ 10 tot € 20"), Decimal("10"), Decimal("20")),
        "20-30": (_("€ 20 tot € 30"), Decimal("20"), Decimal("30")),
        "vanaf-30": (_("€ 30 en meer"), Decimal("30"), None),
    }

    q = forms.CharField(
        required=False,
        max_length=200,
        label=_("Zoeken"),
        widget=SearchInput(
            attrs={
                "placeholder": _("Zoek product of gids"),
                "tabindex": "1",
                "class": "form-control",
            }
        ),
    )
    sort_by = forms.ChoiceField(
        label=_("Sorteer op"),
        choices=SORT_BY_CHOICES,
        required=False,
        widget=forms.Select(attrs={"class": "form-control"}),
    )
    vorm = FacetValuesField(label=_("Magnesiumvorm"), required=False)
    doel = FacetValuesField(label=_("Categorie"), required=False)
    prijs = forms.ChoiceField(
        label=_("Prijs"),
        choices=[("", "")] + [(k, v[0]) for k, v in PRICE_RANGES.items()],
        required=False,
        widget=forms.HiddenInput,
    )
    op_voorraad = forms.BooleanField(label=_("Op voorraad"), required=False)

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

    def value(self, name: str):
        """The cleaned value of `name`, or its empty value when the form (or field) is invalid."""
        cleaned = getattr(self, "cleaned_data", {})
        if name in cleaned:
            return cleaned[name]
        return [] if isinstance(self.fields[name], forms.MultipleChoiceField) else ""

    @property
    def query(self) -> str:
        return self.value("q") or ""

    @property
    def sort(self) -> str:
        return self.value("sort_by") or self.RELEVANCE

    @property
    def price_range(self) -> tuple[Decimal | None, Decimal | None] | None:
        key = self.value("prijs")
        if not key:
            return None
        _label, low, high = self.PRICE_RANGES[key]
        return low, high
