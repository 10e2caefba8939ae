"""A listing's product cards, their HTML shared between the shared pages that show them."""

from __future__ import annotations

from django import template
from django.template import Context
from django.utils.safestring import mark_safe
from oscar.templatetags.product_tags import render_product

from shop.search.listing import store_cards

register = template.Library()


@register.simple_tag(takes_context=True)
def product_cards(context, products) -> list[str]:
    """The card HTML of each of `products` (Oscar's `render_product`), for a listing of a shared
    page: a card already in the fragments cache (shop.search.listing.shared_listing_page) is used
    as it is; the others are rendered and stored, in one cache write for the page.

    A stored card is rendered from a context of its own that holds the product and the shared
    page's request only (stripped of the visitor, shop.cache.pagecache.make_shared; the strategy
    prices it), never the page's context: the same for every visitor and for every page that
    lists the product. Outside a shared page the cards are Oscar's and are not stored."""
    request = context.get("request")
    shared = getattr(request, "shared_render", False)
    cards, rendered = [], []
    for product in products:
        stored = getattr(product, "card_html", None)
        if stored is not None:
            cards.append(mark_safe(stored))  # noqa: S308 - rendered by the card's template, escaped there
        elif not shared:
            cards.append(render_product(context, product))
        else:
            card = render_product(_card_context(context, request, product), product)
            rendered.append((product, card))
            cards.append(card)
    if rendered:
        store_cards(rendered)
    return cards


def _card_context(context, request, product) -> Context:
    """Oscar's own tag (its per-UPC and per-class templates) is given the card's own context:
    what features.perf.context_processors.shared_page gives a shared page. The card's
    add-to-basket form carries no CSRF token (shop.js adds the visitor's)."""
    return Context(
        {
            "product": product,
            "request": request,
            "shared_page": True,
            "csrf_token": "NOTPROVIDED",
        },
        autoescape=context.autoescape,
        use_l10n=context.use_l10n,
        use_tz=context.use_tz,
    )
