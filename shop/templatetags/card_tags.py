"""A listing's product card, its HTML shared between the shared pages that show it."""

from __future__ import annotations

from django import template
from django.template import Context
from django.utils.safestring import mark_safe
from oscar.templatetags.product_tags import render_product

from shop.search.listing import store_card

register = template.Library()


@register.simple_tag(takes_context=True)
def product_card(context, product) -> str:
    """Oscar's `render_product` for a listing of a shared page: a card already in the fragments
    cache (shop.search.listing.shared_listing_page) is used as it is; one that is not is rendered
    and stored.

    A stored card is rendered from a context of its own that holds the product and the shared
    page's request only (stripped of the visitor, shop.cache.pagecache.make_shared; the strategy
    prices it), never the page's context: the same for every visitor and for every page that
    lists the product. Outside a shared page the card is Oscar's and is not stored."""
    html = getattr(product, "card_html", None)
    if html is not None:
        return mark_safe(html)  # noqa: S308 - rendered by the card's template, escaped there
    request = context.get("request")
    if not getattr(request, "shared_render", False):
        return render_product(context, product)
    # Oscar's own tag (its per-UPC and per-class templates), given the card's own context.
    card = render_product(
        Context(
            # What features.perf.context_processors.shared_page gives a shared page: the card's
            # add-to-basket form carries no CSRF token (shop.js adds the visitor's).
            {
                "product": product,
                "request": request,
                "shared_page": True,
                "csrf_token": "NOTPROVIDED",
            },
            autoescape=context.autoescape,
            use_l10n=context.use_l10n,
            use_tz=context.use_tz,
        ),
        product,
    )
    store_card(product, card)
    return card
