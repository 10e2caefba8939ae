"""The Django admin edits guides and FAQs through the services, as the dashboard editor does."""

from __future__ import annotations

import pytest
from django.contrib.postgres.search import SearchQuery
from django.contrib.redirects.models import Redirect
from django.urls import reverse

from content import services
from content.dashboard.models import Revision
from content.models import Article, ArticleProduct, Faq, Topic
from tests.factories import ArticleFactory, make_product, make_user

pytestmark = pytest.mark.django_db

NO_LINKS = {
    f"{prefix}-{name}": value
    for prefix in ("product_links", "category_links")
    for name, value in (
        ("TOTAL_FORMS", "0"),
        ("INITIAL_FORMS", "0"),
        ("MIN_NUM_FORMS", "0"),
        ("MAX_NUM_FORMS", "1000"),
    )
}


def article_post(article: Article, **changes) -> dict:
    data = {
        "title": article.title,
        "slug": article.slug,
        "lead": article.lead,
        "body": article.body,
        "author": article.author,
        "seo_title": "",
        "seo_description": "",
        "keywords": "[]",
        "sources": "",
        "status": article.status,
        "published_at_0": article.published_at.strftime("%Y-%m-%d") if article.published_at else "",
        "published_at_1": article.published_at.strftime("%H:%M:%S") if article.published_at else "",
        **NO_LINKS,
    }
    data.update(changes)
    return data


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("beheerder", superuser=True))
    return client


def test_editing_a_guide_in_the_admin_records_a_revision_and_redirects_its_old_url(admin_client):
    article = ArticleFactory(title="Over de winkel", slug="over-de-winkel", draft=True)
    old_url = article.get_absolute_url()

    response = admin_client.post(
        reverse("admin:content_article_change", args=[article.pk]),
        article_post(article, slug="onze-winkel", body="Over de avondrust."),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.slug == "onze-winkel"
    revision = Revision.objects.for_object(article).get()
    assert revision.snapshot["body"] == "Over de avondrust."
    redirect = Redirect.objects.get(old_path=old_url)
    assert redirect.new_path == article.get_absolute_url()


def test_editing_a_guide_in_the_admin_updates_its_search_document(admin_client):
    article = ArticleFactory(title="Over de winkel", body="Tekst.", draft=True)

    admin_client.post(
        reverse("admin:content_article_change", args=[article.pk]),
        article_post(article, body="Over kuitkramp bij sporters."),
    )

    found = SearchQuery("kuitkramp", config="dutch")
    assert Article.objects.filter(pk=article.pk, search_document=found).exists()


def test_a_product_code_in_a_guide_edited_in_the_admin_becomes_a_link(admin_client):
    product = make_product(upc="MG-ADMIN-1", title="Magnesiumcitraat")
    article = ArticleFactory(body="Tekst.", draft=True)

    admin_client.post(
        reverse("admin:content_article_change", args=[article.pk]),
        article_post(article, body="Neem [citraat](product:MG-ADMIN-1) bij het eten."),
    )

    assert ArticleProduct.objects.filter(article=article, product=product).exists()


def test_a_guide_added_in_the_admin_has_its_first_revision(admin_client):
    response = admin_client.post(
        reverse("admin:content_article_add"),
        {
            "title": "Nieuwe gids",
            "slug": "nieuwe-gids",
            "lead": "",
            "body": "Tekst.",
            "author": "",
            "seo_title": "",
            "seo_description": "",
            "keywords": "[]",
            "sources": "",
            "status": "draft",
            "published_at_0": "",
            "published_at_1": "",
            **NO_LINKS,
        },
    )

    assert response.status_code == 302, response.content[:3000]
    article = Article.objects.get(slug="nieuwe-gids")
    assert Revision.objects.for_object(article).get().summary.startswith("Aangemaakt")


def test_editing_a_faq_in_the_admin_records_a_revision(admin_client):
    faq = Faq.objects.create(question="Wanneer innemen?", answer="'s Avonds.")

    response = admin_client.post(
        reverse("admin:content_faq_change", args=[faq.pk]),
        {
            "question": "Wanneer neem ik magnesium in?",
            "answer": "'s Avonds.",
            "article": "",
            "position": "0",
            "status": "draft",
            "published_at_0": "",
            "published_at_1": "",
            **NO_LINKS,
        },
    )

    assert response.status_code == 302, response.content[:3000]
    revision = Revision.objects.for_object(faq).get()
    assert revision.snapshot["question"] == "Wanneer neem ik magnesium in?"


def test_deleting_a_guide_in_the_admin_deletes_its_revisions(admin_client):
    article = ArticleFactory(draft=True)
    admin_client.post(
        reverse("admin:content_article_change", args=[article.pk]),
        article_post(article, body="Nieuw."),
    )
    assert Revision.objects.for_object(article).exists()

    admin_client.post(reverse("admin:content_article_delete", args=[article.pk]), {"post": "yes"})

    assert not Article.objects.filter(pk=article.pk).exists()
    assert not Revision.objects.filter(object_id=article.pk).exists()


def test_a_live_guide_with_a_health_claim_is_refused_in_the_admin_with_a_message(admin_client):
    article = ArticleFactory(title="Over de winkel", body="Tekst.")

    response = admin_client.post(
        reverse("admin:content_article_change", args=[article.pk]),
        article_post(article, body="Magnesium geneest slapeloosheid."),
    )

    assert response.status_code == 200
    assert "kan niet openbaar worden" in str(response.context["adminform"].form.non_field_errors())
    article.refresh_from_db()
    assert article.body == "Tekst."
    assert not Revision.objects.for_object(article).exists()


def test_the_content_admin_pages_render_with_their_link_inlines(admin_client):
    article = ArticleFactory(draft=True)
    product = make_product(upc="MG-ADMIN-2")
    services.article_link_products(article=article, products=[product])
    faq = Faq.objects.create(question="Wanneer innemen?", answer="'s Avonds.")

    for url in (
        reverse("admin:content_article_change", args=[article.pk]),
        reverse("admin:content_article_add"),
        reverse("admin:content_faq_change", args=[faq.pk]),
        reverse("admin:content_topic_add"),
    ):
        assert admin_client.get(url).status_code == 200, url


def test_a_topic_added_in_the_admin_is_saved(admin_client):
    response = admin_client.post(
        reverse("admin:content_topic_add"),
        {"name": "Slaap", "slug": "slaap", "description": "", "position": "0"},
    )

    assert response.status_code == 302
    assert Topic.objects.filter(name="Slaap", slug="slaap").exists()
