"""The magnesium form comparison, built from catalogue data, shop.facts and the linked guides."""

from __future__ import annotations

from dataclasses import dataclass, field

from shop.facts import SupplementFacts, domain_facts, supplement_facts


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


def _guide_sentences(option: str, product_ids: list[int]) -> list[tuple[object, str]]:
    """Sentences of published guides linked to these products that name the form.

    Only sentences the claim checker leaves alone are shown: a guide's medicinal or
    non-authorised claim must not reach customers through this page.
    """
    from content.claims import classify, split_sentences
    from content.models import Article

    if not product_ids:
        return []
    stem = _stem(option)
    found = []
    articles = Article.objects.published().filter(products__in=product_ids).distinct()
    for article in articles.order_by("title"):
        for _line, sentence in split_sentences(article.body):
            lowered = sentence.lower()
            if stem in lowered and " voor " in f" {lowered} ":
                if not classify(sentence).needs_attention:
                    found.append((article, sentence))
    return found


def form_comparison(*, request=None) -> list[FormRow]:
    """One row per magnesium form that has browsable products, in the catalogue's option order."""
    from oscar.apps.catalogue.models import AttributeOption, Product

    rows = []
    options = (
        AttributeOption.objects.filter(group__product_attributes__code="magnesium_form")
        .distinct()
        .order_by("pk")
    )
    for option in options:
        products = (
            Product.objects.browsable()
            .filter(
                attribute_values__attribute__code="magnesium_form",
                attribute_values__value_multi_option=option,
            )
            .distinct()
            .order_by("title")
        )
        facts = [supplement_facts(p, request=request) for p in products]
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
                guide_sentences=_guide_sentences(option.option, [p.pk for p in products]),
            )
        )
    return rows
