"""Receivers of Oscar's basket and order signals: thin, they call the attribution services."""

from __future__ import annotations

import logging

from features.storefront import attribution, services

logger = logging.getLogger(__name__)


def credit_basket_addition(sender, product, user=None, request=None, **kwargs) -> None:
    """Oscar's basket_addition: credit the addition to the last guide read, if any."""
    basket = getattr(request, "basket", None) if request is not None else None
    if basket is None or not basket.id:
        return
    # A basket the add itself made (shop.basket's `created_by_add`) has no guide read to recall.
    article = attribution.guide_for_addition(
        request, basket_id=basket.id, new_basket=getattr(basket, "created_by_add", False)
    )
    if article is None:
        return
    services.guide_addition_record(article=article, basket_id=basket.id, product_id=product.pk)
    attribution.remember(
        article_id=article.pk,
        basket_id=basket.id,
        user_id=user.pk if user is not None and user.is_authenticated else None,
    )


def credit_order(sender, order, **kwargs) -> None:
    """Oscar's order_placed: the order follows the guide credited last in its basket."""
    services.order_guide_record(order=order)
