"""The document providers (shop.search.providers): the Kennisbank registers its guides and FAQs,
and the results page, the suggestions and the rebuild command show and index exactly the
registered ones (the search never imports content)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from content.models import Article, Faq
from content.search import GUIDES, QUESTIONS
from shop.search import providers
from shop.search.views.suggest import suggestions

pytestmark = pytest.mark.django_db


@pytest.fixture
def only(monkeypatch):
    """Keep only the providers of these kinds registered for the test."""

    def keep(*kinds: str) -> None:
        registered = {p.kind: p for p in providers.providers()}
        monkeypatch.setattr(providers, "_providers", {k: registered[k] for k in kinds})

    return keep


def test_the_kennisbank_registers_guides_then_faqs():
    registered = providers.providers()
    assert [(p.kind, p.model, p.group) for p in registered] == [
        (GUIDES, Article, "guides"),
        (QUESTIONS, Faq, "faqs"),
    ]
    assert providers.get(QUESTIONS) is registered[1]


def test_the_results_page_shows_the_group_of_each_registered_provider(client, search_shop, only):
    response = client.get("/search/", {"q": "magnesium slapen"})
    assert [a.title for a in response.context["guides"]][:1] == ["Beter slapen met magnesium"]
    assert "Wanneer neem ik magnesium in voor het slapen?" in [
        f.question for f in response.context["faqs"]
    ]

    only(GUIDES)
    response = client.get("/search/", {"q": "magnesium nachtrust"})
    assert response.status_code == 200
    assert "faqs" not in response.context
    assert response.context["guides"][0].title == "Beter slapen met magnesium"


def test_suggestions_hold_the_groups_of_the_suggested_providers_only(search_shop, only):
    found = suggestions("beter slap")
    assert list(found) == ["query", "count", "products", "guides", "categories"]
    assert found["guides"][0]["label"] == "Beter slapen met magnesium"

    only(QUESTIONS)  # FAQs are not suggested
    found = suggestions("beter slap")
    assert list(found) == ["query", "count", "products", "categories"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL search index")
def test_the_rebuild_command_indexes_and_counts_every_registered_provider(search_shop):
    Article.objects.update(search_document=None)
    Faq.objects.update(search_document=None)
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert f"{Article.objects.count()} gidsen, {Faq.objects.count()} vragen." in out.getvalue()
    assert not Article.objects.filter(search_document=None).exists()
    assert not Faq.objects.filter(search_document=None).exists()
