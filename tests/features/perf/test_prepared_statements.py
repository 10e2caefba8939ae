"""Statements a connection runs again and again are prepared: PostgreSQL plans them once.

Django turns psycopg's prepared statements off unless OPTIONS["prepare_threshold"] is set
(shop/settings.py sets 5). Without it, the basket's read of its lines was planned anew on every
request (1.2 ms of planning for 0.2 ms of running, catalogue L)."""

import pytest
from django.conf import settings
from django.db import connection
from oscar.core.loading import get_model

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")


def _prepared() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


def test_a_statement_run_five_times_is_prepared_once():
    assert settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"] == 5
    basket = Basket.objects.create()
    before = {s for s in _prepared() if '"basket_line"' in s}
    for _ in range(4):
        list(basket.lines.all())
    assert {s for s in _prepared() if '"basket_line"' in s} == before  # not yet
    for _ in range(3):
        list(basket.lines.all())
    after = {s for s in _prepared() if '"basket_line"' in s} - before
    assert len(after) == 1  # prepared at the fifth, reused by the sixth and seventh
    assert "$1" in after.pop()  # server-side parameters: one plan for every basket
