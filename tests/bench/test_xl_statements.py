"""bench.xl.Statements: the timed search requests' SQL, counted without the debug cursor."""

import os
import subprocess
import sys
from pathlib import Path

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


def test_the_measuring_process_starts_as_a_worker_of_the_shop_does():
    # shop.wsgi freezes what start-up made (gc.freeze); set up with django.setup() alone, the
    # measuring process paid full garbage collections of that heap on its timed searches, which
    # no gunicorn worker of the shop pays. A process of its own: the freeze is for its life.
    code = (
        "import gc; from bench.xl import start_as_a_server; start_as_a_server(); "
        "print(gc.get_freeze_count())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "shop.settings"},
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[-1]) > 50_000
