import pytest

from tests.factories import ensure_countries


@pytest.fixture
def countries(db):
    ensure_countries()
