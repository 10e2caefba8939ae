"""Search-as-you-type: a few products, guides (shop.search.providers) and categories for what is
typed so far.

Shared JSON (shop.cache.pagecache, like the search page): built from the query text alone,
nothing of the visitor, so every visitor typing the same letters gets the same stored answer.
A fixed number of queries: the word analysis, products, guides, categories.
"""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.db.models import Q
from django.http import JsonResponse
from django.views.decorators.http import require_GET
from oscar.core.loading import get_model

from shop.search import engine, providers

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")

MAX_PRODUCTS = 5
MAX_CATEGORIES = 3
MIN_LENGTH = 2
# Hits ranked per group: the first this many the index finds (engine.filter_products).
CANDIDATES = 100


class SuggestForm(forms.Form):
    q = forms.CharField(required=False, max_length=200)


def suggestions(text: str) -> dict:
    """Products, the suggested providers' documents (guides) and categories matching `text`
    (its last word as a prefix)."""
    text = " ".join(text.split())
    suggested = [provider for provider in providers.providers() if provider.suggestion_limit]
    groups = {
        "products": [],
        **{provider.group: [] for provider in suggested},
        "categories": [],
    }
    if len(text) >= MIN_LENGTH:
        query = engine.parse_prefix(text)
        if query:
            products = engine.filter_products(
                Product.objects.browsable(), query, candidates=CANDIDATES
            ).order_by("-relevance", "title", "pk")
            groups["products"] = [
                {"label": p.title, "url": p.get_absolute_url()}
                for p in products.only("pk", "slug", "title")[:MAX_PRODUCTS]
            ]
            for provider in suggested:
                groups[provider.group] = provider.suggestions(query, candidates=CANDIDATES)
            names = Q()
            for term in query.terms:
                for alternative in term.alternatives:
                    if " " not in alternative.text and len(alternative.text) >= 3:
                        names |= Q(name__icontains=alternative.text)
            if names:
                categories = Category.objects.filter(names, is_public=True).order_by("path")
                groups["categories"] = [
                    {"label": c.name, "url": c.get_absolute_url()}
                    for c in categories[:MAX_CATEGORIES]
                ]
    return {
        "query": text,
        "count": sum(len(items) for items in groups.values()),
        **groups,
    }


@require_GET
@transaction.non_atomic_requests  # reads only
def suggest(request):
    form = SuggestForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    with engine.planned_with_values():
        found = suggestions(text)
    return JsonResponse(found, json_dumps_params={"ensure_ascii": False})
