"""Every write of the storefront app."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from content.models import Article
from features.storefront import counters
from features.storefront.models import GuideAddition, GuideCount, HomePage, OrderGuide
from shop.cache.pagecache import expire_all


def homepage_save(*, form) -> HomePage:
    """Save the dashboard's home page form; the shared pages are stale from now on."""
    with transaction.atomic():
        homepage = form.save()
        transaction.on_commit(expire_all)
    return homepage


def guide_addition_record(*, article: Article, basket_id: int, product_id: int) -> GuideAddition:
    """Credit an addition to `basket_id` to the guide read before it."""
    return GuideAddition.objects.create(article=article, basket_id=basket_id, product_id=product_id)


def order_guide_record(*, order) -> OrderGuide | None:
    """Credit an order to the guide of the last credited addition to its basket, if any."""
    if not order.basket_id:
        return None
    last = (
        GuideAddition.objects.for_basket(order.basket_id)
        .filter(created_at__lte=order.date_placed)
        .values_list("article_id", flat=True)
        .first()
    )
    if last is None:
        return None
    return OrderGuide.objects.update_or_create(order=order, defaults={"article_id": last})[0]


def guide_counts_flush() -> int:
    """Write the views and clicks counted in the cache to GuideCount; returns the number of
    counts written (counts of guides deleted meanwhile are dropped)."""
    article_ids = list(Article.objects.values_list("pk", flat=True))
    written = 0
    with transaction.atomic():
        for (article_id, day), numbers in counters.pending(article_ids).items():
            updated = GuideCount.objects.filter(article_id=article_id, day=day).update(
                views=F("views") + numbers["views"], clicks=F("clicks") + numbers["clicks"]
            )
            if not updated:
                GuideCount.objects.create(article_id=article_id, day=day, **numbers)
            for kind, number in numbers.items():
                if number:
                    counters.taken(kind, article_id, day, number)
                    written += number
    return written
