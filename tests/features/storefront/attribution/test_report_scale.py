"""The report's cost does not grow with the orders: its query count at 10,000 credited orders
(built with bulk_create) is the same as at one, and it answers within seconds."""

import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oscar.apps.order.models import Order

from features.storefront import report
from features.storefront.models import GuideAddition, GuideCount, OrderGuide
from shop.basket.models import Basket
from tests.factories import ArticleFactory

# `make report-scale`: ~30 s to build, so not part of `make test`.
pytestmark = [pytest.mark.django_db, pytest.mark.scale]

ORDERS = 10_000
GUIDES = 20


def build(orders: int) -> list:
    guides = [ArticleFactory(title=f"Gids {i:02d}", slug=f"schaal-{i}") for i in range(GUIDES)]
    now = timezone.now()
    baskets = Basket.objects.bulk_create(Basket(status=Basket.SUBMITTED) for _ in range(orders))
    GuideAddition.objects.bulk_create(
        GuideAddition(article=guides[i % GUIDES], basket=basket) for i, basket in enumerate(baskets)
    )
    placed = Order.objects.bulk_create(
        Order(
            number=f"S{i:06d}",
            basket=basket,
            currency="EUR",
            total_incl_tax=Decimal("24.90"),
            total_excl_tax=Decimal("22.84"),
            shipping_incl_tax=Decimal("4.95"),
            shipping_excl_tax=Decimal("4.54"),
            status="Betaald",
            guest_email=f"klant{i}@example.nl",
            date_placed=now,
        )
        for i, basket in enumerate(baskets)
    )
    OrderGuide.objects.bulk_create(
        OrderGuide(order=order, article=guides[i % GUIDES]) for i, order in enumerate(placed)
    )
    GuideCount.objects.bulk_create(
        GuideCount(article=guide, day=timezone.localdate(), views=1000, clicks=100)
        for guide in guides
    )
    return guides


def measure():
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        rows = report.guide_revenue(start=today, end=today)
        seconds = time.perf_counter() - started
    return rows, len(ctx.captured_queries), seconds


def test_report_query_count_at_10000_orders_is_fixed():
    started = time.perf_counter()
    build(ORDERS)
    built = time.perf_counter() - started
    rows, queries, seconds = measure()
    print(
        f"\nreport at {ORDERS} orders: {queries} queries, {seconds * 1000:.0f} ms "
        f"(built in {built:.1f} s)"
    )
    assert queries == 4
    assert len(rows) == GUIDES
    assert sum(r.orders for r in rows) == ORDERS
    assert sum(r.baskets for r in rows) == ORDERS
    assert sum((r.revenue for r in rows), Decimal(0)) == Decimal("24.90") * ORDERS
    assert seconds < 5
