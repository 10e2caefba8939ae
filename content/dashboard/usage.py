"""Where a product is used: the guides and FAQs linking to it ("Gebruikt in")."""

from __future__ import annotations

from dataclasses import dataclass

from content.models import Article, Faq


@dataclass(frozen=True)
class ProductUsage:
    articles: list[Article]
    faqs: list[Faq]

    @property
    def published_articles(self) -> list[Article]:
        return [article for article in self.articles if article.is_live]

    def __bool__(self) -> bool:
        return bool(self.articles or self.faqs)


def product_usage(product) -> ProductUsage:
    """Guides and FAQs linking to `product` (or, for a child, to its parent): two queries."""
    return ProductUsage(
        articles=list(Article.objects.for_product(product).order_by("title")),
        faqs=list(Faq.objects.for_product(product).select_related("article").order_by("question")),
    )


def hidden_product_warning(product) -> str | None:
    """A Dutch warning naming the published guides that link to a product customers can't see."""
    if product.is_public:
        return None
    titles = [f"“{article.title}”" for article in product_usage(product).published_articles]
    if not titles:
        return None
    return (
        f"Let op: “{product.get_title()}” is niet meer zichtbaar in de winkel, maar "
        f"gepubliceerde gidsen linken ernaar: {', '.join(titles)}. "
        "Daar verdwijnt de link; pas de gidsen aan of maak het product weer zichtbaar."
    )
