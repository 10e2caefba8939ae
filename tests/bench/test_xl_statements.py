"""bench.xl.Statements: the timed search requests' SQL, counted without the debug cursor."""

import pytest
from django.db import connection

from bench.xl import Statements

pytestmark = pytest.mark.django_db


def test_statements_counts_and_times_each_statement_without_the_debug_cursor():
    statements = Statements()
    with connection.execute_wrapper(statements), connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(0.01)")
        cursor.execute("SELECT %s", [1])
    assert statements.count == 2
    assert 0.01 <= statements.seconds < 5
    assert not connection.queries_logged  # nothing formatted or kept, as on a server
