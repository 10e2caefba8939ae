"""Find references and links from guides and FAQs to the catalogue that a customer cannot
follow (missing, not public) or cannot buy from (out of stock)."""

from __future__ import annotations

from dataclasses import dataclass

from oscar.core.loading import get_class, get_model

from content.models import Article, ArticleCategory, ArticleProduct, Faq, FaqProduct
from content.references import categories_by_slug, extract_references, products_by_code

Product = get_model("catalogue", "Product")

MISSING = "bestaat niet (meer)"
NOT_PUBLIC = "niet zichtbaar in de winkel"
OUT_OF_STOCK = "niet op voorraad"
NOT_PUBLISHED = "niet gepubliceerd"


@dataclass(frozen=True)
class LinkProblem:
    source: str  # "gids <slug>" or "vraag <pk> (gids <slug>)"
    line: int | None  # line in the Markdown, None for a curated link row
    target: str  # "product:MG-BIS-200", "category:magnesium", "guide:…"
    problem: str
    broken: bool  # broken = renders as plain text; out of stock is only a warning

    def __str__(self) -> str:
        where = f"regel {self.line}" if self.line else "gekoppeld"
        level = "KAPOT" if self.broken else "LET OP"
        return f"{level}: {self.source}, {where}: {self.target} {self.problem}"


def _in_stock(products: dict) -> dict[int, bool]:
    # get_class, not an import from oscar.apps: the shop's fork decides prices and stock.
    Selector = get_class("partner.strategy", "Selector")

    if not products:
        return {}
    strategy = Selector().strategy()
    queryset = (
        Product.objects.base_queryset()
        .prefetch_public_children(
            queryset=Product.objects.public().prefetch_related("stockrecords")
        )
        .filter(pk__in=products)
    )
    stock = {}
    for product in queryset:
        # As Oscar's purchase_info_for_product tag does: a parent is judged by its children.
        fetch = strategy.fetch_for_parent if product.is_parent else strategy.fetch_for_product
        stock[product.pk] = fetch(product).availability.is_available_to_buy
    return stock


def find_link_problems() -> list[LinkProblem]:
    """Every problem with a product, category or guide reference or link, guide by guide."""
    articles = list(Article.objects.order_by("slug"))
    faqs = list(Faq.objects.select_related("article").order_by("article__slug", "position", "pk"))
    texts = [(f"gids {a.slug}", a.body) for a in articles]
    texts += [
        (f"vraag {f.pk}" + (f" (gids {f.article.slug})" if f.article else ""), f.answer)
        for f in faqs
    ]
    references = [(label, ref) for label, text in texts for ref in extract_references(text)]
    products = products_by_code(ref.key for _label, ref in references if ref.kind == "product")
    categories = categories_by_slug(ref.key for _label, ref in references if ref.kind == "category")
    guides = {a.slug.lower(): a for a in articles}
    linked_rows = list(
        ArticleProduct.objects.select_related("article", "product").order_by(
            "article__slug", "position"
        )
    )
    faq_rows = list(
        FaqProduct.objects.select_related("faq__article", "product").order_by("faq_id", "position")
    )
    category_rows = list(
        ArticleCategory.objects.select_related("article", "category").order_by(
            "article__slug", "position"
        )
    )
    stock = _in_stock(
        {p.pk for p in products.values()}
        | {row.product_id for row in linked_rows}
        | {row.product_id for row in faq_rows}
    )

    problems: list[LinkProblem] = []

    def product_problem(label, line, target, product):
        if product is None:
            problems.append(LinkProblem(label, line, target, MISSING, True))
        elif not product.is_public:
            problems.append(LinkProblem(label, line, target, NOT_PUBLIC, True))
        elif not stock.get(product.pk, False):
            problems.append(LinkProblem(label, line, target, OUT_OF_STOCK, False))

    for label, ref in references:
        target = f"{ref.kind}:{ref.key}"
        if ref.kind == "product":
            product_problem(label, ref.line, target, products.get(ref.key.upper()))
        elif ref.kind == "category":
            category = categories.get(ref.key.lower())
            if category is None:
                problems.append(LinkProblem(label, ref.line, target, MISSING, True))
            elif not (category.is_public and category.ancestors_are_public):
                problems.append(LinkProblem(label, ref.line, target, NOT_PUBLIC, True))
        else:
            guide = guides.get(ref.key.lower())
            if guide is None:
                problems.append(LinkProblem(label, ref.line, target, MISSING, True))
            elif not guide.is_live:
                problems.append(LinkProblem(label, ref.line, target, NOT_PUBLISHED, True))

    # Curated link rows cannot point at a deleted product (they go with it), but they can
    # point at one that is hidden or sold out.
    for row in linked_rows:
        product_problem(f"gids {row.article.slug}", None, f"product:{row.product.upc}", row.product)
    for row in faq_rows:
        label = f"vraag {row.faq_id}" + (
            f" (gids {row.faq.article.slug})" if row.faq.article else ""
        )
        product_problem(label, None, f"product:{row.product.upc}", row.product)
    for row in category_rows:
        category = row.category
        if not (category.is_public and category.ancestors_are_public):
            problems.append(
                LinkProblem(
                    f"gids {row.article.slug}", None, f"category:{category.slug}", NOT_PUBLIC, True
                )
            )
    return problems
