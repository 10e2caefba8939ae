"""schema.org JSON-LD builders, one per type: Product (+ Offer), Article, BreadcrumbList, FAQPage.

Each returns a plain dict; `seo_tags.jsonld` serialises it into the page. The Offer's price and
availability come from Oscar's pricing strategy, the same call the product page renders, so
search engines see exactly what the customer sees.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags
from oscar.core.loading import get_class

from content.markup import render_markdown

SCHEMA = "https://schema.org"
_GTIN = re.compile(r"^\d{8}$|^\d{12,14}$")


def absolute(request, url: str) -> str:
    """`url` made absolute against the current request (or left as it was without one)."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return request.build_absolute_uri(url) if request is not None else url


def purchase_info(product, request):
    """Oscar's PurchaseInfo for `product`, as the product page's `purchase_info_for_product`."""
    strategy = request.strategy if hasattr(request, "strategy") else None
    if strategy is None:
        strategy = get_class("partner.strategy", "Selector")().strategy(request=request)
    if product.is_parent:
        return strategy.fetch_for_parent(product)
    return strategy.fetch_for_product(product)


def _plain(text: str, limit: int | None = None) -> str:
    value = " ".join(strip_tags(text or "").split())
    if limit and len(value) > limit:
        value = value[: limit - 1].rsplit(" ", 1)[0] + "…"
    return value


def offer(product, request, *, url: str) -> dict | None:
    """schema.org Offer: the price incl. btw and availability the product page shows."""
    info = purchase_info(product, request)
    price = info.price
    if not price.exists:
        return None
    amount: Decimal = price.incl_tax if price.is_tax_known else price.excl_tax
    data = {
        "@type": "Offer",
        "price": f"{amount:.2f}",
        "priceCurrency": price.currency or settings.OSCAR_DEFAULT_CURRENCY,
        "availability": (
            f"{SCHEMA}/InStock" if info.availability.is_available_to_buy else f"{SCHEMA}/OutOfStock"
        ),
        "url": url,
        "itemCondition": f"{SCHEMA}/NewCondition",
        "seller": {"@type": "Organization", "name": settings.OSCAR_SHOP_NAME},
    }
    if getattr(info, "stockrecord", None) is not None and info.stockrecord.partner_sku:
        data["sku"] = info.stockrecord.partner_sku
    return data


def product(product, request, *, url: str | None = None) -> dict:
    """schema.org Product with its Offer, brand, sku/gtin, image and rating (when reviewed)."""
    url = url or absolute(request, product.get_absolute_url())
    data: dict = {
        "@context": SCHEMA,
        "@type": "Product",
        "name": product.get_title(),
        "url": url,
        # Private label: the shop is the brand on every pack.
        "brand": {"@type": "Brand", "name": settings.OSCAR_SHOP_NAME},
    }
    description = _plain(product.meta_description or product.description, 5000)
    if description:
        data["description"] = description
    if product.upc:
        data["sku"] = product.upc
        if _GTIN.match(product.upc):
            data["gtin"] = product.upc
    image = product.primary_image()
    if getattr(image, "original", None):
        try:
            data["image"] = absolute(request, image.original.url)
        except ValueError:  # the missing-image placeholder has no file
            pass
    product_offer = offer(product, request, url=url)
    if product_offer:
        data["offers"] = product_offer
    reviews = product.num_approved_reviews
    if reviews and product.rating is not None:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": f"{product.rating:.1f}",
            "reviewCount": reviews,
            "bestRating": "5",
            "worstRating": "1",
        }
    return data


def breadcrumbs(items: Sequence[tuple[str, str]], request) -> dict:
    """schema.org BreadcrumbList from (name, url) pairs, home first."""
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": absolute(request, url),
            }
            for position, (name, url) in enumerate(items, start=1)
        ],
    }


def faq_page(faqs: Iterable, request=None) -> dict | None:
    """schema.org FAQPage, answers as plain text (None when empty).

    Takes Faq objects or the (faq, answer_html) pairs the content views already rendered.
    """
    questions = []
    for entry in faqs:
        if isinstance(entry, tuple | list):
            faq, answer_html = entry[0], entry[1]
        else:
            faq, answer_html = entry, render_markdown(entry.answer).html
        questions.append(
            {
                "@type": "Question",
                "name": faq.question,
                "acceptedAnswer": {"@type": "Answer", "text": _plain(answer_html)},
            }
        )
    if not questions:
        return None
    return {"@context": SCHEMA, "@type": "FAQPage", "mainEntity": questions}


def article(article, request) -> dict:
    """schema.org Article: headline, image, author, publication and modification dates."""
    url = absolute(request, article.get_absolute_url())
    data: dict = {
        "@context": SCHEMA,
        "@type": "Article",
        "headline": article.title[:110],
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "author": (
            {"@type": "Person", "name": article.author}
            if article.author
            else {"@type": "Organization", "name": settings.OSCAR_SHOP_NAME}
        ),
        "publisher": {"@type": "Organization", "name": settings.OSCAR_SHOP_NAME},
        "inLanguage": "nl-NL",
    }
    if article.published_at:
        data["datePublished"] = article.published_at.isoformat()
    data["dateModified"] = (article.updated_at or article.published_at).isoformat()
    if article.hero_image:
        data["image"] = absolute(request, article.hero_image.url)
    description = _plain(article.meta_description)
    if description:
        data["description"] = description
    if article.keywords:
        data["keywords"] = ", ".join(str(k) for k in article.keywords)
    return data


def category_breadcrumbs(category, request) -> dict:
    """BreadcrumbList for a category page: home, the ancestors, the category."""
    items = [("Home", reverse("home"))]
    items += [(c.name, c.get_absolute_url()) for c in category.get_ancestors_and_self()]
    return breadcrumbs(items, request)
