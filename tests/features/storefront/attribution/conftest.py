import pytest
from django.core.cache import cache

from tests.factories import ensure_countries


@pytest.fixture
def countries(db):
    ensure_countries()


@pytest.fixture(autouse=True)
def _empty_cache():
    # Counters and the last-guide memory live in the cache.
    cache.clear()
    yield
    cache.clear()
