"""Staff in each role (groups created by the content_dashboard migration) and a little content."""

import pytest
from oscar.test import factories

from content.dashboard import services
from content.models import Topic
from tests.factories import make_user

ROLES = ["Redactie", "Catalogusbeheer", "Orderverwerking"]


@pytest.fixture
def editor(db):
    return make_user("redacteur", role="Redactie")


@pytest.fixture
def catalogue_manager(db):
    return make_user("catalogus", role="Catalogusbeheer")


@pytest.fixture
def order_clerk(db):
    return make_user("orders", role="Orderverwerking")


@pytest.fixture
def superuser(db):
    return make_user("baas", superuser=True)


@pytest.fixture
def customer(db):
    return make_user("klant")


@pytest.fixture
def product(db):
    return factories.create_product(
        upc="MG-BIS-200", title="Magnesium Bisglycinaat 200 mg", price=19.95, num_in_stock=10
    )


@pytest.fixture
def topic(db):
    return Topic.objects.create(name="Slaap", slug="slaap")


@pytest.fixture
def article(db, editor, topic):
    return services.article_save(
        user=editor,
        fields={"title": "Over magnesium", "lead": "Intro.", "body": "## Kop\n\nTekst."},
        topics=[topic],
        products=[],
        categories=[],
    )


@pytest.fixture
def faq(db, editor, article):
    return services.faq_save(
        user=editor,
        fields={"question": "Wanneer innemen?", "answer": "'s Avonds.", "article": article},
        topics=[],
        products=[],
        categories=[],
    )
