"""The "Kennisbank → omzet" report: per guide, over a period, what its readers did.

Four grouped queries whatever the number of orders: counts per guide and day, credited baskets,
credited orders with their revenue, and the guides' titles.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from content.models import Article
from features.storefront.models import GuideAddition, GuideCount, OrderGuide

SORTS = ("revenue", "orders", "baskets", "clicks", "views", "title")


@dataclass
class GuideRow:
    article_id: int
    title: str
    url: str
    views: int = 0
    clicks: int = 0
    baskets: int = 0
    orders: int = 0
    revenue: Decimal = Decimal("0.00")


def _bounds(start: datetime.date, end: datetime.date):
    """The period [start, end] (whole days, shop time) as aware datetimes [from, until)."""
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return since, until


def guide_revenue(
    *, start: datetime.date, end: datetime.date, sort: str = "revenue"
) -> list[GuideRow]:
    """One row per guide with anything in the period, sorted by `sort` (descending; title A-Z)."""
    since, until = _bounds(start, end)
    rows: dict[int, dict] = {}
    counts = (
        GuideCount.objects.filter(day__gte=start, day__lte=end)
        .values("article_id")
        .annotate(views=Sum("views"), clicks=Sum("clicks"))
    )
    for row in counts:
        rows.setdefault(row["article_id"], {}).update(views=row["views"], clicks=row["clicks"])
    baskets = (
        GuideAddition.objects.filter(created_at__gte=since, created_at__lt=until)
        .values("article_id")
        .annotate(baskets=Count("basket_id", distinct=True))
        .order_by()
    )
    for row in baskets:
        rows.setdefault(row["article_id"], {})["baskets"] = row["baskets"]
    orders = (
        OrderGuide.objects.filter(order__date_placed__gte=since, order__date_placed__lt=until)
        .values("article_id")
        .annotate(orders=Count("order_id"), revenue=Sum("order__total_incl_tax"))
        .order_by()
    )
    for row in orders:
        rows.setdefault(row["article_id"], {}).update(orders=row["orders"], revenue=row["revenue"])
    articles = Article.objects.filter(pk__in=rows).only("pk", "title", "slug")
    result = [
        GuideRow(article_id=a.pk, title=a.title, url=a.get_absolute_url(), **rows[a.pk])
        for a in articles
    ]
    if sort == "title":
        return sorted(result, key=lambda r: r.title.lower())
    sort = sort if sort in SORTS else "revenue"
    return sorted(result, key=lambda r: (getattr(r, sort), r.revenue, r.views), reverse=True)


def totals(rows: list[GuideRow]) -> GuideRow:
    return GuideRow(
        article_id=0,
        title="Totaal",
        url="",
        views=sum(r.views for r in rows),
        clicks=sum(r.clicks for r in rows),
        baskets=sum(r.baskets for r in rows),
        orders=sum(r.orders for r in rows),
        revenue=sum((r.revenue for r in rows), Decimal("0.00")),
    )
