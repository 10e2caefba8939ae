"""Template access to shop.catalogue.facts: templates show the facts, they never derive them."""

from __future__ import annotations

from decimal import Decimal

from django import template

from content.claims import check_product, check_text
from shop.catalogue.facts import SupplementFacts, basket_daily_dose, supplement_facts
from shop.cosmetics import cosmetic_label

register = template.Library()


@register.simple_tag(takes_context=True)
def product_supplement_facts(context, product) -> SupplementFacts:
    """The supplement facts of `product`, priced with the visitor's strategy."""
    return supplement_facts(product, request=context.get("request"))


@register.simple_tag
def product_cosmetic_label(product) -> list:
    """The cosmetic label fields of `product` (empty for anything that is not a cosmetic)."""
    return cosmetic_label(product)


@register.simple_tag(takes_context=True)
def product_price_per_day(context, product) -> Decimal | None:
    """Price per daily dose: the listing's SQL annotation when present, else from the facts."""
    if hasattr(product, "price_per_day"):
        return product.price_per_day
    return supplement_facts(product, request=context.get("request")).price_per_day


@register.simple_tag
def basket_magnesium_dose(basket):
    """The summed daily magnesium dose of the distinct products in `basket`."""
    return basket_daily_dose(basket)


@register.simple_tag
def product_claim_findings(product) -> list:
    """Health-claim findings in a product's description (for staff editing the product)."""
    if not getattr(product, "pk", None):  # the create page has no saved product yet
        return []
    return check_product(product)


@register.simple_tag
def text_claim_findings(text: str, source: str = "") -> list:
    """Health-claim findings in any text, e.g. a guide body on its dashboard edit page."""
    return check_text(text or "", source=source)
