"""The magnesium form comparison, built from catalogue data, shop.catalogue.facts and the linked guides."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from oscar.core.loading import get_model

from content.claims import classify, split_sentences
from content.models import Article
from shop.catalogue.facts import (
    MAGNESIUM_FORM_ATTRIBUTE,
    SupplementFacts,
    domain_facts,
    price_per_day_expression,
    supplement_facts,
)

Product = get_model("catalogue", "Product")
AttributeOption = get_model("catalogue", "AttributeOption")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")

# Products shown per form, the cheapest per day first; the rest are a search away (a catalogue
# of 50,000 products has thousands per form).
FORM_PRODUCTS = 10


@dataclass
class FormRow:
    """One magnesium form: its elemental share, its products and what the guides say about it."""

    option: str
    name: str = ""
    formula: str = ""
    elemental_pct: list = field(default_factory=list)
    confirmed: bool = False
    products: list[SupplementFacts] = field(default_factory=list)
    more_url: str = ""  # the search for all products of the form, when not all are shown
    guide_sentences: list[tuple[object, str]] = field(default_factory=list)


def _domain_form(option: str) -> dict:
    """The entry of magnesium-facts.json 'forms' for a catalogue option such as 'bisglycinaat'."""
    wanted = f"magnesium{option}".replace(" ", "").lower()
    for entry in domain_facts()["forms"]:
        if entry["nl"].replace(" ", "").lower().startswith(wanted):
            return entry
    return {}


def _stem(option: str) -> str:
    # "bisglycinaat" is called "glycinaat" in most texts, "L-threonaat" just "threonaat".
    return option.lower().removeprefix("l-").removeprefix("bis")


def _guide_sentences(option: str, product_ids: set[int], articles) -> list[tuple[object, str]]:
    """Sentences of published guides linked to these products that name the form.

    Only sentences the claim checker leaves alone are shown: a guide's medicinal or
    non-authorised claim must not reach customers through this page. `articles`: the published
    guides linked to any compared product, by title, with `linked_ids` (read once per page).
    """
    stem = _stem(option)
    found = []
    for article in articles:
        if not product_ids & article.linked_ids:
            continue
        for _line, sentence in split_sentences(article.body):
            lowered = sentence.lower()
            if stem in lowered and " voor " in f" {lowered} ":
                if not classify(sentence).needs_attention:
                    found.append((article, sentence))
    return found


def form_comparison(*, request=None) -> list[FormRow]:
    """One row per magnesium form that has browsable products, in the catalogue's option order,
    with its FORM_PRODUCTS cheapest products per day and how many it has.

    A fixed number of queries whatever the catalogue holds: the products each form shows in one
    query with their variants (a window over the price per day, in a subquery), their attribute
    values and stock records prefetched, the linked guides in another.
    """
    options = (
        AttributeOption.objects.filter(group__product_attributes__code=MAGNESIUM_FORM_ATTRIBUTE)
        .distinct()
        .order_by("pk")
    )
    per_form = F("attribute_values__value_multi_option")
    # Each form's cheapest products per day, one more than shown: it says whether there are more.
    ranked = (
        Product.objects.browsable()
        .filter(
            attribute_values__attribute__code=MAGNESIUM_FORM_ATTRIBUTE,
            attribute_values__value_multi_option__isnull=False,
        )
        .annotate(per_day=price_per_day_expression())
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=per_form,
                order_by=[F("per_day").asc(nulls_last=True), F("title").asc(), F("pk").asc()],
            )
        )
        .filter(rank__lte=FORM_PRODUCTS + 1)
        .values("pk")
    )
    # A parent's facts are its cheapest variant's: the public variants come in the same query as
    # the products, so the page costs the same with or without a parent on it.
    # Of Oscar's prefetch_attribute_values() only the rows' own values: a variant's parent is
    # among the rows (below), and the product-class attribute lists serve validation on save.
    own_values = next(
        lookup
        for lookup in Product.objects.prefetch_attribute_values()._prefetch_related_lookups
        if lookup.prefetch_through == "attribute_values"
    )
    if connection.vendor == "sqlite":
        # SQLite (the zero-setup demo of `make run`) cannot parse the window subquery twice
        # inside one statement ("parser stack overflow"): read the ids first, one query more.
        ranked = list(ranked.values_list("pk", flat=True))
    rows = list(
        Product.objects.filter(Q(pk__in=ranked) | Q(parent__in=ranked, is_public=True))
        .select_related("product_class")
        .prefetch_related("stockrecords", own_values)
    )
    products = [p for p in rows if not p.is_child]
    by_pk = {p.pk: p for p in products}
    variants_of: dict[int, list] = {}
    for variant in rows:
        if variant.is_child:
            variant.parent = by_pk[variant.parent_id]  # its label facts fall back to the parent's
            variants_of.setdefault(variant.parent_id, []).append(variant)
    for parent in (by_pk[pk] for pk in variants_of):
        # A variant's get_attribute_values() merges in its parent's values from this attribute
        # (Oscar's prefetch_attribute_values() name): the parent's own, read with the rows.
        parent._prefetched_parent_attribute_values = parent._prefetched_attribute_values
    by_option: dict[int, list] = {}
    for product in products:
        for value in product.get_attribute_values():
            if value.attribute.code == MAGNESIUM_FORM_ATTRIBUTE:
                for option in value.value_multi_option.all():
                    by_option.setdefault(option.pk, []).append(product)
    facts_of = {
        p.pk: supplement_facts(p, request=request, variants=variants_of.get(p.pk, []))
        for p in products
    }
    articles = []
    if products:
        through = Article.products.through
        linked_to_these = through.objects.filter(
            article=OuterRef("pk"), product__in=[p.pk for p in products]
        )
        articles = list(
            Article.objects.published().filter(Exists(linked_to_these)).order_by("title")
        )
        links = through.objects.filter(article__in=articles)
        linked: dict[int, set[int]] = {}
        for article_id, product_id in links.values_list("article_id", "product_id"):
            linked.setdefault(article_id, set()).add(product_id)
        for article in articles:
            article.linked_ids = linked.get(article.pk, set())

    rows = []
    for option in options:
        facts = [facts_of[p.pk] for p in by_option.get(option.pk, [])]
        if not facts:
            continue
        entry = _domain_form(option.option)
        facts.sort(key=lambda f: (f.price_per_day is None, f.price_per_day, f.product.title))
        more = len(facts) > FORM_PRODUCTS
        facts = facts[:FORM_PRODUCTS]
        rows.append(
            FormRow(
                option=option.option,
                name=entry.get("nl", f"magnesium{option.option}"),
                formula=entry.get("formula", ""),
                elemental_pct=entry.get("elemental_pct", []),
                confirmed=entry.get("confirmed", False),
                products=facts,
                more_url=""
                if not more
                else f"{reverse('search:search')}?{urlencode({'q': f'magnesium {option.option}'})}",
                guide_sentences=_guide_sentences(
                    option.option, {f.product.pk for f in facts}, articles
                ),
            )
        )
    return rows
