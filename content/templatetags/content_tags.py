from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from content.markup import render_markdown
from content.models import Article, Faq
from content.references import resolve_urls

register = template.Library()


@register.inclusion_tag("content/partials/product_reading_list.html")
def product_reading(product) -> dict:
    """The guides and FAQs linked to a product ("Lees meer"): two queries, plus one to
    resolve references in the answers when there are any, however many links there are."""
    articles = list(
        Article.objects.published()
        .for_product(product)
        .only("title", "slug", "lead", "body", "published_at")
    )
    faqs = list(Faq.objects.published().for_product(product).order_by("position", "pk"))
    urls = resolve_urls(faq.answer for faq in faqs)
    return {
        "product": product,
        "articles": articles,
        "faqs": [(faq, render_markdown(faq.answer, urls=urls).html) for faq in faqs],
    }


@register.inclusion_tag("content/partials/category_guides.html")
def category_guides(category) -> dict:
    """The published guides linked to a category (one query)."""
    articles = list(Article.objects.published().for_category(category))
    return {"category": category, "articles": articles}


@register.simple_tag
def markdown(text: str) -> str:
    """Render Markdown safely; references resolve to current URLs."""
    # Safe because render_markdown sanitises with an allow-list (content.markup).
    return mark_safe(render_markdown(text, urls=resolve_urls([text])).html)  # noqa: S308
