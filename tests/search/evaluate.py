"""Scores the relevance set (tests/search/relevance_set.py) against the search as the page runs
it: products, guides and FAQs of a query, a query that finds no product retried with one word
fewer required (shop.search.engine.Query.relaxed), as SearchView does."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from oscar.apps.catalogue.models import Product

from content.models import Article, Faq
from shop.search import engine
from tests.search.relevance_set import CASES, Case, committed_split


def found(text: str) -> tuple[list[str], list[str], int]:
    """Top 3 product UPCs, top 3 guide slugs and the number of FAQs for `text`."""
    with transaction.atomic():
        query = engine.parse(text)
        products = _products(query)
        guides = _guides(query)
        if not guides and query.relaxed():
            guides = _guides(query.relaxed())
        faqs = engine.filter_faqs(Faq.objects.published(), query).count()
        if not products and query.relaxed():
            products = _products(query.relaxed())
    return products, guides, faqs


def _products(query) -> list[str]:
    products = engine.filter_products(Product.objects.browsable(), query)
    return list(products.order_by("-relevance", "title", "pk").values_list("upc", flat=True)[:3])


def _guides(query) -> list[str]:
    return list(
        engine.filter_articles(Article.objects.published(), query).values_list("slug", flat=True)[
            :3
        ]
    )


@dataclass
class Score:
    cases: int = 0
    hits: int = 0
    empty: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.hits / self.cases if self.cases else 0.0

    def __str__(self) -> str:
        return f"{self.hits}/{self.cases} = {self.rate:.1%}"


def _hit(case: Case, products: list[str], guides: list[str]) -> str:
    """'' when every expected result is in its top 3, else what is missing."""
    for upc in case.products:
        if upc.startswith("categorie:"):
            slug = upc.split(":", 1)[1]
            in_category = set(
                Product.objects.filter(categories__slug=slug).values_list("upc", flat=True)
            )
            if len(products) < 3 or not set(products) <= in_category:
                return f"top 3 {products} not all in {upc}"
        elif upc not in products:
            return f"product {upc} not in top 3 {products}"
    for slug in case.guides:
        if slug not in guides:
            return f"guide {slug} not in top 3 {guides}"
    return ""


def evaluate(part: str | None = None) -> dict[str, Score]:
    """Scores per part ('development', 'held_out', 'all') and per kind (of `part`, or all)."""
    split = committed_split()
    part_of = {q: name for name, queries in split.items() for q in queries}
    scores: dict[str, Score] = defaultdict(Score)
    for case in CASES:
        case_part = part_of[case.query]
        if part is not None and case_part != part:
            continue
        products, guides, faqs = found(case.query)
        miss = _hit(case, products, guides)
        for key in (case_part, "all", f"kind:{case.kind}"):
            score = scores[key]
            score.cases += 1
            score.hits += not miss
            score.empty += not (products or guides or faqs)
            if miss and key == case_part:
                score.misses.append(f"{case.query!r}: {miss}")
    return dict(scores)


def report(scores: dict[str, Score]) -> str:
    lines = []
    for key in ("development", "held_out", "all"):
        if key in scores:
            s = scores[key]
            lines.append(
                f"{key}: top-3 hit rate {s}; no result {s.empty}/{s.cases} = {s.empty / s.cases:.1%}"
            )
    for key in sorted(k for k in scores if k.startswith("kind:")):
        lines.append(f"  {key[5:]}: {scores[key]}")
    return "\n".join(lines)
