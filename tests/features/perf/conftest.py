import pytest
from django.core.cache import cache


@pytest.fixture
def page_cache(settings):
    """The shared-page cache switched on (tests/settings.py keeps it off elsewhere)."""
    settings.SHOP_PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()
