"""References written in Markdown (`[tekst](product:CODE)`, `category:SLUG`, `guide:SLUG`):
found in a text with their line numbers, and resolved to current URLs with one query per kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import CharField, Value
from django.urls import reverse
from oscar.core.loading import get_model

from content.markup import reference_key
from content.models import Article

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

# The destination of a Markdown inline link, optionally wrapped in <…>.
REFERENCE_IN_TEXT_RE = re.compile(
    r"\]\(\s*<?(?P<kind>product|category|guide):(?P<key>[^\s)>/?#]+)>?", re.IGNORECASE
)


@dataclass(frozen=True)
class Reference:
    kind: str
    key: str
    line: int

    @property
    def lookup(self) -> str:
        return reference_key(self.kind, self.key)


def extract_references(text: str) -> list[Reference]:
    """Every product/category/guide reference in `text`, in order, with its 1-based line."""
    found = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        for match in REFERENCE_IN_TEXT_RE.finditer(line):
            found.append(Reference(match["kind"].lower(), match["key"], number))
    return found


def _keys(references: Iterable[Reference], kind: str) -> set[str]:
    return {ref.lookup.split(":", 1)[1] for ref in references if ref.kind == kind}


def products_by_code(codes: Iterable[str]):
    """{UPC: product} for the given codes, public or not (one query)."""
    codes = {code.upper() for code in codes}
    if not codes:
        return {}
    products = Product.objects.filter(upc__in=codes).only(
        "id", "upc", "slug", "title", "is_public", "structure", "parent_id"
    )
    return {product.upc.upper(): product for product in products}


def categories_by_slug(slugs: Iterable[str]):
    """{slug: category} for the given slugs, public or not (one query)."""
    slugs = {slug.lower() for slug in slugs}
    if not slugs:
        return {}
    found = {}
    for category in Category.objects.filter(slug__in=slugs).order_by("depth", "path"):
        found.setdefault(category.slug.lower(), category)
    return found


def resolve_urls(texts: Iterable[str]) -> dict[str, str]:
    """{"product:CODE": url, …} for the references in `texts` that a customer may follow.

    One query (a UNION over products, categories and guides) however many references and
    texts there are. Missing, non-public or unpublished targets are left out, so they render
    as plain text.
    """
    references = [ref for text in texts for ref in extract_references(text)]
    codes = _keys(references, "product")
    slugs = _keys(references, "category")
    guide_slugs = _keys(references, "guide")

    parts = []
    if codes:
        parts.append(
            Product.objects.filter(upc__in=codes, is_public=True)
            .annotate(kind=Value("product", output_field=CharField()))
            .values_list("kind", "upc", "slug", "pk", "slug", "pk")
            .order_by()
        )
    if slugs:
        parts.append(
            Category.objects.browsable()
            .filter(slug__in=slugs)
            .annotate(kind=Value("category", output_field=CharField()))
            .values_list("kind", "slug", "slug", "pk", "path", "depth")
            .order_by()
        )
    if guide_slugs:
        parts.append(
            Article.objects.published()
            .filter(slug__in=guide_slugs)
            .annotate(kind=Value("guide", output_field=CharField()))
            .values_list("kind", "slug", "slug", "pk", "slug", "pk")
            .order_by()
        )
    if not parts:
        return {}
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    urls: dict[str, str] = {}
    for kind, key, slug, pk, path, depth in sorted(rows, key=lambda row: (row[0], row[5])):
        lookup = f"{kind}:{key.upper() if kind == 'product' else key.lower()}"
        if lookup in urls:
            continue  # two categories share a slug: the shallowest wins
        if kind == "product":
            urls[lookup] = reverse("catalogue:detail", kwargs={"product_slug": slug, "pk": pk})
        elif kind == "category":
            # Oscar caches a category's full slug, so this costs no query once warm.
            urls[lookup] = Category(pk=pk, slug=slug, path=path, depth=depth).get_absolute_url()
        else:
            urls[lookup] = reverse("content:article-detail", kwargs={"slug": slug})
    return urls
