import pytest

from tests.shop.builders import ensure_countries


@pytest.fixture
def countries(db):
    ensure_countries()
