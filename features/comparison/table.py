"""The magnesium form comparison, built from catalogue data, shop.catalogue.facts and the linked guides."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from oscar.core.loading import get_model

from content.claims import classify, split_sentences
from content.models import Article
from shop.catalogue.facts import (
    MAGNESIUM_FORM_ATTRIBUTE,
    SupplementFacts,
    domain_facts,
    supplement_facts,
)

Product = get_model("catalogue", "Product")
AttributeOption = get_model("catalogue", "AttributeOption")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")


@dataclass
class FormRow:
    """One magnesium form: its elemental share, its products and what the guides say about it."""

    option: str
    name: str = ""
    formula: str = ""
    elemental_pct: list = field(default_factory=list)
    confirmed: bool = False
    products: list[SupplementFacts] = field(default_factory=list)
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
    """One row per magnesium form that has browsable products, in the catalogue's option order.

    A fixed number of queries whatever the catalogue holds: the products with a form come in one
    query with their attribute values and stock records prefetched, the linked guides in another.
    """
    options = (
        AttributeOption.objects.filter(group__product_attributes__code=MAGNESIUM_FORM_ATTRIBUTE)
        .distinct()
        .order_by("pk")
    )
    # EXISTS rather than a join + DISTINCT: the join's DISTINCT sorted every product with a form
    # on all its columns (make explain: 6-10 ms on catalogue L).
    has_form = ProductAttributeValue.objects.filter(
        product=OuterRef("pk"), attribute__code=MAGNESIUM_FORM_ATTRIBUTE
    )
    products = list(
        Product.objects.browsable()
        .filter(Exists(has_form))
        .order_by("title")
        .prefetch_related("stockrecords")
        .prefetch_attribute_values()
    )
    by_option: dict[int, list] = {}
    for product in products:
        for value in product.get_attribute_values():
            if value.attribute.code == MAGNESIUM_FORM_ATTRIBUTE:
                for option in value.value_multi_option.all():
                    by_option.setdefault(option.pk, []).append(product)
    facts_of = {p.pk: supplement_facts(p, request=request) for p in products}
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
        rows.append(
            FormRow(
                option=option.option,
                name=entry.get("nl", f"magnesium{option.option}"),
                formula=entry.get("formula", ""),
                elemental_pct=entry.get("elemental_pct", []),
                confirmed=entry.get("confirmed", False),
                products=facts,
                guide_sentences=_guide_sentences(
                    option.option, {f.product.pk for f in facts}, articles
                ),
            )
        )
    return rows
