"""Head tags for search engines: canonical URL, meta description, Open Graph and JSON-LD."""

from __future__ import annotations

import json

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from features.seo import structured_data

register = template.Library()

DESCRIPTION_LENGTH = 160
# Escaped so that text inside the JSON can never close the <script> element.
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def _request(context):
    return context.get("request")


@register.simple_tag
def jsonld(data) -> str:
    """`data` (a dict, or a list of dicts) as a JSON-LD script element; nothing when empty."""
    if not data:
        return ""
    text = json.dumps(data, ensure_ascii=False, default=str).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


@register.simple_tag(takes_context=True)
def product_jsonld(context, product) -> str:
    """Product + Offer JSON-LD for the product page (a child points at its parent's URL)."""
    request = _request(context)
    return jsonld(structured_data.product(product, request, url=canonical_url(context)))


@register.simple_tag(takes_context=True)
def category_jsonld(context, category) -> str:
    """BreadcrumbList JSON-LD for a category page."""
    return jsonld(structured_data.category_breadcrumbs(category, _request(context)))


@register.simple_tag(takes_context=True)
def article_jsonld(context, article, faqs=None) -> str:
    """Article, BreadcrumbList and (when it has FAQs) FAQPage JSON-LD for a guide page."""
    request = _request(context)
    crumbs = [
        ("Home", reverse("home")),
        ("Kennisbank", reverse("content:article-list")),
        (article.title, article.get_absolute_url()),
    ]
    blocks = [
        structured_data.article(article, request),
        structured_data.breadcrumbs(crumbs, request),
        structured_data.faq_page(faqs or [], request),
    ]
    return jsonld([b for b in blocks if b])


@register.simple_tag(takes_context=True)
def faq_list_jsonld(context, groups) -> str:
    """BreadcrumbList and FAQPage JSON-LD for the FAQ page (its (topic, entries) groups)."""
    request = _request(context)
    crumbs = [("Home", reverse("home")), ("Veelgestelde vragen", request.path)]
    blocks = [
        structured_data.breadcrumbs(crumbs, request),
        structured_data.faq_page([e for _topic, entries in groups for e in entries], request),
    ]
    return jsonld([b for b in blocks if b])


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """The page's one URL for search engines: no filters or sorting, a variant's parent."""
    request = _request(context)
    if request is None:
        return ""
    explicit = context.get("canonical_path")
    if explicit:
        return request.build_absolute_uri(explicit)
    product = context.get("product")
    if product is not None and getattr(product, "is_child", False) and product.parent_id:
        return request.build_absolute_uri(product.parent.get_absolute_url())
    path = request.path
    page = request.GET.get("page", "")
    # Later pages of a listing are pages of their own; every other parameter only filters.
    if page.isdigit() and int(page) > 1:
        path = f"{path}?page={int(page)}"
    return request.build_absolute_uri(path)


def _described(context):
    for name in ("article", "product", "category"):
        obj = context.get(name)
        if obj is not None:
            return name, obj
    return None, None


@register.simple_tag(takes_context=True)
def meta_description(context, fallback: str = "") -> str:
    """From the page's guide, product or category fields; else `fallback`, else the tagline."""
    kind, obj = _described(context)
    text = ""
    if kind == "article":
        text = obj.meta_description
    elif kind == "product":
        owner = obj.parent if obj.is_child and obj.parent_id else obj
        text = owner.meta_description or owner.description
    elif kind == "category":
        text = getattr(obj, "meta_description", "") or obj.description
    text = " ".join(strip_tags(text or "").split())
    if not text:
        text = fallback or getattr(settings, "OSCAR_SHOP_TAGLINE", "")
    if len(text) > DESCRIPTION_LENGTH:
        text = text[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return text


@register.inclusion_tag("shop/partials/seo_head.html", takes_context=True)
def seo_head(context, title: str = "", fallback_description: str = "") -> dict:
    """Canonical link and Open Graph tags for the current page."""
    request = _request(context)
    kind, obj = _described(context)
    image = ""
    og_type = "website"
    if kind == "product":
        og_type = "product"
        primary = obj.primary_image()
        if getattr(primary, "original", None):
            try:
                image = primary.original.url
            except ValueError:
                image = ""
    elif kind == "article":
        og_type = "article"
        if obj.hero_image:
            image = obj.hero_image.url
    if not title and obj is not None:
        title = getattr(obj, "meta_title", "") or str(obj)
    return {
        "canonical": canonical_url(context),
        "title": title or settings.OSCAR_SHOP_NAME,
        "description": meta_description(context, fallback_description),
        "og_type": og_type,
        "image": structured_data.absolute(request, image) if image else "",
        "site_name": settings.OSCAR_SHOP_NAME,
    }
